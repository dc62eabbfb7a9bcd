// The core connector's backend API served from corebank.yaml against a simulated core bank on
// 127.0.0.1: the mappings, and one test per row of the template's error table. Also the Jsonnet
// native functions.

#include "core/corebank/corebank.h"
#include "core/coreconnector/coreconnector.h"
#include "core/coreconnector/jsonnet.h"
#include "tests/coreconnector/httpkit.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Test;

#define START(...)                                                                                 \
    do {                                                                                           \
        start(__VA_ARGS__);                                                                        \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)

class TestCoreConnectorEngine : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void decimals_data();
    void decimals();
    void decimalErrors();
    void jsonnetMappingAndDates();
    void jsonnetErrorNamesFileLineField();

    void getParties();
    void quoteWithFee();
    void transferCreditsPayee();
    void unknownRoute();
    void putTransfersAnswers();
    // The error table of corebank.yaml, row by row.
    void row0_customerNotFound_getParties();
    void row0_customerNotFound_quote();
    void row0_customerNotFound_transfer();
    void row1_customerNotFound_sendMoney();
    void row2_insufficientFunds();
    void row3_accountClosed_sendMoney();
    void row4_accountClosed_transfer();
    void row5_invalidAmount();
    void row6_idempotencyKeyReused();
    void translatedMessage();
    void coreSystemDown();

private:
    void start(const Json &config = Json::object(), const QString &language = {});
    QString backend(const QString &path) const
    {
        return u"http://127.0.0.1:%1%2"_s.arg(m_cc->backendPort()).arg(path);
    }
    Json transfer(const QString &id, const QString &to, const QString &amount) const
    {
        return Json { { "transferId", id.toStdString() },
            { "to", Json { { "idType", "MSISDN" }, { "idValue", to.toStdString() } } },
            { "currency", "USD" }, { "amount", amount.toStdString() }, { "amountType", "SEND" } };
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<CoreBank::CoreBank> m_bank;
    std::unique_ptr<CoreConnector::CoreConnector> m_cc;
    std::unique_ptr<Net::HttpClient> m_client;
};

void TestCoreConnectorEngine::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_client = Net::createHttpClient();
}

void TestCoreConnectorEngine::cleanup()
{
    m_cc.reset();
    m_bank.reset();
    m_client.reset();
    m_dir.reset();
}

void TestCoreConnectorEngine::start(const Json &config, const QString &language)
{
    m_bank = std::make_unique<CoreBank::CoreBank>();
    CoreBank::CoreBankOptions o;
    o.dataDir = m_dir->path();
    auto port = m_bank->start(o);
    QVERIFY2(port, qPrintable(port ? QString() : port.error().message));
    auto tmpl = CoreConnector::loadTemplate(QStringLiteral(PM_TEMPLATES_DIR "/corebank.yaml"));
    QVERIFY2(tmpl, qPrintable(tmpl ? QString() : tmpl.error().message));
    m_cc = std::make_unique<CoreConnector::CoreConnector>();
    CoreConnector::CoreConnectorOptions co;
    co.tmpl = *tmpl;
    co.config = config;
    co.config["baseUrl"] = m_bank->baseUrl().toStdString();
    co.language = language;
    co.outboundUrl = QUrl(u"http://127.0.0.1:1"_s);
    auto started = m_cc->start(co);
    QVERIFY2(started, qPrintable(started ? QString() : started.error().message));
}

void TestCoreConnectorEngine::decimals_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<QString>("sum");
    QTest::addColumn<QString>("difference");
    QTest::addColumn<int>("comparison");
    QTest::newRow("simple") << u"100.5"_s << u"0.25"_s << u"100.75"_s << u"100.25"_s << 1;
    QTest::newRow("float trap") << u"0.1"_s << u"0.2"_s << u"0.3"_s << u"-0.1"_s << -1;
    QTest::newRow("negative") << u"-5"_s << u"2.5"_s << u"-2.5"_s << u"-7.5"_s << -1;
    QTest::newRow("equal") << u"10.50"_s << u"10.5"_s << u"21"_s << u"0"_s << 0;
    QTest::newRow("big") << u"999999999999999999"_s << u"0.0001"_s << u"999999999999999999.0001"_s
                         << u"999999999999999998.9999"_s << 1;
}

void TestCoreConnectorEngine::decimals()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(QString, sum);
    QFETCH(QString, difference);
    QFETCH(int, comparison);
    auto add = CoreConnector::decimalAdd(a, b);
    QVERIFY2(add, qPrintable(add ? QString() : add.error().message));
    QCOMPARE(*add, sum);
    QCOMPARE(CoreConnector::decimalSub(a, b).value_or(u"error"_s), difference);
    QCOMPARE(CoreConnector::decimalCompare(a, b).value_or(99), comparison);
    // The same through Jsonnet, where numbers would be doubles.
    auto j = CoreConnector::evaluateJsonnet(u"[pm.add(a, b), pm.sub(a, b), pm.cmp(a, b)]"_s,
        Json { { "a", a.toStdString() }, { "b", b.toStdString() } }, { u"t.yaml"_s, 1, u"x"_s });
    QVERIFY2(j, qPrintable(j ? QString() : j.error().message));
    QCOMPARE(QString::fromStdString((*j)[0].get<std::string>()), sum);
    QCOMPARE(QString::fromStdString((*j)[1].get<std::string>()), difference);
    QCOMPARE((*j)[2].get<int>(), comparison);
}

void TestCoreConnectorEngine::decimalErrors()
{
    auto tooMany = CoreConnector::decimalAdd(u"1.00001"_s, u"1"_s);
    QVERIFY(!tooMany);
    QVERIFY2(tooMany.error().message.contains(u"pm.add argument 1"_s),
        qPrintable(tooMany.error().message));
    auto overflow = CoreConnector::decimalAdd(u"999999999999999999"_s, u"1"_s);
    QVERIFY(!overflow);
    QVERIFY2(
        overflow.error().message.startsWith(u"pm.add"_s), qPrintable(overflow.error().message));
    QVERIFY(!CoreConnector::decimalCompare(u"abc"_s, u"1"_s));
    // A number instead of a string is refused with the function's name.
    auto n = CoreConnector::evaluateJsonnet(
        u"pm.add(1, '2')"_s, Json::object(), { u"t.yaml"_s, 7, u"f"_s });
    QVERIFY(!n);
    QVERIFY2(
        n.error().message.startsWith(u"t.yaml:7: f: jsonnet:"_s), qPrintable(n.error().message));
    QVERIFY2(n.error().message.contains(u"pm.add: both arguments must be decimal strings"_s),
        qPrintable(n.error().message));
}

void TestCoreConnectorEngine::jsonnetMappingAndDates()
{
    const Json vars { { "request",
        Json { { "body",
            Json { { "amount", "100.5" }, { "when", "2026-12-04T08:05:06.789Z" } } } } } };
    auto r = CoreConnector::evaluateJsonnet(
        u"{fixed: pm.fixed(request.body.amount, 2), norm: pm.normalise('0100.500'), "
        "date: pm.formatDate(request.body.when, 'dd MMMM yyyy'), time: "
        "pm.formatDate(request.body.when, 'HH:mm:ss'), "
        "now: std.length(pm.now) > 20}"_s,
        vars, { u"t.yaml"_s, 1, u"x"_s });
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    QCOMPARE(field(*r, "fixed"), u"100.50"_s);
    QCOMPARE(field(*r, "norm"), u"100.5"_s);
    QCOMPARE(field(*r, "date"), u"04 December 2026"_s);
    QCOMPARE(field(*r, "time"), u"08:05:06"_s);
    QCOMPARE((*r)["now"].get<bool>(), true);
    auto bad = CoreConnector::evaluateJsonnet(
        u"pm.formatDate('yesterday', 'dd')"_s, Json::object(), { u"t.yaml"_s, 3, u"y"_s });
    QVERIFY(!bad);
    QVERIFY2(bad.error().message.contains(u"'yesterday' is not an ISO 8601 date-time"_s),
        qPrintable(bad.error().message));
}

void TestCoreConnectorEngine::jsonnetErrorNamesFileLineField()
{
    // A runtime error on the third line of a mapping that starts on line 40.
    auto r = CoreConnector::evaluateJsonnet(u"local a = 1;\nlocal b = 2;\nerror 'boom'"_s,
        Json::object(), { u"bank.yaml"_s, 40, u"operations.getParties.response"_s });
    QVERIFY(!r);
    QVERIFY2(
        r.error().message.startsWith(u"bank.yaml:42: operations.getParties.response: jsonnet:"_s),
        qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(u"boom"_s), qPrintable(r.error().message));
    auto unbound = CoreConnector::checkJsonnet(
        u"{a: request.x,\n b: nope}"_s, { u"request"_s }, { u"bank.yaml"_s, 10, u"f"_s });
    QVERIFY(!unbound);
    QVERIFY2(unbound.error().message.startsWith(u"bank.yaml:11: f: jsonnet:"_s),
        qPrintable(unbound.error().message));
    QVERIFY2(unbound.error().message.contains(u"nope"_s), qPrintable(unbound.error().message));
}

void TestCoreConnectorEngine::getParties()
{
    START();
    auto r = exchange(*m_client, "GET", backend(u"/parties/MSISDN/25612345678"_s));
    QCOMPARE(r.status, 200);
    QCOMPARE(field(r.json, "idType"), u"MSISDN"_s);
    QCOMPARE(field(r.json, "idValue"), u"25612345678"_s);
    QCOMPARE(field(r.json, "displayName"), u"Amina K Okello"_s);
    QCOMPARE(field(r.json, "firstName"), u"Amina"_s);
    QCOMPARE(field(r.json, "middleName"), u"K"_s);
    QCOMPARE(field(r.json, "lastName"), u"Okello"_s);
    QCOMPARE(field(r.json, "dateOfBirth"), u"1985-04-12"_s);
    QVERIFY(!r.json.contains("idSubValue"));
    auto sub = exchange(*m_client, "GET", backend(u"/parties/MSISDN/25644444444/7"_s));
    QCOMPARE(sub.status, 200);
    QCOMPARE(field(sub.json, "idSubValue"), u"7"_s);
    QVERIFY(!sub.json.contains("middleName"));
    QCOMPARE(field(sub.json, "displayName"), u"Jean Mukasa"_s);
}

void TestCoreConnectorEngine::quoteWithFee()
{
    START(Json { { "quoteFee", "0.1" } });
    Json q { { "quoteId", "q-1" }, { "transactionId", "t-1" },
        { "to", Json { { "idType", "MSISDN" }, { "idValue", "25644444444" } } },
        { "amountType", "SEND" }, { "currency", "USD" }, { "amount", "0.2" } };
    auto send = exchange(*m_client, "POST", backend(u"/quoterequests"_s), q);
    QCOMPARE(send.status, 200);
    QCOMPARE(field(send.json, "quoteId"), u"q-1"_s);
    QCOMPARE(field(send.json, "transferAmount"), u"0.2"_s);
    QCOMPARE(field(send.json, "payeeReceiveAmount"), u"0.1"_s); // exact, not 0.1000000000000000055
    QCOMPARE(field(send.json, "payeeFspFeeAmount"), u"0.1"_s);
    q["amountType"] = "RECEIVE";
    auto receive = exchange(*m_client, "POST", backend(u"/quoterequests"_s), q);
    QCOMPARE(receive.status, 200);
    QCOMPARE(field(receive.json, "transferAmount"), u"0.3"_s);
    QCOMPARE(field(receive.json, "payeeReceiveAmount"), u"0.2"_s);
    // No account in the currency: the template's own fail step.
    q["currency"] = "XOF";
    auto xof = exchange(*m_client, "POST", backend(u"/quoterequests"_s), q);
    QCOMPARE(xof.status, 500);
    QCOMPARE(field(xof.json, "statusCode"), u"5106"_s);
    QCOMPARE(field(xof.json, "message"), u"payee has no XOF account"_s);
}

void TestCoreConnectorEngine::transferCreditsPayee()
{
    START();
    Json t = transfer(u"tr-1"_s, u"25644444444"_s, u"10"_s);
    t["quote"] = Json { { "payeeReceiveAmount", "9.5" } };
    auto r = exchange(*m_client, "POST", backend(u"/transfers"_s), t);
    QCOMPARE(r.status, 200);
    QCOMPARE(field(r.json, "transferState"), u"COMMITTED"_s);
    QVERIFY(!field(r.json, "homeTransactionId").isEmpty());
    QCOMPARE(m_bank->ledgerBalance(u"1000000002"_s).value_or(QString()), u"1210.00"_s);
    // Sent again (the connector retries): the same posting, credited once.
    auto again = exchange(*m_client, "POST", backend(u"/transfers"_s), t);
    QCOMPARE(again.status, 200);
    QCOMPARE(field(again.json, "homeTransactionId"), field(r.json, "homeTransactionId"));
    QCOMPARE(m_bank->ledgerBalance(u"1000000002"_s).value_or(QString()), u"1210.00"_s);
    QCOMPARE(m_bank->postingCount().value_or(-1), 1);
}

void TestCoreConnectorEngine::unknownRoute()
{
    START();
    auto r = exchange(*m_client, "DELETE", backend(u"/transfers/x"_s));
    QCOMPARE(r.status, 404);
    QCOMPARE(field(r.json, "statusCode"), u"3002"_s);
    auto bad = exchange(*m_client, "POST", backend(u"/sendmoney"_s), Json::object());
    QCOMPARE(bad.status, 404);
}

void TestCoreConnectorEngine::putTransfersAnswers()
{
    START();
    auto r = exchange(
        *m_client, "PUT", backend(u"/transfers/tr-9"_s), Json { { "currentState", "COMPLETED" } });
    QCOMPARE(r.status, 200);
    QVERIFY(r.json.is_object());
}

void TestCoreConnectorEngine::row0_customerNotFound_getParties()
{
    START();
    auto r = exchange(*m_client, "GET", backend(u"/parties/MSISDN/000"_s));
    QCOMPARE(r.status, 404);
    QCOMPARE(field(r.json, "statusCode"), u"3204"_s);
    QCOMPARE(field(r.json, "message"), u"Party not found"_s);
}

void TestCoreConnectorEngine::row0_customerNotFound_quote()
{
    START();
    Json q { { "quoteId", "q-2" }, { "transactionId", "t-2" },
        { "to", Json { { "idType", "MSISDN" }, { "idValue", "000" } } }, { "amountType", "SEND" },
        { "currency", "USD" }, { "amount", "1" } };
    auto r = exchange(*m_client, "POST", backend(u"/quoterequests"_s), q);
    QCOMPARE(r.status, 404);
    QCOMPARE(field(r.json, "statusCode"), u"3204"_s);
}

void TestCoreConnectorEngine::row0_customerNotFound_transfer()
{
    START();
    auto r = exchange(
        *m_client, "POST", backend(u"/transfers"_s), transfer(u"tr-2"_s, u"000"_s, u"1"_s));
    QCOMPARE(r.status, 404);
    QCOMPARE(field(r.json, "statusCode"), u"3204"_s);
}

void TestCoreConnectorEngine::row1_customerNotFound_sendMoney()
{
    START();
    Json s { { "homeTransactionId", "h-1" },
        { "from", Json { { "idType", "MSISDN" }, { "idValue", "000" } } },
        { "to", Json { { "idType", "MSISDN" }, { "idValue", "1" } } }, { "currency", "USD" },
        { "amount", "1" } };
    auto r = exchange(
        *m_client, "POST", u"http://127.0.0.1:%1/sendmoney"_s.arg(m_cc->sendMoneyPort()), s);
    QCOMPARE(r.status, 404);
    QCOMPARE(field(r.json, "statusCode"), u"3200"_s);
    QCOMPARE(field(r.json, "message"), u"Payer not found"_s);
}

void TestCoreConnectorEngine::row2_insufficientFunds()
{
    START();
    Json s { { "homeTransactionId", "h-2" },
        { "from", Json { { "idType", "MSISDN" }, { "idValue", "25644444444" } } },
        { "to", Json { { "idType", "MSISDN" }, { "idValue", "1" } } }, { "currency", "USD" },
        { "amount", "5000" } };
    auto r = exchange(
        *m_client, "POST", u"http://127.0.0.1:%1/sendmoney"_s.arg(m_cc->sendMoneyPort()), s);
    QCOMPARE(r.status, 422);
    QCOMPARE(field(r.json, "statusCode"), u"4001"_s);
    QCOMPARE(m_bank->availableBalance(u"1000000002"_s).value_or(QString()), u"1200.50"_s);
}

void TestCoreConnectorEngine::row3_accountClosed_sendMoney()
{
    START();
    Json s { { "homeTransactionId", "h-3" },
        { "from", Json { { "idType", "MSISDN" }, { "idValue", "25699999999" } } },
        { "to", Json { { "idType", "MSISDN" }, { "idValue", "1" } } }, { "currency", "USD" },
        { "amount", "1" } };
    auto r = exchange(
        *m_client, "POST", u"http://127.0.0.1:%1/sendmoney"_s.arg(m_cc->sendMoneyPort()), s);
    QCOMPARE(r.status, 409);
    QCOMPARE(field(r.json, "statusCode"), u"4400"_s);
    QCOMPARE(field(r.json, "message"), u"Payer account is closed"_s);
}

void TestCoreConnectorEngine::row4_accountClosed_transfer()
{
    START();
    auto r = exchange(
        *m_client, "POST", backend(u"/transfers"_s), transfer(u"tr-3"_s, u"25699999999"_s, u"1"_s));
    QCOMPARE(r.status, 409);
    QCOMPARE(field(r.json, "statusCode"), u"5104"_s);
    QCOMPARE(m_bank->ledgerBalance(u"1000000009"_s).value_or(QString()), u"10.00"_s);
}

void TestCoreConnectorEngine::row5_invalidAmount()
{
    START();
    auto r = exchange(*m_client, "POST", backend(u"/transfers"_s),
        transfer(u"tr-4"_s, u"25644444444"_s, u"1.234"_s));
    QCOMPARE(r.status, 400);
    QCOMPARE(field(r.json, "statusCode"), u"3100"_s);
    QCOMPARE(m_bank->postingCount().value_or(-1), 0);
}

void TestCoreConnectorEngine::row6_idempotencyKeyReused()
{
    START();
    auto first = exchange(
        *m_client, "POST", backend(u"/transfers"_s), transfer(u"tr-5"_s, u"25644444444"_s, u"1"_s));
    QCOMPARE(first.status, 200);
    // The same transfer id with another amount.
    auto r = exchange(
        *m_client, "POST", backend(u"/transfers"_s), transfer(u"tr-5"_s, u"25644444444"_s, u"2"_s));
    QCOMPARE(r.status, 409);
    QCOMPARE(field(r.json, "statusCode"), u"3106"_s);
    QCOMPARE(m_bank->ledgerBalance(u"1000000002"_s).value_or(QString()), u"1201.50"_s);
}

void TestCoreConnectorEngine::translatedMessage()
{
    START(Json::object(), u"fr"_s);
    auto r = exchange(*m_client, "GET", backend(u"/parties/MSISDN/000"_s));
    QCOMPARE(field(r.json, "statusCode"), u"3204"_s);
    QCOMPARE(field(r.json, "message"), u"Partie introuvable"_s);
}

void TestCoreConnectorEngine::coreSystemDown()
{
    START();
    m_bank->stop();
    auto r = exchange(*m_client, "GET", backend(u"/parties/MSISDN/25612345678"_s));
    QCOMPARE(r.status, 503);
    QCOMPARE(field(r.json, "statusCode"), u"2003"_s);
    QVERIFY2(field(r.json, "message").contains(u"core system (customer)"_s), r.body.constData());
    QCOMPARE(m_cc->metrics().value(u"getParties"_s).errors, quint64(1));
}

QTEST_GUILESS_MAIN(TestCoreConnectorEngine)
#include "tst_coreconnector_engine.moc"
