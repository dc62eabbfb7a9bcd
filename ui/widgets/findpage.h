#pragma once

#include "core/store/records.h"
#include "ui/data/transferexport.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace Pm::Ui {

class StoreAccess;
class TransferTableModel;

/**
 * Find a transfer: filters (id, date range with presets, direction, payee alias, counterparty,
 * status, currency, amount range), a sortable lazily loaded results table, export to CSV / XLSX.
 */
class FindPage : public QWidget
{
    Q_OBJECT

public:
    enum class DatePreset { Any, LastHour, LastDay, LastWeek, LastMonth, Custom };

    explicit FindPage(StoreAccess *access, QWidget *parent = nullptr);

    TransferTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

    /** The filter the form describes; an error message names the field at fault. */
    Pm::Result<Store::TransferFilter> filterFromForm() const;

    /** Shows every failed transfer initiated in [fromMs, toMs) (the overview's "view all"). */
    void showFailed(qint64 fromMs, qint64 toMs);

    /**
     * Exports the current results to `path` on the worker with a progress dialog; `finished` is
     * emitted with the row count or an error. Returns at once.
     */
    void exportTo(const QString &path, ExportFormat format);

public slots:
    /** Runs the search the form describes. */
    void search();
    void clearFilters();

signals:
    void transferActivated(const QString &transferId);
    void exportFinished(bool ok, qint64 rows, const QString &message);

private:
    void exportWithDialog(ExportFormat format);
    void updateSummary();

    StoreAccess *m_access;
    TransferTableModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_id = nullptr;
    QComboBox *m_datePreset = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QComboBox *m_direction = nullptr;
    QComboBox *m_status = nullptr;
    QComboBox *m_aliasType = nullptr;
    QLineEdit *m_aliasValue = nullptr;
    QLineEdit *m_aliasSubValue = nullptr;
    QLineEdit *m_counterparty = nullptr;
    QLineEdit *m_currency = nullptr;
    QLineEdit *m_amountMin = nullptr;
    QLineEdit *m_amountMax = nullptr;
    QLabel *m_summary = nullptr;
    QPushButton *m_csv = nullptr;
    QPushButton *m_xlsx = nullptr;
    bool m_exporting = false;
};

} // namespace Pm::Ui
