// Crash and restart of real `pm-connector run` processes. Two connectors peer directly (JWS on
// every leg, CHECK_ILP on), each with its own data directory and a TestBackend in this process. A
// transfer is driven through the payer's outbound API; at each persisted state of either side the
// process is killed with SIGKILL, restarted on the same data directory and ports, and the transfer
// is finished. Each case checks that no record was lost or duplicated (rows counted in the store
// files), that the transfer ends in the right state, and that the payee's backend got at most one
// POST /transfers.
//
// The kill points are found deterministically: a held backend answer (TestBackend delays it) plus
// polling the store file read-only until the state row is there, or an autoAccept=false pause.

#include "core/fspiop/ilp.h"
#include "core/fspiop/jws.h"
#include "tests/integration/connectorkit.h"
#include "tests/restart/connectorprocess.h"
#include "tests/support/testbackend.h"
#include "tests/support/testpki.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Test;

namespace {

constexpr int kWaitMs = 60000; // generous: ASan build on a loaded 2-core machine
// How long a held backend answer is held: the test kills the process within this window after the
// backend saw the request (normally a few ms; a wrong state shows as a waitForState failure).
constexpr int kHoldMs = 8000;
const QString kParty = u"25612345678"_s;

} // namespace

class TestConnectorRestart : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void payerKilledInPartyLookup();
    void payerKilledWaitingForPartyAcceptance();
    void payerKilledInQuoteRequested();
    void payerKilledWaitingForQuoteAcceptance();
    void payerKilledAfterPrepareSent();
    void payerKilledAfterCompleted();
    void payeeKilledAfterQuoteAnswered();
    void payeeKilledWhileBackendHoldsTransfer();
    void payeeKilledAfterFulfilSent();

private:
    using Env = QList<std::pair<QString, QString>>;
    [[nodiscard]] bool startBoth(const Env &payerExtra = {}, const Env &payeeExtra = {});
    [[nodiscard]] bool restart(ConnectorProcess &p);
    void stopBoth();
    Json transferRequest(const QString &home) const;
    /** POST /transfers on the payer's outbound API without waiting; the answer lands in the result.
     */
    std::shared_ptr<std::optional<Net::HttpClientResult>> postAsync(const QString &home);
    Net::HttpClientResult outbound(QByteArray method, const QString &path, QByteArray body = {});
    /** Waits until the transfer with `home` is stored in `state` on `p`; returns its id. */
    QString waitForState(const ConnectorProcess &p, const QString &home, const QString &state);
    /** Re-sends, byte for byte, the payer's recorded outgoing request `method` to `urlSuffix`. */
    void replayPayerRequest(const QString &correlationId, const QString &urlSuffix);
    /** The bodies of the PUTs to `path` the payee sent, in order (a path ending in / is a prefix).
     */
    QList<QByteArray> payeeSentPuts(const QString &path);
    /** No lost or duplicated records: row counts in both store files. */
    void checkRows(const QString &id, qint64 payeeTransfers, qint64 payeeQuotes);
    /** The final state on both sides and a fulfilment that hashes to the condition. */
    void checkCompleted(const QString &id);
    /** How many FSPIOP GET /transfers/{id} the payer sent (read after stopBoth(): all flushed). */
    qint64 payerSentTransferGets(const QString &id);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_payerKey, m_payeeKey, m_keysDir;
    std::unique_ptr<TestBackend> m_payerBackend, m_payeeBackend;
    std::unique_ptr<ConnectorProcess> m_payer, m_payee;
    std::unique_ptr<Net::HttpClient> m_client;
    QObject m_context;
    int m_case = 0;
};

void TestConnectorRestart::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto pki = TestPki::create(m_dir->path(), TestKeyType::Rsa2048);
    QVERIFY2(pki, qPrintable(pki ? QString() : pki.error().message));
    auto payer = pki->issueClient(u"payerfsp"_s);
    auto payee = pki->issueClient(u"payeefsp"_s);
    QVERIFY(payer && payee);
    m_payerKey = payer->privateKeyPath;
    m_payeeKey = payee->privateKeyPath;
    m_keysDir = m_dir->filePath(u"jwskeys"_s);
    QVERIFY(QDir().mkpath(m_keysDir));
    for (const auto &[name, path] :
        { std::pair { u"payerfsp"_s, m_payerKey }, std::pair { u"payeefsp"_s, m_payeeKey } }) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto key = Fspiop::Jws::SigningKey::fromPem(f.readAll());
        QVERIFY(key);
        QVERIFY(writeFile(m_keysDir + u'/' + name + u".pem"_s, key->publicKeyPem()));
    }
    QVERIFY2(QFile::exists(ConnectorProcess::binary()), qPrintable(ConnectorProcess::binary()));
}

void TestConnectorRestart::init()
{
    ++m_case;
    m_payerBackend = std::make_unique<TestBackend>();
    m_payeeBackend = std::make_unique<TestBackend>();
    QVERIFY(m_payerBackend->start());
    QVERIFY(m_payeeBackend->start());
    m_payeeBackend->addParty(Json { { "idType", "MSISDN" }, { "idValue", kParty.toStdString() },
        { "displayName", "Test Party" }, { "firstName", "Test" }, { "lastName", "Party" },
        { "dateOfBirth", "1970-01-01" } });
    m_client = Net::createHttpClient();
}

void TestConnectorRestart::cleanup()
{
    m_payer.reset(); // SIGKILL if a failed case left it running
    m_payee.reset();
    m_client.reset();
    m_payerBackend.reset();
    m_payeeBackend.reset();
}

bool TestConnectorRestart::startBoth(const Env &payerExtra, const Env &payeeExtra)
{
    // Ports are found free, released, then bound by the child: another process on this shared
    // machine can take one in between. Such a start is retried with fresh ports (the data
    // directories hold no transfer yet); any other failure fails the case at once.
    const QString tag = QString::number(m_case);
    for (int attempt = 1;; ++attempt) {
        const quint16 payerIn = freePort(), payerOut = freePort(), payerMetrics = freePort();
        const quint16 payeeIn = freePort(), payeeOut = freePort(), payeeMetrics = freePort();
        if (!(payerIn && payerOut && payerMetrics && payeeIn && payeeOut && payeeMetrics)) {
            qWarning("no free port on 127.0.0.1");
            return false;
        }
        ConnectorProcessSettings payer { u"payerfsp"_s, payerIn, payerOut, payerMetrics,
            u"127.0.0.1:%1"_s.arg(payeeIn), m_payerBackend->endpoint(), m_payerKey, m_keysDir,
            payerExtra };
        ConnectorProcessSettings payee { u"payeefsp"_s, payeeIn, payeeOut, payeeMetrics,
            u"127.0.0.1:%1"_s.arg(payerIn), m_payeeBackend->endpoint(), m_payeeKey, m_keysDir,
            payeeExtra };
        m_payer = std::make_unique<ConnectorProcess>(payer, m_dir->filePath(u"payer-"_s + tag),
            m_dir->filePath(u"payer-"_s + tag + u".log"_s));
        m_payee = std::make_unique<ConnectorProcess>(payee, m_dir->filePath(u"payee-"_s + tag),
            m_dir->filePath(u"payee-"_s + tag + u".log"_s));
        auto started = m_payee->start();
        if (started)
            started = m_payer->start();
        if (started)
            return true;
        m_payer.reset();
        m_payee.reset();
        const QString why = started.error().message;
        if (attempt == 3 || !why.contains(u"cannot listen on"_s)) {
            qWarning("%s", qPrintable(why));
            return false;
        }
        qWarning("port taken by another process, retrying with fresh ports: %s",
            qPrintable(why.right(300)));
    }
}

bool TestConnectorRestart::restart(ConnectorProcess &p)
{
    auto started = p.start();
    if (!started)
        qWarning("%s", qPrintable(started.error().message));
    return started.has_value();
}

void TestConnectorRestart::stopBoth()
{
    // A restarted connector still stops gracefully (under ASan this also checks for leaks).
    const int payer = m_payer->terminate();
    const int payee = m_payee->terminate();
    QVERIFY2(payer == 0, qPrintable(m_payer->logTail()));
    QVERIFY2(payee == 0, qPrintable(m_payee->logTail()));
}

Json TestConnectorRestart::transferRequest(const QString &home) const
{
    Json req = Json::object();
    req["homeTransactionId"] = home.toStdString();
    req["from"] = Json { { "idType", "MSISDN" }, { "idValue", "25644444444" },
        { "displayName", "Payer Person" }, { "firstName", "Payer" }, { "lastName", "Person" },
        { "dateOfBirth", "1980-01-01" }, { "fspId", "payerfsp" } };
    req["to"] = Json { { "idType", "MSISDN" }, { "idValue", kParty.toStdString() } };
    req["amountType"] = "SEND";
    req["currency"] = "USD";
    req["amount"] = "100.5";
    req["transactionType"] = "TRANSFER";
    req["note"] = "restart test";
    return req;
}

std::shared_ptr<std::optional<Net::HttpClientResult>> TestConnectorRestart::postAsync(
    const QString &home)
{
    auto out = std::make_shared<std::optional<Net::HttpClientResult>>();
    Net::HttpClientRequest r;
    r.method = "POST";
    r.url = QUrl(u"http://127.0.0.1:%1/transfers"_s.arg(m_payer->settings().outboundPort));
    r.body = Fspiop::serializeJson(transferRequest(home));
    r.headers.add("Content-Type", "application/json");
    r.timeout = std::chrono::milliseconds(180000);
    m_client->send(
        std::move(r), &m_context, [out](Net::HttpClientResult res) { *out = std::move(res); });
    return out;
}

Net::HttpClientResult TestConnectorRestart::outbound(
    QByteArray method, const QString &path, QByteArray body)
{
    return call(*m_client, std::move(method),
        QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_payer->settings().outboundPort).arg(path)),
        std::move(body), {}, 120000);
}

QString TestConnectorRestart::waitForState(
    const ConnectorProcess &p, const QString &home, const QString &state)
{
    std::pair<QString, QString> row;
    const bool ok = QTest::qWaitFor(
        [&] {
            row = storedByHome(p.storePath(), home);
            return row.second == state;
        },
        kWaitMs);
    if (!ok)
        qWarning("%s: transfer %s is in state '%s', expected %s", qPrintable(p.settings().dfspId),
            qPrintable(home), qPrintable(row.second), qPrintable(state));
    return ok ? row.first : QString();
}

void TestConnectorRestart::replayPayerRequest(
    const QString &correlationId, const QString &urlSuffix)
{
    QString url;
    Net::HttpHeaders headers;
    QByteArray body;
    // The payer records the message when its send completes: wait for the row.
    const bool found = QTest::qWaitFor(
        [&] {
            withStoreReadOnly(m_payer->storePath(), [&](QSqlDatabase &db) {
                QSqlQuery q(db);
                q.prepare(u"SELECT url, headers, body FROM messages WHERE correlation_id = ? AND "
                          u"direction = 'out' "
                          u"AND method = 'POST' ORDER BY id"_s);
                q.addBindValue(correlationId);
                if (!q.exec())
                    return;
                while (q.next()) {
                    if (!q.value(0).toString().endsWith(urlSuffix))
                        continue;
                    url = q.value(0).toString();
                    const Json h = parse(q.value(1).toByteArray());
                    for (const Json &pair : h)
                        headers.add(QByteArray::fromStdString(pair[0].get<std::string>()),
                            QByteArray::fromStdString(pair[1].get<std::string>()));
                    body = q.value(2).toByteArray();
                }
            });
            return !url.isEmpty();
        },
        kWaitMs);
    QVERIFY2(found, qPrintable(u"no recorded POST %1 for %2"_s.arg(urlSuffix, correlationId)));
    auto res = call(*m_client, "POST", QUrl(url), body, headers, 60000);
    QVERIFY(res);
    QCOMPARE(res->status, 202);
}

QList<QByteArray> TestConnectorRestart::payeeSentPuts(const QString &path)
{
    QList<QByteArray> bodies;
    withStoreReadOnly(m_payee->storePath(), [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        q.prepare(
            u"SELECT url, body FROM messages WHERE direction = 'out' AND method = 'PUT' ORDER BY id"_s);
        if (!q.exec())
            return;
        while (q.next()) {
            const QString sent = QUrl(q.value(0).toString()).path();
            if (path.endsWith(u'/') ? sent.startsWith(path) : sent == path)
                bodies << q.value(1).toByteArray();
        }
    });
    return bodies;
}

void TestConnectorRestart::checkRows(const QString &id, qint64 payeeTransfers, qint64 payeeQuotes)
{
    qint64 payerRows = -1, payerWithId = -1, payeeRows = -1, payeeWithId = -1, quotes = -1,
           payerPrepares = -1;
    QVERIFY(withStoreReadOnly(m_payer->storePath(), [&](QSqlDatabase &db) {
        payerRows = storeInt(db, u"SELECT count(*) FROM transfers"_s);
        payerWithId = storeInt(db,
            u"SELECT count(*) FROM transfers WHERE id = ? AND direction = 'OUTBOUND'"_s, { id });
        payerPrepares = storeInt(db,
            u"SELECT count(*) FROM messages WHERE transfer_id = ? AND direction = 'out' "
            u"AND method = 'POST' AND url LIKE '%/transfers'"_s,
            { id });
    }));
    QVERIFY(withStoreReadOnly(m_payee->storePath(), [&](QSqlDatabase &db) {
        payeeRows = storeInt(db, u"SELECT count(*) FROM transfers"_s);
        payeeWithId = storeInt(
            db, u"SELECT count(*) FROM transfers WHERE id = ? AND direction = 'INBOUND'"_s, { id });
        quotes = storeInt(db, u"SELECT count(*) FROM quotes"_s);
    }));
    QCOMPARE(payerRows, 1);
    QCOMPARE(payerWithId, 1);
    QVERIFY2(payerPrepares <= 1, "the payer sent POST /transfers more than once");
    QCOMPARE(payeeRows, payeeTransfers);
    QCOMPARE(payeeWithId, payeeTransfers);
    QCOMPARE(quotes, payeeQuotes);
    QVERIFY2(
        m_payeeBackend->count("POST", u"/transfers"_s) <= 1, "the payee's backend was asked twice");
}

void TestConnectorRestart::checkCompleted(const QString &id)
{
    QVERIFY(QTest::qWaitFor(
        [&] { return storedState(m_payer->storePath(), id) == u"COMPLETED"_s; }, kWaitMs));
    QCOMPARE(storedState(m_payee->storePath(), id), u"COMPLETED"_s);
    auto g = outbound("GET", u"/transfers/"_s + id);
    QVERIFY(g);
    QCOMPARE(g->status, 200);
    const Json body = parse(g->body);
    QCOMPARE(qs(body, "currentState"), u"COMPLETED"_s);
    const QString condition = qs(body["quoteResponse"]["body"], "condition");
    const QString fulfilment = qs(body["fulfil"]["body"], "fulfilment");
    QVERIFY(!condition.isEmpty());
    QVERIFY(Fspiop::Ilp::checkFulfilment(fulfilment.toStdString(), condition.toStdString()));
    QCOMPARE(m_payeeBackend->count("POST", u"/transfers"_s), 1);
    QCOMPARE(qs(m_payeeBackend->last("POST", u"/transfers"_s).json, "transferId"), id);
    QCOMPARE(m_payeeBackend->count("POST", u"/quoterequests"_s), 1);
}

qint64 TestConnectorRestart::payerSentTransferGets(const QString &id)
{
    qint64 n = -1;
    withStoreReadOnly(m_payer->storePath(), [&](QSqlDatabase &db) {
        n = storeInt(db,
            u"SELECT count(*) FROM messages WHERE direction = 'out' AND method = 'GET' "
            u"AND url LIKE ?"_s,
            { QVariant(QString(u"%/transfers/"_s + id)) });
    });
    return n;
}

// ---------------------------------------------------------------------------------------------
// Payer side

void TestConnectorRestart::payerKilledInPartyLookup()
{
    QVERIFY(startBoth());
    // Hold the payee backend's party answer: the payer is then looking up the party.
    m_payeeBackend->setAnswer("GET", u"/parties/"_s,
        { 200, R"({"idType":"MSISDN","idValue":"25612345678","firstName":"Test"})"_ba, kHoldMs });
    auto pending = postAsync(u"home-lookup"_s);
    QVERIFY(QTest::qWaitFor(
        [&] { return m_payeeBackend->count("GET", u"/parties/"_s) == 1; }, kWaitMs));
    const QString id = waitForState(*m_payer, u"home-lookup"_s, u"PAYEE_LOOKUP"_s);
    QVERIFY(!id.isEmpty());

    m_payer->kill();
    QVERIFY(QTest::qWaitFor([&] { return pending->has_value(); }, kWaitMs));
    QVERIFY(!**pending); // the caller's request died with the process
    QCOMPARE(storedState(m_payer->storePath(), id), u"PAYEE_LOOKUP"_s); // nothing lost
    QVERIFY(restart(*m_payer));

    // No money moved: the recovery marks it failed.
    QVERIFY(QTest::qWaitFor(
        [&] { return storedState(m_payer->storePath(), id) == u"ERROR_OCCURRED"_s; }, kWaitMs));
    auto g = outbound("GET", u"/transfers/"_s + id);
    QVERIFY(g);
    QCOMPARE(
        qs(parse(g->body), "lastErrorMessage"), u"Interrupted by a restart of the connector"_s);
    // The held party answer reaches the restarted payer (or nobody) and changes nothing.
    QVERIFY(QTest::qWaitFor(
        [&] { return !payeeSentPuts(u"/parties/MSISDN/"_s + kParty).isEmpty(); }, kWaitMs));
    QCOMPARE(storedState(m_payer->storePath(), id), u"ERROR_OCCURRED"_s);
    auto resume = outbound("PUT", u"/transfers/"_s + id, R"({"acceptParty":true})"_ba);
    QVERIFY(resume);
    QCOMPARE(resume->status, 409);
    checkRows(id, 0, 0);
    QCOMPARE(m_payeeBackend->count("POST", u"/quoterequests"_s), 0);
    QCOMPARE(m_payeeBackend->count("POST", u"/transfers"_s), 0);
    stopBoth();
}

void TestConnectorRestart::payerKilledWaitingForPartyAcceptance()
{
    QVERIFY((startBoth({ { u"AUTO_ACCEPT_PARTY"_s, u"false"_s } })));
    auto r = outbound(
        "POST", u"/transfers"_s, Fspiop::serializeJson(transferRequest(u"home-party"_s)));
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QCOMPARE(qs(parse(r->body), "currentState"), u"WAITING_FOR_PARTY_ACCEPTANCE"_s);
    const QString id = qs(parse(r->body), "transferId");
    QCOMPARE(storedState(m_payer->storePath(), id), u"WAITING_FOR_PARTY_ACCEPTANCE"_s);

    m_payer->kill();
    QVERIFY(restart(*m_payer));
    QCOMPARE(storedState(m_payer->storePath(), id), u"WAITING_FOR_PARTY_ACCEPTANCE"_s);
    auto t = outbound("PUT", u"/transfers/"_s + id, R"({"acceptParty":true})"_ba);
    QVERIFY(t);
    QCOMPARE(t->status, 200);
    QCOMPARE(qs(parse(t->body), "currentState"), u"COMPLETED"_s);
    checkCompleted(id);
    checkRows(id, 1, 1);
    stopBoth();
}

void TestConnectorRestart::payerKilledInQuoteRequested()
{
    QVERIFY(startBoth());
    m_payeeBackend->setAnswer("POST", u"/quoterequests"_s,
        { 200, R"({"transferAmount":"100.5","transferAmountCurrency":"USD"})"_ba, kHoldMs });
    auto pending = postAsync(u"home-quote"_s);
    QVERIFY(QTest::qWaitFor(
        [&] { return m_payeeBackend->count("POST", u"/quoterequests"_s) == 1; }, kWaitMs));
    const QString id = waitForState(*m_payer, u"home-quote"_s, u"QUOTE_REQUESTED"_s);
    QVERIFY(!id.isEmpty());

    m_payer->kill();
    QVERIFY(QTest::qWaitFor([&] { return pending->has_value(); }, kWaitMs));
    QVERIFY(!**pending);
    QVERIFY(restart(*m_payer));
    QVERIFY(QTest::qWaitFor(
        [&] { return storedState(m_payer->storePath(), id) == u"ERROR_OCCURRED"_s; }, kWaitMs));

    // The payee answers the quote once the backend does; no transfer follows.
    QVERIFY(QTest::qWaitFor(
        [&] { return storedState(m_payee->storePath(), id) == u"WAITING_FOR_QUOTE_ACCEPTANCE"_s; },
        kWaitMs));
    QVERIFY(QTest::qWaitFor([&] { return !payeeSentPuts(u"/quotes/"_s).isEmpty(); }, kWaitMs));
    QCOMPARE(storedState(m_payer->storePath(), id), u"ERROR_OCCURRED"_s);
    checkRows(id, 1, 1);
    QCOMPARE(m_payeeBackend->count("POST", u"/quoterequests"_s), 1);
    QCOMPARE(m_payeeBackend->count("POST", u"/transfers"_s), 0);
    stopBoth();
}

void TestConnectorRestart::payerKilledWaitingForQuoteAcceptance()
{
    QVERIFY((startBoth({ { u"AUTO_ACCEPT_QUOTES"_s, u"false"_s } })));
    auto r
        = outbound("POST", u"/transfers"_s, Fspiop::serializeJson(transferRequest(u"home-wq"_s)));
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QCOMPARE(qs(parse(r->body), "currentState"), u"WAITING_FOR_QUOTE_ACCEPTANCE"_s);
    const QString id = qs(parse(r->body), "transferId");
    QCOMPARE(storedState(m_payer->storePath(), id), u"WAITING_FOR_QUOTE_ACCEPTANCE"_s);

    m_payer->kill();
    QVERIFY(restart(*m_payer));
    QCOMPARE(storedState(m_payer->storePath(), id), u"WAITING_FOR_QUOTE_ACCEPTANCE"_s);
    QCOMPARE(m_payeeBackend->count("POST", u"/transfers"_s), 0);
    auto t = outbound("PUT", u"/transfers/"_s + id, R"({"acceptQuote":true})"_ba);
    QVERIFY(t);
    QCOMPARE(t->status, 200);
    QCOMPARE(qs(parse(t->body), "currentState"), u"COMPLETED"_s);
    checkCompleted(id);
    checkRows(id, 1, 1);
    stopBoth();
}

void TestConnectorRestart::payerKilledAfterPrepareSent()
{
    QVERIFY(startBoth());
    // Hold the payee backend's transfer answer: the payer has sent POST /transfers and waits.
    m_payeeBackend->setAnswer(
        "POST", u"/transfers"_s, { 200, R"({"homeTransactionId":"held-1"})"_ba, kHoldMs });
    auto pending = postAsync(u"home-prepared"_s);
    QVERIFY(QTest::qWaitFor(
        [&] { return m_payeeBackend->count("POST", u"/transfers"_s) == 1; }, kWaitMs));
    const QString id = waitForState(*m_payer, u"home-prepared"_s, u"TRANSFER_PREPARED"_s);
    QVERIFY(!id.isEmpty());

    m_payer->kill();
    QVERIFY(QTest::qWaitFor([&] { return pending->has_value(); }, kWaitMs));
    QVERIFY(!**pending);
    // The payee commits while the payer is down; its fulfil finds nobody.
    QVERIFY(QTest::qWaitFor(
        [&] { return storedState(m_payee->storePath(), id) == u"COMPLETED"_s; }, kWaitMs));
    QCOMPARE(storedState(m_payer->storePath(), id), u"TRANSFER_PREPARED"_s);

    // The restarted payer asks GET /transfers/{id}; the payee answers from its record.
    QVERIFY(restart(*m_payer));
    checkCompleted(id);
    checkRows(id, 1, 1);
    stopBoth();
    QCOMPARE(payerSentTransferGets(id), 1); // the recovery asked once
}

void TestConnectorRestart::payerKilledAfterCompleted()
{
    QVERIFY(startBoth());
    auto r = outbound(
        "POST", u"/transfers"_s, Fspiop::serializeJson(transferRequest(u"home-payer-done"_s)));
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QCOMPARE(qs(parse(r->body), "currentState"), u"COMPLETED"_s);
    const QString id = qs(parse(r->body), "transferId");
    QCOMPARE(storedState(m_payer->storePath(), id), u"COMPLETED"_s);

    m_payer->kill();
    QVERIFY(restart(*m_payer));
    // A final record is final: the restarted payer answers from it and asks nobody.
    checkCompleted(id);
    checkRows(id, 1, 1);
    stopBoth();
    QCOMPARE(payerSentTransferGets(id), 0);
}

// ---------------------------------------------------------------------------------------------
// Payee side

void TestConnectorRestart::payeeKilledAfterQuoteAnswered()
{
    QVERIFY((startBoth({ { u"AUTO_ACCEPT_QUOTES"_s, u"false"_s } })));
    auto r = outbound("POST", u"/transfers"_s, Fspiop::serializeJson(transferRequest(u"home-q"_s)));
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QCOMPARE(qs(parse(r->body), "currentState"), u"WAITING_FOR_QUOTE_ACCEPTANCE"_s);
    const QString id = qs(parse(r->body), "transferId");
    QCOMPARE(storedState(m_payee->storePath(), id), u"WAITING_FOR_QUOTE_ACCEPTANCE"_s);

    const QString quoteId = qs(parse(r->body), "quoteId");
    QVERIFY(!quoteId.isEmpty());
    QVERIFY(QTest::qWaitFor(
        [&] { return payeeSentPuts(u"/quotes/"_s + quoteId).size() == 1; }, kWaitMs));

    m_payee->kill();
    QVERIFY(restart(*m_payee));
    QCOMPARE(storedState(m_payee->storePath(), id), u"WAITING_FOR_QUOTE_ACCEPTANCE"_s);
    // The same POST /quotes again: answered from the record (same condition), backend not asked.
    replayPayerRequest(quoteId, u"/quotes"_s);
    QVERIFY(QTest::qWaitFor(
        [&] { return payeeSentPuts(u"/quotes/"_s + quoteId).size() == 2; }, kWaitMs));
    const auto quotes = payeeSentPuts(u"/quotes/"_s + quoteId);
    QCOMPARE(quotes[0], quotes[1]);
    QCOMPARE(m_payeeBackend->count("POST", u"/quoterequests"_s), 1);
    auto t = outbound("PUT", u"/transfers/"_s + id, R"({"acceptQuote":true})"_ba);
    QVERIFY(t);
    QCOMPARE(t->status, 200);
    QCOMPARE(qs(parse(t->body), "currentState"), u"COMPLETED"_s);
    checkCompleted(id);
    checkRows(id, 1, 1);
    stopBoth();
}

void TestConnectorRestart::payeeKilledWhileBackendHoldsTransfer()
{
    // The payer waits long enough for the payee to come back.
    QVERIFY((startBoth({ { u"REQUEST_PROCESSING_TIMEOUT_SECONDS"_s, u"300"_s } })));
    // The backend takes the transfer and holds its answer past the kill; asked again with GET
    // /transfers/{id}, it says what it did.
    m_payeeBackend->setAnswer(
        "POST", u"/transfers"_s, { 200, R"({"homeTransactionId":"held-2"})"_ba, 600000 });
    m_payeeBackend->setAnswer("GET", u"/transfers/"_s,
        { 200, R"({"homeTransactionId":"held-2","transferState":"COMMITTED"})"_ba, 0 });
    auto pending = postAsync(u"home-held"_s);
    QVERIFY(QTest::qWaitFor(
        [&] { return m_payeeBackend->count("POST", u"/transfers"_s) == 1; }, kWaitMs));
    const QString id = waitForState(*m_payer, u"home-held"_s, u"TRANSFER_PREPARED"_s);
    QVERIFY(!id.isEmpty());
    QCOMPARE(storedState(m_payee->storePath(), id), u"PREPARE_RECEIVED"_s);

    m_payee->kill();
    QVERIFY(restart(*m_payee));
    QCOMPARE(storedState(m_payee->storePath(), id), u"PREPARE_RECEIVED"_s);
    // The payer's POST /transfers again (as a hub or payer retry would send it).
    replayPayerRequest(id, u"/transfers"_s);

    QVERIFY(QTest::qWaitFor([&] { return pending->has_value(); }, kWaitMs));
    QVERIFY(**pending);
    QCOMPARE((**pending)->status, 200);
    QCOMPARE(qs(parse((**pending)->body), "currentState"), u"COMPLETED"_s);
    checkCompleted(id);
    QCOMPARE(m_payeeBackend->count("GET", u"/transfers/"_s + id), 1);
    QCOMPARE(m_payeeBackend->count("POST", u"/transfers"_s), 1);
    checkRows(id, 1, 1);
    stopBoth();
}

void TestConnectorRestart::payeeKilledAfterFulfilSent()
{
    QVERIFY(startBoth());
    auto r
        = outbound("POST", u"/transfers"_s, Fspiop::serializeJson(transferRequest(u"home-done"_s)));
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    const Json body = parse(r->body);
    QCOMPARE(qs(body, "currentState"), u"COMPLETED"_s);
    const QString id = qs(body, "transferId");
    const QString quoteId = qs(body, "quoteId");
    QVERIFY(
        QTest::qWaitFor([&] { return payeeSentPuts(u"/transfers/"_s + id).size() == 1; }, kWaitMs));

    m_payee->kill();
    QVERIFY(restart(*m_payee));
    QCOMPARE(storedState(m_payee->storePath(), id), u"COMPLETED"_s);

    // Re-sent POST /quotes and POST /transfers are answered from the record: same bytes, no
    // backend call.
    replayPayerRequest(quoteId, u"/quotes"_s);
    replayPayerRequest(id, u"/transfers"_s);
    QVERIFY(QTest::qWaitFor(
        [&] { return payeeSentPuts(u"/quotes/"_s + quoteId).size() == 2; }, kWaitMs));
    QVERIFY(
        QTest::qWaitFor([&] { return payeeSentPuts(u"/transfers/"_s + id).size() == 2; }, kWaitMs));
    const auto quotes = payeeSentPuts(u"/quotes/"_s + quoteId);
    QCOMPARE(quotes[0], quotes[1]);
    const auto fulfils = payeeSentPuts(u"/transfers/"_s + id);
    QCOMPARE(fulfils[0], fulfils[1]);
    checkCompleted(id);
    checkRows(id, 1, 1);
    stopBoth();
}

QTEST_GUILESS_MAIN(TestConnectorRestart)
#include "tst_connector_restart.moc"
