#pragma once

#include "ui/data/portaldata.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QTableWidget;
class QTimer;

namespace Pm::Ui {

class ChartPanel;
class StoreAccess;

/**
 * Transfers overview: success rate and average end-to-end time per minute over a window, counts
 * of successful, pending and failed transfers, the error breakdown and the latest errors. Polls
 * the store on a timer so it follows transfers as they complete.
 */
class OverviewPage : public QWidget
{
    Q_OBJECT

public:
    explicit OverviewPage(StoreAccess *access, QWidget *parent = nullptr);

    /** The window shown (custom or a preset ending now). */
    TimeWindow window() const;
    void setPreset(WindowPreset preset);
    void setCustomWindow(qint64 fromMs, qint64 toMs);
    /** How often it reloads (default 5 s; 0 stops live updates). */
    void setRefreshInterval(int ms);

    const OverviewData &data() const { return m_data; }
    ChartPanel *successChart() const { return m_success; }
    ChartPanel *endToEndChart() const { return m_endToEnd; }

public slots:
    /** Runs the overview's queries now (on the worker) and shows the result when it arrives. */
    void refresh();

signals:
    /** Counts, charts and latest errors of a refresh are on screen (the error breakdown may
     * follow). */
    void summaryShown();
    /** Everything of a refresh is on screen. */
    void refreshed();
    /** "View all" of the latest errors: show every failed transfer of the window. */
    void viewAllErrorsRequested(qint64 fromMs, qint64 toMs);
    /** A latest error was activated. */
    void transferActivated(const QString &transferId);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void display(const OverviewData &data);
    void displayErrors(const OverviewData &data);

    StoreAccess *m_access;
    OverviewData m_data;
    int m_pendingParts = 0; ///< queries of the running refresh not answered yet
    bool m_again = false;
    QComboBox *m_windowCombo = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QLabel *m_successful = nullptr;
    QLabel *m_pending = nullptr;
    QLabel *m_failed = nullptr;
    QLabel *m_rate = nullptr;
    QLabel *m_status = nullptr;
    ChartPanel *m_success = nullptr;
    ChartPanel *m_endToEnd = nullptr;
    QTableWidget *m_errors = nullptr;
    QTableWidget *m_latest = nullptr;
    QTimer *m_timer = nullptr;
};

} // namespace Pm::Ui
