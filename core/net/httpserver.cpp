#include "core/net/http1server_p.h"
#include "core/net/netlog_p.h"

#include <QDateTime>
#include <QLocale>
#include <QScopedValueRollback>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Pm::Net {

namespace Internal {
Q_LOGGING_CATEGORY(lcNet, "pm.net", QtWarningMsg)
}

// ---------------------------------------------------------------------------------------------
// HttpResponder

HttpResponder::HttpResponder(Internal::ServerConnection *connection, quint64 sequence)
    : m_connection(connection)
    , m_sequence(sequence)
{
}

HttpResponder::HttpResponder(HttpResponder &&other) noexcept
    : m_connection(std::move(other.m_connection))
    , m_sequence(std::exchange(other.m_sequence, 0))
{
    other.m_connection.clear();
}

HttpResponder &HttpResponder::operator=(HttpResponder &&other) noexcept
{
    if (this != &other) {
        if (isPending())
            respond(500);
        m_connection = std::move(other.m_connection);
        other.m_connection.clear();
        m_sequence = std::exchange(other.m_sequence, 0);
    }
    return *this;
}

HttpResponder::~HttpResponder()
{
    if (isPending())
        respond(500, {{"Content-Type"_ba, "text/plain"_ba}}, "request was not answered\n"_ba);
}

void HttpResponder::respond(int status, HttpHeaders headers, QByteArray body)
{
    const quint64 sequence = std::exchange(m_sequence, 0);
    if (sequence == 0 || !m_connection)
        return;
    Q_ASSERT_X(m_connection->thread() == QThread::currentThread(), "HttpResponder::respond",
               "answer from the server's thread");
    static_cast<Internal::ServerConnection *>(m_connection.data())
        ->respond(sequence, status, std::move(headers), std::move(body));
    m_connection.clear();
}

bool HttpResponder::isConnected() const
{
    return m_connection && static_cast<const Internal::ServerConnection *>(m_connection.data())->isOpen();
}

std::unique_ptr<HttpServer> createHttpServer()
{
    return std::make_unique<Internal::Http1Server>();
}

namespace Internal {

namespace {

/** The Date header value, formatted at most once per second per thread. */
const QByteArray &httpDate()
{
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cached;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (now != cachedSecond) {
        cachedSecond = now;
        cached = QLocale::c()
                     .toString(QDateTime::fromSecsSinceEpoch(now, Qt::UTC),
                               u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s)
                     .toLatin1();
    }
    return cached;
}

bool statusHasNoBody(int status)
{
    return (status >= 100 && status < 200) || status == 204 || status == 304;
}

QByteArray serializeResponse(int status, const HttpHeaders &headers, const QByteArray &body,
                             bool head, bool closeAfter, int versionMinor)
{
    const bool noBody = statusHasNoBody(status);
    qsizetype size = 96 + (head || noBody ? 0 : body.size());
    for (const auto &[name, value] : headers.fields())
        size += name.size() + value.size() + 4;
    QByteArray out;
    out.reserve(size);
    out += "HTTP/1.1 "_ba;
    out += QByteArray::number(status);
    out += ' ';
    out += reasonPhrase(status);
    out += "\r\n"_ba;
    for (const auto &[name, value] : headers.fields()) {
        if (equalsIgnoringCase(name, "content-length") || equalsIgnoringCase(name, "connection")
            || equalsIgnoringCase(name, "transfer-encoding"))
            continue;
        out += name;
        out += ": "_ba;
        out += value;
        out += "\r\n"_ba;
    }
    if (!headers.contains("date")) {
        out += "Date: "_ba;
        out += httpDate();
        out += "\r\n"_ba;
    }
    if (!noBody) {
        out += "Content-Length: "_ba;
        out += QByteArray::number(body.size());
        out += "\r\n"_ba;
    }
    if (closeAfter)
        out += "Connection: close\r\n"_ba;
    else if (versionMinor == 0)
        out += "Connection: keep-alive\r\n"_ba;
    out += "\r\n"_ba;
    if (!head && !noBody)
        out += body;
    return out;
}

struct CallbackScope
{
    explicit CallbackScope(int &depth) : m_depth(depth) { ++m_depth; }
    ~CallbackScope() { --m_depth; }
    CallbackScope(const CallbackScope &) = delete;
    CallbackScope &operator=(const CallbackScope &) = delete;
    int &m_depth;
};

} // namespace

// ---------------------------------------------------------------------------------------------
// ServerConnection

ServerConnection::ServerConnection(Http1Server *server, QTcpSocket *socket,
                                   const HttpServerOptions &options)
    : m_server(server)
    , m_socket(socket)
    , m_options(options)
    , m_parser(MessageParser::Kind::Request, options.maxHeaderBytes, options.maxBodyBytes)
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_peerAddress = m_socket->peerAddress();
    m_peerPort = m_socket->peerPort();
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        m_peerCertificate = ssl->peerCertificate();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ServerConnection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &ServerConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &ServerConnection::onDisconnected);
    updateTimer();
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &ServerConnection::onReadyRead, Qt::QueuedConnection);
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &ServerConnection::finish, Qt::QueuedConnection);
}

ServerConnection::~ServerConnection()
{
    m_open = false;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void ServerConnection::onReadyRead()
{
    if (!m_open)
        return;
    m_buffer.append(m_socket->readAll());
    processInput();
}

void ServerConnection::processInput()
{
    if (m_processing || !m_open)
        return;
    QScopedValueRollback guard(m_processing, true);
    CallbackScope scope(m_callbackDepth);

    qsizetype offset = 0;
    while (m_open && !m_stopReading
           && m_slots.size() < size_t(std::max(1, m_options.maxPipelinedRequests))) {
        const QByteArrayView input = QByteArrayView(m_buffer).sliced(offset);
        const MessageParser::State state = m_parser.parse(input);
        if (state == MessageParser::State::NeedMore) {
            if (m_parser.headComplete() && m_parser.expectsBody() && !m_sentContinue
                && m_slots.empty() && m_parser.headers.hasToken("expect", "100-continue")) {
                m_sentContinue = true;
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n"_ba);
            }
            break;
        }
        if (state == MessageParser::State::Failed) {
            qCDebug(lcNet) << "bad request from" << m_peerAddress << m_parser.errorText;
            queueError(m_parser.errorStatus, m_parser.errorText);
            offset = m_buffer.size();
            break;
        }

        offset += m_parser.consumed();
        MessageParser &p = m_parser;
        if (p.versionMinor == 1 && p.headers.values("host").size() != 1) {
            queueError(400, "missing or repeated Host header"_ba);
            offset = m_buffer.size();
            break;
        }

        HttpRequest request;
        request.method = std::move(p.method);
        request.target = std::move(p.target);
        request.headers = std::move(p.headers);
        request.body = std::move(p.body);
        request.versionMinor = p.versionMinor;
        request.peerAddress = m_peerAddress;
        request.peerPort = m_peerPort;
        request.peerCertificate = m_peerCertificate;

        QByteArrayView pathPart = request.target;
        if (!pathPart.startsWith('/') && pathPart != "*") {
            // absolute-form: scheme://authority/path?query
            const qsizetype scheme = pathPart.indexOf("://");
            const qsizetype slash = scheme < 0 ? -1 : pathPart.indexOf('/', scheme + 3);
            pathPart = slash < 0 ? QByteArrayView("/") : pathPart.sliced(slash);
        }
        const qsizetype question = pathPart.indexOf('?');
        if (question >= 0) {
            request.query = QUrlQuery(QString::fromUtf8(pathPart.sliced(question + 1)));
            pathPart = pathPart.first(question);
        }
        request.path = QUrl::fromPercentEncoding(pathPart.toByteArray());

        const bool head = request.method == "HEAD";
        const bool closeAfter = request.versionMinor == 0
                                    ? !request.headers.hasToken("connection", "keep-alive")
                                    : request.headers.hasToken("connection", "close");
        p.reset();
        m_sentContinue = false;
        if (closeAfter)
            m_stopReading = true;
        dispatch(std::move(request), head, closeAfter);
    }
    if (offset > 0)
        m_buffer.remove(0, offset);
    if (m_stopReading)
        m_buffer.clear();
    updateTimer();
}

void ServerConnection::dispatch(HttpRequest request, bool head, bool closeAfter)
{
    const quint64 sequence = m_nextSequence++;
    Slot slot;
    slot.sequence = sequence;
    slot.head = head;
    slot.closeAfter = closeAfter || m_closeWhenIdle;
    slot.versionMinor = request.versionMinor;
    m_slots.push_back(std::move(slot));

    const std::shared_ptr<HttpServer::Handler> handler = m_server ? m_server->handler() : nullptr;
    if (!handler) {
        respond(sequence, 503, {{"Content-Type"_ba, "text/plain"_ba}}, "no handler\n"_ba);
        return;
    }
    (*handler)(std::move(request), HttpResponder(this, sequence));
}

void ServerConnection::queueError(int status, const QByteArray &text)
{
    m_stopReading = true;
    Slot slot;
    slot.sequence = m_nextSequence++;
    slot.closeAfter = true;
    m_slots.push_back(std::move(slot));
    respond(m_slots.back().sequence, status, {{"Content-Type"_ba, "text/plain"_ba}}, text + '\n');
}

ServerConnection::Slot *ServerConnection::findSlot(quint64 sequence)
{
    for (Slot &slot : m_slots) {
        if (slot.sequence == sequence)
            return &slot;
    }
    return nullptr;
}

void ServerConnection::respond(quint64 sequence, int status, HttpHeaders headers, QByteArray body)
{
    if (!m_open)
        return;
    Slot *slot = findSlot(sequence);
    if (!slot || slot->ready)
        return;
    if (status < 100 || status > 999)
        status = 500;
    if (headers.hasToken("connection", "close"))
        slot->closeAfter = true;
    slot->closeAfter = slot->closeAfter || m_closeWhenIdle;
    slot->data = serializeResponse(status, headers, body, slot->head, slot->closeAfter,
                                   slot->versionMinor);
    slot->ready = true;
    flush();
}

void ServerConnection::flush()
{
    const bool wasFull = m_slots.size() >= size_t(std::max(1, m_options.maxPipelinedRequests));
    bool closing = false;
    bool wrote = false;
    while (m_open && !m_slots.empty() && m_slots.front().ready) {
        Slot slot = std::move(m_slots.front());
        m_slots.pop_front();
        m_socket->write(slot.data);
        wrote = true;
        if (slot.closeAfter) {
            closing = true;
            break;
        }
    }
    // Hand the bytes to the kernel (and to TLS) now rather than on the next event loop pass:
    // saves a loop iteration and the write notifier's epoll changes per response.
    if (wrote && m_open)
        m_socket->flush();
    if (!m_open)
        return;
    if (closing || (m_closeWhenIdle && m_slots.empty())) {
        m_slots.clear();
        m_stopReading = true;
        m_timer.stop();
        m_socket->disconnectFromHost(); // writes what is buffered, then closes
        return;
    }
    if (wasFull && !m_stopReading && !m_buffer.isEmpty())
        processInput(); // pipelining limit was reached; resume (no-op if already processing)
    updateTimer();
}

void ServerConnection::updateTimer()
{
    if (!m_open || !m_slots.empty() || m_stopReading) {
        if (m_timerKind != TimerKind::None) {
            m_timer.stop();
            m_timerKind = TimerKind::None;
        }
        return;
    }
    if (m_buffer.isEmpty()) {
        m_timerKind = TimerKind::Idle;
        m_timer.start(m_options.idleTimeout);
    } else if (m_timerKind != TimerKind::Request) {
        m_timerKind = TimerKind::Request;
        m_timer.start(m_options.requestTimeout);
    }
}

void ServerConnection::onTimeout()
{
    if (!m_open)
        return;
    if (m_timerKind == TimerKind::Request) {
        qCDebug(lcNet) << "request timeout from" << m_peerAddress;
        m_buffer.clear();
        m_parser.reset();
        queueError(408, "request not received in time"_ba);
        return;
    }
    m_timerKind = TimerKind::None;
    closeWhenIdle();
}

void ServerConnection::closeWhenIdle()
{
    m_closeWhenIdle = true;
    if (m_slots.empty() && m_open) {
        m_stopReading = true;
        m_socket->disconnectFromHost();
    }
}

void ServerConnection::abortNow()
{
    if (!m_open)
        return;
    m_socket->abort(); // emits disconnected() if it was connected
    finish();
}

void ServerConnection::onDisconnected()
{
    finish();
}

void ServerConnection::finish()
{
    if (!m_open)
        return;
    m_open = false;
    m_slots.clear();
    m_timer.stop();
    if (m_server)
        m_server->connectionFinished(this);
    m_server = nullptr;
    deleteLater();
}

// ---------------------------------------------------------------------------------------------
// Http1Server

Http1Server::Http1Server() = default;

Http1Server::~Http1Server()
{
    close();
}

Result<quint16> Http1Server::listen(const HttpServerOptions &options)
{
    if (m_listener)
        return fail(0, u"HTTP server is already listening on port %1"_s.arg(serverPort()));
    m_options = options;
    if (options.tls) {
        if (!QSslSocket::supportsSsl())
            return fail(0, u"HTTP server cannot use TLS: no TLS backend available"_s);
        if (options.tls->localCertificate().isNull() || options.tls->privateKey().isNull())
            return fail(0, u"HTTP server TLS configuration lacks a certificate or private key"_s);
        auto ssl = std::make_unique<QSslServer>();
        ssl->setSslConfiguration(*options.tls);
        ssl->setHandshakeTimeout(int(options.tlsHandshakeTimeout.count()));
        QObject::connect(ssl.get(), &QSslServer::errorOccurred, this,
                         [](QSslSocket *socket, QAbstractSocket::SocketError) {
                             qCDebug(lcNet) << "TLS connection from" << socket->peerAddress()
                                            << "failed:" << socket->errorString();
                         });
        QObject::connect(ssl.get(), &QSslServer::peerVerifyError, this,
                         [](QSslSocket *socket, const QSslError &error) {
                             qCDebug(lcNet) << "client certificate from" << socket->peerAddress()
                                            << "rejected:" << error.errorString();
                         });
        m_listener = std::move(ssl);
    } else {
        m_listener = std::make_unique<QTcpServer>();
    }
    QObject::connect(m_listener.get(), &QTcpServer::pendingConnectionAvailable, this,
                     &Http1Server::onPendingConnection);
    if (!m_listener->listen(options.address, options.port)) {
        const QString why = m_listener->errorString();
        m_listener.reset();
        return fail(0, u"HTTP server cannot listen on %1:%2"_s.arg(options.address.toString())
                           .arg(options.port),
                    why);
    }
    return m_listener->serverPort();
}

bool Http1Server::isListening() const
{
    return m_listener && m_listener->isListening();
}

quint16 Http1Server::serverPort() const
{
    return isListening() ? m_listener->serverPort() : quint16(0);
}

void Http1Server::setTlsConfiguration(const QSslConfiguration &configuration)
{
    m_options.tls = configuration;
    if (auto *ssl = qobject_cast<QSslServer *>(m_listener.get()))
        ssl->setSslConfiguration(configuration);
}

void Http1Server::onPendingConnection()
{
    while (QTcpSocket *socket = m_listener->nextPendingConnection()) {
        if (int(m_connections.size()) >= m_options.maxConnections) {
            qCWarning(lcNet) << "HTTP server: connection limit" << m_options.maxConnections
                             << "reached; closing connection from" << socket->peerAddress();
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto *connection = new ServerConnection(this, socket, m_options);
        m_connections.insert(connection);
    }
}

void Http1Server::connectionFinished(ServerConnection *connection)
{
    m_connections.erase(connection);
}

void Http1Server::stopListening()
{
    if (!m_listener)
        return;
    m_listener->close();
    m_listener->disconnect(this);
    // Sockets still in the TLS handshake are children of the listener and go with it. No code of
    // ours runs inside the listener's signals, so it can be deleted at once.
    m_listener.reset();
}

void Http1Server::stopAccepting()
{
    stopListening();
    const auto connections = m_connections;
    for (ServerConnection *connection : connections)
        connection->closeWhenIdle();
}

void Http1Server::close()
{
    stopListening();
    const auto connections = std::exchange(m_connections, {});
    for (ServerConnection *connection : connections) {
        connection->detachFromServer();
        const bool busy = connection->isInCallback();
        connection->abortNow();
        if (!busy)
            delete connection;
    }
}

} // namespace Internal
} // namespace Pm::Net
