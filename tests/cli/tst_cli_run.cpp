// pm-connector run as a real process: listens, prints its ports, stops cleanly on SIGTERM; an
// invalid setting stops it before anything starts.

#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

class TestCliRun : public QObject
{
    Q_OBJECT

private slots:
    void runsAndStopsOnSigterm();
    void invalidSettingExits2();
    void portInUseIsOneLine();
    void requiredSettingsAloneNeedTheSigningKey();
    void unusableKeyFileExits2();
    void unknownOptionKeepsItsDashes();

private:
    static QString binary() { return QStringLiteral(PM_BINARY_DIR) + u"/app/cli/pm-connector"_s; }
    static QProcessEnvironment baseEnvironment()
    {
        QProcessEnvironment env;
        env.insert(u"PATH"_s, qEnvironmentVariable("PATH"));
        env.insert(u"DFSP_ID"_s, u"payeefsp"_s);
        env.insert(u"PEER_ENDPOINT"_s, u"127.0.0.1:9"_s);
        env.insert(u"BACKEND_ENDPOINT"_s, u"127.0.0.1:9"_s);
        env.insert(u"INBOUND_LISTEN_PORT"_s, u"0"_s);
        env.insert(u"OUTBOUND_LISTEN_PORT"_s, u"0"_s);
        env.insert(u"METRICS_SERVER_LISTEN_PORT"_s, u"0"_s);
        env.insert(u"JWS_SIGN"_s, u"false"_s);
        env.insert(u"VALIDATE_INBOUND_JWS"_s, u"false"_s);
        env.insert(u"ILP_SECRET"_s, u"cli-test-secret"_s);
        return env;
    }
};

void TestCliRun::runsAndStopsOnSigterm()
{
    QTemporaryDir dir;
    QProcess p;
    p.setProcessEnvironment(baseEnvironment());
    p.start(binary(), {u"run"_s, u"--data-dir"_s, dir.path()});
    QVERIFY(p.waitForStarted());
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).count('\n') >= 3, 10000);
    const QRegularExpression line(u"^(inbound|outbound|metrics) 127\\.0\\.0\\.1:(\\d+)$"_s);
    const QStringList lines = QString::fromUtf8(out).trimmed().split(u'\n');
    QCOMPARE(lines.size(), 3);
    for (const QString &l : lines) {
        const auto m = line.match(l);
        QVERIFY2(m.hasMatch(), qPrintable(l));
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, quint16(m.captured(2).toUInt()));
        QVERIFY(s.waitForConnected(2000));
    }
    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(QFile::exists(dir.filePath(u"connector.sqlite"_s)));
}

void TestCliRun::invalidSettingExits2()
{
    QTemporaryDir dir;
    QProcess p;
    QProcessEnvironment env = baseEnvironment();
    env.insert(u"OUTBOUND_LISTEN_PORT"_s, u"99999"_s);
    p.setProcessEnvironment(env);
    p.start(binary(), {u"run"_s, u"--data-dir"_s, dir.path()});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 2);
    const QString err = QString::fromUtf8(p.readAllStandardError()).trimmed();
    QVERIFY2(err.contains(u"OUTBOUND_LISTEN_PORT"_s), qPrintable(err));
    QCOMPARE(err.count(u'\n'), 0);
    QVERIFY(p.readAllStandardOutput().isEmpty());
    QVERIFY(!QFile::exists(dir.filePath(u"connector.sqlite"_s)));
}

void TestCliRun::portInUseIsOneLine()
{
    QTcpServer busy;
    QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
    QTemporaryDir dir;
    QProcess p;
    QProcessEnvironment env = baseEnvironment();
    env.insert(u"INBOUND_LISTEN_PORT"_s, QString::number(busy.serverPort()));
    p.setProcessEnvironment(env);
    p.start(binary(), {u"run"_s, u"--data-dir"_s, dir.path()});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 1);
    const QStringList errors = QString::fromUtf8(p.readAllStandardError()).trimmed().split(u'\n');
    const QString expected = u"pm-connector: INBOUND_LISTEN_PORT: cannot listen on 127.0.0.1:%1: "_s.arg(
        busy.serverPort());
    QVERIFY2(errors.last().startsWith(expected), qPrintable(errors.last()));
    // The cause once: the address is not repeated by a second layer of the message.
    QCOMPARE(errors.last().count(u"127.0.0.1:%1"_s.arg(busy.serverPort())), 1);
    QVERIFY2(errors.last().size() > expected.size(), qPrintable(errors.last())); // the OS's reason
}

void TestCliRun::requiredSettingsAloneNeedTheSigningKey()
{
    // JWS_SIGN defaults to true: the required settings alone are refused at load time, exit 2.
    QTemporaryDir dir;
    QProcess p;
    QProcessEnvironment env = baseEnvironment();
    env.remove(u"JWS_SIGN"_s);
    p.setProcessEnvironment(env);
    p.start(binary(), {u"run"_s, u"--data-dir"_s, dir.path()});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 2);
    QCOMPARE(QString::fromUtf8(p.readAllStandardError()),
             u"pm-connector: JWS_SIGNING_KEY_PATH: required when JWS_SIGN is true; set it or set "
             u"JWS_SIGN=false\n"_s);
    QVERIFY(!QFile::exists(dir.filePath(u"connector.sqlite"_s)));
}

void TestCliRun::unusableKeyFileExits2()
{
    QTemporaryDir dir;
    const QString key = dir.filePath(u"key.pem"_s);
    QFile f(key);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not a key\n");
    f.close();
    QProcess p;
    QProcessEnvironment env = baseEnvironment();
    env.insert(u"JWS_SIGN"_s, u"true"_s);
    env.insert(u"JWS_SIGNING_KEY_PATH"_s, key);
    p.setProcessEnvironment(env);
    p.start(binary(), {u"run"_s, u"--data-dir"_s, dir.filePath(u"data"_s)});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 2);
    const QString err = QString::fromUtf8(p.readAllStandardError()).trimmed();
    QVERIFY2(err.startsWith(u"pm-connector: JWS_SIGNING_KEY_PATH: '%1': "_s.arg(key)), qPrintable(err));
    QCOMPARE(err.count(u'\n'), 0);
}

void TestCliRun::unknownOptionKeepsItsDashes()
{
    QProcess p;
    p.setProcessEnvironment(baseEnvironment());
    p.start(binary(), {u"run"_s, u"--bogus"_s});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 2);
    QCOMPARE(QString::fromUtf8(p.readAllStandardError()),
             u"pm-connector: run: Unknown option '--bogus' (see --help)\n"_s);
}

QTEST_GUILESS_MAIN(TestCliRun)
#include "tst_cli_run.moc"
