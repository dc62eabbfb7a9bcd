#include "core/store/sql_p.h"

#include "core/store/connection_p.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

#include <array>
#include <span>

using namespace Qt::StringLiterals;

namespace Pm::Store::Internal {

static_assert(StatementCount <= Connection::FixedStatementCount);

namespace {

// The columns of `transfers` that are written (counterparty_fsp_id is generated), in bind order.
constexpr std::array<QStringView, 35> TransferColumnNames = {
    u"id", u"direction", u"status", u"state", u"home_transaction_id", u"quote_id",
    u"transaction_id", u"payer_id_type", u"payer_id_value", u"payer_sub_id", u"payer_fsp_id",
    u"payer_name", u"payee_id_type", u"payee_id_value", u"payee_sub_id", u"payee_fsp_id",
    u"payee_name", u"amount_type", u"amount", u"amount_minor", u"currency", u"payee_fsp_fee",
    u"payee_fsp_commission", u"payee_receive_amount", u"transfer_amount", u"ilp_condition",
    u"ilp_fulfilment", u"ilp_packet", u"expiration", u"initiated_at", u"updated_at",
    u"completed_at", u"last_error_code", u"last_error_description", u"model",
};

// Columns UpdateTransfer changes with COALESCE(?, column), after state/status/times, in bind order.
constexpr std::array<QStringView, 23> UpdatableColumnNames = {
    u"quote_id", u"transaction_id", u"payer_id_type", u"payer_id_value", u"payer_sub_id",
    u"payer_fsp_id", u"payer_name", u"payee_id_type", u"payee_id_value", u"payee_sub_id",
    u"payee_fsp_id", u"payee_name", u"payee_fsp_fee", u"payee_fsp_commission",
    u"payee_receive_amount", u"transfer_amount", u"ilp_condition", u"ilp_fulfilment",
    u"ilp_packet", u"expiration", u"last_error_code", u"last_error_description", u"model",
};

constexpr QStringView MetricBucketColumns[LatencyBucketCount] = {
    u"le_10ms", u"le_50ms", u"le_100ms", u"le_250ms", u"le_500ms", u"le_1000ms", u"le_5000ms",
    u"gt_5000ms",
};

QString joined(std::span<const QStringView> names, QStringView pattern)
{
    QStringList parts;
    parts.reserve(qsizetype(names.size()));
    for (const QStringView name : names)
        parts.append(pattern.toString().replace(u"%c"_s, name.toString()));
    return parts.join(u", "_s);
}

QString placeholders(std::size_t n)
{
    QStringList parts;
    for (std::size_t i = 0; i < n; ++i)
        parts.append(u"?"_s);
    return parts.join(u", "_s);
}

QString buildUpsertTransfer()
{
    QList<QStringView> assigned;
    for (const QStringView name : TransferColumnNames) {
        if (name != u"id")
            assigned.append(name);
    }
    return u"INSERT INTO transfers ("_s + joined(TransferColumnNames, u"%c") + u") VALUES ("_s
           + placeholders(TransferColumnNames.size())
           + u") ON CONFLICT (id) DO UPDATE SET "_s
           + joined(std::span<const QStringView>(assigned.constData(), std::size_t(assigned.size())),
                    u"%c = excluded.%c");
}

QString buildUpdateTransfer()
{
    // In an UPDATE every expression sees the old row, hence the status parameter twice.
    return u"UPDATE transfers SET state = COALESCE(?, state), status = COALESCE(?, status), "
           u"completed_at = CASE WHEN COALESCE(?, status) = 'PENDING' THEN NULL "
           u"ELSE COALESCE(?, completed_at, ?) END, updated_at = ?, "_s
           + joined(UpdatableColumnNames, u"%c = COALESCE(?, %c)") + u" WHERE id = ?"_s;
}

QString buildAddMetric()
{
    const std::span<const QStringView> buckets(MetricBucketColumns);
    return u"INSERT INTO metrics_samples (minute, resource, direction, count, error_count, "
           u"latency_sum_ms, latency_max_ms, "_s
           + joined(buckets, u"%c") + u") VALUES (?, ?, ?, 1, ?, ?, ?, "_s
           + placeholders(buckets.size())
           + u") ON CONFLICT (minute, resource, direction) DO UPDATE SET count = count + 1, "
             u"error_count = error_count + excluded.error_count, "
             u"latency_sum_ms = latency_sum_ms + excluded.latency_sum_ms, "
             u"latency_max_ms = max(latency_max_ms, excluded.latency_max_ms), "_s
           + joined(buckets, u"%c = %c + excluded.%c");
}

const QString MessageColumns =
    u"id, transfer_id, correlation_id, direction, kind, method, url, status, headers, body, at"_s;
const QString StepColumns = u"transfer_id, step, status, at, detail"_s;
const QString QuoteColumns =
    u"quote_id, direction, transaction_id, transfer_id, request_hash, ilp_condition, "
    u"ilp_fulfilment, ilp_packet, expiration, response_body, created_at, updated_at"_s;
const QString AuditColumns = u"id, at, actor, action, target, detail"_s;
const QString SettingColumns = u"scope, key, value, updated_at"_s;

QString metricColumns()
{
    return u"minute, resource, direction, count, error_count, latency_sum_ms, latency_max_ms, "_s
           + joined(std::span<const QStringView>(MetricBucketColumns), u"%c");
}

std::array<QString, StatementCount> buildStatements()
{
    std::array<QString, StatementCount> s;
    const QString &transfers = transferColumns();
    s[UpsertTransfer] = buildUpsertTransfer();
    s[UpdateTransfer] = buildUpdateTransfer();
    s[UpsertStep] = u"INSERT INTO transfer_steps (transfer_id, step, status, at, detail) "
                    u"VALUES (?, ?, ?, ?, ?) ON CONFLICT (transfer_id, step) DO UPDATE SET "
                    u"status = excluded.status, at = excluded.at, detail = excluded.detail"_s;
    s[InsertMessage] = u"INSERT INTO messages (transfer_id, correlation_id, direction, kind, "
                       u"method, url, status, headers, body, at) "
                       u"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s;
    s[UpsertQuote] = u"INSERT INTO quotes ("_s + QuoteColumns
                     + u") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (quote_id) "
                       u"DO UPDATE SET direction = excluded.direction, "
                       u"transaction_id = excluded.transaction_id, "
                       u"transfer_id = excluded.transfer_id, request_hash = excluded.request_hash, "
                       u"ilp_condition = excluded.ilp_condition, "
                       u"ilp_fulfilment = excluded.ilp_fulfilment, "
                       u"ilp_packet = excluded.ilp_packet, expiration = excluded.expiration, "
                       u"response_body = excluded.response_body, "
                       u"updated_at = excluded.updated_at"_s;
    s[AddMetric] = buildAddMetric();
    s[InsertAudit] = u"INSERT INTO audit_log (at, actor, action, target, detail) "
                     u"VALUES (?, ?, ?, ?, ?)"_s;
    s[UpsertSetting] = u"INSERT INTO settings_kv (scope, key, value, updated_at) VALUES (?, ?, ?, ?) "
                       u"ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value, "
                       u"updated_at = excluded.updated_at"_s;
    s[DeleteSetting] = u"DELETE FROM settings_kv WHERE scope = ? AND key = ?"_s;
    s[Begin] = u"BEGIN IMMEDIATE"_s;
    s[Commit] = u"COMMIT"_s;
    s[Rollback] = u"ROLLBACK"_s;

    s[TransferById] = u"SELECT "_s + transfers + u" FROM transfers WHERE id = ?"_s;
    s[TransferByQuoteId] = u"SELECT "_s + transfers
                           + u" FROM transfers WHERE quote_id = ? "
                             u"ORDER BY initiated_at DESC, rowid DESC LIMIT 1"_s;
    s[TransferByTransactionId] = u"SELECT "_s + transfers
                                 + u" FROM transfers WHERE transaction_id = ? "
                                   u"ORDER BY initiated_at DESC, rowid DESC LIMIT 1"_s;
    s[TransferByHomeTransactionId] = u"SELECT "_s + transfers
                                     + u" FROM transfers WHERE home_transaction_id = ? "
                                       u"ORDER BY initiated_at DESC, rowid DESC LIMIT 1"_s;
    s[UnfinishedTransfers] = u"SELECT "_s + transfers
                             + u" FROM transfers WHERE status = 'PENDING' "
                               u"ORDER BY initiated_at, rowid"_s;
    s[UnfinishedTransfersOfDirection] = u"SELECT "_s + transfers
                                        + u" FROM transfers WHERE status = 'PENDING' "
                                          u"AND direction = ? ORDER BY initiated_at, rowid"_s;
    s[CountByState] = u"SELECT state, status, count(*) FROM transfers "
                      u"WHERE initiated_at >= ? AND initiated_at < ? "
                      u"GROUP BY state, status ORDER BY state, status"_s;
    s[ErrorCounts] = u"SELECT last_error_code, min(last_error_description), count(*) FROM transfers "
                     u"WHERE status = 'FAILED' AND initiated_at >= ? AND initiated_at < ? "
                     u"GROUP BY last_error_code ORDER BY count(*) DESC, last_error_code"_s;
    const QString minuteStats =
        u"SELECT minute, sum(completed), sum(failed), sum(completed_e2e_sum_ms), "
        u"sum(failed_e2e_sum_ms) FROM transfer_minute_stats WHERE minute >= ? AND minute < ? "_s;
    const QString minuteStatsTail =
        u"GROUP BY minute HAVING sum(completed) + sum(failed) > 0 ORDER BY minute"_s;
    s[MinuteStatsAll] = minuteStats + minuteStatsTail;
    s[MinuteStatsOfDirection] = minuteStats + u"AND direction = ? "_s + minuteStatsTail;
    s[StepsOfTransfer] = u"SELECT "_s + StepColumns
                         + u" FROM transfer_steps WHERE transfer_id = ? ORDER BY at, step"_s;
    s[StepOfTransfer] = u"SELECT "_s + StepColumns
                        + u" FROM transfer_steps WHERE transfer_id = ? AND step = ?"_s;
    s[MessagesOfTransfer] = u"SELECT "_s + MessageColumns
                            + u" FROM messages WHERE transfer_id = ? ORDER BY id"_s;
    s[MessagesByCorrelation] = u"SELECT "_s + MessageColumns
                               + u" FROM messages WHERE correlation_id = ? ORDER BY id"_s;
    s[QuoteById] = u"SELECT "_s + QuoteColumns + u" FROM quotes WHERE quote_id = ?"_s;
    s[MetricsAll] = u"SELECT "_s + metricColumns()
                    + u" FROM metrics_samples WHERE minute >= ? AND minute < ? "
                      u"ORDER BY minute, resource, direction"_s;
    s[MetricsOfResource] = u"SELECT "_s + metricColumns()
                           + u" FROM metrics_samples WHERE minute >= ? AND minute < ? "
                             u"AND resource = ? ORDER BY minute, resource, direction"_s;
    s[AuditInWindow] = u"SELECT "_s + AuditColumns
                       + u" FROM audit_log WHERE at >= ? AND at < ? ORDER BY at DESC, id DESC "
                         u"LIMIT ?"_s;
    s[SettingByKey] = u"SELECT "_s + SettingColumns
                      + u" FROM settings_kv WHERE scope = ? AND key = ?"_s;
    s[SettingsOfScope] = u"SELECT "_s + SettingColumns
                         + u" FROM settings_kv WHERE scope = ? ORDER BY key"_s;
    return s;
}

QString escapeLike(const QString &text)
{
    QString out;
    out.reserve(text.size() + 2);
    for (const QChar c : text) {
        if (c == u'%' || c == u'_' || c == u'\\')
            out.append(u'\\');
        out.append(c);
    }
    return out;
}

QString sortColumn(TransferSortKey key)
{
    switch (key) {
    case TransferSortKey::InitiatedAt:
        return u"initiated_at"_s;
    case TransferSortKey::UpdatedAt:
        return u"updated_at"_s;
    case TransferSortKey::CompletedAt:
        return u"completed_at"_s;
    case TransferSortKey::AmountMinor:
        return u"amount_minor"_s;
    case TransferSortKey::Id:
        return u"id"_s;
    }
    return u"initiated_at"_s;
}

BuiltQuery buildWhere(const TransferFilter &f)
{
    QStringList terms;
    QVariantList values;
    auto equals = [&](const QString &column, const QString &value) {
        if (value.isEmpty())
            return;
        terms.append(column + u" = ?"_s);
        values.append(value);
    };
    if (!f.idContains.isEmpty()) {
        terms.append(u"id LIKE ? ESCAPE '\\'"_s);
        values.append(QString(u"%"_s + escapeLike(f.idContains) + u"%"_s));
    }
    if (!f.idPrefix.isEmpty()) {
        // A range on the primary key: [prefix, prefix with its last code unit incremented).
        terms.append(u"id >= ?"_s);
        values.append(f.idPrefix);
        const char16_t last = f.idPrefix.back().unicode();
        if (last < 0xFFFF) {
            QString upper = f.idPrefix;
            upper.back() = QChar(char16_t(last + 1));
            terms.append(u"id < ?"_s);
            values.append(upper);
        }
    }
    if (f.initiatedFrom) {
        terms.append(u"initiated_at >= ?"_s);
        values.append(*f.initiatedFrom);
    }
    if (f.initiatedTo) {
        terms.append(u"initiated_at < ?"_s);
        values.append(*f.initiatedTo);
    }
    if (f.direction)
        equals(u"direction"_s, storedName(*f.direction));
    equals(u"payee_id_type"_s, f.payeeIdType);
    equals(u"payee_id_value"_s, f.payeeIdValue);
    equals(u"payee_sub_id"_s, f.payeeSubId);
    equals(u"counterparty_fsp_id"_s, f.counterpartyFspId);
    if (f.status)
        equals(u"status"_s, storedName(*f.status));
    equals(u"state"_s, f.state);
    equals(u"currency"_s, f.currency);
    if (f.amountMinorMin) {
        terms.append(u"amount_minor >= ?"_s);
        values.append(*f.amountMinorMin);
    }
    if (f.amountMinorMax) {
        terms.append(u"amount_minor <= ?"_s);
        values.append(*f.amountMinorMax);
    }
    BuiltQuery q;
    if (!terms.isEmpty())
        q.sql = u" WHERE "_s + terms.join(u" AND "_s);
    q.values = std::move(values);
    return q;
}

} // namespace

const QString &transferColumns()
{
    static const QString columns = joined(TransferColumnNames, u"%c");
    return columns;
}

const QString &transferColumnsWithoutModel()
{
    static const QString columns =
        joined(std::span<const QStringView>(TransferColumnNames).first(TransferColumnNames.size() - 1),
               u"%c")
        + u", NULL"_s;
    return columns;
}

const QString &parameterName(int i)
{
    static const std::array<QString, MaxParameters> names = [] {
        std::array<QString, MaxParameters> n;
        for (int k = 0; k < MaxParameters; ++k)
            n[std::size_t(k)] = u":p"_s + QString::number(k);
        return n;
    }();
    Q_ASSERT(i >= 0 && i < MaxParameters);
    return names[std::size_t(i)];
}

QString withNamedParameters(const QString &sqlWithQuestionMarks)
{
    QString out;
    out.reserve(sqlWithQuestionMarks.size() + 64);
    int n = 0;
    for (const QChar c : sqlWithQuestionMarks) {
        if (c == u'?')
            out += parameterName(n++);
        else
            out += c;
    }
    return out;
}

const QString &sql(Statement id)
{
    static const std::array<QString, StatementCount> statements = [] {
        std::array<QString, StatementCount> s = buildStatements();
        for (QString &text : s)
            text = withNamedParameters(text);
        return s;
    }();
    return statements[std::size_t(id)];
}

QVariant nullableText(const QString &text)
{
    if (text.isEmpty())
        return QVariant(QMetaType::fromType<QString>());
    return text;
}

QVariant nullableInt(std::optional<qint64> value)
{
    if (!value)
        return QVariant(QMetaType::fromType<qint64>());
    return *value;
}

void bindTransfer(QSqlQuery &q, const TransferRecord &r, std::optional<qint64> amountMinor)
{
    int i = 0;
    auto text = [&](const QString &v) { bindAt(q, i++, nullableText(v)); };
    auto party = [&](const PartyRecord &p) {
        text(p.idType);
        text(p.idValue);
        text(p.subId);
        text(p.fspId);
        text(p.displayName);
    };
    text(r.id);
    bindAt(q, i++, storedName(r.direction));
    bindAt(q, i++, storedName(r.status));
    bindAt(q, i++, r.state);
    text(r.homeTransactionId);
    text(r.quoteId);
    text(r.transactionId);
    party(r.payer);
    party(r.payee);
    text(r.amountType);
    text(r.amount);
    bindAt(q, i++, nullableInt(amountMinor));
    text(r.currency);
    text(r.payeeFspFee);
    text(r.payeeFspCommission);
    text(r.payeeReceiveAmount);
    text(r.transferAmount);
    text(r.ilpCondition);
    text(r.ilpFulfilment);
    text(r.ilpPacket);
    text(r.expiration);
    bindAt(q, i++, r.initiatedAt);
    bindAt(q, i++, r.updatedAt);
    std::optional<qint64> completed = r.completedAt;
    if (isFinal(r.status) && !completed)
        completed = r.updatedAt;
    if (!isFinal(r.status))
        completed.reset();
    bindAt(q, i++, nullableInt(completed));
    bindAt(q, i++, nullableInt(r.lastErrorCode ? std::optional<qint64>(*r.lastErrorCode)
                                                 : std::nullopt));
    text(r.lastErrorDescription);
    text(QString::fromUtf8(r.model));
    Q_ASSERT(i == int(TransferColumnNames.size()));
}

void bindTransferUpdate(QSqlQuery &q, const TransferUpdate &u)
{
    int i = 0;
    auto text = [&](const QString &v) { bindAt(q, i++, nullableText(v)); };
    auto party = [&](const PartyRecord &p) {
        text(p.idType);
        text(p.idValue);
        text(p.subId);
        text(p.fspId);
        text(p.displayName);
    };
    const QString status = u.status ? storedName(*u.status) : QString();
    text(u.state);
    text(status);
    text(status);
    bindAt(q, i++, nullableInt(u.completedAt));
    bindAt(q, i++, u.updatedAt);
    bindAt(q, i++, u.updatedAt);
    text(u.quoteId);
    text(u.transactionId);
    party(u.payer);
    party(u.payee);
    text(u.payeeFspFee);
    text(u.payeeFspCommission);
    text(u.payeeReceiveAmount);
    text(u.transferAmount);
    text(u.ilpCondition);
    text(u.ilpFulfilment);
    text(u.ilpPacket);
    text(u.expiration);
    bindAt(q, i++, nullableInt(u.lastErrorCode ? std::optional<qint64>(*u.lastErrorCode)
                                                 : std::nullopt));
    text(u.lastErrorDescription);
    text(QString::fromUtf8(u.model));
    bindAt(q, i++, u.id);
    Q_ASSERT(i == 6 + int(UpdatableColumnNames.size()) + 1);
}

namespace {

std::optional<qint64> optionalInt(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toLongLong();
}

} // namespace

TransferRecord transferFromRow(const QSqlQuery &q)
{
    TransferRecord r;
    int i = 0;
    auto text = [&] { return q.value(i++).toString(); };
    auto party = [&](PartyRecord &p) {
        p.idType = text();
        p.idValue = text();
        p.subId = text();
        p.fspId = text();
        p.displayName = text();
    };
    r.id = text();
    r.direction = directionFromString(text()).value_or(Direction::Outbound);
    r.status = transferStatusFromString(text()).value_or(TransferStatus::Pending);
    r.state = text();
    r.homeTransactionId = text();
    r.quoteId = text();
    r.transactionId = text();
    party(r.payer);
    party(r.payee);
    r.amountType = text();
    r.amount = text();
    r.amountMinor = optionalInt(q.value(i++));
    r.currency = text();
    r.payeeFspFee = text();
    r.payeeFspCommission = text();
    r.payeeReceiveAmount = text();
    r.transferAmount = text();
    r.ilpCondition = text();
    r.ilpFulfilment = text();
    r.ilpPacket = text();
    r.expiration = text();
    r.initiatedAt = q.value(i++).toLongLong();
    r.updatedAt = q.value(i++).toLongLong();
    r.completedAt = optionalInt(q.value(i++));
    if (const auto code = optionalInt(q.value(i++)))
        r.lastErrorCode = int(*code);
    r.lastErrorDescription = text();
    r.model = text().toUtf8();
    return r;
}

MessageRecord messageFromRow(const QSqlQuery &q)
{
    MessageRecord m;
    m.id = q.value(0).toLongLong();
    m.transferId = q.value(1).toString();
    m.correlationId = q.value(2).toString();
    m.direction = messageDirectionFromString(q.value(3).toString()).value_or(MessageDirection::In);
    m.kind = messageKindFromString(q.value(4).toString()).value_or(MessageKind::Request);
    m.method = q.value(5).toString();
    m.url = q.value(6).toString();
    if (const auto status = optionalInt(q.value(7)))
        m.status = int(*status);
    m.headers = headersFromJson(q.value(8).toString());
    m.body = q.value(9).toByteArray();
    m.at = q.value(10).toLongLong();
    return m;
}

StepRecord stepFromRow(const QSqlQuery &q)
{
    StepRecord s;
    s.transferId = q.value(0).toString();
    s.step = q.value(1).toString();
    s.status = stepStatusFromString(q.value(2).toString()).value_or(StepStatus::Started);
    s.at = q.value(3).toLongLong();
    s.detail = q.value(4).toString();
    return s;
}

QuoteRecord quoteFromRow(const QSqlQuery &q)
{
    QuoteRecord r;
    r.quoteId = q.value(0).toString();
    r.direction = directionFromString(q.value(1).toString()).value_or(Direction::Inbound);
    r.transactionId = q.value(2).toString();
    r.transferId = q.value(3).toString();
    r.requestHash = q.value(4).toString();
    r.ilpCondition = q.value(5).toString();
    r.ilpFulfilment = q.value(6).toString();
    r.ilpPacket = q.value(7).toString();
    r.expiration = q.value(8).toString();
    r.responseBody = q.value(9).toByteArray();
    r.createdAt = q.value(10).toLongLong();
    r.updatedAt = q.value(11).toLongLong();
    return r;
}

MetricRow metricFromRow(const QSqlQuery &q)
{
    MetricRow m;
    m.minuteStartMs = q.value(0).toLongLong() * 60000;
    m.resource = q.value(1).toString();
    m.direction = messageDirectionFromString(q.value(2).toString()).value_or(MessageDirection::In);
    m.count = q.value(3).toLongLong();
    m.errorCount = q.value(4).toLongLong();
    m.latencySumMs = q.value(5).toLongLong();
    m.latencyMaxMs = q.value(6).toLongLong();
    for (int b = 0; b < LatencyBucketCount; ++b)
        m.latencyBuckets[std::size_t(b)] = q.value(7 + b).toLongLong();
    return m;
}

AuditRecord auditFromRow(const QSqlQuery &q)
{
    AuditRecord a;
    a.id = q.value(0).toLongLong();
    a.at = q.value(1).toLongLong();
    a.actor = q.value(2).toString();
    a.action = q.value(3).toString();
    a.target = q.value(4).toString();
    a.detail = q.value(5).toString();
    return a;
}

SettingRecord settingFromRow(const QSqlQuery &q)
{
    SettingRecord s;
    s.scope = q.value(0).toString();
    s.key = q.value(1).toString();
    s.value = q.value(2).toString();
    s.updatedAt = q.value(3).toLongLong();
    return s;
}

QString headersToJson(const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QJsonArray array;
    for (const auto &[name, value] : headers)
        array.append(QJsonArray{QString::fromLatin1(name), QString::fromLatin1(value)});
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QList<std::pair<QByteArray, QByteArray>> headersFromJson(const QString &json)
{
    QList<std::pair<QByteArray, QByteArray>> headers;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    headers.reserve(array.size());
    for (const QJsonValue &field : array) {
        const QJsonArray pair = field.toArray();
        headers.append({pair.at(0).toString().toLatin1(), pair.at(1).toString().toLatin1()});
    }
    return headers;
}

BuiltQuery buildSearch(const TransferQuery &query)
{
    BuiltQuery where = buildWhere(query.filter);
    const QString direction = query.order == Qt::AscendingOrder ? u" ASC"_s : u" DESC"_s;
    BuiltQuery q;
    q.sql = u"SELECT "_s + transferColumnsWithoutModel() + u" FROM transfers"_s + where.sql
            + u" ORDER BY "_s + sortColumn(query.sortKey) + direction + u", rowid"_s + direction
            + u" LIMIT ? OFFSET ?"_s;
    q.sql = withNamedParameters(q.sql);
    q.values = std::move(where.values);
    q.values.append(qBound(1, query.limit, 10000));
    q.values.append(qMax(0, query.offset));
    return q;
}

BuiltQuery buildCount(const TransferFilter &filter)
{
    BuiltQuery where = buildWhere(filter);
    where.sql = withNamedParameters(u"SELECT count(*) FROM transfers"_s + where.sql);
    return where;
}

} // namespace Pm::Store::Internal
