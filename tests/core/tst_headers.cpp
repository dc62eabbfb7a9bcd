#include <QTest>

class TestHeaders : public QObject
{
    Q_OBJECT
};

QTEST_GUILESS_MAIN(TestHeaders)
#include "tst_headers.moc"
