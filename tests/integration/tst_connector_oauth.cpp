// OAuth2 client credentials towards the hub: a real token endpoint (our HTTP server on 127.0.0.1)
// that checks Basic auth and the form body, and a hub that checks the bearer on every request.

#include "core/connector/connector.h"
#include "core/fspiop/datatypes.h"
#include "core/fspiop/headers.h"
#include "tests/integration/connectorkit.h"
#include "tests/support/testbackend.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Test;

class TestConnectorOAuth : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void tokensOnEveryRequestRefreshedAndRetried();
    void noTokenMeansNoRequest();

private:
    struct HubCall
    {
        QByteArray method;
        QString path;
        QByteArray bearer;
        int status = 0;
    };

    void startConnector(int authRetries);
    Net::HttpHeaders inboundHeaders(const QString &resource, bool withAccept) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TestBackend> m_backend;
    std::unique_ptr<Net::HttpServer> m_tokenServer;
    std::unique_ptr<Net::HttpServer> m_hub;
    std::unique_ptr<Net::HttpClient> m_client;
    std::unique_ptr<Connector::Connector> m_connector;

    // Token endpoint.
    QStringList m_tokenProblems;           ///< requests that were not proper client-credentials calls
    int m_tokenRequests = 0;
    QList<int> m_tokenStatuses;            ///< answer to request i (default 200)
    QList<qint64> m_expiresIn;             ///< expires_in of the i-th issued token (default 3600)
    QList<QByteArray> m_issued;            ///< tokens issued, in order

    // Hub.
    QSet<QByteArray> m_revoked;
    QList<HubCall> m_hubCalls;
    QStringList m_hubProblems;             ///< requests without a valid bearer
};

void TestConnectorOAuth::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_backend = std::make_unique<TestBackend>();
    QVERIFY(m_backend->start());
    m_backend->addParty(Json{{"idType", "MSISDN"}, {"idValue", "123456"}, {"displayName", "Ana B"},
                             {"firstName", "Ana"}, {"lastName", "B"}});
    m_tokenProblems.clear();
    m_tokenRequests = 0;
    m_tokenStatuses.clear();
    m_expiresIn.clear();
    m_issued.clear();
    m_revoked.clear();
    m_hubCalls.clear();
    m_hubProblems.clear();

    m_tokenServer = Net::createHttpServer();
    m_tokenServer->setHandler([this](Net::HttpRequest r, Net::HttpResponder responder) {
        const int index = m_tokenRequests++;
        if (r.method != "POST" || r.path != u"/oauth2/token"_s)
            m_tokenProblems.append(u"request %1: %2 %3"_s.arg(index).arg(QString::fromLatin1(r.method), r.path));
        if (r.headers.value("authorization") != "Basic " + QByteArray("pm-client:s3cr3t").toBase64())
            m_tokenProblems.append(u"request %1: authorization '%2'"_s.arg(index).arg(QString::fromLatin1(r.headers.value("authorization"))));
        if (!r.headers.value("content-type").startsWith("application/x-www-form-urlencoded"))
            m_tokenProblems.append(u"request %1: content-type '%2'"_s.arg(index).arg(QString::fromLatin1(r.headers.value("content-type"))));
        if (r.body != "grant_type=client_credentials")
            m_tokenProblems.append(u"request %1: body '%2'"_s.arg(index).arg(QString::fromLatin1(r.body)));
        const int status = m_tokenStatuses.value(index, 200);
        if (status != 200) {
            responder.respond(status, Net::HttpHeaders{{"Content-Type", "application/json"}}, R"({"error":"temporarily_unavailable"})");
            return;
        }
        const QByteArray token = "tok-" + QByteArray::number(m_issued.size() + 1);
        const qint64 expiresIn = m_expiresIn.value(m_issued.size(), 3600);
        m_issued.append(token);
        const QByteArray body = Fspiop::serializeJson(Json{{"access_token", token.toStdString()},
                                                           {"token_type", "bearer"}, {"expires_in", expiresIn}});
        responder.respond(200, Net::HttpHeaders{{"Content-Type", "application/json"}}, body);
    });
    QVERIFY(m_tokenServer->listen({}));

    m_hub = Net::createHttpServer();
    m_hub->setHandler([this](Net::HttpRequest r, Net::HttpResponder responder) {
        HubCall call{r.method, r.path, {}, 0};
        const QByteArray auth = r.headers.value("authorization");
        if (auth.startsWith("Bearer "))
            call.bearer = auth.mid(7);
        if (!m_issued.contains(call.bearer)) {
            m_hubProblems.append(u"%1 %2 with authorization '%3'"_s.arg(QString::fromLatin1(r.method), r.path,
                                                                       QString::fromLatin1(auth)));
            call.status = 401;
        } else if (m_revoked.contains(call.bearer)) {
            call.status = 401;
        } else {
            call.status = r.method == "PUT" ? 200 : 202;
        }
        m_hubCalls.append(call);
        if (call.status == 401) {
            responder.respond(401, Net::HttpHeaders{{"Content-Type", "application/json"}},
                              R"({"errorInformation":{"errorCode":"3000","errorDescription":"Unauthorized"}})");
            return;
        }
        responder.respond(call.status);
    });
    QVERIFY(m_hub->listen({}));
    m_client = Net::createHttpClient();
}

void TestConnectorOAuth::cleanup()
{
    if (m_connector)
        m_connector->stop();
    m_connector.reset();
    m_client.reset();
    m_hub.reset();
    m_tokenServer.reset();
    m_backend.reset();
}

void TestConnectorOAuth::startConnector(int authRetries)
{
    auto c = testConfig(u"payerfsp"_s, 0, m_hub->serverPort(), m_backend->port(), {}, {});
    c.jwsSign = false;
    c.validateInboundJws = false;
    c.http.retries = 0;
    c.requestProcessingTimeoutSeconds = 30;
    c.oauth.tokenEndpoint = QUrl(u"http://127.0.0.1:%1/oauth2/token"_s.arg(m_tokenServer->serverPort()));
    c.oauth.clientKey = u"pm-client"_s;
    c.oauth.clientSecret = u"s3cr3t"_s;
    c.oauth.refreshSeconds = 600; // tokens of an hour are kept for the whole test
    c.oauth.refreshRetrySeconds = 1;
    c.oauth.authFailureRetries = authRetries;
    c.oauth.bearerToken = u"static-token-not-used"_s;
    m_connector = std::make_unique<Connector::Connector>(c, m_dir->filePath(u"data"_s));
    auto started = m_connector->start();
    QVERIFY2(started, qPrintable(started ? QString() : started.error().message));
}

Net::HttpHeaders TestConnectorOAuth::inboundHeaders(const QString &resource, bool withAccept) const
{
    Net::HttpHeaders h;
    h.add("Content-Type", Fspiop::contentType(resource, Fspiop::Versions::V1_0).toLatin1());
    if (withAccept)
        h.add("Accept", Fspiop::acceptType(resource, Fspiop::Versions::V1_0).toLatin1());
    h.add("Date", Fspiop::currentHttpDate().toLatin1());
    h.add("FSPIOP-Source", "payeefsp");
    h.add("FSPIOP-Destination", "payerfsp");
    return h;
}

void TestConnectorOAuth::tokensOnEveryRequestRefreshedAndRetried()
{
    // Token requests 1 and 2 fail (503): each retried after OAUTH_REFRESH_RETRY_SECONDS. Token 1 lives 1 s
    // (refreshed early), the next ones an hour.
    m_tokenStatuses = {503, 503};
    m_expiresIn = {1};
    startConnector(1);
    QTRY_VERIFY_WITH_TIMEOUT(m_tokenRequests >= 1, 20000);

    // An outbound lookup before any token exists waits for one rather than going out without.
    QVERIFY(m_issued.isEmpty()); // the token server runs on this thread: nothing issued yet
    const QString outbound = u"http://127.0.0.1:%1"_s.arg(m_connector->ports().outbound);
    std::optional<Net::HttpClientResult> lookup;
    QObject context;
    Net::HttpClientRequest request;
    request.url = QUrl(outbound + u"/parties/MSISDN/777"_s);
    request.timeout = std::chrono::milliseconds(60000);
    m_client->send(std::move(request), &context, [&](Net::HttpClientResult r) { lookup = std::move(r); });

    QTRY_VERIFY_WITH_TIMEOUT(!m_hubCalls.isEmpty(), 30000);
    QCOMPARE(m_hubCalls.first().method, "GET"_ba);
    QCOMPARE(m_hubCalls.first().path, u"/parties/MSISDN/777"_s);
    QVERIFY(m_tokenRequests >= 3); // two 503s, then the retry that gave the token
    QVERIFY(!m_hubCalls.first().bearer.isEmpty());

    // The payee's answer completes the lookup.
    const Json party{{"party", Json{{"partyIdInfo", Json{{"partyIdType", "MSISDN"}, {"partyIdentifier", "777"},
                                                          {"fspId", "payeefsp"}}}}}};
    auto put = call(*m_client, "PUT",
                    QUrl(u"http://127.0.0.1:%1/parties/MSISDN/777"_s.arg(m_connector->ports().inbound)),
                    Fspiop::serializeJson(party), inboundHeaders(u"parties"_s, false));
    QVERIFY(put);
    QCOMPARE(put->status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(lookup.has_value(), 30000);
    QVERIFY(*lookup);
    QCOMPARE((*lookup)->status, 200);

    // Token 1 expires in 1 s: a second token is fetched before that.
    QTRY_VERIFY_WITH_TIMEOUT(m_issued.size() >= 2, 30000);

    // A callback (the payee side answering a lookup) carries the current token.
    auto get = call(*m_client, "GET",
                    QUrl(u"http://127.0.0.1:%1/parties/MSISDN/123456"_s.arg(m_connector->ports().inbound)),
                    {}, inboundHeaders(u"parties"_s, true));
    QVERIFY(get);
    QCOMPARE(get->status, 202);
    QTRY_VERIFY_WITH_TIMEOUT(m_hubCalls.size() >= 2, 30000);
    QCOMPARE(m_hubCalls.last().method, "PUT"_ba);
    QCOMPARE(m_hubCalls.last().path, u"/parties/MSISDN/123456"_s);
    QCOMPARE(m_hubCalls.last().bearer, m_issued.last());
    QCOMPARE(m_hubCalls.last().status, 200);

    // The hub stops accepting the current token: the 401 fetches a new one and the callback is
    // sent once more with it.
    const QByteArray old = m_issued.last();
    const int issuedBefore = int(m_issued.size());
    m_revoked.insert(old);
    const int callsBefore = int(m_hubCalls.size());
    get = call(*m_client, "GET",
               QUrl(u"http://127.0.0.1:%1/parties/MSISDN/123456"_s.arg(m_connector->ports().inbound)),
               {}, inboundHeaders(u"parties"_s, true));
    QVERIFY(get);
    QCOMPARE(get->status, 202);
    QTRY_VERIFY_WITH_TIMEOUT(m_hubCalls.size() >= callsBefore + 2, 30000);
    QCOMPARE(m_hubCalls.at(callsBefore).bearer, old);
    QCOMPARE(m_hubCalls.at(callsBefore).status, 401);
    QCOMPARE(m_hubCalls.at(callsBefore + 1).path, u"/parties/MSISDN/123456"_s);
    QCOMPARE(m_issued.size(), issuedBefore + 1);
    QCOMPARE(m_hubCalls.at(callsBefore + 1).bearer, m_issued.last());
    QCOMPARE(m_hubCalls.at(callsBefore + 1).status, 200);

    QVERIFY2(m_tokenProblems.isEmpty(), qPrintable(m_tokenProblems.join(u"; "_s)));
    QVERIFY2(m_hubProblems.isEmpty(), qPrintable(m_hubProblems.join(u"; "_s)));

    // The store keeps that a bearer was sent, not the token itself.
    std::vector<Store::MessageRecord> messages;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            auto found = m_connector->store()->messages().byCorrelationId(u"MSISDN/777"_s);
            if (found)
                messages = *found;
            return !messages.empty();
        }(),
        10000);
    for (const auto &m : messages) {
        for (const auto &[name, value] : m.headers) {
            if (name.toLower() == "authorization")
                QCOMPARE(value, "Bearer ********"_ba);
        }
    }
}

void TestConnectorOAuth::noTokenMeansNoRequest()
{
    // The endpoint never gives a token: the hub sees nothing, and the caller gets an error naming
    // OAUTH_TOKEN_ENDPOINT once its wait is over.
    m_tokenStatuses = QList<int>(100, 500);
    auto c = testConfig(u"payerfsp"_s, 0, m_hub->serverPort(), m_backend->port(), {}, {});
    c.jwsSign = false;
    c.validateInboundJws = false;
    c.http.retries = 0;
    c.http.timeoutMs = 1500; // how long a request waits for a token
    c.oauth.tokenEndpoint = QUrl(u"http://127.0.0.1:%1/oauth2/token"_s.arg(m_tokenServer->serverPort()));
    c.oauth.clientKey = u"pm-client"_s;
    c.oauth.clientSecret = u"s3cr3t"_s;
    c.oauth.refreshRetrySeconds = 1;
    m_connector = std::make_unique<Connector::Connector>(c, m_dir->filePath(u"data"_s));
    QVERIFY(m_connector->start());

    const QString outbound = u"http://127.0.0.1:%1"_s.arg(m_connector->ports().outbound);
    auto r = call(*m_client, "GET", QUrl(outbound + u"/parties/MSISDN/777"_s), {}, {}, 60000);
    QVERIFY(r);
    QCOMPARE(r->status, 404); // the lookup's error answer
    const Json body = parse(r->body);
    QVERIFY2(qs(body["errorInformation"], "errorDescription").contains(u"OAUTH_TOKEN_ENDPOINT"_s), r->body.constData());
    QVERIFY(m_hubCalls.isEmpty());
    QVERIFY(m_tokenRequests >= 1);
}

QTEST_GUILESS_MAIN(TestConnectorOAuth)
#include "tst_connector_oauth.moc"
