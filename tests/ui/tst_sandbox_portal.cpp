// The main window over the Sandbox (core/services): a hub, three DFSPs with connectors, core
// connectors and core banks, and generated traffic. The portal shows our DFSP's record as the
// transfers flow; its numbers are checked against the outcomes the traffic generator reports and
// against the store.

#include "core/services/servicehost.h"
#include "core/store/store.h"
#include "ui/data/storeaccess.h"
#include "ui/models/transfertablemodel.h"
#include "ui/services/sandboxbinding.h"
#include "ui/widgets/detailsdialog.h"
#include "ui/widgets/findpage.h"
#include "ui/widgets/healthpage.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/overviewpage.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm;

class TestSandboxPortal : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"PaymentManagerTests"_s);
        QCoreApplication::setApplicationName(u"tst_sandbox_portal"_s);
        QSettings().clear();
    }

    void portalFollowsSandboxTraffic()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Ui::MainWindow window;
        window.resize(1280, 820);
        Services::ServiceHost host;
        Ui::bindEnvironment(host, window);
        QList<Services::TransferOutcome> outcomes;
        connect(&host, &Services::ServiceHost::transferFinished, this,
            [&outcomes](const Services::TransferOutcome &o) { outcomes << o; });
        QSignalSpy finished(&host, &Services::ServiceHost::trafficFinished);
        Services::SandboxOptions options;
        options.dataDir = dir.filePath(u"sandbox"_s);
        options.rate = 10;
        options.transferLimit = 40;
        options.seed = 7;
        host.startSandbox(options);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        // The environment comes up: the status bar says so and the portal opens our store.
        QTRY_VERIFY_WITH_TIMEOUT(host.state() == Services::EnvironmentState::Running, 120000);
        QTRY_VERIFY_WITH_TIMEOUT(window.storeAccess() != nullptr, 30000);
        auto *environment = window.findChild<QLabel *>(u"environmentLabel"_s);
        QVERIFY(environment->text().contains(
            Ui::environmentStateText(Services::EnvironmentState::Running)));
        QCOMPARE(window.jwsKeysDirectory(), QDir(host.dataDir()).filePath(u"jwskeys"_s));

        // Health: our servers with the addresses the Sandbox reports.
        const QString us = host.ourFspId();
        for (const Services::Listener &l : host.listeners()) {
            if (l.name != us + u".inbound"_s && l.name != us + u".outbound"_s)
                continue;
            const QString detail = u"127.0.0.1:%1"_s.arg(l.port);
            QVERIFY2(std::ranges::any_of(window.healthPage()->services(),
                         [&](const Ui::ServiceHealth &s) {
                             return s.state == Ui::HealthState::Ok && s.detail.endsWith(detail);
                         }),
                qPrintable(l.toString()));
        }
        QCOMPARE(window.healthPage()->overall(), Ui::HealthState::Ok);

        // Live: the overview follows the transfers while they flow.
        Ui::OverviewPage *overview = window.overviewPage();
        overview->setPreset(Ui::WindowPreset::LastHour);
        overview->setRefreshInterval(300);
        QTRY_VERIFY_WITH_TIMEOUT(overview->data().completed > 0, 120000);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 300000);
        QVERIFY2(finished.at(0).at(0).toBool(), "the Sandbox reports unexpected outcomes");

        // Every transfer our DFSP took part in and that committed is counted as successful.
        qint64 committed = 0;
        for (const Services::TransferOutcome &o : outcomes) {
            if ((o.payerFsp == us || o.payeeFsp == us) && o.finalState == u"COMMITTED"_s)
                ++committed;
        }
        QVERIFY(committed > 0);
        QTRY_COMPARE_WITH_TIMEOUT(overview->data().completed, committed, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(
            window.overviewPage()->findChild<QLabel *>(u"countSuccessful"_s)->text(),
            QLocale().toString(committed), 10000);

        // Find: everything in the record, as the store counts it.
        window.pages()->setCurrentWidget(window.findPage());
        window.findPage()->search();
        Ui::TransferTableModel *model = window.findPage()->model();
        QTRY_VERIFY_WITH_TIMEOUT(model->totalCount() >= 0 && !model->isLoading(), 30000);
        std::optional<Pm::Result<qint64>> stored;
        window.storeAccess()->run(
            this, [](Store::Store &store) { return store.transfers().count({}); },
            [&stored](const Pm::Result<qint64> &n) { stored = n; });
        QTRY_VERIFY_WITH_TIMEOUT(stored.has_value(), 30000);
        QVERIFY(stored->has_value());
        QCOMPARE(model->totalCount(), **stored);
        QVERIFY(model->totalCount() >= committed);

        // Details of a committed transfer: its messages, signatures verified with the Sandbox's
        // keys.
        QString committedId;
        for (int r = 0; r < model->rowCount() && committedId.isEmpty(); ++r) {
            if (model->transfer(r).status == Store::TransferStatus::Completed)
                committedId = model->transfer(r).id;
        }
        QVERIFY(!committedId.isEmpty());
        Ui::TransferDetailsDialog dialog(
            window.storeAccess(), committedId, window.jwsKeysDirectory());
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isLoaded(), 30000);
        auto *list = dialog.findChild<QListWidget *>(u"messageList"_s);
        QVERIFY(list->count() >= 2);
        int valid = 0;
        for (int i = 0; i < list->count(); ++i) {
            list->setCurrentRow(i);
            const QString text
                = dialog.findChild<QPlainTextEdit *>(u"messageText"_s)->toPlainText();
            QVERIFY(!text.contains(u"Invalid signature"_s));
            if (text.contains(u"Valid signature"_s))
                ++valid;
        }
        QVERIFY(valid >= 1);

        // Screenshots of the window over the Sandbox.
        const QString shots = QStringLiteral(PM_BINARY_DIR) + u"/screenshots/"_s;
        QVERIFY(QDir().mkpath(shots));
        for (QWidget *page : { static_cast<QWidget *>(window.overviewPage()),
                 static_cast<QWidget *>(window.healthPage()) }) {
            window.pages()->setCurrentWidget(page);
            QApplication::processEvents();
            QVERIFY(window.grab().save(shots + QGuiApplication::platformName() + u"-sandbox-"_s
                + page->objectName() + u".png"_s));
        }

        window.setStoreAccess(nullptr);
        host.stopAndWait();
        QCOMPARE(host.state(), Services::EnvironmentState::Stopped);
    }
};

QTEST_MAIN(TestSandboxPortal)
#include "tst_sandbox_portal.moc"
