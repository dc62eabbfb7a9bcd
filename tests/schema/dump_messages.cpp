// Writes every FSPIOP message pm_fspiop can build, for an independent validator (validate.mjs, ajv)
// to check against the official schemas:
//
//   dump_messages <out-dir> <fspiop-capture.json>
//
// <out-dir>/<vX_Y>/<SchemaType>__<name>.json  a message built by the library, for FSPIOP X.Y
// <out-dir>/<vX_Y>/invalid/<SchemaType>__<name>.json  {"body": broken message, "expect": {"code", "path"}}
//     with what Pm::Fspiop::Schema::validate said about it (code 0: valid), so that validate.mjs can
//     check that ajv's first error is the one the library reports.
// The capture supplies real quote and transfer messages (inputs to the ILP builder, bases for the
// broken messages). Exits non-zero if anything cannot be built or written.

#include "core/fspiop/datatypes.h"
#include "core/fspiop/errors.h"
#include "core/fspiop/headers.h"
#include "core/fspiop/ilp.h"
#include "core/fspiop/schema.h"

#include <QCoreApplication>
#include <QDate>
#include <QDir>
#include <QFile>

#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;
using namespace Pm::Fspiop;
using Json = nlohmann::ordered_json;

namespace {

QString versionDir(ApiVersion v)
{
    return u"v%1_%2"_s.arg(v.major).arg(v.minor);
}

QString repeat(QStringView unit, int times)
{
    QString s;
    for (int i = 0; i < times; ++i)
        s += unit;
    return s;
}

void complain(const QString &message)
{
    std::fprintf(stderr, "dump_messages: %s\n", qUtf8Printable(message));
}

class Writer
{
public:
    explicit Writer(const QString &root) : m_root(root) {}

    bool prepare()
    {
        QDir dir(m_root);
        if (dir.exists() && !dir.removeRecursively()) {
            complain(u"cannot clear "_s + m_root);
            return false;
        }
        for (const ApiVersion &v : supportedVersions()) {
            if (!QDir().mkpath(m_root + u'/' + versionDir(v) + u"/invalid"_s)) {
                complain(u"cannot create "_s + m_root);
                return false;
            }
        }
        return true;
    }

    void message(ApiVersion v, const QString &type, const QString &name, const Json &body)
    {
        if (save(m_root + u'/' + versionDir(v) + u'/' + type + u"__"_s + name + u".json"_s, body))
            ++m_messages;
    }

    void messageForAll(const QString &type, const QString &name, const Json &body)
    {
        for (const ApiVersion &v : supportedVersions())
            message(v, type, name, body);
    }

    // A broken (or suspicious) message and what the library's validator makes of it.
    void judged(ApiVersion v, const QString &type, const QString &name, const Json &body)
    {
        const auto result = Schema::validate(v, type, body);
        Json expect{{"code", 0}, {"path", ""}};
        if (!result) {
            if (result.error().code != 3100 && result.error().code != 3102) {
                complain(type + u' ' + name + u": unexpected code "_s + QString::number(result.error().code)
                         + u": "_s + result.error().message);
                m_ok = false;
                return;
            }
            // The message is "<JSON pointer> <problem>", or "body <problem>" for the whole body.
            QString pointer = result.error().message.section(u' ', 0, 0);
            if (pointer == u"body")
                pointer.clear();
            expect = Json{{"code", result.error().code}, {"path", pointer.toStdString()},
                          {"message", result.error().message.toStdString()}};
        }
        if (save(m_root + u'/' + versionDir(v) + u"/invalid/"_s + type + u"__"_s + name + u".json"_s,
                 Json{{"body", body}, {"expect", expect}}))
            ++m_judged;
    }

    void fail(const QString &what)
    {
        complain(what);
        m_ok = false;
    }

    bool ok() const { return m_ok; }
    int messages() const { return m_messages; }
    int judgedCount() const { return m_judged; }

private:
    bool save(const QString &path, const Json &json)
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            fail(u"cannot write "_s + path);
            return false;
        }
        const std::string text = json.dump(2) + '\n';
        file.write(text.data(), qint64(text.size()));
        return true;
    }

    QString m_root;
    bool m_ok = true;
    int m_messages = 0;
    int m_judged = 0;
};

Json str(const QString &s)
{
    return Json(s.toStdString());
}

// --- messages the library builds -------------------------------------------------------------

void errorResponses(Writer &out)
{
    ExtensionList one{{u"reason"_s, u"declined by core banking"_s}};
    ExtensionList sixteen;
    for (int i = 0; i < MaxExtensions; ++i) {
        // Longest key and value the limits allow, with non-ASCII text.
        const QString prefix = u"k"_s + QString::number(i).rightJustified(2, u'0') + u'-';
        const QString key = QString(prefix + repeat(u"é", MaxExtensionKeyLength)).left(MaxExtensionKeyLength);
        sixteen.append(Extension{key, repeat(u"Ж", MaxExtensionValueLength)});
    }
    for (const ErrorDefinition &e : errorCatalogue()) {
        for (const auto &[suffix, extensions] : {std::pair{u""_s, ExtensionList{}}, std::pair{u"-ext1"_s, one},
                                                 std::pair{u"-ext16"_s, sixteen}}) {
            const auto body = errorInformationResponse(e.code, {}, extensions);
            if (!body) {
                out.fail(u"errorInformationResponse("_s + e.codeText() + u"): "_s + body.error().message);
                continue;
            }
            out.messageForAll(u"ErrorInformationResponse"_s, e.codeText() + suffix, *body);
        }
    }

    const ErrorDefinition notAllowed = methodNotAllowed();
    out.messageForAll(u"ErrorInformationResponse"_s, u"3000-method-not-allowed"_s,
                      errorInformationResponse(Pm::Error{notAllowed.code, notAllowed.description, {}}));
    out.messageForAll(u"ErrorInformationResponse"_s, u"from-error-long"_s,
                      errorInformationResponse(Pm::Error{3100, repeat(u"ü", 300), {}}));
    out.messageForAll(u"ErrorInformationResponse"_s, u"from-error-no-code"_s,
                      errorInformationResponse(Pm::Error{0, u"unexpected failure"_s, {}}));
    out.messageForAll(u"ErrorInformationResponse"_s, u"from-error-scheme-code"_s,
                      errorInformationResponse(Pm::Error{3150, {}, {}}));

    // What the inbound header check answers.
    const std::pair<const char *, HttpHeaders> requests[] = {
        {"header-3102", HttpHeaders{}},
        {"header-3101", HttpHeaders{{"Content-Type", "application/json"}}},
        {"header-3001", HttpHeaders{{"Content-Type", "application/vnd.interoperability.quotes+json;version=9.0"}}},
    };
    for (const auto &[name, headers] : requests) {
        const auto checked = validateInboundHeaders("POST", u"/quotes", headers);
        if (checked) {
            out.fail(u"header check accepted "_s + QLatin1StringView(name));
            continue;
        }
        out.messageForAll(u"ErrorInformationResponse"_s, QLatin1StringView(name), checked.error().body());
    }

    out.messageForAll(u"ExtensionList"_s, u"one"_s, extensionListJson(one));
    out.messageForAll(u"ExtensionList"_s, u"sixteen"_s, extensionListJson(sixteen));
    out.messageForAll(u"ExtensionList"_s, u"supported-versions"_s, extensionListJson(supportedVersionsExtensions()));
}

void dataTypes(Writer &out)
{
    for (int i = 0; i < 5; ++i) {
        out.messageForAll(u"CorrelationId"_s, u"uuid-%1"_s.arg(i), str(DataTypes::generateUuid()));
        out.message(Versions::V2_0, u"CorrelationId"_s, u"ulid-%1"_s.arg(i), str(DataTypes::generateUlid()));
    }
    out.messageForAll(u"DateTime"_s, u"now"_s, str(DataTypes::formatDateTime(QDateTime::currentDateTimeUtc())));
    out.messageForAll(u"DateTime"_s, u"offset"_s,
                      str(DataTypes::formatDateTime(QDateTime::currentDateTimeUtc().toOffsetFromUtc(-5 * 3600))));
    out.messageForAll(u"Date"_s, u"today"_s, str(DataTypes::formatDate(QDate::currentDate())));
    out.messageForAll(u"DateOfBirth"_s, u"leap-day"_s, str(DataTypes::formatDate(QDate(2000, 2, 29))));
    for (const QString &name : DataTypes::partyIdTypeNames())
        out.messageForAll(u"PartyIdType"_s, name, str(name));
}

void ilp(Writer &out, const Json &quoteRequest, const Json &quoteResponse)
{
    for (const auto version : {Ilp::Version::V1, Ilp::Version::V4}) {
        const QString name = version == Ilp::Version::V1 ? u"ilp-v1"_s : u"ilp-v4"_s;
        const auto built = Ilp::buildForQuote(version, u"mojaloop-sdk", quoteRequest, quoteResponse);
        if (!built) {
            out.fail(u"Ilp::buildForQuote("_s + name + u"): "_s + built.error().message);
            continue;
        }
        out.messageForAll(u"IlpPacket"_s, name, Json(built->ilpPacket));
        out.messageForAll(u"IlpCondition"_s, name, Json(built->condition));
        out.messageForAll(u"IlpFulfilment"_s, name, Json(built->fulfilment));
        const Json transaction = Json::parse(built->transactionObject, nullptr, false);
        if (transaction.is_discarded()) {
            out.fail(name + u": the transaction object is not JSON"_s);
            continue;
        }
        // The transaction object the reference SDK builds carries `expiration`, which FSPIOP 1.x's
        // Transaction tolerates (no additionalProperties there) and 2.0's Transaction does not
        // define (additionalProperties: false). It is checked against 1.0 and 1.1 only; 2.0 would
        // fail on that one property by design of the SDK, not of this library.
        out.message(Versions::V1_0, u"Transaction"_s, name, transaction);
        out.message(Versions::V1_1, u"Transaction"_s, name, transaction);
        Json withoutExpiration = transaction;
        withoutExpiration.erase("expiration");
        out.judged(Versions::V2_0, u"Transaction"_s, name + u"-without-expiration"_s, withoutExpiration);
        out.judged(Versions::V2_0, u"Transaction"_s, name, transaction);
    }
}

// --- broken messages: does ajv's first error match the library's? ------------------------------

using Mutation = std::function<void(Json &)>;

void brokenMessages(Writer &out, const QString &type, const Json &good,
                    const std::vector<std::pair<const char *, Mutation>> &mutations)
{
    for (const ApiVersion &v : supportedVersions()) {
        out.judged(v, type, u"unchanged"_s, good);
        for (const auto &[name, mutate] : mutations) {
            Json body = good;
            mutate(body);
            out.judged(v, type, QLatin1StringView(name), body);
        }
    }
}

Json extensions(int count, int keyLength = 3)
{
    Json list = Json::array();
    for (int i = 0; i < count; ++i)
        list.push_back(Json{{"key", std::string(std::size_t(keyLength), 'k')}, {"value", "v"}});
    return Json{{"extension", list}};
}

void quotes(Writer &out, const Json &request)
{
    brokenMessages(out, u"QuotesPostRequest"_s, request, {
        {"missing-quoteId", [](Json &j) { j.erase("quoteId"); }},
        {"missing-payee", [](Json &j) { j.erase("payee"); }},
        {"missing-partyIdentifier", [](Json &j) { j["payee"]["partyIdInfo"].erase("partyIdentifier"); }},
        {"long-partyIdentifier", [](Json &j) { j["payee"]["partyIdInfo"]["partyIdentifier"] = std::string(129, '7'); }},
        {"empty-partyIdentifier", [](Json &j) { j["payee"]["partyIdInfo"]["partyIdentifier"] = ""; }},
        {"bad-partyIdType", [](Json &j) { j["payee"]["partyIdInfo"]["partyIdType"] = "PHONE"; }},
        {"bad-amount", [](Json &j) { j["amount"]["amount"] = "1.230"; }},
        {"numeric-amount", [](Json &j) { j["amount"]["amount"] = 100.5; }},
        {"bad-currency", [](Json &j) { j["amount"]["currency"] = "usd"; }},
        {"bad-amountType", [](Json &j) { j["amountType"] = "GIVE"; }},
        {"extra-root", [](Json &j) { j["unexpected"] = true; }},
        {"extra-nested", [](Json &j) { j["payer"]["partyIdInfo"]["nickname"] = "x"; }},
        {"type-quoteId", [](Json &j) { j["quoteId"] = 42; }},
        {"type-payer", [](Json &j) { j["payer"] = "payerfsp"; }},
        {"array-body", [](Json &j) { j = Json::array({j}); }},
        {"ulid-quoteId", [](Json &j) { j["quoteId"] = "01JD5ZQ7V0M8W4X2Y6A9B3C5DE"; }},
        {"uuid-v7-quoteId", [](Json &j) { j["quoteId"] = "01890a5d-ac96-774b-bcce-b302099a8057"; }},
        {"uppercase-quoteId", [](Json &j) { j["quoteId"] = "684536E4-7DB7-4444-BD54-5EED30CF7E93"; }},
        {"expiration-no-ms", [](Json &j) { j["expiration"] = "2026-12-03T16:06:51Z"; }},
        {"expiration-no-zone", [](Json &j) { j["expiration"] = "2026-12-03T16:06:51.180"; }},
        {"unicode-names", [](Json &j) {
             j["payer"]["personalInfo"]["complexName"]["firstName"] = "Zoë";
             j["payer"]["personalInfo"]["complexName"]["lastName"] = "Владимиров";
             j["payee"]["personalInfo"]["complexName"]["firstName"] = "محمد";
             j["payee"]["personalInfo"]["complexName"]["middleName"] = "Nguyễn";
             j["payee"]["personalInfo"]["complexName"]["lastName"] = "Jose\u0301 mehr\u200Cara_1 ٣";
         }},
        {"bad-firstName", [](Json &j) { j["payer"]["personalInfo"]["complexName"]["firstName"] = "Bob!"; }},
        {"blank-lastName", [](Json &j) { j["payer"]["personalInfo"]["complexName"]["lastName"] = "   "; }},
        {"emoji-name", [](Json &j) { j["payer"]["personalInfo"]["complexName"]["firstName"] = "Ann 😀"; }},
        {"name-129", [](Json &j) { j["payer"]["personalInfo"]["complexName"]["firstName"] = std::string(129, 'a'); }},
        {"bad-dateOfBirth", [](Json &j) { j["payer"]["personalInfo"]["dateOfBirth"] = "2023-02-29"; }},
        {"leap-dateOfBirth", [](Json &j) { j["payer"]["personalInfo"]["dateOfBirth"] = "2000-02-29"; }},
        {"extensions-16", [](Json &j) { j["extensionList"] = extensions(16); }},
        {"extensions-17", [](Json &j) { j["extensionList"] = extensions(17); }},
        {"extensions-0", [](Json &j) { j["extensionList"] = extensions(0); }},
        {"extension-key-33", [](Json &j) { j["extensionList"] = extensions(1, 33); }},
        {"extension-no-value", [](Json &j) { j["extensionList"] = Json{{"extension", Json::array({Json{{"key", "k"}}})}}; }},
        {"note-too-long", [](Json &j) { j["note"] = std::string(129, 'n'); }},
        {"geoCode", [](Json &j) { j["geoCode"] = Json{{"latitude", "91"}, {"longitude", "180"}}; }},
        // Which error comes first: required before the properties, properties in schema order,
        // additionalProperties before the properties, type first within a schema.
        {"required-and-long", [](Json &j) {
             j.erase("transactionId");
             j["payee"]["partyIdInfo"]["partyIdentifier"] = std::string(129, '7');
         }},
        {"type-then-missing", [](Json &j) {
             j["quoteId"] = 42;
             j["payee"]["partyIdInfo"].erase("partyIdentifier");
         }},
        {"payee-before-amountType", [](Json &j) {
             j["payee"]["partyIdInfo"].erase("partyIdentifier");
             j["amountType"] = "GIVE";
         }},
        {"extra-and-bad", [](Json &j) {
             j["zzz"] = 1;
             j["quoteId"] = "bad";
         }},
        {"two-missing", [](Json &j) {
             j.erase("payer");
             j.erase("amount");
         }},
    });
}

void transfers(Writer &out, const Json &prepare, const Json &fulfil)
{
    brokenMessages(out, u"TransfersPostRequest"_s, prepare, {
        {"missing-ilpPacket", [](Json &j) { j.erase("ilpPacket"); }},
        {"short-condition", [](Json &j) { j["condition"] = "DG1dsUIR5_ZmmB67xgncm_LZ8P1b0ed4Je5LxTpQjT"; }},
        {"padded-condition", [](Json &j) { j["condition"] = "DG1dsUIR5_ZmmB67xgncm_LZ8P1b0ed4Je5LxTpQjTM="; }},
        {"bad-ilpPacket", [](Json &j) { j["ilpPacket"] = "not base64url!"; }},
        {"missing-currency", [](Json &j) { j["amount"].erase("currency"); }},
        {"bad-transferId", [](Json &j) { j["transferId"] = "224d269e"; }},
        {"long-payeeFsp", [](Json &j) { j["payeeFsp"] = std::string(33, 'f'); }},
        {"empty-payerFsp", [](Json &j) { j["payerFsp"] = ""; }},
    });
    brokenMessages(out, u"TransfersIDPutResponse"_s, fulfil, {
        {"bad-transferState", [](Json &j) { j["transferState"] = "DONE"; }},
        {"missing-transferState", [](Json &j) { j.erase("transferState"); }},
        {"short-fulfilment", [](Json &j) { j["fulfilment"] = "abc"; }},
        {"completedTimestamp-no-ms", [](Json &j) { j["completedTimestamp"] = "2026-12-03T16:05:51Z"; }},
    });
}

void parties(Writer &out, const Json &party)
{
    brokenMessages(out, u"PartiesTypeIDPutResponse"_s, party, {
        {"missing-party", [](Json &j) { j.erase("party"); }},
        {"bad-partyIdType", [](Json &j) { j["party"]["partyIdInfo"]["partyIdType"] = "msisdn"; }},
        {"bad-mcc", [](Json &j) { j["party"]["merchantClassificationCode"] = "12345"; }},
        {"long-name", [](Json &j) { j["party"]["name"] = std::string(129, 'x'); }},
        {"supported-currencies", [](Json &j) { j["party"]["supportedCurrencies"] = Json::array({"USD", "EUR"}); }},
    });
    const auto error = errorInformationResponse(3204);
    if (!error) {
        out.fail(u"errorInformationResponse(3204) failed"_s);
        return;
    }
    brokenMessages(out, u"ErrorInformationResponse"_s, *error, {
        {"numeric-code", [](Json &j) { j["errorInformation"]["errorCode"] = 3204; }},
        {"zero-code", [](Json &j) { j["errorInformation"]["errorCode"] = "0204"; }},
        {"long-description", [](Json &j) { j["errorInformation"]["errorDescription"] = std::string(129, 'd'); }},
        {"no-description", [](Json &j) { j["errorInformation"].erase("errorDescription"); }},
    });
}

Json findBody(const Json &capture, const char *method, const char *urlPrefix)
{
    for (const Json &exchange : capture) {
        const Json &request = exchange["request"];
        if (request.value("method", "") == method && request.value("url", "").rfind(urlPrefix, 0) == 0
            && request.contains("body"))
            return request["body"];
    }
    return Json();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 3) {
        complain(u"usage: dump_messages <out-dir> <fspiop-capture.json>"_s);
        return 2;
    }

    QFile captureFile(args.at(2));
    if (!captureFile.open(QIODevice::ReadOnly)) {
        complain(u"cannot read "_s + args.at(2));
        return 2;
    }
    const QByteArray bytes = captureFile.readAll();
    const Json capture = Json::parse(bytes.begin(), bytes.end(), nullptr, false);
    const Json quoteRequest = findBody(capture, "POST", "/quotes");
    const Json quoteResponse = findBody(capture, "PUT", "/quotes/");
    const Json prepare = findBody(capture, "POST", "/transfers");
    const Json fulfil = findBody(capture, "PUT", "/transfers/");
    const Json party = findBody(capture, "PUT", "/parties/");
    if (!quoteRequest.is_object() || !quoteResponse.is_object() || !prepare.is_object() || !fulfil.is_object()
        || !party.is_object()) {
        complain(args.at(2) + u" lacks one of POST /quotes, PUT /quotes, POST /transfers, PUT /transfers, PUT /parties"_s);
        return 2;
    }

    Writer out(args.at(1));
    if (!out.prepare())
        return 2;
    errorResponses(out);
    dataTypes(out);
    ilp(out, quoteRequest, quoteResponse);
    quotes(out, quoteRequest);
    transfers(out, prepare, fulfil);
    parties(out, party);

    std::printf("dump_messages: %d built messages and %d broken ones in %s\n", out.messages(), out.judgedCount(),
                qUtf8Printable(args.at(1)));
    return out.ok() ? 0 : 1;
}
