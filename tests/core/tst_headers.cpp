#include "core/fspiop/headers.h"
#include "core/fspiop/schema.h"

#include <QLocale>
#include <QSet>
#include <QTest>
#include <QTimeZone>

#include <clocale>

using namespace Qt::StringLiterals;
using namespace Pm::Fspiop;

Q_DECLARE_METATYPE(Pm::Fspiop::HttpHeaders)

namespace {

const QByteArray kPartiesCt = "application/vnd.interoperability.parties+json;version=1.0";
const QByteArray kPartiesAccept = "application/vnd.interoperability.parties+json;version=1";
const QByteArray kQuotesCt = "application/vnd.interoperability.quotes+json;version=1.1";
const QByteArray kDate = "Thu, 03 Dec 2026 16:05:51 GMT";

HttpHeaders headers(std::initializer_list<std::pair<const char *, QByteArray>> list)
{
    HttpHeaders result;
    for (const auto &[name, value] : list)
        result.append({QByteArray(name), value});
    return result;
}

} // namespace

class TestHeaders : public QObject
{
    Q_OBJECT

private slots:
    void lookups()
    {
        HttpHeaders h = headers({{"content-type", "a"}, {"X-Other", "b"}, {"Content-Type", "c"}});
        QCOMPARE(headerValue(h, HeaderName::ContentType), std::optional<QByteArray>("a"));
        QCOMPARE(headerValue(h, "CONTENT-TYPE"), std::optional<QByteArray>("a"));
        QCOMPARE(headerValue(h, HeaderName::Accept), std::nullopt);
        setHeader(h, HeaderName::ContentType, "d");
        QCOMPARE(h.size(), 2);
        QCOMPARE(h.last().first, QByteArray("Content-Type"));
        QCOMPARE(headerValue(h, "content-type"), std::optional<QByteArray>("d"));
        QCOMPARE(HeaderName::FspiopSource, QByteArrayView("FSPIOP-Source"));
        QCOMPARE(HeaderName::FspiopHttpMethod, QByteArrayView("FSPIOP-HTTP-Method"));
        QCOMPARE(HeaderName::FspiopUri, QByteArrayView("FSPIOP-URI"));
        QCOMPARE(HeaderName::FspiopDestination, QByteArrayView("FSPIOP-Destination"));
    }

    void resourceFromPaths()
    {
        QCOMPARE(resourceFromPath(u"/parties/MSISDN/123"), u"parties"_s);
        QCOMPARE(resourceFromPath(u"/quotes"), u"quotes"_s);
        QCOMPARE(resourceFromPath(u"/quotes/1/error"), u"quotes"_s);
        QCOMPARE(resourceFromPath(u"/bulkTransfers?x=1"), u"bulkTransfers"_s);
        QCOMPARE(resourceFromPath(u"/ping"), QString());
        QCOMPARE(resourceFromPath(u"/"), QString());
        QCOMPARE(resourceFromPath(u"/dfspa/transfers/1", true), u"transfers"_s);
        QCOMPARE(resourceFromPath(u"/transfers/1", true), QString());
    }

    void check_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<HttpHeaders>("requestHeaders");
        QTest::addColumn<int>("code");     // 0: accepted
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");

        QTest::newRow("GET ok (captured request)")
            << QByteArray("GET") << u"/parties/MSISDN/25612345678"_s
            << headers({{"content-type", kPartiesCt}, {"date", kDate}, {"fspiop-source", "payerfsp"}, {"accept", kPartiesAccept}})
            << 0 << 0 << QString();
        QTest::newRow("GET without Accept")
            << QByteArray("GET") << u"/parties/MSISDN/1"_s
            << headers({{"content-type", kPartiesCt}, {"date", kDate}, {"fspiop-source", "payerfsp"}})
            << 3102 << 400 << u"Accept header is required on GET"_s;
        QTest::newRow("GET Accept malformed")
            << QByteArray("GET") << u"/parties/MSISDN/1"_s
            << headers({{"accept", "application/json"}, {"content-type", kPartiesCt}, {"date", kDate}, {"fspiop-source", "a"}})
            << 3101 << 400
            << u"Accept: \"application/json\" is not a list of application/vnd.interoperability.{resource}+json[;version=N]"_s;
        QTest::newRow("GET Accept empty")
            << QByteArray("GET") << u"/parties/MSISDN/1"_s
            << headers({{"accept", ""}, {"content-type", kPartiesCt}, {"date", kDate}, {"fspiop-source", "a"}})
            << 3101 << 400
            << u"Accept: \"\" is not a list of application/vnd.interoperability.{resource}+json[;version=N]"_s;
        QTest::newRow("GET Accept other resource")
            << QByteArray("GET") << u"/parties/MSISDN/1"_s
            << headers({{"accept", "application/vnd.interoperability.quotes+json;version=1"}, {"content-type", kPartiesCt},
                        {"date", kDate}, {"fspiop-source", "a"}})
            << 3101 << 400 << u"Accept: names resource \"quotes\", the request is for \"parties\""_s;
        QTest::newRow("GET Accept unsupported version")
            << QByteArray("GET") << u"/parties/MSISDN/1"_s
            << headers({{"accept", "application/vnd.interoperability.parties+json;version=3"}, {"content-type", kPartiesCt},
                        {"date", kDate}, {"fspiop-source", "a"}})
            << 3001 << 406 << u"Accept: none of the requested versions is supported"_s;
        QTest::newRow("GET Accept 1.2 unsupported")
            << QByteArray("GET") << u"/parties/MSISDN/1"_s
            << headers({{"accept", "application/vnd.interoperability.parties+json;version=1.2"}, {"content-type", kPartiesCt},
                        {"date", kDate}, {"fspiop-source", "a"}})
            << 3001 << 406 << u"Accept: none of the requested versions is supported"_s;
        QTest::newRow("GET Accept without version")
            << QByteArray("GET") << u"/parties/MSISDN/1"_s
            << headers({{"accept", "application/vnd.interoperability.parties+json"}, {"content-type", kPartiesCt},
                        {"date", kDate}, {"fspiop-source", "a"}})
            << 0 << 0 << QString();
        QTest::newRow("GET without Content-Type")
            << QByteArray("GET") << u"/parties/MSISDN/1"_s
            << headers({{"accept", kPartiesAccept}, {"date", kDate}, {"fspiop-source", "a"}})
            << 3102 << 400 << u"Content-Type header is required"_s;
        QTest::newRow("POST without Accept is fine")
            << QByteArray("POST") << u"/quotes"_s
            << headers({{"Content-Type", kQuotesCt}, {"Date", kDate}, {"FSPIOP-Source", "payerfsp"}})
            << 0 << 0 << QString();
        QTest::newRow("POST with bad Accept")
            << QByteArray("POST") << u"/quotes"_s
            << headers({{"Content-Type", kQuotesCt}, {"Accept", "text/html"}, {"Date", kDate}, {"FSPIOP-Source", "payerfsp"}})
            << 3101 << 400
            << u"Accept: \"text/html\" is not a list of application/vnd.interoperability.{resource}+json[;version=N]"_s;
        QTest::newRow("POST Accept no supported version")
            << QByteArray("POST") << u"/quotes"_s
            << headers({{"Content-Type", kQuotesCt}, {"Accept", "application/vnd.interoperability.quotes+json;version=4"},
                        {"Date", kDate}, {"FSPIOP-Source", "payerfsp"}})
            << 3001 << 406 << u"Accept: none of the requested versions is supported"_s;
        QTest::newRow("POST without Content-Type")
            << QByteArray("POST") << u"/quotes"_s << headers({{"Date", kDate}, {"FSPIOP-Source", "payerfsp"}})
            << 3102 << 400 << u"Content-Type header is required"_s;
        QTest::newRow("POST Content-Type json")
            << QByteArray("POST") << u"/quotes"_s
            << headers({{"Content-Type", "application/json"}, {"Date", kDate}, {"FSPIOP-Source", "payerfsp"}})
            << 3101 << 400
            << u"Content-Type: \"application/json\" is not application/vnd.interoperability.{resource}+json;version=X.Y"_s;
        QTest::newRow("POST Content-Type without minor")
            << QByteArray("POST") << u"/quotes"_s
            << headers({{"Content-Type", "application/vnd.interoperability.quotes+json;version=1"}, {"Date", kDate},
                        {"FSPIOP-Source", "payerfsp"}})
            << 3101 << 400
            << u"Content-Type: \"application/vnd.interoperability.quotes+json;version=1\" is not application/vnd.interoperability.{resource}+json;version=X.Y"_s;
        QTest::newRow("POST Content-Type other resource")
            << QByteArray("POST") << u"/quotes"_s
            << headers({{"Content-Type", kPartiesCt}, {"Date", kDate}, {"FSPIOP-Source", "payerfsp"}})
            << 3101 << 400 << u"Content-Type: names resource \"parties\", the request is for \"quotes\""_s;
        QTest::newRow("POST Content-Type 1.2")
            << QByteArray("POST") << u"/quotes"_s
            << headers({{"Content-Type", "application/vnd.interoperability.quotes+json;version=1.2"}, {"Date", kDate},
                        {"FSPIOP-Source", "payerfsp"}})
            << 3001 << 406 << u"Content-Type: version 1.2 is not supported"_s;
        QTest::newRow("POST Content-Type 3.0")
            << QByteArray("POST") << u"/quotes"_s
            << headers({{"Content-Type", "application/vnd.interoperability.quotes+json;version=3.0"}, {"Date", kDate},
                        {"FSPIOP-Source", "payerfsp"}})
            << 3001 << 406 << u"Content-Type: version 3.0 is not supported"_s;
        QTest::newRow("POST Content-Type 01.0")
            << QByteArray("POST") << u"/quotes"_s
            << headers({{"Content-Type", "application/vnd.interoperability.quotes+json;version=01.0"}, {"Date", kDate},
                        {"FSPIOP-Source", "payerfsp"}})
            << 3001 << 406 << u"Content-Type: version 01.0 is not supported"_s;
        QTest::newRow("POST Content-Type spaces")
            << QByteArray("POST") << u"/quotes"_s
            << headers({{"Content-Type", "application/vnd.interoperability.quotes+json ; version=2.0"}, {"Date", kDate},
                        {"FSPIOP-Source", "payerfsp"}})
            << 0 << 0 << QString();
        QTest::newRow("PUT without Date")
            << QByteArray("PUT") << u"/quotes/1"_s << headers({{"Content-Type", kQuotesCt}, {"FSPIOP-Source", "payeefsp"}})
            << 3102 << 400 << u"Date header is required"_s;
        QTest::newRow("PUT without FSPIOP-Source")
            << QByteArray("PUT") << u"/quotes/1"_s << headers({{"Content-Type", kQuotesCt}, {"Date", kDate}})
            << 3102 << 400 << u"FSPIOP-Source header is required"_s;
        QTest::newRow("PUT with empty FSPIOP-Source")
            << QByteArray("PUT") << u"/quotes/1"_s
            << headers({{"Content-Type", kQuotesCt}, {"Date", kDate}, {"FSPIOP-Source", " "}})
            << 3102 << 400 << u"FSPIOP-Source header is required"_s;
        QTest::newRow("Accept checked before Content-Type")
            << QByteArray("GET") << u"/quotes/1"_s << headers({{"Accept", "bad"}})
            << 3101 << 400
            << u"Accept: \"bad\" is not a list of application/vnd.interoperability.{resource}+json[;version=N]"_s;
        QTest::newRow("ping is not checked") << QByteArray("POST") << u"/ping"_s << HttpHeaders() << 0 << 0 << QString();
        QTest::newRow("lowercase method") << QByteArray("get") << u"/parties/MSISDN/1"_s
                                          << headers({{"content-type", kPartiesCt}}) << 3102 << 400
                                          << u"Accept header is required on GET"_s;
    }

    void check()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(HttpHeaders, requestHeaders);
        QFETCH(int, code);
        QFETCH(int, status);
        QFETCH(QString, message);
        const auto result = validateInboundHeaders(method, path, requestHeaders);
        if (code == 0) {
            QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().error.message));
            return;
        }
        QVERIFY(!result.has_value());
        const HeaderRejection &rejection = result.error();
        QCOMPARE(rejection.error.code, code);
        QCOMPARE(rejection.httpStatus, status);
        QCOMPARE(rejection.error.message, message);
        if (code == 3001) {
            QCOMPARE(rejection.extensions,
                     (ExtensionList{{u"1"_s, u"0"_s}, {u"1"_s, u"1"_s}, {u"2"_s, u"0"_s}}));
        } else {
            QVERIFY(rejection.extensions.isEmpty());
        }
        // The answer body is an ErrorInformationResponse in every version's schema.
        const auto body = rejection.body();
        QCOMPARE(body["errorInformation"]["errorCode"].get<std::string>(), std::to_string(code));
        QCOMPARE(body["errorInformation"].contains("extensionList"), code == 3001);
        for (const ApiVersion &version : supportedVersions())
            QVERIFY(Schema::validate(version, u"ErrorInformationResponse", body).has_value());
    }

    void acceptedRequestDetails()
    {
        const auto get = validateInboundHeaders(
            "GET", u"/parties/MSISDN/25612345678",
            headers({{"content-type", kPartiesCt}, {"date", kDate}, {"fspiop-source", "payerfsp"}, {"accept", kPartiesAccept}}));
        QVERIFY(get.has_value());
        QCOMPARE(get->resource, u"parties"_s);
        QCOMPARE(get->contentVersion, std::optional<ApiVersion>(Versions::V1_0));
        QVERIFY(get->accept.has_value());
        QCOMPARE(get->responseVersion, std::optional<ApiVersion>(Versions::V1_1)); // highest 1.x

        const auto post = validateInboundHeaders(
            "POST", u"/quotes", headers({{"Content-Type", kQuotesCt}, {"Date", kDate}, {"FSPIOP-Source", "payerfsp"}}));
        QVERIFY(post.has_value());
        QVERIFY(!post->accept.has_value());
        QCOMPARE(post->responseVersion, std::optional<ApiVersion>(Versions::V1_1));

        const auto ping = validateInboundHeaders("POST", u"/ping", {});
        QVERIFY(ping.has_value());
        QVERIFY(ping->resource.isEmpty());
    }

    void options()
    {
        const std::array<ApiVersion, 1> onlyTwo{Versions::V2_0};
        HeaderCheckOptions restricted;
        restricted.supported = onlyTwo;
        const auto result = validateInboundHeaders(
            "PUT", u"/quotes/1", headers({{"Content-Type", kQuotesCt}, {"Date", kDate}, {"FSPIOP-Source", "b"}}), restricted);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().error.code, 3001);
        QCOMPARE(result.error().extensions, (ExtensionList{{u"2"_s, u"0"_s}}));

        HeaderCheckOptions multi;
        multi.multiDfsp = true;
        const auto missing = validateInboundHeaders("PUT", u"/dfspa/quotes/1", headers({{"Date", kDate}}), multi);
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error().error.code, 3102);

        HeaderCheckOptions mediaOnly;
        mediaOnly.requireDateAndSource = false;
        QVERIFY(validateInboundHeaders("PUT", u"/quotes/1", headers({{"Content-Type", kQuotesCt}}), mediaOnly).has_value());
    }

    void supportedExtensions()
    {
        QCOMPARE(supportedVersionsExtensions(),
                 (ExtensionList{{u"1"_s, u"0"_s}, {u"1"_s, u"1"_s}, {u"2"_s, u"0"_s}}));
    }

    // -----------------------------------------------------------------------------------------

    void formatDates_data()
    {
        QTest::addColumn<QDateTime>("time");
        QTest::addColumn<QString>("text");
        QTest::newRow("2025-01-01") << QDateTime(QDate(2025, 1, 1), QTime(0, 0), QTimeZone::utc())
                                    << u"Wed, 01 Jan 2025 00:00:00 GMT"_s;
        QTest::newRow("capture") << QDateTime(QDate(2026, 12, 3), QTime(16, 5, 51), QTimeZone::utc())
                                 << u"Thu, 03 Dec 2026 16:05:51 GMT"_s;
        QTest::newRow("example of SDK") << QDateTime(QDate(2021, 11, 9), QTime(13, 34, 4), QTimeZone::utc())
                                        << u"Tue, 09 Nov 2021 13:34:04 GMT"_s;
        QTest::newRow("leap day, Sunday") << QDateTime(QDate(2032, 2, 29), QTime(23, 59, 59, 999), QTimeZone::utc())
                                          << u"Sun, 29 Feb 2032 23:59:59 GMT"_s;
        QTest::newRow("offset converted to GMT")
            << QDateTime(QDate(2025, 6, 30), QTime(1, 2, 3), QTimeZone(2 * 3600))
            << u"Sun, 29 Jun 2025 23:02:03 GMT"_s;
        QTest::newRow("Saturday, epoch") << QDateTime(QDate(1970, 1, 3), QTime(0, 0), QTimeZone::utc())
                                         << u"Sat, 03 Jan 1970 00:00:00 GMT"_s;
        QTest::newRow("Monday, Friday months") << QDateTime(QDate(2024, 9, 2), QTime(12, 0), QTimeZone::utc())
                                               << u"Mon, 02 Sep 2024 12:00:00 GMT"_s;
        QTest::newRow("Friday") << QDateTime(QDate(2024, 3, 15), QTime(8, 9, 10), QTimeZone::utc())
                                << u"Fri, 15 Mar 2024 08:09:10 GMT"_s;
    }

    void formatDates()
    {
        QFETCH(QDateTime, time);
        QFETCH(QString, text);
        QCOMPARE(formatHttpDate(time), text);
        const auto parsed = parseHttpDate(text);
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->toSecsSinceEpoch(), time.toSecsSinceEpoch());
        QCOMPARE(parsed->timeSpec(), Qt::UTC);
    }

    void datesIgnoreLocale()
    {
        // English names whatever QLocale or the C library locale say.
        const QLocale previous;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        const char *cLocale = std::setlocale(LC_TIME, "de_DE.UTF-8"); // may be missing: fine
        const QDateTime t(QDate(2025, 5, 1), QTime(10, 0), QTimeZone::utc());
        QCOMPARE(formatHttpDate(t), u"Thu, 01 May 2025 10:00:00 GMT"_s);
        QVERIFY(parseHttpDate(u"Thu, 01 May 2025 10:00:00 GMT").has_value());
        std::setlocale(LC_TIME, "C");
        Q_UNUSED(cLocale);
        QLocale::setDefault(previous);
    }

    void currentDateRoundTrips()
    {
        const QString now = currentHttpDate();
        const auto parsed = parseHttpDate(now);
        QVERIFY(parsed.has_value());
        QVERIFY(qAbs(parsed->secsTo(QDateTime::currentDateTimeUtc())) < 5);
        QCOMPARE(formatHttpDate(*parsed), now);
    }

    void badDates_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("wrong weekday") << u"Fri, 01 Jan 2025 00:00:00 GMT"_s;
        QTest::newRow("bad month") << u"Wed, 01 Jax 2025 00:00:00 GMT"_s;
        QTest::newRow("lowercase month") << u"Wed, 01 jan 2025 00:00:00 GMT"_s;
        QTest::newRow("UTC") << u"Wed, 01 Jan 2025 00:00:00 UTC"_s;
        QTest::newRow("numeric zone") << u"Wed, 01 Jan 2025 00:00:00 +0000"_s;
        QTest::newRow("one-digit day") << u"Wed, 1 Jan 2025 00:00:00 GMT"_s;
        QTest::newRow("two-digit year") << u"Wed, 01 Jan 25 00:00:00 GMT"_s;
        QTest::newRow("31 February") << u"Mon, 31 Feb 2025 00:00:00 GMT"_s;
        QTest::newRow("hour 24") << u"Wed, 01 Jan 2025 24:00:00 GMT"_s;
        QTest::newRow("ISO") << u"2025-01-01T00:00:00.000Z"_s;
        QTest::newRow("asctime") << u"Wed Jan  1 00:00:00 2025"_s;
        QTest::newRow("empty") << QString();
    }

    void badDates()
    {
        QFETCH(QString, text);
        const auto parsed = parseHttpDate(text);
        QVERIFY(!parsed.has_value());
        QCOMPARE(parsed.error().code, 3101);
        QVERIFY(parsed.error().message.startsWith(u"Date: "_s));
    }

    // -----------------------------------------------------------------------------------------

    void traceparent()
    {
        const QByteArray value = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        const auto parsed = TraceParent::parse(value);
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->version, quint8(0));
        QCOMPARE(parsed->traceId, QByteArray("0af7651916cd43dd8448eb211c80319c"));
        QCOMPARE(parsed->parentId, QByteArray("b7ad6b7169203331"));
        QCOMPARE(parsed->flags, quint8(1));
        QVERIFY(parsed->sampled());
        QCOMPARE(parsed->toHeaderValue(), value);

        const auto notSampled = TraceParent::parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00");
        QVERIFY(notSampled.has_value());
        QVERIFY(!notSampled->sampled());

        // A later version may add fields after the flags.
        const auto future = TraceParent::parse("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra");
        QVERIFY(future.has_value());
        QCOMPARE(future->version, quint8(1));
    }

    void badTraceparent_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("uppercase") << QByteArray("00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01");
        QTest::newRow("zero trace id") << QByteArray("00-00000000000000000000000000000000-b7ad6b7169203331-01");
        QTest::newRow("zero parent id") << QByteArray("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01");
        QTest::newRow("version ff") << QByteArray("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        QTest::newRow("00 with extra") << QByteArray("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-x");
        QTest::newRow("future without dash") << QByteArray("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01x");
        QTest::newRow("short trace id") << QByteArray("00-0af7651916cd43dd8448eb211c8031-b7ad6b7169203331-01");
        QTest::newRow("short") << QByteArray("00-abc-def-01");
        QTest::newRow("non hex") << QByteArray("00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01");
        QTest::newRow("bad separators") << QByteArray("00_0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331_01");
        QTest::newRow("empty") << QByteArray();
    }

    void badTraceparent()
    {
        QFETCH(QByteArray, value);
        const auto parsed = TraceParent::parse(value);
        QVERIFY(!parsed.has_value());
        QCOMPARE(parsed.error().code, 3101);
        QVERIFY(parsed.error().message.startsWith(u"traceparent: "_s));
    }

    void generateTraceparent()
    {
        QSet<QByteArray> traceIds;
        for (int i = 0; i < 200; ++i) {
            const TraceParent t = TraceParent::generate();
            const QByteArray value = t.toHeaderValue();
            QCOMPARE(value.size(), 55);
            QVERIFY(value.startsWith("00-"));
            QVERIFY(value.endsWith("-01"));
            const auto parsed = TraceParent::parse(value);
            QVERIFY2(parsed.has_value(), value.constData());
            traceIds.insert(t.traceId);
        }
        QCOMPARE(traceIds.size(), 200);
        QVERIFY(TraceParent::generate(0x00).toHeaderValue().endsWith("-00"));

        const TraceParent parent = TraceParent::generate();
        const TraceParent child = parent.child();
        QCOMPARE(child.traceId, parent.traceId);
        QVERIFY(child.parentId != parent.parentId);
        QCOMPARE(child.flags, parent.flags);
    }

    void traceFlags()
    {
        QCOMPARE(parseTraceFlags(u"01").value_or(99), quint8(1));
        QCOMPARE(parseTraceFlags(u"00").value_or(99), quint8(0));
        QCOMPARE(parseTraceFlags(u"FF").value_or(99), quint8(255));
        const auto bad = parseTraceFlags(u"1");
        QVERIFY(!bad.has_value());
        QVERIFY(bad.error().message.startsWith(u"TRACE_FLAGS: "_s));
        QVERIFY(!parseTraceFlags(u"0x1").has_value());
    }

    void traceContext()
    {
        const QByteArray incoming = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        const HttpHeaders request = headers({{"traceparent", incoming}, {"tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"},
                                             {"baggage", "userId=alice"}});
        const TraceContext copied = TraceContext::fromHeaders(request);
        QCOMPARE(copied.traceparent.toHeaderValue(), incoming);
        QCOMPARE(copied.tracestate, QByteArray("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")); // untouched
        QCOMPARE(copied.baggage, QByteArray("userId=alice"));

        HttpHeaders callback = headers({{"Content-Type", "x"}});
        copied.applyTo(callback);
        QCOMPARE(headerValue(callback, "traceparent"), std::optional<QByteArray>(incoming));
        QCOMPARE(headerValue(callback, "tracestate"), std::optional<QByteArray>("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"));
        QCOMPARE(headerValue(callback, "baggage"), std::optional<QByteArray>("userId=alice"));

        QCOMPARE(copied.tracestateWith("tx_callback_start_ts", "1700000000000"),
                 QByteArray("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7,tx_callback_start_ts=1700000000000"));

        // An invalid traceparent starts a new trace and drops tracestate (W3C), keeps baggage.
        const TraceContext fresh = TraceContext::fromHeaders(
            headers({{"traceparent", "garbage"}, {"tracestate", "a=b"}, {"baggage", "k=v"}}), 0x00);
        QVERIFY(TraceParent::parse(fresh.traceparent.toHeaderValue()).has_value());
        QCOMPARE(fresh.traceparent.flags, quint8(0));
        QVERIFY(fresh.tracestate.isEmpty());
        QCOMPARE(fresh.baggage, QByteArray("k=v"));
        QCOMPARE(fresh.tracestateWith("a", "1"), QByteArray("a=1"));

        HttpHeaders bare;
        fresh.applyTo(bare);
        QCOMPARE(bare.size(), 2); // traceparent, baggage; no empty tracestate
    }

    // -----------------------------------------------------------------------------------------

    void resourceVersionsDefaults()
    {
        const ResourceVersions versions;
        for (const QString &resource : protocolResources())
            QCOMPARE(versions.version(resource), Versions::V2_0);
        QCOMPARE(versions.version(u"ping"), Versions::V2_0);
        QCOMPARE(versions.contentType(u"quotes"), u"application/vnd.interoperability.quotes+json;version=2.0"_s);
        QCOMPARE(versions.acceptType(u"quotes"), u"application/vnd.interoperability.quotes+json;version=2"_s);
    }

    void resourceVersionsParse()
    {
        const auto parsed = ResourceVersions::parse(u"parties=1.1,quotes=1.1, transfers = 1.0 ");
        QVERIFY2(parsed.has_value(), qPrintable(parsed ? QString() : parsed.error().message));
        QCOMPARE(parsed->version(u"parties"), Versions::V1_1);
        QCOMPARE(parsed->version(u"quotes"), Versions::V1_1);
        QCOMPARE(parsed->version(u"transfers"), Versions::V1_0);
        QCOMPARE(parsed->version(u"bulkQuotes"), Versions::V2_0); // not named: default
        QCOMPARE(parsed->contentType(u"parties"), u"application/vnd.interoperability.parties+json;version=1.1"_s);
        QCOMPARE(parsed->acceptType(u"parties"), u"application/vnd.interoperability.parties+json;version=1"_s);

        const auto again = ResourceVersions::parse(parsed->toString());
        QVERIFY(again.has_value());
        QCOMPARE(again->toString(), parsed->toString());
        QVERIFY(parsed->toString().contains(u"parties=1.1"_s));

        const auto empty = ResourceVersions::parse(u"  ");
        QVERIFY(empty.has_value());
        QCOMPARE(empty->toString(), ResourceVersions().toString());

        ResourceVersions base;
        base.setVersion(u"quotes"_s, Versions::V1_0);
        const auto layered = ResourceVersions::parse(u"parties=1.1", u"RESOURCE_VERSIONS", base);
        QVERIFY(layered.has_value());
        QCOMPARE(layered->version(u"quotes"), Versions::V1_0);
        QCOMPARE(layered->version(u"parties"), Versions::V1_1);
    }

    void resourceVersionsErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("no =") << u"parties"_s
                              << u"RESOURCE_VERSIONS: \"parties\" is not name=X.Y (for example parties=1.1,quotes=1.1)"_s;
        QTest::newRow("unknown resource") << u"parties=1.1,foo=1.0"_s
                                          << u"RESOURCE_VERSIONS: unknown resource \"foo\" (known: parties, participants, quotes, transfers, bulkTransfers, bulkQuotes, transactionRequests, authorizations, fxQuotes, fxTransfers, ping)"_s;
        QTest::newRow("major only") << u"parties=1"_s << u"RESOURCE_VERSIONS: parties has version \"1\", expected X.Y"_s;
        QTest::newRow("letters") << u"quotes=x.y"_s << u"RESOURCE_VERSIONS: quotes has version \"x.y\", expected X.Y"_s;
        QTest::newRow("unsupported") << u"quotes=1.2"_s
                                     << u"RESOURCE_VERSIONS: quotes has version 1.2, which is not one of 1.0, 1.1, 2.0"_s;
        QTest::newRow("empty name") << u"=1.0"_s
                                    << u"RESOURCE_VERSIONS: \"=1.0\" is not name=X.Y (for example parties=1.1,quotes=1.1)"_s;
        QTest::newRow("trailing comma") << u"parties=1.0,"_s
                                        << u"RESOURCE_VERSIONS: \"\" is not name=X.Y (for example parties=1.1,quotes=1.1)"_s;
    }

    void resourceVersionsErrors()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const auto parsed = ResourceVersions::parse(text);
        QVERIFY(!parsed.has_value());
        QCOMPARE(parsed.error().code, 3101);
        QCOMPARE(parsed.error().message, message);

        const auto named = ResourceVersions::parse(text, u"connector.resourceVersions");
        QVERIFY(!named.has_value());
        QVERIFY(named.error().message.startsWith(u"connector.resourceVersions: "_s));
    }
};

QTEST_GUILESS_MAIN(TestHeaders)
#include "tst_headers.moc"
