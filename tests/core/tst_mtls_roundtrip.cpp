#include "core/net/httpclient.h"
#include "core/net/httpserver.h"
#include "tests/support/testpki.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pm::Net;
using Pm::Test::TestPki;

namespace {

/** Owns an mTLS server on the worker thread it is created in (practice 6). */
class TlsServerWorker : public QObject
{
    Q_OBJECT
public:
    explicit TlsServerWorker(QSslConfiguration tls) : m_tls(std::move(tls)) {}

    quint16 start()
    {
        m_server = createHttpServer();
        m_server->setHandler([this](HttpRequest request, HttpResponder responder) {
            auto held = std::make_shared<HttpResponder>(std::move(responder));
            const QString cn = request.peerCertificate.subjectInfo(QSslCertificate::CommonName).value(0);
            const bool onMyThread = QThread::currentThread() == thread();
            QTimer::singleShot(5, this, [held, cn, onMyThread] {
                held->respond(200, {}, (onMyThread ? "worker:"_ba : "wrong-thread:"_ba) + cn.toUtf8());
            });
        });
        HttpServerOptions options;
        options.tls = m_tls;
        auto port = m_server->listen(options);
        return port ? *port : 0;
    }
    void stop() { m_server.reset(); }

private:
    QSslConfiguration m_tls;
    std::unique_ptr<HttpServer> m_server;
};

} // namespace

class TestMtlsRoundtrip : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<TestPki> m_pki;
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;
    std::vector<HttpRequest> m_seen;
    std::shared_ptr<HttpResponder> m_held; // set when m_holdNext is true
    bool m_holdNext = false;

    HttpClientRequest request(const QString &path = u"/parties/MSISDN/1"_s) const
    {
        HttpClientRequest r;
        r.url = QUrl(u"https://127.0.0.1:%1%2"_s.arg(m_port).arg(path));
        r.timeout = std::chrono::milliseconds(5000);
        return r;
    }

    std::unique_ptr<HttpClient> clientWith(const QSslConfiguration &tls)
    {
        HttpClientOptions options;
        options.tls = tls;
        return createHttpClient(options);
    }

    std::optional<HttpClientResult> roundTrip(HttpClient &client, HttpClientRequest r)
    {
        std::optional<HttpClientResult> result;
        client.send(std::move(r), this, [&result](HttpClientResult x) { result = std::move(x); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 10000))
            return std::nullopt;
        return result;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto pki = TestPki::create(m_dir.path());
        QVERIFY2(pki, qPrintable(pki ? QString() : Pm::toOneLine(pki.error())));
        m_pki.emplace(std::move(*pki));
        QVERIFY(QFile::exists(m_pki->ca().certificatePath));
        QVERIFY(QFile::exists(m_pki->client().privateKeyPath));
        QCOMPARE(QFile::permissions(m_pki->client().privateKeyPath) & (QFile::ReadOther | QFile::ReadGroup),
                 QFile::Permissions());
        QCOMPARE(m_pki->client().certificate.issuerDisplayName(), u"Payment Manager Test CA"_s);
        QCOMPARE(m_pki->otherCaClient().certificate.issuerDisplayName(), u"Unrelated Test CA"_s);
        QVERIFY(m_pki->ca().certificate.isSelfSigned());
    }

    void init()
    {
        m_seen.clear();
        m_held.reset();
        m_holdNext = false;
        m_server = createHttpServer();
        m_server->setHandler([this](HttpRequest r, HttpResponder responder) {
            m_seen.push_back(r);
            const QSslCertificate &cert = r.peerCertificate;
            const QByteArray body = cert.subjectInfo(QSslCertificate::CommonName).value(0).toUtf8()
                                    + ' ' + cert.serialNumber();
            if (m_holdNext) {
                m_holdNext = false;
                m_held = std::make_shared<HttpResponder>(std::move(responder));
                QTimer::singleShot(100, this, [held = m_held, body] { held->respond(200, {}, body); });
                return;
            }
            responder.respond(200, {}, body);
        });
        HttpServerOptions options;
        options.tls = m_pki->serverConfiguration(QSslSocket::VerifyPeer);
        auto port = m_server->listen(options);
        QVERIFY(port);
        m_port = *port;
    }

    void cleanup()
    {
        m_server.reset();
        m_held.reset();
    }

    void goodClientCertificateIsAccepted()
    {
        auto client = clientWith(m_pki->clientConfiguration(&m_pki->client()));
        for (int i = 0; i < 20; ++i) { // and kept alive
            const auto result = roundTrip(*client, request());
            QVERIFY(result);
            QVERIFY2(result->has_value(), qPrintable(result->has_value() ? QString() : Pm::toOneLine(result->error())));
            QCOMPARE((*result)->status, 200);
            QCOMPARE((*result)->body, "test-client "_ba + m_pki->client().certificate.serialNumber());
        }
        QCOMPARE(m_seen.size(), size_t(20));
        QCOMPARE(m_seen.front().peerCertificate, m_pki->client().certificate);
        QCOMPARE(m_seen.front().peerCertificate.subjectInfo(QSslCertificate::CommonName),
                 QStringList{u"test-client"_s});
        for (const HttpRequest &r : m_seen)
            QCOMPARE(r.peerPort, m_seen.front().peerPort);
        QCOMPARE(client->connectionCount(), 1);
    }

    void clientWithoutCertificateIsRejected()
    {
        auto client = clientWith(m_pki->clientConfiguration(nullptr));
        const auto result = roundTrip(*client, request());
        QVERIFY(result);
        QVERIFY(!result->has_value());
        qInfo() << "no client certificate:" << Pm::toOneLine(result->error());
        QCOMPARE(result->error().kind, HttpClientErrorKind::TlsFailure);
        QVERIFY(!result->error().requestMayHaveBeenProcessed);
        QVERIFY(m_seen.empty());
    }

    void clientCertificateFromWrongCaIsRejected()
    {
        auto client = clientWith(m_pki->clientConfiguration(&m_pki->otherCaClient()));
        const auto result = roundTrip(*client, request());
        QVERIFY(result);
        QVERIFY(!result->has_value());
        qInfo() << "wrong CA client certificate:" << Pm::toOneLine(result->error());
        QCOMPARE(result->error().kind, HttpClientErrorKind::TlsFailure);
        QVERIFY(m_seen.empty());
    }

    void clientNotTrustingServerCaFails()
    {
        auto client = clientWith(TestPki::clientConfiguration({m_pki->otherCa().certificate}, &m_pki->client()));
        const auto result = roundTrip(*client, request());
        QVERIFY(result);
        QVERIFY(!result->has_value());
        qInfo() << "untrusted server:" << Pm::toOneLine(result->error());
        QCOMPARE(result->error().kind, HttpClientErrorKind::TlsFailure);
        QVERIFY(result->error().message.startsWith(u"TLS handshake with 127.0.0.1:%1 failed"_s.arg(m_port)));
        QVERIFY(!result->error().message.contains(u'\n'));
        QVERIFY(m_seen.empty());
    }

    void plainClientToTlsServerFails()
    {
        auto client = createHttpClient();
        HttpClientRequest r = request();
        r.url.setScheme(u"http"_s);
        r.timeout = std::chrono::milliseconds(2000);
        const auto result = roundTrip(*client, r);
        QVERIFY(result);
        QVERIFY(!result->has_value());
        QVERIFY(m_seen.empty());
    }

    void replacedClientCertificateIsUsedForNewConnections()
    {
        auto client = clientWith(m_pki->clientConfiguration(&m_pki->client()));
        const auto first = roundTrip(*client, request());
        QVERIFY(first && first->has_value());
        QCOMPARE((*first)->body, "test-client "_ba + m_pki->client().certificate.serialNumber());

        // A request in flight while the certificate is replaced still completes on its connection.
        m_holdNext = true;
        std::optional<HttpClientResult> inFlight;
        client->send(request(u"/in-flight"_s), this, [&inFlight](HttpClientResult r) { inFlight = std::move(r); });
        QTRY_VERIFY(m_held);

        auto renewed = m_pki->issueClient(u"test-client-renewed"_s);
        QVERIFY(renewed);
        QVERIFY(renewed->certificate.serialNumber() != m_pki->client().certificate.serialNumber());
        client->setTlsConfiguration(m_pki->clientConfiguration(&*renewed));

        QTRY_VERIFY(inFlight.has_value());
        QVERIFY(inFlight->has_value());
        QCOMPARE((*inFlight)->body, "test-client "_ba + m_pki->client().certificate.serialNumber());

        const auto next = roundTrip(*client, request());
        QVERIFY(next && next->has_value());
        QCOMPARE((*next)->body, "test-client-renewed "_ba + renewed->certificate.serialNumber());
        QVERIFY(m_seen.back().peerPort != m_seen.front().peerPort);
        QTRY_COMPARE(client->connectionCount(), 1);
    }

    void serverCertificateRotationAppliesToNewConnections()
    {
        auto client = clientWith(m_pki->clientConfiguration(&m_pki->client()));
        QVERIFY(roundTrip(*client, request()).value().has_value());
        // Rotate to a configuration the old client cannot satisfy: the kept-alive connection
        // still works, a new connection follows the new configuration.
        QSslConfiguration rotated = m_pki->serverConfiguration(QSslSocket::VerifyPeer);
        rotated.setCaCertificates({m_pki->otherCa().certificate});
        m_server->setTlsConfiguration(rotated);
        QVERIFY(roundTrip(*client, request()).value().has_value());
        client->closeIdleConnections();
        const auto after = roundTrip(*client, request());
        QVERIFY(after && !after->has_value());
        QCOMPARE(after->error().kind, HttpClientErrorKind::TlsFailure);
    }

    void mutualTlsWithServerOnWorkerThread()
    {
        QThread thread;
        auto *worker = new TlsServerWorker(m_pki->serverConfiguration(QSslSocket::VerifyPeer));
        worker->moveToThread(&thread);
        connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start();
        quint16 port = 0;
        QMetaObject::invokeMethod(worker, &TlsServerWorker::start, Qt::BlockingQueuedConnection, &port);
        QVERIFY(port != 0);

        auto client = clientWith(m_pki->clientConfiguration(&m_pki->client()));
        int done = 0;
        for (int i = 0; i < 10; ++i) {
            HttpClientRequest r;
            r.url = QUrl(u"https://localhost:%1/w%2"_s.arg(port).arg(i));
            client->send(r, this, [&done](HttpClientResult result) {
                QVERIFY2(result.has_value(), qPrintable(result ? QString() : Pm::toOneLine(result.error())));
                QCOMPARE(result->body, "worker:test-client"_ba);
                ++done;
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(done, 10, 10000);
        QMetaObject::invokeMethod(worker, &TlsServerWorker::stop, Qt::BlockingQueuedConnection);
        thread.quit();
        QVERIFY(thread.wait(5000));
    }
};

QTEST_GUILESS_MAIN(TestMtlsRoundtrip)
#include "tst_mtls_roundtrip.moc"
