#include "ui/widgets/mainwindow.h"

#include "core/store/store.h"
#include "ui/data/storeaccess.h"
#include "ui/widgets/detailsdialog.h"
#include "ui/widgets/findpage.h"
#include "ui/widgets/overviewpage.h"
#include "ui/widgets/technicalpage.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDateTime>
#include <QFileDialog>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pm::Ui {

namespace {

const QString LanguageKey = u"ui/language"_s;
const QString KeysDirectoryKey = u"ui/jwsKeysDirectory"_s;

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("Payment Manager"));
    resize(1280, 820);

    // The welcome page, shown until a store is open.
    auto *welcome = new QWidget;
    welcome->setObjectName(u"welcomePage"_s);
    auto *layout = new QVBoxLayout(welcome);
    auto *title = new QLabel(tr("Payment Manager"), welcome);
    title->setObjectName(u"productTitle"_s);
    QFont font = title->font();
    font.setPointSize(font.pointSize() * 2);
    font.setBold(true);
    title->setFont(font);
    title->setAccessibleName(tr("Product name"));
    layout->addWidget(title);
    auto *subtitle = new QLabel(
        tr("Connects your core banking system to a Mojaloop real-time payments hub."), welcome);
    subtitle->setObjectName(u"productSubtitle"_s);
    subtitle->setWordWrap(true);
    layout->addWidget(subtitle);
    auto *openButton = new QPushButton(tr("&Open a transfer record…"), welcome);
    openButton->setObjectName(u"welcomeOpenStore"_s);
    openButton->setAccessibleName(tr("Open a transfer record file"));
    connect(openButton, &QPushButton::clicked, this, &MainWindow::chooseStore);
    layout->addWidget(openButton, 0, Qt::AlignLeft);
    layout->addStretch(1);

    m_pages = new QTabWidget;
    m_pages->setObjectName(u"pages"_s);
    m_pages->setAccessibleName(tr("Portal pages"));
    m_pages->setDocumentMode(true);
    m_health = new HealthPage;
    m_pages->addTab(m_health, tr("Connection &health"));

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(welcome);
    m_stack->addWidget(m_pages);
    setCentralWidget(m_stack);

    m_healthLight = new QLabel(this);
    m_healthLight->setObjectName(u"healthLight"_s);
    m_healthLight->setAccessibleName(tr("Overall connection health"));
    m_healthLight->setText(HealthPage::lightHtml(m_health->overall()));
    connect(m_health, &HealthPage::overallChanged, this,
        [this](HealthState state) { m_healthLight->setText(HealthPage::lightHtml(state)); });
    m_environmentLabel = new QLabel(tr("No environment connected"), this);
    m_environmentLabel->setObjectName(u"environmentLabel"_s);
    m_environmentLabel->setAccessibleName(tr("Environment"));
    statusBar()->addPermanentWidget(m_environmentLabel);
    statusBar()->addPermanentWidget(m_healthLight);

    m_jwsKeysDirectory = QSettings().value(KeysDirectoryKey).toString();

    // The store's own line of the health page, kept current while a store is open.
    auto *storeTimer = new QTimer(this);
    storeTimer->setInterval(5000);
    connect(storeTimer, &QTimer::timeout, this, &MainWindow::updateStoreHealth);
    storeTimer->start();

    createMenus();
}

MainWindow::~MainWindow()
{
    // Pages hold the StoreAccess: they go first, then the access waits for its queries.
    delete m_overview;
    delete m_find;
    delete m_technical;
    m_access.reset();
}

QList<std::pair<QString, QString>> MainWindow::languages()
{
    return { { QString(), tr("System language") }, { u"en"_s, u"English"_s },
        { u"fr"_s, u"Français"_s }, { u"es"_s, u"Español"_s } };
}

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *open = fileMenu->addAction(tr("&Open transfer record…"));
    open->setObjectName(u"openStoreAction"_s);
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, &MainWindow::chooseStore);
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"));
    quit->setObjectName(u"quitAction"_s);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    const QStringList pageNames = { tr("Transfers &overview"), tr("&Find a transfer"),
        tr("&Technical dashboard"), tr("Connection &health") };
    const QStringList pageObjects
        = { u"overviewPage"_s, u"findPage"_s, u"technicalPage"_s, u"healthPage"_s };
    for (int i = 0; i < pageNames.size(); ++i) {
        QAction *action = viewMenu->addAction(pageNames[i]);
        action->setObjectName(u"show_"_s + pageObjects[i]);
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        connect(action, &QAction::triggered, this, [this, name = pageObjects[i]] {
            if (QWidget *page = m_pages->findChild<QWidget *>(name)) {
                m_stack->setCurrentWidget(m_pages);
                m_pages->setCurrentWidget(page);
                page->setFocus(Qt::ShortcutFocusReason);
            }
        });
    }

    QMenu *settingsMenu = menuBar()->addMenu(tr("&Settings"));
    QMenu *languageMenu = settingsMenu->addMenu(tr("&Language"));
    languageMenu->setObjectName(u"languageMenu"_s);
    auto *group = new QActionGroup(this);
    const QString current = QSettings().value(LanguageKey).toString();
    for (const auto &[code, name] : languages()) {
        QAction *action = languageMenu->addAction(name);
        action->setObjectName(u"language_"_s + (code.isEmpty() ? u"system"_s : code));
        action->setCheckable(true);
        action->setChecked(code == current);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, code] { setLanguage(code); });
    }
    QAction *keys = settingsMenu->addAction(tr("JWS &verification keys folder…"));
    keys->setObjectName(u"keysDirectoryAction"_s);
    connect(keys, &QAction::triggered, this, &MainWindow::chooseKeysDirectory);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *about = helpMenu->addAction(tr("&About Payment Manager"));
    about->setObjectName(u"aboutAction"_s);
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Payment Manager"),
            tr("Payment Manager %1\nConnects a DFSP to a Mojaloop hub.")
                .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::setStoreAccess(std::unique_ptr<StoreAccess> access)
{
    delete m_overview;
    delete m_find;
    delete m_technical;
    m_overview = nullptr;
    m_find = nullptr;
    m_technical = nullptr;
    m_access = std::move(access);
    if (!m_access) {
        m_stack->setCurrentIndex(0);
        return;
    }
    StoreAccess *a = m_access.get();
    m_overview = new OverviewPage(a);
    m_find = new FindPage(a);
    m_technical = new TechnicalPage(a);
    m_pages->insertTab(0, m_overview, tr("Transfers &overview"));
    m_pages->insertTab(1, m_find, tr("&Find a transfer"));
    m_pages->insertTab(2, m_technical, tr("&Technical dashboard"));
    m_pages->setCurrentIndex(0);
    m_stack->setCurrentWidget(m_pages);

    connect(m_overview, &OverviewPage::transferActivated, this, &MainWindow::showTransfer);
    connect(m_find, &FindPage::transferActivated, this, &MainWindow::showTransfer);
    connect(
        m_overview, &OverviewPage::viewAllErrorsRequested, this, [this](qint64 from, qint64 to) {
            m_pages->setCurrentWidget(m_find);
            m_find->showFailed(from, to);
        });
    setWindowTitle(tr("Payment Manager — %1").arg(a->path()));
    updateStoreHealth();
}

bool MainWindow::openStore(const QString &path)
{
    auto access = StoreAccess::open(path);
    if (!access) {
        statusBar()->showMessage(
            tr("Cannot open the transfer record: %1").arg(access.error().message));
        m_health->setService({ tr("Transfer record"), HealthState::Failed, access.error().message,
            QDateTime::currentDateTime() });
        return false;
    }
    setStoreAccess(std::move(*access));
    return true;
}

void MainWindow::setEnvironmentText(const QString &text)
{
    m_environmentLabel->setText(text);
}

void MainWindow::setJwsKeysDirectory(const QString &directory)
{
    m_jwsKeysDirectory = directory;
}

void MainWindow::showTransfer(const QString &transferId)
{
    if (!m_access || transferId.isEmpty())
        return;
    auto *dialog = new TransferDetailsDialog(m_access.get(), transferId, m_jwsKeysDirectory, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::chooseStore()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a transfer record"), QString(),
        tr("Transfer records (*.sqlite *.db);;All files (*)"));
    if (!path.isEmpty())
        openStore(path);
}

void MainWindow::chooseKeysDirectory()
{
    const QString directory = QFileDialog::getExistingDirectory(
        this, tr("Folder of the peers' public keys (<fspId>.pem)"), m_jwsKeysDirectory);
    if (directory.isEmpty())
        return;
    m_jwsKeysDirectory = directory;
    QSettings().setValue(KeysDirectoryKey, directory);
}

void MainWindow::setLanguage(const QString &localeName)
{
    QSettings settings;
    if (settings.value(LanguageKey).toString() == localeName)
        return;
    settings.setValue(LanguageKey, localeName);
    statusBar()->showMessage(tr("The language changes when Payment Manager restarts."));
    emit languageChanged(localeName);
}

void MainWindow::updateStoreHealth()
{
    if (!m_access)
        return;
    // A cheap read (one row per minute): the record answers, and how many transfers ended lately.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_access->run(
        this,
        [now](Store::Store &store) {
            return store.transfers().minuteStats(now - 3'600'000, now + 60'000);
        },
        [this](const Pm::Result<std::vector<Store::MinuteStats>> &minutes) {
            if (!minutes) {
                m_health->setService({ tr("Transfer record"), HealthState::Failed,
                    minutes.error().message, QDateTime::currentDateTime() });
                return;
            }
            qint64 total = 0;
            for (const Store::MinuteStats &m : *minutes)
                total += m.total();
            m_health->setService({ tr("Transfer record"), HealthState::Ok,
                tr("%1 — transfers finished in the last hour: %2")
                    .arg(m_access->path(), QLocale().toString(total)),
                QDateTime::currentDateTime() });
        });
}

} // namespace Pm::Ui
