#include <QTest>

class TestSchema : public QObject
{
    Q_OBJECT
};

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
