// Two connectors peering directly (the payer's PEER_ENDPOINT is the payee's inbound server and the
// other way round), each with its own test backend and store, JWS on every leg and CHECK_ILP on.

#include "core/connector/connector.h"
#include "core/fspiop/ilp.h"
#include "tests/integration/connectorkit.h"
#include "tests/support/testbackend.h"
#include "tests/support/testpki.h"

#include <QDateTime>
#include <QHash>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Test;

class TestConnectorPeer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void transferCompletes();
    void unicodeNamesAndSubIdReachTheBackend();
    void pausesAndResumes();
    void rejectedPartyAborts();
    void unknownPartyIs3204();
    void payeeBackendErrorIsForwarded();
    void timeoutAnswers504WithState();
    void duplicatesAnsweredFromTheRecord();
    void getTransferAndParties();
    void metricsAreServed();
    void mutualTls();
    void pausedTransferSurvivesRestart();
    void concurrentLookupsShareOneRequest();

private:
    using Tweak = std::function<void(Connector::ConnectorConfig &)>;
    void startPair(const Tweak &payer = {}, const Tweak &payee = {}, bool mtls = false);
    Net::HttpClientResult postTransfer(const Json &to, const QString &amount = u"100.5"_s);
    QUrl outbound(const QString &path) const
    {
        return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_payer->ports().outbound).arg(path));
    }
    void checkSchemas(const QString &transferId);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_payerKey, m_payeeKey, m_keysDir;
    std::unique_ptr<TestPki> m_pki;
    std::unique_ptr<TestBackend> m_payerBackend, m_payeeBackend;
    std::unique_ptr<Connector::Connector> m_payer, m_payee;
    std::optional<Connector::ConnectorConfig> m_payerConfig;
    QString m_payerDir;
    std::unique_ptr<Net::HttpClient> m_client;
};

void TestConnectorPeer::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // RSA keys from a throwaway PKI: each issued client certificate has a new RSA 2048 key.
    auto pki = TestPki::create(m_dir->path(), TestKeyType::Rsa2048);
    QVERIFY2(pki, qPrintable(pki ? QString() : pki.error().message));
    m_pki = std::make_unique<TestPki>(std::move(*pki));
    auto payer = m_pki->issueClient(u"payerfsp"_s);
    auto payee = m_pki->issueClient(u"payeefsp"_s);
    QVERIFY(payer && payee);
    m_payerKey = payer->privateKeyPath;
    m_payeeKey = payee->privateKeyPath;
    m_keysDir = m_dir->filePath(u"jwskeys"_s);
    QVERIFY(QDir().mkpath(m_keysDir));
    for (const auto &[name, path] : {std::pair{u"payerfsp"_s, m_payerKey}, std::pair{u"payeefsp"_s, m_payeeKey}}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto key = Fspiop::Jws::SigningKey::fromPem(f.readAll());
        QVERIFY(key);
        QVERIFY(writeFile(m_keysDir + u'/' + name + u".pem"_s, key->publicKeyPem()));
    }
}

void TestConnectorPeer::init()
{
    m_payerBackend = std::make_unique<TestBackend>();
    m_payeeBackend = std::make_unique<TestBackend>();
    QVERIFY(m_payerBackend->start());
    QVERIFY(m_payeeBackend->start());
    m_payeeBackend->addParty(Json{{"idType", "MSISDN"}, {"idValue", "25612345678"},
                                  {"displayName", "Test Party 25612345678"}, {"firstName", "Test"},
                                  {"middleName", "M"}, {"lastName", "Party5678"},
                                  {"dateOfBirth", "1970-01-01"}, {"merchantClassificationCode", "1234"}});
    m_client = Net::createHttpClient();
}

void TestConnectorPeer::cleanup()
{
    if (m_payer)
        m_payer->stop();
    if (m_payee)
        m_payee->stop();
    m_payer.reset();
    m_payee.reset();
    m_client.reset();
    m_payerBackend.reset();
    m_payeeBackend.reset();
}

void TestConnectorPeer::startPair(const Tweak &payerTweak, const Tweak &payeeTweak, bool mtls)
{
    const quint16 payerIn = freePort(), payeeIn = freePort();
    QVERIFY(payerIn && payeeIn);
    auto payerCfg = testConfig(u"payerfsp"_s, payerIn, payeeIn, m_payerBackend->port(), m_payerKey, m_keysDir);
    auto payeeCfg = testConfig(u"payeefsp"_s, payeeIn, payerIn, m_payeeBackend->port(), m_payeeKey, m_keysDir);
    if (mtls) {
        for (auto *c : {&payerCfg, &payeeCfg}) {
            c->inboundTls = {true, {m_pki->ca().certificatePath}, m_pki->server().certificatePath,
                             m_pki->server().privateKeyPath};
            c->outboundTls = {true, {m_pki->ca().certificatePath}, m_pki->client().certificatePath,
                              m_pki->client().privateKeyPath};
            const QString peer = c == &payerCfg ? QString::number(payeeIn) : QString::number(payerIn);
            const QUrl url(u"https://127.0.0.1:"_s + peer);
            c->hubUrls.peer = c->hubUrls.als = c->hubUrls.quotes = c->hubUrls.transfers = url;
        }
    }
    if (payerTweak)
        payerTweak(payerCfg);
    if (payeeTweak)
        payeeTweak(payeeCfg);
    m_payerConfig = payerCfg;
    m_payerDir = m_dir->filePath(u"payer-"_s + QString::number(payerIn));
    m_payer = std::make_unique<Connector::Connector>(payerCfg, m_payerDir);
    m_payee = std::make_unique<Connector::Connector>(payeeCfg, m_dir->filePath(u"payee-"_s + QString::number(payeeIn)));
    auto a = m_payee->start();
    QVERIFY2(a, qPrintable(a ? QString() : a.error().message));
    auto b = m_payer->start();
    QVERIFY2(b, qPrintable(b ? QString() : b.error().message));
}

Net::HttpClientResult TestConnectorPeer::postTransfer(const Json &to, const QString &amount)
{
    Json req = Json::object();
    req["homeTransactionId"] = "home-tx-1";
    req["from"] = Json{{"idType", "MSISDN"}, {"idValue", "25644444444"}, {"displayName", "Payer Person"},
                       {"firstName", "Payer"}, {"lastName", "Person"}, {"dateOfBirth", "1980-01-01"},
                       {"fspId", "payerfsp"}};
    req["to"] = to;
    req["amountType"] = "SEND";
    req["currency"] = "USD";
    req["amount"] = amount.toStdString();
    req["transactionType"] = "TRANSFER";
    req["note"] = "peer test";
    return call(*m_client, "POST", outbound(u"/transfers"_s), Fspiop::serializeJson(req));
}

void TestConnectorPeer::checkSchemas(const QString &transferId)
{
    int checked = 0;
    for (auto *c : {m_payer.get(), m_payee.get()}) {
        auto messages = c->store()->messages().ofTransfer(transferId);
        QVERIFY(messages);
        QString problem;
        const int n = validateSent(*messages, &problem);
        QVERIFY2(n >= 0, qPrintable(problem));
        checked += n;
        auto parties = c->store()->messages().byCorrelationId(u"MSISDN/25612345678"_s);
        QVERIFY(parties);
        const int p = validateSent(*parties, &problem);
        QVERIFY2(p >= 0, qPrintable(problem));
        checked += p;
    }
    QVERIFY(checked >= 3);
}

void TestConnectorPeer::transferCompletes()
{
    startPair();
    // The series are per minute: count from the start of this minute, and subtract what was there.
    const qint64 minuteMs = QDateTime::currentMSecsSinceEpoch() / 60'000 * 60'000;
    auto exchanges = [&](Connector::Connector *c, const QString &resource, Store::MessageDirection d) {
        c->store()->flush();
        const auto rows = c->store()->metrics().rows(minuteMs, minuteMs + 3'600'000);
        qint64 n = -1;
        if (rows) {
            n = 0;
            for (const Store::MetricRow &row : *rows)
                n += row.resource == resource && row.direction == d ? row.count : 0;
        }
        return n;
    };
    const QString resources[] = {u"parties"_s, u"quotes"_s, u"transfers"_s};
    const Store::MessageDirection directions[] = {Store::MessageDirection::Out, Store::MessageDirection::In};
    QHash<QString, qint64> earlier;
    for (auto *c : {m_payer.get(), m_payee.get()})
        for (const QString &resource : resources)
            for (auto d : directions)
                earlier[u"%1/%2/%3"_s.arg(c == m_payer.get()).arg(resource).arg(int(d))] = exchanges(c, resource, d);
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    auto r = postTransfer(Json{{"idType", "MSISDN"}, {"idValue", "25612345678"}});
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    const Json body = parse(r->body);
    QCOMPARE(qs(body, "currentState"), u"COMPLETED"_s);
    const QString transferId = qs(body, "transferId");
    QVERIFY(!transferId.isEmpty());
    // The response is shaped as the reference's (samples/transfer-response.json).
    for (const char *key : {"homeTransactionId", "from", "to", "amountType", "currency", "amount",
                            "transactionType", "note", "transferId", "currentState",
                            "initiatedTimestamp", "direction", "getPartiesRequest", "getPartiesResponse",
                            "quoteId", "quoteRequest", "quoteResponse", "quoteResponseSource", "prepare", "fulfil"}) {
        QVERIFY2(body.contains(key), key);
    }
    QCOMPARE(qs(body["to"], "fspId"), u"payeefsp"_s);
    QCOMPARE(qs(body["to"], "middleName"), u"M"_s);
    QCOMPARE(qs(body, "quoteResponseSource"), u"payeefsp"_s);
    const QString condition = qs(body["quoteResponse"]["body"], "condition");
    const QString fulfilment = qs(body["fulfil"]["body"], "fulfilment");
    QVERIFY(Fspiop::Ilp::checkFulfilment(fulfilment.toStdString(), condition.toStdString()));
    QCOMPARE(qs(body["fulfil"]["body"], "transferState"), u"COMMITTED"_s);

    // Both records are final; the payee's fulfilment is the one the payer got.
    QTRY_VERIFY(m_payee->store()->transfers().get(transferId).value().has_value());
    const auto payeeRec = *m_payee->store()->transfers().get(transferId).value();
    QCOMPARE(payeeRec.state, u"COMPLETED"_s);
    QCOMPARE(payeeRec.ilpFulfilment, fulfilment);
    QCOMPARE(payeeRec.ilpCondition, condition);
    QTRY_COMPARE(m_payer->store()->transfers().get(transferId).value()->state, u"COMPLETED"_s);

    // Each FSPIOP exchange of the transfer is in the per-minute series the technical dashboard reads:
    // the payer sent GET /parties, POST /quotes, POST /transfers and got their three callbacks; the
    // payee the other way round.
    for (auto *c : {m_payer.get(), m_payee.get()}) {
        for (const QString &resource : resources) {
            for (auto d : directions) {
                const qint64 before = earlier.value(u"%1/%2/%3"_s.arg(c == m_payer.get()).arg(resource).arg(int(d)));
                QVERIFY(before >= 0);
                QTRY_COMPARE(exchanges(c, resource, d) - before, 1);
            }
        }
    }

    // The payee's backend saw the reference's shapes (samples/backend-calls.json).
    QCOMPARE(m_payeeBackend->count("GET", u"/parties/MSISDN/25612345678"_s), 1);
    QCOMPARE(m_payeeBackend->count("POST", u"/quoterequests"_s), 1);
    QCOMPARE(m_payeeBackend->count("POST", u"/transfers"_s), 1);
    const Json qr = m_payeeBackend->last("POST", u"/quoterequests"_s).json;
    for (const char *key : {"quoteId", "transactionId", "to", "from", "amountType", "amount", "currency",
                            "transactionType", "initiator", "initiatorType", "note", "expiration"})
        QVERIFY2(qr.contains(key), key);
    QCOMPARE(qs(qr["from"], "displayName"), u"Payer Person"_s);
    QCOMPARE(qs(qr["to"], "fspId"), u"payeefsp"_s);
    const Json bt = m_payeeBackend->last("POST", u"/transfers"_s).json;
    QCOMPARE(qs(bt, "transferId"), transferId);
    for (const char *key : {"quote", "from", "to", "amountType", "currency", "amount", "transactionType", "ilpPacket", "note"})
        QVERIFY2(bt.contains(key), key);
    QCOMPARE(qs(bt["ilpPacket"]["data"], "transactionId"), transferId);
    QVERIFY(bt["quote"].contains("expiration"));
    QCOMPARE(m_payerBackend->calls().size(), 0); // auto-accept: the payer's backend is not asked

    checkSchemas(transferId);

    // CPU of the whole process (both connectors, both backends, the driver) for ten more.
    QElapsedTimer wall;
    wall.start();
    for (int i = 0; i < 10; ++i) {
        auto again = postTransfer(Json{{"idType", "MSISDN"}, {"idValue", "25612345678"}});
        QVERIFY(again && again->status == 200);
    }
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    const double cpuMs = (double(after.ru_utime.tv_sec - before.ru_utime.tv_sec) * 1e3
                          + double(after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e3
                          + double(after.ru_stime.tv_sec - before.ru_stime.tv_sec) * 1e3
                          + double(after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e3) / 11.0;
    qInfo("CPU per transfer (both connectors, backends and driver in one process): %.2f ms; "
          "wall %.1f ms per sequential transfer", cpuMs, double(wall.elapsed()) / 10.0);
}

void TestConnectorPeer::unicodeNamesAndSubIdReachTheBackend()
{
    m_payeeBackend->addParty(Json{{"idType", "ACCOUNT_ID"}, {"idValue", "acc-42"}, {"idSubValue", "savings"},
                                  {"displayName", "Zoë Nguyễn"}, {"firstName", "Zoë"},
                                  {"lastName", "Nguyễn-Ångström"}});
    startPair();
    auto r = postTransfer(Json{{"idType", "ACCOUNT_ID"}, {"idValue", "acc-42"}, {"idSubValue", "savings"}});
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    const Json body = parse(r->body);
    QCOMPARE(qs(body, "currentState"), u"COMPLETED"_s);
    QCOMPARE(qs(body["to"], "firstName"), u"Zoë"_s);
    QCOMPARE(m_payeeBackend->count("GET", u"/parties/ACCOUNT_ID/acc-42/savings"_s), 1);
    const Json to = m_payeeBackend->last("POST", u"/quoterequests"_s).json["to"];
    QCOMPARE(qs(to, "idSubValue"), u"savings"_s);
    QCOMPARE(qs(to, "firstName"), u"Zoë"_s);
    QCOMPARE(qs(to, "lastName"), u"Nguyễn-Ångström"_s);
    const Json bt = m_payeeBackend->last("POST", u"/transfers"_s).json;
    QCOMPARE(qs(bt["to"], "lastName"), u"Nguyễn-Ångström"_s);
    QCOMPARE(qs(bt["to"], "idSubValue"), u"savings"_s);
}

void TestConnectorPeer::pausesAndResumes()
{
    startPair([](Connector::ConnectorConfig &c) {
        c.autoAcceptParty = false;
        c.autoAcceptQuotes = false;
    });
    auto r = postTransfer(Json{{"idType", "MSISDN"}, {"idValue", "25612345678"}});
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    Json body = parse(r->body);
    QCOMPARE(qs(body, "currentState"), u"WAITING_FOR_PARTY_ACCEPTANCE"_s);
    const QString id = qs(body, "transferId");
    QCOMPARE(m_payeeBackend->count("POST", u"/quoterequests"_s), 0);

    auto q = call(*m_client, "PUT", outbound(u"/transfers/"_s + id), R"({"acceptParty":true})"_ba);
    QVERIFY(q);
    QCOMPARE(q->status, 200);
    body = parse(q->body);
    QCOMPARE(qs(body, "currentState"), u"WAITING_FOR_QUOTE_ACCEPTANCE"_s);
    QVERIFY(body["quoteResponse"]["body"].contains("condition"));
    QCOMPARE(m_payeeBackend->count("POST", u"/transfers"_s), 0);

    // A stored pause is visible through GET.
    auto g = call(*m_client, "GET", outbound(u"/transfers/"_s + id));
    QVERIFY(g);
    QCOMPARE(qs(parse(g->body), "currentState"), u"WAITING_FOR_QUOTE_ACCEPTANCE"_s);

    auto t = call(*m_client, "PUT", outbound(u"/transfers/"_s + id), R"({"acceptQuote":true})"_ba);
    QVERIFY(t);
    QCOMPARE(t->status, 200);
    QCOMPARE(qs(parse(t->body), "currentState"), u"COMPLETED"_s);
    QCOMPARE(m_payeeBackend->count("POST", u"/transfers"_s), 1);

    // A finished transfer cannot be resumed again.
    auto again = call(*m_client, "PUT", outbound(u"/transfers/"_s + id), R"({"acceptQuote":true})"_ba);
    QVERIFY(again);
    QCOMPARE(again->status, 409);
}

void TestConnectorPeer::rejectedPartyAborts()
{
    startPair([](Connector::ConnectorConfig &c) { c.autoAcceptParty = false; });
    auto r = postTransfer(Json{{"idType", "MSISDN"}, {"idValue", "25612345678"}});
    QVERIFY(r && r->status == 200);
    const QString id = qs(parse(r->body), "transferId");
    auto a = call(*m_client, "PUT", outbound(u"/transfers/"_s + id), R"({"acceptParty":false})"_ba);
    QVERIFY(a);
    QCOMPARE(a->status, 200);
    QCOMPARE(qs(parse(a->body), "currentState"), u"ABORTED"_s);
    QCOMPARE(m_payer->store()->transfers().get(id).value()->status, Store::TransferStatus::Failed);
}

void TestConnectorPeer::unknownPartyIs3204()
{
    startPair();
    auto r = postTransfer(Json{{"idType", "MSISDN"}, {"idValue", "999"}});
    QVERIFY(r);
    QCOMPARE(r->status, 500);
    const Json body = parse(r->body);
    QCOMPARE(qs(body, "statusCode"), u"3204"_s);
    QCOMPARE(qs(body["transferState"], "currentState"), u"ERROR_OCCURRED"_s);
    QCOMPARE(qs(body["transferState"]["lastError"]["mojaloopError"]["errorInformation"], "errorCode"), u"3204"_s);
    QCOMPARE(body["transferState"]["lastError"]["httpStatusCode"].get<int>(), 500);

    // The outbound GET /parties answers 404 with the errorInformation.
    auto p = call(*m_client, "GET", outbound(u"/parties/MSISDN/999"_s));
    QVERIFY(p);
    QCOMPARE(p->status, 404);
    QCOMPARE(qs(parse(p->body)["errorInformation"], "errorCode"), u"3204"_s);
}

void TestConnectorPeer::payeeBackendErrorIsForwarded()
{
    startPair({}, [](Connector::ConnectorConfig &c) { c.http.timeoutMs = 500; c.http.retries = 0; });
    // A backend error body {statusCode, message} becomes that FSPIOP code.
    m_payeeBackend->setAnswer("POST", u"/quoterequests"_s,
                              {400, R"({"statusCode":"5103","message":"Payee FSP rejected the quote"})"_ba, 0});
    auto r = postTransfer(Json{{"idType", "MSISDN"}, {"idValue", "25612345678"}});
    QVERIFY(r);
    QCOMPARE(r->status, 500);
    Json body = parse(r->body);
    QCOMPARE(qs(body, "statusCode"), u"5103"_s);
    QCOMPARE(qs(body["transferState"]["lastError"]["mojaloopError"]["errorInformation"], "errorDescription"),
             u"Payee FSP rejected the quote"_s);

    // A backend that does not answer in time gives 2004 (server timed out).
    m_payeeBackend->clearAnswers();
    m_payeeBackend->setAnswer("POST", u"/transfers"_s, {200, R"({"homeTransactionId":"late"})"_ba, 2000});
    r = postTransfer(Json{{"idType", "MSISDN"}, {"idValue", "25612345678"}});
    QVERIFY(r);
    QCOMPARE(r->status, 500);
    body = parse(r->body);
    QCOMPARE(qs(body, "statusCode"), u"2004"_s);
    const QString id = qs(body["transferState"], "transferId");
    QTRY_COMPARE(m_payee->store()->transfers().get(id).value()->state, u"ERROR_OCCURRED"_s);
    QCOMPARE(m_payee->store()->transfers().get(id).value()->lastErrorCode, std::optional<int>(2004));
}

void TestConnectorPeer::timeoutAnswers504WithState()
{
    startPair([](Connector::ConnectorConfig &c) { c.requestProcessingTimeoutSeconds = 1; });
    m_payeeBackend->setAnswer("GET", u"/parties/"_s, {200, R"({"idType":"MSISDN","idValue":"25612345678"})"_ba, 2500});
    auto r = postTransfer(Json{{"idType", "MSISDN"}, {"idValue", "25612345678"}});
    QVERIFY(r);
    QCOMPARE(r->status, 504);
    const Json body = parse(r->body);
    QCOMPARE(qs(body, "statusCode"), u"504"_s);
    QVERIFY(qs(body, "message").startsWith(u"Timeout resolving payee"_s));
    QCOMPARE(qs(body["transferState"], "currentState"), u"ERROR_OCCURRED"_s);
    QVERIFY(!qs(body["transferState"], "transferId").isEmpty());
    QTest::qWait(1800); // let the late party callback arrive and be ignored
}

void TestConnectorPeer::duplicatesAnsweredFromTheRecord()
{
    startPair();
    auto r = postTransfer(Json{{"idType", "MSISDN"}, {"idValue", "25612345678"}});
    QVERIFY(r && r->status == 200);
    const Json body = parse(r->body);
    const QString transferId = qs(body, "transferId");
    const QString quoteId = qs(body, "quoteId");

    // Replay the payer's recorded POST /quotes and POST /transfers byte for byte (same signature).
    auto replay = [&](const QString &correlationId, const QString &urlSuffix) {
        auto messages = m_payer->store()->messages().byCorrelationId(correlationId);
        QVERIFY(messages);
        for (const auto &m : *messages) {
            if (m.direction != Store::MessageDirection::Out || m.method != u"POST"_s || !m.url.endsWith(urlSuffix))
                continue;
            Net::HttpHeaders headers;
            for (const auto &[name, value] : m.headers)
                headers.add(name, value);
            auto res = call(*m_client, "POST", QUrl(m.url), m.body, headers);
            QVERIFY(res);
            QCOMPARE(res->status, 202);
            return;
        }
        QFAIL("no recorded request to replay");
    };
    replay(quoteId, u"/quotes"_s);
    replay(transferId, u"/transfers"_s);

    auto sentPuts = [&](const QString &correlationId, const QString &path) {
        QList<QByteArray> bodies;
        const auto messages = m_payee->store()->messages().byCorrelationId(correlationId).value();
        for (const auto &m : messages) {
            if (m.direction == Store::MessageDirection::Out && m.method == u"PUT"_s && QUrl(m.url).path() == path)
                bodies << m.body;
        }
        return bodies;
    };
    QTRY_COMPARE(sentPuts(quoteId, u"/quotes/"_s + quoteId).size(), 2);
    QTRY_COMPARE(sentPuts(transferId, u"/transfers/"_s + transferId).size(), 2);
    const auto quotes = sentPuts(quoteId, u"/quotes/"_s + quoteId);
    QCOMPARE(quotes[0], quotes[1]); // same condition, same bytes
    const auto fulfils = sentPuts(transferId, u"/transfers/"_s + transferId);
    QCOMPARE(fulfils[0], fulfils[1]); // same fulfilment
    QCOMPARE(m_payeeBackend->count("POST", u"/quoterequests"_s), 1);
    QCOMPARE(m_payeeBackend->count("POST", u"/transfers"_s), 1);
}

void TestConnectorPeer::getTransferAndParties()
{
    startPair();
    auto p = call(*m_client, "GET", outbound(u"/parties/MSISDN/25612345678"_s));
    QVERIFY(p);
    QCOMPARE(p->status, 200);
    const Json party = parse(p->body);
    QCOMPARE(qs(party, "currentState"), u"COMPLETED"_s);
    QCOMPARE(qs(party["party"]["body"]["party"]["partyIdInfo"], "fspId"), u"payeefsp"_s);
    QCOMPARE(qs(party["party"]["body"]["party"], "name"), u"Test Party 25612345678"_s);

    auto missing = call(*m_client, "GET", outbound(u"/transfers/nope"_s));
    QVERIFY(missing);
    QCOMPARE(missing->status, 404);
    auto health = call(*m_client, "GET", outbound(u"/"_s));
    QVERIFY(health);
    QCOMPARE(health->status, 200);
    auto bad = call(*m_client, "POST", outbound(u"/transfers"_s), R"({"amount":"1"})"_ba);
    QVERIFY(bad);
    QCOMPARE(bad->status, 400);
    auto zeros = postTransfer(Json{{"idType", "MSISDN"}, {"idValue", "25612345678"}}, u"100.50"_s);
    QVERIFY(zeros);
    QCOMPARE(zeros->status, 400);
}

void TestConnectorPeer::metricsAreServed()
{
    startPair();
    auto r = postTransfer(Json{{"idType", "MSISDN"}, {"idValue", "25612345678"}});
    QVERIFY(r && r->status == 200);
    auto m = call(*m_client, "GET", QUrl(u"http://127.0.0.1:%1/metrics"_s.arg(m_payer->ports().metrics)));
    QVERIFY(m);
    QCOMPARE(m->status, 200);
    QVERIFY(m->body.contains("mojaloop_connector_outbound_party_lookup_request_count 1"));
    QVERIFY(m->body.contains("mojaloop_connector_outbound_transfer_fulfil_response_count 1"));
    QVERIFY(m->body.contains("mojaloop_connector_outbound_transfer_latency_bucket"));
    QVERIFY(m->body.contains("pm_connector_fspiop_requests_total{direction=\"out\",resource=\"quotes\",method=\"POST\",status=\"202\"} 1"));
}

void TestConnectorPeer::mutualTls()
{
    startPair({}, {}, true);
    auto r = postTransfer(Json{{"idType", "MSISDN"}, {"idValue", "25612345678"}});
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QCOMPARE(qs(parse(r->body), "currentState"), u"COMPLETED"_s);
    checkSchemas(qs(parse(r->body), "transferId"));
}

void TestConnectorPeer::pausedTransferSurvivesRestart()
{
    startPair([](Connector::ConnectorConfig &c) { c.autoAcceptQuotes = false; });
    auto r = postTransfer(Json{{"idType", "MSISDN"}, {"idValue", "25612345678"}});
    QVERIFY(r && r->status == 200);
    const QString id = qs(parse(r->body), "transferId");
    QCOMPARE(qs(parse(r->body), "currentState"), u"WAITING_FOR_QUOTE_ACCEPTANCE"_s);

    // Stop the payer and start it again on the same store and port.
    m_payer->stop();
    m_payer = std::make_unique<Connector::Connector>(*m_payerConfig, m_payerDir);
    auto started = m_payer->start();
    QVERIFY2(started, qPrintable(started ? QString() : started.error().message));
    QCOMPARE(m_payer->store()->transfers().get(id).value()->state, u"WAITING_FOR_QUOTE_ACCEPTANCE"_s);

    auto t = call(*m_client, "PUT", outbound(u"/transfers/"_s + id), R"({"acceptQuote":true})"_ba);
    QVERIFY(t);
    QCOMPARE(t->status, 200);
    const Json body = parse(t->body);
    QCOMPARE(qs(body, "currentState"), u"COMPLETED"_s);
    QVERIFY(Fspiop::Ilp::checkFulfilment(qs(body["fulfil"]["body"], "fulfilment").toStdString(),
                                         qs(body["quoteResponse"]["body"], "condition").toStdString()));
}

void TestConnectorPeer::concurrentLookupsShareOneRequest()
{
    startPair();
    m_payeeBackend->setAnswer("GET", u"/parties/"_s,
                              {200, R"({"idType":"MSISDN","idValue":"25612345678","firstName":"Test"})"_ba, 300});
    QList<int> statuses;
    QObject context;
    for (int i = 0; i < 3; ++i) {
        Net::HttpClientRequest req;
        req.url = outbound(u"/parties/MSISDN/25612345678"_s);
        m_client->send(req, &context, [&](Net::HttpClientResult res) { statuses << (res ? res->status : 0); });
    }
    QTRY_COMPARE_WITH_TIMEOUT(statuses.size(), 3, 10000);
    QCOMPARE(statuses, (QList<int>{200, 200, 200}));
    QCOMPARE(m_payeeBackend->count("GET", u"/parties/"_s), 1);
}

QTEST_GUILESS_MAIN(TestConnectorPeer)
#include "tst_connector_peer.moc"
