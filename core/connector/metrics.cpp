#include "core/connector/metrics.h"

#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pm::Connector {

Metrics::Metrics()
{
    // The reference's outbound series exist from the start (value 0), as prom-client shows them.
    for (const char *name : {"party_lookup_request", "party_lookup_response", "quote_request",
                             "quote_response", "transfer_prepare", "transfer_fulfil_response"}) {
        m_counters.insert(u"mojaloop_connector_outbound_%1_count"_s.arg(QLatin1StringView(name)),
                          Counter{});
    }
}

const std::vector<double> &Metrics::bounds()
{
    static const std::vector<double> b = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    return b;
}

void Metrics::increment(const QString &name, const QString &help)
{
    Counter &c = m_counters[name];
    if (c.help.isEmpty())
        c.help = help;
    ++c.value;
}

void Metrics::observe(const QString &name, double seconds, const QString &help)
{
    auto it = m_histograms.find(name);
    if (it == m_histograms.end())
        it = m_histograms.insert(name, Histogram{help, std::vector<quint64>(bounds().size(), 0), 0, 0});
    for (size_t i = 0; i < bounds().size(); ++i) {
        if (seconds <= bounds()[i])
            ++it->buckets[i];
    }
    ++it->count;
    it->sum += seconds;
}

void Metrics::fspiopRequest(const QString &direction, const QString &resource,
                            const QByteArray &method, int status, double seconds)
{
    const QString labels = u"direction=\"%1\",resource=\"%2\",method=\"%3\",status=\"%4\""_s.arg(
        direction, resource, QString::fromLatin1(method), QString::number(status));
    ++m_requests[labels];
    observe(u"pm_connector_fspiop_request_seconds{direction=\"%1\",resource=\"%2\"}"_s.arg(
                direction, resource),
            seconds);
}

QByteArray Metrics::render() const
{
    QString out;
    QStringList names = m_counters.keys();
    std::sort(names.begin(), names.end());
    for (const QString &name : names) {
        const Counter &c = m_counters[name];
        out += u"# HELP %1 %2\n# TYPE %1 counter\n%1 %3\n"_s.arg(
            name, c.help.isEmpty() ? name : c.help, QString::number(c.value));
    }
    if (!m_requests.isEmpty()) {
        out += u"# HELP pm_connector_fspiop_requests_total FSPIOP requests by direction, resource, "
               u"method and HTTP status\n# TYPE pm_connector_fspiop_requests_total counter\n"_s;
        QStringList labels = m_requests.keys();
        std::sort(labels.begin(), labels.end());
        for (const QString &l : labels)
            out += u"pm_connector_fspiop_requests_total{%1} %2\n"_s.arg(l, QString::number(m_requests[l]));
    }
    // Histograms: group series by metric name (the part before '{').
    QStringList series = m_histograms.keys();
    std::sort(series.begin(), series.end());
    QString lastName;
    for (const QString &full : series) {
        const qsizetype brace = full.indexOf(u'{');
        const QString name = brace < 0 ? full : full.left(brace);
        const QString labels = brace < 0 ? QString() : full.mid(brace + 1, full.size() - brace - 2);
        const Histogram &h = m_histograms[full];
        if (name != lastName) {
            out += u"# HELP %1 %2\n# TYPE %1 histogram\n"_s.arg(name, h.help.isEmpty() ? name : h.help);
            lastName = name;
        }
        const QString sep = labels.isEmpty() ? QString() : u","_s;
        for (size_t i = 0; i < bounds().size(); ++i) {
            out += u"%1_bucket{%2%3le=\"%4\"} %5\n"_s.arg(name, labels, sep,
                                                          QString::number(bounds()[i]),
                                                          QString::number(h.buckets[i]));
        }
        out += u"%1_bucket{%2%3le=\"+Inf\"} %4\n"_s.arg(name, labels, sep, QString::number(h.count));
        const QString braces = labels.isEmpty() ? QString() : u"{"_s + labels + u"}"_s;
        out += u"%1_sum%2 %3\n%1_count%2 %4\n"_s.arg(name, braces, QString::number(h.sum, 'g', 9),
                                                    QString::number(h.count));
    }
    return out.toUtf8();
}

} // namespace Pm::Connector
