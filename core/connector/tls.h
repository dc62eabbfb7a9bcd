#pragma once

#include "core/base/result.h"
#include "core/connector/config.h"

#include <QSslConfiguration>

namespace Pm::Connector {

/**
 * The inbound server's TLS configuration from IN_*: certificate and key, the CA certificates that
 * client certificates must chain to, and VerifyPeer (mutual TLS). Fails with one line naming the
 * setting and file that could not be used.
 */
Pm::Result<QSslConfiguration> inboundTlsConfiguration(const TlsSettings &settings);

/**
 * The FSPIOP client's TLS configuration from OUT_*: the CA certificates to trust and, when both are
 * set, the client certificate and key to present.
 */
Pm::Result<QSslConfiguration> outboundTlsConfiguration(const TlsSettings &settings);

} // namespace Pm::Connector
