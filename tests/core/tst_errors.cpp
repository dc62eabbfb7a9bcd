#include "core/fspiop/errors.h"
#include "core/fspiop/schema.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm::Fspiop;
using Json = nlohmann::ordered_json;

namespace {

QString str(const Json &value)
{
    return value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString::fromStdString(value.dump());
}

QString repeat(QStringView unit, int times)
{
    QString s;
    for (int i = 0; i < times; ++i)
        s += unit;
    return s;
}

ExtensionList extensions(int count)
{
    ExtensionList list;
    for (int i = 0; i < count; ++i)
        list.append({u"key%1"_s.arg(i), u"value %1"_s.arg(i)});
    return list;
}

} // namespace

class TestErrors : public QObject
{
    Q_OBJECT

private slots:
    void catalogueSize()
    {
        // sdk-standard-components 19.19.1 MojaloopApiErrorCodes: 86 entries, 85 distinct codes
        // (3000 appears twice: "Generic client error" 400 and the 405 "Method Not Allowed" variant).
        QCOMPARE(errorCatalogue().size(), std::size_t(85));
        QSet<int> codes;
        int previous = 0;
        for (const ErrorDefinition &e : errorCatalogue()) {
            QVERIFY2(e.code > previous, qPrintable(QString::number(e.code))); // sorted, unique
            previous = e.code;
            codes.insert(e.code);
            QCOMPARE(categoryOf(e.code), std::optional<ErrorCategory>(e.category));
            QCOMPARE(findError(e.code), &e);
            QVERIFY(!e.description.isEmpty());
            QVERIFY(qstrlen(e.name) > 0);
            QCOMPARE(e.codeText(), QString::number(e.code));
        }
        QCOMPARE(codes.size(), 85);
    }

    void ranges()
    {
        int communication = 0, server = 0, client = 0, payer = 0, payee = 0, thirdparty = 0;
        for (const ErrorDefinition &e : errorCatalogue()) {
            switch (e.code / 1000) {
            case 1: ++communication; break;
            case 2: ++server; break;
            case 3: ++client; break;
            case 4: ++payer; break;
            case 5: ++payee; break;
            case 7: ++thirdparty; break;
            default: QFAIL(qPrintable(u"code outside the FSPIOP ranges: "_s + e.codeText()));
            }
        }
        QCOMPARE(communication, 2);
        QCOMPARE(server, 6);
        QCOMPARE(client, 28);
        QCOMPARE(payer, 9);
        QCOMPARE(payee, 13);
        QCOMPARE(thirdparty, 27);
    }

    void spotChecks_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("description");
        QTest::addColumn<int>("specStatus"); // 0: none in the specification
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("name");
        QTest::newRow("1000") << 1000 << u"Communication error"_s << 0 << 500 << u"COMMUNICATION_ERROR"_s;
        QTest::newRow("1001") << 1001 << u"Destination communication error"_s << 0 << 500 << u"DESTINATION_COMMUNICATION_ERROR"_s;
        QTest::newRow("2001") << 2001 << u"Internal server error"_s << 0 << 500 << u"INTERNAL_SERVER_ERROR"_s;
        QTest::newRow("2002") << 2002 << u"Not implemented"_s << 501 << 501 << u"NOT_IMPLEMENTED"_s;
        QTest::newRow("2003") << 2003 << u"Service currently unavailable"_s << 503 << 503 << u"SERVICE_CURRENTLY_UNAVAILABLE"_s;
        QTest::newRow("2004") << 2004 << u"Server timed out"_s << 0 << 500 << u"SERVER_TIMED_OUT"_s;
        QTest::newRow("3000") << 3000 << u"Generic client error"_s << 400 << 400 << u"CLIENT_ERROR"_s;
        QTest::newRow("3001") << 3001 << u"Unacceptable version requested"_s << 406 << 406 << u"UNACCEPTABLE_VERSION"_s;
        QTest::newRow("3002") << 3002 << u"Unknown URI"_s << 404 << 404 << u"UNKNOWN_URI"_s;
        QTest::newRow("3040") << 3040 << u"Delete Party information error"_s << 0 << 400 << u"DELETE_PARTY_INFO_ERROR"_s;
        QTest::newRow("3100") << 3100 << u"Generic validation error"_s << 400 << 400 << u"VALIDATION_ERROR"_s;
        QTest::newRow("3101") << 3101 << u"Malformed syntax"_s << 400 << 400 << u"MALFORMED_SYNTAX"_s;
        QTest::newRow("3102") << 3102 << u"Missing mandatory element"_s << 400 << 400 << u"MISSING_ELEMENT"_s;
        QTest::newRow("3105") << 3105 << u"Invalid signature"_s << 400 << 400 << u"INVALID_SIGNATURE"_s;
        QTest::newRow("3107") << 3107 << u"Missing mandatory extension parameter"_s << 400 << 400 << u"MISSING_MANDATORY_EXTENSION"_s;
        QTest::newRow("3204") << 3204 << u"Party not found"_s << 0 << 400 << u"PARTY_NOT_FOUND"_s;
        QTest::newRow("3205") << 3205 << u"Quote ID not found"_s << 0 << 400 << u"QUOTE_ID_NOT_FOUND"_s;
        QTest::newRow("3302") << 3302 << u"Quote expired"_s << 0 << 400 << u"QUOTE_EXPIRED"_s;
        QTest::newRow("3303") << 3303 << u"Transfer expired"_s << 0 << 400 << u"TRANSFER_EXPIRED"_s;
        QTest::newRow("4001") << 4001 << u"Payer FSP insufficient liquidity"_s << 0 << 400 << u"PAYER_FSP_INSUFFICIENT_LIQUIDITY"_s;
        QTest::newRow("4400") << 4400 << u"Generic Payer blocked error"_s << 0 << 400 << u"PAYER_BLOCKED_ERROR"_s;
        QTest::newRow("5107") << 5107 << u"Payee identifier no-longer valid"_s << 0 << 400 << u"PAYEE_IDENTIFIER_NOT_VALID"_s;
        QTest::newRow("5400") << 5400 << u"Generic Payee blocked error"_s << 0 << 400 << u"GENERIC_PAYEE_BLOCKED_ERROR"_s;
        QTest::newRow("7000") << 7000 << u"Generic Thirdparty error"_s << 0 << 400 << u"TP_ERROR"_s;
        QTest::newRow("7106") << 7106 << u"DFSP received reject by user authorization, so transaction cancelled"_s << 0 << 400
                              << u"TP_FSP_TRANSACTION_AUTHORIZATION_REJECTED_BY_USER"_s;
        QTest::newRow("7214") << 7214 << u"Failed to register account links with oracle"_s << 0 << 400 << u"TP_FAILED_REG_ACCOUNT_LINKS"_s;
        QTest::newRow("7300") << 7300 << u"Generic Thirdparty auth service error"_s << 0 << 400 << u"TP_AUTH_SERVICE_ERROR"_s;
    }

    void spotChecks()
    {
        QFETCH(int, code);
        QFETCH(QString, description);
        QFETCH(int, specStatus);
        QFETCH(int, status);
        QFETCH(QString, name);
        const ErrorDefinition *e = findError(code);
        QVERIFY(e);
        QCOMPARE(e->description, description);
        QCOMPARE(e->specHttpStatus, specStatus ? std::optional<int>(specStatus) : std::nullopt);
        QCOMPARE(e->httpStatus(), status);
        QCOMPARE(httpStatusFor(code), status);
        QCOMPARE(QString::fromLatin1(e->name), name);
    }

    void unknownCodes()
    {
        QCOMPARE(findError(3150), nullptr);
        QCOMPARE(findError(0), nullptr);
        QCOMPARE(categoryOf(3150), std::optional<ErrorCategory>(ErrorCategory::ClientValidation));
        QCOMPARE(categoryOf(5999), std::nullopt); // 59xx names no category
        QCOMPARE(categoryOf(6000), std::nullopt);
        QCOMPARE(categoryOf(999), std::nullopt);
        QCOMPARE(categoryOf(10000), std::nullopt);
        QCOMPARE(httpStatusFor(3150), 400);
        QCOMPARE(httpStatusFor(4999), 400);
        QCOMPARE(httpStatusFor(2999), 500);
        QCOMPARE(httpStatusFor(6000), 500);
        QCOMPARE(httpStatusFor(42), 500);
        QCOMPARE(categoryName(ErrorCategory::ClientValidation), u"Client validation error"_s);
    }

    void methodNotAllowedVariant()
    {
        const ErrorDefinition e = methodNotAllowed();
        QCOMPARE(e.code, 3000);
        QCOMPARE(e.description, u"Generic client error - Method Not Allowed"_s);
        QCOMPARE(e.httpStatus(), 405);
        QCOMPARE(findError(3000)->httpStatus(), 400);
    }

    void builderShape()
    {
        const auto body = errorInformationResponse(3204);
        QVERIFY(body.has_value());
        QCOMPARE(QString::fromStdString(body->dump()),
                 uR"({"errorInformation":{"errorCode":"3204","errorDescription":"Party not found"}})"_s);

        const auto withExtensions = errorInformationResponse(
            3001, {}, {{u"1"_s, u"0"_s}, {u"1"_s, u"1"_s}, {u"2"_s, u"0"_s}});
        QVERIFY(withExtensions.has_value());
        QCOMPARE(QString::fromStdString(withExtensions->dump()),
                 uR"({"errorInformation":{"errorCode":"3001","errorDescription":"Unacceptable version requested","extensionList":{"extension":[{"key":"1","value":"0"},{"key":"1","value":"1"},{"key":"2","value":"0"}]}}})"_s);

        const auto custom = errorInformation(5100, u"Rejected by the core banking system"_s);
        QVERIFY(custom.has_value());
        QCOMPARE(str((*custom)["errorCode"]), u"5100"_s);
        QCOMPARE(str((*custom)["errorDescription"]), u"Rejected by the core banking system"_s);
        QVERIFY(!custom->contains("extensionList"));

        // A scheme-specific code outside the catalogue takes its category's name.
        const auto scheme = errorInformation(3150);
        QVERIFY(scheme.has_value());
        QCOMPARE(str((*scheme)["errorDescription"]), u"Client validation error"_s);

        // Blank descriptions fall back to the standard one.
        QCOMPARE(str((*errorInformation(3101, u"   "_s))["errorDescription"]), u"Malformed syntax"_s);
    }

    void builderRejectsBadCodes()
    {
        for (int code : {0, 999, 10000, -3101}) {
            const auto body = errorInformationResponse(code);
            QVERIFY(!body.has_value());
            QCOMPARE(body.error().code, 3101);
        }
    }

    void descriptionIsCutTo128()
    {
        const QString longText = repeat(u"x", 300);
        const auto info = errorInformation(3100, longText);
        QVERIFY(info.has_value());
        const QString description = QString::fromStdString((*info)["errorDescription"].get<std::string>());
        QCOMPARE(description.size(), 128);
        QVERIFY(description.endsWith(u"..."_s));
        // Counted in code points: 128 emoji fit, 129 do not.
        const QString emoji = repeat(u"😀", 128);
        QCOMPARE(QString::fromStdString((*errorInformation(3100, emoji))["errorDescription"].get<std::string>()), emoji);
        const QString cut = QString::fromStdString((*errorInformation(3100, emoji + u"😀"_s))["errorDescription"].get<std::string>());
        QCOMPARE(cut, repeat(u"😀", 125) + u"..."_s);
    }

    void extensionLimits_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("code"); // 0: valid
        QTest::addColumn<QString>("message");
        QTest::newRow("1 entry") << 1 << u"k"_s << u"v"_s << 0 << QString();
        QTest::newRow("16 entries") << 16 << u"k"_s << u"v"_s << 0 << QString();
        QTest::newRow("17 entries") << 17 << u"k"_s << u"v"_s << 3103
                                    << u"extensionList: must have 1 to 16 entries, has 17"_s;
        QTest::newRow("0 entries") << 0 << u"k"_s << u"v"_s << 3101 << u"extensionList: must have 1 to 16 entries, has none"_s;
        QTest::newRow("key 32") << 1 << repeat(u"k", 32) << u"v"_s << 0 << QString();
        QTest::newRow("key 32 accented") << 1 << repeat(u"é", 32) << u"v"_s << 0 << QString();
        QTest::newRow("key 32 emoji") << 1 << repeat(u"😀", 32) << u"v"_s << 0 << QString();
        QTest::newRow("key 33") << 1 << repeat(u"k", 33) << u"v"_s << 3101
                                << u"extensionList.extension[0].key: must be 1 to 32 characters, is 33"_s;
        QTest::newRow("key empty") << 1 << QString() << u"v"_s << 3101
                                   << u"extensionList.extension[0].key: must be 1 to 32 characters, is 0"_s;
        QTest::newRow("value 128") << 1 << u"k"_s << repeat(u"v", 128) << 0 << QString();
        QTest::newRow("value 129") << 1 << u"k"_s << repeat(u"v", 129) << 3101
                                   << u"extensionList.extension[0].value: must be 1 to 128 characters, is 129"_s;
        QTest::newRow("value empty") << 1 << u"k"_s << QString() << 3101
                                     << u"extensionList.extension[0].value: must be 1 to 128 characters, is 0"_s;
    }

    void extensionLimits()
    {
        QFETCH(int, count);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(int, code);
        QFETCH(QString, message);
        ExtensionList list;
        for (int i = 0; i < count; ++i)
            list.append({key, value});
        const auto valid = validateExtensionList(list);
        QCOMPARE(valid.has_value(), code == 0);
        if (code) {
            QCOMPARE(valid.error().code, code);
            QCOMPARE(valid.error().message, message);
        }
        if (count == 0)
            return; // an empty list means "no extensionList" to the builders
        const auto body = errorInformationResponse(3100, {}, list);
        QCOMPARE(body.has_value(), code == 0);
        if (code) {
            QCOMPARE(body.error().code, code);
            QVERIFY(body.error().message.startsWith(u"errorInformation.extensionList"_s));
        } else {
            // What is built is what the official schema allows, in every version.
            for (const ApiVersion &version : supportedVersions())
                QVERIFY(Schema::validate(version, u"ErrorInformationResponse", *body).has_value());
        }
    }

    void everyCodeBuildsAValidResponse()
    {
        for (const ErrorDefinition &e : errorCatalogue()) {
            for (const auto &list : {ExtensionList{}, extensions(1), extensions(16)}) {
                const auto body = errorInformationResponse(e.code, {}, list);
                QVERIFY(body.has_value());
                for (const ApiVersion &version : supportedVersions()) {
                    const auto valid = Schema::validate(version, u"ErrorInformationResponse", *body);
                    QVERIFY2(valid.has_value(), qPrintable(e.codeText() + u": "_s + (valid ? QString() : valid.error().message)));
                }
            }
        }
    }

    void fromLibraryError()
    {
        const Json a = errorInformationResponse(Pm::Error{3101, u"payee.partyIdInfo.partyIdentifier: must be 1 to 128 characters"_s, {}});
        QCOMPARE(str(a["errorInformation"]["errorCode"]), u"3101"_s);
        QCOMPARE(str(a["errorInformation"]["errorDescription"]), u"payee.partyIdInfo.partyIdentifier: must be 1 to 128 characters"_s);

        const Json b = errorInformationResponse(Pm::Error{0, u"disk full"_s, {}});
        QCOMPARE(str(b["errorInformation"]["errorCode"]), u"2001"_s);
        QCOMPARE(str(b["errorInformation"]["errorDescription"]), u"disk full"_s);

        const Json c = errorInformationResponse(Pm::Error{3204, {}, {}});
        QCOMPARE(str(c["errorInformation"]["errorDescription"]), u"Party not found"_s);

        const Json d = errorInformationResponse(Pm::Error{3001, u"x"_s, {}}, {{u"2"_s, u"0"_s}});
        QCOMPARE(str(d["errorInformation"]["extensionList"]["extension"][0]["key"]), u"2"_s);

        // Extensions that break the limits are left out rather than failing the error answer.
        const Json e = errorInformationResponse(Pm::Error{3100, u"x"_s, {}}, extensions(17));
        QVERIFY(!e["errorInformation"].contains("extensionList"));

        for (const Json &body : {a, b, c, d, e})
            QVERIFY(Schema::validate(Versions::V2_0, u"ErrorInformationResponse", body).has_value());
    }

    void parseCallback()
    {
        const auto parsed = parseErrorInformation(QByteArrayView(
            R"({"errorInformation":{"errorCode":"5101","errorDescription":"Payee rejected quote","extensionList":{"extension":[{"key":"reason","value":"limit"}]}}})"));
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->code, 5101);
        QCOMPARE(parsed->description, u"Payee rejected quote"_s);
        QCOMPARE(parsed->extensions, (ExtensionList{{u"reason"_s, u"limit"_s}}));
        QVERIFY(parsed->definition());
        QCOMPARE(QString::fromLatin1(parsed->definition()->name), u"PAYEE_REJECTED_QUOTE"_s);
        QCOMPARE(parsed->toError().code, 5101);

        // A bare errorInformation object, and a scheme-specific code.
        const auto bare = parseErrorInformation(Json::parse(R"({"errorCode":"3150","errorDescription":"scheme rule"})"));
        QVERIFY(bare.has_value());
        QCOMPARE(bare->code, 3150);
        QCOMPARE(bare->definition(), nullptr);

        // What the builder writes, the parser reads back.
        const auto built = errorInformationResponse(3001, {}, extensions(3));
        const auto back = parseErrorInformation(*built);
        QVERIFY(back.has_value());
        QCOMPARE(back->code, 3001);
        QCOMPARE(back->extensions, extensions(3));
    }

    void parseCallbackErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << QByteArray("{") << 3101 << QString(); // message from parseJson
        QTest::newRow("array") << QByteArray("[]") << 3101 << u"body: must be a JSON object"_s;
        QTest::newRow("no errorInformation") << QByteArray("{}") << 3102 << u"errorInformation: is required"_s;
        QTest::newRow("errorInformation not object") << QByteArray(R"({"errorInformation":1})") << 3101
                                                     << u"errorInformation: must be an object"_s;
        QTest::newRow("no code") << QByteArray(R"({"errorInformation":{"errorDescription":"x"}})") << 3102
                                 << u"errorInformation.errorCode: is required"_s;
        QTest::newRow("numeric code") << QByteArray(R"({"errorInformation":{"errorCode":3101,"errorDescription":"x"}})")
                                      << 3101 << u"errorInformation.errorCode: must be a string of four digits"_s;
        QTest::newRow("bad code") << QByteArray(R"({"errorInformation":{"errorCode":"31a1","errorDescription":"x"}})")
                                  << 3101 << u"errorInformation.errorCode: \"31a1\" is not four digits 1000-9999"_s;
        QTest::newRow("leading zero") << QByteArray(R"({"errorInformation":{"errorCode":"0101","errorDescription":"x"}})")
                                      << 3101 << u"errorInformation.errorCode: \"0101\" is not four digits 1000-9999"_s;
        QTest::newRow("no description") << QByteArray(R"({"errorInformation":{"errorCode":"3101"}})") << 3102
                                        << u"errorInformation.errorDescription: is required"_s;
        QTest::newRow("extension without value")
            << QByteArray(R"({"errorInformation":{"errorCode":"3101","errorDescription":"x","extensionList":{"extension":[{"key":"a"}]}}})")
            << 3102 << u"errorInformation.extensionList.extension[0].value: is required"_s;
        QTest::newRow("extension list without extension")
            << QByteArray(R"({"errorInformation":{"errorCode":"3101","errorDescription":"x","extensionList":{}}})")
            << 3102 << u"errorInformation.extensionList.extension: is required"_s;
        QTest::newRow("empty extension array")
            << QByteArray(R"({"errorInformation":{"errorCode":"3101","errorDescription":"x","extensionList":{"extension":[]}}})")
            << 3101 << u"errorInformation.extensionList: must have 1 to 16 entries, has none"_s;
    }

    void parseCallbackErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, code);
        QFETCH(QString, message);
        const auto parsed = parseErrorInformation(QByteArrayView(body));
        QVERIFY(!parsed.has_value());
        QCOMPARE(parsed.error().code, code);
        if (message.isEmpty())
            QVERIFY(parsed.error().message.startsWith(u"body: malformed JSON"_s));
        else
            QCOMPARE(parsed.error().message, message);
    }
};

QTEST_GUILESS_MAIN(TestErrors)
#include "tst_errors.moc"
