// The inbound FSPIOP server and the payee flows of one connector, driven with hand-made (signed)
// FSPIOP requests; its callbacks go to a capturing "hub" server that checks them against the schema.

#include "core/connector/connector.h"
#include "core/fspiop/datatypes.h"
#include "core/fspiop/headers.h"
#include "core/fspiop/ilp.h"
#include "tests/integration/connectorkit.h"
#include "tests/support/testbackend.h"
#include "tests/support/testpki.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Test;

namespace {

struct Captured
{
    QByteArray method;
    QString path;
    Net::HttpHeaders headers;
    QByteArray body;
    QString schemaProblem; ///< empty when the body validated
};

} // namespace

class TestConnectorInbound : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void headerErrors_data();
    void headerErrors();
    void badSignatureIs3105();
    void malformedJsonIs3101();
    void schemaErrorsNameTheField_data();
    void schemaErrorsNameTheField();
    void unknownPathIs3002();
    void wrongMethodIs405();
    void healthAnswers();
    void wrongMethodIs405OnBothServers();
    void outboundRefusesUnknownCurrency();

    void partyLookupAnswersFromTheBackend();
    void unknownPartyGives3204();
    void emptyBackendAnswerIsReported();
    void quoteAndTransferAsPayee();
    void conditionMismatchIs3100();
    void backendTimeoutIs2004();
    void patchNotifiesTheBackendWithRetries();
    void reservedWithoutPatchAsksTheHub();
    void payerSendsFinalNotificationIfRequested();

private:
    void startConnector(const std::function<void(Connector::ConnectorConfig &)> &tweak = {});
    Net::HttpHeaders fspiopHeaders(const QString &resource, const QByteArray &method, const QString &path,
                                   const QByteArray &body, bool sign = true);
    Net::HttpClientResult send(const QByteArray &method, const QString &path, const QByteArray &body,
                               const Net::HttpHeaders &headers);
    Net::HttpClientResult sendSigned(const QByteArray &method, const QString &resource, const QString &path,
                                     const Json &body);
    /** Waits for a callback to `path`; returns it. */
    std::optional<Captured> waitFor(const QString &path, int timeoutMs = 10000);
    Json quoteRequest(const QString &quoteId, const QString &transactionId) const;
    /** Quote then transfer as payee; returns the fulfil callback the hub got. */
    std::optional<Captured> quoteAndTransfer(const QString &transferId);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TestPki> m_pki;
    std::optional<Fspiop::Jws::SigningKey> m_payerKey;
    QString m_payeeKeyPath, m_keysDir;
    std::unique_ptr<TestBackend> m_backend;
    std::unique_ptr<Net::HttpServer> m_hub;
    QList<Captured> m_captured;
    std::unique_ptr<Connector::Connector> m_connector;
    std::unique_ptr<Net::HttpClient> m_client;
};

void TestConnectorInbound::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    auto pki = TestPki::create(m_dir->path(), TestKeyType::Rsa2048);
    QVERIFY(pki);
    m_pki = std::make_unique<TestPki>(std::move(*pki));
    auto payer = m_pki->issueClient(u"payerfsp"_s);
    auto payee = m_pki->issueClient(u"payeefsp"_s);
    QVERIFY(payer && payee);
    QFile f(payer->privateKeyPath);
    QVERIFY(f.open(QIODevice::ReadOnly));
    auto key = Fspiop::Jws::SigningKey::fromPem(f.readAll());
    QVERIFY(key);
    m_payerKey = *key;
    m_payeeKeyPath = payee->privateKeyPath;
    m_keysDir = m_dir->filePath(u"jwskeys"_s);
    QVERIFY(QDir().mkpath(m_keysDir));
    QVERIFY(writeFile(m_keysDir + u"/payerfsp.pem"_s, m_payerKey->publicKeyPem()));
    QFile g(m_payeeKeyPath);
    QVERIFY(g.open(QIODevice::ReadOnly));
    QVERIFY(writeFile(m_keysDir + u"/payeefsp.pem"_s, Fspiop::Jws::SigningKey::fromPem(g.readAll())->publicKeyPem()));
}

void TestConnectorInbound::init()
{
    m_backend = std::make_unique<TestBackend>();
    QVERIFY(m_backend->start());
    m_backend->addParty(Json{{"idType", "MSISDN"}, {"idValue", "123456"}, {"displayName", "Ana B"},
                             {"firstName", "Ana"}, {"lastName", "B"}, {"dateOfBirth", "1990-02-03"}});
    m_captured.clear();
    m_hub = Net::createHttpServer();
    m_hub->setHandler([this](Net::HttpRequest r, Net::HttpResponder responder) {
        Captured c{r.method, r.path, r.headers, r.body, {}};
        const QByteArray ct = r.headers.value("content-type");
        auto version = Fspiop::ApiVersion::parse(QString::fromLatin1(ct.mid(ct.indexOf("version=") + 8)));
        const QString type = schemaTypeFor(QString::fromLatin1(r.method), r.path);
        if (!version)
            c.schemaProblem = u"bad content-type "_s + QString::fromLatin1(ct);
        else if (!type.isEmpty()) {
            auto ok = Fspiop::Schema::validateBytes(*version, type, r.body);
            if (!ok)
                c.schemaProblem = ok.error().message;
        }
        m_captured.append(c);
        responder.respond(r.method == "PUT" ? 200 : 202);
    });
    QVERIFY(m_hub->listen({}));
    m_client = Net::createHttpClient();
}

void TestConnectorInbound::cleanup()
{
    if (m_connector)
        m_connector->stop();
    m_connector.reset();
    m_client.reset();
    m_hub.reset();
    m_backend.reset();
}

void TestConnectorInbound::startConnector(const std::function<void(Connector::ConnectorConfig &)> &tweak)
{
    auto c = testConfig(u"payeefsp"_s, 0, m_hub->serverPort(), m_backend->port(), m_payeeKeyPath, m_keysDir);
    c.http.retries = 0;
    if (tweak)
        tweak(c);
    m_connector = std::make_unique<Connector::Connector>(c, m_dir->filePath(u"data-"_s + Fspiop::DataTypes::generateUuid()));
    auto started = m_connector->start();
    QVERIFY2(started, qPrintable(started ? QString() : started.error().message));
}

Net::HttpHeaders TestConnectorInbound::fspiopHeaders(const QString &resource, const QByteArray &method,
                                                     const QString &path, const QByteArray &body, bool sign)
{
    Net::HttpHeaders h;
    const QString date = Fspiop::currentHttpDate();
    h.add("Content-Type", Fspiop::contentType(resource, Fspiop::Versions::V1_0).toLatin1());
    if (method == "GET" || method == "POST")
        h.add("Accept", Fspiop::acceptType(resource, Fspiop::Versions::V1_0).toLatin1());
    h.add("Date", date.toLatin1());
    h.add("FSPIOP-Source", "payerfsp");
    h.add("FSPIOP-Destination", "payeefsp");
    if (sign && !body.isEmpty()) {
        Fspiop::Jws::SignRequest r;
        r.method = QString::fromLatin1(method);
        r.uri = path;
        r.source = u"payerfsp"_s;
        r.destination = u"payeefsp"_s;
        r.date = date;
        r.body = body;
        auto s = Fspiop::Jws::sign(*m_payerKey, r);
        if (s) {
            h.add("FSPIOP-HTTP-Method", s->httpMethod);
            h.add("FSPIOP-URI", s->uri);
            h.add("FSPIOP-Signature", s->signature);
        }
    }
    return h;
}

Net::HttpClientResult TestConnectorInbound::send(const QByteArray &method, const QString &path,
                                                 const QByteArray &body, const Net::HttpHeaders &headers)
{
    return call(*m_client, method, QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_connector->ports().inbound).arg(path)),
                body, headers);
}

Net::HttpClientResult TestConnectorInbound::sendSigned(const QByteArray &method, const QString &resource,
                                                       const QString &path, const Json &body)
{
    const QByteArray bytes = body.is_null() ? QByteArray() : Fspiop::serializeJson(body);
    return send(method, path, bytes, fspiopHeaders(resource, method, path, bytes));
}

std::optional<Captured> TestConnectorInbound::waitFor(const QString &path, int timeoutMs)
{
    std::optional<Captured> found;
    (void)QTest::qWaitFor([&] {
        for (const Captured &c : m_captured) {
            if (c.path == path) {
                found = c;
                return true;
            }
        }
        return false;
    }, timeoutMs);
    return found;
}

Json TestConnectorInbound::quoteRequest(const QString &quoteId, const QString &transactionId) const
{
    Json q = Json::object();
    q["quoteId"] = quoteId.toStdString();
    q["transactionId"] = transactionId.toStdString();
    q["payee"] = Json{{"partyIdInfo", Json{{"partyIdType", "MSISDN"}, {"partyIdentifier", "123456"}, {"fspId", "payeefsp"}}}};
    q["payer"] = Json{{"partyIdInfo", Json{{"partyIdType", "MSISDN"}, {"partyIdentifier", "999"}, {"fspId", "payerfsp"}}},
                      {"personalInfo", Json{{"complexName", Json{{"firstName", "Łucja"}, {"lastName", "Øster"}}}}}};
    q["amountType"] = "SEND";
    q["amount"] = Json{{"currency", "USD"}, {"amount", "12.34"}};
    q["transactionType"] = Json{{"scenario", "TRANSFER"}, {"initiator", "PAYER"}, {"initiatorType", "CONSUMER"}};
    return q;
}

// ---------------------------------------------------------------------------------------------

void TestConnectorInbound::headerErrors_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("drop");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("malformed content-type") << "GET"_ba << ""_ba << "application/json"_ba << 400 << u"3101"_s;
    QTest::newRow("missing content-type") << "GET"_ba << "Content-Type"_ba << ""_ba << 400 << u"3102"_s;
    QTest::newRow("missing date") << "GET"_ba << "Date"_ba << ""_ba << 400 << u"3102"_s;
    QTest::newRow("missing source") << "GET"_ba << "FSPIOP-Source"_ba << ""_ba << 400 << u"3102"_s;
    QTest::newRow("missing accept on GET") << "GET"_ba << "Accept"_ba << ""_ba << 400 << u"3102"_s;
    QTest::newRow("unsupported version") << "GET"_ba << ""_ba
                                         << "application/vnd.interoperability.parties+json;version=9.0"_ba << 406 << u"3001"_s;
}

void TestConnectorInbound::headerErrors()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, drop);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QString, code);
    startConnector();
    Net::HttpHeaders h = fspiopHeaders(u"parties"_s, method, u"/parties/MSISDN/123456"_s, {});
    if (!drop.isEmpty())
        h.remove(drop);
    if (!contentType.isEmpty())
        h.set("Content-Type", contentType);
    auto r = send(method, u"/parties/MSISDN/123456"_s, {}, h);
    QVERIFY(r);
    QCOMPARE(r->status, status);
    const Json body = parse(r->body);
    QCOMPARE(qs(body["errorInformation"], "errorCode"), code);
    QVERIFY(Fspiop::Schema::validate(Fspiop::Versions::V1_0, u"ErrorInformationResponse", body));
    if (code == u"3001"_s)
        QVERIFY(body["errorInformation"]["extensionList"]["extension"].size() >= 2);
    QCOMPARE(m_backend->calls().size(), 0);
}

void TestConnectorInbound::badSignatureIs3105()
{
    startConnector();
    const QByteArray bytes = Fspiop::serializeJson(quoteRequest(Fspiop::DataTypes::generateUuid(), Fspiop::DataTypes::generateUuid()));
    Net::HttpHeaders h = fspiopHeaders(u"quotes"_s, "POST", u"/quotes"_s, bytes);
    QByteArray tampered = bytes;
    tampered.replace("12.34", "99.34");
    auto r = send("POST", u"/quotes"_s, tampered, h);
    QVERIFY(r);
    QCOMPARE(r->status, 400);
    QCOMPARE(qs(parse(r->body)["errorInformation"], "errorCode"), u"3105"_s);
    // No signature at all.
    auto unsigned_ = send("POST", u"/quotes"_s, bytes, fspiopHeaders(u"quotes"_s, "POST", u"/quotes"_s, bytes, false));
    QVERIFY(unsigned_);
    QCOMPARE(unsigned_->status, 400);
    QCOMPARE(qs(parse(unsigned_->body)["errorInformation"], "errorCode"), u"3105"_s);
    QCOMPARE(m_backend->calls().size(), 0);
}

void TestConnectorInbound::malformedJsonIs3101()
{
    startConnector();
    const QByteArray bytes = R"({"quoteId": "x",)"_ba;
    auto r = send("POST", u"/quotes"_s, bytes, fspiopHeaders(u"quotes"_s, "POST", u"/quotes"_s, bytes));
    QVERIFY(r);
    QCOMPARE(r->status, 400);
    QCOMPARE(qs(parse(r->body)["errorInformation"], "errorCode"), u"3101"_s);
}

void TestConnectorInbound::schemaErrorsNameTheField_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<bool>("remove");
    QTest::addColumn<QString>("code");
    QTest::newRow("missing transactionId") << u"transactionId"_s << true << u"3102"_s;
    QTest::newRow("bad amountType") << u"amountType"_s << false << u"3100"_s;
}

void TestConnectorInbound::schemaErrorsNameTheField()
{
    QFETCH(QString, field);
    QFETCH(bool, remove);
    QFETCH(QString, code);
    startConnector();
    Json q = quoteRequest(Fspiop::DataTypes::generateUuid(), Fspiop::DataTypes::generateUuid());
    if (remove)
        q.erase(field.toStdString());
    else
        q[field.toStdString()] = 42; // the 1.0 schema types it as a string (no enum in 1.0)
    auto r = sendSigned("POST", u"quotes"_s, u"/quotes"_s, q);
    QVERIFY(r);
    QCOMPARE(r->status, 400);
    const Json e = parse(r->body)["errorInformation"];
    QCOMPARE(qs(e, "errorCode"), code);
    QVERIFY2(qs(e, "errorDescription").contains(field), qPrintable(qs(e, "errorDescription")));
}

void TestConnectorInbound::unknownPathIs3002()
{
    startConnector();
    auto r = send("GET", u"/quotes/1/2/3"_s, {}, fspiopHeaders(u"quotes"_s, "GET", u"/quotes/1/2/3"_s, {}));
    QVERIFY(r);
    QCOMPARE(r->status, 404);
    QCOMPARE(qs(parse(r->body)["errorInformation"], "errorCode"), u"3002"_s);
    auto other = send("GET", u"/nothing"_s, {}, {});
    QVERIFY(other);
    QCOMPARE(other->status, 404);
    QCOMPARE(qs(parse(other->body)["errorInformation"], "errorCode"), u"3002"_s);
}

void TestConnectorInbound::wrongMethodIs405()
{
    startConnector();
    // Signed, so that it passes the JWS check and reaches the route table.
    auto r = sendSigned("PATCH", u"quotes"_s, u"/quotes/"_s + Fspiop::DataTypes::generateUuid(),
                        Json{{"transferState", "COMMITTED"}});
    QVERIFY(r);
    QCOMPARE(r->status, 405);
    const Json e = parse(r->body)["errorInformation"];
    QCOMPARE(qs(e, "errorCode"), u"3000"_s);
    QVERIFY(qs(e, "errorDescription").contains(u"Method Not Allowed"_s));
}

void TestConnectorInbound::wrongMethodIs405OnBothServers()
{
    startConnector();
    const QString id = Fspiop::DataTypes::generateUuid();
    // Inbound: a DELETE of a known path, without FSPIOP headers, is 405 rather than 404 or 400.
    auto in = send("DELETE", u"/transfers/"_s + id, {}, {});
    QVERIFY(in);
    QCOMPARE(in->status, 405);
    QCOMPARE(qs(parse(in->body)["errorInformation"], "errorCode"), u"3000"_s);
    auto inUnknown = send("DELETE", u"/nothing/"_s + id, {}, {});
    QVERIFY(inUnknown);
    QCOMPARE(inUnknown->status, 404);

    // Outbound API: the same for its own routes.
    const QString outbound = u"http://127.0.0.1:%1"_s.arg(m_connector->ports().outbound);
    struct Case { QByteArray method; QString path; QByteArray allow; };
    const Case cases[] = {
        {"DELETE", u"/transfers/"_s + id, "GET, PUT"},
        {"GET", u"/transfers"_s, "POST"},
        {"PUT", u"/quotes"_s, "POST"},
        {"POST", u"/parties/MSISDN/123"_s, "GET"},
    };
    for (const Case &c : cases) {
        auto r = call(*m_client, c.method, QUrl(outbound + c.path), c.method == "GET" ? QByteArray() : "{}"_ba);
        QVERIFY(r);
        QCOMPARE(r->status, 405);
        QCOMPARE(r->headers.value("allow"), c.allow);
        QCOMPARE(parse(r->body)["statusCode"].get<int>(), 405);
    }
    auto unknown = call(*m_client, "GET", QUrl(outbound + u"/nothing"_s));
    QVERIFY(unknown);
    QCOMPARE(unknown->status, 404);
}

void TestConnectorInbound::outboundRefusesUnknownCurrency()
{
    startConnector();
    const QString outbound = u"http://127.0.0.1:%1"_s.arg(m_connector->ports().outbound);
    Json transfer{{"homeTransactionId", "h1"}, {"from", Json{{"idType", "MSISDN"}, {"idValue", "1"}}},
                  {"to", Json{{"idType", "MSISDN"}, {"idValue", "2"}}}, {"amountType", "SEND"},
                  {"currency", "ABC"}, {"amount", "10"}, {"transactionType", "TRANSFER"}};
    auto r = call(*m_client, "POST", QUrl(outbound + u"/transfers"_s), Fspiop::serializeJson(transfer));
    QVERIFY(r);
    QCOMPARE(r->status, 400);
    QCOMPARE(qs(parse(r->body), "message"),
             u"request body: currency 'ABC' is not an ISO 4217 currency code"_s);

    Json quote = quoteRequest(Fspiop::DataTypes::generateUuid(), Fspiop::DataTypes::generateUuid());
    quote["amount"]["currency"] = "ZZZ";
    auto q = call(*m_client, "POST", QUrl(outbound + u"/quotes"_s),
                  Fspiop::serializeJson(Json{{"fspId", "payerfsp"}, {"quotesPostRequest", quote}}));
    QVERIFY(q);
    QCOMPARE(q->status, 400);
    QCOMPARE(qs(parse(q->body), "message"),
             u"request body: quotesPostRequest.amount.currency 'ZZZ' is not an ISO 4217 currency code"_s);

    Json prepare{{"transferId", Fspiop::DataTypes::generateUuid().toStdString()}, {"payeeFsp", "payerfsp"},
                 {"payerFsp", "payeefsp"}, {"amount", Json{{"currency", "usd"}, {"amount", "1"}}}};
    auto t = call(*m_client, "POST", QUrl(outbound + u"/simpleTransfers"_s),
                  Fspiop::serializeJson(Json{{"fspId", "payerfsp"}, {"transfersPostRequest", prepare}}));
    QVERIFY(t);
    QCOMPARE(t->status, 400);
    QVERIFY2(qs(parse(t->body), "message").contains(u"transfersPostRequest.amount.currency 'usd'"_s),
             t->body.constData());
    // Nothing went to the hub.
    QCOMPARE(m_captured.size(), 0);
}

void TestConnectorInbound::healthAnswers()
{
    startConnector();
    auto r = send("GET", u"/"_s, {}, {});
    QVERIFY(r);
    QCOMPARE(r->status, 200);
}

// ---------------------------------------------------------------------------------------------

void TestConnectorInbound::partyLookupAnswersFromTheBackend()
{
    startConnector();
    auto r = sendSigned("GET", u"parties"_s, u"/parties/MSISDN/123456"_s, Json());
    QVERIFY(r);
    QCOMPARE(r->status, 202);
    QVERIFY(r->body.isEmpty());
    auto cb = waitFor(u"/parties/MSISDN/123456"_s);
    QVERIFY(cb);
    QVERIFY2(cb->schemaProblem.isEmpty(), qPrintable(cb->schemaProblem));
    QCOMPARE(cb->method, "PUT"_ba);
    QCOMPARE(cb->headers.value("fspiop-destination"), "payerfsp"_ba);
    QVERIFY(cb->headers.contains("fspiop-signature")); // PUT /parties follows JWS_SIGN
    QVERIFY(!cb->headers.contains("accept"));            // no Accept on PUT
    const Json party = parse(cb->body)["party"];
    QCOMPARE(qs(party["partyIdInfo"], "fspId"), u"payeefsp"_s);
    QCOMPARE(qs(party["personalInfo"]["complexName"], "firstName"), u"Ana"_s);
    QCOMPARE(qs(party["personalInfo"], "dateOfBirth"), u"1990-02-03"_s);
    QCOMPARE(qs(party, "name"), u"Ana B"_s);

    // GET /participants asks the backend's /parties and answers {fspId}.
    auto p = sendSigned("GET", u"participants"_s, u"/participants/MSISDN/123456"_s, Json());
    QVERIFY(p && p->status == 202);
    auto pc = waitFor(u"/participants/MSISDN/123456"_s);
    QVERIFY(pc);
    QVERIFY2(pc->schemaProblem.isEmpty(), qPrintable(pc->schemaProblem));
    QCOMPARE(qs(parse(pc->body), "fspId"), u"payeefsp"_s);
}

void TestConnectorInbound::unknownPartyGives3204()
{
    startConnector();
    auto r = sendSigned("GET", u"parties"_s, u"/parties/MSISDN/000/sub-1"_s, Json());
    QVERIFY(r && r->status == 202);
    auto cb = waitFor(u"/parties/MSISDN/000/sub-1/error"_s);
    QVERIFY(cb);
    QVERIFY2(cb->schemaProblem.isEmpty(), qPrintable(cb->schemaProblem));
    QCOMPARE(qs(parse(cb->body)["errorInformation"], "errorCode"), u"3204"_s);
    QCOMPARE(m_backend->count("GET", u"/parties/MSISDN/000/sub-1"_s), 1);
}

void TestConnectorInbound::emptyBackendAnswerIsReported()
{
    startConnector();
    m_backend->setAnswer("GET", u"/parties/"_s, {204, {}, 0});
    auto r = sendSigned("GET", u"parties"_s, u"/parties/MSISDN/123456"_s, Json());
    QVERIFY(r && r->status == 202);
    auto cb = waitFor(u"/parties/MSISDN/123456/error"_s);
    QVERIFY(cb); // the reference sends nothing here
    QCOMPARE(qs(parse(cb->body)["errorInformation"], "errorCode"), u"3204"_s);
}

void TestConnectorInbound::quoteAndTransferAsPayee()
{
    startConnector();
    const QString quoteId = Fspiop::DataTypes::generateUuid();
    const QString transferId = Fspiop::DataTypes::generateUuid();
    const Json q = quoteRequest(quoteId, transferId);
    auto r = sendSigned("POST", u"quotes"_s, u"/quotes"_s, q);
    QVERIFY(r);
    QCOMPARE(r->status, 202);
    auto quote = waitFor(u"/quotes/"_s + quoteId);
    QVERIFY(quote);
    QVERIFY2(quote->schemaProblem.isEmpty(), qPrintable(quote->schemaProblem));
    const Json qb = parse(quote->body);
    QCOMPARE(qs(qb["transferAmount"], "amount"), u"12.34"_s);
    const Json internal = m_backend->last("POST", u"/quoterequests"_s).json;
    QCOMPARE(qs(internal["from"], "firstName"), u"Łucja"_s);
    QCOMPARE(qs(internal["from"], "lastName"), u"Øster"_s);
    QCOMPARE(qs(internal, "transactionType"), u"TRANSFER"_s);

    // GET /quotes/{ID} answers from the record.
    auto g = sendSigned("GET", u"quotes"_s, u"/quotes/"_s + quoteId, Json());
    QVERIFY(g);
    QCOMPARE(g->status, 202);
    QTRY_COMPARE(m_captured.count(), 2);
    QCOMPARE(m_captured.last().body, quote->body);

    Json p = Json::object();
    p["transferId"] = transferId.toStdString();
    p["payeeFsp"] = "payeefsp";
    p["payerFsp"] = "payerfsp";
    p["amount"] = qb["transferAmount"];
    p["ilpPacket"] = qb["ilpPacket"];
    p["condition"] = qb["condition"];
    p["expiration"] = Fspiop::DataTypes::formatDateTime(QDateTime::currentDateTimeUtc().addSecs(30)).toStdString();
    auto t = sendSigned("POST", u"transfers"_s, u"/transfers"_s, p);
    QVERIFY(t);
    QCOMPARE(t->status, 202);
    auto fulfil = waitFor(u"/transfers/"_s + transferId);
    QVERIFY(fulfil);
    QVERIFY2(fulfil->schemaProblem.isEmpty(), qPrintable(fulfil->schemaProblem));
    const Json fb = parse(fulfil->body);
    QCOMPARE(qs(fb, "transferState"), u"COMMITTED"_s);
    QVERIFY(Fspiop::Ilp::checkFulfilment(qs(fb, "fulfilment").toStdString(), qs(qb, "condition").toStdString()));

    // GET /transfers/{ID} answers from the record with the same fulfilment.
    const int before = int(m_captured.size());
    auto gt = sendSigned("GET", u"transfers"_s, u"/transfers/"_s + transferId, Json());
    QVERIFY(gt && gt->status == 202);
    QTRY_COMPARE(int(m_captured.size()), before + 1);
    QCOMPARE(qs(parse(m_captured.last().body), "fulfilment"), qs(fb, "fulfilment"));
    QCOMPARE(m_backend->count("POST", u"/transfers"_s), 1);

    // An unknown transfer: 3208.
    auto unknown = sendSigned("GET", u"transfers"_s, u"/transfers/"_s + Fspiop::DataTypes::generateUuid(), Json());
    QVERIFY(unknown && unknown->status == 202);
    QTRY_VERIFY(m_captured.last().path.endsWith(u"/error"_s));
    QCOMPARE(qs(parse(m_captured.last().body)["errorInformation"], "errorCode"), u"3208"_s);
}

void TestConnectorInbound::conditionMismatchIs3100()
{
    startConnector();
    const QString quoteId = Fspiop::DataTypes::generateUuid();
    const QString transferId = Fspiop::DataTypes::generateUuid();
    QVERIFY(sendSigned("POST", u"quotes"_s, u"/quotes"_s, quoteRequest(quoteId, transferId)));
    auto quote = waitFor(u"/quotes/"_s + quoteId);
    QVERIFY(quote);
    const Json qb = parse(quote->body);
    Json p = Json::object();
    p["transferId"] = transferId.toStdString();
    p["payeeFsp"] = "payeefsp";
    p["payerFsp"] = "payerfsp";
    p["amount"] = qb["transferAmount"];
    p["ilpPacket"] = qb["ilpPacket"];
    p["condition"] = "GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM";
    p["expiration"] = Fspiop::DataTypes::formatDateTime(QDateTime::currentDateTimeUtc().addSecs(30)).toStdString();
    QVERIFY(sendSigned("POST", u"transfers"_s, u"/transfers"_s, p));
    auto error = waitFor(u"/transfers/"_s + transferId + u"/error"_s);
    QVERIFY(error);
    QVERIFY2(error->schemaProblem.isEmpty(), qPrintable(error->schemaProblem));
    const Json e = parse(error->body)["errorInformation"];
    QCOMPARE(qs(e, "errorCode"), u"3100"_s);
    QVERIFY(qs(e, "errorDescription").contains(u"condition"_s));
    QCOMPARE(m_backend->count("POST", u"/transfers"_s), 0);

    // An expired transfer: 3303, checked as a real time.
    const QString other = Fspiop::DataTypes::generateUuid();
    QVERIFY(sendSigned("POST", u"quotes"_s, u"/quotes"_s, quoteRequest(Fspiop::DataTypes::generateUuid(), other)));
    QTRY_VERIFY(m_captured.size() >= 3);
    const Json qb2 = parse(m_captured.last().body);
    p["transferId"] = other.toStdString();
    p["ilpPacket"] = qb2["ilpPacket"];
    p["condition"] = qb2["condition"];
    p["expiration"] = "2020-01-01T00:00:00.000+01:00";
    QVERIFY(sendSigned("POST", u"transfers"_s, u"/transfers"_s, p));
    auto expired = waitFor(u"/transfers/"_s + other + u"/error"_s);
    QVERIFY(expired);
    QCOMPARE(qs(parse(expired->body)["errorInformation"], "errorCode"), u"3303"_s);
}

void TestConnectorInbound::backendTimeoutIs2004()
{
    startConnector([](Connector::ConnectorConfig &c) { c.http.timeoutMs = 300; });
    m_backend->setAnswer("POST", u"/quoterequests"_s, {200, "{}"_ba, 1500});
    const QString quoteId = Fspiop::DataTypes::generateUuid();
    QVERIFY(sendSigned("POST", u"quotes"_s, u"/quotes"_s, quoteRequest(quoteId, Fspiop::DataTypes::generateUuid())));
    auto error = waitFor(u"/quotes/"_s + quoteId + u"/error"_s);
    QVERIFY(error);
    QCOMPARE(qs(parse(error->body)["errorInformation"], "errorCode"), u"2004"_s);
}

void TestConnectorInbound::patchNotifiesTheBackendWithRetries()
{
    startConnector([](Connector::ConnectorConfig &c) {
        c.backendRequestRetry = {true, 3, 10, 40, 2};
    });
    const QString quoteId = Fspiop::DataTypes::generateUuid();
    const QString transferId = Fspiop::DataTypes::generateUuid();
    QVERIFY(sendSigned("POST", u"quotes"_s, u"/quotes"_s, quoteRequest(quoteId, transferId)));
    auto quote = waitFor(u"/quotes/"_s + quoteId);
    QVERIFY(quote);
    const Json qb = parse(quote->body);
    Json p{{"transferId", transferId.toStdString()}, {"payeeFsp", "payeefsp"}, {"payerFsp", "payerfsp"},
           {"amount", qb["transferAmount"]}, {"ilpPacket", qb["ilpPacket"]}, {"condition", qb["condition"]},
           {"expiration", Fspiop::DataTypes::formatDateTime(QDateTime::currentDateTimeUtc().addSecs(30)).toStdString()}};
    QVERIFY(sendSigned("POST", u"transfers"_s, u"/transfers"_s, p));
    QVERIFY(waitFor(u"/transfers/"_s + transferId));

    m_backend->setAnswer("PUT", u"/transfers/"_s, {503, {}, 0});
    Json patch{{"completedTimestamp", Fspiop::DataTypes::formatDateTime(QDateTime::currentDateTimeUtc()).toStdString()},
               {"transferState", "COMMITTED"}};
    Net::HttpHeaders h = fspiopHeaders(u"transfers"_s, "PATCH", u"/transfers/"_s + transferId, Fspiop::serializeJson(patch));
    h.set("Content-Type", Fspiop::contentType(u"transfers", Fspiop::Versions::V1_1).toLatin1());
    auto r = send("PATCH", u"/transfers/"_s + transferId, Fspiop::serializeJson(patch), h);
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QTRY_COMPARE(m_backend->count("PUT", u"/transfers/"_s), 4); // 1 + 3 retries on 503
    const Json n = m_backend->last("PUT", u"/transfers/"_s).json;
    QCOMPARE(qs(n, "currentState"), u"COMPLETED"_s);
    QCOMPARE(qs(n["finalNotification"], "transferState"), u"COMMITTED"_s);
    QVERIFY(n.contains("quote") && n.contains("prepare") && n.contains("fulfil"));

    // A 4xx is not retried.
    m_backend->setAnswer("PUT", u"/transfers/"_s, {400, R"({"statusCode":"3100","message":"no"})"_ba, 0});
    auto again = send("PATCH", u"/transfers/"_s + transferId, Fspiop::serializeJson(patch), h);
    QVERIFY(again && again->status == 200);
    QTRY_COMPARE(m_backend->count("PUT", u"/transfers/"_s), 5);
    QTest::qWait(200);
    QCOMPARE(m_backend->count("PUT", u"/transfers/"_s), 5);
}

std::optional<Captured> TestConnectorInbound::quoteAndTransfer(const QString &transferId)
{
    const QString quoteId = Fspiop::DataTypes::generateUuid();
    if (!sendSigned("POST", u"quotes"_s, u"/quotes"_s, quoteRequest(quoteId, transferId)))
        return std::nullopt;
    auto quote = waitFor(u"/quotes/"_s + quoteId);
    if (!quote)
        return std::nullopt;
    const Json qb = parse(quote->body);
    Json p{{"transferId", transferId.toStdString()}, {"payeeFsp", "payeefsp"}, {"payerFsp", "payerfsp"},
           {"amount", qb["transferAmount"]}, {"ilpPacket", qb["ilpPacket"]}, {"condition", qb["condition"]},
           {"expiration", Fspiop::DataTypes::formatDateTime(QDateTime::currentDateTimeUtc().addSecs(30)).toStdString()}};
    if (!sendSigned("POST", u"transfers"_s, u"/transfers"_s, p))
        return std::nullopt;
    return waitFor(u"/transfers/"_s + transferId);
}

void TestConnectorInbound::reservedWithoutPatchAsksTheHub()
{
    startConnector([](Connector::ConnectorConfig &c) {
        c.reserveNotification = true;
        // Long enough that A's PATCH, sent as soon as its fulfil is seen, always beats it.
        c.patchNotificationGraceTimeMs = 3000;
    });
    auto hubRequests = [this](const QByteArray &method, const QString &path) {
        int n = 0;
        for (const Captured &c : m_captured)
            n += c.method == method && c.path == path ? 1 : 0;
        return n;
    };

    // A: the hub's PATCH comes in time; B: it does not.
    const QString a = Fspiop::DataTypes::generateUuid();
    auto fulfilA = quoteAndTransfer(a);
    QVERIFY(fulfilA);
    QCOMPARE(qs(parse(fulfilA->body), "transferState"), u"RESERVED"_s);
    Json patch{{"completedTimestamp", Fspiop::DataTypes::formatDateTime(QDateTime::currentDateTimeUtc()).toStdString()},
               {"transferState", "COMMITTED"}};
    Net::HttpHeaders h = fspiopHeaders(u"transfers"_s, "PATCH", u"/transfers/"_s + a, Fspiop::serializeJson(patch));
    h.set("Content-Type", Fspiop::contentType(u"transfers", Fspiop::Versions::V1_1).toLatin1());
    auto patched = send("PATCH", u"/transfers/"_s + a, Fspiop::serializeJson(patch), h);
    QVERIFY(patched && patched->status == 200);
    QTRY_COMPARE(m_backend->count("PUT", u"/transfers/"_s + a), 1);

    const QString b = Fspiop::DataTypes::generateUuid();
    auto fulfilB = quoteAndTransfer(b);
    QVERIFY(fulfilB);
    QCOMPARE(qs(parse(fulfilB->body), "transferState"), u"RESERVED"_s);
    // After the grace time the connector asks the hub.
    QTRY_VERIFY_WITH_TIMEOUT(hubRequests("GET", u"/transfers/"_s + b) == 1, 20000);
    QCOMPARE(m_backend->count("PUT", u"/transfers/"_s + b), 0);
    // A's timer was armed first and stopped by its PATCH: A was never asked about.
    QCOMPARE(hubRequests("GET", u"/transfers/"_s + a), 0);

    // The hub answers as a PUT /transfers/{id}: the backend is notified as a PATCH would do.
    Json answer{{"completedTimestamp", Fspiop::DataTypes::formatDateTime(QDateTime::currentDateTimeUtc()).toStdString()},
                {"transferState", "COMMITTED"}};
    auto put = sendSigned("PUT", u"transfers"_s, u"/transfers/"_s + b, answer);
    QVERIFY(put);
    QCOMPARE(put->status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(m_backend->count("PUT", u"/transfers/"_s + b), 1, 20000);
    const Json n = m_backend->last("PUT", u"/transfers/"_s + b).json;
    QCOMPARE(qs(n, "currentState"), u"COMPLETED"_s);
    QCOMPARE(qs(n["finalNotification"], "transferState"), u"COMMITTED"_s);
    QVERIFY(n.contains("quote") && n.contains("prepare") && n.contains("fulfil"));
    auto record = m_connector->store()->transfers().get(b);
    QVERIFY(record && record->has_value());
    QCOMPARE((*record)->state, u"COMPLETED"_s);
    QCOMPARE(m_connector->activity().payeeInFlight, 0);
}

void TestConnectorInbound::payerSendsFinalNotificationIfRequested()
{
    startConnector([](Connector::ConnectorConfig &c) { c.sendFinalNotificationIfRequested = true; });
    const QString outbound = u"http://127.0.0.1:%1"_s.arg(m_connector->ports().outbound);
    Json request{{"homeTransactionId", "home-1"}, {"from", Json{{"idType", "MSISDN"}, {"idValue", "999"}}},
                 {"to", Json{{"idType", "MSISDN"}, {"idValue", "555"}, {"fspId", "payerfsp"}}},
                 {"skipPartyLookup", true}, {"amountType", "SEND"}, {"currency", "USD"}, {"amount", "10"},
                 {"transactionType", "TRANSFER"}};
    std::optional<Net::HttpClientResult> result;
    QObject context;
    Net::HttpClientRequest r;
    r.method = "POST";
    r.url = QUrl(outbound + u"/transfers"_s);
    r.body = Fspiop::serializeJson(request);
    r.headers.add("Content-Type", "application/json");
    r.timeout = std::chrono::milliseconds(60000);
    m_client->send(std::move(r), &context, [&](Net::HttpClientResult res) { result = std::move(res); });

    // The "payee" (this test) quotes...
    auto quotePost = waitFor(u"/quotes"_s);
    QVERIFY(quotePost);
    const QString quoteId = qs(parse(quotePost->body), "quoteId");
    QByteArray fulfilmentBytes(32, '\0');
    for (int i = 0; i < 32; ++i)
        fulfilmentBytes[i] = char(i * 7 + 3);
    const QByteArray fulfilment = fulfilmentBytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QByteArray condition = QCryptographicHash::hash(fulfilmentBytes, QCryptographicHash::Sha256)
                                     .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    Json quote{{"transferAmount", Json{{"currency", "USD"}, {"amount", "10"}}},
               {"expiration", Fspiop::DataTypes::formatDateTime(QDateTime::currentDateTimeUtc().addSecs(60)).toStdString()},
               {"ilpPacket", "AQAAAAAAAAPoEGcuZ3JlZW5iYW5rLm1zaXNkbi4xMjM0NTY3ODkwggWd"},
               {"condition", condition.toStdString()}};
    auto putQuote = sendSigned("PUT", u"quotes"_s, u"/quotes/"_s + quoteId, quote);
    QVERIFY(putQuote && putQuote->status == 200);

    // ...and answers the prepare with RESERVED.
    auto prepare = waitFor(u"/transfers"_s);
    QVERIFY(prepare);
    const QString transferId = qs(parse(prepare->body), "transferId");
    Json fulfil{{"fulfilment", fulfilment.toStdString()},
                {"completedTimestamp", Fspiop::DataTypes::formatDateTime(QDateTime::currentDateTimeUtc()).toStdString()},
                {"transferState", "RESERVED"}};
    auto putFulfil = sendSigned("PUT", u"transfers"_s, u"/transfers/"_s + transferId, fulfil);
    QVERIFY(putFulfil && putFulfil->status == 200);

    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 30000);
    QVERIFY(*result);
    QCOMPARE((*result)->status, 200);
    QCOMPARE(qs(parse((*result)->body), "currentState"), u"COMPLETED"_s);

    // The payee got PATCH /transfers/{id} COMMITTED, as FSPIOP 1.1 (the first version with PATCH).
    std::optional<Captured> patch;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const Captured &c : m_captured) {
                if (c.method == "PATCH")
                    patch = c;
            }
            return patch.has_value();
        }(),
        20000);
    QCOMPARE(patch->path, u"/transfers/"_s + transferId);
    QCOMPARE(patch->headers.value("content-type"), "application/vnd.interoperability.transfers+json;version=1.1"_ba);
    QCOMPARE(patch->headers.value("fspiop-destination"), "payerfsp"_ba);
    QVERIFY(patch->headers.contains("fspiop-signature"));
    const Json body = parse(patch->body);
    QCOMPARE(qs(body, "transferState"), u"COMMITTED"_s);
    auto valid = Fspiop::Schema::validateBytes(Fspiop::Versions::V1_1, u"TransfersIDPatchResponse"_s, patch->body);
    QVERIFY2(valid, qPrintable(valid ? QString() : valid.error().message));
}

QTEST_GUILESS_MAIN(TestConnectorInbound)
#include "tst_connector_inbound.moc"
