#pragma once

#include "ui/data/portaldata.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QTableWidget;
class QTimer;

namespace Pm::Ui {

class ChartPanel;
class StoreAccess;

/**
 * Technical dashboard: requests per second and average latency per minute for party lookup, quote
 * and transfer, inbound and outbound, from the store's per-minute metrics samples; live.
 */
class TechnicalPage : public QWidget
{
    Q_OBJECT

public:
    explicit TechnicalPage(StoreAccess *access, QWidget *parent = nullptr);

    void setPreset(WindowPreset preset);
    TimeWindow window() const;
    void setRefreshInterval(int ms);
    const MetricsData &data() const { return m_data; }
    ChartPanel *requestsChart() const { return m_requests; }
    ChartPanel *latencyChart() const { return m_latency; }
    QTableWidget *summary() const { return m_summary; }

public slots:
    void refresh();

signals:
    void refreshed();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void display(const MetricsData &data);

    StoreAccess *m_access;
    MetricsData m_data;
    bool m_loading = false;
    QComboBox *m_windowCombo = nullptr;
    QLabel *m_status = nullptr;
    ChartPanel *m_requests = nullptr;
    ChartPanel *m_latency = nullptr;
    QTableWidget *m_summary = nullptr;
    QTimer *m_timer = nullptr;
};

} // namespace Pm::Ui
