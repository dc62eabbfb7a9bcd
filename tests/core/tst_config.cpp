#include "core/connector/config.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Pm::Connector;

namespace {

/** One row of the per-setting table: a good value and how describe() shows it; a bad value and its
 * error. */
struct SettingRow
{
    QString name;
    QString good;
    QString shown;
    QString bad; ///< empty: the setting accepts every value
    QString error; ///< the exact message for `bad`
    QStringList extra; ///< other variables the good value needs ("NAME=value")
};

QString absolute(const QString &path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

QString boolError(const QString &name)
{
    return name + u" (environment): \"maybe\" is not a boolean (true/false, 1/0, yes/no, on/off)"_s;
}

const QString kEndpointShape
    = u" is not host:port[/base] (for example hub.example.com:3000 or 10.0.0.5:4000/switch)"_s;

} // namespace

class TestConfig : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_key, m_cert, m_ca, m_ca2, m_template, m_keysDir;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write a test file");
        file.write(content);
        return path;
    }

    /** The required settings, and the signing key that the default JWS_SIGN=true needs. */
    QProcessEnvironment baseEnv() const
    {
        QProcessEnvironment env;
        env.insert(u"PEER_ENDPOINT"_s, u"hub:3000"_s);
        env.insert(u"BACKEND_ENDPOINT"_s, u"backend:3001"_s);
        env.insert(u"JWS_SIGNING_KEY_PATH"_s, m_key);
        return env;
    }

    static void insertAll(QProcessEnvironment &env, const QStringList &assignments)
    {
        for (const QString &assignment : assignments) {
            const qsizetype eq = assignment.indexOf(u'=');
            env.insert(assignment.left(eq), assignment.mid(eq + 1));
        }
    }

    static QString describedValue(const ConnectorConfig &config, const QString &name)
    {
        const QStringList lines = describe(config);
        for (const QString &line : lines) {
            if (line.startsWith(name + u'='))
                return line.mid(name.size() + 1);
        }
        return u"<missing>"_s;
    }

    std::vector<SettingRow> settingRows() const
    {
        const QString missing = m_dir.filePath(u"missing.pem"_s);
        const QString inboundTls = u"INBOUND_MUTUAL_TLS_ENABLED=true"_s;
        const QStringList inboundFiles { u"IN_CA_CERT_PATH="_s + m_ca,
            u"IN_SERVER_CERT_PATH="_s + m_cert, u"IN_SERVER_KEY_PATH="_s + m_key };
        const QStringList outboundFiles { u"OUT_CLIENT_CERT_PATH="_s + m_cert,
            u"OUT_CLIENT_KEY_PATH="_s + m_key };
        const QStringList oauthCredentials { u"OAUTH_CLIENT_KEY=client"_s,
            u"OAUTH_CLIENT_SECRET=secret"_s };
        auto env = [](const QString &name) -> QString { return name + u" (environment): "_s; };
        auto boolRow = [](const QString &name, bool defaultValue, QStringList extra = {}) {
            return SettingRow { name, defaultValue ? u"FALSE"_s : u"TRUE"_s,
                defaultValue ? u"false"_s : u"true"_s, u"maybe"_s, boolError(name), extra };
        };
        auto fileRow = [&](const QString &name) {
            return SettingRow { name, m_cert, absolute(m_cert), missing,
                env(name) + u"file \""_s + missing + u"\" does not exist"_s, {} };
        };
        auto numberRow = [&](const QString &name, const QString &good, const QString &bad,
                             const QString &range) {
            return SettingRow { name, good, good, bad,
                env(name) + u'"' + bad + u"\" is not a whole number ("_s + range + u')', {} };
        };
        auto portRow = [&](const QString &name, const QString &good, const QString &bad) {
            return SettingRow { name, good, good, bad,
                env(name) + u'"' + bad
                    + u"\" is not a port number (0-65535; 0 picks a free port)"_s,
                {} };
        };
        const QString versionsWithParties11
            = u"authorizations=1.0,bulkQuotes=1.0,bulkTransfers=1.0,fxQuotes=2.0,fxTransfers=2.0,"
              u"participants=1.0,"
              u"parties=1.1,ping=2.0,quotes=1.0,transactionRequests=1.0,transfers=1.0"_s;

        return {
            { u"DFSP_ID"_s, u" payerfsp "_s, u"payerfsp"_s, u"has space"_s,
                env(u"DFSP_ID"_s)
                    + u"\"has space\" is not an FSP id (1 to 32 printable ASCII characters, no spaces)"_s,
                {} },
            { u"LISTEN_ADDRESS"_s, u"0.0.0.0"_s, u"0.0.0.0"_s, u"example.com"_s,
                env(u"LISTEN_ADDRESS"_s)
                    + u"\"example.com\" is not an IP address (for example 127.0.0.1, ::1, or * for every interface)"_s,
                {} },
            portRow(u"INBOUND_LISTEN_PORT"_s, u"5000"_s, u"abc"_s),
            portRow(u"OUTBOUND_LISTEN_PORT"_s, u"5001"_s, u"65536"_s),
            portRow(u"METRICS_SERVER_LISTEN_PORT"_s, u"0"_s, u"-1"_s),
            { u"PEER_ENDPOINT"_s, u"switch.example.com:443/api"_s, u"switch.example.com:443/api"_s,
                u"ftp://hub:21"_s,
                env(u"PEER_ENDPOINT"_s)
                    + u"\"ftp://hub:21\" has the scheme ftp://; write host:port[/base], the scheme follows OUTBOUND_MUTUAL_TLS_ENABLED"_s,
                {} },
            { u"ALS_ENDPOINT"_s, u"als:4002"_s, u"als:4002"_s, u"als:port"_s,
                env(u"ALS_ENDPOINT"_s)
                    + u"\"als:port\" has no valid port (1-65535) after the ':'"_s,
                {} },
            { u"QUOTES_ENDPOINT"_s, u"quotes:4003/"_s, u"quotes:4003"_s, u"user@quotes:1"_s,
                env(u"QUOTES_ENDPOINT"_s) + u"\"user@quotes:1\""_s + kEndpointShape, {} },
            { u"TRANSFERS_ENDPOINT"_s, u"[::1]:4004"_s, u"[::1]:4004"_s, u"::1:4004"_s,
                env(u"TRANSFERS_ENDPOINT"_s) + u"\"::1:4004\""_s + kEndpointShape
                    + u"; put an IPv6 address in brackets"_s,
                {} },
            { u"TRANSACTION_REQUESTS_ENDPOINT"_s, u"tr:4005//base//x/"_s, u"tr:4005/base/x"_s,
                u"tr:4005/x?y=1"_s,
                env(u"TRANSACTION_REQUESTS_ENDPOINT"_s) + u"\"tr:4005/x?y=1\""_s + kEndpointShape,
                {} },
            { u"BACKEND_ENDPOINT"_s, u"http://core:3002"_s, u"core:3002"_s, u"https://core:3002"_s,
                env(u"BACKEND_ENDPOINT"_s)
                    + u"https:// is not supported: the backend is called over plain http, as the reference does"_s,
                {} },
            { u"CORE_CONNECTOR_TEMPLATE"_s, m_template, absolute(m_template), missing,
                env(u"CORE_CONNECTOR_TEMPLATE"_s) + u"file \""_s + missing + u"\" does not exist"_s,
                {} },
            boolRow(u"AUTO_ACCEPT_PARTY"_s, true),
            boolRow(u"AUTO_ACCEPT_QUOTES"_s, true),
            boolRow(u"ALLOW_TRANSFER_WITHOUT_QUOTE"_s, false),
            boolRow(u"ALLOW_DIFFERENT_TRANSFER_TRANSACTION_ID"_s, false),
            boolRow(u"USE_QUOTE_SOURCE_FSP_AS_TRANSFER_PAYEE_FSP"_s, false),
            boolRow(u"RESERVE_NOTIFICATION"_s, false),
            boolRow(u"SEND_FINAL_NOTIFICATION_IF_REQUESTED"_s, false),
            { u"SUPPORTED_CURRENCIES"_s, u"usd, EUR,,XOF,USD"_s, u"USD,EUR,XOF"_s, u"USD,EURO"_s,
                env(u"SUPPORTED_CURRENCIES"_s)
                    + u"\"EURO\" is not an ISO 4217 currency code (comma-separated, for example USD,EUR)"_s,
                {} },
            { u"ILP_VERSION"_s, u"v4"_s, u"4"_s, u"2"_s,
                env(u"ILP_VERSION"_s) + u"\"2\" is not an ILP version (1 or 4)"_s, {} },
            { u"ILP_SECRET"_s, u" any secret "_s, u"********"_s, {}, {}, {} },
            boolRow(u"CHECK_ILP"_s, true),
            numberRow(u"EXPIRY_SECONDS"_s, u"20"_s, u"0"_s, u"1 or more"_s),
            boolRow(u"REJECT_EXPIRED_QUOTE_RESPONSES"_s, false),
            boolRow(u"REJECT_TRANSFERS_ON_EXPIRED_QUOTES"_s, false),
            boolRow(u"REJECT_EXPIRED_TRANSFER_FULFILS"_s, false),
            numberRow(u"REQUEST_PROCESSING_TIMEOUT_SECONDS"_s, u"45"_s, u"1.5"_s, u"1 or more"_s),
            numberRow(u"PATCH_NOTIFICATION_GRACE_TIME_MS"_s, u"0"_s, u"-5"_s, u"0 or more"_s),
            boolRow(u"JWS_SIGN"_s, true),
            boolRow(u"JWS_SIGN_PUT_PARTIES"_s, false),
            { u"JWS_SIGNING_KEY_PATH"_s, m_key, absolute(m_key), m_keysDir,
                env(u"JWS_SIGNING_KEY_PATH"_s) + u'"' + m_keysDir + u"\" is not a file"_s, {} },
            boolRow(u"VALIDATE_INBOUND_JWS"_s, true),
            boolRow(u"VALIDATE_INBOUND_PUT_PARTIES_JWS"_s, false),
            { u"JWS_VERIFICATION_KEYS_DIRECTORY"_s, m_keysDir, absolute(m_keysDir), m_key,
                env(u"JWS_VERIFICATION_KEYS_DIRECTORY"_s) + u'"' + m_key
                    + u"\" is not a directory"_s,
                {} },
            boolRow(u"INBOUND_MUTUAL_TLS_ENABLED"_s, false, inboundFiles),
            { u"IN_CA_CERT_PATH"_s, m_ca + u" , "_s + m_ca2,
                absolute(m_ca) + u',' + absolute(m_ca2), m_ca + u',' + missing,
                env(u"IN_CA_CERT_PATH"_s) + u"file \""_s + missing + u"\" does not exist"_s, {} },
            fileRow(u"IN_SERVER_CERT_PATH"_s),
            fileRow(u"IN_SERVER_KEY_PATH"_s),
            boolRow(u"OUTBOUND_MUTUAL_TLS_ENABLED"_s, false, outboundFiles),
            fileRow(u"OUT_CA_CERT_PATH"_s),
            fileRow(u"OUT_CLIENT_CERT_PATH"_s),
            fileRow(u"OUT_CLIENT_KEY_PATH"_s),
            { u"OAUTH_TOKEN_ENDPOINT"_s, u"https://auth.example.com/token"_s,
                u"https://auth.example.com/token"_s, u"auth.example.com/token"_s,
                env(u"OAUTH_TOKEN_ENDPOINT"_s)
                    + u"\"auth.example.com/token\" is not an http or https URL (for example https://auth.example.com/token)"_s,
                oauthCredentials },
            { u"OAUTH_CLIENT_KEY"_s, u"client-1"_s, u"client-1"_s, u"a:b"_s,
                env(u"OAUTH_CLIENT_KEY"_s)
                    + u"a client key cannot contain ':' or control characters (HTTP Basic authentication)"_s,
                {} },
            { u"OAUTH_CLIENT_SECRET"_s, u"pa ss"_s, u"********"_s, u"a\nb"_s,
                env(u"OAUTH_CLIENT_SECRET"_s) + u"the secret contains control characters"_s, {} },
            numberRow(u"OAUTH_REFRESH_SECONDS"_s, u"300"_s, u"0"_s, u"1 or more"_s),
            numberRow(u"OAUTH_REFRESH_RETRY_SECONDS"_s, u"5"_s, u"x"_s, u"1 or more"_s),
            boolRow(u"OAUTH_MUTUAL_TLS_ENABLED"_s, false, outboundFiles),
            { u"OIDC_BEARER_TOKEN"_s, u"abc.def\n"_s, u"********"_s, u"abc def"_s,
                env(u"OIDC_BEARER_TOKEN"_s)
                    + u"the token has characters an HTTP header cannot carry (use printable ASCII, no spaces)"_s,
                {} },
            numberRow(u"OIDC_AUTH_FAILURE_REQUEST_RETRIES"_s, u"2"_s, u"two"_s, u"0 or more"_s),
            { u"RESOURCE_VERSIONS"_s, u"parties=1.1"_s, versionsWithParties11, u"parties=1.2"_s,
                env(u"RESOURCE_VERSIONS"_s)
                    + u"parties has version 1.2, which is not one of 1.0, 1.1, 2.0"_s,
                {} },
            { u"ID_GENERATOR"_s, u"{\"type\": \"ulid\"}"_s, u"'{\"type\":\"ulid\"}'"_s,
                u"{\"type\":\"snowflake\"}"_s,
                env(u"ID_GENERATOR"_s)
                    + u"\"{\"type\":\"snowflake\"}\" is not an id generator ({\"type\":\"uuid\"}, "
                      u"{\"type\":\"uuid\",\"version\":7}, {\"type\":\"ulid\"}, uuid or ulid)"_s,
                {} },
            { u"TRACE_FLAGS"_s, u"00"_s, u"00"_s, u"1"_s,
                env(u"TRACE_FLAGS"_s) + u"\"1\" is not two hexadecimal digits (for example 01)"_s,
                {} },
            numberRow(
                u"FSPIOP_API_SERVER_MAX_REQUEST_BYTES"_s, u"1048576"_s, u"0"_s, u"1 or more"_s),
            numberRow(u"BACKEND_API_SERVER_MAX_REQUEST_BYTES"_s, u"5000000000"_s,
                u"99999999999999999999"_s, u"1 or more"_s),
            { u"OUTBOUND_ERROR_STATUSCODE_EXTENSION_KEY"_s, u"errorCode"_s, u"errorCode"_s,
                QString(33, u'k'),
                env(u"OUTBOUND_ERROR_STATUSCODE_EXTENSION_KEY"_s) + u'"' + QString(33, u'k')
                    + u"\" is not an extension key (1 to 32 characters)"_s,
                {} },
            boolRow(u"BACKEND_REQUEST_RETRY_ENABLED"_s, true),
            numberRow(u"BACKEND_REQUEST_RETRY_MAX_RETRIES"_s, u"0"_s, u"x"_s, u"0 or more"_s),
            numberRow(u"BACKEND_REQUEST_RETRY_DELAY_MS"_s, u"500"_s, u"+5"_s, u"0 or more"_s),
            { u"BACKEND_REQUEST_RETRY_MAX_DELAY_MS"_s, u"20000"_s, u"20000"_s, u"2147483648"_s,
                env(u"BACKEND_REQUEST_RETRY_MAX_DELAY_MS"_s)
                    + u"\"2147483648\" is too large (at most 2147483647)"_s,
                {} },
            numberRow(u"BACKEND_REQUEST_RETRY_BACKOFF_FACTOR"_s, u"3"_s, u"0"_s, u"1 to 100"_s),
            numberRow(u"HTTP_DEFAULT_TIMEOUT"_s, u"0"_s, u"1e3"_s, u"0 or more"_s),
            numberRow(u"HTTP_DEFAULT_RETRIES"_s, u"0"_s, u"-1"_s, u"0 or more"_s),
            numberRow(u"HTTP_DEFAULT_RETRY_DELAY"_s, u"100"_s, u"ten"_s, u"0 or more"_s),
            { u"LOG_LEVEL"_s, u"DEBUG"_s, u"debug"_s, u"loud"_s,
                env(u"LOG_LEVEL"_s)
                    + u"\"loud\" is not a log level (trace, debug, info, warn, error or fatal)"_s,
                {} },
            boolRow(u"LOG_IS_JSON_OUTPUT"_s, false),
            { u"PM_DATA_DIR"_s, m_dir.filePath(u"data"_s), absolute(m_dir.filePath(u"data"_s)),
                m_key, env(u"PM_DATA_DIR"_s) + u'"' + m_key + u"\" is not a directory"_s, {} },
        };
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_key = writeFile(u"key.pem"_s, "key");
        m_cert = writeFile(u"cert.pem"_s, "cert");
        m_ca = writeFile(u"ca.pem"_s, "ca");
        m_ca2 = writeFile(u"ca2.pem"_s, "ca2");
        m_template = writeFile(u"template.yaml"_s, "template");
        m_keysDir = m_dir.filePath(u"keys"_s);
        QVERIFY(QDir().mkpath(m_keysDir));
    }

    void defaults()
    {
        const auto config = loadConfig(baseEnv(), std::nullopt);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        const ConnectorConfig &c = *config;
        QCOMPARE(c.dfspId, u"mojaloop"_s);
        QCOMPARE(c.listenAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(c.inboundPort, quint16(4000));
        QCOMPARE(c.outboundPort, quint16(4001));
        QCOMPARE(c.metricsPort, quint16(4004));
        QCOMPARE(c.hubEndpoints.peer.host, u"hub"_s);
        QCOMPARE(c.hubEndpoints.peer.port, 3000);
        QVERIFY(!c.hubEndpoints.als && !c.hubEndpoints.quotes && !c.hubEndpoints.transfers
            && !c.hubEndpoints.transactionRequests);
        for (const QUrl &url : { c.hubUrls.peer, c.hubUrls.als, c.hubUrls.quotes,
                 c.hubUrls.transfers, c.hubUrls.transactionRequests })
            QCOMPARE(url, QUrl(u"http://hub:3000"_s));
        QCOMPARE(c.backendUrl, QUrl(u"http://backend:3001"_s));
        QVERIFY(c.coreConnectorTemplate.isEmpty());

        QVERIFY(c.autoAcceptParty);
        QVERIFY(c.autoAcceptQuotes);
        QVERIFY(!c.allowTransferWithoutQuote);
        QVERIFY(!c.allowDifferentTransferTransactionId);
        QVERIFY(!c.useQuoteSourceFspAsTransferPayeeFsp);
        QVERIFY(!c.reserveNotification);
        QVERIFY(!c.sendFinalNotificationIfRequested);
        QVERIFY(c.supportedCurrencies.isEmpty());

        QCOMPARE(c.ilpVersion, Pm::Fspiop::Ilp::Version::V1);
        QCOMPARE(c.ilpSecret, u"mojaloop-sdk"_s);
        QVERIFY(c.checkIlp);
        QCOMPARE(c.expirySeconds, 60); // the 18.0.2 SDK's default
        QVERIFY(!c.rejectExpiredQuoteResponses);
        QVERIFY(!c.rejectTransfersOnExpiredQuotes);
        QVERIFY(!c.rejectExpiredTransferFulfils);
        QCOMPARE(c.requestProcessingTimeoutSeconds, 30);
        QCOMPARE(c.patchNotificationGraceTimeMs, 15000);

        QVERIFY(c.jwsSign);
        QVERIFY(!c.jwsSignPutParties);
        QCOMPARE(c.jwsSigningKeyPath, absolute(m_key));
        QVERIFY(c.validateInboundJws);
        QVERIFY(!c.validateInboundPutPartiesJws);
        QVERIFY(c.jwsVerificationKeysDirectory.isEmpty());

        QVERIFY(!c.inboundTls.mutualTls);
        QVERIFY(c.inboundTls.caCertPaths.isEmpty());
        QVERIFY(!c.outboundTls.mutualTls);

        QVERIFY(c.oauth.tokenEndpoint.isEmpty());
        QCOMPARE(c.oauth.refreshSeconds, 60);
        QCOMPARE(c.oauth.refreshRetrySeconds, 10);
        QVERIFY(!c.oauth.mutualTls);
        QVERIFY(c.oauth.bearerToken.isEmpty());
        QCOMPARE(c.oauth.authFailureRetries, 0);

        // FSPIOP 1.0 for every resource the 18.0.2 SDK knows.
        for (const QString &resource :
            { u"parties"_s, u"participants"_s, u"quotes"_s, u"transfers"_s, u"bulkQuotes"_s,
                u"bulkTransfers"_s, u"transactionRequests"_s, u"authorizations"_s }) {
            QCOMPARE(c.resourceVersions.version(resource), Pm::Fspiop::Versions::V1_0);
        }
        QCOMPARE(c.resourceVersions.contentType(u"quotes"),
            u"application/vnd.interoperability.quotes+json;version=1.0"_s);
        QCOMPARE(c.resourceVersions.acceptType(u"parties"),
            u"application/vnd.interoperability.parties+json;version=1"_s);
        QCOMPARE(c.resourceVersions.version(u"fxQuotes"), Pm::Fspiop::Versions::V2_0);
        QCOMPARE(c.idGenerator.type, IdGeneratorSettings::Type::Uuid);
        QCOMPARE(c.idGenerator.uuidVersion, 4);
        QCOMPARE(c.traceFlags, quint8(0x01));
        QCOMPARE(c.fspiopApiMaxRequestBytes, qint64(209715200));
        QCOMPARE(c.backendApiMaxRequestBytes, qint64(209715200));
        QVERIFY(c.outboundErrorStatusCodeExtensionKey.isEmpty());

        QVERIFY(c.backendRequestRetry.enabled);
        QCOMPARE(c.backendRequestRetry.maxRetries, 5);
        QCOMPARE(c.backendRequestRetry.delayMs, 1000);
        QCOMPARE(c.backendRequestRetry.maxDelayMs, 10000);
        QCOMPARE(c.backendRequestRetry.backoffFactor, 2);
        QCOMPARE(c.http.timeoutMs, 65000);
        QCOMPARE(c.http.retries, 3);
        QCOMPARE(c.http.retryDelayMs, 10);

        QCOMPARE(c.logLevel, LogLevel::Info);
        QVERIFY(!c.logJson);
        QVERIFY(c.dataDir.isEmpty());

        const QStringList expectedWarnings {
            u"VALIDATE_INBOUND_JWS is true but JWS_VERIFICATION_KEYS_DIRECTORY is not set: no inbound signature can be verified"_s,
            u"ILP_SECRET is the reference's public default (mojaloop-sdk): set a secret of your own"_s,
        };
        QCOMPARE(c.warnings, expectedWarnings);
        QCOMPARE(c.sourceOf(u"PEER_ENDPOINT"_s).toString(), u"environment"_s);

        // The public default stays worth a warning when it is set explicitly.
        QProcessEnvironment env = baseEnv();
        env.insert(u"ILP_SECRET"_s, u"mojaloop-sdk"_s);
        const auto explicitDefault = loadConfig(env, std::nullopt);
        QVERIFY(explicitDefault);
        QVERIFY(explicitDefault->warnings.contains(expectedWarnings.last()));
        QCOMPARE(c.sourceOf(u"DFSP_ID"_s).toString(), u"default"_s);
    }

    void requiredSettings()
    {
        QProcessEnvironment env;
        auto config = loadConfig(env, std::nullopt);
        QVERIFY(!config);
        QCOMPARE(config.error().message,
            u"PEER_ENDPOINT is not set: give the hub's host:port[/base], without a scheme"_s);

        env.insert(u"PEER_ENDPOINT"_s, u"hub:3000"_s);
        env.insert(u"BACKEND_ENDPOINT"_s, u"   "_s); // empty counts as not set
        config = loadConfig(env, std::nullopt);
        QVERIFY(!config);
        QCOMPARE(config.error().message,
            u"BACKEND_ENDPOINT is not set: give the core connector's host:port[/base], without a "
            u"scheme "
            u"(or set CORE_CONNECTOR_TEMPLATE)"_s);

        env.insert(u"CORE_CONNECTOR_TEMPLATE"_s, m_template);
        // JWS_SIGN is true by default, so the required settings alone need the signing key.
        config = loadConfig(env, std::nullopt);
        QVERIFY(!config);
        QCOMPARE(config.error().message,
            u"JWS_SIGNING_KEY_PATH: required when JWS_SIGN is true; set it or set JWS_SIGN=false"_s);
        env.insert(u"JWS_SIGN"_s, u"false"_s);
        config = loadConfig(env, std::nullopt);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QVERIFY(!config->jwsSign);
        env.remove(u"JWS_SIGN"_s);
        env.insert(u"JWS_SIGNING_KEY_PATH"_s, m_key);
        config = loadConfig(env, std::nullopt);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QVERIFY(!config->backendEndpoint);
        QVERIFY(config->backendUrl.isEmpty());
        QCOMPARE(config->coreConnectorTemplate, absolute(m_template));
    }

    void everySettingHasARow()
    {
        QStringList covered;
        for (const SettingRow &row : settingRows())
            covered.append(row.name);
        QCOMPARE(covered, knownSettings());
    }

    void everySetting_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("good");
        QTest::addColumn<QString>("shown");
        QTest::addColumn<QString>("bad");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QStringList>("extra");
        for (const SettingRow &row : settingRows()) {
            QTest::newRow(qPrintable(row.name))
                << row.name << row.good << row.shown << row.bad << row.error << row.extra;
        }
    }

    void everySetting()
    {
        QFETCH(QString, name);
        QFETCH(QString, good);
        QFETCH(QString, shown);
        QFETCH(QString, bad);
        QFETCH(QString, error);
        QFETCH(QStringList, extra);

        QProcessEnvironment env = baseEnv();
        insertAll(env, extra);
        env.insert(name, good);
        const auto config = loadConfig(env, std::nullopt);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(describedValue(*config, name), shown);
        QCOMPARE(config->sourceOf(name).kind, SettingSource::Kind::Environment);

        if (bad.isEmpty())
            return; // every value is accepted (a secret)
        env.insert(name, bad);
        const auto rejected = loadConfig(env, std::nullopt);
        QVERIFY(!rejected);
        QCOMPARE(rejected.error().message, error);
        QCOMPARE(rejected.error().code, 0);
    }

    void typedValues()
    {
        QProcessEnvironment env = baseEnv();
        insertAll(env,
            { u"DFSP_ID=payeefsp"_s, u"LISTEN_ADDRESS=*"_s, u"INBOUND_LISTEN_PORT=14000"_s,
                u"AUTO_ACCEPT_QUOTES=0"_s, u"ILP_VERSION=4"_s, u"ILP_SECRET=s"_s,
                u"EXPIRY_SECONDS=20"_s, u"JWS_SIGN=off"_s, u"VALIDATE_INBOUND_JWS=no"_s,
                u"TRACE_FLAGS=FF"_s, u"BACKEND_REQUEST_RETRY_BACKOFF_FACTOR=3"_s,
                u"HTTP_DEFAULT_TIMEOUT=1000"_s, u"LOG_LEVEL=warning"_s, u"LOG_IS_JSON_OUTPUT=1"_s,
                u"OIDC_BEARER_TOKEN= tok "_s, u"SUPPORTED_CURRENCIES=XOF"_s });
        const auto config = loadConfig(env, std::nullopt);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->dfspId, u"payeefsp"_s);
        QCOMPARE(config->listenAddress, QHostAddress(QHostAddress::Any));
        QCOMPARE(describedValue(*config, u"LISTEN_ADDRESS"_s), u"*"_s);
        QCOMPARE(config->inboundPort, quint16(14000));
        QVERIFY(!config->autoAcceptQuotes);
        QCOMPARE(config->ilpVersion, Pm::Fspiop::Ilp::Version::V4);
        QCOMPARE(config->ilpSecret, u"s"_s);
        QCOMPARE(config->expirySeconds, 20);
        QVERIFY(!config->jwsSign);
        QVERIFY(!config->validateInboundJws);
        QCOMPARE(config->traceFlags, quint8(0xff));
        QCOMPARE(describedValue(*config, u"TRACE_FLAGS"_s), u"ff"_s);
        QCOMPARE(config->backendRequestRetry.backoffFactor, 3);
        QCOMPARE(config->http.timeoutMs, 1000);
        QCOMPARE(config->logLevel, LogLevel::Warn);
        QVERIFY(config->logJson);
        QCOMPARE(config->oauth.bearerToken, u"tok"_s);
        QCOMPARE(config->supportedCurrencies, QStringList { u"XOF"_s });
        QVERIFY(config->warnings.isEmpty());
    }

    void booleans_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("expected"); // -1: rejected
        const std::pair<const char16_t *, int> rows[] = {
            { u"true", 1 },
            { u"TRUE", 1 },
            { u"True", 1 },
            { u"1", 1 },
            { u" yes ", 1 },
            { u"On", 1 },
            { u"false", 0 },
            { u"FALSE", 0 },
            { u"0", 0 },
            { u"no", 0 },
            { u"OFF", 0 },
            { u"2", -1 },
            { u"t", -1 },
            { u"y", -1 },
            { u"", -1 },
            { u"enabled", -1 },
            { u"truee", -1 },
        };
        for (const auto &[text, expected] : rows) {
            const QString t = QString::fromUtf16(text);
            QTest::newRow(qPrintable(QString(u'[' + t + u']'))) << t << expected;
        }
    }

    void booleans()
    {
        QFETCH(QString, text);
        QFETCH(int, expected);
        const auto value = parseBool(text);
        if (expected < 0)
            QVERIFY(!value);
        else
            QCOMPARE(value, std::optional<bool>(expected == 1));
    }

    void precedence()
    {
        const QString path = writeFile(u"precedence.env"_s,
            "DFSP_ID=filefsp\n"
            "INBOUND_LISTEN_PORT=5000\n"
            "OUTBOUND_LISTEN_PORT=5001\n"
            "PEER_ENDPOINT=filehub:3000\n"
            "BACKEND_ENDPOINT=filebackend:3001\n"
            "JWS_SIGN=false\n");
        QProcessEnvironment env;
        env.insert(u"INBOUND_LISTEN_PORT"_s, u"6000"_s);
        env.insert(u"OUTBOUND_LISTEN_PORT"_s, u""_s); // empty: the file's value stays
        env.insert(u"PEER_ENDPOINT"_s, u"envhub:3000"_s);
        const auto config = loadConfig(env, path);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->dfspId, u"filefsp"_s);
        QCOMPARE(config->inboundPort, quint16(6000));
        QCOMPARE(config->outboundPort, quint16(5001));
        QCOMPARE(config->hubUrls.peer, QUrl(u"http://envhub:3000"_s));
        QCOMPARE(config->backendUrl, QUrl(u"http://filebackend:3001"_s));
        QCOMPARE(config->sourceOf(u"DFSP_ID"_s).toString(), path + u":1"_s);
        QCOMPARE(config->sourceOf(u"INBOUND_LISTEN_PORT"_s).toString(), u"environment"_s);
        QCOMPARE(config->sourceOf(u"OUTBOUND_LISTEN_PORT"_s).toString(), path + u":3"_s);

        // Without a file, only the environment counts.
        QVERIFY(!loadConfig(env, std::nullopt)); // no BACKEND_ENDPOINT
    }

    void fileSyntax()
    {
        const QByteArray text = "\xEF\xBB\xBF# a comment\r\n"
                                "\n"
                                "   # an indented comment\n"
                                "PLAIN=value\n"
                                "SPACED  =   spaced value   \n"
                                "export EXPORTED=1\n"
                                "export\tTABBED=2\n"
                                "SINGLE='single # not a comment \\n'\n"
                                "DOUBLE=\"line1\\nline2\\r\\tend\" # a comment\n"
                                "BACK=`back 'and' \"quotes\"`\n"
                                "ESCAPED=\"say \\\"hi\\\"\"\n"
                                "INLINE=value # comment\n"
                                "HASH=abc#def\n"
                                "YAML: colon form\n"
                                "EMPTY=\n"
                                "EMPTY_QUOTED=\"\"\n"
                                "MULTI=\"first\n"
                                "second\"\n"
                                "dotted.key-name=ok\r\n"
                                "LAST=last";
        const QString decoded = QString::fromUtf8(text);
        const auto file = parseConfigFile(decoded, u"test.env"_s);
        QVERIFY2(file, qPrintable(file ? QString() : file.error().message));
        const QList<std::pair<QString, QString>> expected {
            { u"PLAIN"_s, u"value"_s },
            { u"SPACED"_s, u"spaced value"_s },
            { u"EXPORTED"_s, u"1"_s },
            { u"TABBED"_s, u"2"_s },
            { u"SINGLE"_s, u"single # not a comment \\n"_s },
            { u"DOUBLE"_s, u"line1\nline2\r\\tend"_s },
            { u"BACK"_s, u"back 'and' \"quotes\""_s },
            { u"ESCAPED"_s, u"say \\\"hi\\\""_s },
            { u"INLINE"_s, u"value"_s },
            { u"HASH"_s, u"abc"_s },
            { u"YAML"_s, u"colon form"_s },
            { u"EMPTY"_s, QString() },
            { u"EMPTY_QUOTED"_s, QString() },
            { u"MULTI"_s, u"first\nsecond"_s },
            { u"dotted.key-name"_s, u"ok"_s },
            { u"LAST"_s, u"last"_s },
        };
        QCOMPARE(file->entries.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            QCOMPARE(file->entries.at(i).key, expected.at(i).first);
            QCOMPARE(file->entries.at(i).value, expected.at(i).second);
        }
        QCOMPARE(file->entries.at(0).line, 4);
        QCOMPARE(file->entries.at(13).line, 17); // MULTI starts on line 17
        QCOMPARE(file->entries.at(14).line, 19);
        QCOMPARE(file->warnings,
            QStringList {
                u"test.env:13: the value of HASH ends at '#' (the rest is a comment); quote the value to keep it"_s });
    }

    void fileSyntaxErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("no equals") << u"A=1\njust text\n"_s << u"bad.env:2: expected KEY=VALUE"_s;
        QTest::newRow("no key") << u"=value"_s << u"bad.env:1: expected KEY=VALUE"_s;
        QTest::newRow("space in key") << u"MY KEY=1"_s << u"bad.env:1: expected KEY=VALUE"_s;
        QTest::newRow("export alone") << u"export"_s << u"bad.env:1: expected KEY=VALUE"_s;
        QTest::newRow("colon without space")
            << u"KEY:value"_s << u"bad.env:1: expected KEY=VALUE"_s;
        QTest::newRow("unterminated") << u"A=1\nSECRET=\"abc\nB=2\n"_s
                                      << u"bad.env:2: the value of SECRET has no closing \""_s;
        QTest::newRow("unterminated single")
            << u"SECRET='abc"_s << u"bad.env:1: the value of SECRET has no closing '"_s;
        QTest::newRow("text after quote")
            << u"\n\nSECRET=\"abc\" def"_s
            << u"bad.env:3: unexpected text after the closing \" of SECRET"_s;
    }

    void fileSyntaxErrors()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        const auto file = parseConfigFile(text, u"bad.env"_s);
        QVERIFY(!file);
        QCOMPARE(file.error().message, error);
        QVERIFY(!file.error().message.contains(u"abc"_s)); // values are never repeated
    }

    void fileProblems()
    {
        // A missing or unreadable file.
        const QString missing = m_dir.filePath(u"nothere.env"_s);
        auto config = loadConfig(baseEnv(), missing);
        QVERIFY(!config);
        QCOMPARE(config.error().message, u"config file \""_s + missing + u"\" does not exist"_s);

        const QString latin1 = writeFile(u"latin1.env"_s, "DFSP_ID=caf\xE9\n");
        config = loadConfig(baseEnv(), latin1);
        QVERIFY(!config);
        QCOMPARE(config.error().message, u"config file \""_s + latin1 + u"\" is not UTF-8 text"_s);

        // A syntax error names the file and line.
        const QString broken = writeFile(u"broken.env"_s, "DFSP_ID=x\nnonsense\n");
        config = loadConfig(baseEnv(), broken);
        QVERIFY(!config);
        QCOMPARE(config.error().message, broken + u":2: expected KEY=VALUE"_s);

        // Unknown keys and repeated keys are warnings; a bad value names file:line.
        const QString path = writeFile(u"warnings.env"_s,
            "DFSP_ID=one\n"
            "DFSP_ID_TYPO=x\n"
            "DFSP_ID=two\n"
            "CACHE_URL=redis://redis:6379\n"
            "ILP_SECRET=s\n"
            "JWS_SIGN=false\n"
            "VALIDATE_INBOUND_JWS=false\n");
        config = loadConfig(baseEnv(), path);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->dfspId, u"two"_s);
        const QStringList expected {
            path + u":2: DFSP_ID_TYPO is not a setting of this connector (ignored)"_s,
            path + u":3: DFSP_ID is set again (line 1 is overridden)"_s,
            u"CACHE_URL ("_s + path
                + u":4) is ignored: this connector keeps its state in its own store, not in Redis"_s,
        };
        QCOMPARE(config->warnings, expected);

        const QString bad = writeFile(u"badvalue.env"_s, "\n# ports\nINBOUND_LISTEN_PORT=abc\n");
        config = loadConfig(baseEnv(), bad);
        QVERIFY(!config);
        QCOMPARE(config.error().message,
            u"INBOUND_LISTEN_PORT ("_s + bad
                + u":3): \"abc\" is not a port number (0-65535; 0 picks a free port)"_s);
    }

    void ignoredReferenceVariables()
    {
        QProcessEnvironment env = baseEnv();
        insertAll(env,
            { u"ILP_SECRET=s"_s, u"JWS_SIGN=false"_s, u"VALIDATE_INBOUND_JWS=false"_s,
                u"CACHE_URL=redis://localhost:6379"_s, u"PM4ML_ENABLED=false"_s,
                u"ENABLE_TEST_FEATURES=true"_s, u"BULK_TRANSFERS_ENDPOINT=bulk:3000"_s,
                u"API_TYPE=fspiop"_s, u"MULTI_DFSP=false"_s, u"FSPIOP_EVENT_PRODUCER_TOPIC=t"_s,
                u"OAUTH_TOKEN_ENDPOINT_CLIENT_SECRET=hidden"_s, u"SOME_UNRELATED_VARIABLE=1"_s,
                u"PATH=/usr/bin"_s, u"REDIS_CACHE_TTL="_s });
        const auto config = loadConfig(env, std::nullopt);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        const QStringList expected {
            u"CACHE_URL (environment) is ignored: this connector keeps its state in its own store, not in Redis"_s,
            u"MULTI_DFSP (environment) is ignored: this connector serves one DFSP"_s,
            u"API_TYPE (environment) is ignored: this connector always speaks FSPIOP"_s,
            u"BULK_TRANSFERS_ENDPOINT (environment) is ignored: bulk transfers and their Kafka event handlers are not supported"_s,
            u"ENABLE_TEST_FEATURES (environment) is ignored: the reference's test server is not provided"_s,
            u"OAUTH_TOKEN_ENDPOINT_CLIENT_SECRET (environment) is ignored: the reference's test OAuth token server is not provided"_s,
            u"PM4ML_ENABLED (environment) is ignored: the PM4ML management API is not supported"_s,
            u"FSPIOP_EVENT_PRODUCER_TOPIC (environment) is ignored: bulk transfers and their Kafka event handlers are not supported"_s,
        };
        QCOMPARE(config->warnings, expected);
        for (const QString &warning : config->warnings)
            QVERIFY(!warning.contains(u"hidden"_s));

        // Protocol changes this connector cannot honour are refused.
        env.insert(u"API_TYPE"_s, u"iso20022"_s);
        auto refused = loadConfig(env, std::nullopt);
        QVERIFY(!refused);
        QCOMPARE(refused.error().message,
            u"API_TYPE (environment): \"iso20022\" is not supported: this connector speaks FSPIOP only (fspiop)"_s);
        env.insert(u"API_TYPE"_s, u"FSPIOP"_s);
        env.insert(u"MULTI_DFSP"_s, u"true"_s);
        refused = loadConfig(env, std::nullopt);
        QVERIFY(!refused);
        QCOMPARE(refused.error().message,
            u"MULTI_DFSP (environment): true is not supported: this connector serves one DFSP (DFSP_ID)"_s);

        QVERIFY(ignoredReferenceSettings().contains(u"CACHE_URL"_s));
        QVERIFY(ignoredReferenceSettings().contains(u"BACKEND_EVENT_CONSUMER_BROKER_LIST"_s));
        for (const QString &name : ignoredReferenceSettings())
            QVERIFY2(!knownSettings().contains(name), qPrintable(name));
    }

    void resourceVersions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("parties");
        QTest::addColumn<QString>("quotes");
        QTest::addColumn<QString>("transfers");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("warning");
        QTest::newRow("one") << u"parties=1.1"_s << u"1.1"_s << u"1.0"_s << u"1.0"_s << QString()
                             << QString();
        QTest::newRow("reference example") << u"parties=1.1,quotes=1.1,transfers=1.1"_s << u"1.1"_s
                                           << u"1.1"_s << u"1.1"_s << QString() << QString();
        QTest::newRow("white space") << u" parties = 2.0 , transfers=2.0 ,"_s << u"2.0"_s
                                     << u"1.0"_s << u"2.0"_s << QString() << QString();
        QTest::newRow("reference-only resource")
            << u"thirdparty=1.0,quotes=2.0"_s << u"1.0"_s << u"2.0"_s << u"1.0"_s << QString()
            << u"RESOURCE_VERSIONS (environment): thirdparty is not used by this connector (ignored)"_s;
        QTest::newRow("unknown resource")
            << u"payments=1.0"_s << QString() << QString() << QString()
            << u"RESOURCE_VERSIONS (environment): unknown resource \"payments\" (known: parties, "
               u"participants, "
               u"quotes, transfers, bulkTransfers, bulkQuotes, transactionRequests, "
               u"authorizations, fxQuotes, "
               u"fxTransfers, ping)"_s
            << QString();
        QTest::newRow("no version")
            << u"parties"_s << QString() << QString() << QString()
            << u"RESOURCE_VERSIONS (environment): \"parties\" is not name=X.Y (for example parties=1.1,quotes=1.1)"_s
            << QString();
        QTest::newRow("bad version")
            << u"quotes=2"_s << QString() << QString() << QString()
            << u"RESOURCE_VERSIONS (environment): quotes has version \"2\", expected X.Y"_s
            << QString();
        QTest::newRow("unsupported")
            << u"quotes=3.0"_s << QString() << QString() << QString()
            << u"RESOURCE_VERSIONS (environment): quotes has version 3.0, which is not one of 1.0, 1.1, 2.0"_s
            << QString();
    }

    void resourceVersions()
    {
        QFETCH(QString, text);
        QFETCH(QString, parties);
        QFETCH(QString, quotes);
        QFETCH(QString, transfers);
        QFETCH(QString, error);
        QFETCH(QString, warning);
        QProcessEnvironment env = baseEnv();
        env.insert(u"RESOURCE_VERSIONS"_s, text);
        const auto config = loadConfig(env, std::nullopt);
        if (!error.isEmpty()) {
            QVERIFY(!config);
            QCOMPARE(config.error().message, error);
            return;
        }
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->resourceVersions.version(u"parties").toString(), parties);
        QCOMPARE(config->resourceVersions.version(u"quotes").toString(), quotes);
        QCOMPARE(config->resourceVersions.version(u"transfers").toString(), transfers);
        QCOMPARE(config->resourceVersions.version(u"participants").toString(), u"1.0"_s);
        QCOMPARE(config->warnings.contains(warning), !warning.isEmpty());
    }

    void idGenerator_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ulid");
        QTest::addColumn<int>("uuidVersion");
        QTest::addColumn<bool>("monotonic");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("warning");
        QTest::newRow("plain uuid") << u"uuid"_s << false << 4 << true << QString() << QString();
        QTest::newRow("plain ULID") << u" ULID "_s << true << 4 << true << QString() << QString();
        QTest::newRow("json uuid")
            << u"{\"type\":\"uuid\"}"_s << false << 4 << true << QString() << QString();
        QTest::newRow("json uuid v7") << u"{\"type\":\"uuid\",\"version\":7}"_s << false << 7
                                      << true << QString() << QString();
        QTest::newRow("json uuid v4 text") << u"{\"type\":\"uuid\",\"version\":\"4\"}"_s << false
                                           << 4 << true << QString() << QString();
        QTest::newRow("json ulid")
            << u"{\"type\":\"ulid\"}"_s << true << 4 << true << QString() << QString();
        QTest::newRow("json ulid not monotonic") << u"{\"type\":\"ulid\",\"monotonic\":false}"_s
                                                 << true << 4 << false << QString() << QString();
        QTest::newRow("unknown member")
            << u"{\"type\":\"uuid\",\"prefix\":\"x\"}"_s << false << 4 << true << QString()
            << u"ID_GENERATOR (environment): member \"prefix\" is not used (ignored)"_s;
        QTest::newRow("uuid v1")
            << u"{\"type\":\"uuid\",\"version\":1}"_s << false << 0 << false
            << u"ID_GENERATOR (environment): UUID version \"1\" is not supported (4 or 7)"_s
            << QString();
        QTest::newRow("monotonic text")
            << u"{\"type\":\"ulid\",\"monotonic\":\"no\"}"_s << false << 0 << false
            << u"ID_GENERATOR (environment): \"monotonic\" must be true or false"_s << QString();
        QTest::newRow("not json")
            << u"{type:ulid}"_s << false << 0 << false
            << u"ID_GENERATOR (environment): \"{type:ulid}\" is not an id generator "
               u"({\"type\":\"uuid\"}, {\"type\":\"uuid\",\"version\":7}, {\"type\":\"ulid\"}, uuid or ulid)"_s
            << QString();
        QTest::newRow("array")
            << u"[\"ulid\"]"_s << false << 0 << false
            << u"ID_GENERATOR (environment): \"[\"ulid\"]\" is not an id generator "
               u"({\"type\":\"uuid\"}, {\"type\":\"uuid\",\"version\":7}, {\"type\":\"ulid\"}, uuid or ulid)"_s
            << QString();
    }

    void idGenerator()
    {
        QFETCH(QString, text);
        QFETCH(bool, ulid);
        QFETCH(int, uuidVersion);
        QFETCH(bool, monotonic);
        QFETCH(QString, error);
        QFETCH(QString, warning);
        QProcessEnvironment env = baseEnv();
        env.insert(u"ID_GENERATOR"_s, text);
        env.insert(u"RESOURCE_VERSIONS"_s, u"quotes=2.0,transfers=2.0,transactionRequests=2.0"_s);
        const auto config = loadConfig(env, std::nullopt);
        if (!error.isEmpty()) {
            QVERIFY(!config);
            QCOMPARE(config.error().message, error);
            return;
        }
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->idGenerator.type == IdGeneratorSettings::Type::Ulid, ulid);
        if (!ulid)
            QCOMPARE(config->idGenerator.uuidVersion, uuidVersion);
        else
            QCOMPARE(config->idGenerator.monotonic, monotonic);
        QCOMPARE(config->warnings.contains(warning), !warning.isEmpty());
        // The JSON form reads back to the same settings.
        const auto again = parseIdGenerator(config->idGenerator.toString(), u"ID_GENERATOR"_s);
        QVERIFY(again);
        QCOMPARE(*again, config->idGenerator);
    }

    void idGeneratorNeedsFspiop2()
    {
        QProcessEnvironment env = baseEnv();
        env.insert(u"ID_GENERATOR"_s, u"ulid"_s);
        env.insert(u"RESOURCE_VERSIONS"_s, u"quotes=2.0"_s);
        const auto config = loadConfig(env, std::nullopt);
        QVERIFY(config);
        QVERIFY(config->warnings.contains(
            u"ID_GENERATOR: FSPIOP 1.x allows only UUIDs of versions 1 to 5 as ids, but transfers, "
            u"transactionRequests use 1.x (RESOURCE_VERSIONS); a peer that validates ids will reject them"_s));
    }

    void endpoints_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("mtls");
        QTest::addColumn<QString>("url"); // the resolved PEER_ENDPOINT URL
        QTest::addColumn<QString>("shown"); // how describe() shows it
        QTest::addColumn<QString>("error");
        const QString mtlsFalse = u"; write host:port[/base], the scheme follows that setting"_s;
        QTest::newRow("host:port")
            << u"hub:3000"_s << false << u"http://hub:3000"_s << u"hub:3000"_s << QString();
        QTest::newRow("host only") << u"hub.example.com"_s << false << u"http://hub.example.com"_s
                                   << u"hub.example.com"_s << QString();
        QTest::newRow("base path")
            << u" hub:3000/switch/v1/ "_s << false << u"http://hub:3000/switch/v1"_s
            << u"hub:3000/switch/v1"_s << QString();
        QTest::newRow("https with mTLS")
            << u"hub:443"_s << true << u"https://hub:443"_s << u"hub:443"_s << QString();
        QTest::newRow("IPv4") << u"10.0.0.5:4000"_s << false << u"http://10.0.0.5:4000"_s
                              << u"10.0.0.5:4000"_s << QString();
        QTest::newRow("IPv6") << u"[fd00::5]:4000/x"_s << false << u"http://[fd00::5]:4000/x"_s
                              << u"[fd00::5]:4000/x"_s << QString();
        QTest::newRow("underscore host") << u"sdk_peer:4000"_s << false << u"http://sdk_peer:4000"_s
                                         << u"sdk_peer:4000"_s << QString();
        QTest::newRow("matching http scheme")
            << u"http://hub:3000"_s << false << u"http://hub:3000"_s << u"hub:3000"_s << QString();
        QTest::newRow("matching HTTPS scheme")
            << u"HTTPS://hub:443"_s << true << u"https://hub:443"_s << u"hub:443"_s << QString();
        QTest::newRow("https without mTLS")
            << u"https://hub:443"_s << false << QString() << QString()
            << u"PEER_ENDPOINT (environment): https:// does not match OUTBOUND_MUTUAL_TLS_ENABLED=false (http)"_s
                + mtlsFalse;
        QTest::newRow("http with mTLS")
            << u"http://hub:80"_s << true << QString() << QString()
            << u"PEER_ENDPOINT (environment): http:// does not match OUTBOUND_MUTUAL_TLS_ENABLED=true (https)"_s
                + mtlsFalse;
        QTest::newRow("port zero")
            << u"hub:0"_s << false << QString() << QString()
            << u"PEER_ENDPOINT (environment): \"hub:0\" has no valid port (1-65535) after the ':'"_s;
        QTest::newRow("empty port")
            << u"hub:"_s << false << QString() << QString()
            << u"PEER_ENDPOINT (environment): \"hub:\" has no valid port (1-65535) after the ':'"_s;
        QTest::newRow("bare IPv6") << u"fd00::5"_s << false << QString() << QString()
                                   << u"PEER_ENDPOINT (environment): \"fd00::5\""_s + kEndpointShape
                + u"; put an IPv6 address in brackets"_s;
        QTest::newRow("bad host") << u"hu b:3000"_s << false << QString() << QString()
                                  << u"PEER_ENDPOINT (environment): \"hu b:3000\""_s
                + kEndpointShape;
        QTest::newRow("fragment") << u"hub:3000/#x"_s << false << QString() << QString()
                                  << u"PEER_ENDPOINT (environment): \"hub:3000/#x\""_s
                + kEndpointShape;
        QTest::newRow("no host") << u"http:///x"_s << false << QString() << QString()
                                 << u"PEER_ENDPOINT (environment): \"http:///x\""_s
                + kEndpointShape;
    }

    void endpoints()
    {
        QFETCH(QString, text);
        QFETCH(bool, mtls);
        QFETCH(QString, url);
        QFETCH(QString, shown);
        QFETCH(QString, error);
        QProcessEnvironment env = baseEnv();
        env.insert(u"PEER_ENDPOINT"_s, text);
        if (mtls) {
            insertAll(env,
                { u"OUTBOUND_MUTUAL_TLS_ENABLED=true"_s, u"OUT_CLIENT_CERT_PATH="_s + m_cert,
                    u"OUT_CLIENT_KEY_PATH="_s + m_key, u"OUT_CA_CERT_PATH="_s + m_ca });
        }
        const auto config = loadConfig(env, std::nullopt);
        if (!error.isEmpty()) {
            QVERIFY(!config);
            QCOMPARE(config.error().message, error);
            return;
        }
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->hubUrls.peer, QUrl(url));
        QCOMPARE(config->hubUrls.peer.toString(), url);
        QCOMPARE(describedValue(*config, u"PEER_ENDPOINT"_s), shown);
        QCOMPARE(config->backendUrl, QUrl(u"http://backend:3001"_s)); // always http
    }

    void perResourceUrls()
    {
        QProcessEnvironment env = baseEnv();
        insertAll(env,
            { u"ALS_ENDPOINT=als:4002"_s, u"QUOTES_ENDPOINT=quotes:4003/q"_s,
                u"TRANSFERS_ENDPOINT=transfers:4004"_s, u"TRANSACTION_REQUESTS_ENDPOINT=tr:4005"_s,
                u"OUTBOUND_MUTUAL_TLS_ENABLED=true"_s, u"OUT_CLIENT_CERT_PATH="_s + m_cert,
                u"OUT_CLIENT_KEY_PATH="_s + m_key });
        const auto config = loadConfig(env, std::nullopt);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->hubUrl(u"parties"), QUrl(u"https://als:4002"_s));
        QCOMPARE(config->hubUrl(u"participants"), QUrl(u"https://als:4002"_s));
        QCOMPARE(config->hubUrl(u"quotes"), QUrl(u"https://quotes:4003/q"_s));
        QCOMPARE(config->hubUrl(u"transfers"), QUrl(u"https://transfers:4004"_s));
        QCOMPARE(config->hubUrl(u"transactionRequests"), QUrl(u"https://tr:4005"_s));
        QCOMPARE(config->hubUrl(u"authorizations"), QUrl(u"https://tr:4005"_s));
        QCOMPARE(config->hubUrl(u"bulkQuotes"), QUrl(u"https://hub:3000"_s));
        QCOMPARE(config->hubUrl(u"fxTransfers"), QUrl(u"https://hub:3000"_s));
        QCOMPARE(config->backendUrl, QUrl(u"http://backend:3001"_s));
        QVERIFY(
            config->warnings.contains(u"OUTBOUND_MUTUAL_TLS_ENABLED is true but OUT_CA_CERT_PATH "
                                      u"is not set: the hub's certificate is checked "
                                      u"against the system's CA certificates"_s));
    }

    void tlsAndOAuthChecks_data()
    {
        QTest::addColumn<QStringList>("settings");
        QTest::addColumn<QString>("error");
        const QString in = u"INBOUND_MUTUAL_TLS_ENABLED=true"_s;
        const QString ca = u"IN_CA_CERT_PATH="_s + m_ca;
        const QString cert = u"IN_SERVER_CERT_PATH="_s + m_cert;
        const QString key = u"IN_SERVER_KEY_PATH="_s + m_key;
        QTest::newRow("inbound without CA") << QStringList {
            in, cert, key
        } << u"INBOUND_MUTUAL_TLS_ENABLED (environment): true needs IN_CA_CERT_PATH, which is not set"_s;
        QTest::newRow("inbound without cert") << QStringList {
            in, ca, key
        } << u"INBOUND_MUTUAL_TLS_ENABLED (environment): true needs IN_SERVER_CERT_PATH, which is not set"_s;
        QTest::newRow("inbound without key") << QStringList {
            in, ca, cert
        } << u"INBOUND_MUTUAL_TLS_ENABLED (environment): true needs IN_SERVER_KEY_PATH, which is not set"_s;
        QTest::newRow("inbound complete") << QStringList { in, ca, cert, key } << QString();
        QTest::newRow("outbound without cert") << QStringList {
            u"OUTBOUND_MUTUAL_TLS_ENABLED=1"_s, u"OUT_CLIENT_KEY_PATH="_s + m_key
        } << u"OUTBOUND_MUTUAL_TLS_ENABLED (environment): true needs OUT_CLIENT_CERT_PATH, which is not set"_s;
        QTest::newRow("outbound without key") << QStringList {
            u"OUTBOUND_MUTUAL_TLS_ENABLED=1"_s, u"OUT_CLIENT_CERT_PATH="_s + m_cert
        } << u"OUTBOUND_MUTUAL_TLS_ENABLED (environment): true needs OUT_CLIENT_KEY_PATH, which is not set"_s;
        QTest::newRow("oauth mTLS without cert") << QStringList {
            u"OAUTH_MUTUAL_TLS_ENABLED=true"_s
        } << u"OAUTH_MUTUAL_TLS_ENABLED (environment): true needs OUT_CLIENT_CERT_PATH, which is not set"_s;
        QTest::newRow("token endpoint without key") << QStringList {
            u"OAUTH_TOKEN_ENDPOINT=https://auth/token"_s, u"OAUTH_CLIENT_SECRET=s"_s
        } << u"OAUTH_TOKEN_ENDPOINT (environment): a token endpoint needs OAUTH_CLIENT_KEY, which is not set"_s;
        QTest::newRow("token endpoint without secret") << QStringList {
            u"OAUTH_TOKEN_ENDPOINT=https://auth/token"_s, u"OAUTH_CLIENT_KEY=k"_s
        } << u"OAUTH_TOKEN_ENDPOINT (environment): a token endpoint needs OAUTH_CLIENT_SECRET, which is not set"_s;
        QTest::newRow("missing key file") << QStringList {
            u"JWS_SIGNING_KEY_PATH=/nonexistent/key.pem"_s
        } << u"JWS_SIGNING_KEY_PATH (environment): file \"/nonexistent/key.pem\" does not exist"_s;
        QTest::newRow("missing keys directory") << QStringList {
            u"JWS_VERIFICATION_KEYS_DIRECTORY=/nonexistent/keys"_s
        } << u"JWS_VERIFICATION_KEYS_DIRECTORY (environment): directory \"/nonexistent/keys\" does not exist"_s;
        QTest::newRow("same ports") << QStringList {
            u"OUTBOUND_LISTEN_PORT=4000"_s
        } << u"OUTBOUND_LISTEN_PORT (environment): port 4000 is already used by INBOUND_LISTEN_PORT"_s;
        QTest::newRow("same ports, defaults") << QStringList {
            u"METRICS_SERVER_LISTEN_PORT=4001"_s
        } << u"METRICS_SERVER_LISTEN_PORT (environment): port 4001 is already used by OUTBOUND_LISTEN_PORT"_s;
        QTest::newRow("two free ports")
            << QStringList { u"INBOUND_LISTEN_PORT=0"_s, u"OUTBOUND_LISTEN_PORT=0"_s } << QString();
    }

    void tlsAndOAuthChecks()
    {
        QFETCH(QStringList, settings);
        QFETCH(QString, error);
        QProcessEnvironment env = baseEnv();
        insertAll(env, settings);
        const auto config = loadConfig(env, std::nullopt);
        if (error.isEmpty()) {
            QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
            return;
        }
        QVERIFY(!config);
        QCOMPARE(config.error().message, error);
    }

    void oauthAndAliases()
    {
        QProcessEnvironment env = baseEnv();
        insertAll(env,
            { u"WSO2_BEARER_TOKEN=old-token"_s, u"WSO2_AUTH_FAILURE_REQUEST_RETRIES=3"_s,
                u"OAUTH_CLIENT_KEY=k"_s });
        auto config = loadConfig(env, std::nullopt);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->oauth.bearerToken, u"old-token"_s);
        QCOMPARE(config->oauth.authFailureRetries, 3);
        QVERIFY(config->warnings.contains(
            u"OAUTH_CLIENT_KEY/OAUTH_CLIENT_SECRET are set but OAUTH_TOKEN_ENDPOINT is not: no token is fetched"_s));

        env.insert(u"OIDC_BEARER_TOKEN"_s, u"new-token"_s);
        config = loadConfig(env, std::nullopt);
        QVERIFY(config);
        QCOMPARE(config->oauth.bearerToken, u"new-token"_s);
        QVERIFY(config->warnings.contains(
            u"WSO2_BEARER_TOKEN (environment) is ignored: OIDC_BEARER_TOKEN is set"_s));

        // An error in the older name names the older name.
        env.insert(u"WSO2_AUTH_FAILURE_REQUEST_RETRIES"_s, u"many"_s);
        config = loadConfig(env, std::nullopt);
        QVERIFY(!config);
        QCOMPARE(config.error().message,
            u"WSO2_AUTH_FAILURE_REQUEST_RETRIES (environment): \"many\" is not a whole number (0 or more)"_s);
        QCOMPARE(settingAliases(),
            (QStringList { u"WSO2_BEARER_TOKEN"_s, u"WSO2_AUTH_FAILURE_REQUEST_RETRIES"_s }));
    }

    void describeMasksSecrets()
    {
        QProcessEnvironment env = baseEnv();
        insertAll(env,
            { u"ILP_SECRET=ilp-secret-value"_s, u"OAUTH_TOKEN_ENDPOINT=https://auth/token"_s,
                u"OAUTH_CLIENT_KEY=client-id"_s, u"OAUTH_CLIENT_SECRET=oauth-secret-value"_s,
                u"WSO2_BEARER_TOKEN=bearer-secret-value"_s, u"DFSP_ID=payerfsp"_s });
        const auto config = loadConfig(env, std::nullopt);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        const QStringList lines = describe(*config);
        QCOMPARE(lines.size(), knownSettings().size());
        const QString all = lines.join(u'\n');
        for (const QString &secret :
            { u"ilp-secret-value"_s, u"oauth-secret-value"_s, u"bearer-secret-value"_s })
            QVERIFY(!all.contains(secret));
        QVERIFY(lines.contains(u"ILP_SECRET=********"_s));
        QVERIFY(lines.contains(u"OAUTH_CLIENT_SECRET=********"_s));
        QVERIFY(lines.contains(u"OIDC_BEARER_TOKEN=********"_s));
        QVERIFY(lines.contains(u"OAUTH_CLIENT_KEY=client-id"_s));
        QVERIFY(lines.contains(u"DFSP_ID=payerfsp"_s));
        QVERIFY(lines.contains(u"PEER_ENDPOINT=hub:3000"_s));
        QVERIFY(lines.contains(u"ALS_ENDPOINT="_s));
        for (const QString &line : lines)
            QVERIFY2(
                QRegularExpression(u"^[A-Z0-9_]+="_s).match(line).hasMatch(), qPrintable(line));

        // The default ILP secret is masked too; an unset secret shows empty.
        const auto defaults = loadConfig(baseEnv(), std::nullopt);
        QVERIFY(defaults);
        QVERIFY(describe(*defaults).contains(u"ILP_SECRET=********"_s));
        QVERIFY(describe(*defaults).contains(u"OAUTH_CLIENT_SECRET="_s));

        // With sources.
        const QStringList annotated = describe(*config, true);
        QVERIFY(annotated.contains(u"DFSP_ID=payerfsp  # environment"_s));
        QVERIFY(annotated.contains(u"INBOUND_LISTEN_PORT=4000  # default"_s));
    }

    void describeReadsBack()
    {
        QProcessEnvironment env = baseEnv();
        insertAll(env,
            { u"ID_GENERATOR={\"type\":\"uuid\",\"version\":7}"_s,
                u"RESOURCE_VERSIONS=quotes=2.0"_s, u"SUPPORTED_CURRENCIES=USD,EUR"_s,
                u"IN_CA_CERT_PATH="_s + m_ca + u',' + m_ca2, u"LISTEN_ADDRESS=::1"_s,
                u"TRANSFERS_ENDPOINT=[::1]:5000/t"_s, u"LOG_LEVEL=error"_s });
        const auto config = loadConfig(env, std::nullopt);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        const QStringList lines = describe(*config);
        const QString path = writeFile(u"described.env"_s, lines.join(u'\n').toUtf8());
        const auto again = loadConfig(QProcessEnvironment(), path);
        QVERIFY2(again, qPrintable(again ? QString() : again.error().message));
        QCOMPARE(describe(*again), lines);
    }

    void dataDirectory()
    {
        ConnectorConfig config;
        const QString option = m_dir.filePath(u"option-dir"_s);
        auto dir = resolveDataDir(option, config);
        QVERIFY(dir);
        QCOMPARE(*dir, absolute(option));

        QProcessEnvironment env = baseEnv();
        env.insert(u"PM_DATA_DIR"_s, m_dir.filePath(u"env-dir"_s));
        const auto loaded = loadConfig(env, std::nullopt);
        QVERIFY(loaded);
        dir = resolveDataDir(std::nullopt, *loaded);
        QVERIFY(dir);
        QCOMPARE(*dir, absolute(m_dir.filePath(u"env-dir"_s)));
        dir = resolveDataDir(option, *loaded); // --data-dir wins
        QVERIFY(dir);
        QCOMPARE(*dir, absolute(option));
        dir = resolveDataDir(u""_s, *loaded); // an empty option counts as not given
        QVERIFY(dir);
        QCOMPARE(*dir, absolute(m_dir.filePath(u"env-dir"_s)));

        dir = resolveDataDir(std::nullopt, config);
        QVERIFY(dir);
        QCOMPARE(*dir,
            QDir::cleanPath(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));

        dir = resolveDataDir(m_key, config);
        QVERIFY(!dir);
        QCOMPARE(dir.error().message, u"--data-dir: \""_s + m_key + u"\" is not a directory"_s);
    }

    void documentationListsEverySetting()
    {
        QFile doc(QStringLiteral(PM_TEST_DATA_DIR) + u"/../../docs/configuration.md"_s);
        QVERIFY2(doc.open(QIODevice::ReadOnly), qPrintable(doc.fileName()));
        const QString text = QString::fromUtf8(doc.readAll());
        const QStringList names = knownSettings() + settingAliases() + ignoredReferenceSettings();
        for (const QString &name : names)
            QVERIFY2(text.contains(u'`' + name + u'`'),
                qPrintable(name + u" is not in docs/configuration.md"_s));
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
