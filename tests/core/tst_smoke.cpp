#include "core/base/result.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSmoke : public QObject
{
    Q_OBJECT

private slots:
    void errorJoinsMessageAndDetail()
    {
        QCOMPARE(Pm::toOneLine(Pm::Error{3101, u"bad header"_s, u"accept"_s}),
                 u"bad header: accept"_s);
        QCOMPARE(Pm::toOneLine(Pm::Error{0, u"alone"_s, {}}), u"alone"_s);
    }
};

QTEST_GUILESS_MAIN(TestSmoke)
#include "tst_smoke.moc"
