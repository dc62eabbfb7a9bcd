#include "core/fspiop/mediatype.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm::Fspiop;

class TestMediaType : public QObject
{
    Q_OBJECT

private slots:
    void versions()
    {
        QCOMPARE(supportedVersions().size(), std::size_t(3));
        QCOMPARE(Versions::V1_0.toString(), u"1.0"_s);
        QCOMPARE(Versions::V1_1.toString(), u"1.1"_s);
        QCOMPARE(Versions::V2_0.toString(), u"2.0"_s);
        QVERIFY(Versions::V1_0 < Versions::V1_1);
        QVERIFY(Versions::V1_1 < Versions::V2_0);
        QVERIFY(isSupportedVersion(Versions::V1_1));
        QVERIFY(!isSupportedVersion(ApiVersion{1, 2}));
        QVERIFY(!isSupportedVersion(ApiVersion{3, 0}));
    }

    void parseVersion_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("major");
        QTest::addColumn<int>("minor");
        QTest::newRow("1.0") << u"1.0"_s << true << 1 << 0;
        QTest::newRow("2.10") << u"2.10"_s << true << 2 << 10;
        QTest::newRow("major only") << u"1"_s << false << 0 << 0;
        QTest::newRow("leading zero") << u"01.0"_s << false << 0 << 0;
        QTest::newRow("minor leading zero") << u"1.01"_s << false << 0 << 0;
        QTest::newRow("three parts") << u"1.0.0"_s << false << 0 << 0;
        QTest::newRow("letters") << u"a.b"_s << false << 0 << 0;
        QTest::newRow("sign") << u"+1.0"_s << false << 0 << 0;
        QTest::newRow("overflow") << u"99999999999.0"_s << false << 0 << 0;
        QTest::newRow("empty") << QString() << false << 0 << 0;
    }

    void parseVersion()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(int, major);
        QFETCH(int, minor);
        const auto version = ApiVersion::parse(text, u"RESOURCE_VERSIONS");
        QCOMPARE(version.has_value(), ok);
        if (ok) {
            QCOMPARE(version->major, major);
            QCOMPARE(version->minor, minor);
        } else {
            QCOMPARE(version.error().code, 3101);
            QVERIFY(version.error().message.startsWith(u"RESOURCE_VERSIONS: "_s));
        }
    }

    void resources()
    {
        const QStringList expected{u"parties"_s, u"participants"_s, u"quotes"_s, u"transfers"_s,
                                   u"bulkTransfers"_s, u"bulkQuotes"_s, u"transactionRequests"_s,
                                   u"authorizations"_s, u"fxQuotes"_s, u"fxTransfers"_s};
        QCOMPARE(protocolResources(), expected);
        for (const QString &r : expected)
            QVERIFY(isProtocolResource(r));
        QVERIFY(!isProtocolResource(u"ping"));
        QVERIFY(!isProtocolResource(u"Quotes")); // case-sensitive, as in URLs
        QVERIFY(!isProtocolResource(u""));
    }

    void build()
    {
        QCOMPARE(contentType(u"parties", Versions::V1_0),
                 u"application/vnd.interoperability.parties+json;version=1.0"_s);
        QCOMPARE(contentType(u"quotes", Versions::V1_1),
                 u"application/vnd.interoperability.quotes+json;version=1.1"_s);
        QCOMPARE(contentType(u"fxTransfers", Versions::V2_0),
                 u"application/vnd.interoperability.fxTransfers+json;version=2.0"_s);
        QCOMPARE(acceptType(u"parties", Versions::V1_0), u"application/vnd.interoperability.parties+json;version=1"_s);
        QCOMPARE(acceptType(u"quotes", Versions::V1_1), u"application/vnd.interoperability.quotes+json;version=1"_s);
        QCOMPARE(acceptType(u"transfers", Versions::V2_0),
                 u"application/vnd.interoperability.transfers+json;version=2"_s);
    }

    void buildParsesBack()
    {
        for (const QString &resource : protocolResources()) {
            for (const ApiVersion &v : supportedVersions()) {
                const auto ct = Pm::Fspiop::parseContentType(contentType(resource, v));
                QVERIFY2(ct.has_value(), qPrintable(resource));
                QCOMPARE(ct->resource, resource);
                QCOMPARE(ct->version, std::optional<ApiVersion>(v));
                const auto accept = Pm::Fspiop::parseAccept(acceptType(resource, v));
                QVERIFY(accept.has_value());
                QCOMPARE(accept->resource, resource);
                QCOMPARE(negotiateVersion(*accept, std::span<const ApiVersion>(&v, 1)), std::optional<ApiVersion>(v));
            }
        }
    }

    void parseContentType_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("resource");
        QTest::addColumn<QString>("versionText");
        const QString base = u"application/vnd.interoperability.quotes+json"_s;
        QTest::newRow("plain") << base + u";version=1.0"_s << true << u"quotes"_s << u"1.0"_s;
        QTest::newRow("space before ;") << base + u" ;version=1.1"_s << true << u"quotes"_s << u"1.1"_s;
        QTest::newRow("space after ;") << base + u"; version=2.0"_s << true << u"quotes"_s << u"2.0"_s;
        QTest::newRow("spaces both") << base + u" ; version=2.0"_s << true << u"quotes"_s << u"2.0"_s;
        QTest::newRow("surrounding white space") << u"  "_s + base + u";version=1.0 "_s << true << u"quotes"_s << u"1.0"_s;
        QTest::newRow("unsupported but well formed") << base + u";version=9.9"_s << true << u"quotes"_s << u"9.9"_s;
        QTest::newRow("two spaces") << base + u"  ;version=1.0"_s << false << QString() << QString();
        QTest::newRow("tab") << base + u"\t;version=1.0"_s << false << QString() << QString();
        QTest::newRow("no version") << base << false << QString() << QString();
        QTest::newRow("major only") << base + u";version=1"_s << false << QString() << QString();
        QTest::newRow("empty version") << base + u";version="_s << false << QString() << QString();
        QTest::newRow("charset") << base + u";version=1.0;charset=utf-8"_s << false << QString() << QString();
        QTest::newRow("plain json") << u"application/json"_s << false << QString() << QString();
        QTest::newRow("iso20022") << u"application/vnd.interoperability.iso20022.quotes+json;version=2.0"_s << false
                                  << QString() << QString();
        QTest::newRow("uppercase") << u"APPLICATION/VND.INTEROPERABILITY.QUOTES+JSON;VERSION=1.0"_s << false
                                   << QString() << QString();
        QTest::newRow("no resource") << u"application/vnd.interoperability.+json;version=1.0"_s << false
                                     << QString() << QString();
        QTest::newRow("empty") << QString() << false << QString() << QString();
    }

    void parseContentType()
    {
        QFETCH(QString, value);
        QFETCH(bool, ok);
        QFETCH(QString, resource);
        QFETCH(QString, versionText);
        const auto parsed = Pm::Fspiop::parseContentType(value);
        QCOMPARE(parsed.has_value(), ok);
        if (ok) {
            QCOMPARE(parsed->resource, resource);
            QCOMPARE(parsed->versionText, versionText);
        } else {
            QCOMPARE(parsed.error().code, 3101);
            QVERIFY(parsed.error().message.startsWith(u"Content-Type: "_s));
        }
    }

    void nonCanonicalContentVersion()
    {
        // Well-formed for the header syntax, but no version of ours: the check answers 3001.
        const auto parsed = Pm::Fspiop::parseContentType(u"application/vnd.interoperability.quotes+json;version=01.0");
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->versionText, u"01.0"_s);
        QVERIFY(!parsed->version.has_value());
    }

    void parseAccept_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QStringList>("versions");
        const QString base = u"application/vnd.interoperability.parties+json"_s;
        QTest::newRow("major") << base + u";version=1"_s << true << QStringList{u"1"_s};
        QTest::newRow("major.minor") << base + u";version=1.1"_s << true << QStringList{u"1.1"_s};
        QTest::newRow("no version") << base << true << QStringList{QString()};
        QTest::newRow("spaces around ;") << base + u" ; version=2"_s << true << QStringList{u"2"_s};
        QTest::newRow("list") << base + u";version=1,"_s + base + u";version=2.0"_s << true
                              << QStringList{u"1"_s, u"2.0"_s};
        QTest::newRow("list with spaces") << base + u";version=1, "_s + base << true << QStringList{u"1"_s, QString()};
        QTest::newRow("other resource in list")
            << base + u";version=1,application/vnd.interoperability.quotes+json;version=1"_s << false << QStringList();
        QTest::newRow("letters in version") << base + u";version=1.a"_s << false << QStringList();
        QTest::newRow("empty version") << base + u";version="_s << false << QStringList();
        QTest::newRow("empty element") << base + u";version=1,"_s << false << QStringList();
        QTest::newRow("q parameter") << base + u";q=0.9"_s << false << QStringList();
        QTest::newRow("json") << u"application/json"_s << false << QStringList();
        QTest::newRow("wildcard") << u"*/*"_s << false << QStringList();
        QTest::newRow("empty") << QString() << false << QStringList();
    }

    void parseAccept()
    {
        QFETCH(QString, value);
        QFETCH(bool, ok);
        QFETCH(QStringList, versions);
        const auto parsed = Pm::Fspiop::parseAccept(value);
        QCOMPARE(parsed.has_value(), ok);
        if (!ok) {
            QCOMPARE(parsed.error().code, 3101);
            QVERIFY(parsed.error().message.startsWith(u"Accept: "_s));
            return;
        }
        QCOMPARE(parsed->resource, u"parties"_s);
        QStringList got;
        for (const AcceptedVersion &v : parsed->versions)
            got.append(v.text);
        QCOMPARE(got, versions);
    }

    void admits()
    {
        QVERIFY(AcceptedVersion{}.admits(Versions::V1_0));
        QVERIFY(AcceptedVersion{}.admits(Versions::V2_0));
        QVERIFY(AcceptedVersion{u"1"_s}.admits(Versions::V1_0));
        QVERIFY(AcceptedVersion{u"1"_s}.admits(Versions::V1_1));
        QVERIFY(!AcceptedVersion{u"1"_s}.admits(Versions::V2_0));
        QVERIFY(AcceptedVersion{u"1.1"_s}.admits(Versions::V1_1));
        QVERIFY(!AcceptedVersion{u"1.1"_s}.admits(Versions::V1_0));
        QVERIFY(!AcceptedVersion{u"01"_s}.admits(Versions::V1_0));
        QVERIFY(!AcceptedVersion{u"1.00"_s}.admits(Versions::V1_0));
    }

    void negotiate_data()
    {
        QTest::addColumn<QString>("accept");
        QTest::addColumn<QString>("expected"); // empty: none
        const QString base = u"application/vnd.interoperability.quotes+json"_s;
        QTest::newRow("1 -> 1.1") << base + u";version=1"_s << u"1.1"_s;
        QTest::newRow("1.0") << base + u";version=1.0"_s << u"1.0"_s;
        QTest::newRow("2") << base + u";version=2"_s << u"2.0"_s;
        QTest::newRow("any -> highest") << base << u"2.0"_s;
        QTest::newRow("3 none") << base + u";version=3"_s << QString();
        QTest::newRow("1.2 none") << base + u";version=1.2"_s << QString();
        QTest::newRow("list picks highest") << base + u";version=1.0,"_s + base + u";version=2"_s << u"2.0"_s;
        QTest::newRow("list with unknown") << base + u";version=3,"_s + base + u";version=1"_s << u"1.1"_s;
    }

    void negotiate()
    {
        QFETCH(QString, accept);
        QFETCH(QString, expected);
        const auto parsed = Pm::Fspiop::parseAccept(accept);
        QVERIFY(parsed.has_value());
        const auto version = negotiateVersion(*parsed);
        if (expected.isEmpty()) {
            QVERIFY(!version.has_value());
        } else {
            QVERIFY(version.has_value());
            QCOMPARE(version->toString(), expected);
        }
    }

    void negotiateWithRestrictedSupport()
    {
        const std::array<ApiVersion, 1> onlyTwo{Versions::V2_0};
        const auto parsed = Pm::Fspiop::parseAccept(u"application/vnd.interoperability.quotes+json;version=1");
        QVERIFY(parsed.has_value());
        QVERIFY(!negotiateVersion(*parsed, onlyTwo).has_value());
    }
};

QTEST_GUILESS_MAIN(TestMediaType)
#include "tst_mediatype.moc"
