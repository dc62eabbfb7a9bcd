#pragma once

#include "core/base/result.h"
#include "core/fspiop/headers.h"
#include "core/fspiop/ilp.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>

/**
 * The connector's configuration: the reference Mojaloop SDK's environment variables (same names,
 * the defaults of the published 18.0.2 SDK) plus a few of our own, read from the environment and
 * an optional KEY=VALUE file. docs/configuration.md is the user-facing reference of every setting.
 */
namespace Pm::Connector {

/**
 * Error::code of a failure caused by a setting's value that only shows once the connector uses it
 * (a key or certificate file that cannot be read or parsed). `pm-connector run` exits 2 for these,
 * as for loadConfig() errors, and 1 for runtime failures (port in use, store).
 */
inline constexpr int InvalidSettingError = -2;

/** Where a setting's effective value came from. */
struct SettingSource
{
    enum class Kind { Default, Environment, File };

    Kind kind = Kind::Default;
    QString file; ///< the config file as the caller named it (Kind::File only)
    int line = 0; ///< 1-based line of `file` (Kind::File only)

    /** "default", "environment" or "<file>:<line>". */
    QString toString() const;
};

/**
 * A network address written `host[:port][/base]`, the form of PEER_ENDPOINT, BACKEND_ENDPOINT and
 * the per-resource endpoints. The reference prepends the scheme itself; so does this connector.
 */
struct Endpoint
{
    QString host; ///< host name or IP address; an IPv6 address without brackets
    int port = -1; ///< -1: the scheme's default port
    QString basePath; ///< empty, or "/a[/b...]" without a trailing slash
    /** The scheme written in the setting ("http", "https"), or empty: only used for checks. */
    QString writtenScheme;

    /** `host[:port][/base]` without a scheme (an IPv6 host in brackets). */
    QString toString() const;
    /** The base URL of this endpoint with `scheme` ("http" or "https"). */
    QUrl toUrl(const QString &scheme) const;

    friend bool operator==(const Endpoint &, const Endpoint &) = default;
};

/**
 * Parses `host[:port][/base]` (as the reference SDK takes it: no scheme). An `http://` or
 * `https://` prefix is accepted and kept in Endpoint::writtenScheme; any other scheme, user
 * information, a query or a fragment are refused. Duplicate and trailing slashes of the base path
 * are dropped. The error message starts with `label` ("PEER_ENDPOINT (environment)").
 */
Result<Endpoint> parseEndpoint(QStringView text, const QString &label);

/**
 * Parses a boolean as the reference's env-var library does (true/false, 1/0, any case) and also
 * yes/no and on/off; surrounding white space is ignored. nullopt for anything else.
 */
std::optional<bool> parseBool(QStringView text);

/** How the connector makes the ids it generates (transferId, quoteId, transactionId): ID_GENERATOR.
 */
struct IdGeneratorSettings
{
    enum class Type { Uuid, Ulid };

    Type type = Type::Uuid;
    int uuidVersion = 4; ///< 4 (random) or 7 (time-ordered); Type::Uuid only
    bool monotonic = true; ///< ULIDs strictly increase within a millisecond; Type::Ulid only

    /** The reference's JSON form: {"type":"uuid","version":4}, {"type":"ulid"}. */
    QString toString() const;

    friend bool operator==(const IdGeneratorSettings &, const IdGeneratorSettings &) = default;
};

/**
 * Parses ID_GENERATOR: the reference's JSON object ({"type":"ulid"}, {"type":"uuid"} with an
 * optional "version" 4 or 7, or {"type":"ulid","monotonic":false}), or a plain `uuid` or `ulid`.
 * {"type":"uuid"} without a version is UUID v4 here (the current reference makes v7).
 * Unknown JSON members are reported in `warnings`. The error message starts with `label`.
 */
Result<IdGeneratorSettings> parseIdGenerator(
    QStringView text, const QString &label, QStringList *warnings = nullptr);

/** LOG_LEVEL. */
enum class LogLevel { Trace, Debug, Info, Warn, Error, Fatal };

/** "trace", "debug", "info", "warn", "error" or "fatal". */
QString logLevelName(LogLevel level);

/** TLS files of one side (IN_* or OUT_*). Paths are absolute. */
struct TlsSettings
{
    bool mutualTls = false; ///< INBOUND_/OUTBOUND_MUTUAL_TLS_ENABLED
    QStringList caCertPaths; ///< IN_/OUT_CA_CERT_PATH (comma-separated in the setting)
    QString certPath; ///< IN_SERVER_CERT_PATH / OUT_CLIENT_CERT_PATH
    QString keyPath; ///< IN_SERVER_KEY_PATH / OUT_CLIENT_KEY_PATH
};

/** OAuth2 client-credentials tokens for requests to the hub (OAUTH_*, OIDC_*). */
struct OAuthSettings
{
    QUrl tokenEndpoint; ///< OAUTH_TOKEN_ENDPOINT; empty: no token is fetched
    QString clientKey; ///< OAUTH_CLIENT_KEY
    QString clientSecret; ///< OAUTH_CLIENT_SECRET (secret)
    int refreshSeconds = 60; ///< OAUTH_REFRESH_SECONDS (at most; expires_in may be sooner)
    int refreshRetrySeconds = 10; ///< OAUTH_REFRESH_RETRY_SECONDS
    bool mutualTls = false; ///< OAUTH_MUTUAL_TLS_ENABLED: the token call presents OUT_CLIENT_*
    QString bearerToken; ///< OIDC_BEARER_TOKEN or WSO2_BEARER_TOKEN (secret): a static token
    int authFailureRetries
        = 0; ///< OIDC_AUTH_FAILURE_REQUEST_RETRIES (WSO2_AUTH_FAILURE_REQUEST_RETRIES)
};

/** Retries of requests to the backend (BACKEND_REQUEST_RETRY_*). */
struct RetrySettings
{
    bool enabled = true;
    int maxRetries = 5;
    int delayMs = 1000;
    int maxDelayMs = 10000;
    int backoffFactor = 2;
};

/** Defaults of the FSPIOP HTTP client (HTTP_DEFAULT_*). */
struct HttpClientSettings
{
    int timeoutMs = 65000; ///< HTTP_DEFAULT_TIMEOUT; 0: no timeout
    int retries = 3; ///< HTTP_DEFAULT_RETRIES
    int retryDelayMs = 10; ///< HTTP_DEFAULT_RETRY_DELAY
};

/** The hub endpoints as configured: PEER_ENDPOINT and the per-resource overrides. */
struct HubEndpoints
{
    Endpoint peer; ///< PEER_ENDPOINT (required)
    std::optional<Endpoint> als; ///< ALS_ENDPOINT: parties, participants
    std::optional<Endpoint> quotes; ///< QUOTES_ENDPOINT
    std::optional<Endpoint> transfers; ///< TRANSFERS_ENDPOINT
    std::optional<Endpoint>
        transactionRequests; ///< TRANSACTION_REQUESTS_ENDPOINT (+ authorizations)
};

/** Resolved base URLs of the hub, one per endpoint; https exactly when outbound mTLS is on. */
struct HubUrls
{
    QUrl peer;
    QUrl als;
    QUrl quotes;
    QUrl transfers;
    QUrl transactionRequests;
};

/**
 * The resource versions used when RESOURCE_VERSIONS does not name a resource: FSPIOP 1.0 for
 * every resource the 18.0.2 SDK knows, 2.0 for fxQuotes, fxTransfers and ping, which exist only
 * from FSPIOP 2.0 on.
 */
Fspiop::ResourceVersions defaultResourceVersions();

/** The effective configuration of one connector. Default-constructed: every default. */
struct ConnectorConfig
{
    // Identity and listeners
    QString dfspId = QStringLiteral("mojaloop"); ///< DFSP_ID
    QHostAddress listenAddress = QHostAddress(QHostAddress::LocalHost); ///< LISTEN_ADDRESS (ours)
    quint16 inboundPort = 4000; ///< INBOUND_LISTEN_PORT; 0: any free port
    quint16 outboundPort = 4001; ///< OUTBOUND_LISTEN_PORT
    quint16 metricsPort = 4004; ///< METRICS_SERVER_LISTEN_PORT

    // Hub and backend
    HubEndpoints hubEndpoints; ///< as configured
    HubUrls hubUrls; ///< resolved by loadConfig()
    std::optional<Endpoint> backendEndpoint; ///< BACKEND_ENDPOINT
    QUrl backendUrl; ///< always http; empty if no BACKEND_ENDPOINT
    QString coreConnectorTemplate; ///< CORE_CONNECTOR_TEMPLATE (ours, for later): a file

    // Flow
    bool autoAcceptParty = true; ///< AUTO_ACCEPT_PARTY
    bool autoAcceptQuotes = true; ///< AUTO_ACCEPT_QUOTES
    bool allowTransferWithoutQuote = false; ///< ALLOW_TRANSFER_WITHOUT_QUOTE
    bool allowDifferentTransferTransactionId = false; ///< ALLOW_DIFFERENT_TRANSFER_TRANSACTION_ID
    bool useQuoteSourceFspAsTransferPayeeFsp
        = false; ///< USE_QUOTE_SOURCE_FSP_AS_TRANSFER_PAYEE_FSP
    bool reserveNotification = false; ///< RESERVE_NOTIFICATION
    bool sendFinalNotificationIfRequested = false; ///< SEND_FINAL_NOTIFICATION_IF_REQUESTED
    QStringList supportedCurrencies; ///< SUPPORTED_CURRENCIES, upper case

    // ILP, expiry and timeouts
    Fspiop::Ilp::Version ilpVersion = Fspiop::Ilp::Version::V1; ///< ILP_VERSION
    QString ilpSecret = QStringLiteral("mojaloop-sdk"); ///< ILP_SECRET (secret)
    bool checkIlp = true; ///< CHECK_ILP
    int expirySeconds = 60; ///< EXPIRY_SECONDS
    bool rejectExpiredQuoteResponses = false; ///< REJECT_EXPIRED_QUOTE_RESPONSES
    bool rejectTransfersOnExpiredQuotes = false; ///< REJECT_TRANSFERS_ON_EXPIRED_QUOTES
    bool rejectExpiredTransferFulfils = false; ///< REJECT_EXPIRED_TRANSFER_FULFILS
    int requestProcessingTimeoutSeconds = 30; ///< REQUEST_PROCESSING_TIMEOUT_SECONDS
    int patchNotificationGraceTimeMs = 15000; ///< PATCH_NOTIFICATION_GRACE_TIME_MS

    // JWS
    bool jwsSign = true; ///< JWS_SIGN
    bool jwsSignPutParties = false; ///< JWS_SIGN_PUT_PARTIES
    QString jwsSigningKeyPath; ///< JWS_SIGNING_KEY_PATH (absolute)
    bool validateInboundJws = true; ///< VALIDATE_INBOUND_JWS
    bool validateInboundPutPartiesJws = false; ///< VALIDATE_INBOUND_PUT_PARTIES_JWS
    QString jwsVerificationKeysDirectory; ///< JWS_VERIFICATION_KEYS_DIRECTORY (absolute)

    // TLS
    TlsSettings inboundTls; ///< INBOUND_MUTUAL_TLS_ENABLED, IN_*
    TlsSettings outboundTls; ///< OUTBOUND_MUTUAL_TLS_ENABLED, OUT_*

    // OAuth2
    OAuthSettings oauth;

    // Protocol
    Fspiop::ResourceVersions resourceVersions = defaultResourceVersions(); ///< RESOURCE_VERSIONS
    IdGeneratorSettings idGenerator; ///< ID_GENERATOR
    quint8 traceFlags = 0x01; ///< TRACE_FLAGS
    qint64 fspiopApiMaxRequestBytes = 209715200; ///< FSPIOP_API_SERVER_MAX_REQUEST_BYTES
    qint64 backendApiMaxRequestBytes = 209715200; ///< BACKEND_API_SERVER_MAX_REQUEST_BYTES
    QString outboundErrorStatusCodeExtensionKey; ///< OUTBOUND_ERROR_STATUSCODE_EXTENSION_KEY

    // Retries and HTTP client
    RetrySettings backendRequestRetry; ///< BACKEND_REQUEST_RETRY_*
    HttpClientSettings http; ///< HTTP_DEFAULT_*

    // Operations
    LogLevel logLevel = LogLevel::Info; ///< LOG_LEVEL
    bool logJson = false; ///< LOG_IS_JSON_OUTPUT
    QString dataDir; ///< PM_DATA_DIR (ours, absolute); empty if not set

    /** Everything worth telling the operator that did not stop loading, one line each. */
    QStringList warnings;
    /** Where each setting that was set came from; settings left at their default are absent. */
    QHash<QString, SettingSource> sources;

    /** Where `setting` came from (Kind::Default if it was not set). */
    SettingSource sourceOf(const QString &setting) const;

    /**
     * The hub base URL for requests about `resource`: parties and participants → ALS, quotes,
     * transfers, transactionRequests and authorizations → their endpoints, anything else (bulk,
     * FX, ping, services) → PEER_ENDPOINT.
     */
    QUrl hubUrl(QStringView resource) const;
};

/** One KEY=VALUE assignment of a config file. */
struct ConfigFileEntry
{
    QString key;
    QString value;
    int line = 0; ///< 1-based line where the assignment starts
};

/** A parsed config file: its assignments in file order, and the warnings parsing gave. */
struct ConfigFile
{
    QList<ConfigFileEntry> entries;
    QStringList warnings;
};

/**
 * Parses the text of a config file (the syntax is described in docs/configuration.md): blank
 * lines and `#` comments, an optional `export ` prefix, KEY=VALUE (or the dotenv form KEY: VALUE),
 * values in single, double or back quotes (which may span lines), `\n` and `\r` in double quotes,
 * and a `#` comment after a value. A line that is none of these fails with "<fileName>:<line>:
 * ...". Error messages never repeat a value, which may be a secret.
 */
Result<ConfigFile> parseConfigFile(QStringView text, const QString &fileName);

/** Reads `path` (UTF-8, an optional BOM) and parses it with parseConfigFile(). */
Result<ConfigFile> readConfigFile(const QString &path);

/**
 * Loads the configuration: the assignments of `configFile` if given, then the environment, which
 * wins. A variable set to an empty value counts as not set. Returns the first problem as one line
 * naming the setting, the value where it is not secret, what is accepted and where the value came
 * from ("INBOUND_LISTEN_PORT (environment): ..."). Variables of the reference SDK this connector
 * does not use, unknown keys of the file and other non-fatal findings go to
 * ConnectorConfig::warnings. Other environment variables are not read.
 */
Result<ConnectorConfig> loadConfig(
    const QProcessEnvironment &env, const std::optional<QString> &configFile);

/**
 * The connector's data directory: `dataDirOption` (--data-dir) if given and not empty, else
 * PM_DATA_DIR, else QStandardPaths::AppDataLocation (which depends on the application and
 * organisation names). Returned absolute and clean; not created. Fails if the path exists and is
 * not a directory.
 */
Result<QString> resolveDataDir(
    const std::optional<QString> &dataDirOption, const ConnectorConfig &config);

/**
 * The effective configuration as KEY=VALUE lines, one per setting this connector reads, in the
 * order of docs/configuration.md; values that need it are quoted so that the output can be read
 * back as a config file. ILP_SECRET, OAUTH_CLIENT_SECRET and OIDC_BEARER_TOKEN are shown as
 * `********` when set. With `withSources`, each line ends with "  # <source>".
 */
QStringList describe(const ConnectorConfig &config, bool withSources = false);

/** The names of every setting this connector reads, in describe() order. */
QStringList knownSettings();

/** Older names still read for a setting: WSO2_BEARER_TOKEN, WSO2_AUTH_FAILURE_REQUEST_RETRIES. */
QStringList settingAliases();

/** The reference SDK's variables this connector does not use (each set one gives a warning). */
QStringList ignoredReferenceSettings();

} // namespace Pm::Connector
