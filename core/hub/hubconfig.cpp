#include "core/hub/hubconfig.h"

#include "core/fspiop/amount.h"
#include "core/fspiop/currency.h"
#include "core/fspiop/json.h"
#include "core/fspiop/jws.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <limits>

using namespace Qt::StringLiterals;

namespace Pm::Hub {

namespace {

using Json = Fspiop::Json;

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

Result<QString> optionalString(const Json &object, const char *key, const QString &what)
{
    if (!object.contains(key))
        return QString();
    if (!object[key].is_string())
        return fail(0, u"%1.%2: must be a string"_s.arg(what, QLatin1StringView(key)));
    return str(object[key].get<std::string>());
}

Result<QByteArray> readFile(const QString &path, const QString &baseDir, const QString &what)
{
    const QString resolved
        = QFileInfo(path).isRelative() && !baseDir.isEmpty() ? QDir(baseDir).filePath(path) : path;
    QFile file(resolved);
    if (!file.open(QIODevice::ReadOnly))
        return fail(0, u"%1: cannot read '%2': %3"_s.arg(what, resolved, file.errorString()));
    return file.readAll();
}

Result<ParticipantConfig> participantFrom(
    const Json &j, const QString &baseDir, const QString &what)
{
    if (!j.is_object())
        return fail(0, u"%1: must be an object"_s.arg(what));
    ParticipantConfig p;
    auto fspId = optionalString(j, "fspId", what);
    if (!fspId)
        return std::unexpected(fspId.error());
    p.fspId = *fspId;
    auto endpoint = optionalString(j, "endpoint", what);
    if (!endpoint)
        return std::unexpected(endpoint.error());
    p.endpoint = QUrl(*endpoint, QUrl::StrictMode);
    if (j.contains("currencies")) {
        if (!j["currencies"].is_array())
            return fail(0, u"%1.currencies: must be an array of currency codes"_s.arg(what));
        for (const Json &c : j["currencies"]) {
            if (!c.is_string())
                return fail(0, u"%1.currencies: must be an array of currency codes"_s.arg(what));
            p.currencies << str(c.get<std::string>());
        }
    }
    auto pem = optionalString(j, "jwsPublicKey", what);
    if (!pem)
        return std::unexpected(pem.error());
    p.jwsPublicKeyPem = pem->toUtf8();
    auto pemPath = optionalString(j, "jwsPublicKeyPath", what);
    if (!pemPath)
        return std::unexpected(pemPath.error());
    if (!pemPath->isEmpty()) {
        auto bytes = readFile(*pemPath, baseDir, what + u".jwsPublicKeyPath"_s);
        if (!bytes)
            return std::unexpected(bytes.error());
        p.jwsPublicKeyPem = *bytes;
    }
    if (j.contains("netDebitCap")) {
        const Json &caps = j["netDebitCap"];
        if (!caps.is_object())
            return fail(0, u"%1.netDebitCap: must be an object of currency: amount"_s.arg(what));
        for (auto it = caps.begin(); it != caps.end(); ++it) {
            if (!it.value().is_string()) {
                return fail(0,
                    u"%1.netDebitCap.%2: must be an amount string such as \"1000\""_s.arg(
                        what, str(it.key())));
            }
            p.netDebitCap.insert(str(it.key()), str(it.value().get<std::string>()));
        }
    }
    if (auto ok = validateParticipant(p); !ok)
        return fail(0, what + u"."_s + ok.error().message);
    return p;
}

} // namespace

Result<void> validateParticipant(const ParticipantConfig &p)
{
    static const QRegularExpression idPattern(u"^[A-Za-z0-9_.-]{1,32}$"_s);
    if (!idPattern.match(p.fspId).hasMatch())
        return fail(
            0, u"fspId: '%1' must be 1 to 32 letters, digits, '.', '_' or '-'"_s.arg(p.fspId));
    if (!p.endpoint.isValid()
        || (p.endpoint.scheme() != u"http"_s && p.endpoint.scheme() != u"https"_s)
        || p.endpoint.host().isEmpty()) {
        return fail(0,
            u"endpoint: '%1' must be an http:// or https:// URL with a host"_s.arg(
                p.endpoint.toString()));
    }
    if (p.currencies.isEmpty())
        return fail(0, u"currencies: at least one currency is required"_s);
    for (const QString &c : p.currencies) {
        if (!Fspiop::isKnownCurrency(c))
            return fail(0, u"currencies: '%1' is not an ISO 4217 currency code"_s.arg(c));
    }
    for (auto it = p.netDebitCap.cbegin(); it != p.netDebitCap.cend(); ++it) {
        if (!p.currencies.contains(it.key()))
            return fail(
                0, u"netDebitCap.%1: not one of the participant's currencies"_s.arg(it.key()));
        const QString field = u"netDebitCap."_s + it.key();
        auto amount = Fspiop::Amount::parseLenient(it.value(), field);
        if (!amount)
            return std::unexpected(amount.error());
        auto minor = amount->toMinorUnits(it.key(), field);
        if (!minor)
            return std::unexpected(minor.error());
        if (*minor > quint64(std::numeric_limits<qint64>::max() / 4))
            return fail(0, u"netDebitCap.%1: too large"_s.arg(it.key()));
    }
    if (!p.jwsPublicKeyPem.isEmpty()) {
        auto key = Fspiop::Jws::VerificationKey::fromPem(p.jwsPublicKeyPem);
        if (!key)
            return fail(0, u"jwsPublicKey: "_s + key.error().message);
    }
    return {};
}

Result<ParticipantConfig> participantFromJson(
    QByteArrayView json, const QString &baseDir, const QString &what)
{
    auto j = Fspiop::parseJson(json);
    if (!j)
        return fail(0, u"%1: %2"_s.arg(what, j.error().message));
    return participantFrom(*j, baseDir, what);
}

Result<HubConfig> parseHubConfig(QByteArrayView json, const QString &baseDir)
{
    auto parsed = Fspiop::parseJson(json);
    if (!parsed)
        return fail(0, parsed.error().message);
    const Json &j = *parsed;
    if (!j.is_object())
        return fail(0, u"the hub configuration must be a JSON object"_s);
    HubConfig c;
    static const QStringList known { u"hubId"_s, u"port"_s, u"signingKeyPath"_s, u"requireJws"_s,
        u"requireJwsOnPutParties"_s, u"forwardTimeoutMs"_s, u"participants"_s, u"parties"_s };
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (!known.contains(str(it.key())))
            return fail(
                0, u"%1: unknown setting (known: %2)"_s.arg(str(it.key()), known.join(u", "_s)));
    }
    auto hubId = optionalString(j, "hubId", u"hub"_s);
    if (!hubId)
        return std::unexpected(hubId.error());
    if (!hubId->isEmpty())
        c.hubId = *hubId;
    if (j.contains("port")) {
        if (!j["port"].is_number_unsigned() || j["port"].get<quint64>() > 65535)
            return fail(0, u"port: must be a number from 0 to 65535"_s);
        c.port = quint16(j["port"].get<quint64>());
    }
    if (j.contains("forwardTimeoutMs")) {
        if (!j["forwardTimeoutMs"].is_number_unsigned()
            || j["forwardTimeoutMs"].get<quint64>() < 100
            || j["forwardTimeoutMs"].get<quint64>() > 600000) {
            return fail(0, u"forwardTimeoutMs: must be a number from 100 to 600000"_s);
        }
        c.forwardTimeoutMs = int(j["forwardTimeoutMs"].get<quint64>());
    }
    for (const char *flag : { "requireJws", "requireJwsOnPutParties" }) {
        if (!j.contains(flag))
            continue;
        if (!j[flag].is_boolean())
            return fail(0, u"%1: must be true or false"_s.arg(QLatin1StringView(flag)));
        (qstrcmp(flag, "requireJws") == 0 ? c.requireJws : c.requireJwsOnPutParties)
            = j[flag].get<bool>();
    }
    auto keyPath = optionalString(j, "signingKeyPath", u"hub"_s);
    if (!keyPath)
        return std::unexpected(keyPath.error());
    if (!keyPath->isEmpty()) {
        auto bytes = readFile(*keyPath, baseDir, u"signingKeyPath"_s);
        if (!bytes)
            return std::unexpected(bytes.error());
        c.signingKeyPem = *bytes;
    }
    if (j.contains("participants")) {
        if (!j["participants"].is_array())
            return fail(0, u"participants: must be an array"_s);
        int i = 0;
        for (const Json &p : j["participants"]) {
            auto participant = participantFrom(p, baseDir, u"participants[%1]"_s.arg(i++));
            if (!participant)
                return std::unexpected(participant.error());
            for (const ParticipantConfig &other : c.participants) {
                if (other.fspId == participant->fspId)
                    return fail(0,
                        u"participants[%1].fspId: '%2' is listed twice"_s.arg(i - 1).arg(
                            other.fspId));
            }
            c.participants << *participant;
        }
    }
    if (j.contains("parties")) {
        if (!j["parties"].is_array())
            return fail(0, u"parties: must be an array"_s);
        int i = 0;
        for (const Json &p : j["parties"]) {
            const QString what = u"parties[%1]"_s.arg(i++);
            if (!p.is_object())
                return fail(0, what + u": must be an object"_s);
            PartyEntry e;
            for (auto [key, field] : { std::pair { "type", &e.type }, std::pair { "id", &e.id },
                     std::pair { "subId", &e.subId }, std::pair { "fspId", &e.fspId } }) {
                auto v = optionalString(p, key, what);
                if (!v)
                    return std::unexpected(v.error());
                *field = *v;
            }
            if (e.type.isEmpty() || e.id.isEmpty() || e.fspId.isEmpty())
                return fail(0, what + u": type, id and fspId are required"_s);
            bool registered = false;
            for (const ParticipantConfig &pc : c.participants)
                registered = registered || pc.fspId == e.fspId;
            if (!registered)
                return fail(
                    0, u"%1.fspId: '%2' is not one of the participants"_s.arg(what, e.fspId));
            c.parties << e;
        }
    }
    return c;
}

Result<HubConfig> loadHubConfig(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(
            0, u"cannot read the hub configuration '%1': %2"_s.arg(path, file.errorString()));
    auto c = parseHubConfig(file.readAll(), QFileInfo(path).absolutePath());
    if (!c)
        return fail(0, u"%1: %2"_s.arg(path, c.error().message));
    return c;
}

} // namespace Pm::Hub
