#pragma once

#include "core/base/result.h"

#include <QStringView>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

/**
 * Interledger (ILP) packets, conditions and fulfilments as Mojaloop uses them, byte-compatible with
 * @mojaloop/sdk-standard-components 19.x (`Ilp.ilpFactory('v1'|'v4', {secret})`).
 *
 * Wire values (packets, conditions, fulfilments, transaction object JSON) are held as std::string:
 * they are ASCII or UTF-8 bytes that go straight into nlohmann::json documents.
 */
namespace Pm::Fspiop::Ilp {

namespace Internal {
struct HmacKey;
} // namespace Internal

/** ILP packet flavour: v1 = ILP payment (type 1), v4 = ILP prepare (type 12). */
enum class Version : int {
    V1 = 1,
    V4 = 4,
};

/** Version from "1"/"4" (also "v1"/"v4"); nullopt for anything else. */
std::optional<Version> versionFromString(QStringView text) noexcept;

/** The destination every v4 packet carries. */
inline constexpr std::string_view kMojaloopAddress = "g.mojaloop";

/** What a payee sends back with its quote response, and keeps (the fulfilment) until the transfer. */
struct Response
{
    std::string ilpPacket;  ///< base64url, no padding
    std::string condition;  ///< base64url(SHA-256(fulfilment)), 43 characters
    std::string fulfilment; ///< base64url of the 32-byte preimage, 43 characters; keep it secret
    /** The transaction object exactly as carried in the packet: compact JSON, keys sorted. */
    std::string transactionObject;

    friend bool operator==(const Response &, const Response &) = default;
};

/** The fields of an ILP packet, as decode() reads them or encode() writes them. */
struct Packet
{
    Version version = Version::V1;
    std::uint64_t amount = 0;  ///< in minor units of the transaction's currency
    std::string account;       ///< v1: the payee's ILP address, e.g. "g.payeefsp.msisdn.256123"
    std::string destination;   ///< v4: the ILP address, always kMojaloopAddress when built here
    std::string expiresAt;     ///< v4: UTC, ISO 8601 with milliseconds, "2030-01-01T00:00:00.000Z"
    std::array<std::uint8_t, 32> executionCondition{}; ///< v4: the raw condition
    std::string data;          ///< ASCII: base64url (no padding) of the transaction object JSON

    friend bool operator==(const Packet &, const Packet &) = default;
};

/** A decoded packet plus the transaction object its data carries. */
struct DecodedPacket
{
    Packet packet;
    /** The transaction object's bytes, decoded from packet.data, as the sender serialised them. */
    std::string transactionObjectJson;
    /** The same, parsed (key order as in the bytes). */
    nlohmann::ordered_json transactionObject;
};

/**
 * Builds ILP responses with one secret. Keeps neither the secret nor the HMAC key (base64 of the
 * secret's UTF-8 bytes), only the SHA-256 states after the key's padded blocks, which OpenSSL
 * wipes when they are freed. Const methods are safe to call from several threads at once.
 */
class Builder
{
public:
    /** `secret` is the scheme's ILP secret (ILP_SECRET in the SDK); any Unicode text. */
    explicit Builder(QStringView secret);
    ~Builder();
    Builder(const Builder &) = delete;
    Builder &operator=(const Builder &) = delete;
    Builder(Builder &&other) noexcept;
    Builder &operator=(Builder &&other) noexcept;

    /**
     * Builds the packet, condition and fulfilment for a quote, as the payee does when it answers
     * POST /quotes. The transaction object is {quoteId, transactionId, transactionType, payee,
     * payer (verbatim from `quoteRequest`), expiration, amount = transferAmount, note (from
     * `quoteResponse`; note only when non-empty)}, serialised compact with keys sorted.
     *
     * Fails (FSPIOP 3100/3101/3102, one line naming the field) when a field is missing or of the
     * wrong type, transferAmount.amount breaks the FSPIOP Amount pattern, the currency is unknown,
     * the amount is not a whole number of minor units, or (v4, or present at all) the expiration
     * is not an ISO 8601 date-time with a zone.
     */
    Result<Response> buildForQuote(Version version, const nlohmann::ordered_json &quoteRequest,
                                   const nlohmann::ordered_json &quoteResponse) const;

    /**
     * The fulfilment this secret gives `ilpPacket` (SDK calculateFulfil): v1 hashes the packet
     * string itself; v4 hashes the transaction object in the packet, re-serialised with sorted
     * keys. Fails if the packet does not decode.
     */
    Result<std::string> fulfilmentForPacket(std::string_view ilpPacket) const;

private:
    std::unique_ptr<Internal::HmacKey> m_key; ///< null if OpenSSL failed; builds then fail
};

/** One-shot convenience: Builder(secret).buildForQuote(...). */
Result<Response> buildForQuote(Version version, QStringView secret,
                               const nlohmann::ordered_json &quoteRequest,
                               const nlohmann::ordered_json &quoteResponse);

/**
 * Decodes a base64url (or base64) ILP packet of either version, and the transaction object in its
 * data. Any malformed input, truncated or oversized field gives an error (3101), never a crash.
 */
Result<DecodedPacket> decode(std::string_view ilpPacket);

/** Reads only the packet fields, without decoding the transaction object. */
Result<Packet> decodePacket(std::string_view ilpPacket);

/**
 * Serialises `packet` (version, amount, account or destination/expiresAt/executionCondition,
 * data) and returns it as base64url without padding. Fails on an invalid expiresAt.
 */
Result<std::string> encode(const Packet &packet);

/**
 * True if `fulfilment` (base64url) decodes to exactly 32 bytes whose SHA-256, base64url without
 * padding, equals `condition` character for character (as the SDK's validateFulfil compares).
 */
bool checkFulfilment(std::string_view fulfilment, std::string_view condition);

/**
 * base64url(SHA-256(fulfilment)). Fails with 3101 if `fulfilment` is not base64url, with 3100 if it
 * does not decode to exactly 32 bytes.
 */
Result<std::string> conditionFromFulfilment(std::string_view fulfilment);

} // namespace Pm::Fspiop::Ilp
