#pragma once

#include <QStringList>
#include <QStringView>

#include <optional>
#include <span>
#include <string_view>

namespace Pm::Fspiop {

/** One row of the ISO 4217 minor-unit table. `code` is three upper-case ASCII letters. */
struct CurrencyInfo
{
    std::string_view code;
    int minorUnits = 0;
};

/**
 * Every currency the ILP amount scaling knows, sorted by code.
 *
 * The values are the ones @mojaloop/sdk-standard-components 19.x tabulates in its currency.json,
 * which is what the peers we interoperate with scale by. Note XXX and XTS: ISO 4217 gives them no
 * minor unit, the 19.x table gives them 4 (17.x gave XXX 0), and the ILP amount follows the table.
 */
std::span<const CurrencyInfo> currencyTable() noexcept;

/** The minor units (decimal places) of `code`, or nullopt if it is not in the table. No allocation. */
std::optional<int> currencyMinorUnits(QStringView code) noexcept;

/** Same for an ASCII/UTF-8 code, as it comes out of a JSON document. No allocation. */
std::optional<int> currencyMinorUnits(std::string_view code) noexcept;

/** True if `code` is in the table (exact, case-sensitive: "usd" is not a currency code). */
bool isKnownCurrency(QStringView code) noexcept;

/** True if `code` is in the table. */
bool isKnownCurrency(std::string_view code) noexcept;

/** All codes of the table, sorted. */
QStringList knownCurrencyCodes();

} // namespace Pm::Fspiop
