// The simulated core bank over real HTTP on 127.0.0.1, with its ledger in a real SQLite file.

#include "core/corebank/corebank.h"
#include "tests/coreconnector/httpkit.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Test;

class TestCoreBank : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void customerByAlias();
    void unknownCustomerAndAccount();
    void holdCommitMovesMoney();
    void holdReleaseRestoresAvailable();
    void insufficientFunds();
    void closedAccount();
    void postingIsIdempotent();
    void idempotencyKeyRequired();
    void malformedBodyAndRoute();
    void persistsAcrossRestart();
    void addCustomersAtRunTime();
    void badSeedIsRefused();

private:
    QString url(const QString &path) const { return m_bank->baseUrl() + path; }
    Exchange post(const QString &path, const Json &body, const QByteArray &key = {})
    {
        Net::HttpHeaders h;
        if (!key.isEmpty())
            h.set("Idempotency-Key", key);
        return exchange(*m_client, "POST", url(path), body, h);
    }
    QString balance(const QString &account) const
    {
        auto b = m_bank->ledgerBalance(account);
        return b ? *b : b.error().message;
    }
    QString available(const QString &account) const
    {
        auto b = m_bank->availableBalance(account);
        return b ? *b : b.error().message;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<CoreBank::CoreBank> m_bank;
    std::unique_ptr<Net::HttpClient> m_client;
};

void TestCoreBank::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_bank = std::make_unique<CoreBank::CoreBank>();
    CoreBank::CoreBankOptions o;
    o.dataDir = m_dir->path();
    auto port = m_bank->start(o);
    QVERIFY2(port, qPrintable(port ? QString() : port.error().message));
    QVERIFY(*port > 0);
    QCOMPARE(m_bank->port(), *port);
    m_client = Net::createHttpClient();
}

void TestCoreBank::cleanup()
{
    m_client.reset();
    m_bank.reset();
    m_dir.reset();
}

void TestCoreBank::customerByAlias()
{
    auto r = exchange(*m_client, "GET", url(u"/api/v1/customers/by-alias/MSISDN/25612345678"_s));
    QCOMPARE(r.status, 200);
    QCOMPARE(field(r.json, "customerId"), u"CUST-0001"_s);
    QCOMPARE(field(r.json["name"], "given"), u"Amina"_s);
    QCOMPARE(field(r.json["name"], "middle"), u"K"_s);
    QCOMPARE(field(r.json["name"], "family"), u"Okello"_s);
    QCOMPARE(field(r.json, "birthDate"), u"1985-04-12"_s);
    QCOMPARE(r.json["aliases"].size(), std::size_t(2));
    QCOMPARE(r.json["accounts"].size(), std::size_t(1));
    const Json &a = r.json["accounts"][0];
    QCOMPARE(field(a, "accountNo"), u"1000000001"_s);
    QCOMPARE(field(a, "currency"), u"USD"_s);
    QCOMPARE(field(a, "ledgerBalance"), u"5000.00"_s);
    QCOMPARE(field(a, "availableBalance"), u"5000.00"_s);
    QCOMPARE(field(a, "accountStatus"), u"ACTIVE"_s);
    // The same customer by its account alias and by id.
    auto b = exchange(*m_client, "GET", url(u"/api/v1/customers/by-alias/ACCOUNT_ID/1000000001"_s));
    QCOMPARE(b.status, 200);
    QCOMPARE(field(b.json, "customerId"), u"CUST-0001"_s);
    auto c = exchange(*m_client, "GET", url(u"/api/v1/customers/CUST-0002"_s));
    QCOMPARE(c.status, 200);
    QCOMPARE(field(c.json["accounts"][0], "ledgerBalance"), u"1200.50"_s);
    // XOF has no minor units.
    auto x = exchange(*m_client, "GET", url(u"/api/v1/accounts/2000000001"_s));
    QCOMPARE(x.status, 200);
    QCOMPARE(field(x.json, "ledgerBalance"), u"250000"_s);
}

void TestCoreBank::unknownCustomerAndAccount()
{
    auto r = exchange(*m_client, "GET", url(u"/api/v1/customers/by-alias/MSISDN/999"_s));
    QCOMPARE(r.status, 404);
    QCOMPARE(field(r.json, "errorCode"), u"CUSTOMER_NOT_FOUND"_s);
    QVERIFY(field(r.json, "errorMessage").contains(u"999"_s));
    auto a = exchange(*m_client, "GET", url(u"/api/v1/accounts/42"_s));
    QCOMPARE(a.status, 404);
    QCOMPARE(field(a.json, "errorCode"), u"ACCOUNT_NOT_FOUND"_s);
    auto h = post(u"/api/v1/holds/HLD-NOPE/commit"_s, Json::object());
    QCOMPARE(h.status, 404);
    QCOMPARE(field(h.json, "errorCode"), u"HOLD_NOT_FOUND"_s);
}

void TestCoreBank::holdCommitMovesMoney()
{
    auto h = post(u"/api/v1/accounts/1000000001/holds"_s,
        Json { { "amount", "100.25" }, { "currency", "USD" }, { "narrative", "test" } }, "h-1");
    QCOMPARE(h.status, 201);
    const QString holdId = field(h.json, "holdId");
    QVERIFY(!holdId.isEmpty());
    QCOMPARE(field(h.json, "amount"), u"100.25"_s);
    QCOMPARE(field(h.json, "holdStatus"), u"ACTIVE"_s);
    QCOMPARE(balance(u"1000000001"_s), u"5000.00"_s);
    QCOMPARE(available(u"1000000001"_s), u"4899.75"_s);
    auto c = post(u"/api/v1/holds/"_s + holdId + u"/commit"_s, Json { { "narrative", "done" } });
    QCOMPARE(c.status, 200);
    QCOMPARE(field(c.json, "holdStatus"), u"COMMITTED"_s);
    const QString postingId = field(c.json, "postingId");
    QVERIFY(!postingId.isEmpty());
    QCOMPARE(balance(u"1000000001"_s), u"4899.75"_s);
    QCOMPARE(available(u"1000000001"_s), u"4899.75"_s);
    QCOMPARE(balance(u"SETTLE-USD"_s), u"100.25"_s);
    QCOMPARE(m_bank->postingCount().value_or(-1), 1);
    // A re-sent commit posts nothing more.
    auto again
        = post(u"/api/v1/holds/"_s + holdId + u"/commit"_s, Json { { "narrative", "done" } });
    QCOMPARE(again.status, 200);
    QCOMPARE(field(again.json, "postingId"), postingId);
    QCOMPARE(m_bank->postingCount().value_or(-1), 1);
    // A committed hold cannot be released.
    auto rel = post(u"/api/v1/holds/"_s + holdId + u"/release"_s, Json::object());
    QCOMPARE(rel.status, 409);
    QCOMPARE(field(rel.json, "errorCode"), u"HOLD_NOT_ACTIVE"_s);
    auto p = exchange(*m_client, "GET", url(u"/api/v1/postings/"_s + postingId));
    QCOMPARE(p.status, 200);
    QCOMPARE(field(p.json, "debitAccountNo"), u"1000000001"_s);
    QCOMPARE(field(p.json, "creditAccountNo"), u"SETTLE-USD"_s);
    QCOMPARE(field(p.json, "amount"), u"100.25"_s);
}

void TestCoreBank::holdReleaseRestoresAvailable()
{
    auto h = post(u"/api/v1/accounts/1000000002/holds"_s,
        Json { { "amount", "200" }, { "currency", "USD" } }, "h-2");
    QCOMPARE(h.status, 201);
    QCOMPARE(available(u"1000000002"_s), u"1000.50"_s);
    // The same key and body: the same hold, not a second one.
    auto same = post(u"/api/v1/accounts/1000000002/holds"_s,
        Json { { "amount", "200" }, { "currency", "USD" } }, "h-2");
    QCOMPARE(same.status, 201);
    QCOMPARE(field(same.json, "holdId"), field(h.json, "holdId"));
    QCOMPARE(available(u"1000000002"_s), u"1000.50"_s);
    auto r = post(u"/api/v1/holds/"_s + field(h.json, "holdId") + u"/release"_s, Json::object());
    QCOMPARE(r.status, 200);
    QCOMPARE(field(r.json, "holdStatus"), u"RELEASED"_s);
    QCOMPARE(available(u"1000000002"_s), u"1200.50"_s);
    QCOMPARE(balance(u"1000000002"_s), u"1200.50"_s);
    QCOMPARE(m_bank->postingCount().value_or(-1), 0);
    auto c = post(u"/api/v1/holds/"_s + field(h.json, "holdId") + u"/commit"_s, Json::object());
    QCOMPARE(c.status, 409);
    QCOMPARE(field(c.json, "errorCode"), u"HOLD_NOT_ACTIVE"_s);
}

void TestCoreBank::insufficientFunds()
{
    auto h = post(u"/api/v1/accounts/1000000002/holds"_s,
        Json { { "amount", "1200.51" }, { "currency", "USD" } }, "h-3");
    QCOMPARE(h.status, 422);
    QCOMPARE(field(h.json, "errorCode"), u"INSUFFICIENT_FUNDS"_s);
    QCOMPARE(available(u"1000000002"_s), u"1200.50"_s);
    // Exactly the available balance is fine; then nothing is left for a posting.
    auto all = post(u"/api/v1/accounts/1000000002/holds"_s,
        Json { { "amount", "1200.50" }, { "currency", "USD" } }, "h-4");
    QCOMPARE(all.status, 201);
    auto p = post(u"/api/v1/postings"_s,
        Json { { "debitAccountNo", "1000000002" }, { "creditAccountNo", "1000000001" },
            { "amount", "0.01" }, { "currency", "USD" } },
        "p-1");
    QCOMPARE(p.status, 422);
    QCOMPARE(field(p.json, "errorCode"), u"INSUFFICIENT_FUNDS"_s);
    // Bad amounts have their own code.
    auto bad = post(u"/api/v1/accounts/1000000001/holds"_s,
        Json { { "amount", "12.345" }, { "currency", "USD" } }, "h-5");
    QCOMPARE(bad.status, 400);
    QCOMPARE(field(bad.json, "errorCode"), u"INVALID_AMOUNT"_s);
    auto wrong = post(u"/api/v1/accounts/1000000001/holds"_s,
        Json { { "amount", "1" }, { "currency", "EUR" } }, "h-6");
    QCOMPARE(wrong.status, 422);
    QCOMPARE(field(wrong.json, "errorCode"), u"CURRENCY_MISMATCH"_s);
}

void TestCoreBank::closedAccount()
{
    auto h = post(u"/api/v1/accounts/1000000009/holds"_s,
        Json { { "amount", "1" }, { "currency", "USD" } }, "h-7");
    QCOMPARE(h.status, 409);
    QCOMPARE(field(h.json, "errorCode"), u"ACCOUNT_CLOSED"_s);
    auto p = post(u"/api/v1/postings"_s,
        Json { { "debitAccountNo", "SETTLE-USD" }, { "creditAccountNo", "1000000009" },
            { "amount", "1" }, { "currency", "USD" } },
        "p-2");
    QCOMPARE(p.status, 409);
    QCOMPARE(field(p.json, "errorCode"), u"ACCOUNT_CLOSED"_s);
    QCOMPARE(balance(u"1000000009"_s), u"10.00"_s);
    // Closing an account through the API.
    auto c = post(u"/api/v1/accounts/1000000002/close"_s, Json::object());
    QCOMPARE(c.status, 200);
    QCOMPARE(field(c.json, "accountStatus"), u"CLOSED"_s);
    auto after = post(u"/api/v1/accounts/1000000002/holds"_s,
        Json { { "amount", "1" }, { "currency", "USD" } }, "h-8");
    QCOMPARE(field(after.json, "errorCode"), u"ACCOUNT_CLOSED"_s);
}

void TestCoreBank::postingIsIdempotent()
{
    const Json body { { "debitAccountNo", "SETTLE-USD" }, { "creditAccountNo", "1000000002" },
        { "amount", "99.5" }, { "currency", "USD" }, { "narrative", "incoming" } };
    auto p = post(u"/api/v1/postings"_s, body, "p-3");
    QCOMPARE(p.status, 201);
    QCOMPARE(field(p.json, "amount"), u"99.50"_s);
    QCOMPARE(balance(u"1000000002"_s), u"1300.00"_s);
    // The settlement account may go negative (it stands for the other DFSP).
    QCOMPARE(balance(u"SETTLE-USD"_s), u"-99.50"_s);
    auto again = post(u"/api/v1/postings"_s, body, "p-3");
    QCOMPARE(again.status, 201);
    QCOMPARE(field(again.json, "postingId"), field(p.json, "postingId"));
    QCOMPARE(balance(u"1000000002"_s), u"1300.00"_s);
    QCOMPARE(m_bank->postingCount().value_or(-1), 1);
    Json changed = body;
    changed["amount"] = "1";
    auto reused = post(u"/api/v1/postings"_s, changed, "p-3");
    QCOMPARE(reused.status, 409);
    QCOMPARE(field(reused.json, "errorCode"), u"IDEMPOTENCY_KEY_REUSED"_s);
    QCOMPARE(m_bank->postingCount().value_or(-1), 1);
}

void TestCoreBank::idempotencyKeyRequired()
{
    auto p = post(u"/api/v1/postings"_s,
        Json { { "debitAccountNo", "SETTLE-USD" }, { "creditAccountNo", "1000000002" },
            { "amount", "1" }, { "currency", "USD" } });
    QCOMPARE(p.status, 400);
    QCOMPARE(field(p.json, "errorCode"), u"IDEMPOTENCY_KEY_REQUIRED"_s);
    QCOMPARE(m_bank->postingCount().value_or(-1), 0);
}

void TestCoreBank::malformedBodyAndRoute()
{
    Net::HttpClientRequest r;
    auto e = exchange(*m_client, "POST", url(u"/api/v1/postings"_s), Json("not an object"));
    QCOMPARE(e.status, 400);
    QCOMPARE(field(e.json, "errorCode"), u"MALFORMED_REQUEST"_s);
    auto n = exchange(*m_client, "GET", url(u"/parties/MSISDN/1"_s));
    QCOMPARE(n.status, 404);
    QCOMPARE(field(n.json, "errorCode"), u"ROUTE_NOT_FOUND"_s);
}

void TestCoreBank::persistsAcrossRestart()
{
    auto h = post(u"/api/v1/accounts/1000000001/holds"_s,
        Json { { "amount", "10" }, { "currency", "USD" } }, "h-9");
    QCOMPARE(h.status, 201);
    auto c = post(u"/api/v1/holds/"_s + field(h.json, "holdId") + u"/commit"_s, Json::object());
    QCOMPARE(c.status, 200);
    auto h2 = post(u"/api/v1/accounts/1000000001/holds"_s,
        Json { { "amount", "5" }, { "currency", "USD" } }, "h-10");
    QCOMPARE(h2.status, 201);
    m_bank->stop();
    QCOMPARE(m_bank->port(), quint16(0));
    CoreBank::CoreBankOptions o;
    o.dataDir = m_dir->path();
    auto port = m_bank->start(o);
    QVERIFY2(port, qPrintable(port ? QString() : port.error().message));
    // Not seeded again: the balance and the open hold survived.
    QCOMPARE(balance(u"1000000001"_s), u"4990.00"_s);
    QCOMPARE(available(u"1000000001"_s), u"4985.00"_s);
    QCOMPARE(m_bank->postingCount().value_or(-1), 1);
    auto again = post(u"/api/v1/accounts/1000000001/holds"_s,
        Json { { "amount", "10" }, { "currency", "USD" } }, "h-9");
    QCOMPARE(field(again.json, "holdId"), field(h.json, "holdId"));
}

void TestCoreBank::addCustomersAtRunTime()
{
    auto ok = m_bank->addCustomers(
        R"({"customers": [{"customerId": "C-9", "firstName": "New", "lastName": "Person",
        "aliases": [{"type": "MSISDN", "value": "111"}],
        "accounts": [{"accountNo": "A-9", "currency": "EUR", "balance": "3.5"}]}]})");
    QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message));
    auto r = exchange(*m_client, "GET", url(u"/api/v1/customers/by-alias/MSISDN/111"_s));
    QCOMPARE(r.status, 200);
    QCOMPARE(field(r.json["accounts"][0], "ledgerBalance"), u"3.50"_s);
    // All or nothing: the second customer repeats an alias, so neither is added.
    auto dup = m_bank->addCustomers(R"({"customers": [
        {"customerId": "C-10", "accounts": [{"accountNo": "A-10", "currency": "EUR"}]},
        {"customerId": "C-11", "aliases": [{"type": "MSISDN", "value": "111"}]}]})");
    QVERIFY(!dup);
    QVERIFY2(
        dup.error().message.contains(u"customers[1].aliases"_s), qPrintable(dup.error().message));
    QCOMPARE(exchange(*m_client, "GET", url(u"/api/v1/customers/C-10"_s)).status, 404);
}

void TestCoreBank::badSeedIsRefused()
{
    QTemporaryDir dir;
    CoreBank::CoreBank bank;
    CoreBank::CoreBankOptions o;
    o.dataDir = dir.path();
    o.seedJson
        = R"({"customers": [{"customerId": "X", "accounts": [{"accountNo": "1", "currency": "USD", "balance": "1.234"}]}]})";
    auto r = bank.start(o);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(u"customers[0].accounts.1.balance"_s),
        qPrintable(r.error().message));
    QCOMPARE(bank.port(), quint16(0));
    o.seedJson = "[1, 2]";
    auto s = bank.start(o);
    QVERIFY(!s);
    QVERIFY2(s.error().message.contains(u"seed"_s), qPrintable(s.error().message));
}

QTEST_GUILESS_MAIN(TestCoreBank)
#include "tst_corebank.moc"
