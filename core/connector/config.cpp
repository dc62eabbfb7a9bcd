#include "core/connector/config.h"

#include "core/fspiop/currency.h"
#include "core/fspiop/mediatype.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>
#include <QStandardPaths>
#include <QStringDecoder>
#include <algorithm>
#include <functional>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace Pm::Connector {

namespace {

constexpr int kIntMax = std::numeric_limits<int>::max();
constexpr qint64 kInt64Max = std::numeric_limits<qint64>::max();
const QString kMask = u"********"_s;

// ---------------------------------------------------------------------------------------------
// Small helpers

QString quoted(QStringView text)
{
    return u'"' + text.toString() + u'"';
}

QString labelFor(const QString &name, const SettingSource &source)
{
    return name + u" ("_s + source.toString() + u')';
}

std::unexpected<Error> problem(const QString &label, const QString &what)
{
    return fail(0, label + u": "_s + what);
}

bool isAsciiDigits(QStringView text)
{
    if (text.isEmpty())
        return false;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

/** Non-negative decimal integer, leading zeros allowed, no sign; nullopt if not one or too big. */
std::optional<qint64> parseWhole(QStringView text)
{
    text = text.trimmed();
    if (!isAsciiDigits(text))
        return std::nullopt;
    while (text.size() > 1 && text.front() == u'0')
        text = text.sliced(1);
    if (text.size() > 18)
        return std::nullopt;
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    return ok ? std::optional<qint64>(value) : std::nullopt;
}

bool hasControlCharacters(QStringView text)
{
    for (QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return true;
    }
    return false;
}

bool isPrintableAscii(QStringView text)
{
    for (QChar c : text) {
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return false;
    }
    return true;
}

QString rangeText(qint64 min, qint64 max)
{
    if (max == kIntMax || max == kInt64Max)
        return QString::number(min) + u" or more"_s;
    return QString::number(min) + u" to "_s + QString::number(max);
}

Result<qint64> parseNumber(QStringView text, const QString &label, qint64 min, qint64 max)
{
    const auto value = parseWhole(text);
    if (value && *value > max && (max == kIntMax || max == kInt64Max))
        return problem(label,
            quoted(text.trimmed()) + u" is too large (at most "_s + QString::number(max) + u')');
    if (!value || *value < min || *value > max) {
        return problem(label,
            quoted(text.trimmed()) + u" is not a whole number ("_s + rangeText(min, max) + u')');
    }
    return *value;
}

Result<quint16> parsePort(QStringView text, const QString &label)
{
    const auto value = parseWhole(text);
    if (!value || *value > 65535) {
        return problem(label,
            quoted(text.trimmed()) + u" is not a port number (0-65535; 0 picks a free port)"_s);
    }
    return quint16(*value);
}

Result<bool> parseBoolSetting(QStringView text, const QString &label)
{
    if (const auto value = parseBool(text))
        return *value;
    return problem(
        label, quoted(text.trimmed()) + u" is not a boolean (true/false, 1/0, yes/no, on/off)"_s);
}

/** An existing, readable file, returned absolute. Relative paths are taken from the working
 * directory. */
Result<QString> checkFile(QStringView text, const QString &label)
{
    const QString path = text.trimmed().toString();
    const QFileInfo info(path);
    if (!info.exists())
        return problem(label, u"file "_s + quoted(path) + u" does not exist"_s);
    if (!info.isFile())
        return problem(label, quoted(path) + u" is not a file"_s);
    if (!info.isReadable())
        return problem(label, u"file "_s + quoted(path) + u" cannot be read"_s);
    return QDir::cleanPath(info.absoluteFilePath());
}

Result<QString> checkDirectory(QStringView text, const QString &label)
{
    const QString path = text.trimmed().toString();
    const QFileInfo info(path);
    if (!info.exists())
        return problem(label, u"directory "_s + quoted(path) + u" does not exist"_s);
    if (!info.isDir())
        return problem(label, quoted(path) + u" is not a directory"_s);
    return QDir::cleanPath(info.absoluteFilePath());
}

Result<QStringList> checkFileList(QStringView text, const QString &label)
{
    QStringList paths;
    for (QStringView part : text.split(u',')) {
        if (part.trimmed().isEmpty())
            continue;
        auto path = checkFile(part, label);
        if (!path)
            return std::unexpected(path.error());
        paths.append(*path);
    }
    return paths;
}

/** A value for describe(): quoted when a config file would read it differently unquoted. */
QString fileValue(const QString &value)
{
    const bool needsQuotes = value != value.trimmed() || value.contains(u'#')
        || value.contains(u'"') || value.contains(u'\'') || value.contains(u'`')
        || value.contains(u'\n') || value.contains(u'\r');
    if (!needsQuotes)
        return value;
    if (!value.contains(u'\''))
        return u'\'' + value + u'\'';
    if (!value.contains(u'"')) {
        QString escaped = value;
        escaped.replace(u'\n', u"\\n"_s).replace(u'\r', u"\\r"_s);
        return u'"' + escaped + u'"';
    }
    return u'`' + value + u'`';
}

QString boolText(bool value)
{
    return value ? u"true"_s : u"false"_s;
}

QString addressText(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::AnyIPProtocol)
        return u"*"_s;
    return address.toString();
}

QString optionalEndpointText(const std::optional<Endpoint> &endpoint)
{
    return endpoint ? endpoint->toString() : QString();
}

// ---------------------------------------------------------------------------------------------
// The settings table

struct LoadContext
{
    QStringList &warnings;
};

using Parser = std::function<Result<void>(
    ConnectorConfig &, QStringView text, const QString &label, LoadContext &)>;
using Shower = std::function<QString(const ConnectorConfig &)>;

struct Spec
{
    Spec(QString n, Parser p, Shower s, bool isSecret = false)
        : name(std::move(n))
        , parse(std::move(p))
        , show(std::move(s))
        , secret(isSecret)
    { }

    QString name;
    Parser parse;
    Shower show;
    bool secret = false;
    QString alias; ///< an older name read when `name` is not set
};

template<class Field> Spec boolSpec(const QString &name, Field field)
{
    return { name,
        [field](ConnectorConfig &c, QStringView text, const QString &label,
            LoadContext &) -> Result<void> {
            auto value = parseBoolSetting(text, label);
            if (!value)
                return std::unexpected(value.error());
            field(c) = *value;
            return {};
        },
        [field](const ConnectorConfig &c) { return boolText(field(c)); } };
}

template<class Field>
Spec intSpec(const QString &name, Field field, qint64 min, qint64 max = kIntMax)
{
    return { name,
        [field, min, max](ConnectorConfig &c, QStringView text, const QString &label,
            LoadContext &) -> Result<void> {
            auto value = parseNumber(text, label, min, max);
            if (!value)
                return std::unexpected(value.error());
            field(c) = static_cast<std::remove_reference_t<decltype(field(c))>>(*value);
            return {};
        },
        [field](const ConnectorConfig &c) { return QString::number(field(c)); } };
}

template<class Field> Spec portSpec(const QString &name, Field field)
{
    return { name,
        [field](ConnectorConfig &c, QStringView text, const QString &label,
            LoadContext &) -> Result<void> {
            auto value = parsePort(text, label);
            if (!value)
                return std::unexpected(value.error());
            field(c) = *value;
            return {};
        },
        [field](const ConnectorConfig &c) { return QString::number(field(c)); } };
}

template<class Field> Spec fileSpec(const QString &name, Field field)
{
    return { name,
        [field](ConnectorConfig &c, QStringView text, const QString &label,
            LoadContext &) -> Result<void> {
            auto path = checkFile(text, label);
            if (!path)
                return std::unexpected(path.error());
            field(c) = *path;
            return {};
        },
        [field](const ConnectorConfig &c) { return field(c); } };
}

template<class Field> Spec fileListSpec(const QString &name, Field field)
{
    return { name,
        [field](ConnectorConfig &c, QStringView text, const QString &label,
            LoadContext &) -> Result<void> {
            auto paths = checkFileList(text, label);
            if (!paths)
                return std::unexpected(paths.error());
            field(c) = *paths;
            return {};
        },
        [field](const ConnectorConfig &c) { return field(c).join(u','); } };
}

template<class Field> Spec endpointSpec(const QString &name, Field field)
{
    return { name,
        [field](ConnectorConfig &c, QStringView text, const QString &label,
            LoadContext &) -> Result<void> {
            auto endpoint = parseEndpoint(text, label);
            if (!endpoint)
                return std::unexpected(endpoint.error());
            field(c) = *endpoint;
            return {};
        },
        [field](const ConnectorConfig &c) { return optionalEndpointText(field(c)); } };
}

/** A secret or free-form string kept exactly as given. `check` returns a problem or empty. */
template<class Field>
Spec stringSpec(
    const QString &name, Field field, bool secret, std::function<QString(QStringView)> check = {})
{
    return { name,
        [field, check](ConnectorConfig &c, QStringView text, const QString &label,
            LoadContext &) -> Result<void> {
            if (check) {
                if (const QString what = check(text); !what.isEmpty())
                    return problem(label, what);
            }
            field(c) = text.toString();
            return {};
        },
        [field](const ConnectorConfig &c) { return field(c); }, secret };
}

const QStringList &referenceOnlyResources()
{
    // Resources the reference's RESOURCE_VERSIONS may name that this connector never calls.
    static const QStringList names { u"custom"_s, u"thirdparty"_s, u"services"_s };
    return names;
}

Result<void> parseResourceVersionsSetting(
    ConnectorConfig &c, QStringView text, const QString &label, LoadContext &context)
{
    QStringList kept;
    for (QStringView entry : text.split(u',')) {
        entry = entry.trimmed();
        if (entry.isEmpty())
            continue;
        const qsizetype eq = entry.indexOf(u'=');
        const QString name = (eq < 0 ? entry : entry.first(eq)).trimmed().toString();
        if (referenceOnlyResources().contains(name)) {
            context.warnings.append(
                label + u": "_s + name + u" is not used by this connector (ignored)"_s);
            continue;
        }
        kept.append(entry.toString());
    }
    auto versions
        = Fspiop::ResourceVersions::parse(kept.join(u','), label, defaultResourceVersions());
    if (!versions)
        return fail(0, versions.error().message);
    c.resourceVersions = std::move(*versions);
    return {};
}

Result<void> parseLogLevel(
    ConnectorConfig &c, QStringView text, const QString &label, LoadContext &)
{
    const QString value = text.trimmed().toString().toLower();
    static const QHash<QString, LogLevel> levels {
        { u"trace"_s, LogLevel::Trace },
        { u"silly"_s, LogLevel::Trace },
        { u"debug"_s, LogLevel::Debug },
        { u"verbose"_s, LogLevel::Debug },
        { u"info"_s, LogLevel::Info },
        { u"audit"_s, LogLevel::Info },
        { u"perf"_s, LogLevel::Info },
        { u"warn"_s, LogLevel::Warn },
        { u"warning"_s, LogLevel::Warn },
        { u"error"_s, LogLevel::Error },
        { u"fatal"_s, LogLevel::Fatal },
    };
    const auto it = levels.constFind(value);
    if (it == levels.cend()) {
        return problem(label,
            quoted(text.trimmed())
                + u" is not a log level (trace, debug, info, warn, error or fatal)"_s);
    }
    c.logLevel = *it;
    return {};
}

Result<void> parseListenAddress(
    ConnectorConfig &c, QStringView text, const QString &label, LoadContext &)
{
    QString value = text.trimmed().toString();
    if (value == u"*") {
        c.listenAddress = QHostAddress(QHostAddress::Any);
        return {};
    }
    if (value.compare(u"localhost"_s, Qt::CaseInsensitive) == 0) {
        c.listenAddress = QHostAddress(QHostAddress::LocalHost);
        return {};
    }
    if (value.startsWith(u'[') && value.endsWith(u']'))
        value = value.sliced(1, value.size() - 2);
    QHostAddress address;
    if (!address.setAddress(value)) {
        return problem(label,
            quoted(text.trimmed())
                + u" is not an IP address (for example 127.0.0.1, ::1, or * for every interface)"_s);
    }
    c.listenAddress = address;
    return {};
}

Result<void> parseOAuthTokenEndpoint(
    ConnectorConfig &c, QStringView text, const QString &label, LoadContext &)
{
    const QString value = text.trimmed().toString();
    const QUrl url(value, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https") || url.host().isEmpty()) {
        return problem(label,
            quoted(value)
                + u" is not an http or https URL (for example https://auth.example.com/token)"_s);
    }
    c.oauth.tokenEndpoint = url;
    return {};
}

Result<void> parseSupportedCurrencies(
    ConnectorConfig &c, QStringView text, const QString &label, LoadContext &)
{
    QStringList codes;
    for (QStringView part : text.split(u',')) {
        const QString code = part.trimmed().toString().toUpper();
        if (code.isEmpty())
            continue;
        if (!Fspiop::isKnownCurrency(code)) {
            return problem(label,
                quoted(part.trimmed())
                    + u" is not an ISO 4217 currency code (comma-separated, for example USD,EUR)"_s);
        }
        if (!codes.contains(code))
            codes.append(code);
    }
    c.supportedCurrencies = codes;
    return {};
}

std::vector<Spec> buildSpecs()
{
    using C = ConnectorConfig;
    std::vector<Spec> specs;
    auto add = [&specs](Spec spec) { specs.push_back(std::move(spec)); };

    // Identity and listeners
    add({ u"DFSP_ID"_s,
        [](C &c, QStringView text, const QString &label, LoadContext &) -> Result<void> {
            const QStringView id = text.trimmed();
            if (id.size() > 32 || !isPrintableAscii(id))
                return problem(label,
                    quoted(id)
                        + u" is not an FSP id (1 to 32 printable ASCII characters, no spaces)"_s);
            c.dfspId = id.toString();
            return {};
        },
        [](const C &c) { return c.dfspId; } });
    add({ u"LISTEN_ADDRESS"_s, parseListenAddress,
        [](const C &c) { return addressText(c.listenAddress); } });
    add(portSpec(
        u"INBOUND_LISTEN_PORT"_s, [](auto &c) -> auto & { return c.inboundPort; }));
    add(portSpec(
        u"OUTBOUND_LISTEN_PORT"_s, [](auto &c) -> auto & { return c.outboundPort; }));
    add(portSpec(
        u"METRICS_SERVER_LISTEN_PORT"_s, [](auto &c) -> auto & { return c.metricsPort; }));

    // Hub and backend
    add({ u"PEER_ENDPOINT"_s,
        [](C &c, QStringView text, const QString &label, LoadContext &) -> Result<void> {
            auto endpoint = parseEndpoint(text, label);
            if (!endpoint)
                return std::unexpected(endpoint.error());
            c.hubEndpoints.peer = *endpoint;
            return {};
        },
        [](const C &c) {
            return c.hubEndpoints.peer.host.isEmpty() ? QString() : c.hubEndpoints.peer.toString();
        } });
    add(endpointSpec(
        u"ALS_ENDPOINT"_s, [](auto &c) -> auto & { return c.hubEndpoints.als; }));
    add(endpointSpec(
        u"QUOTES_ENDPOINT"_s, [](auto &c) -> auto & { return c.hubEndpoints.quotes; }));
    add(endpointSpec(
        u"TRANSFERS_ENDPOINT"_s, [](auto &c) -> auto & { return c.hubEndpoints.transfers; }));
    add(endpointSpec(
        u"TRANSACTION_REQUESTS_ENDPOINT"_s,
        [](auto &c) -> auto & { return c.hubEndpoints.transactionRequests; }));
    add(endpointSpec(
        u"BACKEND_ENDPOINT"_s, [](auto &c) -> auto & { return c.backendEndpoint; }));
    add(fileSpec(
        u"CORE_CONNECTOR_TEMPLATE"_s, [](auto &c) -> auto & { return c.coreConnectorTemplate; }));

    // Flow
    add(boolSpec(
        u"AUTO_ACCEPT_PARTY"_s, [](auto &c) -> auto & { return c.autoAcceptParty; }));
    add(boolSpec(
        u"AUTO_ACCEPT_QUOTES"_s, [](auto &c) -> auto & { return c.autoAcceptQuotes; }));
    add(boolSpec(
        u"ALLOW_TRANSFER_WITHOUT_QUOTE"_s,
        [](auto &c) -> auto & { return c.allowTransferWithoutQuote; }));
    add(boolSpec(
        u"ALLOW_DIFFERENT_TRANSFER_TRANSACTION_ID"_s,
        [](auto &c) -> auto & { return c.allowDifferentTransferTransactionId; }));
    add(boolSpec(
        u"USE_QUOTE_SOURCE_FSP_AS_TRANSFER_PAYEE_FSP"_s,
        [](auto &c) -> auto & { return c.useQuoteSourceFspAsTransferPayeeFsp; }));
    add(boolSpec(
        u"RESERVE_NOTIFICATION"_s, [](auto &c) -> auto & { return c.reserveNotification; }));
    add(boolSpec(
        u"SEND_FINAL_NOTIFICATION_IF_REQUESTED"_s,
        [](auto &c) -> auto & { return c.sendFinalNotificationIfRequested; }));
    add({ u"SUPPORTED_CURRENCIES"_s, parseSupportedCurrencies,
        [](const C &c) { return c.supportedCurrencies.join(u','); } });

    // ILP, expiry and timeouts
    add({ u"ILP_VERSION"_s,
        [](C &c, QStringView text, const QString &label, LoadContext &) -> Result<void> {
            const auto version
                = Fspiop::Ilp::versionFromString(text.trimmed().toString().toLower());
            if (!version)
                return problem(
                    label, quoted(text.trimmed()) + u" is not an ILP version (1 or 4)"_s);
            c.ilpVersion = *version;
            return {};
        },
        [](const C &c) { return QString::number(static_cast<int>(c.ilpVersion)); } });
    add(stringSpec(
        u"ILP_SECRET"_s, [](auto &c) -> auto & { return c.ilpSecret; }, true));
    add(boolSpec(
        u"CHECK_ILP"_s, [](auto &c) -> auto & { return c.checkIlp; }));
    add(intSpec(
        u"EXPIRY_SECONDS"_s, [](auto &c) -> auto & { return c.expirySeconds; }, 1));
    add(boolSpec(
        u"REJECT_EXPIRED_QUOTE_RESPONSES"_s,
        [](auto &c) -> auto & { return c.rejectExpiredQuoteResponses; }));
    add(boolSpec(
        u"REJECT_TRANSFERS_ON_EXPIRED_QUOTES"_s,
        [](auto &c) -> auto & { return c.rejectTransfersOnExpiredQuotes; }));
    add(boolSpec(
        u"REJECT_EXPIRED_TRANSFER_FULFILS"_s,
        [](auto &c) -> auto & { return c.rejectExpiredTransferFulfils; }));
    add(intSpec(
        u"REQUEST_PROCESSING_TIMEOUT_SECONDS"_s,
        [](auto &c) -> auto & { return c.requestProcessingTimeoutSeconds; }, 1));
    add(intSpec(
        u"PATCH_NOTIFICATION_GRACE_TIME_MS"_s,
        [](auto &c) -> auto & { return c.patchNotificationGraceTimeMs; }, 0));

    // JWS
    add(boolSpec(
        u"JWS_SIGN"_s, [](auto &c) -> auto & { return c.jwsSign; }));
    add(boolSpec(
        u"JWS_SIGN_PUT_PARTIES"_s, [](auto &c) -> auto & { return c.jwsSignPutParties; }));
    add(fileSpec(
        u"JWS_SIGNING_KEY_PATH"_s, [](auto &c) -> auto & { return c.jwsSigningKeyPath; }));
    add(boolSpec(
        u"VALIDATE_INBOUND_JWS"_s, [](auto &c) -> auto & { return c.validateInboundJws; }));
    add(boolSpec(
        u"VALIDATE_INBOUND_PUT_PARTIES_JWS"_s,
        [](auto &c) -> auto & { return c.validateInboundPutPartiesJws; }));
    add({ u"JWS_VERIFICATION_KEYS_DIRECTORY"_s,
        [](C &c, QStringView text, const QString &label, LoadContext &) -> Result<void> {
            auto path = checkDirectory(text, label);
            if (!path)
                return std::unexpected(path.error());
            c.jwsVerificationKeysDirectory = *path;
            return {};
        },
        [](const C &c) { return c.jwsVerificationKeysDirectory; } });

    // TLS
    add(boolSpec(
        u"INBOUND_MUTUAL_TLS_ENABLED"_s, [](auto &c) -> auto & { return c.inboundTls.mutualTls; }));
    add(fileListSpec(
        u"IN_CA_CERT_PATH"_s, [](auto &c) -> auto & { return c.inboundTls.caCertPaths; }));
    add(fileSpec(
        u"IN_SERVER_CERT_PATH"_s, [](auto &c) -> auto & { return c.inboundTls.certPath; }));
    add(fileSpec(
        u"IN_SERVER_KEY_PATH"_s, [](auto &c) -> auto & { return c.inboundTls.keyPath; }));
    add(boolSpec(
        u"OUTBOUND_MUTUAL_TLS_ENABLED"_s,
        [](auto &c) -> auto & { return c.outboundTls.mutualTls; }));
    add(fileListSpec(
        u"OUT_CA_CERT_PATH"_s, [](auto &c) -> auto & { return c.outboundTls.caCertPaths; }));
    add(fileSpec(
        u"OUT_CLIENT_CERT_PATH"_s, [](auto &c) -> auto & { return c.outboundTls.certPath; }));
    add(fileSpec(
        u"OUT_CLIENT_KEY_PATH"_s, [](auto &c) -> auto & { return c.outboundTls.keyPath; }));

    // OAuth2
    add({ u"OAUTH_TOKEN_ENDPOINT"_s, parseOAuthTokenEndpoint,
        [](const C &c) { return c.oauth.tokenEndpoint.toString(); } });
    add(stringSpec(
        u"OAUTH_CLIENT_KEY"_s, [](auto &c) -> auto & { return c.oauth.clientKey; }, false,
        [](QStringView v) -> QString {
            if (v.contains(u':') || hasControlCharacters(v))
                return u"a client key cannot contain ':' or control characters (HTTP Basic authentication)"_s;
            return QString();
        }));
    add(stringSpec(
        u"OAUTH_CLIENT_SECRET"_s, [](auto &c) -> auto & { return c.oauth.clientSecret; }, true,
        [](QStringView v) -> QString {
            if (hasControlCharacters(v))
                return u"the secret contains control characters"_s;
            return QString();
        }));
    add(intSpec(
        u"OAUTH_REFRESH_SECONDS"_s, [](auto &c) -> auto & { return c.oauth.refreshSeconds; }, 1));
    add(intSpec(
        u"OAUTH_REFRESH_RETRY_SECONDS"_s,
        [](auto &c) -> auto & { return c.oauth.refreshRetrySeconds; }, 1));
    add(boolSpec(
        u"OAUTH_MUTUAL_TLS_ENABLED"_s, [](auto &c) -> auto & { return c.oauth.mutualTls; }));
    {
        Spec spec(
            u"OIDC_BEARER_TOKEN"_s,
            [](C &c, QStringView text, const QString &label, LoadContext &) -> Result<void> {
                const QStringView token = text.trimmed();
                if (!isPrintableAscii(token)) {
                    return problem(label,
                        u"the token has characters an HTTP header cannot carry "
                        u"(use printable ASCII, no spaces)"_s);
                }
                c.oauth.bearerToken = token.toString();
                return {};
            },
            [](const C &c) { return c.oauth.bearerToken; }, true);
        spec.alias = u"WSO2_BEARER_TOKEN"_s;
        add(std::move(spec));
    }
    {
        Spec spec = intSpec(
            u"OIDC_AUTH_FAILURE_REQUEST_RETRIES"_s,
            [](auto &c) -> auto & { return c.oauth.authFailureRetries; }, 0);
        spec.alias = u"WSO2_AUTH_FAILURE_REQUEST_RETRIES"_s;
        add(std::move(spec));
    }

    // Protocol
    add({ u"RESOURCE_VERSIONS"_s, parseResourceVersionsSetting,
        [](const C &c) { return c.resourceVersions.toString(); } });
    add({ u"ID_GENERATOR"_s,
        [](C &c, QStringView text, const QString &label, LoadContext &ctx) -> Result<void> {
            auto generator = parseIdGenerator(text, label, &ctx.warnings);
            if (!generator)
                return std::unexpected(generator.error());
            c.idGenerator = *generator;
            return {};
        },
        [](const C &c) { return c.idGenerator.toString(); } });
    add({ u"TRACE_FLAGS"_s,
        [](C &c, QStringView text, const QString &label, LoadContext &) -> Result<void> {
            auto flags = Fspiop::parseTraceFlags(text.trimmed(), label);
            if (!flags)
                return fail(0, flags.error().message);
            c.traceFlags = *flags;
            return {};
        },
        [](const C &c) { return QString::number(c.traceFlags, 16).rightJustified(2, u'0'); } });
    add(intSpec(
        u"FSPIOP_API_SERVER_MAX_REQUEST_BYTES"_s,
        [](auto &c) -> auto & { return c.fspiopApiMaxRequestBytes; }, 1, kInt64Max));
    add(intSpec(
        u"BACKEND_API_SERVER_MAX_REQUEST_BYTES"_s,
        [](auto &c) -> auto & { return c.backendApiMaxRequestBytes; }, 1, kInt64Max));
    add(stringSpec(
        u"OUTBOUND_ERROR_STATUSCODE_EXTENSION_KEY"_s,
        [](auto &c) -> auto & { return c.outboundErrorStatusCodeExtensionKey; }, false,
        [](QStringView v) -> QString {
            if (v.size() > 32 || hasControlCharacters(v))
                return quoted(v) + u" is not an extension key (1 to 32 characters)"_s;
            return QString();
        }));

    // Retries and HTTP client
    add(boolSpec(
        u"BACKEND_REQUEST_RETRY_ENABLED"_s,
        [](auto &c) -> auto & { return c.backendRequestRetry.enabled; }));
    add(intSpec(
        u"BACKEND_REQUEST_RETRY_MAX_RETRIES"_s,
        [](auto &c) -> auto & { return c.backendRequestRetry.maxRetries; }, 0));
    add(intSpec(
        u"BACKEND_REQUEST_RETRY_DELAY_MS"_s,
        [](auto &c) -> auto & { return c.backendRequestRetry.delayMs; }, 0));
    add(intSpec(
        u"BACKEND_REQUEST_RETRY_MAX_DELAY_MS"_s,
        [](auto &c) -> auto & { return c.backendRequestRetry.maxDelayMs; }, 0));
    add(intSpec(
        u"BACKEND_REQUEST_RETRY_BACKOFF_FACTOR"_s,
        [](auto &c) -> auto & { return c.backendRequestRetry.backoffFactor; }, 1, 100));
    add(intSpec(
        u"HTTP_DEFAULT_TIMEOUT"_s, [](auto &c) -> auto & { return c.http.timeoutMs; }, 0));
    add(intSpec(
        u"HTTP_DEFAULT_RETRIES"_s, [](auto &c) -> auto & { return c.http.retries; }, 0));
    add(intSpec(
        u"HTTP_DEFAULT_RETRY_DELAY"_s, [](auto &c) -> auto & { return c.http.retryDelayMs; }, 0));

    // Operations
    add({ u"LOG_LEVEL"_s, parseLogLevel, [](const C &c) { return logLevelName(c.logLevel); } });
    add(boolSpec(
        u"LOG_IS_JSON_OUTPUT"_s, [](auto &c) -> auto & { return c.logJson; }));
    add({ u"PM_DATA_DIR"_s,
        [](C &c, QStringView text, const QString &label, LoadContext &) -> Result<void> {
            const QString path = text.trimmed().toString();
            const QFileInfo info(path);
            if (info.exists() && !info.isDir())
                return problem(label, quoted(path) + u" is not a directory"_s);
            c.dataDir = QDir::cleanPath(info.absoluteFilePath());
            return {};
        },
        [](const C &c) { return c.dataDir; } });
    return specs;
}

const std::vector<Spec> &specs()
{
    static const std::vector<Spec> table = buildSpecs();
    return table;
}

// ---------------------------------------------------------------------------------------------
// The reference's variables this connector does not use

struct Ignored
{
    QString name;
    QString reason;
};

const std::vector<Ignored> &ignoredTable()
{
    static const std::vector<Ignored> table = [] {
        const QString redis = u"this connector keeps its state in its own store, not in Redis"_s;
        const QString bulk = u"bulk transfers and their Kafka event handlers are not supported"_s;
        const QString fx = u"FX (currency conversion) is not supported"_s;
        const QString pm4ml = u"the PM4ML management API is not supported"_s;
        const QString testServer = u"the reference's test server is not provided"_s;
        const QString oauthServer = u"the reference's test OAuth token server is not provided"_s;
        const QString r2p = u"request-to-pay is not supported"_s;
        const QString logging = u"log formatting is this connector's own"_s;
        std::vector<Ignored> t {
            { u"CACHE_URL"_s, redis },
            { u"REDIS_CACHE_TTL"_s, redis },
            { u"UNSUBSCRIBE_TIMEOUT_MS"_s, redis },
            { u"MULTI_DFSP"_s, u"this connector serves one DFSP"_s },
            { u"API_TYPE"_s, u"this connector always speaks FSPIOP"_s },
            { u"BULK_QUOTES_ENDPOINT"_s, bulk },
            { u"BULK_TRANSFERS_ENDPOINT"_s, bulk },
            { u"FX_QUOTES_ENDPOINT"_s, fx },
            { u"FX_TRANSFERS_ENDPOINT"_s, fx },
            { u"GET_SERVICES_FXP_RESPONSE"_s, fx },
            { u"PING_ENDPOINT"_s, u"this connector sends no ping requests"_s },
            { u"TEST_LISTEN_PORT"_s, testServer },
            { u"ENABLE_TEST_FEATURES"_s, testServer },
            { u"ENABLE_OAUTH_TOKEN_ENDPOINT"_s, oauthServer },
            { u"OAUTH_TOKEN_ENDPOINT_CLIENT_KEY"_s, oauthServer },
            { u"OAUTH_TOKEN_ENDPOINT_CLIENT_SECRET"_s, oauthServer },
            { u"OAUTH_TOKEN_ENDPOINT_LISTEN_PORT"_s, oauthServer },
            { u"AUTO_ACCEPT_R2P_PARTY"_s, r2p },
            { u"AUTO_ACCEPT_R2P_BUSINESS_QUOTES"_s, r2p },
            { u"AUTO_ACCEPT_R2P_DEVICE_QUOTES"_s, r2p },
            { u"AUTO_ACCEPT_R2P_DEVICE_OTP"_s, r2p },
            { u"AUTO_ACCEPT_PARTICIPANTS_PUT"_s,
                u"account registration (PUT /participants) is not supported"_s },
            { u"MULTIPLE_PARTIES_RESPONSE"_s, u"multiple-party lookups are not supported"_s },
            { u"MULTIPLE_PARTIES_RESPONSE_SECONDS"_s,
                u"multiple-party lookups are not supported"_s },
            { u"GET_TRANSFER_REQUEST_RETRY_ENABLED"_s,
                u"GET /transfers retries are not supported"_s },
            { u"GET_TRANSFER_REQUEST_RETRY_MAX_RETRIES"_s,
                u"GET /transfers retries are not supported"_s },
            { u"GET_TRANSFER_REQUEST_RETRY_DELAY_MS"_s,
                u"GET /transfers retries are not supported"_s },
            { u"GET_TRANSFER_REQUEST_RETRY_MAX_DELAY_MS"_s,
                u"GET /transfers retries are not supported"_s },
            { u"GET_TRANSFER_REQUEST_RETRY_BACKOFF_FACTOR"_s,
                u"GET /transfers retries are not supported"_s },
            { u"PROXY_CONFIG_PATH"_s, u"proxy (interscheme) mode is not supported"_s },
            { u"PM4ML_ENABLED"_s, pm4ml },
            { u"MGMT_API_WS_URL"_s, pm4ml },
            { u"MGMT_API_WS_PORT"_s, pm4ml },
            { u"MGMT_API_LATENCY_ASSUMPTION"_s, pm4ml },
            { u"MANAGEMENT_API_POLL_INTERVAL_MS"_s, pm4ml },
            { u"LOG_INDENT"_s, logging },
            { u"LOG_INTERNAL_ROUTES"_s, logging },
            { u"ENABLE_BACKEND_EVENT_HANDLER"_s, bulk },
            { u"ENABLE_FSPIOP_EVENT_HANDLER"_s, bulk },
        };
        for (const QString &side : { u"BACKEND"_s, u"FSPIOP"_s }) {
            for (const QString &suffix : { u"CONSUMER_BROKER_LIST"_s, u"CONSUMER_GROUP_ID"_s,
                     u"CONSUMER_CLIENT_ID"_s, u"CONSUMER_TOPICS"_s, u"PRODUCER_BROKER_LIST"_s,
                     u"PRODUCER_CLIENT_ID"_s, u"PRODUCER_TOPIC"_s }) {
                t.push_back({ side + u"_EVENT_"_s + suffix, bulk });
            }
        }
        return t;
    }();
    return table;
}

const Spec *findSpec(const QString &name)
{
    for (const Spec &spec : specs()) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

bool isAlias(const QString &name)
{
    for (const Spec &spec : specs()) {
        if (!spec.alias.isEmpty() && spec.alias == name)
            return true;
    }
    return false;
}

bool isIgnored(const QString &name)
{
    for (const Ignored &ignored : ignoredTable()) {
        if (ignored.name == name)
            return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// Config file syntax

bool isKeyChar(QChar c)
{
    return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9')
        || c == u'_' || c == u'.' || c == u'-';
}

bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t';
}

struct RawValue
{
    QString text;
    SettingSource source;
};

} // namespace

// ---------------------------------------------------------------------------------------------
// Public helpers

QString SettingSource::toString() const
{
    switch (kind) {
    case Kind::Default:
        return u"default"_s;
    case Kind::Environment:
        return u"environment"_s;
    case Kind::File:
        return file + u':' + QString::number(line);
    }
    return {};
}

QString Endpoint::toString() const
{
    QString text = host.contains(u':') ? u'[' + host + u']' : host;
    if (port >= 0)
        text += u':' + QString::number(port);
    return text + basePath;
}

QUrl Endpoint::toUrl(const QString &scheme) const
{
    QUrl url;
    url.setScheme(scheme);
    url.setHost(host);
    if (port >= 0)
        url.setPort(port);
    url.setPath(basePath);
    return url;
}

Result<Endpoint> parseEndpoint(QStringView text, const QString &label)
{
    const QStringView value = text.trimmed();
    const QString shape
        = u" is not host:port[/base] (for example hub.example.com:3000 or 10.0.0.5:4000/switch)"_s;
    Endpoint endpoint;
    QStringView rest = value;
    const qsizetype sep = rest.indexOf(u"://");
    const auto isSchemeChar
        = [](QChar c) { return c.isLetterOrNumber() || c == u'+' || c == u'.' || c == u'-'; };
    if (sep > 0 && rest.front().isLetter()
        && std::all_of(rest.begin(), rest.begin() + sep, isSchemeChar)) {
        const QString scheme = rest.first(sep).toString().toLower();
        if (scheme != u"http" && scheme != u"https") {
            return problem(label,
                quoted(value) + u" has the scheme "_s + scheme
                    + u"://; write host:port[/base], the scheme follows OUTBOUND_MUTUAL_TLS_ENABLED"_s);
        }
        endpoint.writtenScheme = scheme;
        rest = rest.sliced(sep + 3);
    }
    const qsizetype slash = rest.indexOf(u'/');
    const QStringView authority = slash < 0 ? rest : rest.first(slash);
    const QStringView path = slash < 0 ? QStringView() : rest.sliced(slash);
    if (authority.isEmpty() || authority.contains(u'@') || path.contains(u'?')
        || path.contains(u'#') || authority.contains(u'?') || authority.contains(u'#')
        || value.contains(u' ')) {
        return problem(label, quoted(value) + shape);
    }

    QStringView hostPart = authority;
    QStringView portPart;
    bool hasPort = false;
    if (authority.startsWith(u'[')) {
        const qsizetype close = authority.indexOf(u']');
        if (close < 0)
            return problem(label, quoted(value) + shape);
        hostPart = authority.sliced(1, close - 1);
        const QStringView after = authority.sliced(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(u':'))
                return problem(label, quoted(value) + shape);
            portPart = after.sliced(1);
            hasPort = true;
        }
        QHostAddress address;
        if (!address.setAddress(hostPart.toString())
            || address.protocol() != QAbstractSocket::IPv6Protocol)
            return problem(label, quoted(value) + shape);
    } else {
        const qsizetype colon = authority.lastIndexOf(u':');
        if (colon >= 0) {
            if (authority.first(colon).contains(u':'))
                return problem(
                    label, quoted(value) + shape + u"; put an IPv6 address in brackets"_s);
            hostPart = authority.first(colon);
            portPart = authority.sliced(colon + 1);
            hasPort = true;
        }
        QUrl check;
        check.setHost(hostPart.toString(), QUrl::StrictMode);
        if (hostPart.isEmpty() || !check.isValid() || check.host().isEmpty())
            return problem(label, quoted(value) + shape);
    }
    endpoint.host = hostPart.toString();
    if (hasPort) {
        const auto port = parseWhole(portPart);
        if (!port || *port < 1 || *port > 65535)
            return problem(label, quoted(value) + u" has no valid port (1-65535) after the ':'"_s);
        endpoint.port = int(*port);
    }

    QStringList segments;
    for (QStringView segment : path.split(u'/', Qt::SkipEmptyParts))
        segments.append(segment.toString());
    endpoint.basePath = segments.isEmpty() ? QString() : u'/' + segments.join(u'/');
    return endpoint;
}

std::optional<bool> parseBool(QStringView text)
{
    const QString value = text.trimmed().toString().toLower();
    if (value == u"true" || value == u"1" || value == u"yes" || value == u"on")
        return true;
    if (value == u"false" || value == u"0" || value == u"no" || value == u"off")
        return false;
    return std::nullopt;
}

QString IdGeneratorSettings::toString() const
{
    if (type == Type::Ulid)
        return monotonic ? u"{\"type\":\"ulid\"}"_s : u"{\"type\":\"ulid\",\"monotonic\":false}"_s;
    return u"{\"type\":\"uuid\",\"version\":"_s + QString::number(uuidVersion) + u'}';
}

Result<IdGeneratorSettings> parseIdGenerator(
    QStringView text, const QString &label, QStringList *warnings)
{
    const QString value = text.trimmed().toString();
    const QString accepted
        = u" is not an id generator ({\"type\":\"uuid\"}, {\"type\":\"uuid\",\"version\":7}, "
          u"{\"type\":\"ulid\"}, uuid or ulid)"_s;
    IdGeneratorSettings settings;
    if (value.compare(u"uuid"_s, Qt::CaseInsensitive) == 0)
        return settings;
    if (value.compare(u"ulid"_s, Qt::CaseInsensitive) == 0) {
        settings.type = IdGeneratorSettings::Type::Ulid;
        return settings;
    }
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(value.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return problem(label, quoted(value) + accepted);
    const QJsonObject object = document.object();
    const QString type = object.value(u"type"_s).toString();
    if (type == u"uuid") {
        const QJsonValue version = object.value(u"version"_s);
        if (!version.isUndefined()) {
            const QString versionText
                = version.isDouble() ? QString::number(version.toDouble()) : version.toString();
            if (versionText == u"4" || versionText == u"v4") {
                settings.uuidVersion = 4;
            } else if (versionText == u"7" || versionText == u"v7") {
                settings.uuidVersion = 7;
            } else {
                return problem(label,
                    u"UUID version "_s + quoted(versionText.isEmpty() ? u"?"_s : versionText)
                        + u" is not supported (4 or 7)"_s);
            }
        }
    } else if (type == u"ulid") {
        settings.type = IdGeneratorSettings::Type::Ulid;
        const QJsonValue monotonic = object.value(u"monotonic"_s);
        if (!monotonic.isUndefined()) {
            if (!monotonic.isBool())
                return problem(label, u"\"monotonic\" must be true or false"_s);
            settings.monotonic = monotonic.toBool();
        }
    } else {
        return problem(label, quoted(value) + accepted);
    }
    if (warnings) {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString key = it.key();
            const bool known = key == u"type" || (type == u"uuid" && key == u"version")
                || (type == u"ulid" && key == u"monotonic");
            if (!known)
                warnings->append(
                    label + u": member "_s + quoted(key) + u" is not used (ignored)"_s);
        }
    }
    return settings;
}

QString logLevelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Trace:
        return u"trace"_s;
    case LogLevel::Debug:
        return u"debug"_s;
    case LogLevel::Info:
        return u"info"_s;
    case LogLevel::Warn:
        return u"warn"_s;
    case LogLevel::Error:
        return u"error"_s;
    case LogLevel::Fatal:
        return u"fatal"_s;
    }
    return u"info"_s;
}

Fspiop::ResourceVersions defaultResourceVersions()
{
    Fspiop::ResourceVersions versions; // every resource at 2.0
    for (const QString &resource : Fspiop::protocolResources()) {
        if (resource != u"fxQuotes" && resource != u"fxTransfers")
            versions.setVersion(resource, Fspiop::Versions::V1_0);
    }
    return versions;
}

SettingSource ConnectorConfig::sourceOf(const QString &setting) const
{
    return sources.value(setting);
}

QUrl ConnectorConfig::hubUrl(QStringView resource) const
{
    if (resource == u"parties" || resource == u"participants")
        return hubUrls.als;
    if (resource == u"quotes")
        return hubUrls.quotes;
    if (resource == u"transfers")
        return hubUrls.transfers;
    if (resource == u"transactionRequests" || resource == u"authorizations")
        return hubUrls.transactionRequests;
    return hubUrls.peer;
}

// ---------------------------------------------------------------------------------------------
// Config file

Result<ConfigFile> parseConfigFile(QStringView text, const QString &fileName)
{
    QString normalized = text.toString();
    if (normalized.startsWith(QChar(0xfeff)))
        normalized.remove(0, 1);
    normalized.replace(u"\r\n"_s, u"\n"_s).replace(u'\r', u'\n');
    const QStringList lines = normalized.split(u'\n');

    ConfigFile file;
    auto where = [&fileName](qsizetype index) -> QString {
        return fileName + u':' + QString::number(index + 1);
    };

    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        qsizetype p = 0;
        const qsizetype n = line.size();
        while (p < n && isBlank(line.at(p)))
            ++p;
        if (p == n || line.at(p) == u'#')
            continue;
        if (QStringView(line).sliced(p).startsWith(u"export") && p + 6 < n
            && isBlank(line.at(p + 6))) {
            p += 6;
            while (p < n && isBlank(line.at(p)))
                ++p;
        }
        const qsizetype keyStart = p;
        while (p < n && isKeyChar(line.at(p)))
            ++p;
        const QString key = line.mid(keyStart, p - keyStart);
        const qsizetype afterKey = p;
        while (p < n && isBlank(line.at(p)))
            ++p;
        bool separated = false;
        if (!key.isEmpty() && p < n && line.at(p) == u'=') {
            separated = true;
            ++p;
        } else if (!key.isEmpty() && afterKey == p && p + 1 < n && line.at(p) == u':'
            && isBlank(line.at(p + 1))) {
            separated = true; // dotenv's "KEY: value"
            ++p;
        }
        if (!separated)
            return fail(0, where(i) + u": expected KEY=VALUE"_s);
        while (p < n && isBlank(line.at(p)))
            ++p;

        ConfigFileEntry entry { key, QString(), int(i + 1) };
        const QChar first = p < n ? line.at(p) : QChar();
        if (first == u'"' || first == u'\'' || first == u'`') {
            // A quoted value; it may go on over the following lines.
            QString content;
            qsizetype lineIndex = i;
            qsizetype q = p + 1;
            bool closed = false;
            while (!closed) {
                const QString &current = lines.at(lineIndex);
                while (q < current.size()) {
                    const QChar c = current.at(q);
                    if (c == u'\\' && q + 1 < current.size() && current.at(q + 1) == first) {
                        content += c;
                        content += first;
                        q += 2;
                        continue;
                    }
                    if (c == first) {
                        closed = true;
                        break;
                    }
                    content += c;
                    ++q;
                }
                if (closed)
                    break;
                if (++lineIndex >= lines.size())
                    return fail(
                        0, where(i) + u": the value of "_s + key + u" has no closing "_s + first);
                content += u'\n';
                q = 0;
            }
            const QString &closingLine = lines.at(lineIndex);
            qsizetype t = q + 1;
            while (t < closingLine.size() && isBlank(closingLine.at(t)))
                ++t;
            if (t < closingLine.size() && closingLine.at(t) != u'#') {
                return fail(0,
                    where(lineIndex) + u": unexpected text after the closing "_s + first + u" of "_s
                        + key);
            }
            if (first == u'"')
                content.replace(u"\\n"_s, u"\n"_s).replace(u"\\r"_s, u"\r"_s);
            entry.value = content;
            i = lineIndex;
        } else {
            QString value = line.sliced(p);
            if (const qsizetype hash = value.indexOf(u'#'); hash >= 0) {
                if (hash > 0 && !isBlank(value.at(hash - 1))) {
                    file.warnings.append(where(i) + u": the value of "_s + key
                        + u" ends at '#' (the rest is a comment); quote the value to keep it"_s);
                }
                value.truncate(hash);
            }
            entry.value = value.trimmed();
        }
        file.entries.append(entry);
    }
    return file;
}

Result<ConfigFile> readConfigFile(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return fail(0, u"config file "_s + quoted(path) + u" does not exist"_s);
    if (!file.open(QIODevice::ReadOnly))
        return fail(
            0, u"config file "_s + quoted(path) + u" cannot be read: "_s + file.errorString());
    const QByteArray bytes = file.readAll();
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder(bytes);
    if (decoder.hasError())
        return fail(0, u"config file "_s + quoted(path) + u" is not UTF-8 text"_s);
    return parseConfigFile(text, path);
}

// ---------------------------------------------------------------------------------------------
// Loading

namespace {

/** The checks that involve several settings, and the resolved URLs. */
Result<void> finish(ConnectorConfig &c, const QHash<QString, RawValue> &raw)
{
    auto label = [&c](const QString &name) { return labelFor(name, c.sourceOf(name)); };
    auto isSet = [&raw](const QString &name) {
        const auto it = raw.constFind(name);
        return it != raw.cend() && !it->text.trimmed().isEmpty();
    };

    if (!isSet(u"PEER_ENDPOINT"_s))
        return fail(
            0, u"PEER_ENDPOINT is not set: give the hub's host:port[/base], without a scheme"_s);
    if (!isSet(u"BACKEND_ENDPOINT"_s) && !isSet(u"CORE_CONNECTOR_TEMPLATE"_s)) {
        return fail(0,
            u"BACKEND_ENDPOINT is not set: give the core connector's host:port[/base], "
            u"without a scheme (or set CORE_CONNECTOR_TEMPLATE)"_s);
    }

    // Schemes: the reference prepends http or https by OUTBOUND_MUTUAL_TLS_ENABLED and nothing
    // else.
    const QString hubScheme = c.outboundTls.mutualTls ? u"https"_s : u"http"_s;
    const std::pair<QString, const std::optional<Endpoint> *> overrides[] = {
        { u"ALS_ENDPOINT"_s, &c.hubEndpoints.als },
        { u"QUOTES_ENDPOINT"_s, &c.hubEndpoints.quotes },
        { u"TRANSFERS_ENDPOINT"_s, &c.hubEndpoints.transfers },
        { u"TRANSACTION_REQUESTS_ENDPOINT"_s, &c.hubEndpoints.transactionRequests },
    };
    auto checkScheme = [&](const QString &name, const Endpoint &endpoint) -> Result<void> {
        if (endpoint.writtenScheme.isEmpty() || endpoint.writtenScheme == hubScheme)
            return {};
        return problem(label(name),
            endpoint.writtenScheme + u":// does not match OUTBOUND_MUTUAL_TLS_ENABLED="_s
                + boolText(c.outboundTls.mutualTls) + u" ("_s + hubScheme
                + u"); write host:port[/base], the scheme follows that setting"_s);
    };
    if (auto ok = checkScheme(u"PEER_ENDPOINT"_s, c.hubEndpoints.peer); !ok)
        return ok;
    for (const auto &[name, endpoint] : overrides) {
        if (*endpoint) {
            if (auto ok = checkScheme(name, **endpoint); !ok)
                return ok;
        }
    }
    if (c.backendEndpoint && c.backendEndpoint->writtenScheme == u"https") {
        return problem(label(u"BACKEND_ENDPOINT"_s),
            u"https:// is not supported: the backend is called over plain http, as the reference does"_s);
    }

    // Mutual TLS needs its files.
    auto requireFile = [&](const QString &flag, bool enabled, const QString &name,
                           bool present) -> Result<void> {
        if (!enabled || present)
            return {};
        return fail(0, label(flag) + u": true needs "_s + name + u", which is not set"_s);
    };
    const std::tuple<QString, bool, QString, bool> needs[] = {
        { u"INBOUND_MUTUAL_TLS_ENABLED"_s, c.inboundTls.mutualTls, u"IN_CA_CERT_PATH"_s,
            !c.inboundTls.caCertPaths.isEmpty() },
        { u"INBOUND_MUTUAL_TLS_ENABLED"_s, c.inboundTls.mutualTls, u"IN_SERVER_CERT_PATH"_s,
            !c.inboundTls.certPath.isEmpty() },
        { u"INBOUND_MUTUAL_TLS_ENABLED"_s, c.inboundTls.mutualTls, u"IN_SERVER_KEY_PATH"_s,
            !c.inboundTls.keyPath.isEmpty() },
        { u"OUTBOUND_MUTUAL_TLS_ENABLED"_s, c.outboundTls.mutualTls, u"OUT_CLIENT_CERT_PATH"_s,
            !c.outboundTls.certPath.isEmpty() },
        { u"OUTBOUND_MUTUAL_TLS_ENABLED"_s, c.outboundTls.mutualTls, u"OUT_CLIENT_KEY_PATH"_s,
            !c.outboundTls.keyPath.isEmpty() },
        { u"OAUTH_MUTUAL_TLS_ENABLED"_s, c.oauth.mutualTls, u"OUT_CLIENT_CERT_PATH"_s,
            !c.outboundTls.certPath.isEmpty() },
        { u"OAUTH_MUTUAL_TLS_ENABLED"_s, c.oauth.mutualTls, u"OUT_CLIENT_KEY_PATH"_s,
            !c.outboundTls.keyPath.isEmpty() },
    };
    for (const auto &[flag, enabled, name, present] : needs) {
        if (auto ok = requireFile(flag, enabled, name, present); !ok)
            return ok;
    }

    // OAuth2 needs its client credentials.
    if (!c.oauth.tokenEndpoint.isEmpty()) {
        for (const QString &name : { u"OAUTH_CLIENT_KEY"_s, u"OAUTH_CLIENT_SECRET"_s }) {
            if (!isSet(name))
                return fail(0,
                    label(u"OAUTH_TOKEN_ENDPOINT"_s) + u": a token endpoint needs "_s + name
                        + u", which is not set"_s);
        }
    }

    // Two listeners on one port cannot both start.
    const std::pair<QString, quint16> ports[] = {
        { u"INBOUND_LISTEN_PORT"_s, c.inboundPort },
        { u"OUTBOUND_LISTEN_PORT"_s, c.outboundPort },
        { u"METRICS_SERVER_LISTEN_PORT"_s, c.metricsPort },
    };
    for (std::size_t a = 0; a < std::size(ports); ++a) {
        for (std::size_t b = a + 1; b < std::size(ports); ++b) {
            if (ports[a].second != 0 && ports[a].second == ports[b].second) {
                return fail(0,
                    label(ports[b].first) + u": port "_s + QString::number(ports[b].second)
                        + u" is already used by "_s + ports[a].first);
            }
        }
    }

    // Signing needs its key: refused here rather than at the first signed request.
    if (c.jwsSign && c.jwsSigningKeyPath.isEmpty()) {
        return fail(0,
            u"JWS_SIGNING_KEY_PATH: required when JWS_SIGN is true; set it or set JWS_SIGN=false"_s);
    }

    // Resolved URLs.
    const Endpoint &peer = c.hubEndpoints.peer;
    c.hubUrls.peer = peer.toUrl(hubScheme);
    c.hubUrls.als = c.hubEndpoints.als.value_or(peer).toUrl(hubScheme);
    c.hubUrls.quotes = c.hubEndpoints.quotes.value_or(peer).toUrl(hubScheme);
    c.hubUrls.transfers = c.hubEndpoints.transfers.value_or(peer).toUrl(hubScheme);
    c.hubUrls.transactionRequests
        = c.hubEndpoints.transactionRequests.value_or(peer).toUrl(hubScheme);
    c.backendUrl = c.backendEndpoint ? c.backendEndpoint->toUrl(u"http"_s) : QUrl();

    // Findings that do not stop the connector.
    if (c.validateInboundJws && c.jwsVerificationKeysDirectory.isEmpty()) {
        c.warnings.append(
            u"VALIDATE_INBOUND_JWS is true but JWS_VERIFICATION_KEYS_DIRECTORY is not set: "
            u"no inbound signature can be verified"_s);
    }
    if (c.outboundTls.mutualTls && c.outboundTls.caCertPaths.isEmpty()) {
        c.warnings.append(
            u"OUTBOUND_MUTUAL_TLS_ENABLED is true but OUT_CA_CERT_PATH is not set: "
            u"the hub's certificate is checked against the system's CA certificates"_s);
    }
    if (c.ilpSecret == ConnectorConfig().ilpSecret) {
        c.warnings.append(u"ILP_SECRET is the reference's public default (mojaloop-sdk): "
                          u"set a secret of your own"_s);
    }
    if (c.oauth.tokenEndpoint.isEmpty()
        && (isSet(u"OAUTH_CLIENT_KEY"_s) || isSet(u"OAUTH_CLIENT_SECRET"_s))) {
        c.warnings.append(
            u"OAUTH_CLIENT_KEY/OAUTH_CLIENT_SECRET are set but OAUTH_TOKEN_ENDPOINT is not: "
            u"no token is fetched"_s);
    }
    const bool idNeedsV2
        = c.idGenerator.type == IdGeneratorSettings::Type::Ulid || c.idGenerator.uuidVersion != 4;
    if (idNeedsV2) {
        QStringList oldResources;
        for (const QString &resource : { u"quotes"_s, u"transfers"_s, u"transactionRequests"_s }) {
            if (c.resourceVersions.version(resource).major < 2)
                oldResources.append(resource);
        }
        if (!oldResources.isEmpty()) {
            c.warnings.append(
                u"ID_GENERATOR: FSPIOP 1.x allows only UUIDs of versions 1 to 5 as ids, but "_s
                + oldResources.join(u", "_s)
                + u" use 1.x (RESOURCE_VERSIONS); a peer that validates ids will reject them"_s);
        }
    }
    return {};
}

} // namespace

Result<ConnectorConfig> loadConfig(
    const QProcessEnvironment &env, const std::optional<QString> &configFile)
{
    ConnectorConfig config;
    QStringList warnings;
    QHash<QString, RawValue> raw;

    auto isRead
        = [](const QString &name) { return findSpec(name) || isAlias(name) || isIgnored(name); };

    if (configFile) {
        auto file = readConfigFile(*configFile);
        if (!file)
            return std::unexpected(file.error());
        warnings += file->warnings;
        for (const ConfigFileEntry &entry : std::as_const(file->entries)) {
            const QString where = *configFile + u':' + QString::number(entry.line);
            if (!isRead(entry.key)) {
                warnings.append(where + u": "_s + entry.key
                    + u" is not a setting of this connector (ignored)"_s);
                continue;
            }
            if (const auto it = raw.constFind(entry.key); it != raw.cend()) {
                warnings.append(where + u": "_s + entry.key + u" is set again (line "_s
                    + QString::number(it->source.line) + u" is overridden)"_s);
            }
            raw.insert(entry.key,
                RawValue { entry.value, { SettingSource::Kind::File, *configFile, entry.line } });
        }
    }

    // The environment wins; an empty variable counts as not set.
    auto takeFromEnvironment = [&](const QString &name) {
        if (!env.contains(name))
            return;
        const QString value = env.value(name);
        if (value.trimmed().isEmpty())
            return;
        raw.insert(name, RawValue { value, { SettingSource::Kind::Environment, {}, 0 } });
    };
    for (const Spec &spec : specs()) {
        takeFromEnvironment(spec.name);
        if (!spec.alias.isEmpty())
            takeFromEnvironment(spec.alias);
    }
    for (const Ignored &ignored : ignoredTable())
        takeFromEnvironment(ignored.name);

    auto isSet = [&raw](const QString &name) {
        const auto it = raw.constFind(name);
        return it != raw.cend() && !it->text.trimmed().isEmpty();
    };

    // The reference's variables this connector does not use.
    for (const Ignored &ignored : ignoredTable()) {
        if (!isSet(ignored.name))
            continue;
        const RawValue &value = raw[ignored.name];
        const QString label = labelFor(ignored.name, value.source);
        if (ignored.name == u"API_TYPE"
            && value.text.trimmed().compare(u"fspiop"_s, Qt::CaseInsensitive) != 0) {
            return problem(label,
                quoted(value.text.trimmed())
                    + u" is not supported: this connector speaks FSPIOP only (fspiop)"_s);
        }
        if (ignored.name == u"MULTI_DFSP" && parseBool(value.text).value_or(false)) {
            return problem(
                label, u"true is not supported: this connector serves one DFSP (DFSP_ID)"_s);
        }
        warnings.append(label + u" is ignored: "_s + ignored.reason);
    }

    // Older names, read when the current one is not set.
    for (const Spec &spec : specs()) {
        if (spec.alias.isEmpty() || !isSet(spec.alias))
            continue;
        if (isSet(spec.name)) {
            warnings.append(labelFor(spec.alias, raw[spec.alias].source) + u" is ignored: "_s
                + spec.name + u" is set"_s);
        }
    }

    LoadContext context { warnings };
    for (const Spec &spec : specs()) {
        QString name = spec.name;
        if (!isSet(name)) {
            if (spec.alias.isEmpty() || !isSet(spec.alias))
                continue;
            name = spec.alias;
        }
        const RawValue &value = raw[name];
        const QString label = labelFor(name, value.source);
        if (auto ok = spec.parse(config, value.text, label, context); !ok)
            return std::unexpected(ok.error());
        config.sources.insert(spec.name, value.source);
    }

    config.warnings = warnings;
    if (auto ok = finish(config, raw); !ok)
        return std::unexpected(ok.error());
    return config;
}

Result<QString> resolveDataDir(
    const std::optional<QString> &dataDirOption, const ConnectorConfig &config)
{
    QString path;
    QString what;
    if (dataDirOption && !dataDirOption->trimmed().isEmpty()) {
        path = dataDirOption->trimmed();
        what = u"--data-dir"_s;
    } else if (!config.dataDir.isEmpty()) {
        path = config.dataDir;
        what = labelFor(u"PM_DATA_DIR"_s, config.sourceOf(u"PM_DATA_DIR"_s));
    } else {
        path = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        what = u"the per-user data directory"_s;
        if (path.isEmpty())
            return fail(0,
                u"no per-user data directory is known on this system: use --data-dir or PM_DATA_DIR"_s);
    }
    const QFileInfo info(path);
    if (info.exists() && !info.isDir())
        return fail(0, what + u": "_s + quoted(path) + u" is not a directory"_s);
    return QDir::cleanPath(info.absoluteFilePath());
}

QStringList describe(const ConnectorConfig &config, bool withSources)
{
    QStringList lines;
    for (const Spec &spec : specs()) {
        QString value = spec.show(config);
        if (spec.secret && !value.isEmpty())
            value = kMask;
        QString line = spec.name + u'=' + fileValue(value);
        if (withSources)
            line += u"  # "_s + config.sourceOf(spec.name).toString();
        lines.append(line);
    }
    return lines;
}

QStringList knownSettings()
{
    QStringList names;
    for (const Spec &spec : specs())
        names.append(spec.name);
    return names;
}

QStringList settingAliases()
{
    QStringList names;
    for (const Spec &spec : specs()) {
        if (!spec.alias.isEmpty())
            names.append(spec.alias);
    }
    return names;
}

QStringList ignoredReferenceSettings()
{
    QStringList names;
    for (const Ignored &ignored : ignoredTable())
        names.append(ignored.name);
    return names;
}

} // namespace Pm::Connector
