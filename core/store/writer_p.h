#pragma once

#include "core/base/result.h"
#include "core/store/storecore_p.h"
#include "core/store/writebatch.h"

#include <QObject>

#include <memory>
#include <vector>

namespace Pm::Store::Internal {

class Connection;

/**
 * The one writer of a store. Lives on the store's thread (moved there by Store) and owns the
 * writer connection, which is opened and closed on that thread. Everything runs from queued calls.
 */
class Writer : public QObject
{
public:
    explicit Writer(std::shared_ptr<StoreCore> core);
    ~Writer() override;

    /** Opens the connection and migrates the schema. */
    Pm::Result<void> open();
    /** Writes everything still queued, then closes the connection. */
    void close();
    /** Writes the units waiting now (up to maxBatchUnits) in one transaction; re-posts if more. */
    void drain();

private:
    /** Applies one taken batch of units and reports their results. */
    void process(std::vector<PendingUnit> &units);
    /**
     * One transaction over the units. Without savepoints the first failing unit aborts the whole
     * transaction (returns false); with them each unit is applied or rolled back on its own.
     */
    bool runTransaction(std::vector<PendingUnit> &units, std::vector<Pm::Result<void>> &results,
                        bool isolateUnits);
    Pm::Result<void> applyUnit(const WriteBatch &batch);
    Pm::Result<void> apply(const TransferRecord &record);
    Pm::Result<void> apply(const TransferUpdate &update);
    Pm::Result<void> apply(const StepRecord &step);
    Pm::Result<void> apply(const MessageRecord &message);
    Pm::Result<void> apply(const QuoteRecord &quote);
    Pm::Result<void> apply(const MetricSample &sample);
    Pm::Result<void> apply(const AuditRecord &record);
    Pm::Result<void> apply(const SettingRecord &setting);
    Pm::Result<void> apply(const SettingRemoval &removal);
    Pm::Result<void> execStatement(int statement, const QString &what);
    void deliver(std::vector<PendingUnit> &units, std::vector<Pm::Result<void>> &results);

    std::shared_ptr<StoreCore> m_core;
    std::unique_ptr<Connection> m_connection;
};

} // namespace Pm::Store::Internal
