#include "core/fspiop/amount.h"

#include "core/fspiop/currency.h"

#include <array>
#include <charconv>
#include <limits>
#include <type_traits>

using namespace Qt::StringLiterals;

namespace Pm::Fspiop {

/** Lets this file's helpers build an Amount from parts already checked. */
struct AmountAccess
{
    static constexpr Amount make(std::uint64_t integer, std::uint16_t fraction) noexcept
    {
        return Amount(integer, fraction);
    }
};

namespace {

constexpr int kMalformed = 3101;  // FSPIOP "Malformed syntax"
constexpr int kValidation = 3100; // FSPIOP "Generic validation error"

constexpr std::array<std::uint64_t, 5> kPow10{1, 10, 100, 1'000, 10'000};

enum class ParseError {
    None,
    Empty,
    Sign,
    NotDecimal,
    LeadingZero,
    TooManyIntegerDigits,
    NoIntegerDigit,
    NoDecimalDigit,
    TooManyDecimals,
    TrailingZero,
};

struct Parsed
{
    ParseError error = ParseError::None;
    std::uint64_t integer = 0;
    std::uint16_t fraction = 0;
};

template<class Ch>
constexpr unsigned unit(Ch ch) noexcept
{
    if constexpr (std::is_same_v<Ch, char>)
        return static_cast<unsigned char>(ch);
    else
        return static_cast<unsigned>(ch);
}

template<class Ch>
constexpr bool isDigit(Ch ch) noexcept
{
    return unit(ch) >= '0' && unit(ch) <= '9';
}

/**
 * The one scanner behind parse() and parseLenient(). Strict follows the FSPIOP pattern to the
 * letter; lenient accepts leading zeros, trailing zeros and a bare trailing point.
 */
template<class Ch>
Parsed scan(const Ch *s, std::size_t n, bool lenient) noexcept
{
    Parsed out;
    if (n == 0)
        return {ParseError::Empty};
    if (unit(s[0]) == '-' || unit(s[0]) == '+')
        return {ParseError::Sign};

    std::size_t intEnd = 0;
    while (intEnd < n && isDigit(s[intEnd]))
        ++intEnd;
    const bool hasPoint = intEnd < n;
    std::size_t fracBegin = n; // fraction digits are [fracBegin, fracEnd)
    std::size_t fracEnd = n;
    if (hasPoint) {
        if (unit(s[intEnd]) != '.')
            return {ParseError::NotDecimal};
        fracBegin = intEnd + 1;
        for (std::size_t j = fracBegin; j < n; ++j) {
            if (!isDigit(s[j]))
                return {ParseError::NotDecimal};
        }
    }
    if (intEnd == 0)
        return {hasPoint ? ParseError::NoIntegerDigit : ParseError::NotDecimal};
    if (hasPoint && fracBegin == n && !lenient)
        return {ParseError::NoDecimalDigit};

    // Integer part.
    std::size_t intBegin = 0;
    if (lenient) {
        while (intBegin + 1 < intEnd && unit(s[intBegin]) == '0')
            ++intBegin;
    } else if (intEnd > 1 && unit(s[0]) == '0') {
        return {ParseError::LeadingZero};
    }
    if (intEnd - intBegin > static_cast<std::size_t>(Amount::kMaxIntegerDigits))
        return {ParseError::TooManyIntegerDigits};

    // Fraction part (empty when there is no point, or a bare point in lenient mode).
    if (lenient) {
        while (fracEnd > fracBegin && unit(s[fracEnd - 1]) == '0')
            --fracEnd;
    }
    if (fracEnd - fracBegin > static_cast<std::size_t>(Amount::kMaxDecimals))
        return {ParseError::TooManyDecimals};
    if (!lenient && fracEnd > fracBegin && unit(s[fracEnd - 1]) == '0')
        return {ParseError::TrailingZero};

    for (std::size_t k = intBegin; k < intEnd; ++k)
        out.integer = out.integer * 10 + (unit(s[k]) - '0');
    std::uint16_t fraction = 0;
    std::size_t k = fracBegin;
    for (int place = 0; place < Amount::kMaxDecimals; ++place) {
        const unsigned digit = k < fracEnd ? unit(s[k++]) - '0' : 0;
        fraction = static_cast<std::uint16_t>(fraction * 10 + digit);
    }
    out.fraction = fraction;
    return out;
}

/** The value as it appears in a message: cut short, and never breaking the line. */
QString shown(QStringView text)
{
    constexpr qsizetype kMax = 40;
    QString out = text.size() > kMax ? text.left(kMax).toString() + u"…"_s : text.toString();
    for (QChar &ch : out) {
        if (ch.unicode() < 0x20 || ch.unicode() == 0x7f)
            ch = u'?';
    }
    return out;
}

QString fieldOrDefault(QStringView fieldName)
{
    return fieldName.isEmpty() ? u"amount"_s : fieldName.toString();
}

Error parseFailure(ParseError error, QStringView fieldName, QStringView text)
{
    QString rule;
    switch (error) {
    case ParseError::Empty:
        return Error{kMalformed, fieldOrDefault(fieldName) + u": the amount is empty"_s, {}};
    case ParseError::Sign:
        rule = u"has a sign (amounts are unsigned)"_s;
        break;
    case ParseError::NotDecimal:
        rule = u"is not a decimal number"_s;
        break;
    case ParseError::LeadingZero:
        rule = u"has a leading zero"_s;
        break;
    case ParseError::TooManyIntegerDigits:
        rule = u"has more than %1 integer digits"_s.arg(Amount::kMaxIntegerDigits);
        break;
    case ParseError::NoIntegerDigit:
        rule = u"has no digit before the decimal point"_s;
        break;
    case ParseError::NoDecimalDigit:
        rule = u"has no digit after the decimal point"_s;
        break;
    case ParseError::TooManyDecimals:
        rule = u"has more than %1 decimals"_s.arg(Amount::kMaxDecimals);
        break;
    case ParseError::TrailingZero:
        rule = u"has a trailing zero"_s;
        break;
    case ParseError::None:
        break;
    }
    return Error{kMalformed, u"%1: '%2' %3"_s.arg(fieldOrDefault(fieldName), shown(text), rule), {}};
}

/** Writes the canonical form into `buf` (at least 24 chars) and returns its length. */
std::size_t writeCanonical(std::uint64_t integer, int fraction, char *buf) noexcept
{
    char *end = std::to_chars(buf, buf + 20, integer).ptr;
    if (fraction != 0) {
        *end++ = '.';
        int divisor = 1000;
        int rest = fraction;
        while (rest != 0) {
            *end++ = static_cast<char>('0' + rest / divisor);
            rest %= divisor;
            divisor /= 10;
        }
    }
    return static_cast<std::size_t>(end - buf);
}

Result<std::uint64_t> scaleToMinorUnits(std::uint64_t integer, std::uint16_t fraction, int decimals,
                                        QStringView fieldName, QAnyStringView currencyLabel)
{
    if (decimals < 0 || decimals > Amount::kMaxDecimals)
        return fail(kValidation, u"%1: %2 decimals is outside 0..%3"_s.arg(
                                     fieldOrDefault(fieldName), QString::number(decimals),
                                     QString::number(Amount::kMaxDecimals)));
    const std::uint64_t dropped = kPow10[static_cast<std::size_t>(Amount::kMaxDecimals - decimals)];
    if (fraction % dropped != 0) {
        const QString text = AmountAccess::make(integer, fraction).toString();
        const QString who = currencyLabel.isEmpty()
                                ? u"a currency with %1 decimals"_s.arg(decimals)
                                : u"%1 (%2 decimals)"_s.arg(currencyLabel.toString(),
                                                             QString::number(decimals));
        return fail(kValidation, u"%1: '%2' is not a whole number of minor units of %3"_s.arg(
                                     fieldOrDefault(fieldName), text, who));
    }
    const std::uint64_t multiplier = kPow10[static_cast<std::size_t>(decimals)];
    const std::uint64_t minorFraction = fraction / dropped;
    if (integer > (std::numeric_limits<std::uint64_t>::max() - minorFraction) / multiplier) {
        const QString text = AmountAccess::make(integer, fraction).toString();
        return fail(kValidation, u"%1: '%2' does not fit in a 64-bit count of minor units"_s.arg(
                                     fieldOrDefault(fieldName), text));
    }
    return integer * multiplier + minorFraction;
}

Error unknownCurrency(QStringView fieldName, QStringView currency)
{
    return Error{kValidation,
                 u"%1: currency '%2' is not a known ISO 4217 code"_s.arg(fieldOrDefault(fieldName),
                                                                         shown(currency)),
                 {}};
}

} // namespace

Result<Amount> Amount::parse(QStringView text, QStringView fieldName)
{
    const Parsed p = scan(text.utf16(), static_cast<std::size_t>(text.size()), false);
    if (p.error != ParseError::None)
        return std::unexpected(parseFailure(p.error, fieldName, text));
    return Amount(p.integer, p.fraction);
}

Result<Amount> Amount::parse(std::string_view text, QStringView fieldName)
{
    const Parsed p = scan(text.data(), text.size(), false);
    if (p.error != ParseError::None) {
        const QString asText = QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
        return std::unexpected(parseFailure(p.error, fieldName, asText));
    }
    return Amount(p.integer, p.fraction);
}

Result<Amount> Amount::parseLenient(QStringView text, QStringView fieldName)
{
    const Parsed p = scan(text.utf16(), static_cast<std::size_t>(text.size()), true);
    if (p.error != ParseError::None)
        return std::unexpected(parseFailure(p.error, fieldName, text));
    return Amount(p.integer, p.fraction);
}

Result<QString> Amount::normalise(QStringView text, QStringView fieldName)
{
    const auto amount = parseLenient(text, fieldName);
    if (!amount)
        return std::unexpected(amount.error());
    return amount->toString();
}

Result<Amount> Amount::fromMinorUnits(std::uint64_t minorUnits, int decimals)
{
    if (decimals < 0 || decimals > kMaxDecimals)
        return fail(kValidation, u"amount: %1 decimals is outside 0..%2"_s.arg(decimals).arg(
                                     kMaxDecimals));
    const std::uint64_t divisor = kPow10[static_cast<std::size_t>(decimals)];
    const std::uint64_t integer = minorUnits / divisor;
    if (integer > kMaxIntegerPart)
        return fail(kValidation,
                    u"amount: %1 minor units with %2 decimals is more than %3 integer digits"_s
                        .arg(QString::number(minorUnits))
                        .arg(decimals)
                        .arg(kMaxIntegerDigits));
    const std::uint64_t fraction
        = (minorUnits % divisor) * kPow10[static_cast<std::size_t>(kMaxDecimals - decimals)];
    return Amount(integer, static_cast<std::uint16_t>(fraction));
}

Result<Amount> Amount::fromMinorUnits(std::uint64_t minorUnits, QStringView currency)
{
    const std::optional<int> decimals = currencyMinorUnits(currency);
    if (!decimals)
        return std::unexpected(unknownCurrency(u"currency", currency));
    return fromMinorUnits(minorUnits, *decimals);
}

Result<std::uint64_t> Amount::toMinorUnits(int decimals, QStringView fieldName) const
{
    return scaleToMinorUnits(m_integer, m_fraction, decimals, fieldName, {});
}

Result<std::uint64_t> Amount::toMinorUnits(QStringView currency, QStringView fieldName) const
{
    const std::optional<int> decimals = currencyMinorUnits(currency);
    if (!decimals)
        return std::unexpected(unknownCurrency(fieldName, currency));
    return scaleToMinorUnits(m_integer, m_fraction, *decimals, fieldName, currency);
}

Result<std::uint64_t> Amount::toMinorUnits(std::string_view currency, QStringView fieldName) const
{
    const std::optional<int> decimals = currencyMinorUnits(currency);
    if (!decimals) {
        const QString code = QString::fromUtf8(currency.data(), static_cast<qsizetype>(currency.size()));
        return std::unexpected(unknownCurrency(fieldName, code));
    }
    // A known code is three ASCII letters.
    const QLatin1StringView code(currency.data(), static_cast<qsizetype>(currency.size()));
    return scaleToMinorUnits(m_integer, m_fraction, *decimals, fieldName, code);
}

Result<Amount> Amount::plus(const Amount &other, QStringView fieldName) const
{
    std::uint64_t integer = m_integer + other.m_integer; // both < 10^18: no uint64 overflow
    int fraction = m_fraction + other.m_fraction;
    if (fraction >= 10'000) {
        fraction -= 10'000;
        ++integer;
    }
    if (integer > kMaxIntegerPart)
        return fail(kValidation, u"%1: %2 + %3 has more than %4 integer digits"_s.arg(
                                     fieldOrDefault(fieldName), toString(), other.toString(),
                                     QString::number(kMaxIntegerDigits)));
    return Amount(integer, static_cast<std::uint16_t>(fraction));
}

Result<Amount> Amount::minus(const Amount &other, QStringView fieldName) const
{
    if (*this < other)
        return fail(kValidation, u"%1: %2 - %3 would be negative"_s.arg(
                                     fieldOrDefault(fieldName), toString(), other.toString()));
    std::uint64_t integer = m_integer - other.m_integer;
    int fraction = m_fraction - other.m_fraction;
    if (fraction < 0) {
        fraction += 10'000;
        --integer;
    }
    return Amount(integer, static_cast<std::uint16_t>(fraction));
}

QString Amount::toString() const
{
    char buf[32];
    const std::size_t len = writeCanonical(m_integer, m_fraction, buf);
    return QString::fromLatin1(buf, static_cast<qsizetype>(len));
}

std::string Amount::toStdString() const
{
    char buf[32];
    const std::size_t len = writeCanonical(m_integer, m_fraction, buf);
    return std::string(buf, len);
}

int Amount::decimals() const noexcept
{
    if (m_fraction == 0)
        return 0;
    int places = kMaxDecimals;
    int rest = m_fraction;
    while (rest % 10 == 0) {
        rest /= 10;
        --places;
    }
    return places;
}

Result<QString> formatMinorUnits(std::uint64_t minorUnits, QStringView currency)
{
    const auto amount = Amount::fromMinorUnits(minorUnits, currency);
    if (!amount)
        return std::unexpected(amount.error());
    return amount->toString();
}

} // namespace Pm::Fspiop
