#include "core/fspiop/currency.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace Pm::Fspiop {

namespace {

// ISO 4217 minor units as @mojaloop/sdk-standard-components 19.x tabulates them (168 entries),
// sorted by code so that a lookup is a binary search.
constexpr std::array<CurrencyInfo, 168> kCurrencies{{
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2},
    {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0},
    {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2},
    {"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2}, {"CHW", 2}, {"CLF", 4},
    {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2}, {"CRC", 2}, {"CUC", 2}, {"CUP", 2}, {"CVE", 2},
    {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2},
    {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2},
    {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HRK", 2}, {"HTG", 2}, {"HUF", 2},
    {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3},
    {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0}, {"KWD", 3},
    {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3},
    {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2},
    {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2},
    {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2},
    {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2},
    {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2},
    {"SHP", 2}, {"SLL", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2}, {"SYP", 2},
    {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2}, {"TTD", 2},
    {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2}, {"UYI", 0}, {"UYU", 2},
    {"UYW", 4}, {"UZS", 2}, {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2},
    {"XOF", 0}, {"XPF", 0}, {"XTS", 4}, {"XXX", 4}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWL", 2},
}};

constexpr std::uint32_t packCode(char a, char b, char c) noexcept
{
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(a)) << 16)
           | (static_cast<std::uint32_t>(static_cast<unsigned char>(b)) << 8)
           | static_cast<std::uint32_t>(static_cast<unsigned char>(c));
}

constexpr std::uint32_t packCode(std::string_view code) noexcept
{
    return packCode(code[0], code[1], code[2]);
}

constexpr bool tableIsWellFormed()
{
    for (std::size_t i = 0; i < kCurrencies.size(); ++i) {
        const std::string_view code = kCurrencies[i].code;
        if (code.size() != 3)
            return false;
        for (char ch : code) {
            if (ch < 'A' || ch > 'Z')
                return false;
        }
        if (kCurrencies[i].minorUnits < 0 || kCurrencies[i].minorUnits > 4)
            return false;
        if (i > 0 && !(packCode(kCurrencies[i - 1].code) < packCode(code)))
            return false;
    }
    return true;
}
static_assert(tableIsWellFormed(), "currency table must be sorted, unique, A-Z codes, 0..4 units");

std::optional<int> lookup(std::uint32_t key) noexcept
{
    const auto it = std::lower_bound(
        kCurrencies.begin(), kCurrencies.end(), key,
        [](const CurrencyInfo &entry, std::uint32_t k) { return packCode(entry.code) < k; });
    if (it == kCurrencies.end() || packCode(it->code) != key)
        return std::nullopt;
    return it->minorUnits;
}

} // namespace

std::span<const CurrencyInfo> currencyTable() noexcept
{
    return kCurrencies;
}

std::optional<int> currencyMinorUnits(QStringView code) noexcept
{
    if (code.size() != 3)
        return std::nullopt;
    for (QChar ch : code) {
        if (ch.unicode() < u'A' || ch.unicode() > u'Z')
            return std::nullopt;
    }
    return lookup(packCode(static_cast<char>(code[0].unicode()),
                           static_cast<char>(code[1].unicode()),
                           static_cast<char>(code[2].unicode())));
}

std::optional<int> currencyMinorUnits(std::string_view code) noexcept
{
    if (code.size() != 3)
        return std::nullopt;
    return lookup(packCode(code));
}

bool isKnownCurrency(QStringView code) noexcept
{
    return currencyMinorUnits(code).has_value();
}

bool isKnownCurrency(std::string_view code) noexcept
{
    return currencyMinorUnits(code).has_value();
}

QStringList knownCurrencyCodes()
{
    QStringList codes;
    codes.reserve(static_cast<qsizetype>(kCurrencies.size()));
    for (const CurrencyInfo &entry : kCurrencies)
        codes.append(QString::fromLatin1(entry.code.data(), static_cast<qsizetype>(entry.code.size())));
    return codes;
}

} // namespace Pm::Fspiop
