#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringView>
#include <QtGlobal>

#include <array>
#include <optional>
#include <utility>

namespace Pm::Store {

// Plain value types the store reads and writes. Times are milliseconds since the Unix epoch (UTC).
// An empty QString stands for an absent value and is stored as SQL NULL.

/** Which side of the transfer this DFSP is on. Stored as 'OUTBOUND' / 'INBOUND'. */
enum class Direction { Outbound, Inbound };

/**
 * The coarse outcome of a transfer, which the dashboards and the recovery list use. The connector's
 * own fine-grained state (TransferRecord::state) is kept beside it as a free string.
 * Stored as 'PENDING' / 'COMPLETED' / 'FAILED'. Completed and Failed are final.
 */
enum class TransferStatus { Pending, Completed, Failed };

/** Direction of an FSPIOP message as seen from this DFSP. Stored as 'in' / 'out'. */
enum class MessageDirection { In, Out };

/**
 * What an FSPIOP message is: a request (POST/GET/PUT that asks for something), a callback (the
 * asynchronous PUT that answers a request) or a synchronous HTTP response (202, 4xx...).
 * Stored as 'request' / 'callback' / 'response'.
 */
enum class MessageKind { Request, Callback, Response };

/** Progress of one idempotent step of a transfer (e.g. "backend-commit"). 'STARTED'/'DONE'/'FAILED'. */
enum class StepStatus { Started, Done, Failed };

/** A party of a transfer: FSPIOP PartyIdInfo plus the display name. */
struct PartyRecord
{
    QString idType;   ///< partyIdType, e.g. "MSISDN"
    QString idValue;  ///< partyIdentifier
    QString subId;    ///< partySubIdOrType
    QString fspId;
    QString displayName;

    friend bool operator==(const PartyRecord &, const PartyRecord &) = default;
};

/** One transfer, either direction: the row of the `transfers` table. */
struct TransferRecord
{
    QString id; ///< transferId (primary key)
    Direction direction = Direction::Outbound;
    TransferStatus status = TransferStatus::Pending;
    QString state; ///< the connector's current state; required (not empty)
    QString homeTransactionId;
    QString quoteId;
    QString transactionId;
    PartyRecord payer;
    PartyRecord payee;
    QString amountType; ///< "SEND", "RECEIVE" or empty
    QString amount;     ///< exact decimal string as on the wire, e.g. "100.5"
    /**
     * `amount` in minor units of `currency`, for range filters and sorting. Left empty, the store
     * computes it from amount and currency (stays NULL for an unknown currency or a value that
     * does not fit in 63 bits).
     */
    std::optional<qint64> amountMinor;
    QString currency;
    QString payeeFspFee;        ///< amount in `currency`
    QString payeeFspCommission; ///< amount in `currency`
    QString payeeReceiveAmount; ///< amount in `currency`
    QString transferAmount;     ///< amount in `currency`
    QString ilpCondition;
    QString ilpFulfilment;
    QString ilpPacket;
    QString expiration; ///< ISO 8601 as on the wire
    qint64 initiatedAt = 0;
    qint64 updatedAt = 0;
    /** When the transfer became final. Left empty for a final status, the store uses updatedAt. */
    std::optional<qint64> completedAt;
    std::optional<int> lastErrorCode; ///< FSPIOP error code
    QString lastErrorDescription;
    /** The connector's full state object as UTF-8 JSON text. Searches leave it empty. */
    QByteArray model;

    /** The counterparty's fspId: the payee's for an outbound transfer, the payer's for an inbound one. */
    QString counterpartyFspId() const
    {
        return direction == Direction::Outbound ? payee.fspId : payer.fspId;
    }

    friend bool operator==(const TransferRecord &, const TransferRecord &) = default;
};

/**
 * A partial update of an existing transfer: only what is set changes. Empty strings and empty
 * optionals mean "unchanged" (a value cannot be cleared this way: write the full record instead).
 */
struct TransferUpdate
{
    QString id;           ///< required
    qint64 updatedAt = 0; ///< required
    QString state;
    std::optional<TransferStatus> status;
    /**
     * When the transfer became final. If the (new) status is final and this is empty, the
     * completion time already stored is kept, or updatedAt is used. A Pending status clears it.
     */
    std::optional<qint64> completedAt;
    QString quoteId;
    QString transactionId;
    PartyRecord payer; ///< each non-empty field replaces the stored one
    PartyRecord payee; ///< each non-empty field replaces the stored one
    QString payeeFspFee;
    QString payeeFspCommission;
    QString payeeReceiveAmount;
    QString transferAmount;
    QString ilpCondition;
    QString ilpFulfilment;
    QString ilpPacket;
    QString expiration;
    std::optional<int> lastErrorCode;
    QString lastErrorDescription;
    QByteArray model;
};

/** One idempotency marker: "step S of transfer T was started/done", written before acting. */
struct StepRecord
{
    QString transferId; ///< must name a stored transfer
    QString step;       ///< free name, e.g. "backend-prepare", "put-transfers-callback"
    StepStatus status = StepStatus::Started;
    qint64 at = 0;
    QString detail;

    friend bool operator==(const StepRecord &, const StepRecord &) = default;
};

/** One FSPIOP message, raw: the row of the `messages` table. */
struct MessageRecord
{
    qint64 id = 0;           ///< assigned by the store (ignored on append)
    QString transferId;      ///< the transfer it belongs to, if any
    QString correlationId;   ///< the id in its path (quoteId, transferId, "MSISDN/123"...), if any
    MessageDirection direction = MessageDirection::In;
    MessageKind kind = MessageKind::Request;
    QString method;          ///< "POST", "PUT"... (requests and callbacks)
    QString url;             ///< path and query, or the full URL of an outgoing request
    std::optional<int> status; ///< HTTP status (responses)
    QList<std::pair<QByteArray, QByteArray>> headers; ///< in wire order, bytes as received
    QByteArray body;         ///< raw bytes, kept byte for byte
    qint64 at = 0;

    friend bool operator==(const MessageRecord &, const MessageRecord &) = default;
};

/**
 * A quote as this DFSP answered or received it, so that a re-sent POST /quotes can be answered
 * from the record (and a re-send with a different body recognised by its hash).
 */
struct QuoteRecord
{
    QString quoteId; ///< primary key
    Direction direction = Direction::Inbound;
    QString transactionId;
    QString transferId;  ///< once known
    QString requestHash; ///< caller-defined digest of the request body
    QString ilpCondition;
    QString ilpFulfilment;
    QString ilpPacket;
    QString expiration;
    QByteArray responseBody; ///< the PUT /quotes/{id} body as sent, raw
    qint64 createdAt = 0;
    qint64 updatedAt = 0;

    friend bool operator==(const QuoteRecord &, const QuoteRecord &) = default;
};

/** Upper bounds (inclusive, ms) of the latency histogram buckets; a last bucket takes the rest. */
inline constexpr std::array<qint64, 7> LatencyBucketBoundsMs = {10, 50, 100, 250, 500, 1000, 5000};
inline constexpr int LatencyBucketCount = int(LatencyBucketBoundsMs.size()) + 1;

/** One observation of an FSPIOP exchange, added to the per-minute `metrics_samples` row. */
struct MetricSample
{
    qint64 at = 0;    ///< when the exchange ended; picks the minute
    QString resource; ///< e.g. "transfers", "quotes", "parties"
    MessageDirection direction = MessageDirection::In;
    qint64 latencyMs = 0;
    bool error = false;
};

/** One per-minute row of `metrics_samples`. */
struct MetricRow
{
    qint64 minuteStartMs = 0;
    QString resource;
    MessageDirection direction = MessageDirection::In;
    qint64 count = 0;
    qint64 errorCount = 0;
    qint64 latencySumMs = 0;
    qint64 latencyMaxMs = 0;
    std::array<qint64, LatencyBucketCount> latencyBuckets{}; ///< counts per bucket, not cumulative

    friend bool operator==(const MetricRow &, const MetricRow &) = default;
};

/** One administrative action. */
struct AuditRecord
{
    qint64 id = 0; ///< assigned by the store (ignored on append)
    qint64 at = 0;
    QString actor;  ///< who (user name, "cli", "system")
    QString action; ///< what, e.g. "certificate.import"
    QString target; ///< on what, if any
    QString detail; ///< free text or JSON

    friend bool operator==(const AuditRecord &, const AuditRecord &) = default;
};

/** One key/value setting; `scope` groups them (e.g. an environment name, empty for global). */
struct SettingRecord
{
    QString scope;
    QString key;
    QString value;
    qint64 updatedAt = 0;

    friend bool operator==(const SettingRecord &, const SettingRecord &) = default;
};

/** Search criteria for transfers; every criterion set must hold (AND). */
struct TransferFilter
{
    /** Substring of the transfer id, ASCII case-insensitive. Scans the rows the other criteria leave. */
    QString idContains;
    /** Start of the transfer id, case-sensitive. Uses the primary key: fast on any table size. */
    QString idPrefix;
    std::optional<qint64> initiatedFrom; ///< initiated_at >= this
    std::optional<qint64> initiatedTo;   ///< initiated_at < this
    std::optional<Direction> direction;
    QString payeeIdType;
    QString payeeIdValue;
    QString payeeSubId;
    QString counterpartyFspId;
    std::optional<TransferStatus> status;
    QString state;
    QString currency;
    /** Amount range in minor units (amount_minor); meaningful together with `currency`. */
    std::optional<qint64> amountMinorMin; ///< inclusive
    std::optional<qint64> amountMinorMax; ///< inclusive
};

/** Sort keys. InitiatedAt is served by indexes; AmountMinor too when a currency is filtered. */
enum class TransferSortKey { InitiatedAt, UpdatedAt, CompletedAt, AmountMinor, Id };

/** A page of a transfer search. Ties are broken by insertion order, so paging is stable. */
struct TransferQuery
{
    TransferFilter filter;
    TransferSortKey sortKey = TransferSortKey::InitiatedAt;
    Qt::SortOrder order = Qt::DescendingOrder;
    int offset = 0;
    int limit = 50; ///< 1..10000
};

/** A count of transfers per state (and the status it belongs to). */
struct StateCount
{
    QString state;
    TransferStatus status = TransferStatus::Pending;
    qint64 count = 0;

    friend bool operator==(const StateCount &, const StateCount &) = default;
};

/** Failed transfers that share one FSPIOP error code (or none). */
struct ErrorCount
{
    std::optional<int> code; ///< last_error_code; nullopt for failures recorded without a code
    QString description;     ///< one of their descriptions (the smallest), may be empty
    qint64 count = 0;

    friend bool operator==(const ErrorCount &, const ErrorCount &) = default;
};

/**
 * Transfers that became final in one minute (by completed_at): how many, how many succeeded, and
 * the average end-to-end time (completed_at - initiated_at) of those that succeeded.
 */
struct MinuteStats
{
    qint64 minuteStartMs = 0;
    qint64 completed = 0;
    qint64 failed = 0;
    qint64 completedEndToEndSumMs = 0;
    qint64 failedEndToEndSumMs = 0;

    qint64 total() const { return completed + failed; }
    /** completed / (completed + failed), 0..1. */
    double successRate() const { return total() > 0 ? double(completed) / double(total()) : 0.0; }
    /** Average end-to-end ms of the completed transfers (0 if none). */
    double averageEndToEndMs() const
    {
        return completed > 0 ? double(completedEndToEndSumMs) / double(completed) : 0.0;
    }

    friend bool operator==(const MinuteStats &, const MinuteStats &) = default;
};

// Stored spellings of the enums ("OUTBOUND", "in"...). The parsers return nullopt for an unknown
// spelling.
QString storedName(Direction value);
QString storedName(TransferStatus value);
QString storedName(MessageDirection value);
QString storedName(MessageKind value);
QString storedName(StepStatus value);
std::optional<Direction> directionFromString(QStringView text);
std::optional<TransferStatus> transferStatusFromString(QStringView text);
std::optional<MessageDirection> messageDirectionFromString(QStringView text);
std::optional<MessageKind> messageKindFromString(QStringView text);
std::optional<StepStatus> stepStatusFromString(QStringView text);

/** True for Completed and Failed. */
constexpr bool isFinal(TransferStatus status)
{
    return status != TransferStatus::Pending;
}

/** Index of the latency bucket `latencyMs` falls in (0..LatencyBucketCount-1). */
int latencyBucket(qint64 latencyMs);

} // namespace Pm::Store
