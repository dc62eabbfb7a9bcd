// JSON helpers of the FSPIOP library: parsing, the two compact re-serialisations, base64url.

#include "core/fspiop/json.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;
using Pm::Fspiop::Json;
using Pm::Fspiop::JsonKeyOrder;

class TestJson : public QObject
{
    Q_OBJECT

private:
    static QByteArray reserialize(const QByteArray &text, JsonKeyOrder order)
    {
        const auto parsed = Pm::Fspiop::parseJson(text);
        if (!parsed)
            return "<parse error: "_ba + parsed.error().message.toUtf8() + ">"_ba;
        return Pm::Fspiop::serializeJson(*parsed, order);
    }

private slots:
    void parseRejectsMalformed_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("trailing garbage") << "{} x"_ba;
        QTest::newRow("unquoted key") << "{a:1}"_ba;
        QTest::newRow("trailing comma") << "[1,]"_ba;
        QTest::newRow("single quotes") << "{'a':1}"_ba;
        QTest::newRow("bad utf-8") << "\"\xff\""_ba;
        QTest::newRow("lone surrogate escape") << "\"\\ud800\""_ba;
        QTest::newRow("control char in string") << "\"a\nb\""_ba;
        QTest::newRow("too deep") << QByteArray(QByteArray(Pm::Fspiop::MaxJsonDepth + 1, '[')
                                                + QByteArray(Pm::Fspiop::MaxJsonDepth + 1, ']'));
    }

    void parseRejectsMalformed()
    {
        QFETCH(QByteArray, text);
        const auto parsed = Pm::Fspiop::parseJson(text);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, 3101);
        QVERIFY2(parsed.error().message.startsWith(u"malformed JSON: "_s),
                 qPrintable(parsed.error().message));
        QVERIFY(!parsed.error().message.contains(u'\n'));
    }

    void parseAcceptsDepthLimitAndBracketsInStrings()
    {
        const QByteArray deep = QByteArray(Pm::Fspiop::MaxJsonDepth, '[')
                                + QByteArray(Pm::Fspiop::MaxJsonDepth, ']');
        QVERIFY(Pm::Fspiop::parseJson(deep));
        const QByteArray brackets = "{\"a\":\""_ba + QByteArray(1000, '[') + "\\\"\"}"_ba;
        QVERIFY(Pm::Fspiop::parseJson(brackets));
    }

    void compactKeepsInsertionOrder()
    {
        QCOMPARE(reserialize(R"({ "b" : 1, "a" : [ 1, { "z": null, "y": true } ], "c": false })"_ba,
                             JsonKeyOrder::InsertionOrder),
                 R"({"b":1,"a":[1,{"z":null,"y":true}],"c":false})"_ba);
    }

    void sortedSortsRecursively()
    {
        QCOMPARE(reserialize(R"({ "b" : 1, "a" : [ 1, { "z": null, "y": true } ], "c": {"B":1,"A":2} })"_ba,
                             JsonKeyOrder::Sorted),
                 R"({"a":[1,{"y":true,"z":null}],"b":1,"c":{"A":2,"B":1}})"_ba);
        // Arrays keep their order; upper case sorts before lower case (code unit order).
        QCOMPARE(reserialize(R"({"b":[3,1,2],"a":1,"B":2,"_":3})"_ba, JsonKeyOrder::Sorted),
                 R"({"B":2,"_":3,"a":1,"b":[3,1,2]})"_ba);
    }

    void integerLikeKeysComeFirstInJavaScriptOrder()
    {
        // JSON.stringify(JSON.parse(...)) puts array-index keys first, ascending.
        QCOMPARE(reserialize(R"({"b":1,"10":2,"2":3,"a":4,"01":5,"4294967295":6,"4294967294":7})"_ba,
                             JsonKeyOrder::InsertionOrder),
                 R"({"2":3,"10":2,"4294967294":7,"b":1,"a":4,"01":5,"4294967295":6})"_ba);
        // Sorting is by string, not by number.
        QCOMPARE(reserialize(R"({"b":1,"10":2,"2":3})"_ba, JsonKeyOrder::Sorted),
                 R"({"10":2,"2":3,"b":1})"_ba);
    }

    void duplicateKeysKeepFirstPositionLastValue()
    {
        QCOMPARE(reserialize(R"({"a":1,"b":2,"a":3})"_ba, JsonKeyOrder::InsertionOrder),
                 R"({"a":3,"b":2})"_ba);
    }

    void escaping_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");
        // Ordinary literals on purpose: moc mis-reads raw strings that contain \".
        QTest::newRow("quote and backslash") << "[\"a\\\"b\\\\c\"]"_ba << "[\"a\\\"b\\\\c\"]"_ba;
        QTest::newRow("short forms") << "[\"\\b\\f\\n\\r\\t\"]"_ba << "[\"\\b\\f\\n\\r\\t\"]"_ba;
        QTest::newRow("other controls lower-case hex")
            << "[\"\\u0000\\u0001\\u001F\\u000b\"]"_ba << "[\"\\u0000\\u0001\\u001f\\u000b\"]"_ba;
        QTest::newRow("solidus not escaped") << "[\"a\\/b\"]"_ba << "[\"a/b\"]"_ba;
        QTest::newRow("DEL raw") << "[\"\\u007f\"]"_ba << "[\"\x7f\"]"_ba;
        QTest::newRow("escaped non-ASCII becomes raw UTF-8")
            << "[\"\\u00e9\\u20ac\\ud83d\\ude00\"]"_ba << "[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]"_ba;
        QTest::newRow("raw non-ASCII kept") << "[\"Jos\xc3\xa9\"]"_ba << "[\"Jos\xc3\xa9\"]"_ba;
        QTest::newRow("line separators raw")
            << "[\"\\u2028\\u2029\"]"_ba << "[\"\xe2\x80\xa8\xe2\x80\xa9\"]"_ba;
        QTest::newRow("escaped key") << "{\"a\\\"\\n\":1}"_ba << "{\"a\\\"\\n\":1}"_ba;
    }

    void escaping()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        QCOMPARE(reserialize(input, JsonKeyOrder::InsertionOrder), expected);
        QCOMPARE(reserialize(input, JsonKeyOrder::Sorted), expected);
    }

    void unicodeKeysSortByUtf16CodeUnits()
    {
        // U+FF21 (FULLWIDTH A, UTF-8 EF BC A1) sorts after U+1F600 (UTF-16 D83D DE00) in UTF-16
        // order, though before it in byte order. U+00E9 sorts after ASCII, before both.
        const QByteArray input = "{\"\xef\xbc\xa1\":1,\"\xf0\x9f\x98\x80\":2,\"\xc3\xa9\":3,\"z\":4}"_ba;
        QCOMPARE(reserialize(input, JsonKeyOrder::Sorted),
                 "{\"z\":4,\"\xc3\xa9\":3,\"\xf0\x9f\x98\x80\":2,\"\xef\xbc\xa1\":1}"_ba);
        QCOMPARE(reserialize(input, JsonKeyOrder::InsertionOrder), input);
        // U+D7FF (ED 9F BF) is below the surrogates, so before U+1F600.
        QCOMPARE(reserialize("{\"\xf0\x9f\x98\x80\":1,\"\xed\x9f\xbf\":2}"_ba, JsonKeyOrder::Sorted),
                 "{\"\xed\x9f\xbf\":2,\"\xf0\x9f\x98\x80\":1}"_ba);
        // Prefix sorts first.
        QCOMPARE(reserialize(R"({"ab":1,"a":2})"_ba, JsonKeyOrder::Sorted), R"({"a":2,"ab":1})"_ba);
    }

    void numbers_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("integer") << "[0,-1,42]"_ba << "[0,-1,42]"_ba;
        QTest::newRow("negative zero") << "[-0,-0.0]"_ba << "[0,0]"_ba;
        QTest::newRow("float with integral value") << "[1.0,100.50,1e2]"_ba << "[1,100.5,100]"_ba;
        QTest::newRow("decimals") << "[0.1,100.5,-2.25,123.456]"_ba << "[0.1,100.5,-2.25,123.456]"_ba;
        QTest::newRow("shortest round trip") << "[0.30000000000000004,1.7976931348623157e308]"_ba
                                             << "[0.30000000000000004,1.7976931348623157e+308]"_ba;
        QTest::newRow("1e21 boundary") << "[1e20,1e21,123456789012345678901]"_ba
                                       << "[100000000000000000000,1e+21,123456789012345680000]"_ba;
        QTest::newRow("small") << "[0.000001,0.0000001,1.5e-7,5e-324]"_ba
                               << "[0.000001,1e-7,1.5e-7,5e-324]"_ba;
        QTest::newRow("max safe integer") << "[9007199254740992,-9007199254740992]"_ba
                                          << "[9007199254740992,-9007199254740992]"_ba;
        QTest::newRow("beyond 2^53 through a double")
            << "[9007199254740993,18446744073709551615,-9223372036854775808]"_ba
            << "[9007199254740992,18446744073709552000,-9223372036854776000]"_ba;
        QTest::newRow("exponent form") << "[1.5e300,-2e-10]"_ba << "[1.5e+300,-2e-10]"_ba;
        QTest::newRow("literals") << "[true,false,null]"_ba << "[true,false,null]"_ba;
    }

    void numbers()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        QCOMPARE(reserialize(input, JsonKeyOrder::InsertionOrder), expected);
    }

    void javaScriptNumberText()
    {
        QCOMPARE(Pm::Fspiop::javaScriptNumber(std::numeric_limits<double>::quiet_NaN()), "NaN"_ba);
        QCOMPARE(Pm::Fspiop::javaScriptNumber(-std::numeric_limits<double>::infinity()), "-Infinity"_ba);
        QCOMPARE(Pm::Fspiop::javaScriptNumber(123e-20), "1.23e-18"_ba);
        QCOMPARE(Pm::Fspiop::javaScriptNumber(0.5), "0.5"_ba);
        // Non-finite values cannot come from JSON text, but serialise as JSON.stringify does.
        QCOMPARE(Pm::Fspiop::serializeJson(Json(std::numeric_limits<double>::infinity())), "null"_ba);
    }

    void fspiopBodyRoundTrip()
    {
        const QByteArray wire =
            R"({"transferAmount":{"amount":"100.5","currency":"USD"},"expiration":"2030-01-01T00:00:00.000Z","condition":"IBYNawotyxCogfQvK1pXEqsMVD-SkYOb9aPZSzxlgLs"})"_ba;
        QCOMPARE(reserialize(wire, JsonKeyOrder::InsertionOrder), wire);
        QCOMPARE(reserialize(wire, JsonKeyOrder::Sorted),
                 R"({"condition":"IBYNawotyxCogfQvK1pXEqsMVD-SkYOb9aPZSzxlgLs","expiration":"2030-01-01T00:00:00.000Z","transferAmount":{"amount":"100.5","currency":"USD"}})"_ba);
    }

    void base64Url_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("encoded");
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("1") << "f"_ba << "Zg"_ba;
        QTest::newRow("2") << "fo"_ba << "Zm8"_ba;
        QTest::newRow("3") << "foo"_ba << "Zm9v"_ba;
        QTest::newRow("4") << "foob"_ba << "Zm9vYg"_ba;
        QTest::newRow("url alphabet") << "\xfb\xff\xbf"_ba << "-_-_"_ba;
        QTest::newRow("jws header") << R"({"alg":"RS256"})"_ba << "eyJhbGciOiJSUzI1NiJ9"_ba;
    }

    void base64Url()
    {
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, encoded);
        QCOMPARE(Pm::Fspiop::base64UrlEncode(data), encoded);
        QCOMPARE(Pm::Fspiop::base64UrlEncodedSize(data.size()), encoded.size());
        const auto decoded = Pm::Fspiop::base64UrlDecode(encoded);
        QVERIFY(decoded);
        QCOMPARE(*decoded, data);
        // Agrees with Qt's encoder.
        QCOMPARE(encoded, data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    }

    void base64UrlRoundTripAllLengths()
    {
        QByteArray data;
        for (int i = 0; i < 300; ++i) {
            const QByteArray encoded = Pm::Fspiop::base64UrlEncode(data);
            const auto decoded = Pm::Fspiop::base64UrlDecode(encoded);
            QVERIFY(decoded);
            QCOMPARE(*decoded, data);
            data.append(char(i * 37 + 11));
        }
    }

    void base64UrlRejects_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("padding") << "Zg=="_ba;
        QTest::newRow("standard alphabet +") << "a+b/"_ba;
        QTest::newRow("whitespace") << "Zm9v Yg"_ba;
        QTest::newRow("impossible length") << "Zm9vY"_ba;
        QTest::newRow("non-zero unused bits (1 byte)") << "Zh"_ba;
        QTest::newRow("non-zero unused bits (2 bytes)") << "Zm9"_ba.replace('9', 'B');
        QTest::newRow("NUL") << QByteArray("Zm\0v", 4);
    }

    void base64UrlRejects()
    {
        QFETCH(QByteArray, text);
        const auto decoded = Pm::Fspiop::base64UrlDecode(text);
        QVERIFY(!decoded);
        QCOMPARE(decoded.error().code, 3101);
        QVERIFY(decoded.error().message.startsWith(u"invalid base64url: "_s));
    }
};

QTEST_GUILESS_MAIN(TestJson)
#include "tst_json.moc"
