#pragma once

#include "core/base/result.h"

#include <QByteArray>
#include <QByteArrayView>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace Pm::Fspiop {

/**
 * The JSON value type of the FSPIOP library. Object members keep the order in which they were
 * parsed or inserted, which the re-serialisations below depend on.
 */
using Json = nlohmann::ordered_json;

/** How a compact serialisation orders the members of each object. */
enum class JsonKeyOrder {
    /**
     * Member order as JavaScript's JSON.stringify gives it for an object made by JSON.parse:
     * keys that are array indices ("0", "7", "42"; canonical decimal below 2^32 - 1) first in
     * ascending numeric order, then all other keys in insertion order. For bodies without such
     * keys (every FSPIOP body) this is plain insertion order.
     */
    InsertionOrder,
    /**
     * Keys sorted recursively by UTF-16 code units, as safe-stable-stringify sorts them (for
     * ASCII keys this is byte order).
     */
    Sorted,
};

/** Deepest nesting of arrays and objects parseJson() accepts. */
inline constexpr int MaxJsonDepth = 256;

/**
 * Parses one JSON text (RFC 8259; nothing may follow it but whitespace).
 *
 * On failure the error has code 3101 and a message "malformed JSON: <where and why>". Nesting
 * deeper than MaxJsonDepth is refused the same way. Never throws.
 */
Result<Json> parseJson(QByteArrayView bytes);

/**
 * Compact serialisation (no whitespace) that reproduces JavaScript's JSON.stringify for values that
 * came from JSON: only `"`, `\` and control characters are escaped (\b \f \n \r \t, else \u00xx in
 * lower-case hex), everything else including non-ASCII UTF-8 is written as is; numbers are
 * written as JavaScript prints them (shortest round trip; integers up to 1e21 without exponent,
 * otherwise "1e+21" style; integers beyond 2^53 go through a double, as JavaScript holds them;
 * -0 as 0; NaN and infinities as null). Members are ordered as `order` says.
 */
QByteArray serializeJson(const Json &value, JsonKeyOrder order = JsonKeyOrder::InsertionOrder);

/** Appends serializeJson(value, order) to `out` (no intermediate copy of the whole text). */
void appendJson(QByteArray &out, const Json &value, JsonKeyOrder order);

/** The same for a std::string buffer (same bytes). */
void appendJson(std::string &out, const Json &value, JsonKeyOrder order);

/**
 * appendJson() with a nesting limit, for values built in code (parseJson() only bounds what it
 * parses, by MaxJsonDepth): returns false when arrays and objects nest more than `maxDepth` levels,
 * `value` itself being level 1 if it is one (a scalar is always written). On false `out` holds a
 * partial text and should be discarded. The writer recurses, so this also bounds stack use.
 */
[[nodiscard]] bool appendJsonWithinDepth(std::string &out, const Json &value, JsonKeyOrder order,
                                         int maxDepth);

/** Appends `utf8` as a JSON string literal, quoted and escaped as JSON.stringify does. */
void appendJsonString(QByteArray &out, std::string_view utf8);

/** The same for a std::string buffer (same bytes). */
void appendJsonString(std::string &out, std::string_view utf8);

/** A number as JavaScript's Number.prototype.toString() writes it ("1e+21", "0.000001", "1e-7"). */
QByteArray javaScriptNumber(double value);

// ---- base64 -------------------------------------------------------------------------------------

/** The two base64 forms the library writes (RFC 4648). */
enum class Base64Form {
    /** §4 alphabet (A-Z a-z 0-9 + /), padded with = to a multiple of 4 characters. */
    StandardPadded,
    /** §5 alphabet (A-Z a-z 0-9 - _) without padding, as JWS and ILP use it. */
    UrlUnpadded,
};

/** Characters base64 of `size` bytes takes in `form`. */
constexpr std::size_t base64EncodedSize(std::size_t size, Base64Form form) noexcept
{
    return form == Base64Form::StandardPadded ? (size + 2) / 3 * 4 : (size * 4 + 2) / 3;
}

/**
 * Writes base64 of `data` in `form` at `out`, which must have room for
 * base64EncodedSize(data.size(), form) characters; returns the end of what it wrote. For encoding
 * in place or in pieces: pieces whose sizes are multiples of 3 carry no padding, so their outputs
 * concatenate to the encoding of the whole.
 */
char *writeBase64(char *out, QByteArrayView data, Base64Form form) noexcept;

/** Base64 of `data` in `form`, as a std::string. */
std::string base64Encode(QByteArrayView data, Base64Form form);

/** Base64url without padding (RFC 4648 §5, as JWS uses it). */
QByteArray base64UrlEncode(QByteArrayView data);

/** Appends base64UrlEncode(data) to `out`. */
void appendBase64Url(QByteArray &out, QByteArrayView data);

/** Length of base64UrlEncode() output for `size` input bytes. */
constexpr qsizetype base64UrlEncodedSize(qsizetype size)
{
    return qsizetype(base64EncodedSize(std::size_t(size), Base64Form::UrlUnpadded));
}

/**
 * Decodes base64url without padding. Strict: refuses padding, whitespace, characters outside
 * A-Z a-z 0-9 - _, an impossible length and non-zero unused bits (so each byte string has exactly
 * one accepted encoding). Failure: code 3101, message "invalid base64url: <why>".
 */
Result<QByteArray> base64UrlDecode(QByteArrayView text);

/**
 * Decodes base64 leniently, as ILP packets must be read (the Mojaloop SDK takes them with Node's
 * Buffer.from(text, 'base64')): either alphabet, even mixed; "=" or "==" only as padding that
 * completes the last group of four; unused bits at the end ignored. Unlike Node it refuses
 * (nullopt) any other character, whitespace included, and a length no encoder produces.
 */
std::optional<std::string> base64DecodeLenient(std::string_view text);

} // namespace Pm::Fspiop
