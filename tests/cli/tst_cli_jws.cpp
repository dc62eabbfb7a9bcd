// pm-connector jws sign | verify, in process and as the real executable.

#include "app/cli/cli.h"

#include "core/fspiop/json.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Pm::Fspiop::Json;

namespace {

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

Run runCli(const QStringList &args)
{
    Run run;
    QTextStream out(&run.out);
    QTextStream err(&run.err);
    run.code = Pm::Cli::run(args, Pm::Cli::Io{out, err});
    out.flush();
    err.flush();
    return run;
}

QString vectorPath(const char *name)
{
    return QStringLiteral(PM_TEST_DATA_DIR "/vectors/") + QString::fromLatin1(name);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

QByteArray bytes(const Json &value)
{
    return QByteArray::fromStdString(value.get<std::string>());
}

} // namespace

class TestCliJws : public QObject
{
    Q_OBJECT

private:
    std::optional<QTemporaryDir> m_dir;
    Json m_vectors;

    QString write(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir->filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    /** Checks a failed run: `code`, nothing on stdout, exactly one "pm-connector: " line on stderr. */
    static void verifyOneErrorLine(const Run &run, int code)
    {
        QCOMPARE(run.code, code);
        QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
        QVERIFY2(run.err.startsWith(u"pm-connector: "_s), qPrintable(run.err));
        QVERIFY2(run.err.endsWith(u'\n'), qPrintable(run.err));
        QCOMPARE(run.err.count(u'\n'), 1);
    }

    /** jws sign of `body` with the vector key; returns the printed header object. */
    Json signBody(const QString &bodyPath, const QStringList &extra = {})
    {
        const Run run = runCli(QStringList{u"jws"_s, u"sign"_s, u"--key"_s, vectorPath("jws-test-key.pem"),
                                           u"--method"_s, u"PUT"_s, u"--uri"_s,
                                           u"http://127.0.0.1:14000/quotes/b51ec534-ee48-4575-b6a9-ead2955b8069"_s,
                                           u"--source"_s, u"payeefsp"_s, u"--body"_s, bodyPath}
                               + extra);
        if (run.code != Pm::Cli::ExitOk || !run.err.isEmpty())
            qFatal("jws sign failed: %s", qPrintable(run.err));
        const auto parsed = Pm::Fspiop::parseJson(run.out.toUtf8());
        if (!parsed || !run.out.endsWith(u'\n') || run.out.count(u'\n') != 1)
            qFatal("jws sign printed no single-line JSON: %s", qPrintable(run.out));
        return *parsed;
    }

private slots:
    void initTestCase()
    {
        m_dir.emplace();
        QVERIFY(m_dir->isValid());
        const auto vectors = Pm::Fspiop::parseJson(readFile(vectorPath("jws.json")));
        QVERIFY(vectors);
        m_vectors = *vectors;
    }

    void signThenVerify()
    {
        const QByteArray body = R"({"quoteId":"b51ec534","amount":{"amount":"1","currency":"USD"}})"_ba;
        const QString bodyPath = write(u"body.json"_s, body);
        const Json headers = signBody(bodyPath, {u"--destination"_s, u"payerfsp"_s, u"--date"_s,
                                                 u"Wed, 01 Jan 2025 00:00:00 GMT"_s});
        QStringList names;
        for (const auto &[name, value] : headers.items())
            names << QString::fromStdString(name);
        QCOMPARE(names, (QStringList{u"fspiop-signature"_s, u"fspiop-uri"_s, u"fspiop-http-method"_s,
                                     u"fspiop-source"_s, u"fspiop-destination"_s, u"date"_s}));
        QCOMPARE(bytes(headers["fspiop-uri"]), "/quotes/b51ec534-ee48-4575-b6a9-ead2955b8069"_ba);
        QCOMPARE(bytes(headers["fspiop-http-method"]), "PUT"_ba);
        QCOMPARE(bytes(headers["date"]), "Wed, 01 Jan 2025 00:00:00 GMT"_ba);

        // The printed object is the header map verify takes.
        const QString headersPath = write(u"signed-headers.json"_s, Pm::Fspiop::serializeJson(headers));
        const Run run = runCli({u"jws"_s, u"verify"_s, u"--key"_s, vectorPath("jws-test-key.pub.pem"),
                                u"--headers"_s, headersPath, u"--body"_s, bodyPath});
        QCOMPARE(run.code, int(Pm::Cli::ExitOk));
        QCOMPARE(run.out, u"valid\n"_s);
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    }

    void signReproducesVector()
    {
        // put-quotes by 17.4.0: same key, same bytes, same headers → the same header value.
        const Json &testCase = m_vectors["signed"][0];
        QCOMPARE(testCase["name"].get<std::string>(), std::string("put-quotes-signed-by-17.4.0"));
        const QString bodyPath = write(u"vector-body.json"_s, bytes(testCase["output"]["wireBody"]));
        const Json headers = signBody(bodyPath, {u"--destination"_s, u"payerfsp"_s, u"--date"_s,
                                                 u"Wed, 01 Jan 2025 00:00:00 GMT"_s});
        QCOMPARE(bytes(headers["fspiop-signature"]),
                 bytes(testCase["output"]["headers"]["fspiop-signature"]));
    }

    void dateDefaultsToNow()
    {
        const QString bodyPath = write(u"small.json"_s, "{}"_ba);
        const Json headers = signBody(bodyPath);
        static const QRegularExpression httpDate(
            u"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
            u"\\d{4} \\d\\d:\\d\\d:\\d\\d GMT$"_s);
        QVERIFY2(httpDate.match(QString::fromStdString(headers["date"].get<std::string>())).hasMatch(),
                 headers["date"].get<std::string>().c_str());
        QVERIFY(!headers.contains("fspiop-destination"));
    }

    void verifyVectorCases_data()
    {
        QTest::addColumn<int>("index");
        for (std::size_t i = 0; i < m_vectors["signed"].size(); ++i)
            QTest::newRow(m_vectors["signed"][i]["name"].get<std::string>().c_str()) << int(i);
    }

    void verifyVectorCases()
    {
        QFETCH(int, index);
        const Json &output = m_vectors["signed"][std::size_t(index)]["output"];
        const QString headersPath = write(u"vector-headers.json"_s, Pm::Fspiop::serializeJson(output["headers"]));
        const QString bodyPath = write(u"vector-wire.json"_s, bytes(output["wireBody"]));
        const Run run = runCli({u"jws"_s, u"verify"_s, u"--key"_s, vectorPath("jws-test-key.pub.pem"),
                                u"--headers"_s, headersPath, u"--body"_s, bodyPath});
        QCOMPARE(run.code, int(Pm::Cli::ExitOk));
        QCOMPARE(run.out, u"valid\n"_s);
    }

    void tamperedBodyFails()
    {
        const Json &output = m_vectors["signed"][0]["output"];
        const QString headersPath = write(u"tampered-headers.json"_s, Pm::Fspiop::serializeJson(output["headers"]));
        QByteArray body = bytes(output["wireBody"]);
        body.replace("100.5", "100.6");
        const QString bodyPath = write(u"tampered.json"_s, body);
        const Run run = runCli({u"jws"_s, u"verify"_s, u"--key"_s, vectorPath("jws-test-key.pub.pem"),
                                u"--headers"_s, headersPath, u"--body"_s, bodyPath});
        verifyOneErrorLine(run, Pm::Cli::ExitCheckFailed);
        QVERIFY2(run.err.contains(u"signature does not verify"_s), qPrintable(run.err));

        // Wrong key: also a failed check.
        const Run wrongKey = runCli({u"jws"_s, u"verify"_s, u"--key"_s, vectorPath("jws-other-key.pub.pem"),
                                     u"--headers"_s, headersPath, u"--body"_s,
                                     write(u"untampered.json"_s, bytes(output["wireBody"]))});
        verifyOneErrorLine(wrongKey, Pm::Cli::ExitCheckFailed);
    }

    void badInputIsUsageError_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString pub = vectorPath("jws-test-key.pub.pem");
        const QString priv = vectorPath("jws-test-key.pem");
        const QString body = write(u"usage-body.json"_s, "{}"_ba);
        const QString headers = write(u"usage-headers.json"_s, R"({"fspiop-source":"payeefsp"})"_ba);
        const QString badPem = write(u"bad.pem"_s, "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n"_ba);
        const QString malformed = write(u"malformed.json"_s, R"({"fspiop-source":)"_ba);
        const QString notStrings = write(u"numbers.json"_s, R"({"fspiop-source":1})"_ba);
        const QString missing = m_dir->filePath(u"does-not-exist.json"_s);
        const QStringList sign = {u"jws"_s, u"sign"_s, u"--method"_s, u"PUT"_s, u"--uri"_s, u"/quotes/1"_s,
                                  u"--source"_s, u"payeefsp"_s};

        QTest::newRow("verify: missing body file")
            << QStringList{u"jws"_s, u"verify"_s, u"--key"_s, pub, u"--headers"_s, headers, u"--body"_s, missing}
            << u"cannot read body"_s;
        QTest::newRow("verify: missing key file")
            << QStringList{u"jws"_s, u"verify"_s, u"--key"_s, missing, u"--headers"_s, headers, u"--body"_s, body}
            << u"cannot read key"_s;
        QTest::newRow("verify: bad PEM")
            << QStringList{u"jws"_s, u"verify"_s, u"--key"_s, badPem, u"--headers"_s, headers, u"--body"_s, body}
            << u"bad PEM"_s;
        QTest::newRow("verify: private key given")
            << QStringList{u"jws"_s, u"verify"_s, u"--key"_s, priv, u"--headers"_s, headers, u"--body"_s, body}
            << u"private key"_s;
        QTest::newRow("verify: malformed headers JSON")
            << QStringList{u"jws"_s, u"verify"_s, u"--key"_s, pub, u"--headers"_s, malformed, u"--body"_s, body}
            << u"malformed JSON"_s;
        QTest::newRow("verify: header value not a string")
            << QStringList{u"jws"_s, u"verify"_s, u"--key"_s, pub, u"--headers"_s, notStrings, u"--body"_s, body}
            << u"is not a string"_s;
        QTest::newRow("verify: missing --key")
            << QStringList{u"jws"_s, u"verify"_s, u"--headers"_s, headers, u"--body"_s, body}
            << u"--key is required"_s;
        QTest::newRow("verify: unknown option")
            << QStringList{u"jws"_s, u"verify"_s, u"--kee"_s, pub} << u"Unknown option"_s;
        QTest::newRow("sign: missing --key") << sign + QStringList{u"--body"_s, body} << u"--key is required"_s;
        QTest::newRow("sign: missing --body") << sign + QStringList{u"--key"_s, priv} << u"--body is required"_s;
        QTest::newRow("sign: public key given")
            << sign + QStringList{u"--key"_s, pub, u"--body"_s, body} << u"expected a private key"_s;
        QTest::newRow("sign: missing body file")
            << sign + QStringList{u"--key"_s, priv, u"--body"_s, missing} << u"cannot read body"_s;
        QTest::newRow("sign: no resource in URI")
            << QStringList{u"jws"_s, u"sign"_s, u"--key"_s, priv, u"--method"_s, u"PUT"_s, u"--uri"_s,
                           u"/health"_s, u"--source"_s, u"x"_s, u"--body"_s, body}
            << u"no FSPIOP resource"_s;
        QTest::newRow("sign: stray argument")
            << sign + QStringList{u"--key"_s, priv, u"--body"_s, body, u"extra"_s} << u"unexpected argument"_s;
        const QString notJson = write(u"not-json.txt"_s, "amount=100"_ba);
        const QStringList signWith = {u"jws"_s, u"sign"_s, u"--key"_s, priv, u"--uri"_s, u"/quotes/1"_s,
                                      u"--body"_s, body};
        QTest::newRow("sign: date not RFC 1123")
            << signWith + QStringList{u"--method"_s, u"PUT"_s, u"--source"_s, u"payeefsp"_s, u"--date"_s,
                                      u"2025-01-01T00:00:00Z"_s}
            << u"jws sign: --date '2025-01-01T00:00:00Z' is not an RFC 1123 date such as "
               u"'Wed, 01 Jan 2025 00:00:00 GMT'"_s;
        QTest::newRow("sign: weekday does not match the date")
            << signWith + QStringList{u"--method"_s, u"PUT"_s, u"--source"_s, u"payeefsp"_s, u"--date"_s,
                                      u"Mon, 01 Jan 2025 00:00:00 GMT"_s}
            << u"is not an RFC 1123 date"_s;
        QTest::newRow("sign: GET is not signed")
            << signWith + QStringList{u"--method"_s, u"GET"_s, u"--source"_s, u"payeefsp"_s}
            << u"jws sign: --method 'GET': FSPIOP signs only POST, PUT and PATCH requests"_s;
        QTest::newRow("sign: DELETE is not signed")
            << signWith + QStringList{u"--method"_s, u"DELETE"_s, u"--source"_s, u"payeefsp"_s}
            << u"FSPIOP signs only POST, PUT and PATCH"_s;
        QTest::newRow("sign: source with a blank")
            << signWith + QStringList{u"--method"_s, u"PUT"_s, u"--source"_s, u"payee fsp"_s}
            << u"jws sign: --source 'payee fsp' contains a blank"_s;
        QTest::newRow("sign: source too long")
            << signWith + QStringList{u"--method"_s, u"PUT"_s, u"--source"_s, QString(33, u'a')}
            << u"--source"_s;
        QTest::newRow("sign: empty destination")
            << signWith + QStringList{u"--method"_s, u"PUT"_s, u"--source"_s, u"payeefsp"_s,
                                      u"--destination"_s, QString()}
            << u"--destination"_s;
        QTest::newRow("sign: body not JSON")
            << QStringList{u"jws"_s, u"sign"_s, u"--key"_s, priv, u"--uri"_s, u"/quotes/1"_s, u"--method"_s,
                           u"PUT"_s, u"--source"_s, u"payeefsp"_s, u"--body"_s, notJson}
            << u"jws sign: body '%1' is not JSON (malformed JSON"_s.arg(notJson);
        QTest::newRow("sign: unknown option keeps its dashes")
            << sign + QStringList{u"--bogus"_s} << u"jws sign: Unknown option '--bogus' (see --help)"_s;
        QTest::newRow("jws: no subcommand") << QStringList{u"jws"_s} << u"missing subcommand"_s;
        QTest::newRow("jws: unknown subcommand") << QStringList{u"jws"_s, u"check"_s} << u"unknown subcommand"_s;
    }

    void badInputIsUsageError()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run run = runCli(args);
        verifyOneErrorLine(run, Pm::Cli::ExitBadUsage);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
    }

    void help_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("jws") << QStringList{u"jws"_s, u"--help"_s} << u"Usage: pm-connector jws"_s;
        QTest::newRow("sign") << QStringList{u"jws"_s, u"sign"_s, u"--help"_s}
                              << u"Usage: pm-connector jws sign"_s;
        QTest::newRow("verify") << QStringList{u"jws"_s, u"verify"_s, u"-h"_s}
                                << u"Usage: pm-connector jws verify"_s;
    }

    void help()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const Run run = runCli(args);
        QCOMPARE(run.code, int(Pm::Cli::ExitOk));
        QVERIFY2(run.out.startsWith(expected), qPrintable(run.out));
        QVERIFY(run.err.isEmpty());
    }

    void realExecutable()
    {
        const QString program = QStringLiteral(PM_BINARY_DIR "/app/cli/pm-connector");
        QVERIFY2(QFile::exists(program), qPrintable(program));
        const Json &output = m_vectors["signed"][3]["output"];
        const QString headersPath = write(u"process-headers.json"_s, Pm::Fspiop::serializeJson(output["headers"]));
        const QString good = write(u"process-body.json"_s, bytes(output["wireBody"]));
        QByteArray changed = bytes(output["wireBody"]);
        changed.replace("USD", "EUR");
        const QString bad = write(u"process-bad.json"_s, changed);

        const auto exec = [&](const QStringList &args, QByteArray *out = nullptr, QByteArray *err = nullptr) {
            QProcess process;
            process.start(program, args);
            if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit)
                return -1;
            if (out)
                *out = process.readAllStandardOutput();
            if (err)
                *err = process.readAllStandardError();
            return process.exitCode();
        };
        const QString key = vectorPath("jws-test-key.pub.pem");
        QByteArray out;
        QByteArray err;
        QCOMPARE(exec({u"jws"_s, u"verify"_s, u"--key"_s, key, u"--headers"_s, headersPath, u"--body"_s, good},
                      &out, &err),
                 0);
        QCOMPARE(out, "valid\n"_ba);
        QCOMPARE(err, QByteArray());
        QCOMPARE(exec({u"jws"_s, u"verify"_s, u"--key"_s, key, u"--headers"_s, headersPath, u"--body"_s, bad},
                      &out, &err),
                 1);
        QVERIFY(err.startsWith("pm-connector: jws verify: invalid (3105)"));
        QCOMPARE(exec({u"jws"_s, u"verify"_s, u"--headers"_s, headersPath, u"--body"_s, good}), 2);
        QCOMPARE(exec({u"jws"_s, u"sign"_s, u"--help"_s}), 0);
    }
};

QTEST_GUILESS_MAIN(TestCliJws)
#include "tst_cli_jws.moc"
