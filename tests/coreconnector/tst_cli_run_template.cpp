// pm-connector run with CORE_CONNECTOR_TEMPLATE, as a real process: the embedded core connector
// serves the backend API against a simulated core bank running in this test.

#include "core/corebank/corebank.h"
#include "tests/coreconnector/httpkit.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Test;

class TestCliRunTemplate : public QObject
{
    Q_OBJECT

private slots:
    void servesTheBackendApiFromTheTemplate();
    void brokenTemplateIsRefused();
    void coreBankCommand();

private:
    static QProcessEnvironment environment()
    {
        QProcessEnvironment env;
        env.insert(u"PATH"_s, qEnvironmentVariable("PATH"));
        env.insert(u"DFSP_ID"_s, u"payeefsp"_s);
        env.insert(u"PEER_ENDPOINT"_s, u"127.0.0.1:9"_s);
        env.insert(u"INBOUND_LISTEN_PORT"_s, u"0"_s);
        env.insert(u"OUTBOUND_LISTEN_PORT"_s, u"0"_s);
        env.insert(u"METRICS_SERVER_LISTEN_PORT"_s, u"0"_s);
        env.insert(u"JWS_SIGN"_s, u"false"_s);
        env.insert(u"VALIDATE_INBOUND_JWS"_s, u"false"_s);
        env.insert(u"ILP_SECRET"_s, u"cli-test-secret"_s);
        env.insert(u"CORE_CONNECTOR_TEMPLATE"_s, QStringLiteral(PM_TEMPLATES_DIR "/corebank.yaml"));
        return env;
    }
};

void TestCliRunTemplate::servesTheBackendApiFromTheTemplate()
{
    QTemporaryDir dir;
    CoreBank::CoreBank bank;
    CoreBank::CoreBankOptions o;
    o.dataDir = dir.filePath(u"bank"_s);
    QVERIFY(bank.start(o));
    QProcess p;
    QProcessEnvironment env = environment();
    env.insert(u"CORE_CONNECTOR_CONFIG_baseUrl"_s, bank.baseUrl());
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(PM_BINARY_DIR "/app/cli/pm-connector"),
        { u"run"_s, u"--data-dir"_s, dir.filePath(u"connector"_s) });
    QVERIFY(p.waitForStarted());
    QString backend, sendMoney;
    QString out;
    QElapsedTimer t;
    t.start();
    while ((backend.isEmpty() || sendMoney.isEmpty()) && t.elapsed() < 30000
        && p.state() == QProcess::Running) {
        if (!p.canReadLine() && !p.waitForReadyRead(500))
            continue;
        while (p.canReadLine()) {
            const QString line = QString::fromUtf8(p.readLine()).trimmed();
            out += line + u'\n';
            if (line.startsWith(u"backend "_s))
                backend = line.mid(8);
            if (line.startsWith(u"sendmoney "_s))
                sendMoney = line.mid(10);
        }
    }
    QVERIFY2(!backend.isEmpty() && !sendMoney.isEmpty(),
        qPrintable(out + QString::fromUtf8(p.readAllStandardError())));
    auto client = Net::createHttpClient();
    auto r = exchange(*client, "GET", u"http://"_s + backend + u"/parties/MSISDN/25644444444"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(field(r.json, "displayName"), u"Jean Mukasa"_s);
    auto unknown = exchange(*client, "GET", u"http://"_s + backend + u"/parties/MSISDN/0"_s);
    QCOMPARE(unknown.status, 404);
    QCOMPARE(field(unknown.json, "statusCode"), u"3204"_s);
    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
}

void TestCliRunTemplate::brokenTemplateIsRefused()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(u"t.yaml"_s);
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("name: t\ncore: {baseUrl: x}\n");
    f.close();
    QProcess p;
    QProcessEnvironment env = environment();
    env.insert(u"CORE_CONNECTOR_TEMPLATE"_s, file);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(PM_BINARY_DIR "/app/cli/pm-connector"),
        { u"run"_s, u"--data-dir"_s, dir.filePath(u"c"_s) });
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 2);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.startsWith(u"pm-connector: CORE_CONNECTOR_TEMPLATE: "_s + file
                 + u":1: (template): schema: Missing required property 'operations'"_s),
        qPrintable(err));
}

void TestCliRunTemplate::coreBankCommand()
{
    QTemporaryDir dir;
    QProcess p;
    p.start(QStringLiteral(PM_BINARY_DIR "/app/cli/pm-connector"),
        { u"corebank"_s, u"--data-dir"_s, dir.path() });
    QVERIFY(p.waitForStarted());
    QString url;
    QElapsedTimer t;
    t.start();
    while (url.isEmpty() && t.elapsed() < 30000 && p.state() == QProcess::Running) {
        if (!p.canReadLine() && !p.waitForReadyRead(500))
            continue;
        const QString line = QString::fromUtf8(p.readLine()).trimmed();
        if (line.startsWith(u"corebank "_s))
            url = line.mid(9);
    }
    QVERIFY2(!url.isEmpty(), p.readAllStandardError().constData());
    auto client = Net::createHttpClient();
    auto r = exchange(*client, "GET", url + u"/api/v1/accounts/1000000001"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(field(r.json, "ledgerBalance"), u"5000.00"_s);
    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(QFile::exists(dir.filePath(u"corebank.sqlite"_s)));
    QProcess bad;
    bad.start(QStringLiteral(PM_BINARY_DIR "/app/cli/pm-connector"),
        { u"corebank"_s, u"--port"_s, u"1"_s });
    QVERIFY(bad.waitForFinished(20000));
    QCOMPARE(bad.exitCode(), 2);
    QCOMPARE(QString::fromUtf8(bad.readAllStandardError()),
        u"pm-connector: corebank: --data-dir DIR is required\n"_s);
}

QTEST_GUILESS_MAIN(TestCliRunTemplate)
#include "tst_cli_run_template.moc"
