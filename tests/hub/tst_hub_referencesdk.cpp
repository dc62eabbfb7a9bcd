// The reference SDK (@mojaloop/sdk-scheme-adapter, a real node process with its redis) as a
// participant of the hub beside our connector (in process): transfers both ways through the hub,
// JWS on every leg, the hub's positions checked. Uses the interop harness (tests/interop).

#include "core/connector/connector.h"
#include "core/hub/hub.h"
#include "tests/integration/connectorkit.h"
#include "tests/interop/referencesdk.h"
#include "tests/support/testbackend.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Test;

namespace {

const QString OurFsp = u"pmdfsp"_s;
const QString RefFsp = u"refdfsp"_s;
const QString RefParty = u"27710000001"_s;
const QString OurParty = u"25612345678"_s;

template<typename T> QByteArray why(const Pm::Result<T> &r)
{
    return r ? QByteArray() : r.error().message.toUtf8();
}

Json backendParty(const QString &id, const QString &first, const QString &last)
{
    return Json { { "idType", "MSISDN" }, { "idValue", id.toStdString() },
        { "displayName", QString(first + u' ' + last).toStdString() },
        { "firstName", first.toStdString() }, { "lastName", last.toStdString() },
        { "dateOfBirth", "1985-04-12" }, { "merchantClassificationCode", "1234" } };
}

Json transferRequest(const QString &from, const QString &to, const QString &amount)
{
    return Json { { "homeTransactionId", "hub-interop" },
        { "from",
            Json { { "idType", "MSISDN" }, { "idValue", from.toStdString() },
                { "displayName", "Payer Person" }, { "firstName", "Payer" },
                { "lastName", "Person" }, { "dateOfBirth", "1980-01-01" } } },
        { "to", Json { { "idType", "MSISDN" }, { "idValue", to.toStdString() } } },
        { "amountType", "SEND" }, { "currency", "USD" }, { "amount", amount.toStdString() },
        { "transactionType", "TRANSFER" }, { "note", "through the hub" } };
}

} // namespace

class TestHubReferenceSdk : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void ourConnectorPaysTheReferenceThroughTheHub();
    void theReferencePaysOurConnectorThroughTheHub();
    void noReferenceErrorsAndNoRefusals();

private:
    QTemporaryDir m_dir;
    Interop::RedisServer m_redis;
    Interop::ReferenceSdk m_sdk;
    std::unique_ptr<TestBackend> m_refBackend, m_ourBackend;
    std::unique_ptr<Hub::Hub> m_hub;
    std::unique_ptr<Connector::Connector> m_ours;
    std::unique_ptr<Net::HttpClient> m_client;
};

void TestHubReferenceSdk::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString keysDir = m_dir.filePath(u"jwskeys"_s);
    QVERIFY(QDir().mkpath(keysDir));
    QString ourKeyPath, refKeyPath;
    for (auto [fsp, path] :
        { std::pair { OurFsp, &ourKeyPath }, std::pair { RefFsp, &refKeyPath } }) {
        const auto pem = Interop::generateRsaPrivateKeyPem();
        QVERIFY2(pem, why(pem).constData());
        *path = m_dir.filePath(fsp + u"-private.pem"_s);
        QVERIFY(writeFile(*path, *pem));
        auto key = Fspiop::Jws::SigningKey::fromPem(*pem);
        QVERIFY(key);
        QVERIFY(writeFile(keysDir + u'/' + fsp + u".pem"_s, key->publicKeyPem()));
    }
    const auto redis = m_redis.start();
    QVERIFY2(redis, why(redis).constData());

    // The hub first: both participants need its port, and both verify its messages.
    Hub::HubConfig hubConfig;
    hubConfig.requireJwsOnPutParties = true; // both sides sign PUT /parties here
    m_hub = std::make_unique<Hub::Hub>(hubConfig);
    const auto hubPort = m_hub->start();
    QVERIFY2(hubPort, why(hubPort).constData());
    QVERIFY(writeFile(keysDir + u"/switch.pem"_s, m_hub->publicKeyPem()));

    m_refBackend = std::make_unique<TestBackend>();
    m_ourBackend = std::make_unique<TestBackend>();
    QVERIFY(m_refBackend->start());
    QVERIFY(m_ourBackend->start());
    m_refBackend->addParty(backendParty(RefParty, u"Amahle"_s, u"Dlamini"_s));
    m_ourBackend->addParty(backendParty(OurParty, u"Kato"_s, u"Okello"_s));

    Interop::ReferenceSdkSettings ref;
    ref.dfspId = RefFsp;
    ref.peerEndpoint = u"127.0.0.1:%1"_s.arg(*hubPort);
    ref.backendEndpoint = m_refBackend->endpoint();
    ref.cacheUrl = m_redis.url(1);
    ref.ilpSecret = u"reference-hub-secret"_s;
    ref.jwsSigningKeyPath = refKeyPath;
    ref.jwsVerificationKeysDirectory = keysDir;
    const auto started = m_sdk.start(ref);
    QVERIFY2(started, why(started).constData());

    const auto ourInbound = Interop::freeLoopbackPort();
    QVERIFY2(ourInbound, why(ourInbound).constData());
    auto ours
        = testConfig(OurFsp, *ourInbound, *hubPort, m_ourBackend->port(), ourKeyPath, keysDir);
    m_ours = std::make_unique<Connector::Connector>(ours, m_dir.filePath(u"ours"_s));
    const auto ourStarted = m_ours->start();
    QVERIFY2(ourStarted, why(ourStarted).constData());

    QByteArray ourPublic, refPublic;
    for (auto [fsp, out] : { std::pair { OurFsp, &ourPublic }, std::pair { RefFsp, &refPublic } }) {
        QFile f(keysDir + u'/' + fsp + u".pem"_s);
        QVERIFY(f.open(QIODevice::ReadOnly));
        *out = f.readAll();
    }
    QVERIFY(m_hub->addParticipant({ OurFsp, QUrl(u"http://127.0.0.1:%1"_s.arg(*ourInbound)),
        { u"USD"_s }, ourPublic, { { u"USD"_s, u"1000"_s } } }));
    QVERIFY(m_hub->addParticipant({ RefFsp, QUrl(m_sdk.inboundUrl()), { u"USD"_s }, refPublic,
        { { u"USD"_s, u"1000"_s } } }));
    QVERIFY(m_hub->addParty({ u"MSISDN"_s, RefParty, {}, RefFsp }));
    QVERIFY(m_hub->addParty({ u"MSISDN"_s, OurParty, {}, OurFsp }));
    m_client = Net::createHttpClient();
}

void TestHubReferenceSdk::cleanupTestCase()
{
    if (m_ours)
        m_ours->stop();
    m_ours.reset();
    m_sdk.stop();
    if (m_hub)
        m_hub->stop();
    m_redis.stop();
}

void TestHubReferenceSdk::ourConnectorPaysTheReferenceThroughTheHub()
{
    const QUrl url(u"http://127.0.0.1:%1/transfers"_s.arg(m_ours->ports().outbound));
    auto r = call(*m_client, "POST", url,
        Fspiop::serializeJson(transferRequest(u"25644444444"_s, RefParty, u"12.34"_s)), {}, 60000);
    QVERIFY(r);
    QVERIFY2(r->status == 200, r->body.constData());
    const Json body = parse(r->body);
    QCOMPARE(qs(body, "currentState"), u"COMPLETED"_s);
    QCOMPARE(qs(body["to"], "fspId"), RefFsp);
    QCOMPARE(qs(body["to"], "firstName"), u"Amahle"_s);
    const QString id = qs(body, "transferId");
    const auto t = m_hub->transfer(id);
    QVERIFY(t);
    QCOMPARE(t->state, Hub::TransferState::Committed);
    QCOMPARE(t->payeeFsp, RefFsp);
    QCOMPARE(t->amountMinor, 1234);
    QCOMPARE(m_refBackend->count("POST", u"/transfers"_s), 1);
    QCOMPARE(m_hub->position(OurFsp, u"USD"_s)->position, 1234);
    QCOMPARE(m_hub->position(RefFsp, u"USD"_s)->position, -1234);
}

void TestHubReferenceSdk::theReferencePaysOurConnectorThroughTheHub()
{
    auto r = call(*m_client, "POST", QUrl(m_sdk.outboundUrl() + u"/transfers"_s),
        Fspiop::serializeJson(transferRequest(u"27799999999"_s, OurParty, u"20"_s)), {}, 60000);
    QVERIFY(r);
    QVERIFY2(r->status == 200, r->body.constData());
    const Json body = parse(r->body);
    QCOMPARE(qs(body, "currentState"), u"COMPLETED"_s);
    const QString id = qs(body, "transferId");
    const auto t = m_hub->transfer(id);
    QVERIFY(t);
    QCOMPARE(t->state, Hub::TransferState::Committed);
    QCOMPARE(t->payerFsp, RefFsp);
    QCOMPARE(t->payeeFsp, OurFsp);
    QCOMPARE(m_ourBackend->count("POST", u"/transfers"_s), 1);
    // Net of both transfers: ours paid 12.34 and received 20.
    QCOMPARE(m_hub->position(OurFsp, u"USD"_s)->position, 1234 - 2000);
    QCOMPARE(m_hub->position(RefFsp, u"USD"_s)->position, 2000 - 1234);
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto rec = m_ours->store()->transfers().get(id);
            return rec && rec->has_value() && (*rec)->state == u"COMPLETED"_s;
        },
        20000));
}

void TestHubReferenceSdk::noReferenceErrorsAndNoRefusals()
{
    const auto counters = m_hub->counters();
    QCOMPARE(counters.requestsRefused, 0);
    QCOMPARE(counters.errorCallbacks, 0);
    QCOMPARE(counters.forwardFailures, 0);
    QVERIFY(counters.requestsReceived >= 12);
    const auto errors = m_sdk.logErrors();
    QString lines;
    for (const auto &e : errors)
        lines += QString::fromUtf8(e.line.left(400)) + u'\n';
    QVERIFY2(errors.isEmpty(), qPrintable(lines));
}

QTEST_GUILESS_MAIN(TestHubReferenceSdk)
#include "tst_hub_referencesdk.moc"
