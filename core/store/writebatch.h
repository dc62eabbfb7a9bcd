#pragma once

#include "core/base/result.h"
#include "core/store/records.h"

#include <functional>
#include <variant>
#include <vector>

namespace Pm::Store {

namespace Internal {
class Writer;
}

/** Told when a submitted write is committed (or failed and was rolled back). */
using Completion = std::function<void(const Pm::Result<void> &)>;

/** Removal of one setting (a WriteBatch operation). */
struct SettingRemoval
{
    QString scope;
    QString key;
};

/**
 * Writes that must be stored together: the writer applies the operations in order, and either all
 * of them are committed or none is (they share one transaction, under a savepoint of their own).
 *
 * Typical use: a transfer's new state, the step marker that says which request is about to go
 * out, and the message that carried the change, persisted as one unit before the request is sent.
 *
 * ```
 * Store::WriteBatch batch;
 * batch.updateTransfer(update).markStep(step).appendMessage(message);
 * store.submit(std::move(batch), this, [this](const Pm::Result<void> &r) { ... });
 * ```
 * Value type; building one does not touch the database.
 */
class WriteBatch
{
public:
    /** Inserts the transfer or replaces every column of the stored one. */
    WriteBatch &upsertTransfer(TransferRecord record);
    /** Changes the set fields of an existing transfer; fails the batch if there is none. */
    WriteBatch &updateTransfer(TransferUpdate update);
    /** Inserts or replaces the marker (transfer, step); the transfer must exist. */
    WriteBatch &markStep(StepRecord step);
    /** Appends one message. */
    WriteBatch &appendMessage(MessageRecord message);
    /** Inserts the quote or replaces every column of the stored one (createdAt is kept). */
    WriteBatch &upsertQuote(QuoteRecord quote);
    /** Adds the sample to its minute's metrics row. */
    WriteBatch &addMetric(MetricSample sample);
    /** Appends one audit record. */
    WriteBatch &appendAudit(AuditRecord record);
    /** Inserts or replaces one setting. */
    WriteBatch &setSetting(SettingRecord setting);
    /** Removes one setting (no error if it does not exist). */
    WriteBatch &removeSetting(QString scope, QString key);

    bool isEmpty() const { return m_ops.empty(); }
    qsizetype size() const { return qsizetype(m_ops.size()); }

private:
    friend class Internal::Writer;

    using Op = std::variant<TransferRecord, TransferUpdate, StepRecord, MessageRecord, QuoteRecord,
                            MetricSample, AuditRecord, SettingRecord, SettingRemoval>;
    std::vector<Op> m_ops;
};

} // namespace Pm::Store
