// `pm-connector sandbox` in process: usage errors, and a short checked run.

#include "app/cli/cli.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace Pm::Cli {
int runSandbox(const QStringList &args, Io io); // cmd_sandbox.cpp
}

class TestCliSandbox : public QObject
{
    Q_OBJECT

private slots:
    void badUsage_data();
    void badUsage();
    void shortRunPrintsListenersAndPasses();

private:
    int run(const QStringList &args, QString *out, QString *err)
    {
        QTextStream o(out), e(err);
        const int code = Pm::Cli::run(args, Pm::Cli::Io { o, e });
        o.flush();
        e.flush();
        return code;
    }
};

void TestCliSandbox::badUsage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("rate") << QStringList { u"--rate"_s, u"fast"_s } << u"--rate: 'fast' is not"_s;
    QTest::newRow("transfers") << QStringList { u"--transfers"_s, u"0"_s }
                               << u"--transfers: '0' is not"_s;
    QTest::newRow("transfers without rate") << QStringList { u"--transfers"_s, u"5"_s, u"--rate"_s,
        u"0"_s } << u"--transfers needs a --rate above 0"_s;
    QTest::newRow("port") << QStringList { u"--port"_s, u"hub"_s }
                          << u"--port: 'hub' is not NAME=PORT"_s;
    QTest::newRow("unknown option")
        << QStringList { u"--frobnicate"_s } << u"Unknown option '--frobnicate'"_s;
}

void TestCliSandbox::badUsage()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QString out, err;
    args.prepend(u"sandbox"_s);
    QCOMPARE(run(args, &out, &err), int(Pm::Cli::ExitBadUsage));
    QVERIFY2(err.startsWith(u"pm-connector: "_s) && err.contains(message), qPrintable(err));
    QCOMPARE(err.count(u'\n'), 1);
}

void TestCliSandbox::shortRunPrintsListenersAndPasses()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString out, err;
    // Seed 28 has all six scenarios within its first 13 transfers.
    const int code = run(
        { u"sandbox"_s, u"--transfers"_s, u"13"_s, u"--rate"_s, u"20"_s, u"--max-in-flight"_s,
            u"4"_s, u"--seed"_s, u"28"_s, u"--quiet"_s, u"--data-dir"_s, dir.filePath(u"sbx"_s) },
        &out, &err);
    if (code != Pm::Cli::ExitOk) {
        // The reasons are on stderr, one line per unexpected transfer.
        for (const QString &line : err.split(u'\n'))
            if (line.startsWith(u"pm-connector:"_s))
                qWarning("%s", qPrintable(line));
    }
    QCOMPARE(code, int(Pm::Cli::ExitOk));
    const QStringList lines = out.split(u'\n', Qt::SkipEmptyParts);
    const QRegularExpression listener(u"^[a-z]+(\\.[a-z]+)? 127\\.0\\.0\\.1:[0-9]{1,5}$"_s);
    int listeners = 0;
    for (const QString &l : lines)
        listeners += listener.match(l).hasMatch() ? 1 : 0;
    QCOMPARE(listeners, 19);
    QCOMPARE(lines.first().section(u' ', 0, 0), u"hub"_s);
    QVERIFY2(
        out.contains(u"transfers ok "_s) && out.contains(u" unexpected 0 "_s), qPrintable(out));
    for (const char *scenario : { "success", "unknown-party", "insufficient-funds", "payer-limit",
             "expired", "payee-rejection" })
        QVERIFY2(out.contains(u"  %1: "_s.arg(QLatin1String(scenario))), scenario);
}

QTEST_GUILESS_MAIN(TestCliSandbox)
#include "tst_cli_sandbox.moc"
