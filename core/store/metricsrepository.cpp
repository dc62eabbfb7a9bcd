#include "core/store/metricsrepository.h"

#include "core/store/reads_p.h"

namespace Pm::Store {

using namespace Internal;

namespace {

qint64 firstMinuteAtOrAfter(qint64 ms)
{
    const qint64 minute = ms / 60000;
    return minute * 60000 < ms ? minute + 1 : minute;
}

} // namespace

void MetricsRepository::add(MetricSample sample, QObject *context, Completion done)
{
    WriteBatch batch;
    batch.addMetric(std::move(sample));
    m_core->submit(std::move(batch), context, std::move(done));
}

Pm::Result<std::vector<MetricRow>> MetricsRepository::rows(qint64 fromMs, qint64 toMs,
                                                           const QString &resource) const
{
    const qint64 from = firstMinuteAtOrAfter(fromMs);
    const qint64 to = firstMinuteAtOrAfter(toMs);
    if (!resource.isEmpty())
        return selectRows(*m_core, MetricsOfResource, {from, to, resource}, metricFromRow);
    return selectRows(*m_core, MetricsAll, {from, to}, metricFromRow);
}

} // namespace Pm::Store
