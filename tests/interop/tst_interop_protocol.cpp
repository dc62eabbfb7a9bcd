// Our FSPIOP library (core/fspiop) against a real reference SDK acting as the payee.
//
// The test plays the hub and the payer: it sends FSPIOP requests built, validated and signed with
// our library to the reference SDK's inbound port, receives the SDK's callbacks on an HttpServer
// standing in for the hub (PEER_ENDPOINT), and answers the SDK's backend calls from a second
// HttpServer (BACKEND_ENDPOINT). See docs/interop.md.

#include "core/fspiop/headers.h"
#include "core/fspiop/ilp.h"
#include "core/fspiop/json.h"
#include "core/fspiop/jws.h"
#include "core/fspiop/mediatype.h"
#include "core/fspiop/schema.h"
#include "core/net/httpclient.h"
#include "core/net/httpserver.h"
#include "tests/interop/referencesdk.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Fspiop;
using Pm::Interop::RedisServer;
using Pm::Interop::ReferenceSdk;
using Pm::Interop::ReferenceSdkSettings;

namespace {

const QString PayerFsp = u"payerfsp"_s;
const QString PayeeFsp = u"payeefsp"_s;
const QString PayeeMsisdn = u"25612345678"_s;
const QString PayeeSubId = u"SAVINGS"_s;
const QString UnknownMsisdn = u"25600000404"_s;
const QString PayerMsisdn = u"25644444444"_s;
// Unicode names must arrive intact in PUT /parties (UTF-8 end to end, signed over raw bytes).
const QString PayeeFirstName = u"Zoë"_s;
const QString PayeeMiddleName = u"Łucja"_s;
const QString PayeeLastName = u"Ñúñez"_s;

constexpr int CallbackTimeoutMs = 20000;

/** An error entry the reference logs because of what this test does on purpose. */
struct ExpectedLogError
{
    QRegularExpression message;
    int count; ///< exactly this many times: the case must have happened and been seen
    const char *cause;
};

/**
 * Every error entry (ReferenceSdk::logErrors()) the reference may log during this test, given which
 * of the deliberate error cases ran. Anything else fails the test, and so does an expected entry
 * that does not appear exactly `count` times. 18.0.2 writes no "level":"error" at all; these are
 * its .log() entries with ctx.err or ctx.mojaloopError.
 */
QList<ExpectedLogError> expectedLogErrors(bool ranWrongKey, bool ranUnknownParty)
{
    const int wrongKey = ranWrongKey ? 1 : 0;
    const int unknownParty = ranUnknownParty ? 1 : 0;
    return {
        { QRegularExpression(u"^Inbound request failed JWS validation$"_s), wrongKey,
            "wrongSignatureIsRejected3105: POST /quotes signed with a key the reference does not "
            "hold" },
        { QRegularExpression(
              u"^Error validating JWS: JsonWebTokenError: invalid signature(\\n|$)"_s),
            wrongKey, "wrongSignatureIsRejected3105: the same failure, told in the message text" },
        { QRegularExpression(u"^Error in getParties$"_s), unknownParty,
            "unknownPartyGivesError3204: the backend answers 404 {statusCode: 3204}" },
        { QRegularExpression(u"^Sending error response to payerfsp$"_s), unknownParty,
            "unknownPartyGivesError3204: PUT /parties/.../error" },
    };
}

std::string utf8(const QString &text)
{
    return text.toStdString();
}

QString toQString(const std::string &text)
{
    return QString::fromStdString(text);
}

/**
 * The string at `path` in `json`, or "<missing>" / "<not a string>": reads without operator[]
 * (undefined on a missing key of a const value) and without nlohmann's throwing accessors.
 */
QString str(const Json &json, std::initializer_list<const char *> path)
{
    const Json *current = &json;
    for (const char *key : path) {
        if (!current->is_object())
            return u"<missing>"_s;
        const auto it = current->find(std::string(key));
        if (it == current->end())
            return u"<missing>"_s;
        current = &*it;
    }
    if (!current->is_string())
        return u"<not a string>"_s;
    return QString::fromStdString(current->get_ref<const std::string &>());
}

bool has(const Json &json, std::initializer_list<const char *> path)
{
    const Json *current = &json;
    for (const char *key : path) {
        if (!current->is_object())
            return false;
        const auto it = current->find(std::string(key));
        if (it == current->end())
            return false;
        current = &*it;
    }
    return true;
}

QString isoIn(int seconds)
{
    return QDateTime::currentDateTimeUtc().addSecs(seconds).toString(Qt::ISODateWithMs);
}

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toLower();
}

/** The failure of `result` in one line, or empty (QVERIFY2 evaluates its message even on success).
 */
template<class T> QByteArray why(const Result<T> &result)
{
    return result ? QByteArray() : toOneLine(result.error()).toUtf8();
}

Jws::HeaderList headerList(const Net::HttpHeaders &headers)
{
    return headers.fields();
}

} // namespace

class TestInteropProtocol : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void referenceListensOnLoopbackOnly();
    void referenceRunsWithJwsAndIlpChecksOn();
    void partiesLookup();
    void partiesLookupWithSubId();
    void quoteAndTransfer();
    void wrongSignatureIsRejected3105();
    void unknownPartyGivesError3204();
    void referenceLogHasNoUnexpectedErrors();
    void harnessFailsClearlyWhenTheSdkCannotStart();
    void cleanupTestCase();

private:
    /** Sends one FSPIOP request to the reference's inbound API and waits for its answer. */
    std::optional<Net::HttpClientResponse> sendFspiop(const QByteArray &method, const QString &path,
        const QString &resource, const std::optional<Json> &body, const Jws::SigningKey *key);
    /** Waits for the callback `method path` on the hub and removes it from the queue. */
    std::optional<Net::HttpRequest> takeHubRequest(const QByteArray &method, const QString &path);
    /** Checks a callback from the payee: headers, signature (raw bytes), schema. Returns the body.
     */
    std::optional<Json> checkCallback(
        const Net::HttpRequest &request, const QString &resource, const QString &schemaType);
    void onBackendRequest(Net::HttpRequest request, Net::HttpResponder responder);

    QElapsedTimer m_clock;
    RedisServer m_redis;
    ReferenceSdk m_sdk;
    std::unique_ptr<Net::HttpServer> m_hub;
    std::unique_ptr<Net::HttpServer> m_backend;
    std::unique_ptr<Net::HttpClient> m_client;
    QTemporaryDir m_keysDir;
    std::optional<Jws::SigningKey> m_payerKey;
    std::optional<Jws::SigningKey> m_wrongPayerKey;
    std::optional<Jws::VerificationKey> m_payeeKey;
    QList<Net::HttpRequest> m_hubRequests;
    QList<Net::HttpRequest> m_backendRequests;
    QStringList m_bodyForms; ///< "PUT /quotes/…: raw" for the report
    QString m_rejectedQuoteId;
    bool m_ranWrongKey = false; ///< wrongSignatureIsRejected3105 got as far as its request
    bool m_ranUnknownParty = false; ///< unknownPartyGivesError3204 got as far as its request
};

void TestInteropProtocol::initTestCase()
{
    m_clock.start();
    QVERIFY(m_keysDir.isValid());

    // JWS keys: ours (payerfsp), the payee's, and a second payer key the reference does not know.
    const auto payerPem = Interop::generateRsaPrivateKeyPem(2048);
    const auto payeePem = Interop::generateRsaPrivateKeyPem(2048);
    const auto wrongPem = Interop::generateRsaPrivateKeyPem(2048);
    QVERIFY2(payerPem && payeePem && wrongPem, "RSA key generation failed");
    const auto payerKey = Jws::SigningKey::fromPem(*payerPem);
    const auto payeeKey = Jws::SigningKey::fromPem(*payeePem);
    const auto wrongKey = Jws::SigningKey::fromPem(*wrongPem);
    QVERIFY(payerKey && payeeKey && wrongKey);
    m_payerKey = *payerKey;
    m_wrongPayerKey = *wrongKey;
    const auto payeeVerify = Jws::VerificationKey::fromPem(payeeKey->publicKeyPem());
    QVERIFY(payeeVerify);
    m_payeeKey = *payeeVerify;

    QVERIFY(QDir(m_keysDir.path()).mkpath(u"verify"_s));
    const QString verifyDir = m_keysDir.filePath(u"verify"_s);
    const QString payeePrivatePath = m_keysDir.filePath(u"payeefsp-private.pem"_s);
    auto writeFile = [](const QString &path, const QByteArray &data) {
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
    };
    QVERIFY(writeFile(payeePrivatePath, *payeePem));
    QVERIFY(writeFile(verifyDir + u"/payerfsp.pem"_s, payerKey->publicKeyPem()));
    QVERIFY(writeFile(verifyDir + u"/payeefsp.pem"_s, payeeKey->publicKeyPem()));

    // The hub (PEER_ENDPOINT) and the payee's backend (BACKEND_ENDPOINT), both in this process.
    m_hub = Net::createHttpServer();
    m_hub->setHandler([this](Net::HttpRequest request, Net::HttpResponder responder) {
        m_hubRequests.append(std::move(request));
        responder.respond(200); // callbacks are answered 200 with an empty body
    });
    const auto hubPort = m_hub->listen({});
    QVERIFY2(hubPort, why(hubPort).constData());
    m_backend = Net::createHttpServer();
    m_backend->setHandler([this](Net::HttpRequest request, Net::HttpResponder responder) {
        onBackendRequest(std::move(request), std::move(responder));
    });
    const auto backendPort = m_backend->listen({});
    QVERIFY2(backendPort, why(backendPort).constData());
    m_client = Net::createHttpClient();

    const auto redis = m_redis.start();
    QVERIFY2(redis, why(redis).constData());

    ReferenceSdkSettings settings;
    settings.dfspId = PayeeFsp;
    settings.peerEndpoint = u"127.0.0.1:%1"_s.arg(*hubPort);
    settings.backendEndpoint = u"127.0.0.1:%1"_s.arg(*backendPort);
    settings.cacheUrl = m_redis.url(1);
    settings.jwsSigningKeyPath = payeePrivatePath;
    settings.jwsVerificationKeysDirectory = verifyDir;
    const auto started = m_sdk.start(settings, std::chrono::seconds { 60 });
    QVERIFY2(started, why(started).constData());
    qInfo(
        "reference SDK %s started in %lld ms (redis + keys + servers: %lld ms in all); run dir %s",
        qPrintable(PayeeFsp), qlonglong(m_sdk.startupTime().count()), qlonglong(m_clock.elapsed()),
        qPrintable(m_sdk.runDir()));
}

void TestInteropProtocol::cleanupTestCase()
{
    m_sdk.stop();
    m_redis.stop();
    if (!m_bodyForms.isEmpty())
        qInfo("signature forms that verified: %s", qPrintable(m_bodyForms.join(u"; "_s)));
    qInfo("interop test took %lld ms", qlonglong(m_clock.elapsed()));
}

void TestInteropProtocol::onBackendRequest(Net::HttpRequest request, Net::HttpResponder responder)
{
    const Net::HttpHeaders jsonHeaders { { "Content-Type", "application/json" } };
    const QStringList segments = request.path.split(u'/');
    const QByteArray method = request.method;
    const QByteArray body = request.body;
    const QString path = request.path;
    m_backendRequests.append(std::move(request));

    // GET /parties/MSISDN/{id}[/{subId}]
    if (method == "GET" && segments.size() >= 4 && segments.size() <= 5 && segments[1] == u"parties"
        && segments[2] == u"MSISDN") {
        const QString &id = segments[3];
        if (id != PayeeMsisdn) {
            responder.respond(404, jsonHeaders, "{\"statusCode\":\"3204\"}"_ba);
            return;
        }
        Json party = { { "idType", "MSISDN" }, { "idValue", utf8(id) },
            { "displayName", utf8(PayeeFirstName + u' ' + PayeeLastName) },
            { "firstName", utf8(PayeeFirstName) }, { "middleName", utf8(PayeeMiddleName) },
            { "lastName", utf8(PayeeLastName) }, { "dateOfBirth", "1985-04-12" },
            { "merchantClassificationCode", "1234" } };
        if (segments.size() == 5)
            party["idSubValue"] = utf8(segments[4]);
        responder.respond(200, jsonHeaders, serializeJson(party));
        return;
    }
    if (method == "POST" && path == u"/quoterequests") {
        const auto quote = parseJson(body);
        if (!quote) {
            responder.respond(400, jsonHeaders, "{\"statusCode\":\"3101\"}"_ba);
            return;
        }
        const std::string currency = utf8(str(*quote, { "currency" }));
        const std::string amount = utf8(str(*quote, { "amount" }));
        Json response = { { "quoteId", utf8(str(*quote, { "quoteId" })) },
            { "transactionId", utf8(str(*quote, { "transactionId" })) },
            { "transferAmount", amount }, { "transferAmountCurrency", currency },
            { "payeeReceiveAmount", amount }, { "payeeReceiveAmountCurrency", currency },
            { "payeeFspFeeAmount", "0" }, { "payeeFspFeeAmountCurrency", currency },
            { "payeeFspCommissionAmount", "0" }, { "payeeFspCommissionAmountCurrency", currency } };
        responder.respond(200, jsonHeaders, serializeJson(response));
        return;
    }
    if (method == "POST" && path == u"/transfers") {
        const auto transfer = parseJson(body);
        const std::string id = transfer ? utf8(str(*transfer, { "transferId" })) : std::string();
        responder.respond(
            200, jsonHeaders, serializeJson(Json { { "homeTransactionId", "home-" + id } }));
        return;
    }
    responder.respond(404, jsonHeaders, "{\"statusCode\":\"3002\"}"_ba);
}

std::optional<Net::HttpClientResponse> TestInteropProtocol::sendFspiop(const QByteArray &method,
    const QString &path, const QString &resource, const std::optional<Json> &body,
    const Jws::SigningKey *key)
{
    Net::HttpClientRequest request;
    request.method = method;
    request.url = QUrl(m_sdk.inboundUrl() + path);
    request.timeout = std::chrono::milliseconds { CallbackTimeoutMs };
    const QString date = currentHttpDate();
    const bool isGet = method == "GET";
    // A payer's GET /parties names no destination (the hub finds it); everything else does.
    const std::optional<QString> destination
        = isGet ? std::nullopt : std::optional<QString>(PayeeFsp);
    request.headers.set("Content-Type", contentType(resource, Versions::V1_0).toUtf8());
    if (method != "PUT")
        request.headers.set("Accept", acceptType(resource, Versions::V1_0).toUtf8());
    request.headers.set("Date", date.toUtf8());
    request.headers.set("FSPIOP-Source", PayerFsp.toUtf8());
    if (destination)
        request.headers.set("FSPIOP-Destination", destination->toUtf8());
    if (body) {
        request.body = serializeJson(*body);
        if (key) {
            Jws::SignRequest toSign;
            toSign.method = QString::fromLatin1(method);
            toSign.uri = path;
            toSign.source = PayerFsp;
            toSign.destination = destination;
            toSign.date = date;
            toSign.body = request.body;
            const auto signedHeaders = Jws::sign(*key, toSign);
            if (!signedHeaders) {
                qWarning("sign failed: %s", why(signedHeaders).constData());
                return std::nullopt;
            }
            request.headers.set("FSPIOP-URI", signedHeaders->uri);
            request.headers.set("FSPIOP-HTTP-Method", signedHeaders->httpMethod);
            request.headers.set("FSPIOP-Signature", signedHeaders->signature);
        }
    }

    std::optional<Net::HttpClientResult> result;
    const auto id = m_client->send(
        std::move(request), this, [&result](Net::HttpClientResult r) { result = std::move(r); });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, CallbackTimeoutMs + 1000)) {
        m_client->cancel(id); // `result` goes out of scope: the callback must never run

        qWarning("%s %s: no answer from the reference", method.constData(), qPrintable(path));
        return std::nullopt;
    }
    if (!result->has_value()) {
        qWarning("%s %s: %s", method.constData(), qPrintable(path),
            qPrintable(toOneLine(result->error())));
        return std::nullopt;
    }
    return std::move(**result);
}

std::optional<Net::HttpRequest> TestInteropProtocol::takeHubRequest(
    const QByteArray &method, const QString &path)
{
    auto find = [&] {
        for (qsizetype i = 0; i < m_hubRequests.size(); ++i) {
            if (m_hubRequests[i].method == method && m_hubRequests[i].path == path)
                return i;
        }
        return qsizetype(-1);
    };
    if (!QTest::qWaitFor([&] { return find() >= 0; }, CallbackTimeoutMs)) {
        QStringList seen;
        for (const auto &r : std::as_const(m_hubRequests))
            seen << QString::fromLatin1(r.method) + u' ' + r.path;
        qWarning("no %s %s reached the hub within %d ms (hub got: %s); reference log tail:\n%s",
            method.constData(), qPrintable(path), CallbackTimeoutMs, qPrintable(seen.join(u", "_s)),
            qPrintable(m_sdk.logTail(3000)));
        return std::nullopt;
    }
    return m_hubRequests.takeAt(find());
}

std::optional<Json> TestInteropProtocol::checkCallback(
    const Net::HttpRequest &request, const QString &resource, const QString &schemaType)
{
    const QString what = QString::fromLatin1(request.method) + u' ' + request.path;
    auto failWith = [&](const QString &why) {
        qWarning("%s: %s", qPrintable(what), qPrintable(why));
        return std::nullopt;
    };

    // Headers as our inbound header check sees them: content-type for the resource at 1.0,
    // from payeefsp to payerfsp.
    const auto headers
        = validateInboundHeaders(request.method, request.path, request.headers.fields());
    if (!headers)
        return failWith(u"header check: "_s + toOneLine(headers.error().error));
    if (headers->resource != resource || headers->contentVersion != Versions::V1_0)
        return failWith(u"unexpected resource/version %1"_s.arg(headers->resource));
    if (request.headers.value("FSPIOP-Source") != PayeeFsp.toUtf8()
        || request.headers.value("FSPIOP-Destination") != PayerFsp.toUtf8())
        return failWith(u"unexpected FSPIOP-Source/Destination"_s);

    // The signature, with OUR verifier and the payee's public key; the raw bytes must verify.
    const auto verification
        = Jws::verify(headerList(request.headers), request.body, [this](const QString &source) {
              return source == PayeeFsp ? m_payeeKey : std::optional<Jws::VerificationKey>();
          });
    if (!verification)
        return failWith(u"JWS verify: "_s + toOneLine(verification.error()));
    m_bodyForms << what + u": "_s + Jws::bodyFormName(verification->bodyForm);
    if (verification->bodyForm != Jws::BodyForm::Raw)
        return failWith(u"signature verified only over the %1 form, not the raw bytes"_s.arg(
            Jws::bodyFormName(verification->bodyForm)));
    if (verification->algorithm != Jws::Algorithm::RS256 || verification->source != PayeeFsp)
        return failWith(u"unexpected algorithm or source"_s);

    // The body against our schema for its type.
    auto body = parseJson(request.body);
    if (!body)
        return failWith(u"body: "_s + toOneLine(body.error()));
    const auto valid = Schema::validate(Versions::V1_0, schemaType, *body);
    if (!valid)
        return failWith(u"schema %1: %2"_s.arg(schemaType, toOneLine(valid.error())));
    return std::move(*body);
}

// -------------------------------------------------------------------------------------------------

void TestInteropProtocol::referenceListensOnLoopbackOnly()
{
    const auto sockets = Interop::listeningSockets(m_sdk.pid());
    QVERIFY2(sockets, why(sockets).constData());
    QList<quint16> ports;
    for (const auto &socket : *sockets) {
        QVERIFY2(socket.address == QHostAddress(QHostAddress::LocalHost),
            qPrintable(u"the reference listens on %1:%2"_s.arg(socket.address.toString())
                           .arg(socket.port)));
        ports << socket.port;
    }
    const auto &s = m_sdk.settings();
    QVERIFY(ports.contains(s.inboundPort));
    QVERIFY(ports.contains(s.outboundPort));
    QVERIFY(ports.contains(s.metricsPort));

    const auto redisSockets = Interop::listeningSockets(m_redis.pid());
    QVERIFY2(redisSockets, why(redisSockets).constData());
    QVERIFY(!redisSockets->isEmpty());
    for (const auto &socket : *redisSockets)
        QCOMPARE(socket.address, QHostAddress(QHostAddress::LocalHost));
}

void TestInteropProtocol::referenceRunsWithJwsAndIlpChecksOn()
{
    const auto &s = m_sdk.settings();
    QVERIFY(
        s.jwsSign && s.jwsSignPutParties && s.validateInboundJws && s.validateInboundPutPartiesJws);
    QVERIFY(s.checkIlp);
    QVERIFY(!s.enableTestFeatures && !s.pm4mlEnabled);

    // What the process really got: its environment, from /proc.
    QFile environ(u"/proc/%1/environ"_s.arg(m_sdk.pid()));
    QVERIFY(environ.open(QIODevice::ReadOnly));
    const QList<QByteArray> vars = environ.readAll().split('\0');
    for (const QByteArray &expected :
        { "JWS_SIGN=true"_ba, "JWS_SIGN_PUT_PARTIES=true"_ba, "VALIDATE_INBOUND_JWS=true"_ba,
            "VALIDATE_INBOUND_PUT_PARTIES_JWS=true"_ba, "CHECK_ILP=true"_ba, "DFSP_ID=payeefsp"_ba,
            "ENABLE_TEST_FEATURES=false"_ba, "PM4ML_ENABLED=false"_ba,
            "INBOUND_MUTUAL_TLS_ENABLED=false"_ba, "OUTBOUND_MUTUAL_TLS_ENABLED=false"_ba }) {
        QVERIFY2(vars.contains(expected), expected.constData());
    }
    QFile dotEnv(m_sdk.runDir() + u"/.env"_s);
    QVERIFY(dotEnv.open(QIODevice::ReadOnly));
    QVERIFY(dotEnv.readAll().contains("\nJWS_SIGN=true\n"));
}

void TestInteropProtocol::partiesLookup()
{
    const QString path = u"/parties/MSISDN/"_s + PayeeMsisdn;
    const auto answer = sendFspiop("GET", path, u"parties"_s, std::nullopt, nullptr);
    QVERIFY(answer);
    QCOMPARE(answer->status, 202);
    QVERIFY(answer->body.isEmpty());

    const auto callback = takeHubRequest("PUT", path);
    QVERIFY(callback);
    const auto body = checkCallback(*callback, u"parties"_s, u"PartiesTypeIDPutResponse"_s);
    QVERIFY(body);
    QVERIFY(has(*body, { "party" }));
    const Json &party = *body->find("party");
    QCOMPARE(str(party, { "partyIdInfo", "partyIdType" }), u"MSISDN"_s);
    QCOMPARE(str(party, { "partyIdInfo", "partyIdentifier" }), PayeeMsisdn);
    QCOMPARE(str(party, { "partyIdInfo", "fspId" }), PayeeFsp);
    QVERIFY(has(party, { "partyIdInfo", "fspId" }));
    QVERIFY(!has(party, { "partyIdInfo", "partySubIdOrType" }));
    QVERIFY(has(party, { "personalInfo", "complexName" }));
    const Json &name = *party.find("personalInfo")->find("complexName");
    QCOMPARE(str(name, { "firstName" }), PayeeFirstName);
    QCOMPARE(str(name, { "middleName" }), PayeeMiddleName);
    QCOMPARE(str(name, { "lastName" }), PayeeLastName);
    QCOMPARE(str(party, { "name" }), PayeeFirstName + u' ' + PayeeLastName);
    QCOMPARE(str(party, { "personalInfo", "dateOfBirth" }), u"1985-04-12"_s);
    // The UTF-8 bytes themselves are on the wire (JSON.stringify does not escape non-ASCII).
    QVERIFY(callback->body.contains(PayeeLastName.toUtf8()));
}

void TestInteropProtocol::partiesLookupWithSubId()
{
    const QString path = u"/parties/MSISDN/%1/%2"_s.arg(PayeeMsisdn, PayeeSubId);
    const auto answer = sendFspiop("GET", path, u"parties"_s, std::nullopt, nullptr);
    QVERIFY(answer);
    QCOMPARE(answer->status, 202);

    const auto callback = takeHubRequest("PUT", path);
    QVERIFY(callback);
    QCOMPARE(callback->headers.value("FSPIOP-URI"), path.toUtf8());
    const auto body = checkCallback(*callback, u"parties"_s, u"PartiesTypeIDPutResponse"_s);
    QVERIFY(body);
    QCOMPARE(str((*body), { "party", "partyIdInfo", "partySubIdOrType" }), PayeeSubId);
    QCOMPARE(str((*body), { "party", "personalInfo", "complexName", "firstName" }), PayeeFirstName);

    bool backendSawSubId = false;
    for (const auto &r : std::as_const(m_backendRequests))
        backendSawSubId = backendSawSubId || r.path == path;
    QVERIFY2(backendSawSubId, "the backend was not asked GET /parties/MSISDN/{id}/{subId}");
}

void TestInteropProtocol::quoteAndTransfer()
{
    const QString quoteId = newId();
    const QString transactionId = newId();
    const Json payer
        = { { "partyIdInfo",
                { { "partyIdType", "MSISDN" }, { "partyIdentifier", utf8(PayerMsisdn) },
                    { "fspId", utf8(PayerFsp) } } },
              { "personalInfo",
                  { { "complexName", { { "firstName", "Payer" }, { "lastName", "Person" } } },
                      { "dateOfBirth", "1980-01-01" } } },
              { "name", "Payer Person" } };
    const Json payee = { { "partyIdInfo",
        { { "partyIdType", "MSISDN" }, { "partyIdentifier", utf8(PayeeMsisdn) },
            { "fspId", utf8(PayeeFsp) } } } };
    const Json quote = { { "quoteId", utf8(quoteId) }, { "transactionId", utf8(transactionId) },
        { "payee", payee }, { "payer", payer }, { "amountType", "SEND" },
        { "amount", { { "currency", "USD" }, { "amount", "100.5" } } },
        { "transactionType",
            { { "scenario", "TRANSFER" }, { "initiator", "PAYER" },
                { "initiatorType", "CONSUMER" } } },
        { "note", "interop test: Zoë pays" }, { "expiration", utf8(isoIn(60)) } };
    const auto quoteValid = Schema::validate(Versions::V1_0, u"QuotesPostRequest", quote);
    QVERIFY2(quoteValid, why(quoteValid).constData());

    const auto quoteAnswer = sendFspiop("POST", u"/quotes"_s, u"quotes"_s, quote, &*m_payerKey);
    QVERIFY(quoteAnswer);
    QVERIFY2(quoteAnswer->status == 202, quoteAnswer->body.constData());

    const auto quoteCallback = takeHubRequest("PUT", u"/quotes/"_s + quoteId);
    QVERIFY(quoteCallback);
    const auto quoteResponse = checkCallback(*quoteCallback, u"quotes"_s, u"QuotesIDPutResponse"_s);
    QVERIFY(quoteResponse);
    QCOMPARE(str((*quoteResponse), { "transferAmount", "amount" }), u"100.5"_s);
    QCOMPARE(str((*quoteResponse), { "transferAmount", "currency" }), u"USD"_s);
    const std::string ilpPacket = utf8(str(*quoteResponse, { "ilpPacket" }));
    const std::string condition = utf8(str(*quoteResponse, { "condition" }));

    // The packet, read with our ILP decoder.
    const auto decoded = Ilp::decode(ilpPacket);
    QVERIFY2(decoded, why(decoded).constData());
    QCOMPARE(decoded->packet.version, Ilp::Version::V1);
    QCOMPARE(decoded->packet.amount, std::uint64_t(10050)); // 100.5 USD in cents
    QCOMPARE(toQString(decoded->packet.account), u"g.payeefsp.msisdn."_s + PayeeMsisdn);
    const Json &transaction = decoded->transactionObject;
    QCOMPARE(str(transaction, { "quoteId" }), quoteId);
    QCOMPARE(str(transaction, { "transactionId" }), transactionId);
    QCOMPARE(str(transaction, { "amount", "amount" }), u"100.5"_s);
    QCOMPARE(str(transaction, { "amount", "currency" }), u"USD"_s);
    QCOMPARE(str(transaction, { "payee", "partyIdInfo", "partyIdentifier" }), PayeeMsisdn);
    QCOMPARE(str(transaction, { "payer", "partyIdInfo", "partyIdentifier" }), PayerMsisdn);
    QCOMPARE(str(transaction, { "payer", "name" }), u"Payer Person"_s);
    QCOMPARE(str(transaction, { "transactionType", "scenario" }), u"TRANSFER"_s);
    QCOMPARE(QByteArray::fromStdString(condition).size(), 43);
    // The reference (sdk-standard-components 17.4) wrote the transaction object with
    // JSON.stringify in insertion order; our serializer must reproduce those bytes exactly.
    QCOMPARE(serializeJson(transaction, JsonKeyOrder::InsertionOrder),
        QByteArray::fromStdString(decoded->transactionObjectJson));
    QVERIFY(!has(transaction, { "expiration" })); // 17.x leaves it out (19.x adds it)

    // The transfer, with the packet and condition from the quote.
    const Json transfer = { { "transferId", utf8(transactionId) }, { "payeeFsp", utf8(PayeeFsp) },
        { "payerFsp", utf8(PayerFsp) },
        { "amount", { { "currency", "USD" }, { "amount", "100.5" } } }, { "ilpPacket", ilpPacket },
        { "condition", condition }, { "expiration", utf8(isoIn(60)) } };
    const auto transferValid = Schema::validate(Versions::V1_0, u"TransfersPostRequest", transfer);
    QVERIFY2(transferValid, why(transferValid).constData());
    const auto transferAnswer
        = sendFspiop("POST", u"/transfers"_s, u"transfers"_s, transfer, &*m_payerKey);
    QVERIFY(transferAnswer);
    QVERIFY2(transferAnswer->status == 202, transferAnswer->body.constData());

    const auto transferCallback = takeHubRequest("PUT", u"/transfers/"_s + transactionId);
    QVERIFY(transferCallback);
    const auto fulfil
        = checkCallback(*transferCallback, u"transfers"_s, u"TransfersIDPutResponse"_s);
    QVERIFY(fulfil);
    QCOMPARE(str((*fulfil), { "transferState" }), u"COMMITTED"_s);
    const std::string fulfilment = utf8(str(*fulfil, { "fulfilment" }));
    QVERIFY2(Ilp::checkFulfilment(fulfilment, condition), "sha256(fulfilment) != condition");
    const auto recomputed = Ilp::conditionFromFulfilment(fulfilment);
    QVERIFY(recomputed);
    QCOMPARE(*recomputed, condition);
    // With the same ILP secret our builder derives the same fulfilment from the reference's packet
    // (v1: HMAC-SHA256 over the packet string, keyed by base64 of the secret).
    const auto ours = Ilp::Builder(m_sdk.settings().ilpSecret).fulfilmentForPacket(ilpPacket);
    QVERIFY2(ours, why(ours).constData());
    QCOMPARE(*ours, fulfilment);

    // The payee's backend saw the quote request and the transfer.
    bool sawQuote = false;
    bool sawTransfer = false;
    for (const auto &r : std::as_const(m_backendRequests)) {
        const auto b = parseJson(r.body);
        if (r.path == u"/quoterequests" && b && str(*b, { "quoteId" }) == quoteId)
            sawQuote = true;
        if (r.path == u"/transfers" && b && str(*b, { "transferId" }) == transactionId)
            sawTransfer = true;
    }
    QVERIFY(sawQuote);
    QVERIFY(sawTransfer);
}

void TestInteropProtocol::wrongSignatureIsRejected3105()
{
    m_rejectedQuoteId = newId();
    const Json quote = { { "quoteId", utf8(m_rejectedQuoteId) }, { "transactionId", utf8(newId()) },
        { "payee",
            { { "partyIdInfo",
                { { "partyIdType", "MSISDN" }, { "partyIdentifier", utf8(PayeeMsisdn) },
                    { "fspId", utf8(PayeeFsp) } } } } },
        { "payer",
            { { "partyIdInfo",
                { { "partyIdType", "MSISDN" }, { "partyIdentifier", utf8(PayerMsisdn) },
                    { "fspId", utf8(PayerFsp) } } } } },
        { "amountType", "SEND" }, { "amount", { { "currency", "USD" }, { "amount", "7" } } },
        { "transactionType",
            { { "scenario", "TRANSFER" }, { "initiator", "PAYER" },
                { "initiatorType", "CONSUMER" } } } };
    QVERIFY(Schema::validate(Versions::V1_0, u"QuotesPostRequest", quote));

    m_ranWrongKey = true;
    const auto answer = sendFspiop("POST", u"/quotes"_s, u"quotes"_s, quote, &*m_wrongPayerKey);
    QVERIFY(answer);
    QCOMPARE(answer->status, 400);
    const auto body = parseJson(answer->body);
    QVERIFY2(body, answer->body.constData());
    QVERIFY(Schema::validate(Versions::V1_0, u"ErrorInformationResponse", *body));
    QCOMPARE(str((*body), { "errorInformation", "errorCode" }), u"3105"_s);

    // Rejected before any work: no backend call and no callback for this quote.
    QTest::qWait(500);
    for (const auto &r : std::as_const(m_hubRequests))
        QVERIFY(!r.path.contains(m_rejectedQuoteId));
    for (const auto &r : std::as_const(m_backendRequests))
        QVERIFY(!r.body.contains(m_rejectedQuoteId.toUtf8()));
}

void TestInteropProtocol::unknownPartyGivesError3204()
{
    const QString path = u"/parties/MSISDN/"_s + UnknownMsisdn;
    m_ranUnknownParty = true;
    const auto answer = sendFspiop("GET", path, u"parties"_s, std::nullopt, nullptr);
    QVERIFY(answer);
    QCOMPARE(answer->status, 202);

    const auto callback = takeHubRequest("PUT", path + u"/error"_s);
    QVERIFY(callback);
    const auto body = checkCallback(*callback, u"parties"_s, u"ErrorInformationObject"_s);
    QVERIFY(body);
    QCOMPARE(str((*body), { "errorInformation", "errorCode" }), u"3204"_s);
}

void TestInteropProtocol::referenceLogHasNoUnexpectedErrors()
{
    QVERIFY2(m_sdk.isRunning(), qPrintable(m_sdk.logTail()));
    const auto expected = expectedLogErrors(m_ranWrongKey, m_ranUnknownParty);
    QList<int> seen(expected.size(), 0);
    QStringList unexpected;
    const auto errors = m_sdk.logErrors();
    for (const auto &entry : errors) {
        const auto it = std::find_if(expected.begin(), expected.end(),
            [&](const ExpectedLogError &e) { return e.message.match(entry.message).hasMatch(); });
        if (it == expected.end())
            unexpected
                << u"line %1 [%2] %3"_s.arg(entry.lineNumber).arg(entry.level, entry.message);
        else
            ++seen[std::distance(expected.begin(), it)];
    }
    QVERIFY2(unexpected.isEmpty(),
        qPrintable(u"unexpected error entries in the reference's log %1:\n"_s.arg(m_sdk.logPath())
            + unexpected.join(u'\n')));
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QVERIFY2(seen[i] == expected[i].count,
            qPrintable(u"expected %1 x \"%2\" (%3) in the reference's log, found %4"_s
                           .arg(expected[i].count)
                           .arg(expected[i].message.pattern(), QString::fromUtf8(expected[i].cause))
                           .arg(seen[i])));
    }
    qInfo("reference log: %lld entries, %lld error entries, all expected",
        qlonglong(m_sdk.logEntries().size()), qlonglong(errors.size()));

    // Nothing on stderr but warnings (node prints deprecation warnings there).
    QFile stderrFile(m_sdk.stderrPath());
    QVERIFY(stderrFile.open(QIODevice::ReadOnly));
    const QByteArray stderrText = stderrFile.readAll();
    QVERIFY2(!stderrText.contains("Error"), stderrText.constData());

    // No stray callbacks left over (every one was expected and consumed by a test function).
    QStringList leftover;
    for (const auto &r : std::as_const(m_hubRequests))
        leftover << QString::fromLatin1(r.method) + u' ' + r.path;
    QVERIFY2(leftover.isEmpty(), qPrintable(leftover.join(u", "_s)));
}

void TestInteropProtocol::harnessFailsClearlyWhenTheSdkCannotStart()
{
    ReferenceSdkSettings settings = m_sdk.settings();
    settings.dfspId = u"brokenfsp"_s;
    settings.inboundPort = settings.outboundPort = settings.metricsPort = 0;

    // The SDK exits at once on a signing key it cannot read: the error says so and carries the log.
    settings.jwsSigningKeyPath = m_keysDir.filePath(u"no-such-key.pem"_s);
    {
        ReferenceSdk sdk;
        const auto started = sdk.start(settings, std::chrono::seconds { 60 });
        QVERIFY(!started);
        QVERIFY2(started.error().message.contains(u"exited during startup"_s),
            qPrintable(toOneLine(started.error())));
        QVERIFY2(started.error().detail.contains(u"JWS_SIGNING_KEY_PATH"_s),
            qPrintable(toOneLine(started.error())));
        QVERIFY(!sdk.isRunning());
    }

    // A start that does not finish in time fails with the ports and the log, and the process is
    // gone.
    settings.jwsSigningKeyPath = m_sdk.settings().jwsSigningKeyPath;
    {
        ReferenceSdk sdk;
        const auto started = sdk.start(settings, std::chrono::milliseconds { 300 });
        QVERIFY(!started);
        QVERIFY2(started.error().message.contains(u"did not open ports"_s),
            qPrintable(toOneLine(started.error())));
        QVERIFY(started.error().detail.contains(u"sdk.log"_s));
        QVERIFY(!sdk.isRunning());
    }

    // A port someone else holds: the SDK logs EADDRINUSE and keeps running; start() notices at
    // once, stops it and reports it with the log (no retry: the caller chose the port).
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress(QHostAddress::LocalHost), 0));
        settings.inboundPort = squatter.serverPort();
        ReferenceSdk sdk;
        const auto started = sdk.start(settings, std::chrono::seconds { 30 });
        QVERIFY(!started);
        QVERIFY2(started.error().message.contains(u"EADDRINUSE"_s),
            qPrintable(toOneLine(started.error())));
        QVERIFY2(started.error().detail.contains(u"127.0.0.1:%1"_s.arg(squatter.serverPort())),
            qPrintable(toOneLine(started.error())));
        QVERIFY(!sdk.isRunning());
        // The uncaught exception is an error entry although it is not a JSON line.
        const auto errors = sdk.logErrors();
        QVERIFY(std::any_of(errors.begin(), errors.end(),
            [](const Interop::LogEntry &e) { return e.line.contains("EADDRINUSE"); }));
    }
}

QTEST_GUILESS_MAIN(TestInteropProtocol)
#include "tst_interop_protocol.moc"
