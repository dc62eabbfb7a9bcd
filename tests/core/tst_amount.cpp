#include "core/fspiop/amount.h"

#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using Pm::Fspiop::Amount;

namespace {

Amount make(const QString &text)
{
    const auto a = Amount::parse(QStringView(text), u"test");
    if (!a)
        qFatal("bad test amount %s", qPrintable(text));
    return *a;
}

} // namespace

class TestAmount : public QObject
{
    Q_OBJECT

private slots:
    void accepts_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<quint64>("integer");
        QTest::addColumn<int>("fraction");
        QTest::newRow("0") << u"0"_s << quint64(0) << 0;
        QTest::newRow("1") << u"1"_s << quint64(1) << 0;
        QTest::newRow("100") << u"100"_s << quint64(100) << 0;
        QTest::newRow("100.5") << u"100.5"_s << quint64(100) << 5000;
        QTest::newRow("0.29") << u"0.29"_s << quint64(0) << 2900;
        QTest::newRow("0.0001") << u"0.0001"_s << quint64(0) << 1;
        QTest::newRow("1.234") << u"1.234"_s << quint64(1) << 2340;
        QTest::newRow("9.9999") << u"9.9999"_s << quint64(9) << 9999;
        QTest::newRow("18 integer digits") << u"999999999999999999"_s
                                           << quint64(999999999999999999ULL) << 0;
        QTest::newRow("largest") << u"999999999999999999.9999"_s
                                 << quint64(999999999999999999ULL) << 9999;
        QTest::newRow("0.05") << u"0.05"_s << quint64(0) << 500;
    }

    void accepts()
    {
        QFETCH(QString, text);
        QFETCH(quint64, integer);
        QFETCH(int, fraction);
        const auto a = Amount::parse(QStringView(text), u"amount.amount");
        QVERIFY2(a.has_value(), a ? "" : qPrintable(a.error().message));
        QCOMPARE(a->integerPart(), integer);
        QCOMPARE(a->fractionTenThousandths(), fraction);
        QCOMPARE(a->toString(), text); // canonical in, canonical out
        const QByteArray utf8 = text.toUtf8();
        const auto b = Amount::parse(std::string_view(utf8.constData(),
                                                      static_cast<std::size_t>(utf8.size())),
                                     u"amount.amount");
        QVERIFY(b.has_value());
        QCOMPARE(*b, *a);
        QCOMPARE(QString::fromStdString(a->toStdString()), text);
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QString() << u"amount.amount: the amount is empty"_s;
        QTest::newRow("0.0") << u"0.0"_s << u"amount.amount: '0.0' has a trailing zero"_s;
        QTest::newRow("100.50") << u"100.50"_s << u"amount.amount: '100.50' has a trailing zero"_s;
        QTest::newRow("1.10") << u"1.10"_s << u"amount.amount: '1.10' has a trailing zero"_s;
        QTest::newRow("01") << u"01"_s << u"amount.amount: '01' has a leading zero"_s;
        QTest::newRow("00") << u"00"_s << u"amount.amount: '00' has a leading zero"_s;
        QTest::newRow("19 integer digits")
            << u"1000000000000000000"_s
            << u"amount.amount: '1000000000000000000' has more than 18 integer digits"_s;
        QTest::newRow("5 decimals") << u"1.23456"_s
                                    << u"amount.amount: '1.23456' has more than 4 decimals"_s;
        QTest::newRow("5 decimals ending in 0")
            << u"1.23450"_s << u"amount.amount: '1.23450' has more than 4 decimals"_s;
        QTest::newRow("negative") << u"-1"_s
                                  << u"amount.amount: '-1' has a sign (amounts are unsigned)"_s;
        QTest::newRow("plus") << u"+1"_s
                              << u"amount.amount: '+1' has a sign (amounts are unsigned)"_s;
        QTest::newRow("bare point") << u"1."_s
                                    << u"amount.amount: '1.' has no digit after the decimal point"_s;
        QTest::newRow("leading point")
            << u".5"_s << u"amount.amount: '.5' has no digit before the decimal point"_s;
        QTest::newRow("exponent") << u"1e3"_s << u"amount.amount: '1e3' is not a decimal number"_s;
        QTest::newRow("comma") << u"1,5"_s << u"amount.amount: '1,5' is not a decimal number"_s;
        QTest::newRow("space") << u" 1"_s << u"amount.amount: ' 1' is not a decimal number"_s;
        QTest::newRow("two points") << u"1.2.3"_s
                                    << u"amount.amount: '1.2.3' is not a decimal number"_s;
        QTest::newRow("arabic digits") << u"١"_s << u"amount.amount: '١' is not a decimal number"_s;
        QTest::newRow("newline kept on one line")
            << u"1\n2"_s << u"amount.amount: '1?2' is not a decimal number"_s;
    }

    void rejects()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const auto a = Amount::parse(QStringView(text), u"amount.amount");
        QVERIFY(!a.has_value());
        QCOMPARE(a.error().code, 3101);
        QCOMPARE(a.error().message, message);
        const QByteArray utf8 = text.toUtf8();
        const auto b = Amount::parse(std::string_view(utf8.constData(),
                                                      static_cast<std::size_t>(utf8.size())),
                                     u"amount.amount");
        QVERIFY(!b.has_value());
        QCOMPARE(b.error().message, message);
    }

    void longValueIsCutInTheMessage()
    {
        const QString text(200, u'9');
        const auto a = Amount::parse(QStringView(text), u"x");
        QVERIFY(!a);
        QVERIFY(a.error().message.size() < 120);
        QVERIFY(a.error().message.contains(u"more than 18 integer digits"_s));
    }

    void lenient_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("100.50") << u"100.50"_s << u"100.5"_s;
        QTest::newRow("0.0") << u"0.0"_s << u"0"_s;
        QTest::newRow("00100") << u"00100"_s << u"100"_s;
        QTest::newRow("100.") << u"100."_s << u"100"_s;
        QTest::newRow("1.230000") << u"1.230000"_s << u"1.23"_s;
        QTest::newRow("000.0001") << u"000.0001"_s << u"0.0001"_s;
        QTest::newRow("18 digits after zeros") << u"000999999999999999999"_s
                                               << u"999999999999999999"_s;
    }

    void lenient()
    {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        const auto normalised = Amount::normalise(QStringView(text), u"fee");
        QVERIFY2(normalised.has_value(), normalised ? "" : qPrintable(normalised.error().message));
        QCOMPARE(*normalised, canonical);
        // The canonical form passes the strict pattern and means the same value.
        QCOMPARE(*Amount::parse(QStringView(canonical), u"fee"),
                 *Amount::parseLenient(QStringView(text), u"fee"));
    }

    void lenientStillRejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("5 significant decimals") << u"1.00001"_s;
        QTest::newRow("19 digits") << u"1000000000000000000.0"_s;
        QTest::newRow("sign") << u"-0"_s;
        QTest::newRow("letters") << u"abc"_s;
        QTest::newRow("leading point") << u".5"_s;
        QTest::newRow("empty") << QString();
    }

    void lenientStillRejects()
    {
        QFETCH(QString, text);
        QVERIFY(!Amount::parseLenient(QStringView(text), u"fee"));
    }

    void scaling_data()
    {
        QTest::addColumn<QString>("amount");
        QTest::addColumn<QString>("currency");
        QTest::addColumn<quint64>("minor");
        QTest::newRow("0.29 USD (float trap)") << u"0.29"_s << u"USD"_s << quint64(29);
        QTest::newRow("1.1 USD (float trap)") << u"1.1"_s << u"USD"_s << quint64(110);
        QTest::newRow("100.5 USD") << u"100.5"_s << u"USD"_s << quint64(10050);
        QTest::newRow("0 USD") << u"0"_s << u"USD"_s << quint64(0);
        QTest::newRow("100 XOF") << u"100"_s << u"XOF"_s << quint64(100);
        QTest::newRow("1.234 BHD") << u"1.234"_s << u"BHD"_s << quint64(1234);
        QTest::newRow("1.2 BHD") << u"1.2"_s << u"BHD"_s << quint64(1200);
        QTest::newRow("1.2345 CLF") << u"1.2345"_s << u"CLF"_s << quint64(12345);
        QTest::newRow("100 XXX (4 decimals)") << u"100"_s << u"XXX"_s << quint64(1000000);
        QTest::newRow("100.5 XXX") << u"100.5"_s << u"XXX"_s << quint64(1005000);
        QTest::newRow("largest 0-decimal") << u"999999999999999999"_s << u"JPY"_s
                                           << quint64(999999999999999999ULL);
        QTest::newRow("uint64 max in USD")
            << u"184467440737095516.15"_s << u"USD"_s << quint64(18446744073709551615ULL);
        QTest::newRow("uint64 max in CLF")
            << u"1844674407370955.1615"_s << u"CLF"_s << quint64(18446744073709551615ULL);
    }

    void scaling()
    {
        QFETCH(QString, amount);
        QFETCH(QString, currency);
        QFETCH(quint64, minor);
        const Amount a = make(amount);
        const auto scaled = a.toMinorUnits(QStringView(currency), u"amount.amount");
        QVERIFY2(scaled.has_value(), scaled ? "" : qPrintable(scaled.error().message));
        QCOMPARE(quint64(*scaled), minor);
        const QByteArray code = currency.toLatin1();
        QCOMPARE(quint64(*a.toMinorUnits(std::string_view(code.constData(), 3), u"x")), minor);
        // And back.
        QCOMPARE(*Pm::Fspiop::formatMinorUnits(minor, QStringView(currency)), amount);
        QCOMPARE(*Amount::fromMinorUnits(minor, QStringView(currency)), a);
    }

    void scalingFailures_data()
    {
        QTest::addColumn<QString>("amount");
        QTest::addColumn<QString>("currency");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("100.5 XOF")
            << u"100.5"_s << u"XOF"_s << 3100
            << u"amount.amount: '100.5' is not a whole number of minor units of XOF (0 decimals)"_s;
        QTest::newRow("1.234 USD")
            << u"1.234"_s << u"USD"_s << 3100
            << u"amount.amount: '1.234' is not a whole number of minor units of USD (2 decimals)"_s;
        QTest::newRow("0.0001 BHD")
            << u"0.0001"_s << u"BHD"_s << 3100
            << u"amount.amount: '0.0001' is not a whole number of minor units of BHD (3 decimals)"_s;
        QTest::newRow("overflow CLF")
            << u"1844674407370955.1616"_s << u"CLF"_s << 3100
            << u"amount.amount: '1844674407370955.1616' does not fit in a 64-bit count of minor "
               u"units"_s;
        QTest::newRow("overflow USD")
            << u"184467440737095516.16"_s << u"USD"_s << 3100
            << u"amount.amount: '184467440737095516.16' does not fit in a 64-bit count of minor "
               u"units"_s;
        QTest::newRow("overflow XXX")
            << u"999999999999999999"_s << u"XXX"_s << 3100
            << u"amount.amount: '999999999999999999' does not fit in a 64-bit count of minor "
               u"units"_s;
        QTest::newRow("unknown currency")
            << u"1"_s << u"ABC"_s << 3100
            << u"amount.amount: currency 'ABC' is not a known ISO 4217 code"_s;
    }

    void scalingFailures()
    {
        QFETCH(QString, amount);
        QFETCH(QString, currency);
        QFETCH(int, code);
        QFETCH(QString, message);
        const auto scaled = make(amount).toMinorUnits(QStringView(currency), u"amount.amount");
        QVERIFY(!scaled);
        QCOMPARE(scaled.error().code, code);
        QCOMPARE(scaled.error().message, message);
        const QByteArray ascii = currency.toLatin1();
        const auto viaAscii = make(amount).toMinorUnits(
            std::string_view(ascii.constData(), static_cast<std::size_t>(ascii.size())),
            u"amount.amount");
        QVERIFY(!viaAscii);
        QCOMPARE(viaAscii.error().message, message);
    }

    void scalingByDecimalCount()
    {
        const Amount a = make(u"12.34"_s);
        QVERIFY(!a.toMinorUnits(0, u"x"));
        QVERIFY(!a.toMinorUnits(1, u"x"));
        QCOMPARE(quint64(*a.toMinorUnits(2, u"x")), quint64(1234));
        QCOMPARE(quint64(*a.toMinorUnits(3, u"x")), quint64(12340));
        QCOMPARE(quint64(*a.toMinorUnits(4, u"x")), quint64(123400));
        QVERIFY(!a.toMinorUnits(5, u"x"));
        QVERIFY(!a.toMinorUnits(-1, u"x"));
    }

    void fromMinorUnitsLimits()
    {
        QCOMPARE(Amount::fromMinorUnits(std::numeric_limits<std::uint64_t>::max(), 2)->toString(),
                 u"184467440737095516.15"_s);
        // 20 integer digits with 0 decimals is beyond the FSPIOP pattern.
        const auto tooBig = Amount::fromMinorUnits(std::numeric_limits<std::uint64_t>::max(), 0);
        QVERIFY(!tooBig);
        QCOMPARE(tooBig.error().code, 3100);
        QVERIFY(!Amount::fromMinorUnits(1, 5));
        QVERIFY(!Amount::fromMinorUnits(1, u"ABC"));
        QCOMPARE(*Pm::Fspiop::formatMinorUnits(5, u"XOF"), u"5"_s);
        QCOMPARE(*Pm::Fspiop::formatMinorUnits(5, u"USD"), u"0.05"_s);
        QCOMPARE(*Pm::Fspiop::formatMinorUnits(10050, u"USD"), u"100.5"_s);
        QCOMPARE(*Pm::Fspiop::formatMinorUnits(0, u"BHD"), u"0"_s);
    }

    void arithmetic()
    {
        QCOMPARE(make(u"0.1"_s).plus(make(u"0.2"_s))->toString(), u"0.3"_s); // not 0.30000000000000004
        QCOMPARE(make(u"100.5"_s).plus(make(u"0.5"_s))->toString(), u"101"_s);
        QCOMPARE(make(u"0.9999"_s).plus(make(u"0.0001"_s))->toString(), u"1"_s);
        QCOMPARE(make(u"1"_s).minus(make(u"0.0001"_s))->toString(), u"0.9999"_s);
        QCOMPARE(make(u"100.5"_s).minus(make(u"100.5"_s))->toString(), u"0"_s);
        QCOMPARE(make(u"10"_s).minus(make(u"0.29"_s))->toString(), u"9.71"_s);

        const auto over = make(u"999999999999999999.9999"_s).plus(make(u"0.0001"_s), u"fees");
        QVERIFY(!over);
        QCOMPARE(over.error().code, 3100);
        QCOMPARE(over.error().message,
                 u"fees: 999999999999999999.9999 + 0.0001 has more than 18 integer digits"_s);
        QVERIFY(make(u"999999999999999999.9998"_s).plus(make(u"0.0001"_s)).has_value());

        const auto negative = make(u"1"_s).minus(make(u"1.5"_s), u"holdAmount");
        QVERIFY(!negative);
        QCOMPARE(negative.error().message, u"holdAmount: 1 - 1.5 would be negative"_s);
    }

    void feeTotalsStayExact()
    {
        // A thousand 0.01 fees sum to exactly 10, which doubles do not.
        Amount total;
        const Amount fee = make(u"0.01"_s);
        for (int i = 0; i < 1000; ++i)
            total = *total.plus(fee);
        QCOMPARE(total.toString(), u"10"_s);
        QCOMPARE(quint64(*total.toMinorUnits(u"USD", u"total")), quint64(1000));
    }

    void ordering()
    {
        QVERIFY(make(u"0.29"_s) < make(u"0.3"_s));
        QVERIFY(make(u"2"_s) > make(u"1.9999"_s));
        QVERIFY(make(u"100.5"_s) == *Amount::parseLenient(u"100.50", u"x"));
        QVERIFY(make(u"10"_s) > make(u"9.9999"_s));
        QVERIFY(Amount().isZero());
        QCOMPARE(Amount().toString(), u"0"_s);
        QCOMPARE(make(u"100.5"_s).decimals(), 1);
        QCOMPARE(make(u"1.2345"_s).decimals(), 4);
        QCOMPARE(make(u"7"_s).decimals(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAmount)
#include "tst_amount.moc"
