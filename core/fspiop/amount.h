#pragma once

#include "core/base/result.h"

#include <QString>
#include <QStringView>

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace Pm::Fspiop {

/**
 * An FSPIOP Amount: a non-negative decimal with at most 18 integer digits and at most 4 decimals,
 * held exactly (an integer part and a count of ten-thousandths). No floating point anywhere, so
 * "0.29" USD scales to 29 minor units, never 28.999….
 *
 * The wire form is canonical: pattern `^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$` (no sign,
 * no leading zero, no trailing zero, no bare point). parse() enforces it; parseLenient() accepts
 * "100.50" or "007" and toString() gives the canonical string back.
 *
 * Value type, trivially copyable, totally ordered; the default value is zero.
 */
class Amount
{
public:
    static constexpr int kMaxIntegerDigits = 18;
    static constexpr int kMaxDecimals = 4;
    /** Largest integer part: 10^18 - 1. */
    static constexpr std::uint64_t kMaxIntegerPart = 999'999'999'999'999'999ULL;

    constexpr Amount() noexcept = default;

    /**
     * Parses an FSPIOP Amount string (the strict pattern above). On failure the error (code 3101)
     * is one line naming `fieldName` and the broken rule, e.g.
     * "amount.amount: '100.50' has a trailing zero".
     */
    static Result<Amount> parse(QStringView text, QStringView fieldName);

    /** Same as parse(QStringView, QStringView) for UTF-8 text (as nlohmann::json holds it). */
    static Result<Amount> parse(std::string_view text, QStringView fieldName);

    /**
     * Parses a plain non-negative decimal that may carry leading or trailing zeros ("0100.5000",
     * "100.", "0.0"). Digits beyond the 4th decimal must be zeros. The value still has to fit in
     * 18 integer digits. Use it for input from people and back ends; send toString().
     */
    static Result<Amount> parseLenient(QStringView text, QStringView fieldName);

    /** The canonical FSPIOP string of a lenient decimal: "100.50" → "100.5", "0.0" → "0". */
    static Result<QString> normalise(QStringView text, QStringView fieldName);

    /**
     * The amount that `minorUnits` minor units of a currency with `decimals` decimals (0..4) make:
     * 10050 with 2 decimals → 100.5. Fails if the result needs more than 18 integer digits.
     */
    static Result<Amount> fromMinorUnits(std::uint64_t minorUnits, int decimals);

    /** Same, with the decimals of `currency` (error 3100 for a code not in the table). */
    static Result<Amount> fromMinorUnits(std::uint64_t minorUnits, QStringView currency);

    /**
     * This amount in minor units of a currency with `decimals` decimals (0..4): 0.29 with 2 → 29.
     * Fails (3100, naming `fieldName`) if a fraction would remain ("100.5" with 0 decimals) or the
     * result does not fit in a uint64.
     */
    Result<std::uint64_t> toMinorUnits(int decimals, QStringView fieldName) const;

    /** Same, with the decimals of `currency`; an unknown currency fails with 3100. */
    Result<std::uint64_t> toMinorUnits(QStringView currency, QStringView fieldName) const;

    /** Same for an ASCII currency code as it comes out of JSON. */
    Result<std::uint64_t> toMinorUnits(std::string_view currency, QStringView fieldName) const;

    /** Sum; fails (3100) if it needs more than 18 integer digits. */
    Result<Amount> plus(const Amount &other, QStringView fieldName = {}) const;

    /** Difference; fails (3100) if `other` is larger, as an Amount has no sign. */
    Result<Amount> minus(const Amount &other, QStringView fieldName = {}) const;

    /** The canonical FSPIOP string ("100.5", "0", "0.0001"). */
    QString toString() const;

    /** The canonical FSPIOP string as ASCII bytes, for JSON documents. */
    std::string toStdString() const;

    /** The integer part: 100 for 100.5. */
    constexpr std::uint64_t integerPart() const noexcept { return m_integer; }

    /** The fraction in ten-thousandths (0..9999): 5000 for 100.5. */
    constexpr int fractionTenThousandths() const noexcept { return m_fraction; }

    /** The number of decimals the canonical form shows (0..4): 1 for 100.5. */
    int decimals() const noexcept;

    constexpr bool isZero() const noexcept { return m_integer == 0 && m_fraction == 0; }

    friend constexpr bool operator==(const Amount &, const Amount &) noexcept = default;
    friend constexpr std::strong_ordering operator<=>(const Amount &, const Amount &) noexcept = default;

private:
    constexpr Amount(std::uint64_t integer, std::uint16_t fraction) noexcept
        : m_integer(integer), m_fraction(fraction)
    {}

    friend struct AmountAccess;

    // Declaration order matters: the defaulted comparison compares m_integer first.
    std::uint64_t m_integer = 0;  ///< 0 .. kMaxIntegerPart
    std::uint16_t m_fraction = 0; ///< ten-thousandths, 0 .. 9999
};

/**
 * Formats `minorUnits` of `currency` as a canonical FSPIOP Amount string: (10050, "USD") →
 * "100.5", (5, "XOF") → "5". Fails for an unknown currency or a value beyond 18 integer digits.
 */
Result<QString> formatMinorUnits(std::uint64_t minorUnits, QStringView currency);

} // namespace Pm::Fspiop
