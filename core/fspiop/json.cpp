#include "core/fspiop/json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
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

// ---- output ----------------------------------------------------------------------------------

/**
 * Where the writer puts its bytes: a buffer on the stack, handed on to the destination (a
 * QByteArray or a std::string) in chunks. A character then costs a compare and a store, whatever
 * the destination, and the writer below exists once for both.
 */
class Sink
{
public:
    template<class Out>
    explicit Sink(Out &destination) : m_destination(&destination), m_append(&appendTo<Out>)
    {
    }
    Sink(const Sink &) = delete;
    Sink &operator=(const Sink &) = delete;

    void put(char c)
    {
        if (m_end == m_buffer.data() + m_buffer.size())
            flush();
        *m_end++ = c;
    }

    void put(const char *data, std::size_t size)
    {
        if (size > std::size_t(m_buffer.data() + m_buffer.size() - m_end)) {
            flush();
            if (size > m_buffer.size()) {
                m_append(m_destination, data, size);
                return;
            }
        }
        std::memcpy(m_end, data, size);
        m_end += size;
    }

    template<std::size_t N>
    void put(const char (&literal)[N])
    {
        put(literal, N - 1);
    }

    void putRepeated(std::size_t count, char c)
    {
        for (; count > 0; --count)
            put(c);
    }

    /** Hands the buffered bytes to the destination; call before the destination is read. */
    void flush()
    {
        if (m_end != m_buffer.data())
            m_append(m_destination, m_buffer.data(), std::size_t(m_end - m_buffer.data()));
        m_end = m_buffer.data();
    }

private:
    static void appendBytes(QByteArray &out, const char *data, std::size_t size)
    {
        out.append(data, qsizetype(size));
    }
    static void appendBytes(std::string &out, const char *data, std::size_t size)
    {
        out.append(data, size);
    }
    template<class Out>
    static void appendTo(void *out, const char *data, std::size_t size)
    {
        appendBytes(*static_cast<Out *>(out), data, size);
    }

    void *m_destination;
    void (*m_append)(void *, const char *, std::size_t);
    std::array<char, 512> m_buffer;
    char *m_end = m_buffer.data();
};

// ---- numbers -------------------------------------------------------------------------------

constexpr std::int64_t MaxSafeInteger = (std::int64_t(1) << 53);

template<class Int>
void appendInteger(Sink &out, Int value)
{
    std::array<char, 24> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    out.put(buffer.data(), std::size_t(result.ptr - buffer.data()));
}

/**
 * Writes a finite, non-zero double as ECMAScript Number::toString does: with the shortest digit
 * string d1..dk and exponent n such that the value is 0.d1..dk * 10^n, choose plain or
 * exponential notation from k and n.
 */
void appendFiniteNumber(Sink &out, double value)
{
    std::array<char, 40> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                      std::chars_format::scientific);
    std::string_view text(buffer.data(), std::size_t(result.ptr - buffer.data()));
    if (text.front() == '-') {
        out.put('-');
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
        out.put(d, std::size_t(k));
        out.putRepeated(std::size_t(n - k), '0');
    } else if (0 < n && n <= 21) {
        out.put(d, std::size_t(n));
        out.put('.');
        out.put(d + n, std::size_t(k - n));
    } else if (-6 < n && n <= 0) {
        out.put("0.");
        out.putRepeated(std::size_t(-n), '0');
        out.put(d, std::size_t(k));
    } else {
        out.put(d[0]);
        if (k > 1) {
            out.put('.');
            out.put(d + 1, std::size_t(k - 1));
        }
        out.put('e');
        out.put(n - 1 >= 0 ? '+' : '-');
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
 * meets a character in U+E000..U+FFFF (lead byte EE or EF), which UTF-16 puts after it. On bytes
 * that are not UTF-8 this is still a strict weak order (lexicographic over a fixed byte ranking).
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

/** Nesting budget of the unlimited entry points (parseJson() has bounded the depth already). */
constexpr int UnlimitedDepth = std::numeric_limits<int>::max();

using Member = Json::object_t::value_type;

void writeString(Sink &out, std::string_view utf8)
{
    static constexpr char Hex[] = "0123456789abcdef";
    out.put('"');
    std::size_t runStart = 0;
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.put(utf8.data() + runStart, i - runStart);
        runStart = i + 1;
        switch (c) {
        case '"':
            out.put("\\\"");
            break;
        case '\\':
            out.put("\\\\");
            break;
        case '\b':
            out.put("\\b");
            break;
        case '\f':
            out.put("\\f");
            break;
        case '\n':
            out.put("\\n");
            break;
        case '\r':
            out.put("\\r");
            break;
        case '\t':
            out.put("\\t");
            break;
        default: {
            const char escape[6] = {'\\', 'u', '0', '0', Hex[c >> 4], Hex[c & 0xF]};
            out.put(escape, sizeof escape);
            break;
        }
        }
    }
    out.put(utf8.data() + runStart, utf8.size() - runStart);
    out.put('"');
}

/**
 * Writes `value`; `depthLeft` is how many more levels of arrays and objects may open. False when
 * that runs out (what was written so far stays in `out`).
 */
bool writeValue(Sink &out, const Json &value, JsonKeyOrder order, int depthLeft);

bool writeMember(Sink &out, const Member &member, JsonKeyOrder order, int depthLeft, bool &first)
{
    if (!first)
        out.put(',');
    first = false;
    writeString(out, member.first);
    out.put(':');
    return writeValue(out, member.second, order, depthLeft);
}

bool writeObject(Sink &out, const Json &object, JsonKeyOrder order, int depthLeft)
{
    out.put('{');
    bool first = true;
    const auto &members = object.get_ref<const Json::object_t &>();
    if (order == JsonKeyOrder::Sorted) {
        // Sort pointers to the members; up to 16 sit on the stack, so typical objects need no
        // allocation.
        std::array<const Member *, 16> small{};
        std::vector<const Member *> large;
        const Member **sorted = small.data();
        if (members.size() > small.size()) {
            large.resize(members.size());
            sorted = large.data();
        }
        std::size_t count = 0;
        for (const Member &member : members)
            sorted[count++] = &member;
        std::sort(sorted, sorted + count,
                  [](const Member *a, const Member *b) { return utf16Less(a->first, b->first); });
        for (std::size_t i = 0; i < count; ++i) {
            if (!writeMember(out, *sorted[i], order, depthLeft, first))
                return false;
        }
    } else {
        std::uint32_t index = 0;
        const bool anyIndexKey = std::any_of(members.begin(), members.end(), [&](const auto &m) {
            return isArrayIndex(m.first, index);
        });
        if (!anyIndexKey) {
            for (const Member &member : members) {
                if (!writeMember(out, member, order, depthLeft, first))
                    return false;
            }
        } else {
            std::vector<std::pair<std::uint32_t, const Member *>> indexed;
            for (const Member &member : members) {
                if (isArrayIndex(member.first, index))
                    indexed.emplace_back(index, &member);
            }
            std::sort(indexed.begin(), indexed.end(),
                      [](const auto &a, const auto &b) { return a.first < b.first; });
            for (const auto &[unused, member] : indexed) {
                if (!writeMember(out, *member, order, depthLeft, first))
                    return false;
            }
            for (const Member &member : members) {
                if (!isArrayIndex(member.first, index)
                    && !writeMember(out, member, order, depthLeft, first))
                    return false;
            }
        }
    }
    out.put('}');
    return true;
}

bool writeValue(Sink &out, const Json &value, JsonKeyOrder order, int depthLeft)
{
    switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
        out.put("null");
        return true;
    case Json::value_t::boolean:
        if (value.get<bool>())
            out.put("true");
        else
            out.put("false");
        return true;
    case Json::value_t::number_integer: {
        const auto number = value.get<std::int64_t>();
        if (number >= -MaxSafeInteger && number <= MaxSafeInteger)
            appendInteger(out, number);
        else
            appendFiniteNumber(out, double(number));
        return true;
    }
    case Json::value_t::number_unsigned: {
        const auto number = value.get<std::uint64_t>();
        if (number <= std::uint64_t(MaxSafeInteger))
            appendInteger(out, number);
        else
            appendFiniteNumber(out, double(number));
        return true;
    }
    case Json::value_t::number_float: {
        const double number = value.get<double>();
        if (!std::isfinite(number))
            out.put("null");
        else if (number == 0.0)
            out.put('0');
        else
            appendFiniteNumber(out, number);
        return true;
    }
    case Json::value_t::string:
        writeString(out, value.get_ref<const std::string &>());
        return true;
    case Json::value_t::binary: {
        // Not produced by parsing; written as an array of byte values.
        out.put('[');
        bool first = true;
        for (const auto byte : value.get_binary()) {
            if (!first)
                out.put(',');
            first = false;
            appendInteger(out, unsigned(byte));
        }
        out.put(']');
        return true;
    }
    case Json::value_t::array: {
        if (depthLeft <= 0)
            return false;
        out.put('[');
        bool first = true;
        for (const auto &element : value) {
            if (!first)
                out.put(',');
            first = false;
            if (!writeValue(out, element, order, depthLeft - 1))
                return false;
        }
        out.put(']');
        return true;
    }
    case Json::value_t::object:
        if (depthLeft <= 0)
            return false;
        return writeObject(out, value, order, depthLeft - 1);
    }
    return true;
}

// ---- base64 --------------------------------------------------------------------------------

constexpr char StandardAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char UrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * For each 12-bit value, its two characters, one 8 KiB table per alphabet: three input bytes
 * take two lookups instead of four (about twice as fast as a lookup per character).
 */
constexpr std::array<char, 8192> makePairTable(const char *alphabet)
{
    std::array<char, 8192> table{};
    for (std::size_t v = 0; v < 4096; ++v) {
        table[2 * v] = alphabet[v >> 6];
        table[2 * v + 1] = alphabet[v & 63];
    }
    return table;
}

constexpr std::array<char, 8192> StandardPairs = makePairTable(StandardAlphabet);
constexpr std::array<char, 8192> UrlPairs = makePairTable(UrlAlphabet);

/**
 * Decoding: the sextet of each character of either alphabet in the low 6 bits, plus flag bits that
 * a decoder refuses as it chooses: NotBase64 on every other byte, StandardOnly on + and /.
 */
constexpr std::uint8_t NotBase64 = 0x80;
constexpr std::uint8_t StandardOnly = 0x40;

constexpr std::array<std::uint8_t, 256> makeDecodeTable()
{
    std::array<std::uint8_t, 256> table{};
    for (auto &entry : table)
        entry = NotBase64 | StandardOnly;
    for (int i = 0; i < 64; ++i)
        table[static_cast<unsigned char>(UrlAlphabet[i])] = std::uint8_t(i);
    table['+'] = StandardOnly | 62;
    table['/'] = StandardOnly | 63;
    return table;
}

constexpr auto Base64DecodeTable = makeDecodeTable();

/** Bytes that `size` base64 characters (no padding, size % 4 != 1) decode to. */
constexpr std::size_t base64DecodedSize(std::size_t size)
{
    return size / 4 * 3 + (size % 4 == 0 ? 0 : size % 4 - 1);
}

struct Base64DecodeEnd
{
    std::size_t badOffset;    ///< offset of the first refused character, or the text's size
    std::uint32_t unusedBits; ///< the bits of a partial last group that no byte takes up
};

/**
 * Decodes `text` (no padding; size % 4 != 1) to `out`, which has room for
 * base64DecodedSize(text.size()) bytes, until a character whose table entry has a bit of `refused`
 * set.
 */
Base64DecodeEnd decodeBase64(std::string_view text, unsigned char *out,
                             std::uint8_t refused) noexcept
{
    const auto *src = reinterpret_cast<const unsigned char *>(text.data());
    const std::size_t size = text.size();
    std::size_t i = 0;
    for (; i + 4 <= size; i += 4) {
        const std::uint8_t a = Base64DecodeTable[src[i]];
        const std::uint8_t b = Base64DecodeTable[src[i + 1]];
        const std::uint8_t c = Base64DecodeTable[src[i + 2]];
        const std::uint8_t d = Base64DecodeTable[src[i + 3]];
        if ((a | b | c | d) & refused)
            break; // the loop below finds which one
        const std::uint32_t group = (std::uint32_t(a & 0x3F) << 18)
                                    | (std::uint32_t(b & 0x3F) << 12)
                                    | (std::uint32_t(c & 0x3F) << 6) | std::uint32_t(d & 0x3F);
        out[0] = static_cast<unsigned char>(group >> 16);
        out[1] = static_cast<unsigned char>(group >> 8);
        out[2] = static_cast<unsigned char>(group);
        out += 3;
    }
    std::uint32_t group = 0;
    int count = 0;
    for (; i < size; ++i) {
        const std::uint8_t sextet = Base64DecodeTable[src[i]];
        if (sextet & refused)
            return {i, 0};
        group = (group << 6) | std::uint32_t(sextet & 0x3F);
        if (++count == 4) { // only after a refused group, which then had no refused character
            out[0] = static_cast<unsigned char>(group >> 16);
            out[1] = static_cast<unsigned char>(group >> 8);
            out[2] = static_cast<unsigned char>(group);
            out += 3;
            group = 0;
            count = 0;
        }
    }
    if (count == 2) {
        out[0] = static_cast<unsigned char>(group >> 4);
        return {size, group & 0xF};
    }
    if (count == 3) {
        out[0] = static_cast<unsigned char>(group >> 10);
        out[1] = static_cast<unsigned char>(group >> 2);
        return {size, group & 0x3};
    }
    return {size, 0};
}

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
    Sink sink(out);
    writeString(sink, utf8);
    sink.flush();
}

void appendJsonString(std::string &out, std::string_view utf8)
{
    Sink sink(out);
    writeString(sink, utf8);
    sink.flush();
}

void appendJson(QByteArray &out, const Json &value, JsonKeyOrder order)
{
    Sink sink(out);
    writeValue(sink, value, order, UnlimitedDepth);
    sink.flush();
}

void appendJson(std::string &out, const Json &value, JsonKeyOrder order)
{
    Sink sink(out);
    writeValue(sink, value, order, UnlimitedDepth);
    sink.flush();
}

bool appendJsonWithinDepth(std::string &out, const Json &value, JsonKeyOrder order, int maxDepth)
{
    Sink sink(out);
    const bool written = writeValue(sink, value, order, maxDepth);
    sink.flush();
    return written;
}

QByteArray serializeJson(const Json &value, JsonKeyOrder order)
{
    QByteArray out;
    appendJson(out, value, order);
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
    Sink sink(out);
    appendFiniteNumber(sink, value);
    sink.flush();
    return out;
}

char *writeBase64(char *out, QByteArrayView data, Base64Form form) noexcept
{
    const bool url = form == Base64Form::UrlUnpadded;
    const char *alphabet = url ? UrlAlphabet : StandardAlphabet;
    const char *pairs = url ? UrlPairs.data() : StandardPairs.data();
    const auto *src = reinterpret_cast<const unsigned char *>(data.data());
    const auto size = std::size_t(data.size());
    std::size_t i = 0;
    for (; i + 3 <= size; i += 3) {
        const std::uint32_t v = (std::uint32_t{src[i]} << 16) | (std::uint32_t{src[i + 1]} << 8)
                                | std::uint32_t{src[i + 2]};
        std::memcpy(out, pairs + 2 * (v >> 12), 2);
        std::memcpy(out + 2, pairs + 2 * (v & 0xFFF), 2);
        out += 4;
    }
    const std::size_t rest = size - i;
    if (rest == 1) {
        const std::uint32_t v = std::uint32_t{src[i]} << 16;
        *out++ = alphabet[(v >> 18) & 63];
        *out++ = alphabet[(v >> 12) & 63];
        if (!url) {
            *out++ = '=';
            *out++ = '=';
        }
    } else if (rest == 2) {
        const std::uint32_t v = (std::uint32_t{src[i]} << 16) | (std::uint32_t{src[i + 1]} << 8);
        *out++ = alphabet[(v >> 18) & 63];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = alphabet[(v >> 6) & 63];
        if (!url)
            *out++ = '=';
    }
    return out;
}

std::string base64Encode(QByteArrayView data, Base64Form form)
{
    std::string out(base64EncodedSize(std::size_t(data.size()), form), '\0');
    writeBase64(out.data(), data, form);
    return out;
}

void appendBase64Url(QByteArray &out, QByteArrayView data)
{
    const qsizetype start = out.size();
    out.resize(start + base64UrlEncodedSize(data.size()));
    writeBase64(out.data() + start, data, Base64Form::UrlUnpadded);
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
    out.resize(qsizetype(base64DecodedSize(std::size_t(size))));
    const auto end = decodeBase64(std::string_view(text.data(), std::size_t(size)),
                                  reinterpret_cast<unsigned char *>(out.data()),
                                  NotBase64 | StandardOnly);
    if (end.badOffset != std::size_t(size)) {
        if (text[qsizetype(end.badOffset)] == '=')
            return fail(3101, u"invalid base64url: padding is not allowed"_s);
        return fail(3101, u"invalid base64url: unexpected character at offset %1"_s.arg(
                              qsizetype(end.badOffset)));
    }
    if (end.unusedBits != 0)
        return fail(3101, u"invalid base64url: non-zero unused bits at the end"_s);
    return out;
}

std::optional<std::string> base64DecodeLenient(std::string_view text)
{
    std::size_t end = text.size();
    if (end % 4 == 0 && end >= 4) {
        if (text[end - 1] == '=')
            --end;
        if (text[end - 1] == '=')
            --end;
    }
    if (end % 4 == 1)
        return std::nullopt;
    std::string out(base64DecodedSize(end), '\0');
    const auto decoded = decodeBase64(text.substr(0, end),
                                      reinterpret_cast<unsigned char *>(out.data()), NotBase64);
    if (decoded.badOffset != end)
        return std::nullopt;
    return out;
}

} // namespace Pm::Fspiop
