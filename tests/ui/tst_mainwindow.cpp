#include "ui/widgets/mainwindow.h"

#include <QLabel>
#include <QTest>

using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void showsProductName()
    {
        Pm::Ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.windowTitle(), u"Payment Manager"_s);
        auto *title = window.findChild<QLabel *>(u"productTitle"_s);
        QVERIFY(title);
        QCOMPARE(title->text(), u"Payment Manager"_s);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
