#include "ui/widgets/findpage.h"

#include "core/store/store.h"
#include "ui/data/portaldata.h"
#include "ui/data/storeaccess.h"
#include "ui/models/transfertablemodel.h"

#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;

namespace Pm::Ui {

namespace {

QLabel *buddyLabel(const QString &text, QWidget *buddy, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setBuddy(buddy);
    return label;
}

} // namespace

FindPage::FindPage(StoreAccess *access, QWidget *parent)
    : QWidget(parent)
    , m_access(access)
{
    setObjectName(u"findPage"_s);

    m_id = new QLineEdit(this);
    m_id->setObjectName(u"filterId"_s);
    m_id->setPlaceholderText(tr("part of a transfer ID"));
    m_id->setAccessibleName(tr("Transfer ID contains"));
    m_id->setClearButtonEnabled(true);

    m_datePreset = new QComboBox(this);
    m_datePreset->setObjectName(u"filterDatePreset"_s);
    m_datePreset->addItem(tr("Any time"), int(DatePreset::Any));
    m_datePreset->addItem(tr("Last hour"), int(DatePreset::LastHour));
    m_datePreset->addItem(tr("Last 24 hours"), int(DatePreset::LastDay));
    m_datePreset->addItem(tr("Last 7 days"), int(DatePreset::LastWeek));
    m_datePreset->addItem(tr("Last 30 days"), int(DatePreset::LastMonth));
    m_datePreset->addItem(tr("Custom range"), int(DatePreset::Custom));
    m_datePreset->setAccessibleName(tr("Date range"));
    const QDateTime now = QDateTime::currentDateTime();
    m_from = new QDateTimeEdit(now.addDays(-1), this);
    m_from->setObjectName(u"filterFrom"_s);
    m_from->setCalendarPopup(true);
    m_from->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
    m_from->setAccessibleName(tr("Initiated from"));
    m_to = new QDateTimeEdit(now, this);
    m_to->setObjectName(u"filterTo"_s);
    m_to->setCalendarPopup(true);
    m_to->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
    m_to->setAccessibleName(tr("Initiated before"));
    m_from->setEnabled(false);
    m_to->setEnabled(false);
    connect(m_datePreset, &QComboBox::currentIndexChanged, this, [this] {
        const bool custom = m_datePreset->currentData().toInt() == int(DatePreset::Custom);
        m_from->setEnabled(custom);
        m_to->setEnabled(custom);
    });

    m_direction = new QComboBox(this);
    m_direction->setObjectName(u"filterDirection"_s);
    m_direction->addItem(tr("Both directions"), -1);
    m_direction->addItem(tr("Outbound (we pay)"), int(Store::Direction::Outbound));
    m_direction->addItem(tr("Inbound (we receive)"), int(Store::Direction::Inbound));
    m_direction->setAccessibleName(tr("Direction"));

    m_status = new QComboBox(this);
    m_status->setObjectName(u"filterStatus"_s);
    m_status->addItem(tr("Any status"), -1);
    m_status->addItem(tr("Successful"), int(Store::TransferStatus::Completed));
    m_status->addItem(tr("Pending"), int(Store::TransferStatus::Pending));
    m_status->addItem(tr("Failed"), int(Store::TransferStatus::Failed));
    m_status->setAccessibleName(tr("Status"));

    m_aliasType = new QComboBox(this);
    m_aliasType->setObjectName(u"filterAliasType"_s);
    m_aliasType->setEditable(true);
    m_aliasType->addItem(QString());
    for (const QString &type : { u"MSISDN"_s, u"EMAIL"_s, u"PERSONAL_ID"_s, u"BUSINESS"_s,
             u"DEVICE"_s, u"ACCOUNT_ID"_s, u"IBAN"_s, u"ALIAS"_s })
        m_aliasType->addItem(type);
    m_aliasType->setAccessibleName(tr("Payee ID type"));
    m_aliasValue = new QLineEdit(this);
    m_aliasValue->setObjectName(u"filterAliasValue"_s);
    m_aliasValue->setAccessibleName(tr("Payee ID value"));
    m_aliasValue->setClearButtonEnabled(true);
    m_aliasSubValue = new QLineEdit(this);
    m_aliasSubValue->setObjectName(u"filterAliasSubValue"_s);
    m_aliasSubValue->setAccessibleName(tr("Payee sub-ID"));
    m_aliasSubValue->setClearButtonEnabled(true);

    m_counterparty = new QLineEdit(this);
    m_counterparty->setObjectName(u"filterCounterparty"_s);
    m_counterparty->setPlaceholderText(tr("FSP ID"));
    m_counterparty->setAccessibleName(tr("Counterparty institution"));
    m_counterparty->setClearButtonEnabled(true);
    m_currency = new QLineEdit(this);
    m_currency->setObjectName(u"filterCurrency"_s);
    m_currency->setMaxLength(3);
    m_currency->setPlaceholderText(tr("e.g. USD"));
    m_currency->setAccessibleName(tr("Currency"));
    m_amountMin = new QLineEdit(this);
    m_amountMin->setObjectName(u"filterAmountMin"_s);
    m_amountMin->setAccessibleName(tr("Minimum amount"));
    m_amountMin->setPlaceholderText(tr("min"));
    m_amountMax = new QLineEdit(this);
    m_amountMax->setObjectName(u"filterAmountMax"_s);
    m_amountMax->setAccessibleName(tr("Maximum amount"));
    m_amountMax->setPlaceholderText(tr("max"));

    auto *searchButton = new QPushButton(tr("&Search"), this);
    searchButton->setObjectName(u"searchButton"_s);
    searchButton->setDefault(true);
    searchButton->setAccessibleName(tr("Search transfers"));
    auto *clearButton = new QPushButton(tr("C&lear"), this);
    clearButton->setObjectName(u"clearButton"_s);
    clearButton->setAccessibleName(tr("Clear the filters"));
    m_csv = new QPushButton(tr("Export &CSV…"), this);
    m_csv->setObjectName(u"exportCsvButton"_s);
    m_csv->setAccessibleName(tr("Export the results as CSV"));
    m_xlsx = new QPushButton(tr("Export &XLSX…"), this);
    m_xlsx->setObjectName(u"exportXlsxButton"_s);
    m_xlsx->setAccessibleName(tr("Export the results as an Excel workbook"));

    auto *form = new QGridLayout;
    form->addWidget(buddyLabel(tr("Transfer &ID:"), m_id, this), 0, 0);
    form->addWidget(m_id, 0, 1, 1, 3);
    form->addWidget(buddyLabel(tr("&Date:"), m_datePreset, this), 0, 4);
    form->addWidget(m_datePreset, 0, 5);
    form->addWidget(m_from, 0, 6);
    form->addWidget(m_to, 0, 7);
    form->addWidget(buddyLabel(tr("Di&rection:"), m_direction, this), 1, 0);
    form->addWidget(m_direction, 1, 1);
    form->addWidget(buddyLabel(tr("S&tatus:"), m_status, this), 1, 2);
    form->addWidget(m_status, 1, 3);
    form->addWidget(buddyLabel(tr("C&ounterparty:"), m_counterparty, this), 1, 4);
    form->addWidget(m_counterparty, 1, 5);
    form->addWidget(buddyLabel(tr("C&urrency:"), m_currency, this), 1, 6);
    form->addWidget(m_currency, 1, 7);
    form->addWidget(buddyLabel(tr("&Payee ID type:"), m_aliasType, this), 2, 0);
    form->addWidget(m_aliasType, 2, 1);
    form->addWidget(buddyLabel(tr("Payee ID &value:"), m_aliasValue, this), 2, 2);
    form->addWidget(m_aliasValue, 2, 3);
    form->addWidget(buddyLabel(tr("Sub-I&D:"), m_aliasSubValue, this), 2, 4);
    form->addWidget(m_aliasSubValue, 2, 5);
    form->addWidget(buddyLabel(tr("&Amount:"), m_amountMin, this), 2, 6);
    auto *amounts = new QHBoxLayout;
    amounts->addWidget(m_amountMin);
    amounts->addWidget(new QLabel(u"–"_s, this));
    amounts->addWidget(m_amountMax);
    form->addLayout(amounts, 2, 7);

    auto *buttons = new QHBoxLayout;
    m_summary = new QLabel(this);
    m_summary->setObjectName(u"resultSummary"_s);
    m_summary->setAccessibleName(tr("Search result count"));
    buttons->addWidget(searchButton);
    buttons->addWidget(clearButton);
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_csv);
    buttons->addWidget(m_xlsx);

    m_model = new TransferTableModel(access, this);
    m_view = new QTableView(this);
    m_view->setObjectName(u"resultsView"_s);
    m_view->setAccessibleName(tr("Transfers found"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setTabKeyNavigation(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSortIndicator(
        TransferTableModel::InitiatedColumn, Qt::DescendingOrder);
    m_view->horizontalHeader()->setSortIndicatorShown(true);
    m_view->horizontalHeader()->setSectionsClickable(true);
    m_view->setColumnWidth(TransferTableModel::InitiatedColumn, 150);
    m_view->setColumnWidth(TransferTableModel::IdColumn, 290);
    connect(m_view->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
        [this](int column, Qt::SortOrder order) {
            if (TransferTableModel::isSortable(column)) {
                m_model->sort(column, order);
                return;
            }
            // Only the store's indexed orders are offered; put the indicator back.
            const Store::TransferQuery q = m_model->query();
            const int current = q.sortKey == Store::TransferSortKey::Id
                ? int(TransferTableModel::IdColumn)
                : q.sortKey == Store::TransferSortKey::AmountMinor
                ? int(TransferTableModel::AmountColumn)
                : int(TransferTableModel::InitiatedColumn);
            const QSignalBlocker blocker(m_view->horizontalHeader());
            m_view->horizontalHeader()->setSortIndicator(current, q.order);
        });
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (index.isValid())
            emit transferActivated(m_model->transfer(index.row()).id);
    });
    connect(m_model, &TransferTableModel::pageLoaded, this, &FindPage::updateSummary);
    connect(m_model, &TransferTableModel::totalCountChanged, this, &FindPage::updateSummary);
    connect(m_model, &TransferTableModel::loadFailed, this, [this](const QString &message) {
        m_summary->setText(tr("Cannot read the store: %1").arg(message));
    });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_view, 1);

    const QList<QWidget *> order = { m_id, m_datePreset, m_from, m_to, m_direction, m_status,
        m_counterparty, m_currency, m_aliasType, m_aliasValue, m_aliasSubValue, m_amountMin,
        m_amountMax, searchButton, clearButton, m_csv, m_xlsx, m_view };
    for (qsizetype i = 1; i < order.size(); ++i)
        setTabOrder(order[i - 1], order[i]);

    connect(searchButton, &QPushButton::clicked, this, &FindPage::search);
    connect(clearButton, &QPushButton::clicked, this, &FindPage::clearFilters);
    for (QLineEdit *edit : { m_id, m_aliasValue, m_aliasSubValue, m_counterparty, m_currency,
             m_amountMin, m_amountMax })
        connect(edit, &QLineEdit::returnPressed, this, &FindPage::search);
    connect(m_csv, &QPushButton::clicked, this, [this] { exportWithDialog(ExportFormat::Csv); });
    connect(m_xlsx, &QPushButton::clicked, this, [this] { exportWithDialog(ExportFormat::Xlsx); });
}

Pm::Result<Store::TransferFilter> FindPage::filterFromForm() const
{
    Store::TransferFilter f;
    f.idContains = m_id->text().trimmed();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    constexpr qint64 Hour = 3600'000;
    switch (DatePreset(m_datePreset->currentData().toInt())) {
    case DatePreset::Any:
        break;
    case DatePreset::LastHour:
        f.initiatedFrom = now - Hour;
        break;
    case DatePreset::LastDay:
        f.initiatedFrom = now - 24 * Hour;
        break;
    case DatePreset::LastWeek:
        f.initiatedFrom = now - 7 * 24 * Hour;
        break;
    case DatePreset::LastMonth:
        f.initiatedFrom = now - 30 * 24 * Hour;
        break;
    case DatePreset::Custom:
        f.initiatedFrom = m_from->dateTime().toMSecsSinceEpoch();
        f.initiatedTo = m_to->dateTime().toMSecsSinceEpoch();
        if (*f.initiatedTo <= *f.initiatedFrom)
            return std::unexpected(
                Pm::Error { 0, tr("Date: the end must be after the start"), {} });
        break;
    }
    if (const int d = m_direction->currentData().toInt(); d >= 0)
        f.direction = Store::Direction(d);
    if (const int s = m_status->currentData().toInt(); s >= 0)
        f.status = Store::TransferStatus(s);
    f.payeeIdType = m_aliasType->currentText().trimmed();
    f.payeeIdValue = m_aliasValue->text().trimmed();
    f.payeeSubId = m_aliasSubValue->text().trimmed();
    f.counterpartyFspId = m_counterparty->text().trimmed();
    f.currency = m_currency->text().trimmed().toUpper();
    const QString min = m_amountMin->text().trimmed();
    const QString max = m_amountMax->text().trimmed();
    if ((!min.isEmpty() || !max.isEmpty()) && f.currency.isEmpty())
        return std::unexpected(
            Pm::Error { 0, tr("Amount: choose a currency to filter by amount"), {} });
    if (!min.isEmpty()) {
        f.amountMinorMin = amountToMinor(min, f.currency);
        if (!f.amountMinorMin)
            return std::unexpected(Pm::Error {
                0, tr("Amount: '%1' is not an amount in %2").arg(min, f.currency), {} });
    }
    if (!max.isEmpty()) {
        f.amountMinorMax = amountToMinor(max, f.currency);
        if (!f.amountMinorMax)
            return std::unexpected(Pm::Error {
                0, tr("Amount: '%1' is not an amount in %2").arg(max, f.currency), {} });
    }
    return f;
}

void FindPage::search()
{
    auto filter = filterFromForm();
    if (!filter) {
        m_summary->setText(filter.error().message);
        return;
    }
    m_summary->setText(tr("Searching…"));
    m_model->setFilter(*filter);
}

void FindPage::clearFilters()
{
    for (QLineEdit *edit : { m_id, m_aliasValue, m_aliasSubValue, m_counterparty, m_currency,
             m_amountMin, m_amountMax })
        edit->clear();
    m_aliasType->setCurrentIndex(0);
    m_datePreset->setCurrentIndex(0);
    m_direction->setCurrentIndex(0);
    m_status->setCurrentIndex(0);
}

void FindPage::showFailed(qint64 fromMs, qint64 toMs)
{
    clearFilters();
    m_status->setCurrentIndex(m_status->findData(int(Store::TransferStatus::Failed)));
    m_datePreset->setCurrentIndex(m_datePreset->findData(int(DatePreset::Custom)));
    m_from->setDateTime(QDateTime::fromMSecsSinceEpoch(fromMs));
    m_to->setDateTime(QDateTime::fromMSecsSinceEpoch(toMs));
    search();
}

void FindPage::updateSummary()
{
    const QLocale locale;
    const qint64 total = m_model->totalCount();
    if (total >= 0)
        m_summary->setText(tr("%1 transfers found, %2 loaded")
                               .arg(locale.toString(total), locale.toString(m_model->rowCount())));
    else
        m_summary->setText(tr("%1 loaded, counting…").arg(locale.toString(m_model->rowCount())));
}

void FindPage::exportWithDialog(ExportFormat format)
{
    const bool csv = format == ExportFormat::Csv;
    QString path = QFileDialog::getSaveFileName(this, tr("Export transfers"), {},
        csv ? tr("CSV file (*.csv)") : tr("Excel workbook (*.xlsx)"));
    if (path.isEmpty())
        return;
    const QString suffix = csv ? u".csv"_s : u".xlsx"_s;
    if (!path.endsWith(suffix, Qt::CaseInsensitive))
        path += suffix;
    exportTo(path, format);
}

void FindPage::exportTo(const QString &path, ExportFormat format)
{
    if (m_exporting || !m_access)
        return;
    m_exporting = true;
    m_csv->setEnabled(false);
    m_xlsx->setEnabled(false);

    auto *progress = new QProgressDialog(tr("Exporting transfers…"), tr("Cancel"), 0, 100, this);
    progress->setObjectName(u"exportProgress"_s);
    progress->setWindowTitle(tr("Export"));
    progress->setAccessibleName(tr("Export progress"));
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(300);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    progress->setValue(0);
    auto cancelled = std::make_shared<std::atomic_bool>(false);
    connect(progress, &QProgressDialog::canceled, this, [cancelled] { *cancelled = true; });

    const Store::TransferQuery query = m_model->query();
    QPointer<QProgressDialog> dialog(progress);
    m_access->run(
        this,
        [query, path, format, cancelled, dialog](Store::Store &store) {
            return exportTransfers(
                store, query, path, format, [cancelled, dialog](qint64 written, qint64 total) {
                    const int percent = total > 0 ? int(100 * written / total) : 100;
                    QMetaObject::invokeMethod(
                        qApp,
                        [dialog, percent] {
                            if (dialog)
                                dialog->setValue(percent);
                        },
                        Qt::QueuedConnection);
                    return !cancelled->load();
                });
        },
        [this, progress, path](const Pm::Result<qint64> &result) {
            m_exporting = false;
            m_csv->setEnabled(true);
            m_xlsx->setEnabled(true);
            progress->deleteLater();
            if (result) {
                m_summary->setText(
                    tr("Exported %1 transfers to %2").arg(QLocale().toString(*result)).arg(path));
                emit exportFinished(true, *result, path);
            } else {
                m_summary->setText(tr("Export failed: %1").arg(result.error().message));
                emit exportFinished(false, 0, result.error().message);
            }
        });
}

} // namespace Pm::Ui
