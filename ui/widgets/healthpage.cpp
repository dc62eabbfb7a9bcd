#include "ui/widgets/healthpage.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pm::Ui {

HealthPage::HealthPage(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"healthPage"_s);
    m_overall = new QLabel(this);
    m_overall->setObjectName(u"healthOverall"_s);
    m_overall->setAccessibleName(tr("Overall connection health"));
    m_table = new QTableWidget(0, 4, this);
    m_table->setObjectName(u"healthTable"_s);
    m_table->setHorizontalHeaderLabels(
        { tr("Service"), tr("State"), tr("Detail"), tr("Last change") });
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    m_table->setAccessibleName(tr("Services"));
    m_table->setTabKeyNavigation(false);
    m_table->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_overall);
    layout->addWidget(m_table, 1);
    rebuild();
}

void HealthPage::setService(const ServiceHealth &service)
{
    const HealthState before = overall();
    bool found = false;
    for (ServiceHealth &s : m_services) {
        if (s.name != service.name)
            continue;
        found = true;
        const QDateTime lastChange = s.state == service.state ? s.lastChange : service.lastChange;
        s = service;
        s.lastChange = lastChange;
    }
    if (!found)
        m_services.append(service);
    rebuild();
    if (overall() != before || !found)
        emit overallChanged(overall());
}

HealthState HealthPage::overall() const
{
    HealthState worst = HealthState::NotConfigured;
    for (const ServiceHealth &s : m_services) {
        if (s.state == HealthState::Failed)
            return HealthState::Failed;
        if (s.state == HealthState::Warning)
            worst = HealthState::Warning;
        else if (s.state == HealthState::Ok && worst == HealthState::NotConfigured)
            worst = HealthState::Ok;
    }
    return worst;
}

QString HealthPage::stateText(HealthState state)
{
    switch (state) {
    case HealthState::Ok:
        return tr("OK");
    case HealthState::Warning:
        return tr("Warning");
    case HealthState::Failed:
        return tr("Failed");
    case HealthState::NotConfigured:
        return tr("Not configured");
    }
    return {};
}

QString HealthPage::lightHtml(HealthState state)
{
    const QString color = state == HealthState::Ok ? u"#1b9e3a"_s
        : state == HealthState::Warning            ? u"#d39b00"_s
        : state == HealthState::Failed             ? u"#c62828"_s
                                                   : u"#8a8a8a"_s;
    return u"<span style=\"color:%1; font-size:large\">&#9679;</span> %2"_s.arg(
        color, stateText(state).toHtmlEscaped());
}

void HealthPage::rebuild()
{
    m_overall->setText(tr("Overall: %1").arg(lightHtml(overall())));
    m_table->setRowCount(int(m_services.size()));
    for (int i = 0; i < int(m_services.size()); ++i) {
        const ServiceHealth &s = m_services[i];
        m_table->setItem(i, 0, new QTableWidgetItem(s.name));
        auto *state = new QTableWidgetItem(stateText(s.state));
        const QColor color = s.state == HealthState::Ok ? QColor(0x1b, 0x7f, 0x3a)
            : s.state == HealthState::Warning           ? QColor(0x9a, 0x6a, 0x00)
            : s.state == HealthState::Failed            ? QColor(0xb0, 0x20, 0x20)
                                                        : QColor(0x70, 0x70, 0x70);
        state->setForeground(color);
        m_table->setItem(i, 1, state);
        m_table->setItem(i, 2, new QTableWidgetItem(s.detail));
        m_table->setItem(i, 3,
            new QTableWidgetItem(s.lastChange.isValid()
                    ? s.lastChange.toString(u"yyyy-MM-dd HH:mm:ss"_s)
                    : QString()));
    }
    m_table->resizeRowsToContents();
}

} // namespace Pm::Ui
