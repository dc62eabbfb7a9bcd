#include "core/net/httpclient.h"
#include "core/net/httpserver.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace Pm::Net;

namespace {

/** A response as seen on the wire, parsed by the test itself (independent of core/net's parser). */
struct RawResponse
{
    int status = 0;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[n, v] : headers) {
            if (n.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        }
        return {};
    }
};

/** A raw TCP client: writes bytes, reads responses with Content-Length bodies. */
class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket,
                         [this] { m_received += m_socket.readAll(); });
        m_socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    }

    bool waitConnected()
    {
        return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                               5000);
    }
    void write(const QByteArray &bytes) { m_socket.write(bytes); }
    bool waitDisconnected(int ms = 5000)
    {
        return QTest::qWaitFor(
            [this] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, ms);
    }
    quint16 localPort() const { return m_socket.localPort(); }
    QByteArray &received() { return m_received; }

    /** Waits for one complete response (HEAD: pass head=true) and removes it from the buffer. */
    std::optional<RawResponse> next(bool head = false, int ms = 5000)
    {
        std::optional<RawResponse> out;
        (void)QTest::qWaitFor([&] { return (out = tryParse(head)).has_value(); }, ms);
        return out;
    }

private:
    std::optional<RawResponse> tryParse(bool head)
    {
        const qsizetype end = m_received.indexOf("\r\n\r\n");
        if (end < 0)
            return std::nullopt;
        RawResponse r;
        const QList<QByteArray> lines = m_received.left(end).split('\n');
        r.status = lines.first().split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            r.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
        }
        const qsizetype length = (head || r.status == 100) ? 0 : r.header("content-length").toLongLong();
        if (m_received.size() < end + 4 + length)
            return std::nullopt;
        r.body = m_received.mid(end + 4, length);
        m_received.remove(0, end + 4 + length);
        return r;
    }

    QTcpSocket m_socket;
    QByteArray m_received;
};

QByteArray getRequest(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET "_ba + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"_ba + extra + "\r\n"_ba;
}

/** Owns a server on the worker thread it is created in (practice 6). */
class ServerWorker : public QObject
{
    Q_OBJECT
public:
    quint16 start()
    {
        m_server = createHttpServer();
        m_server->setHandler([this](HttpRequest request, HttpResponder responder) {
            const bool onMyThread = QThread::currentThread() == thread();
            auto held = std::make_shared<HttpResponder>(std::move(responder));
            // Answer later, after other asynchronous work on this thread.
            QTimer::singleShot(10, this, [held, onMyThread, path = request.path] {
                held->respond(200, {}, (onMyThread ? "worker:"_ba : "wrong-thread:"_ba) + path.toUtf8());
            });
        });
        auto port = m_server->listen({});
        return port ? *port : 0;
    }
    void stop() { m_server.reset(); }

private:
    std::unique_ptr<HttpServer> m_server;
};

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;
    std::vector<HttpRequest> m_requests;
    std::function<void(HttpRequest &, HttpResponder &)> m_behaviour;

    void startServer(HttpServerOptions options = {})
    {
        m_server = createHttpServer();
        m_server->setHandler([this](HttpRequest request, HttpResponder responder) {
            m_requests.push_back(request);
            if (m_behaviour)
                m_behaviour(m_requests.back(), responder);
            else
                responder.respond(200, {{"Content-Type"_ba, "text/plain"_ba}}, request.path.toUtf8());
        });
        auto port = m_server->listen(options);
        QVERIFY2(port.has_value(), qPrintable(port ? QString() : Pm::toOneLine(port.error())));
        m_port = *port;
        QVERIFY(m_port != 0);
        QCOMPARE(m_server->serverPort(), m_port);
    }

private slots:
    void init()
    {
        m_requests.clear();
        m_behaviour = nullptr;
    }

    void cleanup()
    {
        m_server.reset();
        m_behaviour = nullptr;
    }

    void deliversRequestToHandler()
    {
        startServer();
        m_behaviour = [](HttpRequest &, HttpResponder &responder) {
            responder.respond(202, {{"X-Answer"_ba, "yes"_ba}, {"Content-Type"_ba, "application/json"_ba}},
                              R"({"ok":true})"_ba);
        };
        RawClient client(m_port);
        QVERIFY(client.waitConnected());
        const QByteArray body = R"({"amount":"10.5"})"_ba;
        client.write("POST /parties/MSISDN/%2B123?currency=USD&x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "FSPIOP-Source: payerfsp\r\ncontent-type: application/vnd.interoperability.parties+json;version=1.1\r\n"
                     "Content-Length: "_ba
                     + QByteArray::number(body.size()) + "\r\n\r\n"_ba + body);
        const auto response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 202);
        QCOMPARE(response->header("x-answer"), "yes"_ba);
        QCOMPARE(response->body, R"({"ok":true})"_ba);
        QVERIFY(!response->header("date").isEmpty());

        QCOMPARE(m_requests.size(), size_t(1));
        const HttpRequest &r = m_requests.front();
        QCOMPARE(r.method, "POST"_ba);
        QCOMPARE(r.path, u"/parties/MSISDN/+123"_s);
        QCOMPARE(r.target, "/parties/MSISDN/%2B123?currency=USD&x=1"_ba);
        QCOMPARE(r.query.queryItemValue(u"currency"_s), u"USD"_s);
        QCOMPARE(r.headers.value("fspiop-source"), "payerfsp"_ba);
        QCOMPARE(r.headers.value("CONTENT-TYPE"), "application/vnd.interoperability.parties+json;version=1.1"_ba);
        QCOMPARE(r.body, body);
        QCOMPARE(r.peerAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(r.peerPort, client.localPort());
        QVERIFY(r.peerCertificate.isNull());
    }

    void answersAsynchronouslyLater()
    {
        startServer();
        m_behaviour = [](HttpRequest &, HttpResponder &responder) {
            auto held = std::make_shared<HttpResponder>(std::move(responder));
            QVERIFY(held->isPending());
            QVERIFY(held->isConnected());
            QTimer::singleShot(100, [held] { held->respond(200, {}, "late"_ba); });
        };
        RawClient client(m_port);
        QVERIFY(client.waitConnected());
        QElapsedTimer timer;
        timer.start();
        client.write(getRequest("/slow"));
        const auto response = client.next();
        QVERIFY(response);
        QVERIFY2(timer.elapsed() >= 90, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(response->status, 200);
        QCOMPARE(response->body, "late"_ba);
        // The connection stays usable afterwards.
        m_behaviour = nullptr;
        client.write(getRequest("/next"));
        const auto second = client.next();
        QVERIFY(second);
        QCOMPARE(second->body, "/next"_ba);
    }

    void destroyedResponderAnswers500()
    {
        startServer();
        m_behaviour = [](HttpRequest &, HttpResponder &responder) {
            HttpResponder dropped = std::move(responder); // goes out of scope unanswered
            QVERIFY(!responder.isPending());
        };
        RawClient client(m_port);
        QVERIFY(client.waitConnected());
        client.write(getRequest("/forgotten"));
        const auto response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 500);
    }

    void pipelinedResponsesKeepRequestOrder()
    {
        startServer();
        m_behaviour = [](HttpRequest &request, HttpResponder &responder) {
            if (request.path == u"/slow"_s) {
                auto held = std::make_shared<HttpResponder>(std::move(responder));
                QTimer::singleShot(50, [held] { held->respond(200, {}, "slow"_ba); });
            } else {
                responder.respond(200, {}, "fast"_ba);
            }
        };
        RawClient client(m_port);
        QVERIFY(client.waitConnected());
        client.write(getRequest("/slow") + getRequest("/fast"));
        const auto first = client.next();
        const auto second = client.next();
        QVERIFY(first && second);
        QCOMPARE(first->body, "slow"_ba);
        QCOMPARE(second->body, "fast"_ba);
    }

    void keepAliveServesManyRequestsOnOneConnection()
    {
        startServer();
        RawClient client(m_port);
        QVERIFY(client.waitConnected());
        for (int i = 0; i < 100; ++i) {
            client.write(getRequest("/r/" + QByteArray::number(i)));
            const auto response = client.next();
            QVERIFY(response);
            QCOMPARE(response->status, 200);
            QCOMPARE(response->body, "/r/"_ba + QByteArray::number(i));
            QVERIFY(response->header("connection").isEmpty());
        }
        QCOMPARE(m_requests.size(), size_t(100));
        for (const HttpRequest &r : m_requests)
            QCOMPARE(r.peerPort, client.localPort());
        QCOMPARE(m_server->connectionCount(), 1);
    }

    void bodyOverLimitIs413()
    {
        HttpServerOptions options;
        options.maxBodyBytes = 1024;
        startServer(options);
        {
            RawClient client(m_port);
            QVERIFY(client.waitConnected());
            client.write("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 1025\r\n\r\n"_ba
                         + QByteArray(1025, 'a'));
            const auto response = client.next();
            QVERIFY(response);
            QCOMPARE(response->status, 413);
            QCOMPARE(response->header("connection"), "close"_ba);
            QVERIFY(client.waitDisconnected());
        }
        {
            RawClient client(m_port);
            QVERIFY(client.waitConnected());
            client.write("POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "300\r\n"_ba + QByteArray(0x300, 'a') + "\r\n300\r\n"_ba
                         + QByteArray(0x300, 'b') + "\r\n0\r\n\r\n"_ba);
            const auto response = client.next();
            QVERIFY(response);
            QCOMPARE(response->status, 413);
        }
        {
            RawClient client(m_port); // exactly at the limit is fine
            QVERIFY(client.waitConnected());
            client.write("POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n"_ba
                         + QByteArray(1024, 'a'));
            const auto response = client.next();
            QVERIFY(response);
            QCOMPARE(response->status, 200);
        }
        QCOMPARE(m_requests.size(), size_t(1));
    }

    void malformedRequestIsRejected_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage") << "GARBAGE\r\n\r\n"_ba << 400;
        QTest::newRow("no version") << "GET /\r\n\r\n"_ba << 400;
        QTest::newRow("bad version") << "GET / HTTP/x.y\r\nHost: a\r\n\r\n"_ba << 400;
        QTest::newRow("HTTP/2.0") << "GET / HTTP/2.0\r\nHost: a\r\n\r\n"_ba << 505;
        QTest::newRow("missing host") << "GET / HTTP/1.1\r\n\r\n"_ba << 400;
        QTest::newRow("space before colon") << "GET / HTTP/1.1\r\nHost : a\r\n\r\n"_ba << 400;
        QTest::newRow("folded header") << "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n"_ba << 400;
        QTest::newRow("bad content-length") << "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n"_ba << 400;
        QTest::newRow("conflicting lengths") << "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"_ba << 400;
        QTest::newRow("length and chunked") << "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"_ba << 400;
        QTest::newRow("unknown coding") << "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n"_ba << 501;
        QTest::newRow("bad chunk") << "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"_ba << 400;
        QTest::newRow("huge header") << "GET / HTTP/1.1\r\nHost: a\r\nX: "_ba + QByteArray(40000, 'a') + "\r\n\r\n"_ba << 431;
        QTest::newRow("huge target") << "GET /"_ba + QByteArray(9000, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n"_ba << 414;
    }

    void malformedRequestIsRejected()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        startServer();
        RawClient client(m_port);
        QVERIFY(client.waitConnected());
        client.write(bytes);
        const auto response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, status);
        QCOMPARE(response->header("connection"), "close"_ba);
        QVERIFY(client.waitDisconnected());
        QVERIFY(m_requests.empty());
    }

    void chunkedBodyIsDecoded()
    {
        startServer();
        RawClient client(m_port);
        QVERIFY(client.waitConnected());
        client.write("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5;ext=1\r\nhello\r\n"_ba);
        QTest::qWait(20); // the rest arrives later
        client.write("6\r\n world\r\n0\r\nTrailer: x\r\n\r\n"_ba);
        const auto response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(m_requests.size(), size_t(1));
        QCOMPARE(m_requests.front().body, "hello world"_ba);
    }

    void expectContinueIsHonoured()
    {
        startServer();
        RawClient client(m_port);
        QVERIFY(client.waitConnected());
        client.write("PUT /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"_ba);
        const auto interim = client.next();
        QVERIFY(interim);
        QCOMPARE(interim->status, 100);
        client.write("body"_ba);
        const auto response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(m_requests.front().body, "body"_ba);
    }

    void headResponseHasNoBody()
    {
        startServer();
        RawClient client(m_port);
        QVERIFY(client.waitConnected());
        client.write("HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n"_ba + getRequest("/after"));
        const auto head = client.next(true);
        QVERIFY(head);
        QCOMPARE(head->status, 200);
        QCOMPARE(head->header("content-length"), "2"_ba);
        const auto after = client.next();
        QVERIFY(after);
        QCOMPARE(after->body, "/after"_ba);
    }

    void connectionCloseAndHttp10CloseAfterResponse()
    {
        startServer();
        {
            RawClient client(m_port);
            QVERIFY(client.waitConnected());
            client.write(getRequest("/bye", "Connection: close\r\n"_ba));
            const auto response = client.next();
            QVERIFY(response);
            QCOMPARE(response->header("connection"), "close"_ba);
            QVERIFY(client.waitDisconnected());
        }
        {
            RawClient client(m_port);
            QVERIFY(client.waitConnected());
            client.write("GET /old HTTP/1.0\r\n\r\n"_ba);
            const auto response = client.next();
            QVERIFY(response);
            QCOMPARE(response->body, "/old"_ba);
            QVERIFY(client.waitDisconnected());
        }
        {
            RawClient client(m_port);
            QVERIFY(client.waitConnected());
            client.write("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"_ba);
            const auto response = client.next();
            QVERIFY(response);
            QCOMPARE(response->header("connection"), "keep-alive"_ba);
            client.write("GET /again HTTP/1.0\r\n\r\n"_ba);
            QVERIFY(client.next());
            QVERIFY(client.waitDisconnected());
        }
    }

    void idleConnectionTimesOut()
    {
        HttpServerOptions options;
        options.idleTimeout = std::chrono::milliseconds(100);
        startServer(options);
        RawClient client(m_port);
        QVERIFY(client.waitConnected());
        client.write(getRequest("/once"));
        QVERIFY(client.next());
        QVERIFY(client.waitDisconnected(3000));
        QTRY_COMPARE(m_server->connectionCount(), 0);
    }

    void incompleteRequestTimesOutWith408()
    {
        HttpServerOptions options;
        options.requestTimeout = std::chrono::milliseconds(100);
        startServer(options);
        RawClient client(m_port);
        QVERIFY(client.waitConnected());
        client.write("GET / HTTP/1.1\r\nHost: a\r\n"_ba); // never finished
        const auto response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 408);
        QVERIFY(client.waitDisconnected());
    }

    void closeDropsConnectionsAndPendingResponders()
    {
        startServer();
        std::shared_ptr<HttpResponder> held;
        m_behaviour = [&held](HttpRequest &, HttpResponder &responder) {
            held = std::make_shared<HttpResponder>(std::move(responder));
        };
        RawClient client(m_port);
        QVERIFY(client.waitConnected());
        client.write(getRequest("/pending"));
        QTRY_VERIFY(held);
        QVERIFY(held->isConnected());
        m_server->close();
        QVERIFY(!m_server->isListening());
        QVERIFY(client.waitDisconnected());
        QVERIFY(!held->isConnected());
        held->respond(200); // inert, must not crash
        held.reset();
        QCOMPARE(m_server->connectionCount(), 0);

        RawClient refused(m_port);
        QVERIFY(refused.waitDisconnected());
    }

    void stopAcceptingFinishesPendingResponses()
    {
        startServer();
        std::shared_ptr<HttpResponder> held;
        m_behaviour = [&held](HttpRequest &, HttpResponder &responder) {
            held = std::make_shared<HttpResponder>(std::move(responder));
        };
        RawClient client(m_port);
        QVERIFY(client.waitConnected());
        client.write(getRequest("/pending"));
        QTRY_VERIFY(held);
        m_server->stopAccepting();
        QVERIFY(!m_server->isListening());
        held->respond(200, {}, "done"_ba);
        const auto response = client.next();
        QVERIFY(response);
        QCOMPARE(response->body, "done"_ba);
        QCOMPARE(response->header("connection"), "close"_ba);
        QVERIFY(client.waitDisconnected());
    }

    void destroyingServerInsideHandlerIsSafe()
    {
        startServer();
        m_behaviour = [this](HttpRequest &, HttpResponder &responder) {
            responder.respond(200);
            m_server.reset();
        };
        RawClient client(m_port);
        QVERIFY(client.waitConnected());
        client.write(getRequest("/x") + getRequest("/y"));
        QVERIFY(client.waitDisconnected());
        QCOMPARE(m_requests.size(), size_t(1));
    }

    void listenTwiceFails()
    {
        startServer();
        QVERIFY(!m_server->listen({}).has_value());
        auto other = createHttpServer();
        HttpServerOptions options;
        options.port = m_port;
        const auto result = other->listen(options);
        QVERIFY(!result.has_value());
        QVERIFY(result.error().message.contains(QString::number(m_port)));
    }

    void serverRunsOnWorkerThread()
    {
        QThread thread;
        thread.setObjectName(u"server-thread"_s);
        auto *worker = new ServerWorker;
        worker->moveToThread(&thread);
        connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start();
        quint16 port = 0;
        QMetaObject::invokeMethod(worker, &ServerWorker::start, Qt::BlockingQueuedConnection, &port);
        QVERIFY(port != 0);

        // The client lives on this (the test's) thread.
        auto client = createHttpClient();
        int done = 0;
        for (int i = 0; i < 20; ++i) {
            HttpClientRequest request;
            request.url = QUrl(u"http://127.0.0.1:%1/n%2"_s.arg(port).arg(i));
            client->send(request, this, [&done, i](HttpClientResult result) {
                QVERIFY(result.has_value());
                QCOMPARE(result->body, "worker:/n"_ba + QByteArray::number(i));
                ++done;
            });
        }
        QTRY_COMPARE(done, 20);
        QMetaObject::invokeMethod(worker, &ServerWorker::stop, Qt::BlockingQueuedConnection);
        thread.quit();
        QVERIFY(thread.wait(5000));
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
