#include "core/store/transferrepository.h"

#include "core/store/reads_p.h"

using namespace Qt::StringLiterals;

namespace Pm::Store {

using namespace Internal;

void TransferRepository::upsert(TransferRecord record, QObject *context, Completion done)
{
    WriteBatch batch;
    batch.upsertTransfer(std::move(record));
    m_core->submit(std::move(batch), context, std::move(done));
}

void TransferRepository::update(TransferUpdate update, QObject *context, Completion done)
{
    WriteBatch batch;
    batch.updateTransfer(std::move(update));
    m_core->submit(std::move(batch), context, std::move(done));
}

void TransferRepository::markStep(StepRecord step, QObject *context, Completion done)
{
    WriteBatch batch;
    batch.markStep(std::move(step));
    m_core->submit(std::move(batch), context, std::move(done));
}

Pm::Result<std::optional<TransferRecord>> TransferRepository::findOne(int statement,
                                                                      const QString &value) const
{
    return firstRow(selectRows(*m_core, Statement(statement), {value}, transferFromRow));
}

Pm::Result<std::optional<TransferRecord>> TransferRepository::get(const QString &transferId) const
{
    return findOne(TransferById, transferId);
}

Pm::Result<std::optional<TransferRecord>>
TransferRepository::findByQuoteId(const QString &quoteId) const
{
    return findOne(TransferByQuoteId, quoteId);
}

Pm::Result<std::optional<TransferRecord>>
TransferRepository::findByTransactionId(const QString &transactionId) const
{
    return findOne(TransferByTransactionId, transactionId);
}

Pm::Result<std::optional<TransferRecord>>
TransferRepository::findByHomeTransactionId(const QString &homeTransactionId) const
{
    return findOne(TransferByHomeTransactionId, homeTransactionId);
}

Pm::Result<std::vector<TransferRecord>>
TransferRepository::unfinished(std::optional<Direction> direction) const
{
    if (direction)
        return selectRows(*m_core, UnfinishedTransfersOfDirection, {storedName(*direction)},
                          transferFromRow);
    return selectRows(*m_core, UnfinishedTransfers, {}, transferFromRow);
}

Pm::Result<std::vector<TransferRecord>> TransferRepository::search(const TransferQuery &query) const
{
    const BuiltQuery built = buildSearch(query);
    return selectRows(*m_core, -1, built.sql, built.values, transferFromRow);
}

Pm::Result<qint64> TransferRepository::count(const TransferFilter &filter) const
{
    const BuiltQuery built = buildCount(filter);
    auto rows = selectRows(*m_core, -1, built.sql, built.values,
                           [](const QSqlQuery &q) { return q.value(0).toLongLong(); });
    if (!rows)
        return std::unexpected(rows.error());
    return rows->empty() ? 0 : rows->front();
}

Pm::Result<std::vector<StateCount>> TransferRepository::countByState(qint64 fromMs,
                                                                     qint64 toMs) const
{
    return selectRows(*m_core, CountByState, {fromMs, toMs}, [](const QSqlQuery &q) {
        StateCount c;
        c.state = q.value(0).toString();
        c.status = transferStatusFromString(q.value(1).toString()).value_or(TransferStatus::Pending);
        c.count = q.value(2).toLongLong();
        return c;
    });
}

Pm::Result<std::vector<ErrorCount>> TransferRepository::errorCounts(qint64 fromMs,
                                                                   qint64 toMs) const
{
    return selectRows(*m_core, ErrorCounts, {fromMs, toMs}, [](const QSqlQuery &q) {
        ErrorCount c;
        if (!q.value(0).isNull())
            c.code = q.value(0).toInt();
        c.description = q.value(1).toString();
        c.count = q.value(2).toLongLong();
        return c;
    });
}

namespace {

/** The first minute whose start is >= ms (minutes since the epoch). */
qint64 firstMinuteAtOrAfter(qint64 ms)
{
    const qint64 minute = ms / 60000;
    return minute * 60000 < ms ? minute + 1 : minute;
}

} // namespace

Pm::Result<std::vector<MinuteStats>>
TransferRepository::minuteStats(qint64 fromMs, qint64 toMs, std::optional<Direction> direction) const
{
    auto map = [](const QSqlQuery &q) {
        MinuteStats s;
        s.minuteStartMs = q.value(0).toLongLong() * 60000;
        s.completed = q.value(1).toLongLong();
        s.failed = q.value(2).toLongLong();
        s.completedEndToEndSumMs = q.value(3).toLongLong();
        s.failedEndToEndSumMs = q.value(4).toLongLong();
        return s;
    };
    const qint64 from = firstMinuteAtOrAfter(fromMs);
    const qint64 to = firstMinuteAtOrAfter(toMs);
    if (direction)
        return selectRows(*m_core, MinuteStatsOfDirection, {from, to, storedName(*direction)}, map);
    return selectRows(*m_core, MinuteStatsAll, {from, to}, map);
}

Pm::Result<std::vector<StepRecord>> TransferRepository::steps(const QString &transferId) const
{
    return selectRows(*m_core, StepsOfTransfer, {transferId}, stepFromRow);
}

Pm::Result<std::optional<StepRecord>> TransferRepository::step(const QString &transferId,
                                                               const QString &step) const
{
    return firstRow(selectRows(*m_core, StepOfTransfer, {transferId, step}, stepFromRow));
}

} // namespace Pm::Store
