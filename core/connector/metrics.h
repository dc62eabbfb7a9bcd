#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <vector>

namespace Pm::Connector {

/**
 * Prometheus counters and histograms of one connector, rendered as the text exposition format.
 * Not thread-safe: used on the connector's service thread only.
 *
 * Names follow the reference SDK where it has them (mojaloop_connector_outbound_*_count and
 * *_latency, §7 of the reference notes); the per-resource request series are our own:
 * `pm_connector_fspiop_requests_total{direction,resource,method,status}` and
 * `pm_connector_fspiop_request_seconds{direction,resource}`.
 */
class Metrics
{
public:
    Metrics();

    /** Adds one to the counter `name` (created with `help` on first use). */
    void increment(const QString &name, const QString &help = {});
    /** Records `seconds` in the histogram `name` (created with `help` on first use). */
    void observe(const QString &name, double seconds, const QString &help = {});
    /**
     * Records one FSPIOP exchange: `direction` "in" or "out", the resource ("quotes"), the method,
     * the HTTP status (0 when no response came) and how long it took.
     */
    void fspiopRequest(const QString &direction, const QString &resource, const QByteArray &method,
                       int status, double seconds);

    /** The whole registry in Prometheus text format 0.0.4. */
    QByteArray render() const;

private:
    struct Histogram
    {
        QString help;
        std::vector<quint64> buckets; ///< cumulative counts per bound
        quint64 count = 0;
        double sum = 0;
    };
    struct Counter
    {
        QString help;
        quint64 value = 0;
    };
    static const std::vector<double> &bounds();
    QHash<QString, Counter> m_counters;      ///< name → counter
    QHash<QString, Histogram> m_histograms;  ///< full series name (with labels) → histogram
    QHash<QString, quint64> m_requests;      ///< label set → count
};

} // namespace Pm::Connector
