// Our connector against the reference SDK, peering directly.
//
// Our connector runs as the real `pm-connector run` executable, configured by environment
// variables (the very settings the reference gets, see ReferenceSdkSettings::environment()); the
// reference SDK runs as its node process. Each one's PEER_ENDPOINT is the other's inbound server
// (no hub in between) and each has its own backend, a Pm::Test::TestBackend in this process. JWS
// is on for every leg, PUT /parties included, and CHECK_ILP on both sides.
//
// Two pairs, each started once: "plain" (HTTP, AUTO_ACCEPT_PARTY/QUOTES on) and "mtls" (mutual
// TLS in both directions with the test PKI, AUTO_ACCEPT_PARTY/QUOTES off, so every transfer is
// driven through the acceptParty / acceptQuote PUTs). Every flow runs in both directions on both
// pairs. See docs/interop.md.

#include "core/fspiop/headers.h"
#include "core/fspiop/ilp.h"
#include "core/fspiop/json.h"
#include "core/fspiop/jws.h"
#include "core/fspiop/mediatype.h"
#include "core/fspiop/schema.h"
#include "core/net/httpclient.h"
#include "tests/interop/connectorprocess.h"
#include "tests/interop/referencesdk.h"
#include "tests/support/testbackend.h"
#include "tests/support/testpki.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>
#include <QUuid>
#include <algorithm>
#include <map>
#include <optional>

using namespace Qt::StringLiterals;
using namespace Pm;
using Fspiop::Json;
using Interop::ConnectorProcess;
using Interop::RedisServer;
using Interop::ReferenceSdk;
using Interop::ReferenceSdkSettings;

namespace {

const QString OurFsp = u"pmdfsp"_s;
const QString RefFsp = u"refdfsp"_s;

// Parties the reference's backend knows (it is the payee when our connector pays).
const QString RefPayee = u"27710000001"_s;
const QString RefPayeeUnicode = u"27710000002"_s;
const QString RefPayeeSubId = u"SAVINGS"_s;
const QString RefUnknown = u"27719999404"_s;
// Parties our backend knows (our connector is the payee when the reference pays).
const QString OurPayee = u"25670000001"_s;
const QString OurPayeeUnicode = u"25670000002"_s;
const QString OurPayeeSubId = u"wallet-7"_s;
const QString OurUnknown = u"25679999404"_s;

/** Names that must cross both connectors unchanged: Latin with diacritics, Arabic, CJK. */
struct Names
{
    QString first, middle, last, display;
};
const Names RefPayeeNames { u"Zoë"_s, u"Ōsaka"_s, u"Jiménez Ñúñez"_s, u"Zoë Jiménez Ñúñez"_s };
const Names OurPayeeNames { u"فاطمة"_s, u"李"_s, u"Jiménez Ñúñez"_s, u"فاطمة 李 大阪"_s };
const Names PayerNames { u"Łucja"_s, u"明"_s, u"Nguyễn-Ōsaka"_s, u"大阪 Łucja نور"_s };
/**
 * The reference's outbound API (18.0.2, OutboundServer/api.yaml) types `from.displayName` as Name,
 * pattern ^(?!\s*$)[\w .,'-]{1,128}$, which ajv applies with JavaScript's ASCII-only \w: it answers
 * 400 "must match pattern" for any non-ASCII display name (its own description says all Unicode is
 * allowed). First, middle and last names use \p{L} and pass. So when the reference pays, the
 * payer's display name is ASCII; everything else stays Unicode. FSPIOP's PartyName has no pattern.
 */
const QString ReferencePayerDisplay = u"Lucja Nguyen-Osaka"_s;

constexpr int OutboundTimeoutMs = 90000; // the connectors wait up to 30 s per callback

std::string utf8(const QString &text)
{
    return text.toStdString();
}

/** The string at `path`, or "<missing>" / "<not a string>" (no throwing accessors). */
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

/** The integer at `path`, or -1. */
qint64 num(const Json &json, std::initializer_list<const char *> path)
{
    const Json *current = &json;
    for (const char *key : path) {
        if (!current->is_object())
            return -1;
        const auto it = current->find(std::string(key));
        if (it == current->end())
            return -1;
        current = &*it;
    }
    return current->is_number_integer() ? current->get<qint64>() : -1;
}

/**
 * sha256 of the base64url-decoded fulfilment, base64url-encoded without padding, equals the
 * condition: the ILP rule, checked with Qt alone (independently of our ILP library).
 */
bool fulfilmentMatchesCondition(const QString &fulfilment, const QString &condition)
{
    const auto decoded = QByteArray::fromBase64Encoding(fulfilment.toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 32)
        return false;
    return QCryptographicHash::hash(decoded.decoded, QCryptographicHash::Sha256)
               .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
        == condition.toLatin1();
}

template<class T> QByteArray why(const Result<T> &result)
{
    return result ? QByteArray() : toOneLine(result.error()).toUtf8();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

/** A party as the backends' GET /parties answers it (the reference's backend API shape). */
Json backendParty(const QString &id, const QString &subId, const Names &names)
{
    Json party = { { "idType", "MSISDN" }, { "idValue", utf8(id) } };
    if (!subId.isEmpty())
        party["idSubValue"] = utf8(subId);
    party["displayName"] = utf8(names.display);
    party["firstName"] = utf8(names.first);
    party["middleName"] = utf8(names.middle);
    party["lastName"] = utf8(names.last);
    party["dateOfBirth"] = "1985-04-12";
    party["merchantClassificationCode"] = "1234";
    return party;
}

/** An outbound POST /transfers body (the same API on both connectors). */
Json transferRequest(
    const QString &to, const QString &toSubId, const QString &note, const QString &payerDisplay)
{
    Json from = { { "idType", "MSISDN" }, { "idValue", "25644444444" },
        { "displayName", utf8(payerDisplay) }, { "firstName", utf8(PayerNames.first) },
        { "middleName", utf8(PayerNames.middle) }, { "lastName", utf8(PayerNames.last) },
        { "dateOfBirth", "1980-01-01" } };
    Json toParty = { { "idType", "MSISDN" }, { "idValue", utf8(to) } };
    if (!toSubId.isEmpty())
        toParty["idSubValue"] = utf8(toSubId);
    return { { "homeTransactionId",
                 utf8(u"home-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces)) },
        { "from", from }, { "to", toParty }, { "amountType", "SEND" }, { "currency", "USD" },
        { "amount", "100.5" }, { "transactionType", "TRANSFER" }, { "note", utf8(note) } };
}

/** Sends one request and waits for the answer, running this thread's event loop (the backends
 * live on it). */
Net::HttpClientResult exchange(
    Net::HttpClient &client, Net::HttpClientRequest request, int timeoutMs = OutboundTimeoutMs)
{
    std::optional<Net::HttpClientResult> out;
    const QString url = request.url.toString();
    request.timeout = std::chrono::milliseconds { timeoutMs };
    QObject context; // the callback is dropped if we give up first
    QEventLoop loop;
    client.send(std::move(request), &context, [&](Net::HttpClientResult result) {
        out = std::move(result);
        loop.quit();
    });
    QTimer::singleShot(timeoutMs + 5000, &loop, &QEventLoop::quit);
    if (!out)
        loop.exec();
    if (!out) {
        Net::HttpClientError error;
        error.kind = Net::HttpClientErrorKind::Timeout;
        error.message = u"no answer from %1 within %2 ms"_s.arg(url).arg(timeoutMs + 5000);
        return std::unexpected(error);
    }
    return std::move(*out);
}

/** A plain JSON request (the outbound APIs, or a GET). */
Net::HttpClientResult exchange(Net::HttpClient &client, const QByteArray &method,
    const QString &url, const QByteArray &body = {}, int timeoutMs = OutboundTimeoutMs)
{
    Net::HttpClientRequest request;
    request.method = method;
    request.url = QUrl(url);
    request.body = body;
    if (!body.isEmpty())
        request.headers.set("Content-Type", "application/json");
    return exchange(client, std::move(request), timeoutMs);
}

/** An error entry a peer logs because of what this test does on purpose. */
struct ExpectedLog
{
    QRegularExpression message;
    int count; ///< exactly this many times
    QString cause;
};

/** Checks `messages` against `expected`: nothing else, and each expected one exactly `count` times.
 * Returns the problems (empty when all is as expected). */
QStringList compareLog(
    const QList<std::pair<int, QString>> &messages, const QList<ExpectedLog> &expected)
{
    QStringList problems;
    QList<int> seen(expected.size(), 0);
    for (const auto &[line, message] : messages) {
        const auto it = std::find_if(expected.begin(), expected.end(),
            [&](const ExpectedLog &e) { return e.message.match(message).hasMatch(); });
        if (it == expected.end())
            problems << u"unexpected, line %1: %2"_s.arg(line).arg(message);
        else
            ++seen[std::distance(expected.begin(), it)];
    }
    for (qsizetype i = 0; i < expected.size(); ++i) {
        if (seen[i] != expected[i].count)
            problems << u"expected %1 x \"%2\" (%3), found %4"_s.arg(expected[i].count)
                            .arg(expected[i].message.pattern(), expected[i].cause)
                            .arg(seen[i]);
    }
    return problems;
}

} // namespace

class TestInteropConnector : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void peersRunAsConfigured_data();
    void peersRunAsConfigured();
    void ourConnectorPaysReference_data();
    void ourConnectorPaysReference();
    void referencePaysOurConnector_data();
    void referencePaysOurConnector();
    void unknownPartyBothWays_data();
    void unknownPartyBothWays();
    void unicodeNamesAndSubIdsReachTheBackends_data();
    void unicodeNamesAndSubIdsReachTheBackends();
    void wrongFulfilmentIsRefusedByBothPayers_data();
    void wrongFulfilmentIsRefusedByBothPayers();
    void payeesRefuseAConditionNotTheQuotes_data();
    void payeesRefuseAConditionNotTheQuotes();
    void forgedSignaturesAreRejectedBothWays_data();
    void forgedSignaturesAreRejectedBothWays();
    void everyMessageOurConnectorSentPassesAjv();
    void noPeerLoggedAnUnexpectedError();
    void cleanupTestCase();

private:
    enum class Side { Ours, Reference };
    static QString payerDisplay(Side payer)
    {
        return payer == Side::Ours ? PayerNames.display : ReferencePayerDisplay;
    }

    /** One reference SDK and one pm-connector peering directly, with their backends. */
    struct Pair
    {
        QString name;
        bool mtls = false;
        bool autoAccept = true; ///< AUTO_ACCEPT_PARTY and AUTO_ACCEPT_QUOTES, on both sides
        int redisDb = 0;
        std::unique_ptr<Test::TestBackend> refBackend;
        std::unique_ptr<Test::TestBackend> ourBackend;
        std::unique_ptr<ReferenceSdk> sdk;
        std::unique_ptr<ConnectorProcess> ours;
        ReferenceSdkSettings ourSettings; ///< what pm-connector was started with
        // What ran, for the expected counts of messages and log entries.
        int oursPaidOk = 0; ///< transfers our connector paid (COMPLETED)
        int referencePaidOk = 0; ///< transfers the reference paid to us (COMPLETED)
        int oursPaidUnknown = 0; ///< our connector looked up an unknown party at the reference
        int referencePaidUnknown = 0; ///< the reference looked up an unknown party at ours
        int probedReference = 0; ///< GET / sent to the reference's inbound server (3002 logged)
        int forgedToReference = 0; ///< requests with a forged signature sent to the reference
        int conditionToReference = 0; ///< POST /quotes + POST /transfers (wrong condition) to it
        int conditionToOurs = 0; ///< the same to our connector
        int oursPaidBadFulfilment
            = 0; ///< our connector paid, the reference's backend gave a wrong fulfilment
        int referencePaidBadFulfilment
            = 0; ///< the reference paid, our backend gave a wrong fulfilment
        /** A client for the inbound servers: plain, or presenting the test's client certificate. */
        std::unique_ptr<Net::HttpClient> fspiopClient;
    };

    /** A message our connector answered directly (not a request or callback, so not stored). */
    struct DirectAnswer
    {
        QString schemaType;
        QString name;
        QByteArray body;
    };

    struct Outcome
    {
        int status = 0;
        Json body;
        QByteArray raw;
        QStringList states; ///< currentState of each answer, in order
    };

    void startPair(Pair &pair);
    Pair &pairFor(const QString &name);
    /**
     * POST /transfers on the payer's outbound API; when the pair does not auto-accept, continues
     * with PUT {acceptParty: true} and PUT {acceptQuote: true} as long as the transfer waits for
     * them. Returns the last answer, or nothing (with a warning) when there was none.
     */
    std::optional<Outcome> runTransfer(Pair &pair, Side payer, const Json &request);
    /**
     * Sends one FSPIOP request to `target`'s inbound server as `source` would (FSPIOP 1.0 headers,
     * destination the target), signed with `key` over the exact bytes sent.
     */
    Net::HttpClientResult sendSigned(Pair &pair, Side target, const QByteArray &method,
        const QString &path, const QString &resource, const Json &body,
        const Fspiop::Jws::SigningKey &key, const QString &source);

    QElapsedTimer m_clock;
    QTemporaryDir m_dir;
    std::optional<Test::TestPki> m_pki;
    std::optional<Test::TestIdentity> m_ourClient;
    std::optional<Test::TestIdentity> m_refClient;
    QString m_ourJwsKey;
    QString m_refJwsKey;
    QString m_verifyDir;
    RedisServer m_redis;
    std::unique_ptr<Net::HttpClient> m_client;
    std::optional<Fspiop::Jws::SigningKey> m_rogueKey; ///< in nobody's verification directory
    QList<DirectAnswer> m_directAnswers;
    std::vector<std::unique_ptr<Pair>> m_pairs;
    std::map<QString, qint64> m_durations; ///< step → ms, for the report
};

// -------------------------------------------------------------------------------------------------

void TestInteropConnector::initTestCase()
{
    m_clock.start();
    QVERIFY(m_dir.isValid());
    if (qEnvironmentVariableIsSet("PM_INTEROP_KEEP_RUNDIR"))
        m_dir.setAutoRemove(false);

    // JWS: one RSA key per side; both know both public keys (named by FSP id).
    const auto ourPem = Interop::generateRsaPrivateKeyPem(2048);
    const auto refPem = Interop::generateRsaPrivateKeyPem(2048);
    QVERIFY2(ourPem && refPem, "RSA key generation failed");
    m_verifyDir = m_dir.filePath(u"jws-verify"_s);
    QVERIFY(QDir().mkpath(m_verifyDir));
    m_ourJwsKey = m_dir.filePath(u"pmdfsp-jws.pem"_s);
    m_refJwsKey = m_dir.filePath(u"refdfsp-jws.pem"_s);
    QVERIFY(writeFile(m_ourJwsKey, *ourPem));
    QVERIFY(writeFile(m_refJwsKey, *refPem));
    const auto roguePem = Interop::generateRsaPrivateKeyPem(2048);
    QVERIFY2(roguePem, "RSA key generation failed");
    auto rogueKey = Fspiop::Jws::SigningKey::fromPem(*roguePem);
    QVERIFY2(rogueKey, why(rogueKey).constData());
    m_rogueKey.emplace(std::move(*rogueKey));
    for (const auto &[fsp, pem] :
        { std::pair { OurFsp, *ourPem }, std::pair { RefFsp, *refPem } }) {
        const auto key = Fspiop::Jws::SigningKey::fromPem(pem);
        QVERIFY(key);
        QVERIFY(writeFile(m_verifyDir + u'/' + fsp + u".pem"_s, key->publicKeyPem()));
    }

    // TLS: one CA; both inbound servers use its 127.0.0.1 server certificate, each side has its
    // own client certificate.
    const QString pkiDir = m_dir.filePath(u"pki"_s);
    QVERIFY(QDir().mkpath(pkiDir));
    auto pki = Test::TestPki::create(pkiDir);
    QVERIFY2(pki, why(pki).constData());
    m_pki.emplace(std::move(*pki));
    auto ourClient = m_pki->issueClient(OurFsp);
    auto refClient = m_pki->issueClient(RefFsp);
    QVERIFY2(ourClient && refClient, "cannot issue the client certificates");
    m_ourClient = *ourClient;
    m_refClient = *refClient;
    m_client = Net::createHttpClient();
    m_durations[u"keys and PKI"_s] = m_clock.elapsed();

    QElapsedTimer step;
    step.start();
    const auto redis = m_redis.start();
    QVERIFY2(redis, why(redis).constData());
    m_durations[u"redis start"_s] = step.elapsed();

    auto plain = std::make_unique<Pair>();
    plain->name = u"plain"_s;
    plain->redisDb = 1;
    auto mtls = std::make_unique<Pair>();
    mtls->name = u"mtls"_s;
    mtls->mtls = true;
    mtls->autoAccept = false;
    mtls->redisDb = 2;
    m_pairs.push_back(std::move(plain));
    m_pairs.push_back(std::move(mtls));
    for (auto &pair : m_pairs) {
        startPair(*pair);
        if (QTest::currentTestFailed())
            return;
    }
    m_durations[u"setup total"_s] = m_clock.elapsed();
}

void TestInteropConnector::startPair(Pair &pair)
{
    pair.refBackend = std::make_unique<Test::TestBackend>();
    pair.ourBackend = std::make_unique<Test::TestBackend>();
    QVERIFY(pair.refBackend->start());
    QVERIFY(pair.ourBackend->start());
    pair.refBackend->addParty(backendParty(
        RefPayee, {}, { u"Amahle"_s, u"Thandiwe"_s, u"Dlamini"_s, u"Amahle Dlamini"_s }));
    pair.refBackend->addParty(backendParty(RefPayeeUnicode, RefPayeeSubId, RefPayeeNames));
    pair.ourBackend->addParty(
        backendParty(OurPayee, {}, { u"Kato"_s, u"Sarah"_s, u"Okello"_s, u"Kato Okello"_s }));
    pair.ourBackend->addParty(backendParty(OurPayeeUnicode, OurPayeeSubId, OurPayeeNames));

    // Our inbound port is chosen first: the reference must know it as its PEER_ENDPOINT. The
    // reference starts first (slow, with retries on its own ports); ours binds right after. If
    // something else took our port in between (pm-connector exits: "already in use"), the pair
    // starts again with a new port, at most three times.
    for (int attempt = 1;; ++attempt) {
        const auto ourInbound = Interop::freeLoopbackPort();
        QVERIFY2(ourInbound, why(ourInbound).constData());

        ReferenceSdkSettings ref;
        ref.dfspId = RefFsp;
        ref.peerEndpoint = u"127.0.0.1:%1"_s.arg(*ourInbound);
        ref.backendEndpoint = pair.refBackend->endpoint();
        ref.cacheUrl = m_redis.url(pair.redisDb);
        ref.ilpSecret = u"reference-interop-secret"_s;
        ref.autoAcceptParty = ref.autoAcceptQuotes = pair.autoAccept;
        ref.jwsSigningKeyPath = m_refJwsKey;
        ref.jwsVerificationKeysDirectory = m_verifyDir;
        if (pair.mtls) {
            ref.inboundMutualTls = ref.outboundMutualTls = true;
            ref.inCaCertPath = ref.outCaCertPath = m_pki->ca().certificatePath;
            ref.inServerCertPath = m_pki->server().certificatePath;
            ref.inServerKeyPath = m_pki->server().privateKeyPath;
            ref.outClientCertPath = m_refClient->certificatePath;
            ref.outClientKeyPath = m_refClient->privateKeyPath;
        }
        QElapsedTimer step;
        step.start();
        pair.sdk = std::make_unique<ReferenceSdk>();
        const auto started = pair.sdk->start(ref);
        QVERIFY2(started, why(started).constData());
        m_durations[u"reference SDK start (%1)"_s.arg(pair.name)] = step.elapsed();

        // Our connector gets the reference's own settings, with its identity, ports and files: it
        // is a drop-in, so the same variable names configure it. The ones it does not use
        // (CACHE_URL …) are ignored with a warning each (checked in noPeerLoggedAnUnexpectedError).
        ReferenceSdkSettings ours = ref;
        ours.dfspId = OurFsp;
        ours.inboundPort = *ourInbound;
        ours.outboundPort = 0;
        ours.metricsPort = 0;
        ours.peerEndpoint = u"127.0.0.1:%1"_s.arg(pair.sdk->settings().inboundPort);
        ours.backendEndpoint = pair.ourBackend->endpoint();
        ours.ilpSecret = u"pm-interop-secret"_s;
        ours.jwsSigningKeyPath = m_ourJwsKey;
        if (pair.mtls) {
            ours.outClientCertPath = m_ourClient->certificatePath;
            ours.outClientKeyPath = m_ourClient->privateKeyPath;
        }
        pair.ourSettings = ours;
        step.restart();
        pair.ours = std::make_unique<ConnectorProcess>();
        const auto ourStarted = pair.ours->start(ours.environment());
        if (!ourStarted && attempt < 3 && ourStarted.error().detail.contains(u"already in use"_s)) {
            qWarning("pair %s: port %u was taken before pm-connector bound it; starting again",
                qPrintable(pair.name), unsigned(*ourInbound));
            pair.sdk->stop();
            continue;
        }
        QVERIFY2(ourStarted, why(ourStarted).constData());
        QCOMPARE(pair.ours->inboundPort(), *ourInbound);
        m_durations[u"pm-connector start (%1)"_s.arg(pair.name)] = step.elapsed();
        break;
    }
    Net::HttpClientOptions clientOptions;
    if (pair.mtls)
        clientOptions.tls = m_pki->clientConfiguration(&*m_ourClient);
    pair.fspiopClient = Net::createHttpClient(clientOptions);
    qInfo(
        "pair %s: reference %s (pid %lld, inbound %u, outbound %u) <-> pm-connector %s (pid %lld, "
        "inbound %u, outbound %u)",
        qPrintable(pair.name), qPrintable(RefFsp), qlonglong(pair.sdk->pid()),
        unsigned(pair.sdk->settings().inboundPort), unsigned(pair.sdk->settings().outboundPort),
        qPrintable(OurFsp), qlonglong(pair.ours->pid()), unsigned(pair.ours->inboundPort()),
        unsigned(pair.ours->outboundPort()));
}

TestInteropConnector::Pair &TestInteropConnector::pairFor(const QString &name)
{
    for (auto &pair : m_pairs) {
        if (pair->name == name)
            return *pair;
    }
    qFatal("no pair %s", qPrintable(name));
}

std::optional<TestInteropConnector::Outcome> TestInteropConnector::runTransfer(
    Pair &pair, Side payer, const Json &request)
{
    const QString base = payer == Side::Ours ? pair.ours->outboundUrl() : pair.sdk->outboundUrl();
    Outcome outcome;
    auto record = [&](const Net::HttpClientResult &result, const QString &what) {
        if (!result) {
            qWarning("%s: %s", qPrintable(what), qPrintable(toOneLine(result.error())));
            return false;
        }
        outcome.status = result->status;
        outcome.raw = result->body;
        const auto parsed = Fspiop::parseJson(result->body);
        outcome.body = parsed ? *parsed : Json();
        outcome.states << str(outcome.body, { "currentState" });
        return true;
    };
    if (!record(exchange(*m_client, "POST", base + u"/transfers"_s, Fspiop::serializeJson(request)),
            u"POST /transfers"_s))
        return std::nullopt;
    const QString transferId = str(outcome.body, { "transferId" });
    for (int step = 0; step < 2 && outcome.status == 200; ++step) {
        const QString state = outcome.states.last();
        QByteArray accept;
        if (state == u"WAITING_FOR_PARTY_ACCEPTANCE")
            accept = R"({"acceptParty":true})"_ba;
        else if (state == u"WAITING_FOR_QUOTE_ACCEPTANCE")
            accept = R"({"acceptQuote":true})"_ba;
        else
            break;
        if (!record(exchange(*m_client, "PUT", base + u"/transfers/"_s + transferId, accept),
                u"PUT /transfers/"_s + transferId))
            return std::nullopt;
    }
    return outcome;
}

Net::HttpClientResult TestInteropConnector::sendSigned(Pair &pair, Side target,
    const QByteArray &method, const QString &path, const QString &resource, const Json &body,
    const Fspiop::Jws::SigningKey &key, const QString &source)
{
    const QString scheme = pair.mtls ? u"https"_s : u"http"_s;
    const quint16 port
        = target == Side::Ours ? pair.ours->inboundPort() : pair.sdk->settings().inboundPort;
    const QString destination = target == Side::Ours ? OurFsp : RefFsp;
    const QString date = Fspiop::currentHttpDate();
    Net::HttpClientRequest request;
    request.method = method;
    request.url = QUrl(u"%1://127.0.0.1:%2%3"_s.arg(scheme).arg(port).arg(path));
    request.body = Fspiop::serializeJson(body);
    request.headers.set(
        "Content-Type", Fspiop::contentType(resource, Fspiop::Versions::V1_0).toUtf8());
    if (method != "PUT")
        request.headers.set(
            "Accept", Fspiop::acceptType(resource, Fspiop::Versions::V1_0).toUtf8());
    request.headers.set("Date", date.toUtf8());
    request.headers.set("FSPIOP-Source", source.toUtf8());
    request.headers.set("FSPIOP-Destination", destination.toUtf8());
    Fspiop::Jws::SignRequest toSign;
    toSign.method = QString::fromLatin1(method);
    toSign.uri = path;
    toSign.source = source;
    toSign.destination = destination;
    toSign.date = date;
    toSign.body = request.body;
    const auto signedHeaders = Fspiop::Jws::sign(key, toSign);
    if (!signedHeaders) {
        Net::HttpClientError error;
        error.message = u"cannot sign: "_s + toOneLine(signedHeaders.error());
        return std::unexpected(error);
    }
    request.headers.set("FSPIOP-URI", signedHeaders->uri);
    request.headers.set("FSPIOP-HTTP-Method", signedHeaders->httpMethod);
    request.headers.set("FSPIOP-Signature", signedHeaders->signature);
    return exchange(*pair.fspiopClient, std::move(request), 15000);
}

// -------------------------------------------------------------------------------------------------

void TestInteropConnector::peersRunAsConfigured_data()
{
    QTest::addColumn<QString>("pair");
    QTest::newRow("plain") << u"plain"_s;
    QTest::newRow("mtls") << u"mtls"_s;
}

void TestInteropConnector::peersRunAsConfigured()
{
    QFETCH(QString, pair);
    Pair &p = pairFor(pair);
    QVERIFY2(p.sdk->isRunning(), qPrintable(p.sdk->logTail()));
    QVERIFY2(p.ours->isRunning(), qPrintable(p.ours->logTail()));

    // What each process really got, from /proc: JWS on every leg, ILP checks, TLS as configured.
    const QString tls = p.mtls ? u"true"_s : u"false"_s;
    const QString accept = p.autoAccept ? u"true"_s : u"false"_s;
    for (const auto &[who, pid, fsp] : { std::tuple { "reference", p.sdk->pid(), RefFsp },
             std::tuple { "pm-connector", p.ours->pid(), OurFsp } }) {
        QFile environ(u"/proc/%1/environ"_s.arg(pid));
        QVERIFY(environ.open(QIODevice::ReadOnly));
        const QList<QByteArray> vars = environ.readAll().split('\0');
        for (const QString &expected : QStringList { u"DFSP_ID="_s + fsp, u"JWS_SIGN=true"_s,
                 u"JWS_SIGN_PUT_PARTIES=true"_s, u"VALIDATE_INBOUND_JWS=true"_s,
                 u"VALIDATE_INBOUND_PUT_PARTIES_JWS=true"_s, u"CHECK_ILP=true"_s,
                 u"INBOUND_MUTUAL_TLS_ENABLED="_s + tls, u"OUTBOUND_MUTUAL_TLS_ENABLED="_s + tls,
                 u"AUTO_ACCEPT_PARTY="_s + accept, u"AUTO_ACCEPT_QUOTES="_s + accept }) {
            QVERIFY2(vars.contains(expected.toUtf8()),
                qPrintable(u"%1 runs without %2"_s.arg(QString::fromLatin1(who), expected)));
        }
    }
    // Direct peering: each one's peer is the other's inbound server.
    QCOMPARE(p.sdk->settings().peerEndpoint, u"127.0.0.1:%1"_s.arg(p.ours->inboundPort()));
    QCOMPARE(p.ourSettings.peerEndpoint, u"127.0.0.1:%1"_s.arg(p.sdk->settings().inboundPort));

    // Our connector listens on loopback only, on the ports it printed.
    const auto sockets = Interop::listeningSockets(p.ours->pid());
    QVERIFY2(sockets, why(sockets).constData());
    QList<quint16> ports;
    for (const auto &socket : *sockets) {
        QCOMPARE(socket.address, QHostAddress(QHostAddress::LocalHost));
        ports << socket.port;
    }
    QVERIFY(ports.contains(p.ours->inboundPort()));
    QVERIFY(ports.contains(p.ours->outboundPort()));
    QVERIFY(ports.contains(p.ours->metricsPort()));

    // Both inbound servers speak what was configured: with mutual TLS, a client that trusts the CA
    // but has no certificate gets no HTTP answer, one with a certificate of the CA does; without
    // TLS, plain HTTP is answered.
    const QString scheme = p.mtls ? u"https"_s : u"http"_s;
    for (const quint16 port : { p.sdk->settings().inboundPort, p.ours->inboundPort() }) {
        const QString url = u"%1://127.0.0.1:%2/"_s.arg(scheme).arg(port);
        if (port == p.sdk->settings().inboundPort)
            ++p.probedReference; // it logs the unknown path "/" as an error
        if (p.mtls) {
            Net::HttpClientOptions anonymous;
            anonymous.tls = m_pki->clientConfiguration(nullptr);
            auto client = Net::createHttpClient(anonymous);
            const auto refused = exchange(*client, "GET", url, {}, 15000);
            QVERIFY2(!refused,
                qPrintable(u"%1 answered HTTP %2 to a client without a certificate"_s.arg(url).arg(
                    refused ? refused->status : 0)));
        }
        // p.fspiopClient presents a client certificate of the CA when the pair runs mutual TLS.
        const auto answered = exchange(*p.fspiopClient, "GET", url, {}, 15000);
        QVERIFY2(answered,
            qPrintable(url + u": "_s + (answered ? QString() : toOneLine(answered.error()))));
        // Our connector serves its health answer on GET / of the inbound port too. The reference
        // has a health route "/" in its inbound handlers, but its request validator (the FSPIOP API
        // definition, which has no "/") runs first and answers 404 with FSPIOP error 3002, logging
        // "Request failed validation." (expected in noPeerLoggedAnUnexpectedError).
        const Json answer = Fspiop::parseJson(answered->body).value_or(Json());
        if (port == p.ours->inboundPort()) {
            QVERIFY2(answered->status == 200, answered->body.constData());
            QCOMPARE(str(answer, { "status" }), u"OK"_s);
        } else {
            QVERIFY2(answered->status == 404, answered->body.constData());
            QCOMPARE(str(answer, { "errorInformation", "errorCode" }), u"3002"_s);
        }
    }
}

// -------------------------------------------------------------------------------------------------

void TestInteropConnector::ourConnectorPaysReference_data()
{
    peersRunAsConfigured_data();
}

void TestInteropConnector::ourConnectorPaysReference()
{
    QFETCH(QString, pair);
    Pair &p = pairFor(pair);
    const int refTransfersBefore = p.refBackend->count("POST", u"/transfers"_s);

    const auto outcome = runTransfer(p, Side::Ours,
        transferRequest(RefPayee, {}, u"pm pays the reference"_s, PayerNames.display));
    QVERIFY(outcome);
    QVERIFY2(outcome->status == 200, outcome->raw.constData());
    const Json &body = outcome->body;
    QCOMPARE(str(body, { "currentState" }), u"COMPLETED"_s);
    if (!p.autoAccept)
        QCOMPARE(outcome->states,
            QStringList({ u"WAITING_FOR_PARTY_ACCEPTANCE"_s, u"WAITING_FOR_QUOTE_ACCEPTANCE"_s,
                u"COMPLETED"_s }));
    else
        QCOMPARE(outcome->states, QStringList({ u"COMPLETED"_s }));
    const QString transferId = str(body, { "transferId" });
    QVERIFY(!transferId.isEmpty());

    // The party came from the reference's PUT /parties, the quote and the fulfilment from its
    // callbacks.
    QCOMPARE(str(body, { "to", "fspId" }), RefFsp);
    QCOMPARE(str(body, { "to", "lastName" }), u"Dlamini"_s);
    QCOMPARE(str(body, { "quoteResponseSource" }), RefFsp);
    QCOMPARE(str(body, { "fulfil", "body", "transferState" }), u"COMMITTED"_s);
    const QString condition = str(body, { "quoteResponse", "body", "condition" });
    const QString fulfilment = str(body, { "fulfil", "body", "fulfilment" });
    QVERIFY2(fulfilmentMatchesCondition(fulfilment, condition),
        qPrintable(u"sha256(%1) != %2"_s.arg(fulfilment, condition)));
    QVERIFY(Fspiop::Ilp::checkFulfilment(utf8(fulfilment), utf8(condition)));
    const auto packet
        = Fspiop::Ilp::decode(utf8(str(body, { "quoteResponse", "body", "ilpPacket" })));
    QVERIFY2(packet, why(packet).constData());
    QCOMPARE(QString::fromStdString(packet->packet.account), u"g.refdfsp.msisdn."_s + RefPayee);
    QCOMPARE(packet->packet.amount, std::uint64_t(10050));

    // The reference's backend committed exactly this transfer; our record says COMPLETED.
    QCOMPARE(p.refBackend->count("POST", u"/transfers"_s), refTransfersBefore + 1);
    QCOMPARE(str(p.refBackend->last("POST", u"/transfers"_s).json, { "transferId" }), transferId);
    const auto stored
        = exchange(*m_client, "GET", p.ours->outboundUrl() + u"/transfers/"_s + transferId);
    QVERIFY(stored);
    QCOMPARE(stored->status, 200);
    QCOMPARE(
        str(Fspiop::parseJson(stored->body).value_or(Json()), { "currentState" }), u"COMPLETED"_s);
    QCOMPARE(p.ourBackend->calls().size(), 0); // the payer's backend is not asked
    ++p.oursPaidOk;
}

void TestInteropConnector::referencePaysOurConnector_data()
{
    peersRunAsConfigured_data();
}

void TestInteropConnector::referencePaysOurConnector()
{
    QFETCH(QString, pair);
    Pair &p = pairFor(pair);
    const int ourTransfersBefore = p.ourBackend->count("POST", u"/transfers"_s);
    const int refCallsBefore = int(p.refBackend->calls().size());

    const auto outcome = runTransfer(p, Side::Reference,
        transferRequest(OurPayee, {}, u"the reference pays pm"_s, ReferencePayerDisplay));
    QVERIFY(outcome);
    QVERIFY2(outcome->status == 200, outcome->raw.constData());
    const Json &body = outcome->body;
    QCOMPARE(str(body, { "currentState" }), u"COMPLETED"_s);
    if (!p.autoAccept)
        QCOMPARE(outcome->states,
            QStringList({ u"WAITING_FOR_PARTY_ACCEPTANCE"_s, u"WAITING_FOR_QUOTE_ACCEPTANCE"_s,
                u"COMPLETED"_s }));
    else
        QCOMPARE(outcome->states, QStringList({ u"COMPLETED"_s }));
    const QString transferId = str(body, { "transferId" });
    QVERIFY(!transferId.isEmpty());

    // Our PUT /parties, PUT /quotes and PUT /transfers, as the reference understood them.
    QCOMPARE(str(body, { "to", "fspId" }), OurFsp);
    QCOMPARE(str(body, { "to", "lastName" }), u"Okello"_s);
    QCOMPARE(str(body, { "quoteResponseSource" }), OurFsp);
    QCOMPARE(str(body, { "fulfil", "body", "transferState" }), u"COMMITTED"_s);
    const QString condition = str(body, { "quoteResponse", "body", "condition" });
    const QString fulfilment = str(body, { "fulfil", "body", "fulfilment" });
    QVERIFY2(fulfilmentMatchesCondition(fulfilment, condition),
        qPrintable(u"sha256(%1) != %2"_s.arg(fulfilment, condition)));
    QVERIFY(Fspiop::Ilp::checkFulfilment(utf8(fulfilment), utf8(condition)));
    const auto packet
        = Fspiop::Ilp::decode(utf8(str(body, { "quoteResponse", "body", "ilpPacket" })));
    QVERIFY2(packet, why(packet).constData());
    QCOMPARE(QString::fromStdString(packet->packet.account), u"g.pmdfsp.msisdn."_s + OurPayee);
    QCOMPARE(packet->packet.amount, std::uint64_t(10050));
    QCOMPARE(str(packet->transactionObject, { "transactionId" }), transferId);

    // Our backend committed exactly this transfer; the reference's backend was not asked.
    QCOMPARE(p.ourBackend->count("POST", u"/transfers"_s), ourTransfersBefore + 1);
    const Json backendTransfer = p.ourBackend->last("POST", u"/transfers"_s).json;
    QCOMPARE(str(backendTransfer, { "transferId" }), transferId);
    QCOMPARE(int(p.refBackend->calls().size()), refCallsBefore);
    ++p.referencePaidOk;
}

// -------------------------------------------------------------------------------------------------

void TestInteropConnector::unknownPartyBothWays_data()
{
    peersRunAsConfigured_data();
}

void TestInteropConnector::unknownPartyBothWays()
{
    QFETCH(QString, pair);
    Pair &p = pairFor(pair);

    // Each payee's backend answers 404 {"statusCode":"3204","message":"Party not found"}; the
    // payee sends PUT /parties/.../error 3204 and the payer's outbound API answers 500 with it.
    struct Direction
    {
        Side payer;
        QString unknown;
        Test::TestBackend *payeeBackend;
        const char *what;
    };
    for (const Direction &d :
        { Direction { Side::Ours, RefUnknown, p.refBackend.get(), "pm pays" },
            Direction { Side::Reference, OurUnknown, p.ourBackend.get(), "the reference pays" } }) {
        const QString what = QString::fromLatin1(d.what);
        const QString lookup = u"/parties/MSISDN/"_s + d.unknown;
        const int lookupsBefore = d.payeeBackend->count("GET", lookup);
        if (d.payer == Side::Ours)
            ++p.oursPaidUnknown;
        else
            ++p.referencePaidUnknown;
        const auto outcome
            = runTransfer(p, d.payer, transferRequest(d.unknown, {}, what, payerDisplay(d.payer)));
        QVERIFY(outcome);
        QVERIFY2(
            outcome->status == 500, qPrintable(what + u": "_s + QString::fromUtf8(outcome->raw)));
        const Json &body = outcome->body;
        QCOMPARE(str(body, { "statusCode" }), u"3204"_s);
        QCOMPARE(str(body, { "transferState", "currentState" }), u"ERROR_OCCURRED"_s);
        QCOMPARE(num(body, { "transferState", "lastError", "httpStatusCode" }), qint64(500));
        QCOMPARE(
            str(body,
                { "transferState", "lastError", "mojaloopError", "errorInformation", "errorCode" }),
            u"3204"_s);
        // The backend's message is the payee's errorDescription, on both sides.
        QCOMPARE(str(body,
                     { "transferState", "lastError", "mojaloopError", "errorInformation",
                         "errorDescription" }),
            u"Party not found"_s);
        QCOMPARE(str(body, { "transferState", "to", "idValue" }), d.unknown);
        QCOMPARE(d.payeeBackend->count("GET", lookup), lookupsBefore + 1);
    }
}

// -------------------------------------------------------------------------------------------------

void TestInteropConnector::unicodeNamesAndSubIdsReachTheBackends_data()
{
    peersRunAsConfigured_data();
}

void TestInteropConnector::unicodeNamesAndSubIdsReachTheBackends()
{
    QFETCH(QString, pair);
    Pair &p = pairFor(pair);

    struct Direction
    {
        Side payer;
        QString payee;
        QString subId;
        Names payeeNames;
        Test::TestBackend *payeeBackend;
        QString payeeFsp;
    };
    for (const Direction &d : { Direction { Side::Ours, RefPayeeUnicode, RefPayeeSubId,
                                    RefPayeeNames, p.refBackend.get(), RefFsp },
             Direction { Side::Reference, OurPayeeUnicode, OurPayeeSubId, OurPayeeNames,
                 p.ourBackend.get(), OurFsp } }) {
        const QString lookup = u"/parties/MSISDN/%1/%2"_s.arg(d.payee, d.subId);
        const int lookupsBefore = d.payeeBackend->count("GET", lookup);
        const auto outcome = runTransfer(p, d.payer,
            transferRequest(d.payee, d.subId, u"Ōsaka → 大阪, شكرا"_s, payerDisplay(d.payer)));
        QVERIFY(outcome);
        QVERIFY2(outcome->status == 200, outcome->raw.constData());
        const Json &body = outcome->body;
        QCOMPARE(str(body, { "currentState" }), u"COMPLETED"_s);
        QVERIFY(fulfilmentMatchesCondition(str(body, { "fulfil", "body", "fulfilment" }),
            str(body, { "quoteResponse", "body", "condition" })));
        if (d.payer == Side::Ours)
            ++p.oursPaidOk;
        else
            ++p.referencePaidOk;

        // The payee's names, from its backend through its PUT /parties to the payer's caller.
        QCOMPARE(str(body, { "to", "idSubValue" }), d.subId);
        QCOMPARE(str(body, { "to", "fspId" }), d.payeeFsp);
        QCOMPARE(str(body, { "to", "firstName" }), d.payeeNames.first);
        QCOMPARE(str(body, { "to", "middleName" }), d.payeeNames.middle);
        QCOMPARE(str(body, { "to", "lastName" }), d.payeeNames.last);

        // The payee's backend was asked for the party with its sub id ...
        QCOMPARE(d.payeeBackend->count("GET", lookup), lookupsBefore + 1);
        QCOMPARE(d.payeeBackend->last("GET", u"/parties/"_s).path, lookup);
        // ... and got the payer's names and the payee's sub id with the quote request ...
        const Json quote = d.payeeBackend->last("POST", u"/quoterequests"_s).json;
        QCOMPARE(str(quote, { "transactionId" }), str(body, { "transferId" }));
        QCOMPARE(str(quote, { "from", "firstName" }), PayerNames.first);
        QCOMPARE(str(quote, { "from", "middleName" }), PayerNames.middle);
        QCOMPARE(str(quote, { "from", "lastName" }), PayerNames.last);
        QCOMPARE(str(quote, { "from", "displayName" }), payerDisplay(d.payer));
        QCOMPARE(str(quote, { "to", "idValue" }), d.payee);
        QCOMPARE(str(quote, { "to", "idSubValue" }), d.subId);
        QCOMPARE(str(quote, { "note" }), u"Ōsaka → 大阪, شكرا"_s);
        // ... and with the transfer.
        const Json transfer = d.payeeBackend->last("POST", u"/transfers"_s).json;
        QCOMPARE(str(transfer, { "transferId" }), str(body, { "transferId" }));
        QCOMPARE(str(transfer, { "from", "firstName" }), PayerNames.first);
        QCOMPARE(str(transfer, { "from", "lastName" }), PayerNames.last);
        QCOMPARE(str(transfer, { "to", "idSubValue" }), d.subId);
    }
}

// -------------------------------------------------------------------------------------------------

void TestInteropConnector::wrongFulfilmentIsRefusedByBothPayers_data()
{
    peersRunAsConfigured_data();
}

void TestInteropConnector::wrongFulfilmentIsRefusedByBothPayers()
{
    // CHECK_ILP in effect on both payers. Both payees pass on a fulfilment their backend gives in
    // its POST /transfers answer (the reference's behaviour, which ours copies); here the payee's
    // backend answers with one that does not match the condition the payee sent with its quote.
    // The payer must compare sha256(fulfilment) with the condition and refuse: its outbound API
    // answers 500 ERROR_OCCURRED, never COMPLETED.
    QFETCH(QString, pair);
    Pair &p = pairFor(pair);
    const QByteArray wrong
        = QByteArray(32, '\x42')
              .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    struct Direction
    {
        Side payer;
        QString payee;
        Test::TestBackend *payeeBackend;
    };
    for (const Direction &d : { Direction { Side::Ours, RefPayee, p.refBackend.get() },
             Direction { Side::Reference, OurPayee, p.ourBackend.get() } }) {
        const QString what = d.payer == Side::Ours ? u"pm pays"_s : u"the reference pays"_s;
        d.payeeBackend->setAnswer("POST", u"/transfers"_s,
            { 200,
                Fspiop::serializeJson(Json { { "homeTransactionId", "wrong-fulfilment" },
                    { "fulfilment", wrong.toStdString() } }),
                0 });
        const int transfersBefore = d.payeeBackend->count("POST", u"/transfers"_s);
        if (d.payer == Side::Ours)
            ++p.oursPaidBadFulfilment;
        else
            ++p.referencePaidBadFulfilment;
        const auto outcome = runTransfer(p, d.payer,
            transferRequest(d.payee, {}, what + u", wrong fulfilment"_s, payerDisplay(d.payer)));
        d.payeeBackend->clearAnswers();
        QVERIFY(outcome);
        QVERIFY2(
            outcome->status == 500, qPrintable(what + u": "_s + QString::fromUtf8(outcome->raw)));
        const Json &body = outcome->body;
        QCOMPARE(str(body, { "transferState", "currentState" }), u"ERROR_OCCURRED"_s);
        // The payee did send that fulfilment (COMMITTED), and it does not match the condition.
        QCOMPARE(str(body, { "transferState", "fulfil", "body", "fulfilment" }),
            QString::fromLatin1(wrong));
        QCOMPARE(str(body, { "transferState", "fulfil", "body", "transferState" }), u"COMMITTED"_s);
        QVERIFY(!fulfilmentMatchesCondition(QString::fromLatin1(wrong),
            str(body, { "transferState", "quoteResponse", "body", "condition" })));
        QVERIFY2(QString::fromUtf8(outcome->raw).contains(u"Invalid fulfilment"_s),
            outcome->raw.constData());
        QCOMPARE(d.payeeBackend->count("POST", u"/transfers"_s), transfersBefore + 1);
    }
}

void TestInteropConnector::payeesRefuseAConditionNotTheQuotes_data()
{
    peersRunAsConfigured_data();
}

void TestInteropConnector::payeesRefuseAConditionNotTheQuotes()
{
    // CHECK_ILP in effect on both payees. The test speaks as the peer (it holds both signing
    // keys): a signed POST /quotes, answered by the payee with PUT /quotes to the real peer; then
    // a signed POST /transfers for that quote whose packet and condition were built with another
    // secret. The payee must compare the condition with its quote's and refuse: no backend
    // POST /transfers, and a PUT /transfers/{id}/error to the peer instead of a fulfilment.
    QFETCH(QString, pair);
    Pair &p = pairFor(pair);
    std::map<QString, Fspiop::Jws::SigningKey> keys;
    for (const auto &[fsp, path] :
        { std::pair { OurFsp, m_ourJwsKey }, std::pair { RefFsp, m_refJwsKey } }) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        auto key = Fspiop::Jws::SigningKey::fromPem(file.readAll());
        QVERIFY2(key, why(key).constData());
        keys.emplace(fsp, std::move(*key));
    }
    struct Direction
    {
        Side payee;
        QString payeeId;
        Test::TestBackend *payeeBackend;
    };
    for (const Direction &d : { Direction { Side::Reference, RefPayee, p.refBackend.get() },
             Direction { Side::Ours, OurPayee, p.ourBackend.get() } }) {
        const bool toOurs = d.payee == Side::Ours;
        const QString payeeFsp = toOurs ? OurFsp : RefFsp;
        const QString payerFsp = toOurs ? RefFsp : OurFsp;
        const QString what = toOurs ? u"pm-connector as payee"_s : u"the reference as payee"_s;
        const QString quoteId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString transferId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const Json payee = { { "partyIdInfo",
            { { "partyIdType", "MSISDN" }, { "partyIdentifier", utf8(d.payeeId) },
                { "fspId", utf8(payeeFsp) } } } };
        const Json payer = { { "partyIdInfo",
            { { "partyIdType", "MSISDN" }, { "partyIdentifier", "25644444444" },
                { "fspId", utf8(payerFsp) } } } };
        const Json quote = { { "quoteId", utf8(quoteId) }, { "transactionId", utf8(transferId) },
            { "payee", payee }, { "payer", payer }, { "amountType", "SEND" },
            { "amount", { { "currency", "USD" }, { "amount", "5" } } },
            { "transactionType",
                { { "scenario", "TRANSFER" }, { "initiator", "PAYER" },
                    { "initiatorType", "CONSUMER" } } } };
        const int quoteRequestsBefore = d.payeeBackend->count("POST", u"/quoterequests"_s);
        const int transfersBefore = d.payeeBackend->count("POST", u"/transfers"_s);
        if (toOurs)
            ++p.conditionToOurs;
        else
            ++p.conditionToReference;
        const auto quoted = sendSigned(
            p, d.payee, "POST", u"/quotes"_s, u"quotes"_s, quote, keys.at(payerFsp), payerFsp);
        QVERIFY2(quoted && quoted->status == 202,
            qPrintable(what + u": POST /quotes: "_s
                + (quoted ? QString::fromUtf8(quoted->body) : toOneLine(quoted.error()))));
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return d.payeeBackend->count("POST", u"/quoterequests"_s)
                             > quoteRequestsBefore;
                     },
                     20000),
            qPrintable(what + u": the backend was not asked for the quote"_s));
        // The payee answers the peer (PUT /quotes/{id}); wait until the peer has it, so the quote
        // is surely kept: the reference logs it, our connector records it in its store.
        // The body of the message our connector recorded with this direction and URL ending.
        const auto storedBody = [&p](const QString &direction, const QString &urlEnd) {
            const QString connection = u"interop-poll-"_s + p.name;
            QByteArray body;
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
                db.setDatabaseName(p.ours->storePath());
                db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
                if (db.open()) {
                    QSqlQuery query(db);
                    query.prepare(
                        u"SELECT body FROM messages WHERE direction = ? AND url LIKE ?"_s);
                    query.addBindValue(direction);
                    query.addBindValue(QString(u'%' + urlEnd));
                    if (query.exec() && query.next())
                        body = query.value(0).toByteArray();
                }
            }
            QSqlDatabase::removeDatabase(connection);
            return body;
        };
        const auto peerGotQuote = [&] {
            if (toOurs) {
                for (const auto &entry : p.sdk->logEntries()) {
                    if (entry.message.startsWith(u"JWS valid for request"_s)
                        && entry.message.contains(u"/quotes/"_s + quoteId))
                        return true;
                }
                return false;
            }
            return !storedBody(u"in"_s, u"/quotes/"_s + quoteId).isEmpty();
        };
        QVERIFY2(QTest::qWaitFor(peerGotQuote, 20000),
            qPrintable(what + u": the peer never got PUT /quotes/"_s + quoteId));

        // A packet and condition for this quote, built with a secret that is not the payee's.
        Json response = { { "transferAmount", { { "currency", "USD" }, { "amount", "5" } } } };
        const auto forged = Fspiop::Ilp::buildForQuote(
            Fspiop::Ilp::Version::V1, u"not-the-payees-secret", quote, response);
        QVERIFY2(forged, why(forged).constData());
        const Json transfer = { { "transferId", utf8(transferId) }, { "payerFsp", utf8(payerFsp) },
            { "payeeFsp", utf8(payeeFsp) },
            { "amount", { { "currency", "USD" }, { "amount", "5" } } },
            { "ilpPacket", forged->ilpPacket }, { "condition", forged->condition },
            { "expiration",
                utf8(QDateTime::currentDateTimeUtc().addSecs(60).toString(Qt::ISODateWithMs)) } };
        const auto transferValid
            = Fspiop::Schema::validate(Fspiop::Versions::V1_0, u"TransfersPostRequest", transfer);
        QVERIFY2(transferValid, why(transferValid).constData());
        const auto prepared = sendSigned(p, d.payee, "POST", u"/transfers"_s, u"transfers"_s,
            transfer, keys.at(payerFsp), payerFsp);
        QVERIFY2(prepared && prepared->status == 202,
            qPrintable(what + u": POST /transfers: "_s
                + (prepared ? QString::fromUtf8(prepared->body) : toOneLine(prepared.error()))));
        // The payee's answer is an error callback to the peer, recorded by our connector either
        // way (sent by it as payee, received from the reference as payee).
        const QString errorPath = u"/transfers/"_s + transferId + u"/error"_s;
        QByteArray errorBody;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         errorBody = storedBody(toOurs ? u"out"_s : u"in"_s, errorPath);
                         return !errorBody.isEmpty();
                     },
                     20000),
            qPrintable(what + u": no PUT "_s + errorPath));
        const Json error = Fspiop::parseJson(errorBody).value_or(Json());
        qInfo("%s: PUT %s %s", qPrintable(what), qPrintable(errorPath), errorBody.constData());
        // The reference answers every failure of a transfer prepare with 2001 (Internal server
        // error); ours names the check: 3100 (validation) and the reason.
        QCOMPARE(str(error, { "errorInformation", "errorCode" }), toOurs ? u"3100"_s : u"2001"_s);
        if (toOurs)
            QVERIFY2(
                str(error, { "errorInformation", "errorDescription" })
                    .startsWith(u"condition does not match the one sent with quote "_s + quoteId),
                errorBody.constData());
        QVERIFY(storedBody(toOurs ? u"out"_s : u"in"_s, u"/transfers/"_s + transferId).isEmpty());
        QCOMPARE(d.payeeBackend->count("POST", u"/transfers"_s), transfersBefore);
    }
}

void TestInteropConnector::forgedSignaturesAreRejectedBothWays_data()
{
    peersRunAsConfigured_data();
}

void TestInteropConnector::forgedSignaturesAreRejectedBothWays()
{
    // JWS validation is in effect on both sides, PUT /parties included: a request claiming to come
    // from the peer (FSPIOP-Source: the other connector) but signed with a key that is not the
    // peer's is answered 400 with FSPIOP error 3105 and goes no further (no backend call).
    QFETCH(QString, pair);
    Pair &p = pairFor(pair);
    const QString payeeId = u"25699990001"_s;
    const Json party = { { "party",
        { { "partyIdInfo",
              { { "partyIdType", "MSISDN" }, { "partyIdentifier", utf8(payeeId) },
                  { "fspId", "refdfsp" } } },
            { "personalInfo", { { "complexName", { { "firstName", "Forged" } } } } },
            { "name", "Forged Party" } } } };
    const auto partyValid
        = Fspiop::Schema::validate(Fspiop::Versions::V1_0, u"PartiesTypeIDPutResponse", party);
    QVERIFY2(partyValid, why(partyValid).constData());
    const QString quoteId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const Json quote = { { "quoteId", utf8(quoteId) },
        { "transactionId", utf8(QUuid::createUuid().toString(QUuid::WithoutBraces)) },
        { "payee",
            { { "partyIdInfo",
                { { "partyIdType", "MSISDN" }, { "partyIdentifier", utf8(OurPayee) } } } } },
        { "payer",
            { { "partyIdInfo",
                { { "partyIdType", "MSISDN" }, { "partyIdentifier", "25644444444" } } } } },
        { "amountType", "SEND" }, { "amount", { { "currency", "USD" }, { "amount", "1" } } },
        { "transactionType",
            { { "scenario", "TRANSFER" }, { "initiator", "PAYER" },
                { "initiatorType", "CONSUMER" } } } };
    const auto quoteValid
        = Fspiop::Schema::validate(Fspiop::Versions::V1_0, u"QuotesPostRequest", quote);
    QVERIFY2(quoteValid, why(quoteValid).constData());

    struct Case
    {
        Side target;
        QByteArray method;
        QString path;
        QString resource;
        const Json *body;
    };
    const QList<Case> cases {
        { Side::Reference, "PUT", u"/parties/MSISDN/"_s + payeeId, u"parties"_s, &party },
        { Side::Reference, "POST", u"/quotes"_s, u"quotes"_s, &quote },
        { Side::Ours, "PUT", u"/parties/MSISDN/"_s + payeeId, u"parties"_s, &party },
        { Side::Ours, "POST", u"/quotes"_s, u"quotes"_s, &quote },
    };
    const int refCallsBefore = int(p.refBackend->calls().size());
    const int ourCallsBefore = int(p.ourBackend->calls().size());
    for (const Case &c : cases) {
        const bool toOurs = c.target == Side::Ours;
        const QString what = u"%1 %2 to %3"_s.arg(
            QString::fromLatin1(c.method), c.path, toOurs ? u"pm-connector"_s : u"the reference"_s);
        if (!toOurs)
            ++p.forgedToReference;
        const auto answer = sendSigned(p, c.target, c.method, c.path, c.resource, *c.body,
            *m_rogueKey, toOurs ? RefFsp : OurFsp);
        QVERIFY2(
            answer, qPrintable(what + u": "_s + (answer ? QString() : toOneLine(answer.error()))));
        QVERIFY2(answer->status == 400,
            qPrintable(
                what + u": HTTP %1 %2"_s.arg(answer->status).arg(QString::fromUtf8(answer->body))));
        const Json error = Fspiop::parseJson(answer->body).value_or(Json());
        QVERIFY2(str(error, { "errorInformation", "errorCode" }) == u"3105",
            qPrintable(what + u": "_s + QString::fromUtf8(answer->body)));
        if (toOurs)
            m_directAnswers.append({ u"ErrorInformationResponse"_s,
                u"%1-forged-%2-%3"_s.arg(p.name, c.resource, QString::fromLatin1(c.method)),
                answer->body });
    }
    // Nothing was processed: neither backend was called (a forged POST /quotes would otherwise
    // reach POST /quoterequests at once).
    QTest::qWait(300);
    QCOMPARE(int(p.refBackend->calls().size()), refCallsBefore);
    QCOMPARE(int(p.ourBackend->calls().size()), ourCallsBefore);
}

// -------------------------------------------------------------------------------------------------

void TestInteropConnector::everyMessageOurConnectorSentPassesAjv()
{
    // Each pm-connector stops (SIGTERM: graceful, the store is flushed); then every FSPIOP message
    // with a body it sent is read from its store, where the raw bytes it put on the wire are kept,
    // and checked by ajv against the official schemas (tests/schema/validate.mjs, the pinned ajv),
    // together with the error answers it gave this test directly (404 to GET /, 400 to forged
    // signatures), which are not stored.
    //
    // The same records show JWS signing in effect on both sides: every message with a body our
    // connector sent carries an FSPIOP-Signature that our verifier accepts over the stored raw
    // bytes with pmdfsp's public key, and every one the reference sent us verifies with refdfsp's
    // key; PUT /parties included, in both directions.
    const QString messagesDir = m_dir.filePath(u"sent-messages"_s);
    QVERIFY(QDir(messagesDir).removeRecursively() || !QDir(messagesDir).exists());
    std::map<QString, Fspiop::Jws::VerificationKey> publicKeys;
    for (const QString &fsp : { OurFsp, RefFsp }) {
        QFile file(m_verifyDir + u'/' + fsp + u".pem"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        auto key = Fspiop::Jws::VerificationKey::fromPem(file.readAll());
        QVERIFY2(key, why(key).constData());
        publicKeys.emplace(fsp, std::move(*key));
    }
    const Fspiop::Jws::KeyLookup lookup
        = [&publicKeys](const QString &source) -> std::optional<Fspiop::Jws::VerificationKey> {
        const auto it = publicKeys.find(source);
        return it == publicKeys.end() ? std::nullopt : std::optional(it->second);
    };
    int expected = 0;
    int written = 0;
    std::map<QString, int> perType;
    for (auto &pair : m_pairs) {
        Pair &p = *pair;
        const auto stopped = p.ours->stop();
        QVERIFY2(stopped, why(stopped).constData());
        QVERIFY2(*stopped == 0,
            qPrintable(u"pm-connector (%1) exited with %2\n%3"_s.arg(p.name).arg(*stopped).arg(
                p.ours->logTail())));
        // Per transfer that reached the fulfilment (completed, or refused for a wrong one): as
        // payer POST /quotes and POST /transfers (GET /parties has no body); as payee PUT
        // /parties, PUT /quotes, PUT /transfers; as payee of an unknown party PUT
        // /parties/.../error.
        expected += 2 * (p.oursPaidOk + p.oursPaidBadFulfilment)
            + 3 * (p.referencePaidOk + p.referencePaidBadFulfilment) + p.referencePaidUnknown
            + 2 * p.conditionToOurs; // PUT /quotes, PUT /transfers/{id}/error

        const QString connection = u"interop-store-"_s + p.name;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
            db.setDatabaseName(p.ours->storePath());
            db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
            QSqlQuery query(db);
            QVERIFY2(query.exec(u"SELECT id, kind, method, url, headers, body, direction "
                                u"FROM messages ORDER BY id"_s),
                qPrintable(query.lastError().text()));
            std::map<QString, int> signedOut; ///< "METHOD resource" → verified signatures
            std::map<QString, int> signedIn;
            while (query.next()) {
                const QByteArray body = query.value(5).toByteArray();
                if (body.isEmpty())
                    continue;
                const QString kind = query.value(1).toString();
                const QString method = query.value(2).toString();
                const QStringList segments
                    = QUrl(query.value(3).toString()).path().split(u'/', Qt::SkipEmptyParts);
                const bool outgoing = query.value(6).toString() == u"out";
                QString contentType;
                Fspiop::Jws::HeaderList headers;
                for (const QJsonValue &field :
                    QJsonDocument::fromJson(query.value(4).toString().toUtf8()).array()) {
                    const QString name = field.toArray().at(0).toString();
                    const QString value = field.toArray().at(1).toString();
                    headers.append({ name.toLatin1(), value.toLatin1() });
                    if (name.compare(u"content-type"_s, Qt::CaseInsensitive) == 0)
                        contentType = value;
                }
                const QString where
                    = u"%1 message %2 (%3 %4 %5)"_s.arg(p.name, query.value(0).toString(),
                        outgoing ? u"sent"_s : u"received"_s, method, query.value(3).toString());
                if (kind != u"response") {
                    const auto verified = Fspiop::Jws::verify(headers, body, lookup);
                    QVERIFY2(
                        verified, qPrintable(where + u": "_s + QString::fromUtf8(why(verified))));
                    QCOMPARE(verified->source, outgoing ? OurFsp : RefFsp);
                    QVERIFY2(verified->bodyForm == Fspiop::Jws::BodyForm::Raw,
                        qPrintable(where + u": verified only over the "_s
                            + Fspiop::Jws::bodyFormName(verified->bodyForm) + u" form"_s));
                    ++(outgoing ? signedOut : signedIn)[method + u' ' + segments.value(0)];
                }
                if (!outgoing)
                    continue;
                const auto version
                    = QRegularExpression(u"version=(\\d+)\\.(\\d+)"_s).match(contentType);
                QVERIFY2(version.hasMatch(),
                    qPrintable(u"message %1 has content-type %2"_s.arg(
                        query.value(0).toString(), contentType)));
                QString type;
                if (kind == u"response")
                    type = u"ErrorInformationResponse"_s;
                else if (!segments.isEmpty() && segments.last() == u"error")
                    type = u"ErrorInformationObject"_s;
                else if (method == u"POST" && segments.value(0) == u"quotes")
                    type = u"QuotesPostRequest"_s;
                else if (method == u"POST" && segments.value(0) == u"transfers")
                    type = u"TransfersPostRequest"_s;
                else if (method == u"PUT" && segments.value(0) == u"parties")
                    type = u"PartiesTypeIDPutResponse"_s;
                else if (method == u"PUT" && segments.value(0) == u"quotes")
                    type = u"QuotesIDPutResponse"_s;
                else if (method == u"PUT" && segments.value(0) == u"transfers")
                    type = u"TransfersIDPutResponse"_s;
                QVERIFY2(!type.isEmpty(),
                    qPrintable(u"no schema type for %1 %2 %3"_s.arg(
                        kind, method, query.value(3).toString())));
                const QString dir
                    = messagesDir + u"/v%1_%2"_s.arg(version.captured(1), version.captured(2));
                QVERIFY(QDir().mkpath(dir));
                QVERIFY(writeFile(
                    u"%1/%2__%3-%4.json"_s.arg(dir, type, p.name, query.value(0).toString()),
                    body));
                ++written;
                ++perType[type];
            }
            // Both sides signed PUT /parties (JWS_SIGN_PUT_PARTIES) and every other leg with a
            // body.
            QStringList out, in;
            for (const auto &[leg, count] : signedOut)
                out << u"%1 %2"_s.arg(count).arg(leg);
            for (const auto &[leg, count] : signedIn)
                in << u"%1 %2"_s.arg(count).arg(leg);
            qInfo("pair %s: signatures verified on what pm-connector sent: %s; on what the "
                  "reference sent it: %s",
                qPrintable(p.name), qPrintable(out.join(u", "_s)), qPrintable(in.join(u", "_s)));
            // Transfers that went as far as the fulfilment, as payee and as payer.
            const int completedAsPayee = p.referencePaidOk + p.referencePaidBadFulfilment;
            const int completedAsPayer = p.oursPaidOk + p.oursPaidBadFulfilment;
            QCOMPARE(signedOut[u"PUT parties"_s], completedAsPayee + p.referencePaidUnknown);
            // payeesRefuseAConditionNotTheQuotes: the test's signed POST /quotes and POST
            // /transfers (as refdfsp) reach our connector, which answers PUT /quotes and PUT
            // /transfers/{id}/error; the reference answers ours the same way.
            QCOMPARE(signedOut[u"PUT quotes"_s], completedAsPayee + p.conditionToOurs);
            QCOMPARE(signedOut[u"PUT transfers"_s], completedAsPayee + p.conditionToOurs);
            QCOMPARE(signedOut[u"POST quotes"_s], completedAsPayer);
            QCOMPARE(signedOut[u"POST transfers"_s], completedAsPayer);
            QCOMPARE(signedIn[u"PUT parties"_s], completedAsPayer + p.oursPaidUnknown);
            QCOMPARE(signedIn[u"PUT quotes"_s], completedAsPayer + p.conditionToReference);
            QCOMPARE(signedIn[u"PUT transfers"_s], completedAsPayer + p.conditionToReference);
            QCOMPARE(signedIn[u"POST quotes"_s], completedAsPayee + p.conditionToOurs);
            QCOMPARE(signedIn[u"POST transfers"_s], completedAsPayee + p.conditionToOurs);
            QVERIFY(signedOut[u"PUT parties"_s] > 0 && signedIn[u"PUT parties"_s] > 0);
        }
        QSqlDatabase::removeDatabase(connection);
    }
    for (const DirectAnswer &answer : std::as_const(m_directAnswers)) {
        const QString dir = messagesDir + u"/v1_0"_s;
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(
            writeFile(u"%1/%2__%3.json"_s.arg(dir, answer.schemaType, answer.name), answer.body));
        ++written;
        ++expected;
        ++perType[answer.schemaType];
    }
    QStringList summary;
    for (const auto &[type, count] : perType)
        summary << u"%1 %2"_s.arg(count).arg(type);
    qInfo("our connector sent %d messages with a body: %s", written,
        qPrintable(summary.join(u", "_s)));
    QCOMPARE(written, expected);
    QVERIFY(expected > 0);

    const QString node = QStandardPaths::findExecutable(u"node"_s);
    QVERIFY2(!node.isEmpty(), "node is not installed (not on PATH)");
    QProcess ajv;
    ajv.setProcessChannelMode(QProcess::SeparateChannels);
    ajv.start(node,
        { QStringLiteral(PM_SOURCE_DIR "/tests/schema/validate.mjs"), messagesDir,
            QStringLiteral(PM_SOURCE_DIR "/resources/schemas") });
    QVERIFY2(ajv.waitForFinished(120000), "ajv (validate.mjs) did not finish within 120 s");
    const QString out = QString::fromUtf8(ajv.readAllStandardOutput()).trimmed();
    const QString err = QString::fromUtf8(ajv.readAllStandardError()).trimmed();
    QVERIFY2(ajv.exitStatus() == QProcess::NormalExit && ajv.exitCode() == 0,
        qPrintable(u"validate.mjs exit %1:\n%2\n%3"_s.arg(ajv.exitCode()).arg(out, err)));
    const auto counts = QRegularExpression(
        u"^ajv [0-9.]+: (\\d+) built messages valid, 0 broken messages judged alike, 0 problems"_s)
                            .match(out);
    QVERIFY2(counts.hasMatch(), qPrintable(out + u'\n' + err));
    QCOMPARE(counts.captured(1).toInt(), expected);
    qInfo("%s", qPrintable(out));
}

void TestInteropConnector::noPeerLoggedAnUnexpectedError()
{
    for (auto &pair : m_pairs) {
        Pair &p = *pair;
        // The reference: its error entries (see LogEntry::isError()).
        QVERIFY2(p.sdk->isRunning(), qPrintable(p.sdk->logTail()));
        // Each entry is matched as "msg" or, when its ctx carries an error, "msg | error message".
        const QList<ExpectedLog> refExpected {
            { QRegularExpression(u"^Request failed validation\\. \\| Couldn't match path /$"_s),
                p.probedReference, u"peersRunAsConfigured: GET / on its inbound port (3002)"_s },
            { QRegularExpression(u"^Inbound request failed JWS validation( \\|.*)?$"_s),
                p.forgedToReference,
                u"forgedSignaturesAreRejectedBothWays: signed with a key not the peer's"_s },
            { QRegularExpression(u"^Error in getParties( \\|.*)?$"_s), p.oursPaidUnknown,
                u"unknownPartyBothWays: its backend answers 404 {statusCode: 3204}"_s },
            { QRegularExpression(u"^Sending error response to pmdfsp( \\|.*)?$"_s),
                p.oursPaidUnknown + p.conditionToReference,
                u"unknownPartyBothWays, payeesRefuseAConditionNotTheQuotes: PUT .../error to us"_s },
            { QRegularExpression(u"^Error in prepareTransfer \\| ILP condition in transfer prepare "
                                 u"for [0-9a-f-]{36} does not match quote$"_s),
                p.conditionToReference,
                u"payeesRefuseAConditionNotTheQuotes: CHECK_ILP on the reference as payee"_s },
            { QRegularExpression(
                  u"^Error validating JWS: JsonWebTokenError: invalid signature(\\n|$)"_s),
                p.forgedToReference,
                u"forgedSignaturesAreRejectedBothWays: the same failure, told in the text"_s },
            // The reference as payer logs a failed transfer five times, without ctx.err.
            { QRegularExpression(u"^Error running transfer model: BackendError: Got an error "
                                 u"response resolving party"_s),
                p.referencePaidUnknown,
                u"unknownPartyBothWays: our PUT /parties/.../error 3204"_s },
            { QRegularExpression(u"^Error handling (postTransfers|putTransfers): BackendError: Got "
                                 u"an error response resolving party"_s),
                p.referencePaidUnknown, u"unknownPartyBothWays: its outbound API answers 500"_s },
            { QRegularExpression(u"^Error running transfer model: Error: Invalid fulfilment "
                                 u"received from peer DFSP\\."_s),
                p.referencePaidBadFulfilment,
                u"wrongFulfilmentIsRefusedByBothPayers: CHECK_ILP refuses our backend's fulfilment"_s },
            { QRegularExpression(u"^Error handling (postTransfers|putTransfers): Error: Invalid "
                                 u"fulfilment received from peer DFSP\\."_s),
                p.referencePaidBadFulfilment,
                u"wrongFulfilmentIsRefusedByBothPayers: its outbound API answers 500"_s },
            { QRegularExpression(u"^Transfer [0-9a-f-]{36} is transitioning from \\w+ to errored "
                                 u"in response to error$"_s),
                p.referencePaidUnknown + p.referencePaidBadFulfilment,
                u"the reference's failed outbound transfers"_s },
            { QRegularExpression(u"^State machine is erroring with error"_s),
                p.referencePaidUnknown + p.referencePaidBadFulfilment,
                u"the reference's failed outbound transfers"_s },
            { QRegularExpression(u"^State machine transitioned: \\w+ -> errored$"_s),
                p.referencePaidUnknown + p.referencePaidBadFulfilment,
                u"the reference's failed outbound transfers"_s },
        };
        QList<std::pair<int, QString>> refErrors;
        for (const auto &entry : p.sdk->logErrors()) {
            const Json json = Fspiop::parseJson(entry.line).value_or(Json());
            QString error = str(json, { "ctx", "err", "message" });
            if (error.startsWith(u'<'))
                error = str(json, { "ctx", "error", "message" });
            refErrors.append({ entry.lineNumber,
                error.startsWith(u'<') ? entry.message : entry.message + u" | "_s + error });
        }
        const QStringList refProblems = compareLog(refErrors, refExpected);
        QVERIFY2(refProblems.isEmpty(),
            qPrintable(u"reference (%1), %2:\n"_s.arg(p.name, p.sdk->logPath())
                + refProblems.join(u'\n')));
        QFile stderrFile(p.sdk->stderrPath());
        QVERIFY(stderrFile.open(QIODevice::ReadOnly));
        const QByteArray stderrText = stderrFile.readAll();
        QVERIFY2(!stderrText.contains("Error"), stderrText.constData());

        // Our connector: every stderr line at warning level or worse. It was stopped by
        // everyMessageOurConnectorSentPassesAjv (stop here when that function did not run).
        const auto stopped = p.ours->stop();
        QVERIFY2(stopped && *stopped == 0, stopped ? "exit code not 0" : why(stopped).constData());
        const QList<ExpectedLog> ourExpected {
            { QRegularExpression(u"^CACHE_URL \\(environment\\) is ignored"_s), 1,
                u"started with the reference's settings: no Redis here"_s },
            { QRegularExpression(u"^ENABLE_TEST_FEATURES \\(environment\\) is ignored"_s), 1,
                u"started with the reference's settings: no test server here"_s },
            { QRegularExpression(u"^PM4ML_ENABLED \\(environment\\) is ignored"_s), 1,
                u"started with the reference's settings: no PM4ML management API here"_s },
            { QRegularExpression(u"^LOG_INDENT \\(environment\\) is ignored"_s), 1,
                u"started with the reference's settings: log format is our own"_s },
            // Failed transfers are logged at info level; the ones the test causes are expected.
            { QRegularExpression(u"^\\[info pm\\.connector\\.outbound\\] transfer [0-9a-f-]{36} "
                                 u"failed: Got an error response resolving party: .*\"3204\""_s),
                p.oursPaidUnknown, u"unknownPartyBothWays: the reference's 3204"_s },
            { QRegularExpression(u"^\\[info pm\\.connector\\.payee\\] error callback "
                                 u"/parties/MSISDN/\\d+: 3204 Party not found$"_s),
                p.referencePaidUnknown, u"unknownPartyBothWays: our backend's 404"_s },
            { QRegularExpression(u"^\\[info pm\\.connector\\.outbound\\] transfer [0-9a-f-]{36} "
                                 u"failed: Invalid fulfilment received from peer DFSP\\.$"_s),
                p.oursPaidBadFulfilment,
                u"wrongFulfilmentIsRefusedByBothPayers: CHECK_ILP refuses the fulfilment"_s },
        };
        // The CLI's warnings are matched on their text; any other problem line keeps its level and
        // category, so it matches nothing expected and is reported whole. Lines below warning
        // level count too when their text tells of a failure (the same words as the reference's
        // LogEntry::isError()).
        static const QRegularExpression failureWords(
            u"\\b(error|errors|errored|erroring|failed|failure|exception)\\b"_s,
            QRegularExpression::CaseInsensitiveOption);
        QList<std::pair<int, QString>> ourMessages;
        for (const auto &line : p.ours->logLines()) {
            if (!line.isProblem() && !failureWords.match(line.message).hasMatch())
                continue;
            const bool cliWarning = line.level == u"warning" && line.category == u"pm-connector";
            ourMessages.append({ line.lineNumber,
                cliWarning ? line.message
                           : u"[%1 %2] %3"_s.arg(line.level, line.category, line.message) });
        }
        const QStringList problems = compareLog(ourMessages, ourExpected);
        QVERIFY2(problems.isEmpty(),
            qPrintable(u"pm-connector (%1), %2:\n"_s.arg(p.name, p.ours->logPath())
                + problems.join(u'\n')));
        qInfo(
            "pair %s: reference log %lld entries (%lld error entries, all expected); pm-connector "
            "log %lld lines (%lld at warning level or telling of a failure, all expected)",
            qPrintable(p.name), qlonglong(p.sdk->logEntries().size()), qlonglong(refErrors.size()),
            qlonglong(p.ours->logLines().size()), qlonglong(ourMessages.size()));
    }
}

void TestInteropConnector::cleanupTestCase()
{
    QElapsedTimer step;
    step.start();
    for (auto &pair : m_pairs) {
        // A pair whose start failed in initTestCase may have neither process.
        if (pair->ours)
            (void)pair->ours->stop();
        if (pair->sdk)
            pair->sdk->stop();
    }
    m_redis.stop();
    m_durations[u"stopping"_s] = step.elapsed();
    QStringList parts;
    for (const auto &[what, ms] : m_durations)
        parts << u"%1 %2 ms"_s.arg(what).arg(ms);
    qInfo("durations: %s; whole test %lld ms", qPrintable(parts.join(u"; "_s)),
        qlonglong(m_clock.elapsed()));
}

QTEST_GUILESS_MAIN(TestInteropConnector)
#include "tst_interop_connector.moc"
