#pragma once

#include "core/base/result.h"
#include "core/net/httpheaders.h"

#include <QByteArray>
#include <QHostAddress>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>
#include <QUrlQuery>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace Pm::Net {

/** An HTTP request as the server received it. */
struct HttpRequest
{
    QByteArray method;            ///< "GET", "POST", ... exactly as sent (case-sensitive token)
    QByteArray target;            ///< the raw request-target, e.g. "/parties/MSISDN/123?x=1"
    QString path;                 ///< percent-decoded path of the target, e.g. "/parties/MSISDN/123"
    QUrlQuery query;              ///< the target's query
    HttpHeaders headers;          ///< header fields, names case-insensitive
    QByteArray body;              ///< raw body bytes (chunked bodies already decoded)
    int versionMinor = 1;         ///< 1 for HTTP/1.1, 0 for HTTP/1.0
    QHostAddress peerAddress;     ///< the client's address
    quint16 peerPort = 0;         ///< the client's port
    QSslCertificate peerCertificate; ///< the client's TLS certificate; null without mutual TLS
};

namespace Internal {
class ServerConnection;
}

/**
 * The right and duty to answer one request. Move-only. The handler may answer at once or keep the
 * responder and answer later from the server's thread (after other asynchronous work); responses
 * on one connection are sent in request order whatever order they are given in.
 *
 * A responder destroyed without an answer sends 500, so a client is never left hanging. If the
 * connection has gone (client hung up, server closed) answering does nothing.
 */
class HttpResponder
{
public:
    HttpResponder() = default;
    HttpResponder(HttpResponder &&other) noexcept;
    HttpResponder &operator=(HttpResponder &&other) noexcept;
    HttpResponder(const HttpResponder &) = delete;
    HttpResponder &operator=(const HttpResponder &) = delete;
    /** Answers 500 Internal Server Error if no answer was given. */
    ~HttpResponder();

    /**
     * Sends the response. Content-Length is computed from `body`; Connection and
     * Transfer-Encoding headers are managed by the server and ignored here. Only the first call
     * of a responder has an effect.
     */
    void respond(int status, HttpHeaders headers = {}, QByteArray body = {});

    /** True until respond() is called (or the responder is moved from). */
    bool isPending() const { return m_sequence != 0; }
    /** True while the client connection this responder answers on is open. */
    bool isConnected() const;

private:
    friend class Internal::ServerConnection;
    HttpResponder(Internal::ServerConnection *connection, quint64 sequence);

    QPointer<QObject> m_connection;
    quint64 m_sequence = 0;
};

/** Where and how a server listens. */
struct HttpServerOptions
{
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0; ///< 0 picks a free port; HttpServer::serverPort() reports it
    /**
     * TLS when set: local certificate and key, CA certificates for client certificates, and the
     * peer verify mode (VerifyPeer for mutual TLS: the client must present a certificate that
     * chains to one of the CA certificates).
     */
    std::optional<QSslConfiguration> tls;
    qsizetype maxBodyBytes = 4 * 1024 * 1024;   ///< larger bodies are answered 413
    qsizetype maxHeaderBytes = 32 * 1024;       ///< larger header sections are answered 431
    int maxPipelinedRequests = 16;              ///< unanswered requests per connection before reading pauses
    int maxConnections = 4096;                  ///< connections beyond this are closed at once
    std::chrono::milliseconds idleTimeout{60'000};    ///< idle keep-alive connections close after this
    std::chrono::milliseconds requestTimeout{30'000}; ///< a started request must be complete within this
    std::chrono::milliseconds tlsHandshakeTimeout{10'000};
};

/**
 * An HTTP/1.1 server (plain or TLS, optionally mutual TLS) with persistent connections.
 *
 * Create, use and destroy it on one thread with an event loop (for example inside a service's
 * worker QThread); the handler is called on that thread and must not block.
 */
class HttpServer
{
public:
    /** Receives every request. Keep or move the responder to answer later. */
    using Handler = std::function<void(HttpRequest request, HttpResponder responder)>;

    virtual ~HttpServer() = default;

    /** Sets the one request handler. Without one, requests are answered 503. */
    virtual void setHandler(Handler handler) = 0;
    /** Starts listening; returns the bound port. Fails if already listening or the bind fails. */
    virtual Result<quint16> listen(const HttpServerOptions &options) = 0;
    virtual bool isListening() const = 0;
    /** The bound port, 0 if not listening. */
    virtual quint16 serverPort() const = 0;
    /** TLS configuration for connections accepted from now on (certificate rotation). */
    virtual void setTlsConfiguration(const QSslConfiguration &configuration) = 0;
    /**
     * Graceful stop: no new connections; idle connections close now, busy ones after their
     * pending responses (sent with "Connection: close").
     */
    virtual void stopAccepting() = 0;
    /** Immediate stop: stops listening and closes every connection; pending responders go inert. */
    virtual void close() = 0;
    /** Open client connections (for tests and the dashboard). */
    virtual int connectionCount() const = 0;
};

/** Creates the production server (our HTTP/1.1 implementation over QTcpServer/QSslServer). */
std::unique_ptr<HttpServer> createHttpServer();

} // namespace Pm::Net
