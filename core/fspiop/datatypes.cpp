#include "core/fspiop/datatypes.h"

#include "core/fspiop/ecmaregex.h"

#include <QRandomGenerator>
#include <QTimeZone>
#include <QUuid>

#include <array>
#include <mutex>

using namespace Qt::StringLiterals;

namespace Pm::Fspiop::DataTypes {

namespace {

constexpr std::array<const char16_t *, 8> kPartyIdTypes{u"MSISDN",     u"EMAIL",   u"PERSONAL_ID",
                                                        u"BUSINESS",   u"DEVICE",  u"ACCOUNT_ID",
                                                        u"IBAN",       u"ALIAS"};

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

qsizetype codePoints(QStringView s)
{
    qsizetype n = 0;
    for (QChar c : s) {
        if (!c.isLowSurrogate())
            ++n;
    }
    return n;
}

Result<void> required(QStringView value, QStringView field)
{
    if (value.isNull())
        return fail(3102, field + u": is required"_s);
    return {};
}

Result<void> lengthBetween(QStringView value, QStringView field, qsizetype min, qsizetype max)
{
    if (auto present = required(value, field); !present)
        return present;
    const qsizetype n = codePoints(value);
    if (n < min || n > max) {
        return fail(3101, field + u": must be "_s + QString::number(min) + u" to "_s + QString::number(max)
                              + u" characters"_s);
    }
    return {};
}

const Internal::EcmaPattern &compiledName()
{
    static const Internal::EcmaPattern compiled(NamePattern.toString());
    return compiled;
}

const Internal::EcmaPattern &compiledMerchantClassificationCode()
{
    static const Internal::EcmaPattern compiled(MerchantClassificationCodePattern.toString());
    return compiled;
}

const Internal::EcmaPattern &compiledCorrelationIdV1()
{
    static const Internal::EcmaPattern compiled(CorrelationIdPatternV1.toString());
    return compiled;
}

const Internal::EcmaPattern &compiledCorrelationIdV2()
{
    static const Internal::EcmaPattern compiled(CorrelationIdPatternV2.toString());
    return compiled;
}

const Internal::EcmaPattern &compiledDateTime()
{
    static const Internal::EcmaPattern compiled(DateTimePattern.toString());
    return compiled;
}

const Internal::EcmaPattern &compiledDate()
{
    static const Internal::EcmaPattern compiled(DatePattern.toString());
    return compiled;
}

// Matches one of the schema patterns: each is registered once (the accessors above), and each
// thread compiles its own copy on first use.
bool matches(const Internal::EcmaPattern &pattern, QStringView value)
{
    return pattern.matches(value.toString());
}

} // namespace

QString toString(PartyIdType type)
{
    return QString::fromUtf16(kPartyIdTypes[std::size_t(type)]);
}

QStringList partyIdTypeNames()
{
    QStringList names;
    for (const char16_t *name : kPartyIdTypes)
        names.append(QString::fromUtf16(name));
    return names;
}

Result<PartyIdType> parsePartyIdType(QStringView value, QStringView field)
{
    if (auto present = required(value, field); !present)
        return std::unexpected(present.error());
    for (std::size_t i = 0; i < kPartyIdTypes.size(); ++i) {
        if (value == QStringView(kPartyIdTypes[i]))
            return PartyIdType(i);
    }
    return fail(3101, field + u": must be one of "_s + partyIdTypeNames().join(u", "_s));
}

Result<void> validatePartyIdentifier(QStringView value, QStringView field)
{
    return lengthBetween(value, field, 1, 128);
}

Result<void> validatePartySubIdOrType(QStringView value, QStringView field)
{
    return lengthBetween(value, field, 1, 128);
}

Result<void> validateFspId(QStringView value, QStringView field)
{
    return lengthBetween(value, field, 1, 32);
}

Result<void> validateName(QStringView value, QStringView field)
{
    if (auto length = lengthBetween(value, field, 1, 128); !length)
        return length;
    if (!matches(compiledName(), value)) {
        return fail(3101, field + u": must be letters, marks, digits, spaces and . , ' - only, "
                                  u"and not only white space"_s);
    }
    return {};
}

Result<void> validateMerchantClassificationCode(QStringView value, QStringView field)
{
    if (auto present = required(value, field); !present)
        return present;
    if (!matches(compiledMerchantClassificationCode(), value))
        return fail(3101, field + u": must be 1 to 4 digits"_s);
    return {};
}

Result<void> validateCorrelationId(QStringView value, QStringView field, ApiVersion version)
{
    if (auto present = required(value, field); !present)
        return present;
    if (version.major >= 2) {
        if (!matches(compiledCorrelationIdV2(), value)) {
            return fail(3101, field + u": must be a lowercase UUID (versions 1-7) or an uppercase ULID"_s);
        }
    } else if (!matches(compiledCorrelationIdV1(), value)) {
        return fail(3101, field + u": must be a lowercase UUID (versions 1-5)"_s);
    }
    return {};
}

Result<QDateTime> parseDateTime(QStringView value, QStringView field)
{
    if (auto present = required(value, field); !present)
        return std::unexpected(present.error());
    if (!matches(compiledDateTime(), value)) {
        return fail(3101, field + u": must be a date and time like 2025-01-31T23:59:59.000Z "
                                  u"(milliseconds and time zone required)"_s);
    }
    const QDateTime parsed = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!parsed.isValid())
        return fail(3101, field + u": is not a valid date and time"_s);
    return parsed;
}

Result<QDate> parseDate(QStringView value, QStringView field)
{
    if (auto present = required(value, field); !present)
        return std::unexpected(present.error());
    const QDate date = QDate::fromString(value.toString(), Qt::ISODate);
    if (!matches(compiledDate(), value) || !date.isValid())
        return fail(3101, field + u": must be a calendar date like 2025-01-31"_s);
    return date;
}

QString formatDateTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QString formatDate(QDate date)
{
    return date.toString(Qt::ISODate);
}

QString generateUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString generateUlid()
{
    return generateUlid(QDateTime::currentDateTimeUtc());
}

QString generateUlid(const QDateTime &time)
{
    // Monotonic within a millisecond: the same timestamp reuses the last random part plus one.
    static std::mutex mutex;
    static quint64 lastTime = 0;
    static std::array<quint8, 10> lastRandom{};

    quint64 millis = quint64(std::max<qint64>(0, time.toMSecsSinceEpoch())) & ((quint64(1) << 48) - 1);
    std::array<quint8, 10> random{};
    {
        std::lock_guard lock(mutex);
        if (millis == lastTime) {
            random = lastRandom;
            int i = int(random.size()) - 1;
            while (i >= 0 && ++random[std::size_t(i)] == 0)
                --i;
            if (i < 0) // 80-bit overflow within one millisecond: move to the next one
                ++millis;
        } else {
            for (quint8 &b : random)
                b = quint8(QRandomGenerator::system()->bounded(256));
        }
        lastTime = millis;
        lastRandom = random;
    }

    // 128 bits = 48-bit time + 80-bit randomness, written as 26 base-32 digits (the first one
    // carries only 3 bits).
    std::array<quint8, 16> bytes{};
    for (int i = 0; i < 6; ++i)
        bytes[std::size_t(i)] = quint8(millis >> (8 * (5 - i)));
    std::copy(random.begin(), random.end(), bytes.begin() + 6);

    QString out(26, Qt::Uninitialized);
    for (int digit = 0; digit < 26; ++digit) {
        // Bit offset of this digit's 5 bits, counted from the most significant bit of a 130-bit
        // number whose top 2 bits are zero.
        const int bit = digit * 5 - 2;
        int value = 0;
        for (int k = 0; k < 5; ++k) {
            const int b = bit + k;
            if (b < 0)
                continue;
            const int set = (bytes[std::size_t(b / 8)] >> (7 - b % 8)) & 1;
            value |= set << (4 - k);
        }
        out[digit] = QChar::fromLatin1(kCrockford[value]);
    }
    return out;
}

} // namespace Pm::Fspiop::DataTypes
