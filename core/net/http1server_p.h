#pragma once

// Internal: the HTTP/1.1 server behind Pm::Net::HttpServer (see docs/decisions/0005-http-server.md).

#include "core/net/httpparser_p.h"
#include "core/net/httpserver.h"

#include <QObject>
#include <QTimer>

#include <deque>
#include <memory>
#include <unordered_set>

class QTcpServer;
class QTcpSocket;

namespace Pm::Net::Internal {

class Http1Server;

/** One accepted client connection: parses requests, dispatches them, orders the responses. */
class ServerConnection final : public QObject
{
    Q_OBJECT

public:
    ServerConnection(Http1Server *server, QTcpSocket *socket, const HttpServerOptions &options);
    ~ServerConnection() override;

    /** Answers request `sequence`; ignored if unknown, already answered or the connection is closed. */
    void respond(quint64 sequence, int status, HttpHeaders headers, QByteArray body);
    bool isOpen() const { return m_open; }
    /** Graceful: close once every pending response has been sent. */
    void closeWhenIdle();
    /** Immediate: drop the connection; pending responders go inert. */
    void abortNow();
    /** Forget the server (it is being destroyed). */
    void detachFromServer() { m_server = nullptr; }
    bool isInCallback() const { return m_callbackDepth > 0; }

private:
    struct Slot
    {
        quint64 sequence = 0;
        bool ready = false;
        bool head = false;       // HEAD request: send no body
        bool closeAfter = false; // close the connection once this response is written
        int versionMinor = 1;
        QByteArray data;
    };

    void onReadyRead();
    void onDisconnected();
    void onTimeout();
    void processInput();
    void dispatch(HttpRequest request, bool head, bool closeAfter);
    void queueError(int status, const QByteArray &text);
    void flush();
    void updateTimer();
    void finish();
    Slot *findSlot(quint64 sequence);

    Http1Server *m_server;
    QTcpSocket *m_socket;
    HttpServerOptions m_options;
    MessageParser m_parser;
    QByteArray m_buffer;
    std::deque<Slot> m_slots;
    QTimer m_timer;
    enum class TimerKind { None, Idle, Request } m_timerKind = TimerKind::None;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    QSslCertificate m_peerCertificate;
    quint64 m_nextSequence = 1;
    int m_callbackDepth = 0;
    bool m_open = true;
    bool m_processing = false;
    bool m_stopReading = false;   // an error or "Connection: close" ended the request stream
    bool m_closeWhenIdle = false;
    bool m_sentContinue = false;
};

/** Listener plus connection set; the production implementation of HttpServer. */
class Http1Server final : public QObject, public HttpServer
{
    Q_OBJECT

public:
    Http1Server();
    ~Http1Server() override;

    void setHandler(Handler handler) override
    {
        m_handler = handler ? std::make_shared<Handler>(std::move(handler)) : nullptr;
    }
    Result<quint16> listen(const HttpServerOptions &options) override;
    bool isListening() const override;
    quint16 serverPort() const override;
    void setTlsConfiguration(const QSslConfiguration &configuration) override;
    void stopAccepting() override;
    void close() override;
    int connectionCount() const override { return int(m_connections.size()); }

    // For ServerConnection.
    /** Shared so that a handler that destroys the server is not destroyed while it runs. */
    std::shared_ptr<Handler> handler() const { return m_handler; }
    void connectionFinished(ServerConnection *connection);

private:
    void onPendingConnection();
    void stopListening();

    std::shared_ptr<Handler> m_handler;
    HttpServerOptions m_options;
    std::unique_ptr<QTcpServer> m_listener;
    std::unordered_set<ServerConnection *> m_connections;
};

} // namespace Pm::Net::Internal
