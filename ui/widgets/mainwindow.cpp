#include "ui/widgets/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QVBoxLayout>

namespace Pm::Ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Payment Manager"));
    resize(1100, 720);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    auto *title = new QLabel(tr("Payment Manager"), central);
    title->setObjectName(QStringLiteral("productTitle"));
    QFont font = title->font();
    font.setPointSize(font.pointSize() * 2);
    font.setBold(true);
    title->setFont(font);
    title->setAccessibleName(tr("Product name"));
    layout->addWidget(title);

    auto *subtitle = new QLabel(
        tr("Connects your core banking system to a Mojaloop real-time payments hub."), central);
    subtitle->setObjectName(QStringLiteral("productSubtitle"));
    subtitle->setWordWrap(true);
    layout->addWidget(subtitle);
    layout->addStretch(1);
    setCentralWidget(central);

    m_environmentLabel = new QLabel(tr("No environment connected"), this);
    m_environmentLabel->setObjectName(QStringLiteral("environmentLabel"));
    statusBar()->addPermanentWidget(m_environmentLabel);

    createMenus();
}

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *quit = fileMenu->addAction(tr("&Quit"));
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *about = helpMenu->addAction(tr("&About Payment Manager"));
    about->setObjectName(QStringLiteral("aboutAction"));
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Payment Manager"),
                           tr("Payment Manager %1\nConnects a DFSP to a Mojaloop hub.")
                               .arg(QApplication::applicationVersion()));
    });
}

} // namespace Pm::Ui
