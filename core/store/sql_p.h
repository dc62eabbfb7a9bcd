#pragma once

#include "core/base/result.h"
#include "core/store/records.h"

#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <optional>
#include <utility>

namespace Pm::Store::Internal {

/** The fixed statements; each connection prepares the ones it uses, once. */
enum Statement : int {
    // writer
    UpsertTransfer,
    UpdateTransfer,
    UpsertStep,
    InsertMessage,
    UpsertQuote,
    AddMetric,
    InsertAudit,
    UpsertSetting,
    DeleteSetting,
    Begin,
    Commit,
    Rollback,
    // readers
    TransferById,
    TransferByQuoteId,
    TransferByTransactionId,
    TransferByHomeTransactionId,
    UnfinishedTransfers,
    UnfinishedTransfersOfDirection,
    CountByState,
    ErrorCounts,
    MinuteStatsAll,
    MinuteStatsOfDirection,
    StepsOfTransfer,
    StepOfTransfer,
    MessagesOfTransfer,
    MessagesByCorrelation,
    QuoteById,
    MetricsAll,
    MetricsOfResource,
    AuditInWindow,
    SettingByKey,
    SettingsOfScope,
    StatementCount
};

/** The SQL text of a fixed statement. */
const QString &sql(Statement id);

/**
 * Statements are written with `?` and stored with named parameters `:p0`, `:p1`... in order of
 * appearance: Qt binds a name ~30 % cheaper than a position (QSqlResult formats a position as a
 * name on every bind). MaxParameters bounds a statement's parameters.
 */
inline constexpr int MaxParameters = 64;
QString withNamedParameters(const QString &sqlWithQuestionMarks);
/** The name of parameter i (":p<i>"). */
const QString &parameterName(int i);
/** Binds parameter i of a statement made by withNamedParameters(). */
inline void bindAt(QSqlQuery &query, int i, const QVariant &value)
{
    query.bindValue(parameterName(i), value);
}

/** The SELECT column list of transfers (model last), as transferFromRow() reads it. */
const QString &transferColumns();
/** Same, with NULL in place of the model (searches). */
const QString &transferColumnsWithoutModel();

// Binding helpers: an empty string or an empty optional binds SQL NULL.
QVariant nullableText(const QString &text);
QVariant nullableInt(std::optional<qint64> value);

/** Binds every column of the transfer for UpsertTransfer, in its order. */
void bindTransfer(QSqlQuery &query, const TransferRecord &record, std::optional<qint64> amountMinor);
/** Binds the parameters of UpdateTransfer. */
void bindTransferUpdate(QSqlQuery &query, const TransferUpdate &update);

/** Reads a row of transferColumns() (or the model-less form) from the current position. */
TransferRecord transferFromRow(const QSqlQuery &query);
MessageRecord messageFromRow(const QSqlQuery &query);
StepRecord stepFromRow(const QSqlQuery &query);
QuoteRecord quoteFromRow(const QSqlQuery &query);
MetricRow metricFromRow(const QSqlQuery &query);
AuditRecord auditFromRow(const QSqlQuery &query);
SettingRecord settingFromRow(const QSqlQuery &query);

/** Headers as a JSON array of [name, value] pairs; bytes map to code points 0-255 (Latin-1). */
QString headersToJson(const QList<std::pair<QByteArray, QByteArray>> &headers);
QList<std::pair<QByteArray, QByteArray>> headersFromJson(const QString &json);

/** The SELECT of a transfer search page, with the values to bind in order. */
struct BuiltQuery
{
    QString sql;
    QVariantList values;
};
BuiltQuery buildSearch(const TransferQuery &query);
BuiltQuery buildCount(const TransferFilter &filter);

} // namespace Pm::Store::Internal
