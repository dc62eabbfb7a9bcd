#pragma once

#include "core/base/result.h"
#include "core/store/records.h"
#include "core/store/writebatch.h"

#include <vector>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

namespace Pm::Store {

namespace Internal {
class StoreCore;
}

/**
 * Per-minute counters of FSPIOP exchanges (count, errors, latency sum, max and histogram) per
 * resource and direction, for the dashboards. From Store::metrics().
 */
class MetricsRepository
{
public:
    /** Adds one observation to its minute's row. */
    void add(MetricSample sample, QObject *context = nullptr, Completion done = {});

    /**
     * The rows of the minutes that start in [fromMs, toMs), ordered by minute, resource and
     * direction; optionally of one resource only.
     */
    Pm::Result<std::vector<MetricRow>> rows(qint64 fromMs, qint64 toMs,
                                            const QString &resource = {}) const;

private:
    friend class Store;
    explicit MetricsRepository(Internal::StoreCore *core) : m_core(core) {}

    Internal::StoreCore *m_core;
};

} // namespace Pm::Store
