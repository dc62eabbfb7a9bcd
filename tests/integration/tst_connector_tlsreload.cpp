// Hot reload of TLS material: two connectors over mutual TLS, 20 transfers held at the payee's
// backend while the payee's server certificate and the payer's client certificate are replaced on
// disk (atomic renames). Every held transfer completes, and new handshakes present the new
// certificate. Half-written and mismatched files are refused and the current material stays.

#include "core/connector/connector.h"
#include "core/fspiop/datatypes.h"
#include "tests/integration/connectorkit.h"
#include "tests/support/testbackend.h"
#include "tests/support/testpki.h"

#include <QSaveFile>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Test;

namespace {

constexpr int kTransfers = 20;

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/** Replaces `path` atomically (write beside it, then rename over it), as deployment tools do. */
bool replaceFile(const QString &path, const QByteArray &content)
{
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size() && file.commit();
}

QString str(const Json &j, const char *key)
{
    return qs(j, key);
}

} // namespace

class TestConnectorTlsReload : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void swapCertificatesWithTransfersInFlight();
    void badFilesAreRefused();

private:
    /** Handshakes with the payee's inbound server as a client of the CA; its certificate's serial. */
    QByteArray payeeServerSerial();
    static bool copyIdentity(const TestIdentity &identity, const QString &certPath, const QString &keyPath);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TestPki> m_pki;
    QString m_payeeCert, m_payeeKey, m_payerCert, m_payerKey, m_ca;
    std::unique_ptr<Net::HttpServer> m_payeeBackend;
    std::vector<Net::HttpResponder> m_held;
    int m_released = 0;
    std::unique_ptr<TestBackend> m_payerBackend;
    std::unique_ptr<Connector::Connector> m_payer, m_payee;
    std::unique_ptr<Net::HttpClient> m_client;
};

bool TestConnectorTlsReload::copyIdentity(const TestIdentity &identity, const QString &certPath,
                                          const QString &keyPath)
{
    return replaceFile(certPath, readAll(identity.certificatePath)) && replaceFile(keyPath, readAll(identity.privateKeyPath));
}

void TestConnectorTlsReload::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QString pkiDir = m_dir->filePath(u"pki"_s);
    QVERIFY(QDir().mkpath(pkiDir));
    auto pki = TestPki::create(pkiDir, TestKeyType::EcP256);
    QVERIFY2(pki, qPrintable(pki ? QString() : pki.error().message));
    m_pki = std::make_unique<TestPki>(std::move(*pki));

    // Each connector's files in a directory of its own, as an operator would deploy them.
    const QString payeeTls = m_dir->filePath(u"payee-tls"_s), payerTls = m_dir->filePath(u"payer-tls"_s);
    QVERIFY(QDir().mkpath(payeeTls) && QDir().mkpath(payerTls));
    m_ca = m_dir->filePath(u"ca.pem"_s);
    QVERIFY(replaceFile(m_ca, readAll(m_pki->ca().certificatePath)));
    m_payeeCert = payeeTls + u"/server.pem"_s;
    m_payeeKey = payeeTls + u"/server.key"_s;
    QVERIFY(copyIdentity(m_pki->server(), m_payeeCert, m_payeeKey));
    const QString payeeClientCert = payeeTls + u"/client.pem"_s, payeeClientKey = payeeTls + u"/client.key"_s;
    QVERIFY(copyIdentity(m_pki->client(), payeeClientCert, payeeClientKey));
    const QString payerServerCert = payerTls + u"/server.pem"_s, payerServerKey = payerTls + u"/server.key"_s;
    QVERIFY(copyIdentity(m_pki->server(), payerServerCert, payerServerKey));
    auto payerClient = m_pki->issueClient(u"payerfsp"_s);
    QVERIFY(payerClient);
    m_payerCert = payerTls + u"/client.pem"_s;
    m_payerKey = payerTls + u"/client.key"_s;
    QVERIFY(copyIdentity(*payerClient, m_payerCert, m_payerKey));

    // The payee's backend answers lookups and quotes at once and holds every POST /transfers.
    m_payeeBackend = Net::createHttpServer();
    m_payeeBackend->setHandler([this](Net::HttpRequest r, Net::HttpResponder responder) {
        const Net::HttpHeaders json{{"Content-Type", "application/json"}};
        if (r.method == "GET" && r.path == u"/parties/MSISDN/123456"_s) {
            responder.respond(200, json, Fspiop::serializeJson(Json{{"idType", "MSISDN"}, {"idValue", "123456"},
                                                                     {"firstName", "Ana"}, {"lastName", "B"}}));
        } else if (r.method == "POST" && r.path == u"/quoterequests"_s) {
            const Json q = parse(r.body);
            Json a{{"quoteId", q["quoteId"]}, {"transactionId", q["transactionId"]}, {"transferAmount", q["amount"]},
                   {"transferAmountCurrency", q["currency"]}};
            responder.respond(200, json, Fspiop::serializeJson(a));
        } else if (r.method == "POST" && r.path == u"/transfers"_s) {
            m_held.push_back(std::move(responder));
        } else {
            responder.respond(200, json, "{}");
        }
    });
    QVERIFY(m_payeeBackend->listen({}));
    m_payerBackend = std::make_unique<TestBackend>();
    QVERIFY(m_payerBackend->start());

    const quint16 payerPort = freePort(), payeePort = freePort();
    auto mtls = [&](Connector::ConnectorConfig &c, quint16 peer, const QString &serverCert,
                    const QString &serverKey, const QString &clientCert, const QString &clientKey) {
        c.jwsSign = false;
        c.validateInboundJws = false;
        c.requestProcessingTimeoutSeconds = 120;
        c.http.timeoutMs = 120000;
        const QUrl url(u"https://127.0.0.1:%1"_s.arg(peer));
        c.hubUrls.peer = c.hubUrls.als = c.hubUrls.quotes = c.hubUrls.transfers = c.hubUrls.transactionRequests = url;
        c.inboundTls = {true, {m_ca}, serverCert, serverKey};
        c.outboundTls = {true, {m_ca}, clientCert, clientKey};
    };
    auto payeeConfig = testConfig(u"payeefsp"_s, payeePort, payerPort, m_payeeBackend->serverPort(), {}, {});
    mtls(payeeConfig, payerPort, m_payeeCert, m_payeeKey, payeeClientCert, payeeClientKey);
    auto payerConfig = testConfig(u"payerfsp"_s, payerPort, payeePort, m_payerBackend->port(), {}, {});
    mtls(payerConfig, payeePort, payerServerCert, payerServerKey, m_payerCert, m_payerKey);

    m_payee = std::make_unique<Connector::Connector>(payeeConfig, m_dir->filePath(u"payee-data"_s));
    auto payeeStarted = m_payee->start();
    QVERIFY2(payeeStarted, qPrintable(payeeStarted ? QString() : payeeStarted.error().message));
    m_payer = std::make_unique<Connector::Connector>(payerConfig, m_dir->filePath(u"payer-data"_s));
    auto payerStarted = m_payer->start();
    QVERIFY2(payerStarted, qPrintable(payerStarted ? QString() : payerStarted.error().message));
    m_client = Net::createHttpClient();
}

void TestConnectorTlsReload::cleanupTestCase()
{
    for (Net::HttpResponder &r : m_held)
        r.respond(500);
    m_held.clear();
    if (m_payer)
        m_payer->stop();
    if (m_payee)
        m_payee->stop();
    m_payer.reset();
    m_payee.reset();
    m_client.reset();
    m_payeeBackend.reset();
    m_payerBackend.reset();
}

QByteArray TestConnectorTlsReload::payeeServerSerial()
{
    QSslSocket socket;
    socket.setSslConfiguration(m_pki->clientConfiguration(&m_pki->client()));
    socket.connectToHostEncrypted(u"127.0.0.1"_s, m_payee->ports().inbound);
    if (!socket.waitForEncrypted(10000))
        return {};
    const QByteArray serial = socket.peerCertificate().serialNumber();
    socket.disconnectFromHost();
    return serial;
}

void TestConnectorTlsReload::swapCertificatesWithTransfersInFlight()
{
    QCOMPARE(payeeServerSerial(), m_pki->server().certificate.serialNumber());
    const QByteArray oldClientSerial = m_payer->tlsStatus().outboundCertificate.serialNumber();
    QVERIFY(!oldClientSerial.isEmpty());

    // 20 transfers, each held at the payee's backend after the quote.
    const QString outbound = u"http://127.0.0.1:%1/transfers"_s.arg(m_payer->ports().outbound);
    QList<std::optional<Net::HttpClientResult>> results(kTransfers);
    QObject context;
    for (int i = 0; i < kTransfers; ++i) {
        Json body{{"homeTransactionId", u"home-%1"_s.arg(i).toStdString()},
                  {"from", Json{{"idType", "MSISDN"}, {"idValue", "999"}}},
                  {"to", Json{{"idType", "MSISDN"}, {"idValue", "123456"}}},
                  {"amountType", "SEND"}, {"currency", "USD"}, {"amount", "10"}, {"transactionType", "TRANSFER"}};
        Net::HttpClientRequest r;
        r.method = "POST";
        r.url = QUrl(outbound);
        r.body = Fspiop::serializeJson(body);
        r.headers.add("Content-Type", "application/json");
        r.timeout = std::chrono::milliseconds(240000);
        m_client->send(std::move(r), &context, [&results, i](Net::HttpClientResult res) { results[i] = std::move(res); });
    }
    QTRY_COMPARE_WITH_TIMEOUT(int(m_held.size()), kTransfers, 120000);

    // New server certificate and key for the payee (new serial, same CA), a new client
    // certificate for the payer; each file replaced by a rename.
    auto newServer = m_pki->issueServer();
    auto newClient = m_pki->issueClient(u"payerfsp-2"_s);
    QVERIFY(newServer && newClient);
    QVERIFY(newServer->certificate.serialNumber() != m_pki->server().certificate.serialNumber());
    QVERIFY(copyIdentity(*newServer, m_payeeCert, m_payeeKey));
    QVERIFY(copyIdentity(*newClient, m_payerCert, m_payerKey));

    // The next handshake presents the new certificate; the payer presents its new one.
    QTRY_COMPARE_WITH_TIMEOUT(payeeServerSerial(), newServer->certificate.serialNumber(), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(m_payer->tlsStatus().outboundCertificate.serialNumber(),
                              newClient->certificate.serialNumber(), 60000);
    QVERIFY(m_payee->tlsStatus().reloads >= 1);
    for (const auto &r : results)
        QVERIFY(!r.has_value()); // nothing finished while held

    // Release: every held transfer completes.
    for (Net::HttpResponder &r : m_held)
        r.respond(200, Net::HttpHeaders{{"Content-Type", "application/json"}},
                  u"{\"homeTransactionId\":\"home-%1\"}"_s.arg(++m_released).toUtf8());
    m_held.clear();
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(results.cbegin(), results.cend(), [](const auto &r) { return r.has_value(); }),
                             120000);
    for (int i = 0; i < kTransfers; ++i) {
        QVERIFY2(*results[i], qPrintable(results[i]->error().message));
        QCOMPARE((*results[i])->status, 200);
        QCOMPARE(str(parse((*results[i])->body), "currentState"), u"COMPLETED"_s);
    }

    // A transfer after the swap, over new connections with the new material, completes too.
    std::optional<Net::HttpClientResult> after;
    Json body{{"homeTransactionId", "home-after"}, {"from", Json{{"idType", "MSISDN"}, {"idValue", "999"}}},
              {"to", Json{{"idType", "MSISDN"}, {"idValue", "123456"}}},
              {"amountType", "SEND"}, {"currency", "USD"}, {"amount", "1"}, {"transactionType", "TRANSFER"}};
    Net::HttpClientRequest r;
    r.method = "POST";
    r.url = QUrl(outbound);
    r.body = Fspiop::serializeJson(body);
    r.headers.add("Content-Type", "application/json");
    r.timeout = std::chrono::milliseconds(240000);
    m_client->send(std::move(r), &context, [&after](Net::HttpClientResult res) { after = std::move(res); });
    QTRY_COMPARE_WITH_TIMEOUT(int(m_held.size()), 1, 120000);
    m_held.front().respond(200, Net::HttpHeaders{{"Content-Type", "application/json"}}, "{\"homeTransactionId\":\"h\"}");
    m_held.clear();
    QTRY_VERIFY_WITH_TIMEOUT(after.has_value(), 120000);
    QVERIFY(*after);
    QCOMPARE((*after)->status, 200);
}

void TestConnectorTlsReload::badFilesAreRefused()
{
    const QByteArray serial = payeeServerSerial();
    QVERIFY(!serial.isEmpty());
    const QByteArray goodCert = readAll(m_payeeCert), goodKey = readAll(m_payeeKey);
    const int refusedBefore = m_payee->tlsStatus().refused;

    // Half written: the certificate file ends in the middle of its PEM.
    QVERIFY(replaceFile(m_payeeCert, goodCert.left(goodCert.size() / 2)));
    auto r = m_payee->reloadTls();
    QVERIFY(!r);
    QVERIFY2(r.error().message.startsWith(u"IN_SERVER_CERT_PATH: "_s), qPrintable(r.error().message));
    QCOMPARE(payeeServerSerial(), serial);

    // A certificate with somebody else's key.
    auto other = m_pki->issueServer();
    QVERIFY(other);
    QVERIFY(replaceFile(m_payeeCert, readAll(other->certificatePath)));
    r = m_payee->reloadTls();
    QVERIFY(!r);
    QCOMPARE(r.error().message, u"IN_SERVER_KEY_PATH: '%1' is not the key of the certificate in IN_SERVER_CERT_PATH ('%2')"_s
                                    .arg(m_payeeKey, m_payeeCert));
    QCOMPARE(payeeServerSerial(), serial);
    QVERIFY(m_payee->tlsStatus().refused > refusedBefore);

    // The good pair back: nothing to change (same material as in use).
    QVERIFY(replaceFile(m_payeeCert, goodCert));
    QVERIFY(replaceFile(m_payeeKey, goodKey));
    QTRY_VERIFY_WITH_TIMEOUT([&] { auto again = m_payee->reloadTls(); return again && !*again; }(), 10000);
    QCOMPARE(payeeServerSerial(), serial);
}

QTEST_GUILESS_MAIN(TestConnectorTlsReload)
#include "tst_connector_tlsreload.moc"
