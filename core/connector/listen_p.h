#pragma once

#include "core/base/result.h"
#include "core/net/httpserver.h"

#include <QString>

namespace Pm::Connector::Internal {

/**
 * One line for a listener that could not start: the setting, the address and the operating
 * system's reason once ("INBOUND_LISTEN_PORT: cannot listen on 127.0.0.1:4000: The bound address
 * is already in use").
 */
inline Pm::Error listenError(const QString &setting, const Net::HttpServerOptions &options,
                             const Pm::Error &error)
{
    using namespace Qt::StringLiterals;
    const QString why = error.detail.isEmpty() ? error.message : error.detail;
    return Pm::Error{0, u"%1: cannot listen on %2:%3: %4"_s.arg(setting, options.address.toString(),
                                                                 QString::number(options.port), why),
                     {}};
}

} // namespace Pm::Connector::Internal
