#include "ui/widgets/chartpanel.h"

#include "ui/data/portaldata.h"
#include "ui/data/transferexport.h"

#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineSeries>
#include <QMap>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Pm::Ui {

/** A chart view with wheel zoom and keyboard / right-button pan. */
class ZoomChartView : public QChartView
{
public:
    explicit ZoomChartView(QChart *chart, QWidget *parent)
        : QChartView(chart, parent)
    {
        setRubberBand(QChartView::HorizontalRubberBand);
        setFocusPolicy(Qt::StrongFocus);
        setRenderHint(QPainter::Antialiasing);
    }

protected:
    void wheelEvent(QWheelEvent *event) override
    {
        const int delta = event->angleDelta().y();
        if (delta != 0) {
            chart()->zoom(delta > 0 ? 1.25 : 0.8);
            event->accept();
            return;
        }
        QChartView::wheelEvent(event);
    }

    void keyPressEvent(QKeyEvent *event) override
    {
        switch (event->key()) {
        case Qt::Key_Left:
            chart()->scroll(-chart()->plotArea().width() / 10, 0);
            break;
        case Qt::Key_Right:
            chart()->scroll(chart()->plotArea().width() / 10, 0);
            break;
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            chart()->zoomIn();
            break;
        case Qt::Key_Minus:
            chart()->zoomOut();
            break;
        case Qt::Key_0:
        case Qt::Key_Home:
            chart()->zoomReset();
            break;
        default:
            QChartView::keyPressEvent(event);
            return;
        }
        event->accept();
    }

    void mousePressEvent(QMouseEvent *event) override
    {
        if (event->button() == Qt::RightButton) {
            m_panFrom = event->position();
            m_panning = true;
            event->accept();
            return;
        }
        QChartView::mousePressEvent(event);
    }

    void mouseMoveEvent(QMouseEvent *event) override
    {
        if (m_panning) {
            const QPointF delta = event->position() - m_panFrom;
            chart()->scroll(-delta.x(), delta.y());
            m_panFrom = event->position();
            event->accept();
            return;
        }
        QChartView::mouseMoveEvent(event);
    }

    void mouseReleaseEvent(QMouseEvent *event) override
    {
        if (m_panning && event->button() == Qt::RightButton) {
            m_panning = false;
            event->accept();
            return;
        }
        QChartView::mouseReleaseEvent(event);
    }

private:
    QPointF m_panFrom;
    bool m_panning = false;
};

ChartPanel::ChartPanel(const QString &title, const QString &yTitle, QWidget *parent)
    : QWidget(parent)
    , m_title(title)
{
    auto *chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_xAxis = new QDateTimeAxis(chart);
    m_xAxis->setFormat(u"dd/MM HH:mm"_s);
    m_xAxis->setTickCount(6);
    m_yAxis = new QValueAxis(chart);
    m_yAxis->setTitleText(yTitle);
    m_yAxis->setLabelFormat(u"%.0f"_s);
    chart->addAxis(m_xAxis, Qt::AlignBottom);
    chart->addAxis(m_yAxis, Qt::AlignLeft);

    m_view = new ZoomChartView(chart, this);
    m_view->setMinimumHeight(200);
    m_view->setAccessibleName(title);
    m_view->setAccessibleDescription(
        tr("Chart. Drag to zoom into a time range, use the wheel or plus and minus to zoom, the "
           "arrow keys or the right mouse button to pan, and Home to reset."));

    m_titleLabel = new QLabel(u"<b>%1</b>"_s.arg(title.toHtmlEscaped()), this);
    auto *reset = new QPushButton(tr("Reset zoom"), this);
    reset->setAccessibleName(tr("Reset zoom of %1").arg(title));
    connect(reset, &QPushButton::clicked, this, &ChartPanel::resetZoom);
    auto *png = new QPushButton(tr("PNG…"), this);
    png->setAccessibleName(tr("Export %1 as PNG").arg(title));
    connect(png, &QPushButton::clicked, this, [this] { exportWithDialog(u"png"_s); });
    auto *svg = new QPushButton(tr("SVG…"), this);
    svg->setAccessibleName(tr("Export %1 as SVG").arg(title));
    connect(svg, &QPushButton::clicked, this, [this] { exportWithDialog(u"svg"_s); });
    auto *csvButton = new QPushButton(tr("CSV…"), this);
    csvButton->setAccessibleName(tr("Export %1 as CSV").arg(title));
    connect(csvButton, &QPushButton::clicked, this, [this] { exportWithDialog(u"csv"_s); });
    for (QPushButton *b : { reset, png, svg, csvButton })
        b->setAutoDefault(false);

    auto *tools = new QHBoxLayout;
    tools->addWidget(m_titleLabel);
    tools->addStretch(1);
    tools->addWidget(reset);
    tools->addWidget(png);
    tools->addWidget(svg);
    tools->addWidget(csvButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(tools);
    layout->addWidget(m_view, 1);
    setAccessibleName(title);
}

QChart *ChartPanel::chart() const
{
    return m_view->chart();
}

QChartView *ChartPanel::chartView() const
{
    return m_view;
}

void ChartPanel::setFixedYRange(double min, double max)
{
    m_fixedY = true;
    m_yAxis->setRange(min, max);
}

void ChartPanel::setData(
    const QStringList &names, const QList<QList<QPointF>> &lines, qint64 fromMs, qint64 toMs)
{
    m_names = names;
    m_lines = lines;
    QChart *c = chart();
    const bool zoomed = c->isZoomed();
    const QList<QAbstractSeries *> existing = c->series();
    // Reuse the series when the set of lines is unchanged, so a live update keeps the zoom.
    if (existing.size() != names.size()) {
        c->removeAllSeries();
        for (const QString &name : names) {
            auto *series = new QLineSeries;
            series->setName(name);
            series->setPointsVisible(false);
            c->addSeries(series);
            series->attachAxis(m_xAxis);
            series->attachAxis(m_yAxis);
        }
    }
    const QList<QAbstractSeries *> series = c->series();
    double yMax = 0;
    for (qsizetype i = 0; i < series.size(); ++i) {
        auto *line = static_cast<QLineSeries *>(series[i]);
        line->setName(names[i]);
        line->replace(lines.value(i));
        // Markers while the points are few (a single minute is otherwise invisible).
        line->setPointsVisible(lines.value(i).size() < 120);
        for (const QPointF &p : lines.value(i))
            yMax = std::max(yMax, p.y());
    }
    if (!zoomed) {
        m_xAxis->setRange(
            QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
        m_xAxis->setFormat(toMs - fromMs > 2LL * 24 * 3600 * 1000 ? u"dd/MM HH:mm"_s : u"HH:mm"_s);
        if (!m_fixedY) {
            m_yAxis->setRange(0, yMax > 0 ? yMax * 1.1 : 1.0);
            m_yAxis->applyNiceNumbers();
            m_yAxis->setLabelFormat(m_yAxis->max() < 10 ? u"%.1f"_s : u"%.0f"_s);
        }
    }
}

void ChartPanel::resetZoom()
{
    chart()->zoomReset();
}

QString ChartPanel::csv() const
{
    QMap<qint64, QList<QString>> rows;
    for (qsizetype i = 0; i < m_lines.size(); ++i) {
        for (const QPointF &p : m_lines[i]) {
            QList<QString> &row = rows[qint64(p.x())];
            row.resize(m_names.size());
            row[i] = QString::number(p.y(), 'f', 2);
        }
    }
    QString out = tr("time (UTC)");
    for (const QString &name : m_names)
        out += u',' + csvField(name);
    out += u"\r\n"_s;
    for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
        out += isoTime(it.key());
        for (const QString &value : it.value())
            out += u',' + value;
        out += u"\r\n"_s;
    }
    return out;
}

bool ChartPanel::exportPng(const QString &path) const
{
    const QPixmap pixmap = m_view->grab();
    return !pixmap.isNull() && pixmap.save(path, "PNG");
}

bool ChartPanel::exportSvg(const QString &path) const
{
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(m_view->size());
    generator.setViewBox(QRect(QPoint(0, 0), m_view->size()));
    generator.setTitle(m_title);
    QPainter painter;
    if (!painter.begin(&generator))
        return false;
    m_view->render(&painter);
    return painter.end();
}

bool ChartPanel::exportCsv(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(csv().toUtf8());
    return file.commit();
}

void ChartPanel::exportWithDialog(const QString &format)
{
    const QString filter = format == u"png" ? tr("PNG image (*.png)")
        : format == u"svg"                  ? tr("SVG image (*.svg)")
                                            : tr("CSV file (*.csv)");
    QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(m_title), {}, filter);
    if (path.isEmpty())
        return;
    if (!path.endsWith(u'.' + format, Qt::CaseInsensitive))
        path += u'.' + format;
    const bool ok = format == u"png" ? exportPng(path)
        : format == u"svg"           ? exportSvg(path)
                                     : exportCsv(path);
    if (!ok)
        QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1.").arg(path));
}

} // namespace Pm::Ui
