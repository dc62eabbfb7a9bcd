#include <QTest>

class TestDatatypes : public QObject
{
    Q_OBJECT
};

QTEST_GUILESS_MAIN(TestDatatypes)
#include "tst_datatypes.moc"
