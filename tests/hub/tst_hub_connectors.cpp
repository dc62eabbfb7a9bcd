// Two real connectors (pm_connector, in process) as the hub's participants: each with its own
// test backend and store, JWS on every leg (the hub's own messages verified with its public key),
// CHECK_ILP on. The hub routes lookups, quotes and transfers between them.

#include "core/connector/connector.h"
#include "core/hub/hub.h"
#include "tests/hub/hubkit.h"
#include "tests/integration/connectorkit.h"
#include "tests/support/testbackend.h"
#include "tests/support/testpki.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Test;

class TestHubConnectors : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void transferThroughTheHubCompletes();
    void capEdgeThroughConnectors();
    void unknownPartyIs3200();
    void reserveNotificationGetsPatch();
    void expiredTransferAbortsBothSides();

private:
    using Tweak = std::function<void(Connector::ConnectorConfig &)>;
    void startAll(const QString &payerCap = {}, const Tweak &payer = {}, const Tweak &payee = {});
    Net::HttpClientResult postTransfer(const QString &idValue, const QString &amount);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_payerKey, m_payeeKey, m_keysDir;
    QByteArray m_payerPublic, m_payeePublic, m_hubKey;
    std::unique_ptr<TestPki> m_pki;
    std::unique_ptr<TestBackend> m_payerBackend, m_payeeBackend;
    std::unique_ptr<Hub::Hub> m_hub;
    std::unique_ptr<Connector::Connector> m_payer, m_payee;
    std::unique_ptr<Net::HttpClient> m_client;
    int m_run = 0;
};

void TestHubConnectors::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto pki = TestPki::create(m_dir->path(), TestKeyType::Rsa2048);
    QVERIFY2(pki, qPrintable(pki ? QString() : pki.error().message));
    m_pki = std::make_unique<TestPki>(std::move(*pki));
    auto payer = m_pki->issueClient(u"payerfsp"_s);
    auto payee = m_pki->issueClient(u"payeefsp"_s);
    QVERIFY(payer && payee);
    m_payerKey = payer->privateKeyPath;
    m_payeeKey = payee->privateKeyPath;
    m_keysDir = m_dir->filePath(u"jwskeys"_s);
    m_hubKey = newRsaKeyPem(); // once: RSA generation is slow under the sanitizers
    QVERIFY(!m_hubKey.isEmpty());
    QVERIFY(QDir().mkpath(m_keysDir));
    for (auto [name, path, out] : { std::tuple { u"payerfsp"_s, m_payerKey, &m_payerPublic },
             std::tuple { u"payeefsp"_s, m_payeeKey, &m_payeePublic } }) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto key = Fspiop::Jws::SigningKey::fromPem(f.readAll());
        QVERIFY(key);
        *out = key->publicKeyPem();
        QVERIFY(writeFile(m_keysDir + u'/' + name + u".pem"_s, *out));
    }
}

void TestHubConnectors::init()
{
    m_payerBackend = std::make_unique<TestBackend>();
    m_payeeBackend = std::make_unique<TestBackend>();
    QVERIFY(m_payerBackend->start());
    QVERIFY(m_payeeBackend->start());
    m_payeeBackend->addParty(Json { { "idType", "MSISDN" }, { "idValue", "25612345678" },
        { "displayName", "Test Party" }, { "firstName", "Test" }, { "lastName", "Party" },
        { "dateOfBirth", "1970-01-01" } });
    m_client = Net::createHttpClient();
}

void TestHubConnectors::cleanup()
{
    if (m_payer)
        m_payer->stop();
    if (m_payee)
        m_payee->stop();
    m_payer.reset();
    m_payee.reset();
    if (m_hub)
        m_hub->stop();
    m_hub.reset();
    m_client.reset();
    m_payerBackend.reset();
    m_payeeBackend.reset();
}

void TestHubConnectors::startAll(
    const QString &payerCap, const Tweak &payerTweak, const Tweak &payeeTweak)
{
    // The hub first, on a free port of its own; the participants are registered once their ports
    // are known (registration while running, as the Sandbox does).
    Hub::HubConfig hubConfig;
    // The reference signs PUT /parties only with JWS_SIGN_PUT_PARTIES; these connectors do, so
    // require it.
    hubConfig.requireJwsOnPutParties = true;
    hubConfig.signingKeyPem = m_hubKey;
    m_hub = std::make_unique<Hub::Hub>(hubConfig);
    auto hubPort = m_hub->start();
    QVERIFY2(hubPort, qPrintable(hubPort ? QString() : hubPort.error().message));
    // The connectors verify the hub's own messages (errors, PATCH) with its key.
    QVERIFY(writeFile(m_keysDir + u"/switch.pem"_s, m_hub->publicKeyPem()));

    const quint16 payerIn = freePort(), payeeIn = freePort();
    QVERIFY(payerIn && payeeIn && payerIn != payeeIn);
    auto payerCfg = testConfig(
        u"payerfsp"_s, payerIn, *hubPort, m_payerBackend->port(), m_payerKey, m_keysDir);
    auto payeeCfg = testConfig(
        u"payeefsp"_s, payeeIn, *hubPort, m_payeeBackend->port(), m_payeeKey, m_keysDir);
    if (payerTweak)
        payerTweak(payerCfg);
    if (payeeTweak)
        payeeTweak(payeeCfg);
    ++m_run;
    m_payer = std::make_unique<Connector::Connector>(
        payerCfg, m_dir->filePath(u"payer-%1"_s.arg(m_run)));
    m_payee = std::make_unique<Connector::Connector>(
        payeeCfg, m_dir->filePath(u"payee-%1"_s.arg(m_run)));
    auto a = m_payee->start();
    QVERIFY2(a, qPrintable(a ? QString() : a.error().message));
    auto b = m_payer->start();
    QVERIFY2(b, qPrintable(b ? QString() : b.error().message));

    Hub::ParticipantConfig payer { u"payerfsp"_s, QUrl(u"http://127.0.0.1:%1"_s.arg(payerIn)),
        { u"USD"_s }, m_payerPublic, {} };
    if (!payerCap.isEmpty())
        payer.netDebitCap.insert(u"USD"_s, payerCap);
    QVERIFY(m_hub->addParticipant(payer));
    QVERIFY(m_hub->addParticipant(Hub::ParticipantConfig { u"payeefsp"_s,
        QUrl(u"http://127.0.0.1:%1"_s.arg(payeeIn)), { u"USD"_s }, m_payeePublic, {} }));
    QVERIFY(m_hub->addParty(Hub::PartyEntry { u"MSISDN"_s, u"25612345678"_s, {}, u"payeefsp"_s }));
    QCOMPARE(m_hub->participants().size(), 2);
}

Net::HttpClientResult TestHubConnectors::postTransfer(const QString &idValue, const QString &amount)
{
    Json req = Json::object();
    req["homeTransactionId"] = "home-tx-hub";
    req["from"] = Json { { "idType", "MSISDN" }, { "idValue", "25644444444" },
        { "displayName", "Payer Person" }, { "fspId", "payerfsp" } };
    req["to"] = Json { { "idType", "MSISDN" }, { "idValue", idValue.toStdString() } };
    req["amountType"] = "SEND";
    req["currency"] = "USD";
    req["amount"] = amount.toStdString();
    req["transactionType"] = "TRANSFER";
    const QUrl url(u"http://127.0.0.1:%1/transfers"_s.arg(m_payer->ports().outbound));
    return call(*m_client, "POST", url, Fspiop::serializeJson(req), {}, 60000);
}

void TestHubConnectors::transferThroughTheHubCompletes()
{
    startAll(u"1000"_s);
    QSignalSpy changed(m_hub.get(), &Hub::Hub::transferChanged);
    auto r = postTransfer(u"25612345678"_s, u"100.5"_s);
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    const Json body = parse(r->body);
    QCOMPARE(qs(body, "currentState"), u"COMPLETED"_s);
    QCOMPARE(qs(body["to"], "fspId"), u"payeefsp"_s);
    QCOMPARE(qs(body, "quoteResponseSource"), u"payeefsp"_s);
    const QString transferId = qs(body, "transferId");
    QVERIFY(!transferId.isEmpty());
    // The hub holds it as committed, and the positions moved by exactly 100.50.
    const auto t = m_hub->transfer(transferId);
    QVERIFY(t);
    QCOMPARE(t->state, Hub::TransferState::Committed);
    QCOMPARE(t->payerFsp, u"payerfsp"_s);
    QCOMPARE(t->payeeFsp, u"payeefsp"_s);
    QCOMPARE(t->amountMinor, 10050);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->position, 10050);
    QCOMPARE(m_hub->position(u"payeefsp"_s, u"USD"_s)->position, -10050);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->reserved, 0);
    QVERIFY(QTest::qWaitFor([&] { return changed.size() >= 2; }, 20000));
    // Every leg was accepted and passed on: lookup, quote and transfer requests and their answers.
    const auto counters = m_hub->counters();
    QCOMPARE(counters.requestsRefused, 0);
    QCOMPARE(counters.errorCallbacks, 0);
    QCOMPARE(counters.requestsReceived, 6);
    QCOMPARE(m_payeeBackend->count("POST", u"/transfers"_s), 1);
    QCOMPARE(qs(m_payeeBackend->last("POST", u"/transfers"_s).json, "transferId"), transferId);
    // Both connectors recorded it as completed.
    auto payerRecord = m_payer->store()->transfers().get(transferId);
    QVERIFY(payerRecord && payerRecord->has_value());
    QCOMPARE((*payerRecord)->state, u"COMPLETED"_s);
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto rec = m_payee->store()->transfers().get(transferId);
            return rec && rec->has_value() && (*rec)->state == u"COMPLETED"_s;
        },
        20000));

    // Ten more, one after the other: all complete, positions add up exactly, and the wall time per
    // transfer through the hub (lookup, quote, transfer: 6 requests, 6 callbacks) is reported.
    QElapsedTimer wall;
    wall.start();
    for (int i = 0; i < 10; ++i) {
        auto again = postTransfer(u"25612345678"_s, u"0.07"_s);
        QVERIFY(again && again->status == 200);
        QCOMPARE(qs(parse(again->body), "currentState"), u"COMPLETED"_s);
    }
    qInfo("sequential transfers through the hub (two connectors, one hub, JWS on every leg): %.1f "
          "ms each",
        double(wall.elapsed()) / 10.0);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->position, 10050 + 70);
    QCOMPARE(m_hub->position(u"payeefsp"_s, u"USD"_s)->position, -(10050 + 70));
    QCOMPARE(m_hub->transfers().size(), 11);
}

void TestHubConnectors::capEdgeThroughConnectors()
{
    startAll(u"100.5"_s);
    // Exactly to the cap: passes.
    auto r = postTransfer(u"25612345678"_s, u"100.5"_s);
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QCOMPARE(qs(parse(r->body), "currentState"), u"COMPLETED"_s);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->position, 10050);
    // One minor unit more: refused by the hub with 4001; the payee's backend never sees it.
    auto more = postTransfer(u"25612345678"_s, u"0.01"_s);
    QVERIFY(more);
    QCOMPARE(more->status, 500);
    const Json body = parse(more->body);
    QCOMPARE(qs(body, "statusCode"), u"4001"_s);
    QCOMPARE(
        qs(body["transferState"]["lastError"]["mojaloopError"]["errorInformation"], "errorCode"),
        u"4001"_s);
    const QString refusedId = qs(body["transferState"], "transferId");
    const auto transfers = m_hub->transfers();
    QCOMPARE(transfers.size(), 2);
    QCOMPARE(transfers[1].state, Hub::TransferState::Aborted);
    QCOMPARE(transfers[1].errorCode, 4001);
    if (!refusedId.isEmpty())
        QCOMPARE(transfers[1].transferId, refusedId);
    QCOMPARE(m_payeeBackend->count("POST", u"/transfers"_s), 1);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->position, 10050);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->reserved, 0);
}

void TestHubConnectors::unknownPartyIs3200()
{
    startAll();
    auto r = postTransfer(u"999000"_s, u"1"_s);
    QVERIFY(r);
    QCOMPARE(r->status, 500);
    const Json body = parse(r->body);
    QCOMPARE(qs(body, "statusCode"), u"3200"_s);
    QCOMPARE(
        qs(body["transferState"]["lastError"]["mojaloopError"]["errorInformation"], "errorCode"),
        u"3200"_s);
    QCOMPARE(m_payeeBackend->calls().size(), 0);
    QCOMPARE(m_hub->transfers().size(), 0);
}

void TestHubConnectors::reserveNotificationGetsPatch()
{
    // The payee answers RESERVED and waits for the hub's PATCH (its GET fallback is far away).
    startAll({}, {}, [](Connector::ConnectorConfig &c) {
        c.reserveNotification = true;
        c.patchNotificationGraceTimeMs = 600000;
    });
    auto r = postTransfer(u"25612345678"_s, u"2.5"_s);
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    const Json body = parse(r->body);
    const QString transferId = qs(body, "transferId");
    QCOMPARE(qs(body["fulfil"]["body"], "transferState"), u"RESERVED"_s);
    QCOMPARE(m_hub->transfer(transferId)->state, Hub::TransferState::Committed);
    // The PATCH reached the payee connector, which told its backend the final state.
    const QString path = u"/transfers/"_s + transferId;
    QVERIFY(QTest::qWaitFor([&] { return m_payeeBackend->count("PUT", path) > 0; }, 30000));
    const Json notification = m_payeeBackend->last("PUT", path).json;
    QCOMPARE(qs(notification, "currentState"), u"COMPLETED"_s);
    QCOMPARE(qs(notification["finalNotification"], "transferState"), u"COMMITTED"_s);
    auto rec = m_payee->store()->transfers().get(transferId);
    QVERIFY(rec && rec->has_value());
    QCOMPARE((*rec)->state, u"COMPLETED"_s);
    // It came as a PATCH from the hub, recorded with its headers.
    auto messages = m_payee->store()->messages().ofTransfer(transferId);
    QVERIFY(messages);
    bool patched = false;
    for (const Store::MessageRecord &m : *messages)
        patched = patched || (m.method == u"PATCH"_s && m.direction == Store::MessageDirection::In);
    QVERIFY(patched);
}

void TestHubConnectors::expiredTransferAbortsBothSides()
{
    // Transfers expire 3 s after they are prepared; the payee's backend takes 6 s to answer.
    startAll(
        {}, [](Connector::ConnectorConfig &c) { c.expirySeconds = 3; },
        [](Connector::ConnectorConfig &c) { c.http.timeoutMs = 20000; });
    m_payeeBackend->setAnswer(
        "POST", u"/transfers"_s, { 200, R"({"homeTransactionId":"slow"})"_ba, 6000 });
    auto r = postTransfer(u"25612345678"_s, u"9"_s);
    QVERIFY(r);
    QCOMPARE(r->status, 500);
    const Json body = parse(r->body);
    QCOMPARE(qs(body, "statusCode"), u"3303"_s);
    const auto transfers = m_hub->transfers();
    QCOMPARE(transfers.size(), 1);
    QCOMPARE(transfers[0].state, Hub::TransferState::Aborted);
    QCOMPARE(transfers[0].errorCode, 3303);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->reserved, 0);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->position, 0);
    QCOMPARE(m_hub->position(u"payeefsp"_s, u"USD"_s)->position, 0);
    // The payee connector got the 3303 as well (the hub's PUT /transfers/{id}/error).
    const QString id = transfers[0].transferId;
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto messages = m_payee->store()->messages().ofTransfer(id);
            if (!messages)
                return false;
            for (const Store::MessageRecord &m : *messages) {
                if (m.direction == Store::MessageDirection::In && m.url.endsWith(u"/error"_s)
                    && m.body.contains("3303"))
                    return true;
            }
            return false;
        },
        30000));
}

QTEST_GUILESS_MAIN(TestHubConnectors)
#include "tst_hub_connectors.moc"
