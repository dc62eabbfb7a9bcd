#pragma once

#include "core/base/result.h"
#include "core/store/records.h"
#include "core/store/writebatch.h"

#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

namespace Pm::Store {

namespace Internal {
class StoreCore;
}

/**
 * Transfers, their idempotency step markers and their statistics. Writes queue on the store's
 * writer (see Store::submit); reads run on the calling thread and see committed data only.
 * Obtained from Store::transfers(); valid while the store lives.
 */
class TransferRepository
{
public:
    /** Inserts the transfer or replaces every column of the stored one. */
    void upsert(TransferRecord record, QObject *context = nullptr, Completion done = {});
    /** Changes the set fields of a stored transfer (fails if there is none). */
    void update(TransferUpdate update, QObject *context = nullptr, Completion done = {});
    /** Inserts or replaces one step marker of a stored transfer. */
    void markStep(StepRecord step, QObject *context = nullptr, Completion done = {});

    /** The transfer with this id, with its model; nullopt if there is none. */
    Pm::Result<std::optional<TransferRecord>> get(const QString &transferId) const;
    /** The newest transfer with this quoteId. */
    Pm::Result<std::optional<TransferRecord>> findByQuoteId(const QString &quoteId) const;
    /** The newest transfer with this transactionId. */
    Pm::Result<std::optional<TransferRecord>> findByTransactionId(const QString &transactionId) const;
    /** The newest transfer with this homeTransactionId. */
    Pm::Result<std::optional<TransferRecord>>
    findByHomeTransactionId(const QString &homeTransactionId) const;

    /**
     * Every transfer not final yet (status Pending), oldest first, with models: what to resume
     * after a restart. Optionally of one direction only.
     */
    Pm::Result<std::vector<TransferRecord>>
    unfinished(std::optional<Direction> direction = std::nullopt) const;

    /** One page of matching transfers, sorted; `model` is left empty in the results. */
    Pm::Result<std::vector<TransferRecord>> search(const TransferQuery &query) const;

    /** How many transfers match (a full count: costs a scan of the matching rows). */
    Pm::Result<qint64> count(const TransferFilter &filter) const;

    /** Transfers initiated in [fromMs, toMs) counted per state, ordered by state. */
    Pm::Result<std::vector<StateCount>> countByState(qint64 fromMs, qint64 toMs) const;

    /**
     * Failed transfers initiated in [fromMs, toMs) grouped by FSPIOP error code, most frequent
     * first (ties by code). Served by the (status, initiated_at) index.
     */
    Pm::Result<std::vector<ErrorCount>> errorCounts(qint64 fromMs, qint64 toMs) const;

    /**
     * Per-minute outcome statistics for the minutes that start in [fromMs, toMs), by completion
     * time, oldest first; minutes without a final transfer are left out. Kept up to date by the
     * database itself (triggers on `transfers`), so this reads at most one row per minute.
     */
    Pm::Result<std::vector<MinuteStats>>
    minuteStats(qint64 fromMs, qint64 toMs, std::optional<Direction> direction = std::nullopt) const;

    /** The step markers of a transfer, in the order they were first written. */
    Pm::Result<std::vector<StepRecord>> steps(const QString &transferId) const;

    /** One step marker of a transfer. */
    Pm::Result<std::optional<StepRecord>> step(const QString &transferId, const QString &step) const;

private:
    friend class Store;
    explicit TransferRepository(Internal::StoreCore *core) : m_core(core) {}
    Pm::Result<std::optional<TransferRecord>> findOne(int statement, const QString &value) const;

    Internal::StoreCore *m_core;
};

} // namespace Pm::Store
