#pragma once

#include <QDateTime>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace Pm::Ui {

/** The state of one service of the connection health panel. */
enum class HealthState { Ok, Warning, Failed, NotConfigured };

/** One row of the connection health panel. */
struct ServiceHealth
{
    QString name;
    HealthState state = HealthState::NotConfigured;
    QString detail;
    QDateTime lastChange;
};

/**
 * Connection health: each service with its state and last change, and the overall light shown in
 * the status bar. Parts that do not exist in this build say "not configured" rather than guess.
 */
class HealthPage : public QWidget
{
    Q_OBJECT

public:
    explicit HealthPage(QWidget *parent = nullptr);

    /** Replaces one service's row (by name); the last change moves only when the state changes. */
    void setService(const ServiceHealth &service);
    const QList<ServiceHealth> &services() const { return m_services; }

    /** The worst state of the configured services; NotConfigured if none is configured. */
    HealthState overall() const;
    static QString stateText(HealthState state);
    /** A filled circle in the state's colour, for the status bar. */
    static QString lightHtml(HealthState state);

signals:
    void overallChanged(Pm::Ui::HealthState state);

private:
    void rebuild();

    QList<ServiceHealth> m_services;
    QTableWidget *m_table = nullptr;
    QLabel *m_overall = nullptr;
};

} // namespace Pm::Ui
