#include "core/fspiop/ecmaregex.h"
#include "core/fspiop/schema.h"

#include <QFile>
#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Pm::Fspiop;
using Json = nlohmann::ordered_json;

namespace {

Json readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Json();
    const QByteArray bytes = file.readAll();
    return Json::parse(bytes.begin(), bytes.end(), nullptr, false);
}

QString samplesDir()
{
    return QStringLiteral(PM_TEST_DATA_DIR) + u"/samples/"_s;
}

// The schema type of an FSPIOP request body, from its method and URL.
QString typeFor(const QString &method, const QString &url)
{
    const QStringList segments = url.split(u'/', Qt::SkipEmptyParts);
    if (segments.isEmpty())
        return {};
    const QString &resource = segments.first();
    if (method == u"PUT" && resource == u"parties")
        return u"PartiesTypeIDPutResponse"_s;
    if (method == u"POST" && resource == u"quotes")
        return u"QuotesPostRequest"_s;
    if (method == u"PUT" && resource == u"quotes")
        return u"QuotesIDPutResponse"_s;
    if (method == u"POST" && resource == u"transfers")
        return u"TransfersPostRequest"_s;
    if (method == u"PUT" && resource == u"transfers")
        return u"TransfersIDPutResponse"_s;
    return {};
}

// A good QuotesPostRequest (from the capture), for the broken-message cases.
Json quoteRequest()
{
    const Json capture = readJson(samplesDir() + u"fspiop-capture.json"_s);
    for (const Json &exchange : capture) {
        if (exchange["request"]["method"] == "POST" && exchange["request"]["url"] == "/quotes")
            return exchange["request"]["body"];
    }
    return Json();
}

} // namespace

class TestSchema : public QObject
{
    Q_OBJECT

private slots:
    void provenance()
    {
        QCOMPARE(Schema::sourceVersion(), u"18.4.1"_s);
        QCOMPARE(Schema::typeNames(Versions::V1_0).size(), 86);
        QCOMPARE(Schema::typeNames(Versions::V1_1).size(), 89);
        QCOMPARE(Schema::typeNames(Versions::V2_0).size(), 102);
        QVERIFY(Schema::hasType(Versions::V2_0, u"FxQuotesPostRequest"));
        QVERIFY(!Schema::hasType(Versions::V1_1, u"FxQuotesPostRequest"));
        QVERIFY(Schema::typeNames(ApiVersion{3, 0}).isEmpty());
        const auto schema = Schema::schemaOf(Versions::V2_0, u"PartyIdType");
        QVERIFY(schema.has_value());
        QCOMPARE((*schema)["enum"].size(), std::size_t(8));
    }

    void everySchemaLoads()
    {
        // Every type of every version turns into a valijson schema: every pattern translates to
        // PCRE2 and compiles, and no keyword outside the supported set appears.
        const auto loaded = Schema::preloadAll();
        QVERIFY2(loaded.has_value(), qPrintable(loaded ? QString() : loaded.error().message));
    }

    void capturedMessagesValidate_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("body");
        const Json capture = readJson(samplesDir() + u"fspiop-capture.json"_s);
        QVERIFY(capture.is_array() && !capture.empty());
        int rows = 0;
        for (const Json &exchange : capture) {
            const Json &request = exchange["request"];
            if (!request.contains("body"))
                continue;
            const QString method = QString::fromStdString(request["method"].get<std::string>());
            const QString url = QString::fromStdString(request["url"].get<std::string>());
            const QString type = typeFor(method, url);
            QVERIFY2(!type.isEmpty(), qPrintable(method + u' ' + url));
            QTest::newRow(qPrintable(method + u' ' + url))
                << type << QString::fromStdString(request["body"].dump());
            ++rows;
        }
        QCOMPARE(rows, 5);
    }

    void capturedMessagesValidate()
    {
        QFETCH(QString, type);
        QFETCH(QString, body);
        const Json json = Json::parse(body.toStdString());
        // The capture is FSPIOP 1.0 traffic; the same bodies are valid in 1.1 and 2.0 as well.
        for (const ApiVersion &version : supportedVersions()) {
            const auto result = Schema::validate(version, type, json);
            QVERIFY2(result.has_value(), qPrintable(version.toString() + u": "_s
                                                    + (result ? QString() : result.error().message)));
        }
    }

    void transferResponseMessagesValidate_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("body");
        // transfer-response.json is the outbound API's answer; it carries the FSPIOP messages of
        // the transfer it made (some as JSON text, as the reference stores request bodies).
        const Json state = readJson(samplesDir() + u"transfer-response.json"_s);
        QVERIFY(state.is_object());
        const std::pair<const char *, const char *> messages[] = {
            {"getPartiesResponse", "PartiesTypeIDPutResponse"},
            {"quoteRequest", "QuotesPostRequest"},
            {"quoteResponse", "QuotesIDPutResponse"},
            {"prepare", "TransfersPostRequest"},
            {"fulfil", "TransfersIDPutResponse"},
        };
        for (const auto &[field, type] : messages) {
            QVERIFY2(state.contains(field), field);
            const Json &body = state[field]["body"];
            const Json parsed = body.is_string() ? Json::parse(body.get<std::string>()) : body;
            QTest::newRow(field) << QString::fromLatin1(type) << QString::fromStdString(parsed.dump());
        }
    }

    void transferResponseMessagesValidate()
    {
        capturedMessagesValidate();
    }

    void rawBytes()
    {
        const QByteArray good = QByteArrayLiteral(R"({"transferState":"COMMITTED","completedTimestamp":"2026-12-03T16:05:51.221Z","fulfilment":"rnN2XS6CLLNzRrSvX44EvUi3E2Lw0kEyW-ZiH02qEjU"})");
        QVERIFY(Schema::validateBytes(Versions::V1_1, u"TransfersIDPutResponse", good).has_value());
        const auto bad = Schema::validateBytes(Versions::V1_1, u"TransfersIDPutResponse", "{\"transferState\":");
        QVERIFY(!bad.has_value());
        QCOMPARE(bad.error().code, 3101);
        QVERIFY(bad.error().message.startsWith(u"body: malformed JSON"_s));
        // Absurd nesting is refused by the parser, before any schema work.
        const QByteArray deep = QByteArray(100000, '[') + QByteArray(100000, ']');
        const auto nested = Schema::validateBytes(Versions::V1_1, u"TransfersIDPutResponse", deep);
        QVERIFY(!nested.has_value());
        QCOMPARE(nested.error().code, 3101);
    }

    void unknownType()
    {
        const auto result = Schema::validate(Versions::V1_1, u"FxQuotesPostRequest", Json::object());
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, 2001);
        const auto noVersion = Schema::validate(ApiVersion{3, 0}, u"QuotesPostRequest", Json::object());
        QVERIFY(!noVersion.has_value());
        QCOMPARE(noVersion.error().code, 2001);
    }

    void brokenMessages_data()
    {
        QTest::addColumn<ApiVersion>("version");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");

        const Json good = quoteRequest();
        QVERIFY(good.is_object());
        const auto row = [&](const char *name, ApiVersion version, const Json &body, int code, const QString &message) {
            QTest::newRow(name) << version << QString::fromStdString(body.dump()) << code << message;
        };
        const auto v11 = Versions::V1_1;
        const auto v20 = Versions::V2_0;

        Json j = good;
        j.erase("quoteId");
        row("missing root field", v20, j, 3102, u"/quoteId is required"_s);

        j = good;
        j["payee"]["partyIdInfo"].erase("partyIdentifier");
        row("missing nested field", v20, j, 3102, u"/payee/partyIdInfo/partyIdentifier is required"_s);
        row("missing nested field 1.1", v11, j, 3102, u"/payee/partyIdInfo/partyIdentifier is required"_s);

        j = good;
        j["payee"]["partyIdInfo"]["partyIdentifier"] = std::string(129, '1');
        row("too long", v20, j, 3100, u"/payee/partyIdInfo/partyIdentifier must be at most 128 characters long"_s);

        j = good;
        j["payee"]["partyIdInfo"]["partyIdentifier"] = "";
        row("too short", v20, j, 3100, u"/payee/partyIdInfo/partyIdentifier must be at least 1 character long"_s);

        j = good;
        j["amount"]["amount"] = "1.230"; // a trailing zero is not allowed
        row("amount pattern", v20, j, 3100,
            u"/amount/amount must match pattern ^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$"_s);

        j = good;
        j["amountType"] = "GIVE";
        row("enum", v20, j, 3100, u"/amountType must be one of: SEND, RECEIVE"_s);

        j = good;
        j["payee"]["partyIdInfo"]["partyIdType"] = "PHONE";
        row("enum nested", v11, j, 3100,
            u"/payee/partyIdInfo/partyIdType must be one of: MSISDN, EMAIL, PERSONAL_ID, BUSINESS, DEVICE, ACCOUNT_ID, IBAN, ALIAS"_s);

        j = good;
        j["unexpected"] = "x";
        row("additional property", v20, j, 3100, u"/unexpected is not an allowed property"_s);
        row("additional property allowed in 1.1", v11, j, 0, QString());

        j = good;
        j["quoteId"] = 123;
        row("wrong type", v20, j, 3100, u"/quoteId must be a string"_s);

        j = good;
        j["payer"] = "payerfsp";
        row("wrong type object", v20, j, 3100, u"/payer must be an object"_s);

        row("not an object", v20, Json::array(), 3100, u"body must be an object"_s);

        j = good;
        j["quoteId"] = "01JD5ZQ7V0M8W4X2Y6A9B3C5DE"; // a ULID
        row("ulid ok in 2.0", v20, j, 0, QString());
        row("ulid not in 1.1", v11, j, 3100,
            u"/quoteId must match pattern ^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"_s);

        j = good;
        j["quoteId"] = "684536E4-7DB7-4444-BD54-5EED30CF7E93"; // uppercase UUID
        row("uppercase uuid", v20, j, 3100,
            u"/quoteId must match pattern ^[0-9a-f]{8}-[0-9a-f]{4}-[1-7][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$|^[0-9A-HJKMNP-TV-Z]{26}$"_s);

        j = good;
        j["expiration"] = "2026-12-03T16:06:51Z"; // no milliseconds
        row("datetime without ms", v20, j, 3100, u"/expiration must match pattern "_s + QString::fromStdString(
            Schema::schemaOf(v20, u"DateTime").value_or(Json::object()).value("pattern", std::string())));

        j = good;
        j["payer"]["personalInfo"]["complexName"]["firstName"] = "Zoë";
        j["payer"]["personalInfo"]["complexName"]["lastName"] = "Владимиров";
        j["payee"]["personalInfo"]["complexName"]["firstName"] = "محمد";
        j["payee"]["personalInfo"]["complexName"]["middleName"] = "Nguyễn";
        row("unicode names", v20, j, 0, QString());
        row("unicode names 1.1", v11, j, 0, QString());

        j = good;
        j["payer"]["personalInfo"]["complexName"]["firstName"] = "Bob!";
        row("bad name", v20, j, 3100,
            u"/payer/personalInfo/complexName/firstName must match pattern "_s
                + QString::fromStdString(Schema::schemaOf(v20, u"FirstName").value_or(Json::object()).value("pattern", std::string())));

        j = good;
        j["payer"]["personalInfo"]["dateOfBirth"] = "2023-02-29";
        row("not a calendar date", v20, j, 3100, u"/payer/personalInfo/dateOfBirth must match pattern "_s
            + QString::fromStdString(Schema::schemaOf(v20, u"DateOfBirth").value_or(Json::object()).value("pattern", std::string())));

        j = good;
        Json extensions = Json::array();
        for (int i = 0; i < 17; ++i)
            extensions.push_back(Json{{"key", QString(u"k%1"_s).arg(i).toStdString()}, {"value", "v"}});
        j["extensionList"] = Json{{"extension", extensions}};
        row("too many extensions", v20, j, 3100, u"/extensionList/extension must have at most 16 items"_s);
        j["extensionList"] = Json{{"extension", Json::array()}};
        row("no extensions", v20, j, 3100, u"/extensionList/extension must have at least 1 item"_s);
        j["extensionList"] = Json{{"extension", Json::array({Json{{"key", std::string(33, 'k')}, {"value", "v"}}})}};
        row("extension key too long", v20, j, 3100, u"/extensionList/extension/0/key must be at most 32 characters long"_s);
        j["extensionList"] = Json{{"extension", Json::array({Json{{"key", "k"}}})}};
        row("extension value missing", v20, j, 3102, u"/extensionList/extension/0/value is required"_s);

        // Which error comes first follows ajv's order: required before the properties, the
        // properties in the schema's order, type before anything else in a schema.
        j = good;
        j.erase("transactionId");
        j["payee"]["partyIdInfo"]["partyIdentifier"] = std::string(129, '1');
        row("required before properties", v20, j, 3102, u"/transactionId is required"_s);

        j = good;
        j["quoteId"] = 123;
        j["payee"]["partyIdInfo"].erase("partyIdentifier");
        row("earlier property first", v20, j, 3100, u"/quoteId must be a string"_s);

        j = good;
        j["payee"]["partyIdInfo"].erase("partyIdentifier");
        j["amountType"] = "GIVE";
        row("payee before amountType", v20, j, 3102, u"/payee/partyIdInfo/partyIdentifier is required"_s);

        j = good;
        j.erase("payer");
        j.erase("amount");
        row("required in schema order", v20, j, 3102, u"/payer is required"_s); // not alphabetical

        j = good;
        j["zzz"] = 1;
        j["quoteId"] = "bad";
        row("additional before properties", v20, j, 3100, u"/zzz is not an allowed property"_s);
    }

    void brokenMessages()
    {
        QFETCH(ApiVersion, version);
        QFETCH(QString, body);
        QFETCH(int, code);
        QFETCH(QString, message);
        const auto result = Schema::validate(version, u"QuotesPostRequest", Json::parse(body.toStdString()));
        if (code == 0) {
            QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().message));
            return;
        }
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, code);
        QCOMPARE(result.error().message, message);
        QCOMPARE(result.error().detail, u"QuotesPostRequest (FSPIOP "_s + version.toString() + u')');
    }

    void otherTypes()
    {
        // The error callback body, as a peer sends it.
        const Json error = Json::parse(R"({"errorInformation":{"errorCode":"3204","errorDescription":"Party not found"}})");
        for (const ApiVersion &version : supportedVersions())
            QVERIFY(Schema::validate(version, u"ErrorInformationResponse", error).has_value());
        const Json badCode = Json::parse(R"({"errorInformation":{"errorCode":"0204","errorDescription":"x"}})");
        const auto result = Schema::validate(Versions::V2_0, u"ErrorInformationResponse", badCode);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().message, u"/errorInformation/errorCode must match pattern ^[1-9]\\d{3}$"_s);

        // anyOf (AuthenticationValue): none of the alternatives matches.
        const Json auth = Json::parse(R"({"authentication":"OTP","authenticationValue":12})");
        const auto authResult = Schema::validate(Versions::V2_0, u"AuthenticationInfo", auth);
        QVERIFY(!authResult.has_value());
        QCOMPARE(authResult.error().code, 3100);
        // ajv reports the first alternative's first error first; so does this validator.
        QCOMPARE(authResult.error().message, u"/authenticationValue must be a string"_s);
        QVERIFY(Schema::validate(Versions::V2_0, u"AuthenticationInfo",
                                 Json::parse(R"({"authentication":"OTP","authenticationValue":"123456"})")).has_value());
    }

    void concurrentUse()
    {
        // Several threads load and use schemas at once (the cache is shared).
        const Json good = quoteRequest();
        const QStringList types = Schema::typeNames(Versions::V1_0);
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 6; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 40; ++i) {
                    if (!Schema::validate(Versions::V1_1, u"QuotesPostRequest", good).has_value())
                        ++failures;
                    Json broken = good;
                    broken.erase("payee");
                    if (Schema::validate(Versions::V2_0, u"QuotesPostRequest", broken).has_value())
                        ++failures;
                    // Touch types not loaded yet, so loading races with validation.
                    (void)Schema::validate(Versions::V1_0, types.at((t * 40 + i) % types.size()), Json::object());
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(failures.load(), 0);
    }

    void ecmaTranslation_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("subject");
        QTest::addColumn<bool>("matches");
        // $ is end of input only, as in ECMAScript (PCRE's $ would also match before a final \n).
        QTest::newRow("$ before newline") << u"^a$"_s << u"a\n"_s << false;
        QTest::newRow("$ at end") << u"^a$"_s << u"a"_s << true;
        // \d and \w are ASCII-only; \s knows the Unicode spaces ECMAScript lists.
        QTest::newRow("\\d arabic-indic") << u"^\\d$"_s << u"\u0663"_s << false;
        QTest::newRow("\\d ascii") << u"^\\d$"_s << u"3"_s << true;
        QTest::newRow("\\w accented") << u"^\\w$"_s << u"é"_s << false;
        QTest::newRow("\\s nbsp") << u"^\\s$"_s << u"\u00A0"_s << true;
        QTest::newRow("\\s bom") << u"^\\s$"_s << u"\uFEFF"_s << true;
        QTest::newRow("\\S letter") << u"^\\S+$"_s << u"abc"_s << true;
        QTest::newRow("[\\d] class") << u"^[\\d]{1,4}$"_s << u"1234"_s << true;
        QTest::newRow("[\\d] class non-ascii") << u"^[\\d]{1,4}$"_s << u"\u0661"_s << false;
        QTest::newRow(". line separator") << u"^.$"_s << u"\u2028"_s << false;
        QTest::newRow(". letter") << u"^.$"_s << u"x"_s << true;
        QTest::newRow("empty class") << u"[]"_s << u"a"_s << false;
        QTest::newRow("any class") << u"^[^]$"_s << u"\n"_s << true;
        QTest::newRow("\\u escape") << u"^\\u00e9$"_s << u"é"_s << true;
        QTest::newRow("\\u{} escape") << u"^\\u{1F600}$"_s << u"😀"_s << true;
        QTest::newRow("surrogate pair escape") << u"^\\uD83D\\uDE00$"_s << u"😀"_s << true;
        QTest::newRow("code point counting") << u"^.{1}$"_s << u"😀"_s << true;
        QTest::newRow("gc=Mark") << u"^e\\p{gc=Mark}$"_s << u"e\u0301"_s << true;
        QTest::newRow("digit property") << u"^\\p{digit}$"_s << u"\u0663"_s << true;
        QTest::newRow("Script=Greek") << u"^\\p{Script=Greek}+$"_s << u"αβγ"_s << true;
        QTest::newRow("Join_Control") << u"^\\p{Join_Control}$"_s << u"\u200D"_s << true;
        QTest::newRow("\\b ascii") << u"\\bcat\\b"_s << u"a cat!"_s << true;
        QTest::newRow("[ in class") << u"^[[a]+$"_s << u"[a["_s << true;
        QTest::newRow("dash after range") << u"^[A-Za-z0-9-_]+$"_s << u"a-_9"_s << true;
        QTest::newRow("lookahead") << u"^(?!\\s*$).+$"_s << u"   "_s << false;
    }

    void ecmaTranslation()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, subject);
        QFETCH(bool, matches);
        const auto compiled = Internal::compileEcmaPattern(pattern);
        QVERIFY2(compiled.has_value(), qPrintable(compiled ? QString() : compiled.error().message));
        QCOMPARE(Internal::ecmaPatternMatches(pattern, subject), matches);
    }

    void ecmaUntranslatable()
    {
        QVERIFY(!Internal::compileEcmaPattern(u"[\\S]"_s).has_value());
        QVERIFY(!Internal::compileEcmaPattern(u"\\p{gc=NoSuchCategory}"_s).has_value());
        QVERIFY(!Internal::compileEcmaPattern(u"[abc"_s).has_value());
        QVERIFY(!Internal::compileEcmaPattern(u"abc\\"_s).has_value());
        QVERIFY(!Internal::ecmaPatternMatches(u"[\\S]"_s, u"x"_s));
    }
};

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
