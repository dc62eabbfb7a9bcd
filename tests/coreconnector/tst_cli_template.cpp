// pm-connector template check|test, run in process.

#include "app/cli/cli.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestCliTemplate : public QObject
{
    Q_OBJECT

private slots:
    void checkShipped();
    void checkBroken();
    void testFixtures();
    void testFixturesFail();
    void usage();

private:
    int run(const QStringList &args)
    {
        m_out.clear();
        m_err.clear();
        QTextStream out(&m_out), err(&m_err);
        const int code = Pm::Cli::run(args, Pm::Cli::Io { out, err });
        out.flush();
        err.flush();
        return code;
    }
    QString m_out, m_err;
};

void TestCliTemplate::checkShipped()
{
    const QString file = QStringLiteral(PM_TEMPLATES_DIR "/corebank.yaml");
    QCOMPARE(run({ u"template"_s, u"check"_s, file }), 0);
    QCOMPARE(m_out,
        file
            + u": ok, template 'corebank': 5 operations (getParties, postQuoteRequests, "
              "postSendMoney, postTransfers, putTransfers), 7 error rows\n"_s);
    QVERIFY(m_err.isEmpty());
}

void TestCliTemplate::checkBroken()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(u"bad.yaml"_s);
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("name: bad\ncore:\n  baseUrl: \"{config.host}\"\noperations:\n  getParties: {}\n"
            "  postQuoteRequests: {}\n  postTransfers: {}\n  putTransfers: {}\n");
    f.close();
    QCOMPARE(run({ u"template"_s, u"check"_s, file }), 1);
    QCOMPARE(m_err,
        u"pm-connector: "_s + file
            + u":3: core.baseUrl: placeholder {config.host}: config.host is not declared under config\n"_s);
    QVERIFY(m_out.isEmpty());
}

void TestCliTemplate::testFixtures()
{
    QCOMPARE(run({ u"template"_s, u"test"_s, QStringLiteral(PM_TEMPLATES_DIR "/fineract.yaml"),
                 u"--fixtures"_s, QStringLiteral(PM_TEST_DATA_DIR "/fineract") }),
        0);
    QVERIFY2(m_out.endsWith(u"18 passed, 0 failed\n"_s), qPrintable(m_out));
    QVERIFY2(m_out.contains(u"PASS getParties.success (200)\n"_s), qPrintable(m_out));
    QVERIFY2(m_out.contains(u"PASS postSendMoney.insufficient-funds (422)\n"_s), qPrintable(m_out));
}

void TestCliTemplate::testFixturesFail()
{
    // The simulated bank's template against Fineract's recordings: every case fails and says why.
    QCOMPARE(run({ u"template"_s, u"test"_s, QStringLiteral(PM_TEMPLATES_DIR "/corebank.yaml"),
                 u"--fixtures"_s, QStringLiteral(PM_TEST_DATA_DIR "/fineract") }),
        1);
    QVERIFY2(m_out.endsWith(u"0 passed, 18 failed\n"_s), qPrintable(m_out));
    QVERIFY2(
        m_out.contains(
            u"FAIL getParties.success: exchange 1 (GET "
            u"/api/v1/customers/by-alias/MSISDN/+256772123456): "
            "path /api/v1/customers/by-alias/MSISDN/+256772123456, recorded /fineract-provider/api/v1/search\n"_s),
        qPrintable(m_out));
}

void TestCliTemplate::usage()
{
    QCOMPARE(
        run({ u"template"_s, u"test"_s, QStringLiteral(PM_TEMPLATES_DIR "/fineract.yaml") }), 2);
    QCOMPARE(m_err, u"pm-connector: template test: --fixtures DIR is required\n"_s);
    QCOMPARE(run({ u"template"_s, u"lint"_s }), 2);
    QCOMPARE(m_err, u"pm-connector: template: unknown command 'lint' (check, test)\n"_s);
    QCOMPARE(run({ u"template"_s, u"check"_s, u"/nonexistent.yaml"_s }), 1);
    QVERIFY2(m_err.startsWith(u"pm-connector: /nonexistent.yaml: cannot read the template"_s),
        qPrintable(m_err));
}

QTEST_GUILESS_MAIN(TestCliTemplate)
#include "tst_cli_template.moc"
