#include "core/fspiop/currency.h"

#include <QTest>

#include <map>

using namespace Qt::StringLiterals;
using namespace Pm::Fspiop;

namespace {

// The reference is @mojaloop/sdk-standard-components 19.19.1 src/lib/ilp/currency.json: 168 codes,
// of which the ones listed in nonTwoEntriesAreExactlyTheReferenceOnes() are not 2 decimals.
constexpr std::size_t kReferenceSize = 168;

} // namespace

class TestCurrency : public QObject
{
    Q_OBJECT

private slots:
    void tableSizeMatchesReference()
    {
        QCOMPARE(currencyTable().size(), kReferenceSize);
        QCOMPARE(knownCurrencyCodes().size(), qsizetype(kReferenceSize));
    }

    void tableIsSortedAndUnique()
    {
        const auto table = currencyTable();
        for (std::size_t i = 1; i < table.size(); ++i)
            QVERIFY2(table[i - 1].code < table[i].code, table[i].code.data());
        const QStringList codes = knownCurrencyCodes();
        QCOMPARE(codes.first(), u"AED"_s);
        QCOMPARE(codes.last(), u"ZWL"_s);
    }

    void minorUnits_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("units");
        QTest::newRow("USD") << u"USD"_s << 2;
        QTest::newRow("EUR") << u"EUR"_s << 2;
        QTest::newRow("XOF") << u"XOF"_s << 0;
        QTest::newRow("JPY") << u"JPY"_s << 0;
        QTest::newRow("UGX") << u"UGX"_s << 0;
        QTest::newRow("BHD") << u"BHD"_s << 3;
        QTest::newRow("KWD") << u"KWD"_s << 3;
        QTest::newRow("CLF") << u"CLF"_s << 4;
        QTest::newRow("UYW") << u"UYW"_s << 4;
        QTest::newRow("XXX is 4 in the 19.x table") << u"XXX"_s << 4;
        QTest::newRow("XTS is 4 in the 19.x table") << u"XTS"_s << 4;
    }

    void minorUnits()
    {
        QFETCH(QString, code);
        QFETCH(int, units);
        QCOMPARE(currencyMinorUnits(QStringView(code)), std::optional<int>(units));
        const QByteArray ascii = code.toLatin1();
        QCOMPARE(currencyMinorUnits(std::string_view(ascii.constData(), 3)),
                 std::optional<int>(units));
        QVERIFY(isKnownCurrency(QStringView(code)));
    }

    void nonTwoEntriesAreExactlyTheReferenceOnes()
    {
        // Every entry of the reference table that is not 2 decimals.
        const std::map<std::string_view, int> expected{
            {"BHD", 3}, {"BIF", 0}, {"CLF", 4}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3},
            {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3},
            {"OMR", 3}, {"PYG", 0}, {"RWF", 0}, {"TND", 3}, {"UGX", 0}, {"UYI", 0}, {"UYW", 4},
            {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0}, {"XTS", 4}, {"XXX", 4}};
        std::map<std::string_view, int> actual;
        for (const CurrencyInfo &c : currencyTable()) {
            if (c.minorUnits != 2)
                actual.emplace(c.code, c.minorUnits);
        }
        QVERIFY(actual == expected);
    }

    void unknownCodes_data()
    {
        QTest::addColumn<QString>("code");
        QTest::newRow("ABC") << u"ABC"_s;
        QTest::newRow("lower case") << u"usd"_s;
        QTest::newRow("empty") << QString();
        QTest::newRow("two letters") << u"US"_s;
        QTest::newRow("four letters") << u"USDD"_s;
        QTest::newRow("non-ASCII") << u"ÜSD"_s;
        QTest::newRow("before first") << u"AAA"_s;
        QTest::newRow("after last") << u"ZZZ"_s;
    }

    void unknownCodes()
    {
        QFETCH(QString, code);
        QVERIFY(!currencyMinorUnits(QStringView(code)));
        QVERIFY(!isKnownCurrency(QStringView(code)));
        const QByteArray utf8 = code.toUtf8();
        QVERIFY(!isKnownCurrency(std::string_view(utf8.constData(),
                                                  static_cast<std::size_t>(utf8.size()))));
    }
};

QTEST_GUILESS_MAIN(TestCurrency)
#include "tst_currency.moc"
