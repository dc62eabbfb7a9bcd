#include "core/fspiop/ilp.h"

#include "core/fspiop/amount.h"
#include "core/fspiop/currency.h"
#include "core/fspiop/json.h"

#include <QString>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

using namespace Qt::StringLiterals;

namespace Pm::Fspiop::Ilp {

namespace {

using Digest = std::array<unsigned char, 32>;

constexpr int kValidation = 3100; // FSPIOP "Generic validation error"
constexpr int kMalformed = 3101;  // FSPIOP "Malformed syntax"
constexpr int kMissing = 3102;    // FSPIOP "Missing mandatory element"

constexpr std::uint8_t kTypeIlpPayment = 1;  // ILP v1 (ilp-packet 2.x)
constexpr std::uint8_t kTypeIlpPrepare = 12; // ILP v4 (ilp-packet 3.x)
constexpr std::size_t kTimestampLength = 17; // YYYYMMDDHHmmssSSS
constexpr std::size_t kMaxPacketChars = 32768; // FSPIOP IlpPacket maxLength
constexpr int kMaxJsonDepth = 64;

// ---------------------------------------------------------------------------------------------
// base64 (json.h): url without padding on the wire, standard padded for the HMAC key and v4 input

std::string base64Url(const Digest &digest)
{
    return base64Encode(digest, Base64Form::UrlUnpadded);
}

// ---------------------------------------------------------------------------------------------
// Hashes. HMAC-SHA-256 is computed from the key's precomputed inner and outer SHA-256 states
// (RFC 2104), so a build costs two context copies instead of a provider fetch per call.

template<class T, void (*F)(T *)>
struct OsslDeleter
{
    void operator()(T *p) const noexcept { F(p); }
};
using EvpMdPtr = std::unique_ptr<EVP_MD, OsslDeleter<EVP_MD, &EVP_MD_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OsslDeleter<EVP_MD_CTX, &EVP_MD_CTX_free>>;

Digest sha256(const Digest &data)
{
    Digest out{};
    SHA256(data.data(), data.size(), out.data());
    return out;
}

} // namespace

namespace Internal {

/** An HMAC-SHA-256 key, held only as the hash states after the padded key blocks. */
struct HmacKey
{
    EvpMdPtr md;
    EvpMdCtxPtr inner; ///< SHA-256 state after (key XOR ipad)
    EvpMdCtxPtr outer; ///< SHA-256 state after (key XOR opad)

    /** Null on an OpenSSL failure (no SHA-256 provider, out of memory). */
    static std::unique_ptr<HmacKey> create(std::string_view key)
    {
        constexpr std::size_t kBlock = 64;
        auto k = std::make_unique<HmacKey>();
        k->md.reset(EVP_MD_fetch(nullptr, "SHA256", nullptr));
        k->inner.reset(EVP_MD_CTX_new());
        k->outer.reset(EVP_MD_CTX_new());
        if (!k->md || !k->inner || !k->outer)
            return nullptr;
        std::array<unsigned char, kBlock> block{};
        Digest hashedKey{};
        if (key.size() > kBlock) { // RFC 2104: long keys are hashed first
            unsigned int length = 0;
            if (!EVP_Digest(key.data(), key.size(), hashedKey.data(), &length, k->md.get(), nullptr))
                return nullptr;
            std::memcpy(block.data(), hashedKey.data(), hashedKey.size());
        } else {
            std::memcpy(block.data(), key.data(), key.size());
        }
        std::array<unsigned char, kBlock> ipad{};
        std::array<unsigned char, kBlock> opad{};
        for (std::size_t i = 0; i < kBlock; ++i) {
            ipad[i] = block[i] ^ 0x36;
            opad[i] = block[i] ^ 0x5c;
        }
        const bool ok = EVP_DigestInit_ex(k->inner.get(), k->md.get(), nullptr)
                        && EVP_DigestUpdate(k->inner.get(), ipad.data(), ipad.size())
                        && EVP_DigestInit_ex(k->outer.get(), k->md.get(), nullptr)
                        && EVP_DigestUpdate(k->outer.get(), opad.data(), opad.size());
        OPENSSL_cleanse(block.data(), block.size());
        OPENSSL_cleanse(hashedKey.data(), hashedKey.size());
        OPENSSL_cleanse(ipad.data(), ipad.size());
        OPENSSL_cleanse(opad.data(), opad.size());
        return ok ? std::move(k) : nullptr;
    }
};

} // namespace Internal

namespace {

/** One HMAC computation over a message fed in pieces. Safe on a shared const HmacKey. */
class Hmac
{
public:
    explicit Hmac(const Internal::HmacKey &key) : m_key(key), m_ctx(EVP_MD_CTX_new())
    {
        m_ok = m_ctx && EVP_MD_CTX_copy_ex(m_ctx.get(), key.inner.get());
    }

    void update(const void *data, std::size_t size)
    {
        m_ok = m_ok && EVP_DigestUpdate(m_ctx.get(), data, size);
    }

    std::optional<Digest> finish()
    {
        Digest innerHash{};
        Digest out{};
        unsigned int length = 0;
        m_ok = m_ok && EVP_DigestFinal_ex(m_ctx.get(), innerHash.data(), &length)
               && EVP_MD_CTX_copy_ex(m_ctx.get(), m_key.outer.get())
               && EVP_DigestUpdate(m_ctx.get(), innerHash.data(), innerHash.size())
               && EVP_DigestFinal_ex(m_ctx.get(), out.data(), &length) && length == out.size();
        if (!m_ok)
            return std::nullopt;
        return out;
    }

private:
    const Internal::HmacKey &m_key;
    EvpMdCtxPtr m_ctx;
    bool m_ok = false;
};

std::optional<Digest> hmacSha256(const Internal::HmacKey *key, std::string_view message)
{
    if (!key)
        return std::nullopt;
    Hmac hmac(*key);
    hmac.update(message.data(), message.size());
    return hmac.finish();
}

/** HMAC over base64 (standard, padded) of `data`, encoded in chunks on the stack. */
std::optional<Digest> hmacSha256OfBase64(const Internal::HmacKey *key, std::string_view data)
{
    if (!key)
        return std::nullopt;
    Hmac hmac(*key);
    constexpr std::size_t kChunk = 3 * 512; // a multiple of 3: no padding inside the stream
    char buffer[base64EncodedSize(kChunk, Base64Form::StandardPadded)];
    for (std::size_t pos = 0; pos < data.size(); pos += kChunk) {
        const char *end = writeBase64(buffer, data.substr(pos, kChunk), Base64Form::StandardPadded);
        hmac.update(buffer, static_cast<std::size_t>(end - buffer));
    }
    return hmac.finish();
}

Error hashFailure()
{
    return Error{kValidation, u"ILP: OpenSSL could not compute HMAC-SHA-256"_s, {}};
}

// ---------------------------------------------------------------------------------------------
// The transaction object: compact JSON with keys sorted (json.h's writer), byte for byte as
// safe-stable-stringify (and so JSON.stringify) writes it.

/**
 * Appends `value` with keys sorted, where `depth` is its nesting level in the transaction object
 * (0: the object itself). False if that would nest more than kMaxJsonDepth levels in all: the
 * caller's values are built in code, not bounded by a parser.
 */
bool appendSorted(std::string &out, const Json &value, int depth)
{
    return appendJsonWithinDepth(out, value, JsonKeyOrder::Sorted, kMaxJsonDepth - depth);
}

// ---------------------------------------------------------------------------------------------
// Times: ISO 8601 ⇄ the 17-digit ILP timestamp

constexpr std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) noexcept
{
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil
{
    std::int64_t year;
    unsigned month;
    unsigned day;
};

constexpr Civil civilFromDays(std::int64_t z) noexcept
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2 ? 1 : 0), m, d};
}

constexpr unsigned daysInMonth(std::int64_t y, unsigned m) noexcept
{
    constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

/** Reads `count` ASCII digits at `pos`; -1 if any is not a digit or the text is too short. */
int readDigits(std::string_view s, std::size_t pos, std::size_t count) noexcept
{
    if (pos + count > s.size())
        return -1;
    int v = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

using IlpTimestamp = std::array<char, kTimestampLength>;

void putDigits(char *out, std::int64_t value, int width) noexcept
{
    for (int i = width - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
}

/**
 * "2030-01-01T00:00:00.000Z" (any zone "Z" or "±HH:MM", 1..9 fraction digits or none) → the UTC
 * timestamp "20300101000000000". nullopt for anything else, an impossible date, or a UTC year
 * outside 0000..9999.
 */
std::optional<IlpTimestamp> ilpTimestampFromIso(std::string_view s) noexcept
{
    const int year = readDigits(s, 0, 4);
    const int month = readDigits(s, 5, 2);
    const int day = readDigits(s, 8, 2);
    const int hour = readDigits(s, 11, 2);
    const int minute = readDigits(s, 14, 2);
    const int second = readDigits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59 || s[4] != '-' || s[7] != '-' || s[10] != 'T'
        || s[13] != ':' || s[16] != ':')
        return std::nullopt;
    if (static_cast<unsigned>(day) > daysInMonth(year, static_cast<unsigned>(month)))
        return std::nullopt;
    std::size_t pos = 19;
    int millis = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        const std::size_t fracStart = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (pos - fracStart < 3)
                millis = millis * 10 + (s[pos] - '0');
            ++pos;
        }
        const std::size_t digits = pos - fracStart;
        if (digits == 0 || digits > 9)
            return std::nullopt;
        for (std::size_t d = digits; d < 3; ++d)
            millis *= 10;
    }
    int offsetMinutes = 0;
    if (pos < s.size() && s[pos] == 'Z') {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        const int oh = readDigits(s, pos + 1, 2);
        const int om = readDigits(s, pos + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59 || s[pos + 3] != ':')
            return std::nullopt;
        offsetMinutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt; // no zone: a JS Date would read local time, which is not portable
    }
    if (pos != s.size())
        return std::nullopt;

    IlpTimestamp out{};
    std::int64_t days = daysFromCivil(year, static_cast<unsigned>(month),
                                      static_cast<unsigned>(day));
    std::int64_t minutes = hour * 60 + minute - offsetMinutes; // -1439 .. 2878
    while (minutes < 0) {
        minutes += 1440;
        --days;
    }
    while (minutes >= 1440) {
        minutes -= 1440;
        ++days;
    }
    const Civil c = civilFromDays(days);
    if (c.year < 0 || c.year > 9999)
        return std::nullopt;
    putDigits(out.data(), c.year, 4);
    putDigits(out.data() + 4, c.month, 2);
    putDigits(out.data() + 6, c.day, 2);
    putDigits(out.data() + 8, minutes / 60, 2);
    putDigits(out.data() + 10, minutes % 60, 2);
    putDigits(out.data() + 12, second, 2);
    putDigits(out.data() + 14, millis, 3);
    return out;
}

/** "20300101000000000" → "2030-01-01T00:00:00.000Z"; nullopt if not a valid UTC time. */
std::optional<std::string> isoFromIlpTimestamp(std::string_view t)
{
    if (t.size() != kTimestampLength)
        return std::nullopt;
    const int year = readDigits(t, 0, 4);
    const int month = readDigits(t, 4, 2);
    const int day = readDigits(t, 6, 2);
    const int hour = readDigits(t, 8, 2);
    const int minute = readDigits(t, 10, 2);
    const int second = readDigits(t, 12, 2);
    const int millis = readDigits(t, 14, 3);
    if (year < 0 || month < 1 || month > 12 || day < 1
        || static_cast<unsigned>(day) > daysInMonth(year, static_cast<unsigned>(month)) || hour < 0
        || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0)
        return std::nullopt;
    std::string iso(24, '\0');
    char *o = iso.data();
    std::memcpy(o, t.data(), 4);
    o[4] = '-';
    std::memcpy(o + 5, t.data() + 4, 2);
    o[7] = '-';
    std::memcpy(o + 8, t.data() + 6, 2);
    o[10] = 'T';
    std::memcpy(o + 11, t.data() + 8, 2);
    o[13] = ':';
    std::memcpy(o + 14, t.data() + 10, 2);
    o[16] = ':';
    std::memcpy(o + 17, t.data() + 12, 2);
    o[19] = '.';
    std::memcpy(o + 20, t.data() + 14, 3);
    o[23] = 'Z';
    return iso;
}

// ---------------------------------------------------------------------------------------------
// OER: the octet encoding rules ilp-packet writes

constexpr std::size_t lengthPrefixSize(std::size_t length) noexcept
{
    if (length < 0x80)
        return 1;
    std::size_t n = 0;
    for (std::size_t v = length; v != 0; v >>= 8)
        ++n;
    return 1 + n;
}

char *writeLengthPrefix(char *out, std::size_t length) noexcept
{
    if (length < 0x80) {
        *out++ = static_cast<char>(length);
        return out;
    }
    const std::size_t n = lengthPrefixSize(length) - 1;
    *out++ = static_cast<char>(0x80 | n);
    for (std::size_t i = n; i-- > 0;)
        *out++ = static_cast<char>((length >> (8 * i)) & 0xff);
    return out;
}

char *writeUInt64(char *out, std::uint64_t v) noexcept
{
    for (int i = 7; i >= 0; --i)
        *out++ = static_cast<char>((v >> (8 * i)) & 0xff);
    return out;
}

char *writeBytes(char *out, std::string_view data) noexcept
{
    std::memcpy(out, data.data(), data.size());
    return out + data.size();
}

/** Bounds-checked reader over packet bytes; every read reports failure instead of overrunning. */
class Reader
{
public:
    explicit Reader(std::string_view data) noexcept : m_data(data) {}

    std::size_t remaining() const noexcept { return m_data.size() - m_pos; }

    bool readByte(std::uint8_t &out) noexcept
    {
        if (remaining() < 1)
            return false;
        out = static_cast<std::uint8_t>(m_data[m_pos++]);
        return true;
    }

    bool readUInt64(std::uint64_t &out) noexcept
    {
        if (remaining() < 8)
            return false;
        out = 0;
        for (int i = 0; i < 8; ++i)
            out = (out << 8) | static_cast<std::uint8_t>(m_data[m_pos++]);
        return true;
    }

    bool readFixed(std::size_t n, std::string_view &out) noexcept
    {
        if (remaining() < n)
            return false;
        out = m_data.substr(m_pos, n);
        m_pos += n;
        return true;
    }

    /** Canonical OER length prefix; fails if it is malformed or claims more than is left. */
    bool readLength(std::size_t &out) noexcept
    {
        std::uint8_t first = 0;
        if (!readByte(first))
            return false;
        if (first < 0x80) {
            out = first;
        } else {
            const std::size_t n = first & 0x7f;
            if (n == 0 || n > sizeof(std::size_t) || remaining() < n)
                return false;
            std::size_t value = 0;
            for (std::size_t i = 0; i < n; ++i)
                value = (value << 8) | static_cast<std::uint8_t>(m_data[m_pos++]);
            if (value < 0x80 || lengthPrefixSize(value) != n + 1) // not the shortest form
                return false;
            out = value;
        }
        return out <= remaining();
    }

    bool readVarOctetString(std::string_view &out) noexcept
    {
        std::size_t length = 0;
        return readLength(length) && readFixed(length, out);
    }

private:
    std::string_view m_data;
    std::size_t m_pos = 0;
};

bool isPrintableAscii(std::string_view s) noexcept
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

Error packetError(const QString &what)
{
    return Error{kMalformed, u"ilpPacket: "_s + what, {}};
}

// ---------------------------------------------------------------------------------------------
// Building

/**
 * Assembles packet bytes. `data` is the packet's data field as is (`encodeData` false), or the
 * transaction object JSON to be written as base64url straight into the packet (`encodeData` true).
 */
std::string packetBytes(const Packet &p, const IlpTimestamp *expiresAt, std::string_view data,
                        bool encodeData)
{
    const std::size_t dataSize = encodeData
                                     ? base64EncodedSize(data.size(), Base64Form::UrlUnpadded)
                                     : data.size();
    std::size_t contentSize = 8;
    if (p.version == Version::V1) {
        contentSize += lengthPrefixSize(p.account.size()) + p.account.size();
        contentSize += lengthPrefixSize(dataSize) + dataSize;
        contentSize += 1; // extensions: none
    } else {
        contentSize += kTimestampLength + p.executionCondition.size();
        contentSize += lengthPrefixSize(p.destination.size()) + p.destination.size();
        contentSize += lengthPrefixSize(dataSize) + dataSize;
    }
    const auto writeData = [&](char *o) {
        o = writeLengthPrefix(o, dataSize);
        return encodeData ? writeBase64(o, data, Base64Form::UrlUnpadded) : writeBytes(o, data);
    };
    std::string out(1 + lengthPrefixSize(contentSize) + contentSize, '\0');
    char *o = out.data();
    *o++ = static_cast<char>(p.version == Version::V1 ? kTypeIlpPayment : kTypeIlpPrepare);
    o = writeLengthPrefix(o, contentSize);
    o = writeUInt64(o, p.amount);
    if (p.version == Version::V1) {
        o = writeLengthPrefix(o, p.account.size());
        o = writeBytes(o, p.account);
        o = writeData(o);
        *o++ = 0;
    } else {
        o = writeBytes(o, std::string_view(expiresAt->data(), expiresAt->size()));
        std::memcpy(o, p.executionCondition.data(), p.executionCondition.size());
        o += p.executionCondition.size();
        o = writeLengthPrefix(o, p.destination.size());
        o = writeBytes(o, p.destination);
        o = writeData(o);
    }
    Q_ASSERT(o == out.data() + out.size());
    return out;
}

const Json *member(const Json &object, std::string_view key) noexcept
{
    if (!object.is_object())
        return nullptr;
    for (const auto &kv : object.get_ref<const Json::object_t &>()) {
        if (kv.first == key)
            return &kv.second;
    }
    return nullptr;
}

Error missing(QStringView field)
{
    return Error{kMissing, field.toString() + u" is missing"_s, {}};
}

Error notA(QStringView field, QStringView kind)
{
    return Error{kMalformed, u"%1 must be %2"_s.arg(field, kind), {}};
}

Result<const Json *> requireObject(const Json &parent, std::string_view key, QStringView field)
{
    const Json *value = member(parent, key);
    if (!value)
        return std::unexpected(missing(field));
    if (!value->is_object())
        return std::unexpected(notA(field, u"an object"));
    return value;
}

Result<std::string_view> requireString(const Json &parent, std::string_view key, QStringView field)
{
    const Json *value = member(parent, key);
    if (!value)
        return std::unexpected(missing(field));
    if (!value->is_string())
        return std::unexpected(notA(field, u"a string"));
    const auto &s = value->get_ref<const Json::string_t &>();
    if (s.empty())
        return std::unexpected(Error{kMalformed, field.toString() + u" is empty"_s, {}});
    return std::string_view(s);
}

/** JavaScript truthiness, for `...(note && { note })`. */
bool isTruthy(const Json &v)
{
    switch (v.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
        return false;
    case Json::value_t::boolean:
        return v.get<bool>();
    case Json::value_t::string:
        return !v.get_ref<const Json::string_t &>().empty();
    case Json::value_t::number_integer:
        return v.get<std::int64_t>() != 0;
    case Json::value_t::number_unsigned:
        return v.get<std::uint64_t>() != 0;
    case Json::value_t::number_float: {
        const double d = v.get<double>();
        return d != 0 && !std::isnan(d);
    }
    default:
        return true;
    }
}

/**
 * Appends String.prototype.toLowerCase of `s`: an ASCII fast path, else QString::toLower (full
 * case mapping like JS, e.g. U+0130 → "i\u0307"; only Greek final sigma differs, and that result is
 * not ASCII, which the address check refuses anyway).
 */
void appendLower(std::string &out, std::string_view s)
{
    const bool ascii = std::all_of(s.begin(), s.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) {
        for (char c : s)
            out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
        return;
    }
    const QByteArray lower
        = QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())).toLower().toUtf8();
    out.append(lower.constData(), static_cast<std::size_t>(lower.size()));
}

/** The payee's v1 ILP address: g.{fspId}.{type}.{id}[.{subId}], all but fspId lower-cased. */
Result<std::string> payeeAddress(const Json &payee)
{
    const auto info = requireObject(payee, "partyIdInfo", u"quoteRequest.payee.partyIdInfo");
    if (!info)
        return std::unexpected(info.error());
    const auto fspId = requireString(**info, "fspId", u"quoteRequest.payee.partyIdInfo.fspId");
    if (!fspId)
        return std::unexpected(fspId.error());
    const auto type = requireString(**info, "partyIdType",
                                    u"quoteRequest.payee.partyIdInfo.partyIdType");
    if (!type)
        return std::unexpected(type.error());
    const auto id = requireString(**info, "partyIdentifier",
                                  u"quoteRequest.payee.partyIdInfo.partyIdentifier");
    if (!id)
        return std::unexpected(id.error());
    std::string_view subId;
    if (const Json *sub = member(**info, "partySubIdOrType")) {
        if (!sub->is_string())
            return std::unexpected(
                notA(u"quoteRequest.payee.partyIdInfo.partySubIdOrType", u"a string"));
        subId = sub->get_ref<const Json::string_t &>();
    }
    std::string address;
    address.reserve(4 + fspId->size() + type->size() + id->size() + subId.size());
    address.append("g.");
    address.append(*fspId);
    address.push_back('.');
    appendLower(address, *type);
    address.push_back('.');
    appendLower(address, *id);
    if (!subId.empty()) {
        address.push_back('.');
        appendLower(address, subId);
    }
    if (!isPrintableAscii(address))
        return fail(kValidation, u"quoteRequest.payee.partyIdInfo: the ILP address '%1' is not "
                                 u"printable ASCII"_s.arg(QString::fromUtf8(address.data(),
                                     static_cast<qsizetype>(address.size()))));
    return address;
}

Error tooDeep(QStringView field)
{
    return Error{kValidation, u"%1 is nested more than %2 levels deep"_s.arg(field).arg(kMaxJsonDepth),
                 {}};
}

/** Everything the build needs from the quote, checked. */
struct QuoteInputs
{
    std::string transactionObject;
    std::uint64_t amount = 0;
    std::optional<IlpTimestamp> expiresAt;
};

Result<QuoteInputs> readQuote(Version version, const Json &request, const Json &response)
{
    if (!request.is_object())
        return std::unexpected(notA(u"quoteRequest", u"a JSON object"));
    if (!response.is_object())
        return std::unexpected(notA(u"quoteResponse", u"a JSON object"));

    const auto quoteId = requireString(request, "quoteId", u"quoteRequest.quoteId");
    if (!quoteId)
        return std::unexpected(quoteId.error());
    const auto transactionId = requireString(request, "transactionId",
                                             u"quoteRequest.transactionId");
    if (!transactionId)
        return std::unexpected(transactionId.error());
    const auto transactionType = requireObject(request, "transactionType",
                                               u"quoteRequest.transactionType");
    if (!transactionType)
        return std::unexpected(transactionType.error());
    const auto payee = requireObject(request, "payee", u"quoteRequest.payee");
    if (!payee)
        return std::unexpected(payee.error());
    const auto payer = requireObject(request, "payer", u"quoteRequest.payer");
    if (!payer)
        return std::unexpected(payer.error());

    // Amount: the FSPIOP pattern first, then the currency, then exact scaling.
    const auto transferAmount = requireObject(response, "transferAmount",
                                              u"quoteResponse.transferAmount");
    if (!transferAmount)
        return std::unexpected(transferAmount.error());
    const auto amountText = requireString(**transferAmount, "amount",
                                          u"quoteResponse.transferAmount.amount");
    if (!amountText)
        return std::unexpected(amountText.error());
    const auto amount = Amount::parse(*amountText, u"quoteResponse.transferAmount.amount");
    if (!amount)
        return std::unexpected(amount.error());
    const auto currency = requireString(**transferAmount, "currency",
                                        u"quoteResponse.transferAmount.currency");
    if (!currency)
        return std::unexpected(currency.error());
    if (!isKnownCurrency(*currency))
        return fail(kValidation,
                    u"quoteResponse.transferAmount.currency: currency '%1' is not a known ISO 4217 "
                    u"code"_s.arg(QString::fromUtf8(currency->data(),
                                                     static_cast<qsizetype>(currency->size()))));
    const auto minor = amount->toMinorUnits(*currency, u"quoteResponse.transferAmount.amount");
    if (!minor)
        return std::unexpected(minor.error());

    QuoteInputs in;
    in.amount = *minor;

    // Expiration: required for v4 (it becomes expiresAt); optional for v1, checked if present.
    const Json *expiration = member(response, "expiration");
    if (expiration) {
        if (!expiration->is_string())
            return std::unexpected(notA(u"quoteResponse.expiration", u"a string"));
        const auto &text = expiration->get_ref<const Json::string_t &>();
        in.expiresAt = ilpTimestampFromIso(text);
        if (!in.expiresAt)
            return fail(kMalformed,
                        u"quoteResponse.expiration: '%1' is not an ISO 8601 date-time with a time "
                        u"zone"_s.arg(QString::fromUtf8(text.data(),
                                                        static_cast<qsizetype>(text.size()))
                                          .left(40)));
    } else if (version == Version::V4) {
        return std::unexpected(missing(u"quoteResponse.expiration"));
    }
    const Json *note = member(response, "note");
    if (note && !isTruthy(*note))
        note = nullptr;

    // The transaction object: the top-level keys are fixed, so write them in sorted order.
    std::string &tx = in.transactionObject;
    tx.reserve(1024);
    tx.append("{\"amount\":");
    if (!appendSorted(tx, **transferAmount, 1))
        return std::unexpected(tooDeep(u"quoteResponse.transferAmount"));
    if (expiration) {
        tx.append(",\"expiration\":");
        appendJsonString(tx, expiration->get_ref<const Json::string_t &>());
    }
    if (note) {
        tx.append(",\"note\":");
        if (!appendSorted(tx, *note, 1))
            return std::unexpected(tooDeep(u"quoteResponse.note"));
    }
    tx.append(",\"payee\":");
    if (!appendSorted(tx, **payee, 1))
        return std::unexpected(tooDeep(u"quoteRequest.payee"));
    tx.append(",\"payer\":");
    if (!appendSorted(tx, **payer, 1))
        return std::unexpected(tooDeep(u"quoteRequest.payer"));
    tx.append(",\"quoteId\":");
    appendJsonString(tx, *quoteId);
    tx.append(",\"transactionId\":");
    appendJsonString(tx, *transactionId);
    tx.append(",\"transactionType\":");
    if (!appendSorted(tx, **transactionType, 1))
        return std::unexpected(tooDeep(u"quoteRequest.transactionType"));
    tx.push_back('}');
    return in;
}

Result<Response> finishTooLarge(std::size_t chars)
{
    return fail(kValidation, u"ilpPacket: the packet would be %1 characters, more than the %2 "
                             u"FSPIOP allows; shorten the transaction object"_s
                                 .arg(QString::number(chars), QString::number(kMaxPacketChars)));
}

Result<Response> buildV1(const Internal::HmacKey *key, QuoteInputs &&in, const Json &request)
{
    const auto account = payeeAddress(*member(request, "payee"));
    if (!account)
        return std::unexpected(account.error());
    Packet p;
    p.version = Version::V1;
    p.amount = in.amount;
    p.account = *account;
    const std::string packet = packetBytes(p, nullptr, in.transactionObject, true);

    Response r;
    r.ilpPacket = base64Encode(packet, Base64Form::UrlUnpadded);
    if (r.ilpPacket.size() > kMaxPacketChars)
        return finishTooLarge(r.ilpPacket.size());
    auto fulfilment = hmacSha256(key, r.ilpPacket);
    if (!fulfilment)
        return std::unexpected(hashFailure());
    r.fulfilment = base64Url(*fulfilment);
    r.condition = base64Url(sha256(*fulfilment));
    OPENSSL_cleanse(fulfilment->data(), fulfilment->size());
    r.transactionObject = std::move(in.transactionObject);
    return r;
}

Result<Response> buildV4(const Internal::HmacKey *key, QuoteInputs &&in)
{
    auto fulfilment = hmacSha256OfBase64(key, in.transactionObject);
    if (!fulfilment)
        return std::unexpected(hashFailure());
    const Digest condition = sha256(*fulfilment);

    Packet p;
    p.version = Version::V4;
    p.amount = in.amount;
    p.destination = std::string(kMojaloopAddress);
    std::memcpy(p.executionCondition.data(), condition.data(), condition.size());
    const std::string packet = packetBytes(p, &*in.expiresAt, in.transactionObject, true);

    Response r;
    r.ilpPacket = base64Encode(packet, Base64Form::UrlUnpadded);
    if (r.ilpPacket.size() > kMaxPacketChars)
        return finishTooLarge(r.ilpPacket.size());
    r.fulfilment = base64Url(*fulfilment);
    r.condition = base64Url(condition);
    OPENSSL_cleanse(fulfilment->data(), fulfilment->size());
    r.transactionObject = std::move(in.transactionObject);
    return r;
}

/**
 * The deepest nesting of objects and arrays in JSON text (strings skipped), so that a hostile
 * packet is refused before anything recursive (serialising, printing) walks it.
 */
int jsonNestingDepth(std::string_view text) noexcept
{
    int depth = 0;
    int deepest = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            deepest = std::max(deepest, ++depth);
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return deepest;
}

Result<Json> parseTransactionObject(std::string_view jsonText)
{
    if (jsonNestingDepth(jsonText) > kMaxJsonDepth)
        return std::unexpected(packetError(
            u"the transaction object is nested more than %1 levels deep"_s.arg(kMaxJsonDepth)));
    try {
        Json value = Json::parse(jsonText.begin(), jsonText.end());
        if (!value.is_object())
            return std::unexpected(packetError(u"the transaction object is not a JSON object"_s));
        return value;
    } catch (const nlohmann::json::exception &e) {
        return std::unexpected(
            Error{kMalformed, u"ilpPacket: the transaction object is not JSON"_s,
                  QString::fromUtf8(e.what())});
    }
}

} // namespace

// -------------------------------------------------------------------------------------------------
// Public API

std::optional<Version> versionFromString(QStringView text) noexcept
{
    if (text == u"1" || text == u"v1")
        return Version::V1;
    if (text == u"4" || text == u"v4")
        return Version::V4;
    return std::nullopt;
}

Builder::Builder(QStringView secret)
{
    // The SDK's HMAC key is the ASCII of base64(UTF-8 secret).
    QByteArray utf8 = secret.toUtf8();
    std::string key = base64Encode(utf8, Base64Form::StandardPadded);
    m_key = Internal::HmacKey::create(key);
    OPENSSL_cleanse(utf8.data(), static_cast<std::size_t>(utf8.size()));
    OPENSSL_cleanse(key.data(), key.size());
}

Builder::~Builder() = default;
Builder::Builder(Builder &&other) noexcept = default;
Builder &Builder::operator=(Builder &&other) noexcept = default;

Result<Response> Builder::buildForQuote(Version version, const nlohmann::ordered_json &quoteRequest,
                                        const nlohmann::ordered_json &quoteResponse) const
{
    if (version != Version::V1 && version != Version::V4)
        return fail(kValidation, u"ILP version must be 1 or 4"_s);
    auto in = readQuote(version, quoteRequest, quoteResponse);
    if (!in)
        return std::unexpected(in.error());
    if (version == Version::V1)
        return buildV1(m_key.get(), std::move(*in), quoteRequest);
    return buildV4(m_key.get(), std::move(*in));
}

Result<std::string> Builder::fulfilmentForPacket(std::string_view ilpPacket) const
{
    const auto decoded = decode(ilpPacket);
    if (!decoded)
        return std::unexpected(decoded.error());
    std::optional<Digest> fulfilment;
    if (decoded->packet.version == Version::V1) {
        fulfilment = hmacSha256(m_key.get(), ilpPacket);
    } else {
        std::string tx;
        tx.reserve(decoded->transactionObjectJson.size());
        if (!appendSorted(tx, decoded->transactionObject, 0))
            return std::unexpected(tooDeep(u"ilpPacket: the transaction object"));
        fulfilment = hmacSha256OfBase64(m_key.get(), tx);
    }
    if (!fulfilment)
        return std::unexpected(hashFailure());
    std::string out = base64Url(*fulfilment);
    OPENSSL_cleanse(fulfilment->data(), fulfilment->size());
    return out;
}

Result<Response> buildForQuote(Version version, QStringView secret,
                               const nlohmann::ordered_json &quoteRequest,
                               const nlohmann::ordered_json &quoteResponse)
{
    return Builder(secret).buildForQuote(version, quoteRequest, quoteResponse);
}

Result<Packet> decodePacket(std::string_view ilpPacket)
{
    if (ilpPacket.empty())
        return std::unexpected(packetError(u"empty"_s));
    if (ilpPacket.size() > kMaxPacketChars)
        return std::unexpected(packetError(u"longer than the %1 characters FSPIOP allows"_s.arg(
            QString::number(kMaxPacketChars))));
    const std::optional<std::string> raw = base64DecodeLenient(ilpPacket);
    if (!raw)
        return std::unexpected(packetError(u"not base64url"_s));

    Reader reader(*raw);
    std::uint8_t type = 0;
    if (!reader.readByte(type))
        return std::unexpected(packetError(u"empty"_s));
    Packet p;
    if (type == kTypeIlpPayment)
        p.version = Version::V1;
    else if (type == kTypeIlpPrepare)
        p.version = Version::V4;
    else
        return std::unexpected(packetError(u"type %1 is neither an ILP v1 payment (1) nor an ILP v4 "
                                           u"prepare (12)"_s.arg(QString::number(type))));
    std::string_view content;
    if (!reader.readVarOctetString(content))
        return std::unexpected(packetError(u"the envelope length is malformed or exceeds the "
                                           u"packet"_s));
    if (reader.remaining() != 0)
        return std::unexpected(packetError(u"%1 bytes follow the packet"_s.arg(QString::number(reader.remaining()))));

    Reader body(content);
    if (!body.readUInt64(p.amount))
        return std::unexpected(packetError(u"truncated before the amount ends"_s));
    std::string_view address;
    if (p.version == Version::V1) {
        if (!body.readVarOctetString(address))
            return std::unexpected(packetError(u"the account is truncated or malformed"_s));
        p.account = address;
    } else {
        std::string_view timestamp;
        std::string_view condition;
        if (!body.readFixed(kTimestampLength, timestamp))
            return std::unexpected(packetError(u"truncated in expiresAt"_s));
        const auto iso = isoFromIlpTimestamp(timestamp);
        if (!iso)
            return std::unexpected(packetError(u"expiresAt is not a valid YYYYMMDDHHmmssSSS time"_s));
        p.expiresAt = *iso;
        if (!body.readFixed(p.executionCondition.size(), condition))
            return std::unexpected(packetError(u"truncated in the execution condition"_s));
        std::memcpy(p.executionCondition.data(), condition.data(), condition.size());
        if (!body.readVarOctetString(address))
            return std::unexpected(packetError(u"the destination is truncated or malformed"_s));
        p.destination = address;
    }
    if (!isPrintableAscii(address))
        return std::unexpected(packetError(u"the ILP address is not printable ASCII"_s));
    std::string_view data;
    if (!body.readVarOctetString(data))
        return std::unexpected(packetError(u"the data is truncated or malformed"_s));
    if (!isPrintableAscii(data))
        return std::unexpected(packetError(u"the data is not ASCII base64url"_s));
    p.data = data;
    // Anything after the data (v1: the extensions byte) is ignored, as ilp-packet does.
    return p;
}

Result<DecodedPacket> decode(std::string_view ilpPacket)
{
    auto packet = decodePacket(ilpPacket);
    if (!packet)
        return std::unexpected(packet.error());
    DecodedPacket out;
    out.packet = std::move(*packet);
    std::optional<std::string> json = base64DecodeLenient(out.packet.data);
    if (!json)
        return std::unexpected(packetError(u"the data is not base64url"_s));
    auto tx = parseTransactionObject(*json);
    if (!tx)
        return std::unexpected(tx.error());
    out.transactionObjectJson = std::move(*json);
    out.transactionObject = std::move(*tx);
    return out;
}

Result<std::string> encode(const Packet &packet)
{
    std::optional<IlpTimestamp> expiresAt;
    if (packet.version == Version::V4) {
        expiresAt = ilpTimestampFromIso(packet.expiresAt);
        if (!expiresAt)
            return fail(kMalformed, u"expiresAt: '%1' is not an ISO 8601 date-time with a time "
                                    u"zone"_s.arg(QString::fromUtf8(packet.expiresAt.data(),
                                        static_cast<qsizetype>(packet.expiresAt.size())).left(40)));
    } else if (packet.version != Version::V1) {
        return fail(kValidation, u"ILP version must be 1 or 4"_s);
    }
    const std::string raw = packetBytes(packet, expiresAt ? &*expiresAt : nullptr, packet.data,
                                        false);
    return base64Encode(raw, Base64Form::UrlUnpadded);
}

Result<std::string> conditionFromFulfilment(std::string_view fulfilment)
{
    std::optional<std::string> raw = base64DecodeLenient(fulfilment);
    if (!raw)
        return fail(kMalformed, u"fulfilment: not base64url"_s);
    if (raw->size() != 32) {
        const auto size = raw->size();
        OPENSSL_cleanse(raw->data(), raw->size());
        return fail(kValidation, u"fulfilment: decodes to %1 bytes, not 32"_s.arg(QString::number(size)));
    }
    Digest preimage{};
    std::memcpy(preimage.data(), raw->data(), preimage.size());
    OPENSSL_cleanse(raw->data(), raw->size());
    std::string condition = base64Url(sha256(preimage));
    OPENSSL_cleanse(preimage.data(), preimage.size());
    return condition;
}

bool checkFulfilment(std::string_view fulfilment, std::string_view condition)
{
    const auto computed = conditionFromFulfilment(fulfilment);
    if (!computed || computed->size() != condition.size())
        return false;
    return CRYPTO_memcmp(computed->data(), condition.data(), condition.size()) == 0;
}

} // namespace Pm::Fspiop::Ilp
