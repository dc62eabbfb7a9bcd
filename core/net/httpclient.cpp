#include "core/net/httpclient_p.h"
#include "core/net/netlog_p.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimerEvent>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Pm::Net {

namespace {

/** FSPIOP error code 1001, "Destination communication error". */
constexpr int DestinationCommunicationError = 1001;

HttpClientError makeError(HttpClientErrorKind kind, QString message, QString detail,
                          bool mayHaveBeenProcessed)
{
    HttpClientError error;
    error.code = DestinationCommunicationError;
    error.message = std::move(message);
    error.detail = std::move(detail);
    error.kind = kind;
    error.requestMayHaveBeenProcessed = mayHaveBeenProcessed;
    return error;
}

int remainingMs(const QDeadlineTimer &deadline)
{
    return int(std::clamp<qint64>(deadline.remainingTime(), 0, std::numeric_limits<int>::max()));
}

bool isToken(const QByteArray &s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

QString poolKeyFor(const QUrl &url)
{
    const bool tls = url.scheme() == "https"_L1;
    return url.scheme() + "://"_L1 + url.host() + u':' + QString::number(url.port(tls ? 443 : 80));
}

} // namespace

std::unique_ptr<HttpClient> createHttpClient(HttpClientOptions options)
{
    return std::make_unique<Internal::PooledHttpClient>(std::move(options));
}

namespace Internal {

// ---------------------------------------------------------------------------------------------
// ClientConnection

ClientConnection::ClientConnection(PooledHttpClient *client, QString poolKey, bool tls,
                                   QString host, quint16 port, quint64 generation)
    : m_client(client)
    , m_poolKey(std::move(poolKey))
    , m_tls(tls)
    , m_host(std::move(host))
    , m_port(port)
    , m_generation(generation)
    , m_parser(MessageParser::Kind::Response, client->options().maxResponseHeaderBytes,
               client->options().maxResponseBodyBytes)
{
}

ClientConnection::~ClientConnection()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

QString ClientConnection::peer() const
{
    return (m_host.contains(u':') ? u'[' + m_host + u']' : m_host) + u':' + QString::number(m_port);
}

void ClientConnection::open(std::unique_ptr<Exchange> exchange, const QSslConfiguration &tls)
{
    m_exchange = std::move(exchange);
    m_deadlineTimer.start(remainingMs(m_exchange->deadline), this);
    if (m_tls) {
        auto *ssl = new QSslSocket(this);
        QSslConfiguration configuration = tls;
        configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
        ssl->setSslConfiguration(configuration);
        connect(ssl, &QSslSocket::encrypted, this, &ClientConnection::onReady);
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            for (const QSslError &e : errors)
                m_tlsErrors.append(e.errorString());
        });
        connect(ssl, &QSslSocket::alertReceived, this,
                [this](QSsl::AlertLevel level, QSsl::AlertType, const QString &description) {
                    if (level == QSsl::AlertLevel::Fatal)
                        m_alert = description;
                });
        m_socket = ssl;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &ClientConnection::onReady);
    }
    connect(m_socket, &QTcpSocket::readyRead, this, &ClientConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &ClientConnection::onSocketError);
    connect(m_socket, &QTcpSocket::disconnected, this, &ClientConnection::onSocketError);
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        ssl->connectToHostEncrypted(m_host, m_port);
    else
        m_socket->connectToHost(m_host, m_port);
}

void ClientConnection::onReady()
{
    if (m_closed)
        return;
    m_ready = true;
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_exchange)
        writeRequest();
    else
        m_client->connectionIdle(this);
}

void ClientConnection::send(std::unique_ptr<Exchange> exchange)
{
    Q_ASSERT(isIdle());
    m_idleTimer.stop();
    m_exchange = std::move(exchange);
    m_deadlineTimer.start(remainingMs(m_exchange->deadline), this);
    writeRequest();
}

void ClientConnection::writeRequest()
{
    const HttpClientRequest &r = m_exchange->request;
    QByteArray target = r.url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority
                                        | QUrl::RemoveFragment);
    if (target.isEmpty())
        target = "/"_ba;
    const bool defaultPort = r.url.port() < 0 || r.url.port() == (m_tls ? 443 : 80);
    QByteArray out;
    qsizetype size = 64 + target.size() + m_host.size() + r.body.size();
    for (const auto &[name, value] : r.headers.fields())
        size += name.size() + value.size() + 4;
    out.reserve(size);
    out += r.method;
    out += ' ';
    out += target;
    out += " HTTP/1.1\r\nHost: "_ba;
    out += m_host.contains(u':') ? '[' + m_host.toLatin1() + ']' : m_host.toLatin1();
    if (!defaultPort) {
        out += ':';
        out += QByteArray::number(m_port);
    }
    out += "\r\n"_ba;
    for (const auto &[name, value] : r.headers.fields()) {
        if (equalsIgnoringCase(name, "host") || equalsIgnoringCase(name, "content-length")
            || equalsIgnoringCase(name, "connection") || equalsIgnoringCase(name, "transfer-encoding"))
            continue;
        out += name;
        out += ": "_ba;
        out += value;
        out += "\r\n"_ba;
    }
    m_closeAfterExchange = r.headers.hasToken("connection", "close");
    if (m_closeAfterExchange)
        out += "Connection: close\r\n"_ba;
    if (!r.body.isEmpty() || r.method == "POST" || r.method == "PUT" || r.method == "PATCH") {
        out += "Content-Length: "_ba;
        out += QByteArray::number(r.body.size());
        out += "\r\n"_ba;
    }
    out += "\r\n"_ba;
    out += r.body;

    m_parser.reset();
    m_parser.setRequestWasHead(r.method == "HEAD");
    m_requestSent = true;
    m_receivedForExchange = 0;
    m_socket->write(out);
    m_socket->flush(); // now, not on the next event loop pass (see ServerConnection::flush)
}

void ClientConnection::onReadyRead()
{
    if (m_closed)
        return;
    const QByteArray bytes = m_socket->readAll();
    m_receivedForExchange += bytes.size();
    m_buffer.append(bytes);
    if (!m_exchange) {
        // Nothing is expected on an idle connection: the peer misbehaves; do not reuse it.
        qCDebug(lcNet) << "unexpected data from" << peer() << "on an idle connection";
        closeNow();
        return;
    }
    parseResponse();
}

void ClientConnection::parseResponse()
{
    while (m_exchange && !m_closed) {
        const MessageParser::State state = m_parser.parse(m_buffer);
        if (state == MessageParser::State::NeedMore)
            return;
        if (state == MessageParser::State::Failed) {
            failExchange(HttpClientErrorKind::ProtocolError,
                         u"Invalid HTTP response from %1: %2"_s.arg(peer(),
                                                                  QString::fromLatin1(m_parser.errorText)),
                         {});
            return;
        }
        m_buffer.remove(0, m_parser.consumed());
        if (m_parser.status >= 100 && m_parser.status < 200) {
            // Interim response (100 Continue and the like): the real one follows.
            const bool head = m_exchange->request.method == "HEAD";
            m_parser.reset();
            m_parser.setRequestWasHead(head);
            continue;
        }
        HttpClientResponse response;
        response.status = m_parser.status;
        response.reason = std::move(m_parser.reason);
        response.headers = std::move(m_parser.headers);
        response.body = std::move(m_parser.body);
        const bool keepAlive = m_parser.versionMinor >= 1
                                   ? !response.headers.hasToken("connection", "close")
                                   : response.headers.hasToken("connection", "keep-alive");
        m_parser.reset();
        succeed(std::move(response), keepAlive && m_buffer.isEmpty() && !m_closeAfterExchange);
        return;
    }
}

void ClientConnection::succeed(HttpClientResponse response, bool keepAlive)
{
    m_deadlineTimer.stop();
    ++m_served;
    m_requestSent = false;
    m_client->deliver(std::move(m_exchange), HttpClientResult(std::move(response)));
    if (!keepAlive || m_retired) {
        closeNow();
        return;
    }
    m_idleTimer.start(int(m_client->options().idleTimeout.count()), this);
    m_client->connectionIdle(this);
}

void ClientConnection::failExchange(HttpClientErrorKind kind, const QString &message,
                                    const QString &detail)
{
    std::unique_ptr<Exchange> exchange = std::move(m_exchange);
    const bool sent = m_requestSent;
    const bool reused = m_served > 0;
    const bool receivedNothing = m_receivedForExchange == 0;
    closeNow();
    if (!exchange)
        return;
    if (kind == HttpClientErrorKind::ConnectionClosed && reused && receivedNothing
        && exchange->attempt == 0) {
        // The peer closed a kept-alive connection as we reused it (its idle timeout raced our
        // request). It did not answer a single byte, so it did not process the request.
        qCDebug(lcNet) << "retrying on a new connection to" << peer();
        ++exchange->attempt;
        m_client->retry(std::move(exchange));
        return;
    }
    const bool mayHaveBeenProcessed = sent
                                      && (kind == HttpClientErrorKind::Timeout
                                          || kind == HttpClientErrorKind::ConnectionClosed
                                          || kind == HttpClientErrorKind::ProtocolError);
    m_client->deliver(std::move(exchange),
                      std::unexpected(makeError(kind, message, detail, mayHaveBeenProcessed)));
}

void ClientConnection::onSocketError()
{
    if (m_closed)
        return;
    if (!m_exchange) {
        closeNow(); // an idle connection went away
        return;
    }
    if (m_socket->error() == QAbstractSocket::RemoteHostClosedError
        || m_socket->state() == QAbstractSocket::UnconnectedState) {
        // Read what arrived before the close; a read-until-close body completes here.
        const QByteArray bytes = m_socket->readAll();
        m_receivedForExchange += bytes.size();
        m_buffer.append(bytes);
        parseResponse();
        if (!m_exchange || m_closed)
            return;
        if (m_parser.finishAtEndOfStream() == MessageParser::State::Complete && m_parser.status) {
            HttpClientResponse response;
            response.status = m_parser.status;
            response.reason = std::move(m_parser.reason);
            response.headers = std::move(m_parser.headers);
            response.body = std::move(m_parser.body);
            succeed(std::move(response), false);
            return;
        }
    }
    failFromSocket();
}

void ClientConnection::failFromSocket()
{
    const QAbstractSocket::SocketError error = m_socket->error();
    const QString text = m_socket->errorString();
    const QString where = peer();
    if (!m_alert.isEmpty()) {
        failExchange(HttpClientErrorKind::TlsFailure,
                     u"TLS peer %1 rejected the connection: %2"_s.arg(where, m_alert), text);
        return;
    }
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        failExchange(HttpClientErrorKind::ConnectionRefused, u"Connection refused by %1"_s.arg(where),
                     text);
        return;
    case QAbstractSocket::HostNotFoundError:
        failExchange(HttpClientErrorKind::HostNotFound, u"Host not found: %1"_s.arg(m_host), text);
        return;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError: {
        const QString cause = m_tlsErrors.isEmpty() ? text : m_tlsErrors.first();
        failExchange(HttpClientErrorKind::TlsFailure,
                     u"TLS handshake with %1 failed: %2"_s.arg(where, cause),
                     m_tlsErrors.size() > 1 ? m_tlsErrors.join(u"; "_s) : QString());
        return;
    }
    default:
        break;
    }
    if (m_tls && m_served == 0 && m_receivedForExchange == 0
        && error == QAbstractSocket::RemoteHostClosedError) {
        // With TLS 1.3 the client's side of the handshake completes before the server has checked
        // the client certificate; a server that rejects it (Qt's does so without an alert) just
        // closes the new connection before answering anything.
        failExchange(HttpClientErrorKind::TlsFailure,
                     u"TLS peer %1 closed the new connection without answering "
                     "(client certificate not accepted?)"_s.arg(where),
                     text);
        return;
    }
    if (m_tls && !m_ready) {
        failExchange(HttpClientErrorKind::TlsFailure,
                     u"TLS handshake with %1 failed: %2"_s.arg(where, text), {});
        return;
    }
    if (!m_ready) {
        failExchange(HttpClientErrorKind::ConnectionRefused,
                     u"Cannot connect to %1: %2"_s.arg(where, text), {});
        return;
    }
    failExchange(HttpClientErrorKind::ConnectionClosed,
                 u"Connection to %1 closed before the response was complete"_s.arg(where), text);
}

void ClientConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_idleTimer.timerId()) {
        m_idleTimer.stop();
        if (isIdle())
            closeNow();
        return;
    }
    if (event->timerId() == m_deadlineTimer.timerId()) {
        m_deadlineTimer.stop();
        if (!m_exchange)
            return;
        const auto ms = m_exchange->request.timeout.count();
        const QString message = m_ready
            ? u"No response from %1 within %2 ms"_s.arg(peer()).arg(ms)
            : u"Connecting to %1 timed out after %2 ms"_s.arg(peer()).arg(ms);
        failExchange(HttpClientErrorKind::Timeout, message, {});
        return;
    }
    QObject::timerEvent(event);
}

void ClientConnection::retire()
{
    m_retired = true;
    if (!m_exchange)
        closeNow();
}

void ClientConnection::closeNow()
{
    if (m_closed)
        return;
    m_closed = true;
    m_ready = false;
    m_deadlineTimer.stop();
    m_idleTimer.stop();
    m_exchange.reset();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    m_client->connectionClosed(this); // removes us from the pool and deletes us later
}

// ---------------------------------------------------------------------------------------------
// PooledHttpClient

PooledHttpClient::PooledHttpClient(HttpClientOptions options)
    : m_options(std::move(options))
    , m_tls(m_options.tls.value_or(QSslConfiguration::defaultConfiguration()))
{
    m_options.maxConnectionsPerHost = std::max(1, m_options.maxConnectionsPerHost);
    m_queueTimer.setSingleShot(true);
    connect(&m_queueTimer, &QTimer::timeout, this, &PooledHttpClient::expireQueued);
}

PooledHttpClient::~PooledHttpClient()
{
    auto pools = std::exchange(m_pools, {});
    for (auto &[key, pool] : pools) {
        for (ClientConnection *connection : pool.connections)
            delete connection;
    }
}

HttpClient::RequestId PooledHttpClient::send(HttpClientRequest request, const QObject *context,
                                             Callback callback)
{
    auto exchange = std::make_unique<Exchange>();
    exchange->id = ++m_nextId;
    if (request.timeout <= std::chrono::milliseconds(0))
        request.timeout = m_options.defaultTimeout;
    exchange->deadline = QDeadlineTimer(request.timeout);
    exchange->context = context;
    exchange->hasContext = context != nullptr;
    exchange->callback = std::move(callback);
    const RequestId id = exchange->id;

    const QUrl &url = request.url;
    const QString scheme = url.scheme();
    QString problem;
    if (!url.isValid() || (scheme != "http"_L1 && scheme != "https"_L1) || url.host().isEmpty())
        problem = u"Invalid request URL: %1"_s.arg(url.toDisplayString());
    else if (!isToken(request.method))
        problem = u"Invalid request method: %1"_s.arg(QString::fromLatin1(request.method));
    exchange->request = std::move(request);
    if (!problem.isEmpty()) {
        deliver(std::move(exchange), std::unexpected(makeError(HttpClientErrorKind::InvalidRequest,
                                                               problem, {}, false)));
        return id;
    }
    dispatch(std::move(exchange));
    return id;
}

void PooledHttpClient::dispatch(std::unique_ptr<Exchange> exchange)
{
    const QString key = poolKeyFor(exchange->request.url);
    Pool &pool = m_pools[key];
    for (ClientConnection *connection : pool.connections) {
        if (connection->isIdle()) {
            connection->send(std::move(exchange));
            return;
        }
    }
    if (int(pool.connections.size()) < m_options.maxConnectionsPerHost) {
        openConnection(pool, key, std::move(exchange));
        return;
    }
    pool.queue.push_back(std::move(exchange));
    armQueueTimer();
}

void PooledHttpClient::openConnection(Pool &pool, const QString &key,
                                      std::unique_ptr<Exchange> exchange)
{
    const QUrl &url = exchange->request.url;
    const bool tls = url.scheme() == "https"_L1;
    auto *connection = new ClientConnection(this, key, tls, url.host(),
                                            quint16(url.port(tls ? 443 : 80)), m_generation);
    pool.connections.push_back(connection);
    connection->open(std::move(exchange), m_tls);
}

void PooledHttpClient::retry(std::unique_ptr<Exchange> exchange)
{
    const QString key = poolKeyFor(exchange->request.url);
    Pool &pool = m_pools[key];
    // A fresh connection even if the pool is full: the stale one has just been removed.
    openConnection(pool, key, std::move(exchange));
}

void PooledHttpClient::connectionIdle(ClientConnection *connection)
{
    if (connection->isTls() && connection->generation() != m_generation) {
        connection->retire();
        return;
    }
    auto it = m_pools.find(connection->poolKey());
    if (it == m_pools.end())
        return;
    Pool &pool = it->second;
    if (!pool.queue.empty()) {
        std::unique_ptr<Exchange> next = std::move(pool.queue.front());
        pool.queue.pop_front();
        connection->send(std::move(next));
    }
}

void PooledHttpClient::connectionClosed(ClientConnection *connection)
{
    auto it = m_pools.find(connection->poolKey());
    if (it != m_pools.end()) {
        Pool &pool = it->second;
        std::erase(pool.connections, connection);
        if (!pool.queue.empty()
            && int(pool.connections.size()) < m_options.maxConnectionsPerHost) {
            std::unique_ptr<Exchange> next = std::move(pool.queue.front());
            pool.queue.pop_front();
            openConnection(pool, it->first, std::move(next));
        } else if (pool.connections.empty() && pool.queue.empty()) {
            m_pools.erase(it);
        }
    }
    // Called from the connection's own socket handlers: delete it once they have returned.
    connection->deleteLater();
}

void PooledHttpClient::deliver(std::unique_ptr<Exchange> exchange, HttpClientResult result)
{
    Delivery delivery{std::move(exchange->callback), exchange->context, exchange->hasContext,
                      exchange->id, std::move(result)};
    m_deliveries.push_back(std::move(delivery));
    if (!m_deliveryScheduled) {
        m_deliveryScheduled = true;
        QMetaObject::invokeMethod(this, &PooledHttpClient::deliverPending, Qt::QueuedConnection);
    }
}

void PooledHttpClient::deliverPending()
{
    m_deliveryScheduled = false;
    std::deque<Delivery> batch = std::exchange(m_deliveries, {});
    QPointer<PooledHttpClient> self(this);
    for (Delivery &delivery : batch) {
        if (delivery.hasContext && !delivery.context)
            continue;
        if (delivery.callback)
            delivery.callback(std::move(delivery.result));
        if (!self)
            return; // a callback destroyed the client
    }
}

void PooledHttpClient::cancel(RequestId id)
{
    std::erase_if(m_deliveries, [id](const Delivery &d) { return d.id == id; });
    for (auto &[key, pool] : m_pools) {
        const auto before = pool.queue.size();
        std::erase_if(pool.queue, [id](const std::unique_ptr<Exchange> &e) { return e->id == id; });
        if (pool.queue.size() != before)
            return;
        for (ClientConnection *connection : pool.connections) {
            if (connection->carries(id)) {
                connection->closeNow(); // mid-exchange: the connection cannot be reused
                return;
            }
        }
    }
}

void PooledHttpClient::setTlsConfiguration(const QSslConfiguration &configuration)
{
    m_tls = configuration;
    ++m_generation;
    std::vector<ClientConnection *> tlsConnections;
    for (auto &[key, pool] : m_pools) {
        for (ClientConnection *connection : pool.connections) {
            if (connection->isTls())
                tlsConnections.push_back(connection);
        }
    }
    for (ClientConnection *connection : tlsConnections)
        connection->retire();
}

void PooledHttpClient::closeIdleConnections()
{
    std::vector<ClientConnection *> idle;
    for (auto &[key, pool] : m_pools) {
        for (ClientConnection *connection : pool.connections) {
            if (connection->isIdle())
                idle.push_back(connection);
        }
    }
    for (ClientConnection *connection : idle)
        connection->closeNow();
}

int PooledHttpClient::connectionCount() const
{
    int count = 0;
    for (const auto &[key, pool] : m_pools)
        count += int(pool.connections.size());
    return count;
}

void PooledHttpClient::expireQueued()
{
    for (auto &[key, pool] : m_pools) {
        for (auto it = pool.queue.begin(); it != pool.queue.end();) {
            if ((*it)->deadline.hasExpired()) {
                std::unique_ptr<Exchange> exchange = std::move(*it);
                it = pool.queue.erase(it);
                const QString message =
                    u"No connection to %1 became free within %2 ms"_s
                        .arg(key)
                        .arg(exchange->request.timeout.count());
                deliver(std::move(exchange),
                        std::unexpected(makeError(HttpClientErrorKind::Timeout, message, {}, false)));
            } else {
                ++it;
            }
        }
    }
    armQueueTimer();
}

void PooledHttpClient::armQueueTimer()
{
    qint64 earliest = -1;
    for (const auto &[key, pool] : m_pools) {
        for (const auto &exchange : pool.queue) {
            const qint64 left = std::max<qint64>(0, exchange->deadline.remainingTime());
            if (earliest < 0 || left < earliest)
                earliest = left;
        }
    }
    if (earliest < 0)
        m_queueTimer.stop();
    else
        m_queueTimer.start(int(std::min<qint64>(earliest + 1, std::numeric_limits<int>::max())));
}

} // namespace Internal
} // namespace Pm::Net
