#include "core/fspiop/json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

using namespace Qt::StringLiterals;

namespace Pm::Fspiop {

namespace {

// ---- parsing -------------------------------------------------------------------------------

/**
 * Returns false when arrays/objects nest deeper than MaxJsonDepth. Only brackets outside string
 * literals count; the text need not be valid (the parser judges that afterwards).
 */
bool depthWithinLimit(QByteArrayView bytes)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : bytes) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            if (++depth > MaxJsonDepth)
                return false;
            break;
        case ']':
        case '}':
            --depth;
            break;
        default:
            break;
        }
    }
    return true;
}

/** nlohmann's what() without its "[json.exception.parse_error.101] " prefix. */
QString parseErrorText(const char *what)
{
    std::string_view text(what);
    if (text.starts_with('[')) {
        const auto end = text.find("] ");
        if (end != std::string_view::npos)
            text.remove_prefix(end + 2);
    }
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// ---- numbers -------------------------------------------------------------------------------

constexpr std::int64_t MaxSafeInteger = (std::int64_t(1) << 53);

template<class Int>
void appendInteger(QByteArray &out, Int value)
{
    std::array<char, 24> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    out.append(buffer.data(), result.ptr - buffer.data());
}

/**
 * Writes a finite, non-zero double as ECMAScript Number::toString does: with the shortest digit
 * string d1..dk and exponent n such that the value is 0.d1..dk * 10^n, choose plain or
 * exponential notation from k and n.
 */
void appendFiniteNumber(QByteArray &out, double value)
{
    std::array<char, 40> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                      std::chars_format::scientific);
    std::string_view text(buffer.data(), std::size_t(result.ptr - buffer.data()));
    if (text.front() == '-') {
        out.append('-');
        text.remove_prefix(1);
    }
    // text is "d[.ddd]e±XX"
    const auto ePos = text.find('e');
    std::array<char, 24> digits{};
    int k = 0;
    for (const char c : text.substr(0, ePos)) {
        if (c != '.')
            digits[std::size_t(k++)] = c;
    }
    while (k > 1 && digits[std::size_t(k - 1)] == '0')
        --k;
    int exponent = 0;
    std::string_view expText = text.substr(ePos + 1);
    const bool negativeExponent = expText.front() == '-';
    if (expText.front() == '+' || expText.front() == '-')
        expText.remove_prefix(1);
    std::from_chars(expText.data(), expText.data() + expText.size(), exponent);
    if (negativeExponent)
        exponent = -exponent;
    const int n = exponent + 1;
    const char *d = digits.data();

    if (k <= n && n <= 21) {
        out.append(d, k);
        out.append(qsizetype(n - k), '0');
    } else if (0 < n && n <= 21) {
        out.append(d, n);
        out.append('.');
        out.append(d + n, k - n);
    } else if (-6 < n && n <= 0) {
        out.append("0.", 2);
        out.append(qsizetype(-n), '0');
        out.append(d, k);
    } else {
        out.append(d[0]);
        if (k > 1) {
            out.append('.');
            out.append(d + 1, k - 1);
        }
        out.append('e');
        out.append(n - 1 >= 0 ? '+' : '-');
        appendInteger(out, std::abs(n - 1));
    }
}

// ---- key order -----------------------------------------------------------------------------

/** True for "0" and canonical decimals up to 2^32 - 2: the keys JavaScript orders first. */
bool isArrayIndex(std::string_view key, std::uint32_t &index)
{
    if (key.empty() || key.size() > 10)
        return false;
    if (key.size() > 1 && key.front() == '0')
        return false;
    std::uint64_t value = 0;
    for (const char c : key) {
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + std::uint64_t(c - '0');
    }
    if (value > 4294967294ULL)
        return false;
    index = std::uint32_t(value);
    return true;
}

/**
 * UTF-16 code unit order over UTF-8 strings. Byte order equals code point order; the two differ
 * only where a supplementary character (UTF-8 lead byte F0..F4, UTF-16 surrogates D800..DFFF)
 * meets a character in U+E000..U+FFFF (lead byte EE or EF), which UTF-16 puts after it.
 */
bool utf16Less(std::string_view a, std::string_view b)
{
    const std::size_t common = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < common; ++i) {
        const auto x = static_cast<unsigned char>(a[i]);
        const auto y = static_cast<unsigned char>(b[i]);
        if (x == y)
            continue;
        const bool xSupplementary = x >= 0xF0;
        const bool ySupplementary = y >= 0xF0;
        const bool xHighBmp = x == 0xEE || x == 0xEF;
        const bool yHighBmp = y == 0xEE || y == 0xEF;
        if (xSupplementary && yHighBmp)
            return true;
        if (ySupplementary && xHighBmp)
            return false;
        return x < y;
    }
    return a.size() < b.size();
}

// ---- writer --------------------------------------------------------------------------------

using ObjectIterator = Json::const_iterator;

void writeValue(QByteArray &out, const Json &value, JsonKeyOrder order);

void writeMember(QByteArray &out, const std::string &key, const Json &value, JsonKeyOrder order,
                 bool &first)
{
    if (!first)
        out.append(',');
    first = false;
    appendJsonString(out, key);
    out.append(':');
    writeValue(out, value, order);
}

void writeObject(QByteArray &out, const Json &object, JsonKeyOrder order)
{
    out.append('{');
    bool first = true;
    const auto &members = object.get_ref<const Json::object_t &>();
    if (order == JsonKeyOrder::Sorted) {
        std::vector<const Json::object_t::value_type *> sorted;
        sorted.reserve(members.size());
        for (const auto &member : members)
            sorted.push_back(&member);
        std::sort(sorted.begin(), sorted.end(), [](const auto *a, const auto *b) {
            return utf16Less(a->first, b->first);
        });
        for (const auto *member : sorted)
            writeMember(out, member->first, member->second, order, first);
    } else {
        std::uint32_t index = 0;
        const bool anyIndexKey = std::any_of(members.begin(), members.end(), [&](const auto &m) {
            return isArrayIndex(m.first, index);
        });
        if (!anyIndexKey) {
            for (const auto &member : members)
                writeMember(out, member.first, member.second, order, first);
        } else {
            std::vector<std::pair<std::uint32_t, const Json::object_t::value_type *>> indexed;
            for (const auto &member : members) {
                if (isArrayIndex(member.first, index))
                    indexed.emplace_back(index, &member);
            }
            std::sort(indexed.begin(), indexed.end(),
                      [](const auto &a, const auto &b) { return a.first < b.first; });
            for (const auto &[unused, member] : indexed)
                writeMember(out, member->first, member->second, order, first);
            for (const auto &member : members) {
                if (!isArrayIndex(member.first, index))
                    writeMember(out, member.first, member.second, order, first);
            }
        }
    }
    out.append('}');
}

void writeValue(QByteArray &out, const Json &value, JsonKeyOrder order)
{
    switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
        out.append("null", 4);
        return;
    case Json::value_t::boolean:
        if (value.get<bool>())
            out.append("true", 4);
        else
            out.append("false", 5);
        return;
    case Json::value_t::number_integer: {
        const auto number = value.get<std::int64_t>();
        if (number >= -MaxSafeInteger && number <= MaxSafeInteger)
            appendInteger(out, number);
        else
            appendFiniteNumber(out, double(number));
        return;
    }
    case Json::value_t::number_unsigned: {
        const auto number = value.get<std::uint64_t>();
        if (number <= std::uint64_t(MaxSafeInteger))
            appendInteger(out, number);
        else
            appendFiniteNumber(out, double(number));
        return;
    }
    case Json::value_t::number_float: {
        const double number = value.get<double>();
        if (!std::isfinite(number))
            out.append("null", 4);
        else if (number == 0.0)
            out.append('0');
        else
            appendFiniteNumber(out, number);
        return;
    }
    case Json::value_t::string:
        appendJsonString(out, value.get_ref<const std::string &>());
        return;
    case Json::value_t::binary: {
        // Not produced by parsing; written as an array of byte values.
        out.append('[');
        bool first = true;
        for (const auto byte : value.get_binary()) {
            if (!first)
                out.append(',');
            first = false;
            appendInteger(out, unsigned(byte));
        }
        out.append(']');
        return;
    }
    case Json::value_t::array: {
        out.append('[');
        bool first = true;
        for (const auto &element : value) {
            if (!first)
                out.append(',');
            first = false;
            writeValue(out, element, order);
        }
        out.append(']');
        return;
    }
    case Json::value_t::object:
        writeObject(out, value, order);
        return;
    }
}

// ---- base64url -----------------------------------------------------------------------------

constexpr char Base64UrlAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<std::int8_t, 256> makeDecodeTable()
{
    std::array<std::int8_t, 256> table{};
    for (auto &entry : table)
        entry = -1;
    for (int i = 0; i < 64; ++i)
        table[static_cast<unsigned char>(Base64UrlAlphabet[i])] = std::int8_t(i);
    return table;
}

constexpr auto Base64UrlDecodeTable = makeDecodeTable();

} // namespace

Result<Json> parseJson(QByteArrayView bytes)
{
    if (!depthWithinLimit(bytes))
        return fail(3101, u"malformed JSON: nested deeper than %1 levels"_s.arg(MaxJsonDepth));
    try {
        return Json::parse(bytes.begin(), bytes.end());
    } catch (const Json::exception &e) {
        return fail(3101, u"malformed JSON: "_s + parseErrorText(e.what()));
    } catch (const std::bad_alloc &) {
        return fail(3101, u"malformed JSON: out of memory while parsing"_s);
    }
}

void appendJsonString(QByteArray &out, std::string_view utf8)
{
    static constexpr char Hex[] = "0123456789abcdef";
    out.append('"');
    std::size_t runStart = 0;
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(utf8.data() + runStart, qsizetype(i - runStart));
        runStart = i + 1;
        switch (c) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\b':
            out.append("\\b", 2);
            break;
        case '\f':
            out.append("\\f", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        default: {
            const char escape[6] = {'\\', 'u', '0', '0', Hex[c >> 4], Hex[c & 0xF]};
            out.append(escape, 6);
            break;
        }
        }
    }
    out.append(utf8.data() + runStart, qsizetype(utf8.size() - runStart));
    out.append('"');
}

void appendJson(QByteArray &out, const Json &value, JsonKeyOrder order)
{
    writeValue(out, value, order);
}

QByteArray serializeJson(const Json &value, JsonKeyOrder order)
{
    QByteArray out;
    writeValue(out, value, order);
    return out;
}

QByteArray javaScriptNumber(double value)
{
    if (std::isnan(value))
        return "NaN"_ba;
    if (std::isinf(value))
        return value > 0 ? "Infinity"_ba : "-Infinity"_ba;
    if (value == 0.0)
        return "0"_ba;
    QByteArray out;
    appendFiniteNumber(out, value);
    return out;
}

void appendBase64Url(QByteArray &out, QByteArrayView data)
{
    const qsizetype start = out.size();
    out.resize(start + base64UrlEncodedSize(data.size()));
    char *dst = out.data() + start;
    const auto *src = reinterpret_cast<const unsigned char *>(data.data());
    qsizetype remaining = data.size();
    while (remaining >= 3) {
        const std::uint32_t group = (std::uint32_t(src[0]) << 16) | (std::uint32_t(src[1]) << 8)
                                    | std::uint32_t(src[2]);
        dst[0] = Base64UrlAlphabet[(group >> 18) & 0x3F];
        dst[1] = Base64UrlAlphabet[(group >> 12) & 0x3F];
        dst[2] = Base64UrlAlphabet[(group >> 6) & 0x3F];
        dst[3] = Base64UrlAlphabet[group & 0x3F];
        src += 3;
        dst += 4;
        remaining -= 3;
    }
    if (remaining == 1) {
        const std::uint32_t group = std::uint32_t(src[0]) << 16;
        dst[0] = Base64UrlAlphabet[(group >> 18) & 0x3F];
        dst[1] = Base64UrlAlphabet[(group >> 12) & 0x3F];
    } else if (remaining == 2) {
        const std::uint32_t group = (std::uint32_t(src[0]) << 16) | (std::uint32_t(src[1]) << 8);
        dst[0] = Base64UrlAlphabet[(group >> 18) & 0x3F];
        dst[1] = Base64UrlAlphabet[(group >> 12) & 0x3F];
        dst[2] = Base64UrlAlphabet[(group >> 6) & 0x3F];
    }
}

QByteArray base64UrlEncode(QByteArrayView data)
{
    QByteArray out;
    appendBase64Url(out, data);
    return out;
}

Result<QByteArray> base64UrlDecode(QByteArrayView text)
{
    const qsizetype size = text.size();
    if (size % 4 == 1)
        return fail(3101, u"invalid base64url: impossible length %1"_s.arg(size));
    QByteArray out;
    out.resize(size / 4 * 3 + (size % 4 == 0 ? 0 : size % 4 - 1));
    auto *dst = reinterpret_cast<unsigned char *>(out.data());
    std::uint32_t group = 0;
    int count = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const int sextet = Base64UrlDecodeTable[c];
        if (sextet < 0) {
            if (c == '=')
                return fail(3101, u"invalid base64url: padding is not allowed"_s);
            return fail(3101, u"invalid base64url: unexpected character at offset %1"_s.arg(i));
        }
        group = (group << 6) | std::uint32_t(sextet);
        if (++count == 4) {
            *dst++ = static_cast<unsigned char>(group >> 16);
            *dst++ = static_cast<unsigned char>(group >> 8);
            *dst++ = static_cast<unsigned char>(group);
            group = 0;
            count = 0;
        }
    }
    if (count == 2) {
        if (group & 0xF)
            return fail(3101, u"invalid base64url: non-zero unused bits at the end"_s);
        *dst++ = static_cast<unsigned char>(group >> 4);
    } else if (count == 3) {
        if (group & 0x3)
            return fail(3101, u"invalid base64url: non-zero unused bits at the end"_s);
        *dst++ = static_cast<unsigned char>(group >> 10);
        *dst++ = static_cast<unsigned char>(group >> 2);
    }
    return out;
}

} // namespace Pm::Fspiop
