#include "core/net/httpclient.h"
#include "core/net/httpserver.h"

#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pm::Net;

namespace {

/** A scripted TCP peer: `script(connectionIndex, requestIndexOnConnection, socket)` answers. */
class RawServer : public QObject
{
public:
    using Script = std::function<void(int connection, int request, QTcpSocket *socket)>;

    explicit RawServer(Script script)
        : m_script(std::move(script))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                const int index = m_connections++;
                auto buffer = std::make_shared<QByteArray>();
                auto served = std::make_shared<int>(0);
                connect(socket, &QTcpSocket::readyRead, socket, [=, this] {
                    *buffer += socket->readAll();
                    qsizetype end;
                    while ((end = buffer->indexOf("\r\n\r\n")) >= 0) { // requests without bodies
                        buffer->remove(0, end + 4);
                        m_script(index, (*served)++, socket);
                    }
                });
            }
        });
        QVERIFY(m_server.listen(QHostAddress(QHostAddress::LocalHost), 0));
    }
    quint16 port() const { return m_server.serverPort(); }
    int connections() const { return m_connections; }

private:
    QTcpServer m_server;
    Script m_script;
    int m_connections = 0;
};

HttpClientRequest get(quint16 port, const QString &path)
{
    HttpClientRequest request;
    request.url = QUrl(u"http://127.0.0.1:%1%2"_s.arg(port).arg(path));
    return request;
}

} // namespace

class TestHttpClient : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;
    std::vector<HttpRequest> m_seen;
    std::function<void(HttpRequest &, HttpResponder &)> m_behaviour;

    /** Sends and waits for the callback; fails the test if it does not come. */
    std::optional<HttpClientResult> roundTrip(HttpClient &client, HttpClientRequest request,
                                              int ms = 5000)
    {
        std::optional<HttpClientResult> result;
        client.send(std::move(request), this, [&result](HttpClientResult r) { result = std::move(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, ms))
            return std::nullopt;
        return result;
    }

private slots:
    void init()
    {
        m_seen.clear();
        m_behaviour = nullptr;
        m_server = createHttpServer();
        m_server->setHandler([this](HttpRequest request, HttpResponder responder) {
            m_seen.push_back(request);
            if (m_behaviour) {
                m_behaviour(m_seen.back(), responder);
                return;
            }
            HttpHeaders headers{{"Content-Type"_ba, "text/plain"_ba}, {"X-Method"_ba, request.method}};
            responder.respond(200, headers, request.path.toUtf8() + ':' + request.body);
        });
        auto port = m_server->listen({});
        QVERIFY(port);
        m_port = *port;
    }

    void cleanup()
    {
        m_server.reset();
    }

    void returnsStatusHeadersAndBody()
    {
        auto client = createHttpClient();
        m_behaviour = [](HttpRequest &request, HttpResponder &responder) {
            responder.respond(201, {{"Location"_ba, "/transfers/1"_ba}, {"X-Echo"_ba, request.headers.value("x-trace")}},
                              "created:"_ba + request.body);
        };
        HttpClientRequest request = get(m_port, u"/transfers?a=b%20c"_s);
        request.method = "POST";
        request.headers.add("X-Trace"_ba, "abc"_ba);
        request.headers.add("Content-Length"_ba, "999"_ba); // ignored: the client computes it
        request.body = R"({"transferId":"1"})"_ba;
        const auto result = roundTrip(*client, request);
        QVERIFY(result);
        QVERIFY2(result->has_value(), qPrintable(result->has_value() ? QString() : (*result).error().message));
        const HttpClientResponse &response = **result;
        QCOMPARE(response.status, 201);
        QCOMPARE(response.reason, "Created"_ba);
        QCOMPARE(response.headers.value("location"), "/transfers/1"_ba);
        QCOMPARE(response.headers.value("x-echo"), "abc"_ba);
        QCOMPARE(response.body, "created:"_ba + request.body);

        QCOMPARE(m_seen.size(), size_t(1));
        QCOMPARE(m_seen[0].method, "POST"_ba);
        QCOMPARE(m_seen[0].target, "/transfers?a=b%20c"_ba);
        QCOMPARE(m_seen[0].headers.value("host"), "127.0.0.1:"_ba + QByteArray::number(m_port));
        QCOMPARE(m_seen[0].headers.value("content-length"), QByteArray::number(request.body.size()));
    }

    void errorStatusIsAResponse()
    {
        auto client = createHttpClient();
        m_behaviour = [](HttpRequest &, HttpResponder &responder) { responder.respond(404, {}, "nope"_ba); };
        const auto result = roundTrip(*client, get(m_port, u"/missing"_s));
        QVERIFY(result && result->has_value());
        QCOMPARE((*result)->status, 404);
        QCOMPARE((*result)->body, "nope"_ba);
    }

    void headResponseHasNoBody()
    {
        auto client = createHttpClient();
        HttpClientRequest request = get(m_port, u"/h"_s);
        request.method = "HEAD";
        const auto first = roundTrip(*client, request);
        QVERIFY(first && first->has_value());
        QCOMPARE((*first)->status, 200);
        QVERIFY((*first)->body.isEmpty());
        const auto second = roundTrip(*client, get(m_port, u"/after"_s));
        QVERIFY(second && second->has_value());
        QCOMPARE((*second)->body, "/after:"_ba);
    }

    void callbackIsNeverSynchronous()
    {
        auto client = createHttpClient();
        bool called = false;
        HttpClientRequest request;
        request.url = QUrl(u"ftp://example/"_s);
        client->send(request, this, [&called](HttpClientResult result) {
            QVERIFY(!result);
            QCOMPARE(result.error().kind, HttpClientErrorKind::InvalidRequest);
            called = true;
        });
        QVERIFY(!called);
        QTRY_VERIFY(called);
    }

    void timeoutIsAnError()
    {
        auto client = createHttpClient();
        std::shared_ptr<HttpResponder> held;
        m_behaviour = [&held](HttpRequest &, HttpResponder &responder) {
            held = std::make_shared<HttpResponder>(std::move(responder)); // answered too late
        };
        HttpClientRequest request = get(m_port, u"/slow"_s);
        request.timeout = std::chrono::milliseconds(150);
        const auto result = roundTrip(*client, request);
        QVERIFY(result);
        QVERIFY(!result->has_value());
        const HttpClientError &error = result->error();
        QCOMPARE(error.kind, HttpClientErrorKind::Timeout);
        QCOMPARE(error.code, 1001);
        QVERIFY(error.requestMayHaveBeenProcessed);
        QCOMPARE(error.message, u"No response from 127.0.0.1:%1 within 150 ms"_s.arg(m_port));
        QVERIFY(!error.message.contains(u'\n'));
        QCOMPARE(client->connectionCount(), 0); // a timed-out connection is not reused
        held.reset();
    }

    void connectionRefusedIsAnError()
    {
        quint16 freePort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress(QHostAddress::LocalHost), 0));
            freePort = probe.serverPort();
        }
        auto client = createHttpClient();
        const auto result = roundTrip(*client, get(freePort, u"/"_s));
        QVERIFY(result);
        QVERIFY(!result->has_value());
        QCOMPARE(result->error().kind, HttpClientErrorKind::ConnectionRefused);
        QCOMPARE(result->error().message, u"Connection refused by 127.0.0.1:%1"_s.arg(freePort));
        QVERIFY(!result->error().requestMayHaveBeenProcessed);
        QCOMPARE(client->connectionCount(), 0);
    }

    void keepAliveReusesOneConnection()
    {
        auto client = createHttpClient();
        for (int i = 0; i < 50; ++i) {
            const auto result = roundTrip(*client, get(m_port, u"/k%1"_s.arg(i)));
            QVERIFY(result && result->has_value());
            QCOMPARE((*result)->body, "/k"_ba + QByteArray::number(i) + ':');
        }
        QCOMPARE(m_seen.size(), size_t(50));
        for (const HttpRequest &r : m_seen)
            QCOMPARE(r.peerPort, m_seen.front().peerPort);
        QCOMPARE(client->connectionCount(), 1);
        QCOMPARE(m_server->connectionCount(), 1);
        client->closeIdleConnections();
        QCOMPARE(client->connectionCount(), 0);
        QTRY_COMPARE(m_server->connectionCount(), 0);
    }

    void connectionCloseIsHonoured()
    {
        auto client = createHttpClient();
        for (int i = 0; i < 3; ++i) {
            HttpClientRequest request = get(m_port, u"/close"_s);
            request.headers.add("Connection"_ba, "close"_ba);
            const auto result = roundTrip(*client, request);
            QVERIFY(result && result->has_value());
            QCOMPARE((*result)->headers.value("connection"), "close"_ba);
        }
        QCOMPARE(client->connectionCount(), 0);
        QCOMPARE(m_seen.size(), size_t(3));
        QVERIFY(m_seen[0].peerPort != m_seen[1].peerPort);
    }

    void concurrentRequestsShareAPool()
    {
        HttpClientOptions options;
        options.maxConnectionsPerHost = 3;
        auto client = createHttpClient(options);
        m_behaviour = [](HttpRequest &request, HttpResponder &responder) {
            auto held = std::make_shared<HttpResponder>(std::move(responder));
            QTimer::singleShot(20, [held, path = request.path] { held->respond(200, {}, path.toUtf8()); });
        };
        int ok = 0;
        for (int i = 0; i < 12; ++i) {
            client->send(get(m_port, u"/c%1"_s.arg(i)), this, [&ok, i](HttpClientResult result) {
                QVERIFY(result.has_value());
                QCOMPARE(result->body, "/c"_ba + QByteArray::number(i));
                ++ok;
            });
        }
        QTRY_COMPARE(ok, 12);
        QSet<quint16> ports;
        for (const HttpRequest &r : m_seen)
            ports.insert(r.peerPort);
        QCOMPARE(ports.size(), 3);
        QCOMPARE(client->connectionCount(), 3);
    }

    void queuedRequestTimesOut()
    {
        HttpClientOptions options;
        options.maxConnectionsPerHost = 1;
        auto client = createHttpClient(options);
        std::shared_ptr<HttpResponder> held;
        m_behaviour = [&held](HttpRequest &, HttpResponder &responder) {
            held = std::make_shared<HttpResponder>(std::move(responder));
        };
        std::optional<HttpClientResult> first, second;
        HttpClientRequest slow = get(m_port, u"/busy"_s);
        slow.timeout = std::chrono::milliseconds(2000);
        client->send(slow, this, [&first](HttpClientResult r) { first = std::move(r); });
        HttpClientRequest queued = get(m_port, u"/queued"_s);
        queued.timeout = std::chrono::milliseconds(100);
        client->send(queued, this, [&second](HttpClientResult r) { second = std::move(r); });
        QTRY_VERIFY(second.has_value());
        QVERIFY(!second->has_value());
        QCOMPARE(second->error().kind, HttpClientErrorKind::Timeout);
        QVERIFY(!second->error().requestMayHaveBeenProcessed);
        QVERIFY(!first.has_value());
        held->respond(200);
        QTRY_VERIFY(first.has_value());
        QVERIFY(first->has_value());
    }

    void cancelAndDestroyedContextDropTheCallback()
    {
        auto client = createHttpClient();
        bool cancelledCalled = false;
        const auto id = client->send(get(m_port, u"/a"_s), this,
                                     [&cancelledCalled](HttpClientResult) { cancelledCalled = true; });
        client->cancel(id);

        bool contextCalled = false;
        auto context = std::make_unique<QObject>();
        client->send(get(m_port, u"/b"_s), context.get(),
                     [&contextCalled](HttpClientResult) { contextCalled = true; });
        context.reset();

        const auto last = roundTrip(*client, get(m_port, u"/c"_s));
        QVERIFY(last && last->has_value());
        QTest::qWait(50);
        QVERIFY(!cancelledCalled);
        QVERIFY(!contextCalled);
    }

    void staleKeepAliveConnectionIsRetriedOnce()
    {
        // Connection 0 answers its first request, then closes silently on the second, as a peer
        // whose idle timeout fired would. The client must resend on a new connection.
        RawServer raw([](int connection, int request, QTcpSocket *socket) {
            if (connection == 0 && request == 1) {
                socket->abort();
                return;
            }
            const QByteArray body = "c"_ba + QByteArray::number(connection) + "r"_ba + QByteArray::number(request);
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: "_ba + QByteArray::number(body.size())
                          + "\r\n\r\n"_ba + body);
        });
        auto client = createHttpClient();
        const auto first = roundTrip(*client, get(raw.port(), u"/1"_s));
        QVERIFY(first && first->has_value());
        QCOMPARE((*first)->body, "c0r0"_ba);
        const auto second = roundTrip(*client, get(raw.port(), u"/2"_s));
        QVERIFY(second);
        QVERIFY2(second->has_value(), qPrintable(second->has_value() ? QString() : second->error().message));
        QCOMPARE((*second)->body, "c1r0"_ba);
        QCOMPARE(raw.connections(), 2);
    }

    void brokenConnectionMidResponseIsAnError()
    {
        RawServer raw([](int, int, QTcpSocket *socket) {
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial"_ba);
            socket->flush();
            socket->disconnectFromHost();
        });
        auto client = createHttpClient();
        const auto result = roundTrip(*client, get(raw.port(), u"/"_s));
        QVERIFY(result);
        QVERIFY(!result->has_value());
        QCOMPARE(result->error().kind, HttpClientErrorKind::ConnectionClosed);
        QVERIFY(result->error().requestMayHaveBeenProcessed);
    }

    void chunkedAndReadUntilCloseBodies()
    {
        RawServer raw([](int connection, int, QTcpSocket *socket) {
            if (connection == 0) {
                socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "4\r\nwiki\r\n5;x=y\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n"_ba);
            } else {
                socket->write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close"_ba);
                socket->disconnectFromHost();
            }
        });
        auto client = createHttpClient();
        const auto chunked = roundTrip(*client, get(raw.port(), u"/"_s));
        QVERIFY(chunked && chunked->has_value());
        QCOMPARE((*chunked)->body, "wikipedia"_ba);
        client->closeIdleConnections();
        const auto eof = roundTrip(*client, get(raw.port(), u"/"_s));
        QVERIFY(eof && eof->has_value());
        QCOMPARE((*eof)->body, "until close"_ba);
    }

    void invalidResponseIsAProtocolError()
    {
        RawServer raw([](int, int, QTcpSocket *socket) { socket->write("SMTP ready\r\n\r\n"_ba); });
        auto client = createHttpClient();
        const auto result = roundTrip(*client, get(raw.port(), u"/"_s));
        QVERIFY(result && !result->has_value());
        QCOMPARE(result->error().kind, HttpClientErrorKind::ProtocolError);
    }

    void destroyingClientInsideCallbackIsSafe()
    {
        auto client = createHttpClient();
        int calls = 0;
        for (int i = 0; i < 3; ++i)
            client->send(get(m_port, u"/d"_s), this, [&](HttpClientResult) {
                ++calls;
                client.reset();
            });
        QTRY_VERIFY(!client);
        QTest::qWait(50);
        QCOMPARE(calls, 1);
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
