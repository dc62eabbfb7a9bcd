// Two connectors peering directly, each with its own simulated core bank behind the shipped
// corebank.yaml template: POST /sendmoney on the payer's core connector holds the money in the
// payer's bank, drives the payer connector's outbound API, and commits the hold; the payee's core
// connector credits the payee's account. A failed transfer releases the hold.

#include "core/connector/connector.h"
#include "core/corebank/corebank.h"
#include "core/coreconnector/coreconnector.h"
#include "tests/coreconnector/httpkit.h"
#include "tests/integration/connectorkit.h"
#include "tests/support/testpki.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Test;

// A helper's QVERIFY only leaves the helper: stop the test too.
#define START_PAIR(...)                                                                            \
    do {                                                                                           \
        startPair(__VA_ARGS__);                                                                    \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)

class TestCoreConnectorFlow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void sendMoneyMovesMoney();
    void sendMoneyWithAutoAccept();
    void payeeAccountClosedReleasesHold();
    void unknownPayeeReleasesHold();
    void feeAboveLimitRejectsQuoteAndReleasesHold();
    void payerInsufficientFunds();
    void payerUnknown();
    void payerAccountClosed();
    void payerHasNoAccountInCurrency();
    void metricsCount();

private:
    struct Side
    {
        std::unique_ptr<CoreBank::CoreBank> bank;
        std::unique_ptr<CoreConnector::CoreConnector> cc;
        std::unique_ptr<Connector::Connector> connector;
    };
    void startPair(bool autoAccept = false, const Json &payeeConfig = Json::object());
    Exchange sendMoney(const QString &from, const QString &to, const QString &amount,
        const QString &currency = u"USD"_s);
    QString balance(const Side &side, const QString &account) const
    {
        auto b = side.bank->ledgerBalance(account);
        return b ? *b : b.error().message;
    }
    QString available(const Side &side, const QString &account) const
    {
        auto b = side.bank->availableBalance(account);
        return b ? *b : b.error().message;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_payerKey, m_payeeKey, m_keysDir;
    std::unique_ptr<TestPki> m_pki;
    Side m_payer, m_payee;
    std::unique_ptr<Net::HttpClient> m_client;
    int m_home = 0;
};

void TestCoreConnectorFlow::initTestCase()
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
    QVERIFY(QDir().mkpath(m_keysDir));
    for (const auto &[name, path] :
        { std::pair { u"payerfsp"_s, m_payerKey }, std::pair { u"payeefsp"_s, m_payeeKey } }) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto key = Fspiop::Jws::SigningKey::fromPem(f.readAll());
        QVERIFY(key);
        QVERIFY(writeFile(m_keysDir + u'/' + name + u".pem"_s, key->publicKeyPem()));
    }
}

void TestCoreConnectorFlow::init()
{
    m_client = Net::createHttpClient();
}

void TestCoreConnectorFlow::cleanup()
{
    for (Side *side : { &m_payer, &m_payee }) {
        if (side->connector)
            side->connector->stop();
        side->connector.reset();
        side->cc.reset();
        side->bank.reset();
    }
    m_client.reset();
}

void TestCoreConnectorFlow::startPair(bool autoAccept, const Json &payeeConfig)
{
    auto tmpl = CoreConnector::loadTemplate(QStringLiteral(PM_TEMPLATES_DIR "/corebank.yaml"));
    QVERIFY2(tmpl, qPrintable(tmpl ? QString() : tmpl.error().message));
    const QString run = QString::number(++m_home);
    for (Side *side : { &m_payer, &m_payee }) {
        side->bank = std::make_unique<CoreBank::CoreBank>();
        CoreBank::CoreBankOptions o;
        o.dataDir = m_dir->filePath((side == &m_payer ? u"payerbank-"_s : u"payeebank-"_s) + run);
        auto port = side->bank->start(o);
        QVERIFY2(port, qPrintable(port ? QString() : port.error().message));
        side->cc = std::make_unique<CoreConnector::CoreConnector>();
        CoreConnector::CoreConnectorOptions co;
        co.tmpl = *tmpl;
        co.config = side == &m_payee ? payeeConfig : Json::object();
        co.config["baseUrl"] = side->bank->baseUrl().toStdString();
        co.serveSendMoney = side == &m_payer;
        auto started = side->cc->start(co);
        QVERIFY2(started, qPrintable(started ? QString() : started.error().message));
    }
    const quint16 payerIn = freePort(), payeeIn = freePort();
    QVERIFY(payerIn && payeeIn);
    auto payerCfg = testConfig(
        u"payerfsp"_s, payerIn, payeeIn, m_payer.cc->backendPort(), m_payerKey, m_keysDir);
    auto payeeCfg = testConfig(
        u"payeefsp"_s, payeeIn, payerIn, m_payee.cc->backendPort(), m_payeeKey, m_keysDir);
    payerCfg.autoAcceptParty = payerCfg.autoAcceptQuotes = autoAccept;
    m_payee.connector
        = std::make_unique<Connector::Connector>(payeeCfg, m_dir->filePath(u"payee-"_s + run));
    m_payer.connector
        = std::make_unique<Connector::Connector>(payerCfg, m_dir->filePath(u"payer-"_s + run));
    auto a = m_payee.connector->start();
    QVERIFY2(a, qPrintable(a ? QString() : a.error().message));
    auto b = m_payer.connector->start();
    QVERIFY2(b, qPrintable(b ? QString() : b.error().message));
    m_payer.cc->setOutboundUrl(QUrl(u"http://127.0.0.1:%1"_s.arg(b->outbound)));
}

Exchange TestCoreConnectorFlow::sendMoney(
    const QString &from, const QString &to, const QString &amount, const QString &currency)
{
    Json body = Json::object();
    body["homeTransactionId"] = u"home-%1"_s.arg(++m_home).toStdString();
    body["from"] = Json { { "idType", "MSISDN" }, { "idValue", from.toStdString() } };
    body["to"] = Json { { "idType", "MSISDN" }, { "idValue", to.toStdString() } };
    body["currency"] = currency.toStdString();
    body["amount"] = amount.toStdString();
    body["note"] = "core connector test";
    return exchange(*m_client, "POST",
        u"http://127.0.0.1:%1/sendmoney"_s.arg(m_payer.cc->sendMoneyPort()), body);
}

void TestCoreConnectorFlow::sendMoneyMovesMoney()
{
    START_PAIR();
    // Amina (payer bank, 5000.00) pays Jean (payee bank, 1200.50).
    auto r = sendMoney(u"25612345678"_s, u"25644444444"_s, u"100.5"_s);
    QVERIFY2(r.status == 200, r.body.constData());
    QCOMPARE(field(r.json, "currentState"), u"COMPLETED"_s);
    QVERIFY(!field(r.json, "transferId").isEmpty());
    QCOMPARE(field(r.json, "debited"), u"100.50"_s);
    QCOMPARE(field(r.json, "payeeFspFee"), u"0"_s);
    QVERIFY(!field(r.json, "postingId").isEmpty());
    QCOMPARE(balance(m_payer, u"1000000001"_s), u"4899.50"_s);
    QCOMPARE(available(m_payer, u"1000000001"_s), u"4899.50"_s);
    QCOMPARE(balance(m_payer, u"SETTLE-USD"_s), u"100.50"_s);
    QCOMPARE(balance(m_payee, u"1000000002"_s), u"1301.00"_s);
    QCOMPARE(balance(m_payee, u"SETTLE-USD"_s), u"-100.50"_s);
    QCOMPARE(m_payer.bank->postingCount().value_or(-1), 1);
    QCOMPARE(m_payee.bank->postingCount().value_or(-1), 1);
    // The payer's hold is the one committed; nothing is left held.
    auto hold = exchange(
        *m_client, "GET", m_payer.bank->baseUrl() + u"/api/v1/holds/"_s + field(r.json, "holdId"));
    QCOMPARE(field(hold.json, "holdStatus"), u"COMMITTED"_s);
    QCOMPARE(field(hold.json, "postingId"), field(r.json, "postingId"));
}

void TestCoreConnectorFlow::sendMoneyWithAutoAccept()
{
    START_PAIR(true);
    auto r = sendMoney(u"25612345678"_s, u"25644444444"_s, u"0.75"_s);
    QVERIFY2(r.status == 200, r.body.constData());
    QCOMPARE(field(r.json, "currentState"), u"COMPLETED"_s);
    QCOMPARE(balance(m_payer, u"1000000001"_s), u"4999.25"_s);
    QCOMPARE(balance(m_payee, u"1000000002"_s), u"1201.25"_s);
}

void TestCoreConnectorFlow::payeeAccountClosedReleasesHold()
{
    START_PAIR();
    // 25699999999's only account at the payee bank is closed: the payee refuses the quote.
    auto r = sendMoney(u"25612345678"_s, u"25699999999"_s, u"10"_s);
    QVERIFY2(r.status >= 400, r.body.constData());
    QCOMPARE(field(r.json, "statusCode"), u"5104"_s);
    QCOMPARE(balance(m_payer, u"1000000001"_s), u"5000.00"_s);
    QCOMPARE(available(m_payer, u"1000000001"_s), u"5000.00"_s);
    QCOMPARE(m_payer.bank->postingCount().value_or(-1), 0);
    QCOMPARE(m_payee.bank->postingCount().value_or(-1), 0);
    QCOMPARE(balance(m_payee, u"1000000009"_s), u"10.00"_s);
}

void TestCoreConnectorFlow::unknownPayeeReleasesHold()
{
    START_PAIR();
    auto r = sendMoney(u"25612345678"_s, u"25600000000"_s, u"10"_s);
    QVERIFY2(r.status >= 400, r.body.constData());
    QCOMPARE(field(r.json, "statusCode"), u"3204"_s);
    QCOMPARE(available(m_payer, u"1000000001"_s), u"5000.00"_s);
    QCOMPARE(m_payer.bank->postingCount().value_or(-1), 0);
}

void TestCoreConnectorFlow::feeAboveLimitRejectsQuoteAndReleasesHold()
{
    START_PAIR(false, Json { { "quoteFee", "10.01" } });
    auto r = sendMoney(u"25612345678"_s, u"25644444444"_s, u"50"_s);
    QCOMPARE(r.status, 422);
    QCOMPARE(field(r.json, "statusCode"), u"4101"_s);
    QVERIFY2(field(r.json, "message").contains(u"10.01"_s), r.body.constData());
    QCOMPARE(available(m_payer, u"1000000001"_s), u"5000.00"_s);
    QCOMPARE(m_payer.bank->postingCount().value_or(-1), 0);
    QCOMPARE(m_payee.bank->postingCount().value_or(-1), 0);
    QCOMPARE(balance(m_payee, u"1000000002"_s), u"1200.50"_s);
}

void TestCoreConnectorFlow::payerInsufficientFunds()
{
    START_PAIR();
    auto r = sendMoney(u"25644444444"_s, u"25612345678"_s, u"1200.51"_s);
    QCOMPARE(r.status, 422);
    QCOMPARE(field(r.json, "statusCode"), u"4001"_s);
    QCOMPARE(field(r.json, "message"), u"Payer FSP insufficient liquidity"_s);
    QCOMPARE(available(m_payer, u"1000000002"_s), u"1200.50"_s);
    QCOMPARE(m_payee.bank->postingCount().value_or(-1), 0);
}

void TestCoreConnectorFlow::payerUnknown()
{
    START_PAIR();
    auto r = sendMoney(u"25600000001"_s, u"25612345678"_s, u"1"_s);
    QCOMPARE(r.status, 404);
    QCOMPARE(field(r.json, "statusCode"), u"3200"_s);
    QCOMPARE(field(r.json, "message"), u"Payer not found"_s);
}

void TestCoreConnectorFlow::payerAccountClosed()
{
    START_PAIR();
    auto r = sendMoney(u"25699999999"_s, u"25612345678"_s, u"1"_s);
    QCOMPARE(r.status, 409);
    QCOMPARE(field(r.json, "statusCode"), u"4400"_s);
    QCOMPARE(balance(m_payer, u"1000000009"_s), u"10.00"_s);
}

void TestCoreConnectorFlow::payerHasNoAccountInCurrency()
{
    START_PAIR();
    auto r = sendMoney(u"25612345678"_s, u"25644444444"_s, u"1"_s, u"EUR"_s);
    QCOMPARE(r.status, 422);
    QCOMPARE(field(r.json, "statusCode"), u"4103"_s);
    QVERIFY2(field(r.json, "message").contains(u"EUR"_s), r.body.constData());
}

void TestCoreConnectorFlow::metricsCount()
{
    START_PAIR();
    QCOMPARE(sendMoney(u"25612345678"_s, u"25644444444"_s, u"1"_s).status, 200);
    QCOMPARE(sendMoney(u"25600000001"_s, u"25644444444"_s, u"1"_s).status, 404);
    const auto payer = m_payer.cc->metrics();
    QCOMPARE(payer.value(u"postSendMoney"_s).count, quint64(2));
    QCOMPARE(payer.value(u"postSendMoney"_s).errors, quint64(1));
    const auto payee = m_payee.cc->metrics();
    QCOMPARE(payee.value(u"getParties"_s).count, quint64(1));
    QCOMPARE(payee.value(u"postQuoteRequests"_s).count, quint64(1));
    QCOMPARE(payee.value(u"postTransfers"_s).count, quint64(1));
    QCOMPARE(payee.value(u"postTransfers"_s).errors, quint64(0));
}

QTEST_GUILESS_MAIN(TestCoreConnectorFlow)
#include "tst_coreconnector_flow.moc"
