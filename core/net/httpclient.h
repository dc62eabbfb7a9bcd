#pragma once

#include "core/base/result.h"
#include "core/net/httpheaders.h"

#include <QByteArray>
#include <QObject>
#include <QSslConfiguration>
#include <QUrl>

#include <chrono>
#include <expected>
#include <functional>
#include <memory>
#include <optional>

namespace Pm::Net {

/** An outgoing request. */
struct HttpClientRequest
{
    QByteArray method = "GET";
    QUrl url;                 ///< http:// or https:// with host, optional port, path and query
    /**
     * Host, Content-Length and Transfer-Encoding are set by the client; "Connection: close" is
     * honoured (the connection is not reused), other Connection values are dropped.
     */
    HttpHeaders headers;
    QByteArray body;
    /** Limit for the whole exchange (connect, TLS, send, response); 0 = the client's default. */
    std::chrono::milliseconds timeout{0};
};

/** A complete response. Any status, including 4xx and 5xx, is a response, not an error. */
struct HttpClientResponse
{
    int status = 0;
    QByteArray reason;
    HttpHeaders headers;
    QByteArray body;
};

/** Why an exchange produced no response. */
enum class HttpClientErrorKind {
    InvalidRequest,    ///< unusable URL or method; nothing was sent
    HostNotFound,      ///< name resolution failed; nothing was sent
    ConnectionRefused, ///< nothing listens there; nothing was sent
    TlsFailure,        ///< handshake failed or peer rejected by either side; not processed
    Timeout,           ///< no complete response within the timeout
    ConnectionClosed,  ///< the connection broke before the response was complete
    ProtocolError,     ///< the peer's response was not valid HTTP/1.x or too large
};

/**
 * A failed exchange: a Pm::Error (code 1001, the FSPIOP "destination communication error"; one-line
 * message naming the peer and the cause, library text in detail) plus what kind of failure it was.
 */
struct HttpClientError : Error
{
    HttpClientErrorKind kind = HttpClientErrorKind::ConnectionClosed;
    /**
     * True when the request was written and the peer may have acted on it (timeout or broken
     * connection after sending): such a request must not be blindly repeated.
     */
    bool requestMayHaveBeenProcessed = false;
};

using HttpClientResult = std::expected<HttpClientResponse, HttpClientError>;

/** Client-wide settings. */
struct HttpClientOptions
{
    int maxConnectionsPerHost = 32; ///< more concurrent requests to one host wait in a queue
    std::chrono::milliseconds defaultTimeout{30'000};
    /** Idle keep-alive connections close after this; keep it below the peers' own idle timeout. */
    std::chrono::milliseconds idleTimeout{4'000};
    qsizetype maxResponseHeaderBytes = 64 * 1024;
    qsizetype maxResponseBodyBytes = 64 * 1024 * 1024;
    /**
     * TLS for https:// URLs: CA certificates to trust (the server is always verified), and for
     * mutual TLS a local certificate and private key. Unset: the system's default configuration.
     */
    std::optional<QSslConfiguration> tls;
};

/**
 * An asynchronous HTTP/1.1 client with per-host pools of persistent (keep-alive) connections.
 *
 * Create, use and destroy it on one thread with an event loop. Callbacks run on that thread, always
 * later than send() returns, never re-entrantly. Destroying the client drops pending requests
 * without calling their callbacks.
 */
class HttpClient
{
public:
    using Callback = std::function<void(HttpClientResult result)>;
    using RequestId = quint64;

    virtual ~HttpClient() = default;

    /**
     * Starts a request. `callback` is called exactly once with the response or the error, unless
     * `context` (if given) is destroyed first or the request is cancelled.
     */
    virtual RequestId send(HttpClientRequest request, const QObject *context, Callback callback) = 0;
    /** Drops a request; its callback is not called. Unknown or finished ids are ignored. */
    virtual void cancel(RequestId id) = 0;
    /**
     * Replaces the TLS material for connections opened from now on (certificate rotation).
     * In-flight requests finish on their connections; idle connections made with the old material
     * are closed, busy ones are closed after their current response.
     */
    virtual void setTlsConfiguration(const QSslConfiguration &configuration) = 0;
    /** Closes all idle connections (in-flight requests are unaffected). */
    virtual void closeIdleConnections() = 0;
    /** Open connections across all hosts (for tests and the dashboard). */
    virtual int connectionCount() const = 0;
};

/** Creates the production client (our HTTP/1.1 implementation over QTcpSocket/QSslSocket). */
std::unique_ptr<HttpClient> createHttpClient(HttpClientOptions options = {});

} // namespace Pm::Net
