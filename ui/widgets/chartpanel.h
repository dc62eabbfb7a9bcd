#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

class QChart;
class QChartView;
class QDateTimeAxis;
class QValueAxis;
class QLabel;
class QPushButton;

namespace Pm::Ui {

class ZoomChartView;

/**
 * A titled time chart with its tools: rubber-band zoom (drag), wheel zoom, pan (arrow keys or
 * right-drag), reset, and export of the chart as PNG, SVG or CSV. Lines are minute samples
 * (x = minute start, ms since the epoch).
 */
class ChartPanel : public QWidget
{
    Q_OBJECT

public:
    ChartPanel(const QString &title, const QString &yTitle, QWidget *parent = nullptr);

    /**
     * Replaces the data: one line per name in `names`, each with its own (x, y) points. The x
     * axis spans [fromMs, toMs) unless the user has zoomed.
     */
    void setData(
        const QStringList &names, const QList<QList<QPointF>> &lines, qint64 fromMs, qint64 toMs);

    /** Makes the y axis 0..max (percentages) instead of fitting the data. */
    void setFixedYRange(double min, double max);

    QString title() const { return m_title; }
    QChart *chart() const;
    QChartView *chartView() const;

    /** The CSV export: a header "time (UTC),<names>" and one line per minute that has a value. */
    QString csv() const;
    bool exportPng(const QString &path) const;
    bool exportSvg(const QString &path) const;
    bool exportCsv(const QString &path) const;

public slots:
    void resetZoom();

private:
    void exportWithDialog(const QString &format);

    QString m_title;
    QStringList m_names;
    QList<QList<QPointF>> m_lines;
    ZoomChartView *m_view = nullptr;
    QDateTimeAxis *m_xAxis = nullptr;
    QValueAxis *m_yAxis = nullptr;
    bool m_fixedY = false;
    QLabel *m_titleLabel = nullptr;
};

} // namespace Pm::Ui
