#pragma once

#include "core/base/result.h"
#include "core/connector/config.h"
#include "core/fspiop/headers.h"
#include "core/fspiop/jws.h"
#include "core/net/httpclient.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

QT_BEGIN_NAMESPACE
class QThreadPool;
QT_END_NAMESPACE

namespace Pm::Store {
class Store;
}

namespace Pm::Connector {

class Metrics;
class TokenProvider;

/** One FSPIOP request or callback this connector sends to the hub (or a directly peered DFSP). */
struct FspiopOutgoing
{
    QByteArray method;   ///< "GET", "POST", "PUT" or "PATCH"
    QString resource;    ///< "parties", "participants", "quotes", "transfers"
    QString path;        ///< from the resource on, e.g. "/quotes/<id>"; appended to the endpoint
    QByteArray body;     ///< the exact bytes to sign and send (serialised once by the caller)
    QString destination; ///< FSPIOP-Destination; empty: header left out
    /** Trace of the request that triggered this callback; nullopt: a new trace is generated. */
    std::optional<Fspiop::TraceContext> trace;
    bool callback = false;  ///< a callback (PUT) rather than a request: recorded as such
    QString transferId;     ///< for the message record, if known
    QString correlationId;  ///< for the message record (quoteId, transferId, "MSISDN/123")
};

/** What was sent, for the outbound model (getPartiesRequest, quoteRequest, prepare). */
struct FspiopSent
{
    QUrl url;
    Net::HttpHeaders headers; ///< as sent (lower-case names)
};

/**
 * Sends FSPIOP requests and callbacks the way the reference SDK does: per-resource endpoint,
 * versioned content type (and an Accept with the major version except on PUT), RFC 1123 Date,
 * FSPIOP-Source, FSPIOP-Destination when known, W3C trace headers, a bearer token when one is
 * configured, and an FSPIOP-Signature over the exact body bytes sent (RSA signing runs on a thread
 * pool; the request goes out from the client's thread). The peer must answer 2xx with an empty
 * body; anything else is an error. Every message sent is recorded in the store (direction out).
 *
 * Lives on the connector's service thread.
 */
class FspiopClient : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Pm::Result<FspiopSent>)>;

    /**
     * `http`, `store` (may be null), `pool` (may be null: sign inline) and `metrics` (may be null)
     * must outlive the client.
     */
    FspiopClient(const ConnectorConfig &config, Net::HttpClient *http,
                 std::optional<Fspiop::Jws::SigningKey> signingKey, Store::Store *store,
                 QThreadPool *pool, Metrics *metrics, QObject *parent = nullptr);

    /**
     * Sends `request`; `done` runs later on this thread with what was sent, or with an error whose
     * code is the FSPIOP code the peer answered with (errorInformation), 1001 when it could not be
     * reached, or 2001 for an unexpected answer.
     */
    void send(FspiopOutgoing request, Done done);

    /** True if a request like `request` gets an FSPIOP-Signature (JWS_SIGN, body, method). */
    bool willSign(const FspiopOutgoing &request) const;

    /**
     * OAuth2 tokens (OAUTH_TOKEN_ENDPOINT): every request then waits for a token and carries it
     * as `Authorization: Bearer`; a 401 from the hub refreshes the token and, up to
     * OIDC_AUTH_FAILURE_REQUEST_RETRIES times, re-sends the request (the hub refused it, so it
     * was not processed). Null: the static OIDC_BEARER_TOKEN, if any. Must outlive the client.
     */
    void setTokenProvider(TokenProvider *tokens) { m_tokens = tokens; }

private:
    /** Per-request retry counters. */
    struct Attempts
    {
        int network = 0; ///< re-sends after a network error (HTTP_DEFAULT_RETRIES)
        int auth = 0;    ///< re-sends after a 401 (OIDC_AUTH_FAILURE_REQUEST_RETRIES)
    };
    void transmit(FspiopOutgoing request, Net::HttpHeaders headers, QUrl url, Attempts attempts, Done done);
    void transmitNow(FspiopOutgoing request, Net::HttpHeaders headers, QUrl url, Attempts attempts, Done done);

    ConnectorConfig m_config;
    Net::HttpClient *m_http;
    std::optional<Fspiop::Jws::SigningKey> m_key;
    Store::Store *m_store;
    QThreadPool *m_pool;
    Metrics *m_metrics;
    TokenProvider *m_tokens = nullptr;
};

} // namespace Pm::Connector
