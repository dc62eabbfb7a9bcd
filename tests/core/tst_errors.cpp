#include <QTest>

class TestErrors : public QObject
{
    Q_OBJECT
};

QTEST_GUILESS_MAIN(TestErrors)
#include "tst_errors.moc"
