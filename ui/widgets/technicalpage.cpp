#include "ui/widgets/technicalpage.h"

#include "ui/data/storeaccess.h"
#include "ui/widgets/chartpanel.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pm::Ui {

TechnicalPage::TechnicalPage(StoreAccess *access, QWidget *parent)
    : QWidget(parent)
    , m_access(access)
{
    setObjectName(u"technicalPage"_s);
    m_windowCombo = new QComboBox(this);
    m_windowCombo->setObjectName(u"technicalWindow"_s);
    m_windowCombo->addItem(tr("Last hour"), int(WindowPreset::LastHour));
    m_windowCombo->addItem(tr("Last 24 hours"), int(WindowPreset::LastDay));
    m_windowCombo->addItem(tr("Last week"), int(WindowPreset::LastWeek));
    m_windowCombo->setAccessibleName(tr("Time window"));
    auto *label = new QLabel(tr("&Window:"), this);
    label->setBuddy(m_windowCombo);
    auto *refreshButton = new QPushButton(tr("&Refresh"), this);
    refreshButton->setAccessibleName(tr("Refresh the technical dashboard"));
    m_status = new QLabel(this);
    m_status->setAccessibleName(tr("Dashboard status"));
    auto *top = new QHBoxLayout;
    top->addWidget(label);
    top->addWidget(m_windowCombo);
    top->addWidget(refreshButton);
    top->addStretch(1);
    top->addWidget(m_status);

    m_requests = new ChartPanel(tr("Requests per second"), tr("requests/s"), this);
    m_requests->setObjectName(u"requestsChart"_s);
    m_latency = new ChartPanel(tr("Average latency"), tr("Milliseconds"), this);
    m_latency->setObjectName(u"latencyChart"_s);
    auto *charts = new QHBoxLayout;
    charts->addWidget(m_requests);
    charts->addWidget(m_latency);

    m_summary = new QTableWidget(0, 7, this);
    m_summary->setObjectName(u"metricsSummary"_s);
    m_summary->setHorizontalHeaderLabels(
        { tr("Operation"), tr("Direction"), tr("Requests"), tr("Errors"), tr("Average requests/s"),
            tr("Average latency (ms)"), tr("Highest latency (ms)") });
    m_summary->verticalHeader()->hide();
    m_summary->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_summary->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_summary->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_summary->setAccessibleName(tr("Metrics summary"));
    m_summary->setTabKeyNavigation(false);
    m_summary->setMaximumHeight(230);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(charts, 3);
    layout->addWidget(m_summary, 1);

    connect(m_windowCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_requests->resetZoom();
        m_latency->resetZoom();
        refresh();
    });
    connect(refreshButton, &QPushButton::clicked, this, &TechnicalPage::refresh);
    m_timer = new QTimer(this);
    m_timer->setInterval(5000);
    // Live updates only while the page is on screen; it catches up when shown again.
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
    });
    m_timer->start();
    m_windowCombo->setCurrentIndex(0);
}

void TechnicalPage::setPreset(WindowPreset preset)
{
    m_windowCombo->setCurrentIndex(m_windowCombo->findData(int(preset)));
}

TimeWindow TechnicalPage::window() const
{
    return presetWindow(
        WindowPreset(m_windowCombo->currentData().toInt()), QDateTime::currentMSecsSinceEpoch());
}

void TechnicalPage::setRefreshInterval(int ms)
{
    if (ms <= 0)
        m_timer->stop();
    else
        m_timer->start(ms);
}

void TechnicalPage::refresh()
{
    if (!m_access || m_loading)
        return;
    m_loading = true;
    const TimeWindow w = window();
    m_access->run(
        this, [w](Store::Store &store) { return loadMetrics(store, w); },
        [this](const MetricsData &data) {
            m_loading = false;
            display(data);
        });
}

void TechnicalPage::display(const MetricsData &data)
{
    m_data = data;
    const QLocale locale;
    m_status->setText(data.error.isEmpty()
            ? tr("Updated %1").arg(QDateTime::currentDateTime().toString(u"HH:mm:ss"_s))
            : tr("Cannot read the store: %1").arg(data.error));
    QStringList names;
    QList<QList<QPointF>> requests, latency;
    m_summary->setRowCount(int(data.series.size()));
    const double minutes = double(data.window.toMs - data.window.fromMs) / 60000.0;
    for (int i = 0; i < int(data.series.size()); ++i) {
        const MetricSeries &s = data.series[size_t(i)];
        names << u"%1 (%2)"_s.arg(resourceText(s.resource),
            s.direction == Store::MessageDirection::In ? tr("inbound") : tr("outbound"));
        QList<QPointF> r, l;
        for (qsizetype k = 0; k < s.minutes.size(); ++k) {
            r.append(QPointF(double(s.minutes[k]), s.requestsPerSec[k]));
            l.append(QPointF(double(s.minutes[k]), s.averageLatencyMs[k]));
        }
        requests.append(r);
        latency.append(l);
        const QStringList cells = { resourceText(s.resource),
            s.direction == Store::MessageDirection::In ? tr("Inbound") : tr("Outbound"),
            locale.toString(s.requests), locale.toString(s.errors),
            locale.toString(minutes > 0 ? double(s.requests) / (minutes * 60.0) : 0.0, 'f', 2),
            locale.toString(
                s.requests > 0 ? double(s.latencySumMs) / double(s.requests) : 0.0, 'f', 1),
            locale.toString(s.latencyMaxMs) };
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            if (c >= 2)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_summary->setItem(i, c, item);
        }
    }
    m_requests->setData(names, requests, data.window.fromMs, data.window.toMs);
    m_latency->setData(names, latency, data.window.fromMs, data.window.toMs);
    emit refreshed();
}

void TechnicalPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // The first showing loads the page; later ones catch up when updates are live.
    if (m_timer->isActive() || m_data.window.toMs == 0)
        refresh();
}

} // namespace Pm::Ui
