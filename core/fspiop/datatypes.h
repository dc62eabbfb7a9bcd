#pragma once

#include "core/base/result.h"
#include "core/fspiop/mediatype.h"

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

/**
 * FSPIOP data types (API Definition §7.2–7.5) checked one value at a time, for the fields the
 * product reads or writes itself (backend input, configuration, identifiers it generates). Whole
 * messages are checked against the official schemas by Pm::Fspiop::Schema instead.
 *
 * Conventions of every validateXxx(value, field):
 *  - `field` names the value in the message, as a path: "payee.partyIdInfo.partyIdentifier".
 *  - A null view (QStringView(), e.g. from a null QString) means the element is absent: 3102
 *    "<field>: is required". An empty but non-null string is present and fails the rule with 3101.
 *  - A value that breaks the syntax, length or pattern fails with 3101
 *    "<field>: must be 1 to 128 characters" and the like.
 *
 * The patterns are the schemas' own (api-snippets 18.4.1), run with ECMAScript semantics on
 * QRegularExpression (Unicode properties on); tst_datatypes checks they equal the embedded schemas.
 */
namespace Pm::Fspiop::DataTypes {

/** CorrelationId in FSPIOP 1.0 and 1.1: a lowercase UUID of version 1 to 5. */
inline constexpr QStringView CorrelationIdPatternV1 =
    u"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$";
/** CorrelationId in FSPIOP 2.0: a lowercase UUID of version 1 to 7, or an uppercase ULID. */
inline constexpr QStringView CorrelationIdPatternV2 =
    u"^[0-9a-f]{8}-[0-9a-f]{4}-[1-7][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$|^[0-9A-HJKMNP-TV-Z]{26}$";
/** DateTime: ISO 8601 with milliseconds and a time zone, real calendar dates only. */
inline constexpr QStringView DateTimePattern =
    u"^(?:[1-9]\\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|"
    u"(?:0[13578]|1[02])-31)|(?:[1-9]\\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)"
    u"-02-29)T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:(\\.\\d{3}))(?:Z|[+-][01]\\d:[0-5]\\d)$";
/** Date (and DateOfBirth): YYYY-MM-DD, real calendar dates only (leap years included). */
inline constexpr QStringView DatePattern =
    u"^(?:[1-9]\\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|"
    u"(?:0[13578]|1[02])-31)|(?:[1-9]\\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)"
    u"-02-29)$";
/** FirstName, MiddleName and LastName: Unicode letters, marks, digits and a little punctuation. */
inline constexpr QStringView NamePattern =
    u"^(?!\\s*$)[\\p{L}\\p{gc=Mark}\\p{digit}\\p{gc=Connector_Punctuation}\\p{Join_Control} .,''-]{1,128}$";
/** MerchantClassificationCode: 1 to 4 digits. */
inline constexpr QStringView MerchantClassificationCodePattern = u"^[\\d]{1,4}$";

/** The PartyIdType enumeration. */
enum class PartyIdType
{
    Msisdn,
    Email,
    PersonalId,
    Business,
    Device,
    AccountId,
    Iban,
    Alias,
};

/** "MSISDN", "EMAIL", ... as on the wire. */
QString toString(PartyIdType type);
/** Every PartyIdType wire name, in the specification's order. */
QStringList partyIdTypeNames();
/** Parses a wire name (exact, case-sensitive). 3102 if absent, 3101 if not one of the names. */
Result<PartyIdType> parsePartyIdType(QStringView value, QStringView field);

/** 1 to 128 characters. */
Result<void> validatePartyIdentifier(QStringView value, QStringView field);
/** 1 to 128 characters. */
Result<void> validatePartySubIdOrType(QStringView value, QStringView field);
/** 1 to 32 characters. */
Result<void> validateFspId(QStringView value, QStringView field);
/** 1 to 128 characters matching NamePattern (FirstName, MiddleName, LastName). */
Result<void> validateName(QStringView value, QStringView field);
/** 1 to 4 digits. */
Result<void> validateMerchantClassificationCode(QStringView value, QStringView field);

/** CorrelationIdPatternV1 for 1.x, CorrelationIdPatternV2 for 2.0. */
Result<void> validateCorrelationId(QStringView value, QStringView field, ApiVersion version = Versions::V2_0);

/** DateTimePattern; returns the instant. */
Result<QDateTime> parseDateTime(QStringView value, QStringView field);
/** DatePattern (and a calendar check); returns the date. */
Result<QDate> parseDate(QStringView value, QStringView field);

/**
 * A DateTime for the wire: UTC, milliseconds, "Z" ("2025-01-01T00:00:00.000Z"), as the reference
 * connector writes it with Date.toISOString().
 */
QString formatDateTime(const QDateTime &time);
/** A Date for the wire: "YYYY-MM-DD". */
QString formatDate(QDate date);

/** A random (version 4) UUID in canonical lowercase form. */
QString generateUuid();
/**
 * A ULID: 48-bit millisecond timestamp and 80 random bits (OS random source), 26 uppercase Crockford
 * base-32 characters. Identifiers made within one millisecond by one process are strictly increasing.
 */
QString generateUlid();
/** generateUlid() with the given timestamp; for tests. */
QString generateUlid(const QDateTime &time);

} // namespace Pm::Fspiop::DataTypes
