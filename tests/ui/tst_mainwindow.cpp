#include "ui/widgets/mainwindow.h"

#include <QAction>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QTranslator>

using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Settings of this test only.
        QCoreApplication::setOrganizationName(u"PaymentManagerTests"_s);
        QCoreApplication::setApplicationName(u"tst_mainwindow"_s);
        QSettings().clear();
    }

    void showsProductName()
    {
        Pm::Ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.windowTitle(), u"Payment Manager"_s);
        auto *title = window.findChild<QLabel *>(u"productTitle"_s);
        QVERIFY(title);
        QCOMPARE(title->text(), u"Payment Manager"_s);
        // Without a store only the health page exists; the welcome page offers to open one.
        QCOMPARE(window.pages()->count(), 1);
        QVERIFY(window.findChild<QWidget *>(u"welcomeOpenStore"_s));
    }

    void refusesAMissingStore()
    {
        Pm::Ui::MainWindow window;
        QVERIFY(!window.openStore(u"/nonexistent/connector.sqlite"_s));
        QVERIFY(!window.storeAccess());
        QCOMPARE(window.healthPage()->overall(), Pm::Ui::HealthState::Failed);
    }

    void languageSettingIsSaved()
    {
        Pm::Ui::MainWindow window;
        QSignalSpy changed(&window, &Pm::Ui::MainWindow::languageChanged);
        auto *french = window.findChild<QAction *>(u"language_fr"_s);
        QVERIFY(french);
        french->trigger();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toString(), u"fr"_s);
        QCOMPARE(QSettings().value(u"ui/language"_s).toString(), u"fr"_s);
        QVERIFY(french->isChecked());
    }

    void shortcutsAndAccessibleNames()
    {
        Pm::Ui::MainWindow window;
        for (const QString &name :
            { u"show_overviewPage"_s, u"show_findPage"_s, u"show_technicalPage"_s,
                u"show_healthPage"_s, u"openStoreAction"_s, u"quitAction"_s }) {
            auto *action = window.findChild<QAction *>(name);
            QVERIFY2(action, qPrintable(name));
            QVERIFY2(!action->shortcut().isEmpty(), qPrintable(name));
        }
        QVERIFY(!window.healthLight()->accessibleName().isEmpty());
    }

    void frenchTranslationLoads_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("title");
        QTest::newRow("fr") << u"fr"_s << u"&Fichier"_s << u"État des &connexions"_s;
        QTest::newRow("es") << u"es"_s << u"&Archivo"_s << u"Estado de las &conexiones"_s;
    }

    void frenchTranslationLoads()
    {
        QFETCH(QString, language);
        QFETCH(QString, file);
        QFETCH(QString, title);
        QTranslator translator;
        QVERIFY(translator.load(QLocale(language), u"paymentmanager"_s, u"_"_s, u":/i18n"_s));
        QCoreApplication::installTranslator(&translator);
        {
            Pm::Ui::MainWindow window;
            QCOMPARE(window.menuBar()->actions().value(0)->text(), file);
            QCOMPARE(window.pages()->tabText(0), title);
        }
        QCoreApplication::removeTranslator(&translator);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
