// The shipped Fineract template against a local stand-in replaying Fineract's documented request
// and response shapes (tests/data/fineract: the recordings copied from the reference fixtures, and
// one
// *.case.json per scenario, including one per row of the template's error table).

#include "core/coreconnector/fixtures.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm;

class TestCoreConnectorFineract : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cases_data();
    void cases();
    void everyErrorRowIsCovered();
    void mismatchIsReported();

private:
    std::optional<CoreConnector::Template> m_tmpl;
    QList<CoreConnector::FixtureResult> m_results;
};

void TestCoreConnectorFineract::initTestCase()
{
    auto t = CoreConnector::loadTemplate(QStringLiteral(PM_TEMPLATES_DIR "/fineract.yaml"));
    QVERIFY2(t, qPrintable(t ? QString() : t.error().message));
    m_tmpl = *t;
    auto r = CoreConnector::runFixtureCases(*m_tmpl, QStringLiteral(PM_TEST_DATA_DIR "/fineract"));
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    m_results = *r;
    QCOMPARE(m_results.size(), 18);
}

void TestCoreConnectorFineract::cases_data()
{
    QTest::addColumn<int>("index");
    for (int i = 0; i < m_results.size(); ++i)
        QTest::newRow(qPrintable(m_results[i].name)) << i;
}

void TestCoreConnectorFineract::cases()
{
    QFETCH(int, index);
    const auto &r = m_results[index];
    QVERIFY2(r.passed, qPrintable(r.problem));
}

void TestCoreConnectorFineract::everyErrorRowIsCovered()
{
    // Each row's FSPIOP code and message is what one of the cases answered.
    QSet<QString> answered;
    for (const auto &r : m_results) {
        if (r.passed && r.body.is_object() && r.body.contains("message"))
            answered.insert(QString::fromStdString(r.body.value("statusCode", "")) + u'|'
                + QString::fromStdString(r.body.value("message", "")));
    }
    for (const auto &row : m_tmpl->errors) {
        const QString key = row.fspiopCode + u'|' + row.message;
        QVERIFY2(answered.contains(key),
            qPrintable(u"no case answers the row at line %1: %2"_s.arg(row.line).arg(key)));
    }
}

void TestCoreConnectorFineract::mismatchIsReported()
{
    // A template whose search misses exactMatch does not match the recording; the case says where.
    CoreConnector::Template t = *m_tmpl;
    auto &step = t.operations[u"getParties"_s].steps[0];
    step.url.text.replace(u"&exactMatch=true"_s, QString());
    QTemporaryDir dir;
    QVERIFY(QFile::copy(QStringLiteral(PM_TEST_DATA_DIR "/fineract/getParties.success.case.json"),
        dir.filePath(u"getParties.success.case.json"_s)));
    for (const char *f : { "search-clients-by-mobile.success.json", "clients-get.success.json" })
        QVERIFY(QFile::copy(QStringLiteral(PM_TEST_DATA_DIR "/fineract/") + QString::fromLatin1(f),
            dir.filePath(QString::fromLatin1(f))));
    auto r = CoreConnector::runFixtureCases(t, dir.path());
    QVERIFY(r);
    QCOMPARE(r->size(), 1);
    QVERIFY(!r->first().passed);
    QVERIFY2(
        r->first().problem.contains(
            u"exchange 1 (GET /fineract-provider/api/v1/search): query.exactMatch is missing"_s),
        qPrintable(r->first().problem));
}

QTEST_GUILESS_MAIN(TestCoreConnectorFineract)
#include "tst_coreconnector_fineract.moc"
