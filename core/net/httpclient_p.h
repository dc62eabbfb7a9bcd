#pragma once

// Internal: the connection-pooling HTTP/1.1 client behind Pm::Net::HttpClient.

#include "core/net/httpclient.h"
#include "core/net/httpparser_p.h"

#include <QBasicTimer>
#include <QDeadlineTimer>
#include <QPointer>
#include <QSslError>
#include <QTimer>

#include <deque>
#include <map>
#include <vector>

class QTcpSocket;

namespace Pm::Net::Internal {

class PooledHttpClient;

/** One request on its way through the client. */
struct Exchange
{
    HttpClient::RequestId id = 0;
    HttpClientRequest request;
    QDeadlineTimer deadline;
    QPointer<const QObject> context;
    bool hasContext = false;
    HttpClient::Callback callback;
    int attempt = 0;
};

/** One persistent connection to one peer; carries one exchange at a time. */
class ClientConnection final : public QObject
{
    Q_OBJECT

public:
    ClientConnection(PooledHttpClient *client, QString poolKey, bool tls, QString host,
                     quint16 port, quint64 generation);
    ~ClientConnection() override;

    /** Starts connecting; `exchange` is sent once connected. */
    void open(std::unique_ptr<Exchange> exchange, const QSslConfiguration &tls);
    /** Sends on this idle, connected connection. */
    void send(std::unique_ptr<Exchange> exchange);
    bool isIdle() const { return m_ready && !m_exchange && !m_closed; }
    bool carries(HttpClient::RequestId id) const { return m_exchange && m_exchange->id == id; }
    const QString &poolKey() const { return m_poolKey; }
    quint64 generation() const { return m_generation; }
    bool isTls() const { return m_tls; }
    /** Close after the current exchange (or now if idle). */
    void retire();
    /** Closes at once; the current exchange (if any) is dropped without a callback. */
    void closeNow();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void onReady();
    void onReadyRead();
    void onSocketError();
    void writeRequest();
    void parseResponse();
    void succeed(HttpClientResponse response, bool keepAlive);
    void failExchange(HttpClientErrorKind kind, const QString &message, const QString &detail);
    void failFromSocket();
    void finishClose();
    QString peer() const;

    PooledHttpClient *m_client;
    QString m_poolKey;
    bool m_tls;
    QString m_host;
    quint16 m_port;
    quint64 m_generation;
    QTcpSocket *m_socket = nullptr;
    MessageParser m_parser;
    QByteArray m_buffer;
    std::unique_ptr<Exchange> m_exchange;
    QBasicTimer m_deadlineTimer;
    QBasicTimer m_idleTimer;
    QStringList m_tlsErrors;
    QString m_alert;
    int m_served = 0;
    qint64 m_receivedForExchange = 0; // response bytes received for the current exchange
    bool m_ready = false;        // connected (and encrypted for TLS)
    bool m_requestSent = false;
    bool m_retired = false;
    bool m_closeAfterExchange = false; // the caller asked for "Connection: close"
    bool m_closed = false;
};

/** The production HttpClient: per-host pools, FIFO queues, queued callback delivery. */
class PooledHttpClient final : public QObject, public HttpClient
{
    Q_OBJECT

public:
    explicit PooledHttpClient(HttpClientOptions options);
    ~PooledHttpClient() override;

    RequestId send(HttpClientRequest request, const QObject *context, Callback callback) override;
    void cancel(RequestId id) override;
    void setTlsConfiguration(const QSslConfiguration &configuration) override;
    void closeIdleConnections() override;
    int connectionCount() const override;

    // For ClientConnection.
    const HttpClientOptions &options() const { return m_options; }
    void deliver(std::unique_ptr<Exchange> exchange, HttpClientResult result);
    void connectionIdle(ClientConnection *connection);
    void connectionClosed(ClientConnection *connection);
    /** Sends again on a fresh connection (a reused connection had gone stale). */
    void retry(std::unique_ptr<Exchange> exchange);

private:
    struct Pool
    {
        std::vector<ClientConnection *> connections;
        std::deque<std::unique_ptr<Exchange>> queue;
    };
    struct Delivery
    {
        HttpClient::Callback callback;
        QPointer<const QObject> context;
        bool hasContext = false;
        HttpClient::RequestId id = 0;
        HttpClientResult result;
    };

    void dispatch(std::unique_ptr<Exchange> exchange);
    void openConnection(Pool &pool, const QString &key, std::unique_ptr<Exchange> exchange);
    void deliverPending();
    void expireQueued();
    void armQueueTimer();

    HttpClientOptions m_options;
    QSslConfiguration m_tls;
    quint64 m_generation = 1;
    RequestId m_nextId = 0;
    std::map<QString, Pool> m_pools;
    std::deque<Delivery> m_deliveries;
    bool m_deliveryScheduled = false;
    QTimer m_queueTimer;
};

} // namespace Pm::Net::Internal
