// pm-connector hub as a real process: prints its listener, routes between participants from its
// configuration file, stops cleanly on SIGTERM; a bad configuration is one line naming the field.

#include "tests/hub/hubkit.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Test;

class TestCliHub : public QObject
{
    Q_OBJECT

private slots:
    void printsListenerRoutesAndStops();
    void badConfigurationNamesTheField();
    void missingFileNamesTheFile();

private:
    static QString binary() { return QStringLiteral(PM_BINARY_DIR) + u"/app/cli/pm-connector"_s; }
};

void TestCliHub::printsListenerRoutesAndStops()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    FakeDfsp payer(u"payerfsp"_s), payee(u"payeefsp"_s);
    QVERIFY(payer.start());
    QVERIFY(payee.start());
    QVERIFY(writeBytes(dir.filePath(u"payer.pem"_s), payer.publicKeyPem()));
    const QByteArray config
        = u"{\"participants\": ["
          u"{\"fspId\": \"payerfsp\", \"endpoint\": \"%1\", \"currencies\": [\"USD\"], "
          u"\"jwsPublicKeyPath\": \"payer.pem\"},"
          u"{\"fspId\": \"payeefsp\", \"endpoint\": \"%2\", \"currencies\": [\"USD\"]}],"
          u"\"parties\": [{\"type\": \"MSISDN\", \"id\": \"123\", \"fspId\": \"payeefsp\"}]}"_s
              .arg(payer.endpoint().toString(), payee.endpoint().toString())
              .toUtf8();
    QVERIFY(writeBytes(dir.filePath(u"hub.json"_s), config));

    QProcess p;
    // Under the sanitizers: allocations inside OpenSSL are reported intermittently by LeakSanitizer
    // at the child's exit (see lsan-openssl.supp); they are suppressed, leaks of our code are not.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (env.contains(u"ASAN_OPTIONS"_s)) {
        const QString supp
            = u"suppressions=%1/lsan-openssl.supp"_s.arg(QStringLiteral(PM_HUB_TEST_DIR));
        const QString lsan = env.value(u"LSAN_OPTIONS"_s);
        env.insert(u"LSAN_OPTIONS"_s, lsan.isEmpty() ? supp : lsan + u':' + supp);
    }
    p.setProcessEnvironment(env);
    p.start(binary(),
        { u"hub"_s, u"--config"_s, dir.filePath(u"hub.json"_s), u"--public-key-out"_s,
            dir.filePath(u"hub-public.pem"_s) });
    QVERIFY(p.waitForStarted());
    QVERIFY(waitUntil([&] { return p.canReadLine() || p.state() != QProcess::Running; }, 30000));
    const QString line = QString::fromUtf8(p.readLine());
    const auto m = QRegularExpression(u"^hub 127\\.0\\.0\\.1:(\\d+)\\n$"_s).match(line);
    QVERIFY2(m.hasMatch(), qPrintable(line + QString::fromUtf8(p.readAllStandardError())));
    const quint16 port = quint16(m.captured(1).toUInt());
    QVERIFY(port != 0);
    // The public key file is the hub's; its error callback verifies with it.
    QFile keyFile(dir.filePath(u"hub-public.pem"_s));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    auto hubKey = Fspiop::Jws::VerificationKey::fromPem(keyFile.readAll());
    QVERIFY(hubKey);

    const QUrl hub(u"http://127.0.0.1:%1"_s.arg(port));
    auto r = payer.send(hub, "GET", u"/parties/MSISDN/123"_s, Json());
    QVERIFY(r);
    QCOMPARE(r->status, 202);
    auto routed = payee.waitFor("GET", u"/parties/MSISDN/123"_s);
    QVERIFY(routed);
    QCOMPARE(routed->headers.value("FSPIOP-Destination"), "payeefsp");
    QVERIFY(payer.send(hub, "GET", u"/parties/MSISDN/404"_s, Json()));
    auto err = payer.waitFor("PUT", u"/parties/MSISDN/404/error"_s);
    QVERIFY(err);
    QCOMPARE(errorCodeOf(err->json), 3200);
    auto verified
        = Fspiop::Jws::verify(err->headers.fields(), err->body, [&](const QString &source) {
              return source == u"switch"_s ? std::optional(*hubKey) : std::nullopt;
          });
    QVERIFY2(verified, qPrintable(verified ? QString() : verified.error().message));

    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(waitUntil([&] { return p.state() == QProcess::NotRunning; }, 20000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    const QString err2 = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(p.exitCode() == 0, qPrintable(err2.left(8000)));
    QVERIFY2(
        err2.contains(u"pm-connector: hub stopped (2 requests, 0 refused, 1 error callbacks)"_s),
        qPrintable(err2));
}

void TestCliHub::badConfigurationNamesTheField()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray config = "{\"participants\": [{\"fspId\": \"a\", \"endpoint\": "
                              "\"http://127.0.0.1:1\", \"currencies\": [\"EURO\"]}]}";
    QVERIFY(writeBytes(dir.filePath(u"hub.json"_s), config));
    QProcess p;
    p.start(binary(), { u"hub"_s, u"--config"_s, dir.filePath(u"hub.json"_s) });
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 2);
    QCOMPARE(p.readAllStandardOutput(), QByteArray());
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(err,
        u"pm-connector: %1: participants[0].currencies: 'EURO' is not an ISO 4217 currency code\n"_s
            .arg(dir.filePath(u"hub.json"_s)));

    QProcess port;
    port.start(binary(), { u"hub"_s, u"--port"_s, u"70000"_s });
    QVERIFY(port.waitForFinished(30000));
    QCOMPARE(port.exitCode(), 2);
    QCOMPARE(QString::fromUtf8(port.readAllStandardError()),
        u"pm-connector: --port: '70000' is not a port number from 0 to 65535\n"_s);
}

void TestCliHub::missingFileNamesTheFile()
{
    QProcess p;
    p.start(binary(), { u"hub"_s, u"--config"_s, u"/nonexistent/hub.json"_s });
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 2);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.startsWith(
                 u"pm-connector: cannot read the hub configuration '/nonexistent/hub.json': "_s),
        qPrintable(err));
    QCOMPARE(err.count(u'\n'), 1);
}

QTEST_GUILESS_MAIN(TestCliHub)
#include "tst_cli_hub.moc"
