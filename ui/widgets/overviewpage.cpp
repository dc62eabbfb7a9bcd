#include "ui/widgets/overviewpage.h"

#include "ui/data/storeaccess.h"
#include "ui/widgets/chartpanel.h"

#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pm::Ui {

namespace {

QLabel *bigNumber(const QString &accessibleName, const QString &color, QWidget *parent)
{
    auto *label = new QLabel(u"–"_s, parent);
    QFont font = label->font();
    font.setPointSize(font.pointSize() * 2);
    font.setBold(true);
    label->setFont(font);
    label->setStyleSheet(u"color: %1"_s.arg(color));
    label->setAccessibleName(accessibleName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

QTableWidget *makeTable(const QStringList &headers, const QString &accessibleName, QWidget *parent)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setAccessibleName(accessibleName);
    table->setTabKeyNavigation(false);
    return table;
}

} // namespace

OverviewPage::OverviewPage(StoreAccess *access, QWidget *parent)
    : QWidget(parent)
    , m_access(access)
{
    setObjectName(u"overviewPage"_s);

    // Window selection.
    m_windowCombo = new QComboBox(this);
    m_windowCombo->setObjectName(u"overviewWindow"_s);
    m_windowCombo->addItem(tr("Last hour"), int(WindowPreset::LastHour));
    m_windowCombo->addItem(tr("Last 24 hours"), int(WindowPreset::LastDay));
    m_windowCombo->addItem(tr("Last week"), int(WindowPreset::LastWeek));
    m_windowCombo->addItem(tr("Custom"), int(WindowPreset::Custom));
    m_windowCombo->setCurrentIndex(1);
    m_windowCombo->setAccessibleName(tr("Time window"));
    auto *windowLabel = new QLabel(tr("&Window:"), this);
    windowLabel->setBuddy(m_windowCombo);
    const QDateTime now = QDateTime::currentDateTime();
    m_from = new QDateTimeEdit(now.addDays(-1), this);
    m_from->setObjectName(u"overviewFrom"_s);
    m_from->setCalendarPopup(true);
    m_from->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
    m_from->setAccessibleName(tr("Custom window start"));
    m_to = new QDateTimeEdit(now, this);
    m_to->setObjectName(u"overviewTo"_s);
    m_to->setCalendarPopup(true);
    m_to->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
    m_to->setAccessibleName(tr("Custom window end"));
    m_from->setEnabled(false);
    m_to->setEnabled(false);
    auto *refreshButton = new QPushButton(tr("&Refresh"), this);
    refreshButton->setObjectName(u"overviewRefresh"_s);
    refreshButton->setAccessibleName(tr("Refresh the overview"));
    m_status = new QLabel(this);
    m_status->setAccessibleName(tr("Overview status"));

    auto *top = new QHBoxLayout;
    top->addWidget(windowLabel);
    top->addWidget(m_windowCombo);
    top->addWidget(new QLabel(tr("From"), this));
    top->addWidget(m_from);
    top->addWidget(new QLabel(tr("to"), this));
    top->addWidget(m_to);
    top->addWidget(refreshButton);
    top->addStretch(1);
    top->addWidget(m_status);

    // Counts.
    m_successful = bigNumber(tr("Successful transfers"), u"#1b7f3a"_s, this);
    m_successful->setObjectName(u"countSuccessful"_s);
    m_pending = bigNumber(tr("Pending transfers"), u"#9a6a00"_s, this);
    m_pending->setObjectName(u"countPending"_s);
    m_failed = bigNumber(tr("Failed transfers"), u"#b02020"_s, this);
    m_failed->setObjectName(u"countFailed"_s);
    m_rate = bigNumber(tr("Success rate"), u"palette(text)"_s, this);
    m_rate->setObjectName(u"successRate"_s);
    auto *counts = new QGridLayout;
    const QList<std::pair<QLabel *, QString>> tiles = { { m_successful, tr("Successful") },
        { m_pending, tr("Pending") }, { m_failed, tr("Failed") }, { m_rate, tr("Success rate") } };
    for (int i = 0; i < tiles.size(); ++i) {
        counts->addWidget(tiles[i].first, 0, i, Qt::AlignHCenter);
        counts->addWidget(new QLabel(tiles[i].second, this), 1, i, Qt::AlignHCenter);
    }

    // Charts.
    m_success = new ChartPanel(tr("Success rate per minute"), tr("Percent"), this);
    m_success->setObjectName(u"successChart"_s);
    m_success->setFixedYRange(0, 100);
    m_endToEnd = new ChartPanel(tr("Average end-to-end time per minute"), tr("Milliseconds"), this);
    m_endToEnd->setObjectName(u"endToEndChart"_s);
    auto *charts = new QHBoxLayout;
    charts->addWidget(m_success);
    charts->addWidget(m_endToEnd);

    // Errors.
    m_errors = makeTable({ tr("Error"), tr("Transfers") }, tr("Error breakdown"), this);
    m_errors->setObjectName(u"errorBreakdown"_s);
    m_errors->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_errors->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_latest = makeTable({ tr("Initiated"), tr("Transfer ID"), tr("Counterparty"), tr("Error") },
        tr("Latest errors"), this);
    m_latest->setObjectName(u"latestErrors"_s);
    m_latest->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    auto *viewAll = new QPushButton(tr("&View all errors"), this);
    viewAll->setObjectName(u"viewAllErrors"_s);
    viewAll->setAccessibleName(tr("View all failed transfers of the window"));
    connect(viewAll, &QPushButton::clicked, this, [this] {
        const TimeWindow w = window();
        emit viewAllErrorsRequested(w.fromMs, w.toMs);
    });
    connect(m_latest, &QTableWidget::cellActivated, this, [this](int row, int) {
        if (QTableWidgetItem *item = m_latest->item(row, 1))
            emit transferActivated(item->text());
    });

    auto *errorsBox = new QGroupBox(tr("Errors by type"), this);
    auto *errorsLayout = new QVBoxLayout(errorsBox);
    errorsLayout->addWidget(m_errors);
    auto *latestBox = new QGroupBox(tr("Latest errors"), this);
    auto *latestLayout = new QVBoxLayout(latestBox);
    latestLayout->addWidget(m_latest);
    latestLayout->addWidget(viewAll, 0, Qt::AlignRight);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(errorsBox, 2);
    bottom->addWidget(latestBox, 3);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(counts);
    layout->addLayout(charts, 3);
    layout->addLayout(bottom, 2);

    setTabOrder(m_windowCombo, m_from);
    setTabOrder(m_from, m_to);
    setTabOrder(m_to, refreshButton);

    connect(m_windowCombo, &QComboBox::currentIndexChanged, this, [this] {
        const bool custom = m_windowCombo->currentData().toInt() == int(WindowPreset::Custom);
        m_from->setEnabled(custom);
        m_to->setEnabled(custom);
        if (!custom) {
            m_success->resetZoom();
            m_endToEnd->resetZoom();
        }
        refresh();
    });
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, &OverviewPage::refresh);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, this, &OverviewPage::refresh);
    connect(refreshButton, &QPushButton::clicked, this, &OverviewPage::refresh);

    m_timer = new QTimer(this);
    m_timer->setInterval(5000);
    // Live updates only while the page is on screen; it catches up when shown again.
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
    });
    m_timer->start();
}

TimeWindow OverviewPage::window() const
{
    const auto preset = WindowPreset(m_windowCombo->currentData().toInt());
    if (preset == WindowPreset::Custom)
        return { m_from->dateTime().toMSecsSinceEpoch(), m_to->dateTime().toMSecsSinceEpoch() };
    return presetWindow(preset, QDateTime::currentMSecsSinceEpoch());
}

void OverviewPage::setPreset(WindowPreset preset)
{
    m_windowCombo->setCurrentIndex(m_windowCombo->findData(int(preset)));
}

void OverviewPage::setCustomWindow(qint64 fromMs, qint64 toMs)
{
    const QSignalBlocker a(m_from), b(m_to);
    m_from->setDateTime(QDateTime::fromMSecsSinceEpoch(fromMs));
    m_to->setDateTime(QDateTime::fromMSecsSinceEpoch(toMs));
    if (m_windowCombo->currentData().toInt() == int(WindowPreset::Custom))
        refresh();
    else
        setPreset(WindowPreset::Custom);
}

void OverviewPage::setRefreshInterval(int ms)
{
    if (ms <= 0) {
        m_timer->stop();
        return;
    }
    m_timer->start(ms);
}

void OverviewPage::refresh()
{
    if (!m_access)
        return;
    if (m_pendingParts > 0) {
        m_again = true; // one more run when this one ends, with the newest window
        return;
    }
    // Two queries side by side on the store's pool: the summary (counts, charts, latest errors)
    // shows as soon as it is read; the error breakdown follows.
    m_pendingParts = 2;
    const TimeWindow w = window();
    auto finished = [this] {
        if (--m_pendingParts > 0)
            return;
        emit refreshed();
        if (m_again) {
            m_again = false;
            refresh();
        }
    };
    m_access->run(
        this, [w](Store::Store &store) { return loadOverview(store, w, OverviewParts::Summary); },
        [this, finished](const OverviewData &data) {
            display(data);
            emit summaryShown();
            finished();
        });
    m_access->run(
        this, [w](Store::Store &store) { return loadOverview(store, w, OverviewParts::Errors); },
        [this, finished](const OverviewData &data) {
            displayErrors(data);
            finished();
        });
}

void OverviewPage::display(const OverviewData &data)
{
    std::vector<Store::ErrorCount> errors = std::move(m_data.errors);
    m_data = data;
    m_data.errors = std::move(errors);
    const QLocale locale;
    if (!data.error.isEmpty())
        m_status->setText(tr("Cannot read the store: %1").arg(data.error));
    else
        m_status->setText(
            tr("Updated %1").arg(QDateTime::currentDateTime().toString(u"HH:mm:ss"_s)));
    m_successful->setText(locale.toString(data.completed));
    m_pending->setText(locale.toString(data.pending));
    m_failed->setText(locale.toString(data.failed));
    const qint64 final = data.completed + data.failed;
    m_rate->setText(final > 0
            ? locale.toString(100.0 * double(data.completed) / double(final), 'f', 1) + u" %"_s
            : u"–"_s);

    QList<QPointF> rate, e2e;
    for (const Store::MinuteStats &m : data.minutes) {
        rate.append(QPointF(double(m.minuteStartMs), 100.0 * m.successRate()));
        if (m.completed > 0)
            e2e.append(QPointF(double(m.minuteStartMs), m.averageEndToEndMs()));
    }
    m_success->setData({ tr("Success rate (%)") }, { rate }, data.window.fromMs, data.window.toMs);
    m_endToEnd->setData(
        { tr("Average end-to-end time (ms)") }, { e2e }, data.window.fromMs, data.window.toMs);

    m_latest->setRowCount(int(data.latestErrors.size()));
    for (int i = 0; i < int(data.latestErrors.size()); ++i) {
        const Store::TransferRecord &t = data.latestErrors[size_t(i)];
        m_latest->setItem(i, 0, new QTableWidgetItem(timeText(t.initiatedAt)));
        m_latest->setItem(i, 1, new QTableWidgetItem(t.id));
        m_latest->setItem(i, 2, new QTableWidgetItem(t.counterpartyFspId()));
        m_latest->setItem(
            i, 3, new QTableWidgetItem(errorText(t.lastErrorCode, t.lastErrorDescription)));
    }
}

void OverviewPage::displayErrors(const OverviewData &data)
{
    if (!data.error.isEmpty())
        m_status->setText(tr("Cannot read the store: %1").arg(data.error));
    m_data.errors = data.errors;
    const QLocale locale;
    m_errors->setRowCount(int(data.errors.size()));
    for (int i = 0; i < int(data.errors.size()); ++i) {
        const Store::ErrorCount &e = data.errors[size_t(i)];
        m_errors->setItem(i, 0, new QTableWidgetItem(errorText(e.code, e.description)));
        auto *count = new QTableWidgetItem(locale.toString(e.count));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_errors->setItem(i, 1, count);
    }
}

void OverviewPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // The first showing loads the page; later ones catch up when updates are live.
    if (m_timer->isActive() || m_data.window.toMs == 0)
        refresh();
}

} // namespace Pm::Ui
