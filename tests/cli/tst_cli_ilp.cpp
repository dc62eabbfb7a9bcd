#include "app/cli/cli.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;
using Json = nlohmann::ordered_json;

namespace {

struct Outcome
{
    int code = -1;
    QString out;
    QString err;
};

Outcome run(const QStringList &args)
{
    Outcome o;
    QTextStream out(&o.out);
    QTextStream err(&o.err);
    o.code = Pm::Cli::run(args, Pm::Cli::Io{out, err});
    out.flush();
    err.flush();
    return o;
}

const Json &vectors()
{
    static const Json data = [] {
        QFile file(QStringLiteral(PM_TEST_DATA_DIR "/vectors/ilp.json"));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("cannot open ilp.json");
        const QByteArray bytes = file.readAll();
        return Json::parse(bytes.constBegin(), bytes.constEnd());
    }();
    return data;
}

const Json &findCase(std::string_view name)
{
    for (const Json &c : vectors()["cases"]) {
        if (c["name"] == name)
            return c;
    }
    qFatal("no such case");
}

const Json &findResult(const Json &c, std::string_view library, std::string_view version)
{
    for (const Json &r : c["results"]) {
        if (r["library"] == library && r["ilpVersion"] == version)
            return r;
    }
    qFatal("no such result");
}

QString qs(const Json &j)
{
    return QString::fromStdString(j.get<std::string>());
}

Json parseOut(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    return Json::parse(utf8.constBegin(), utf8.constEnd());
}

constexpr std::string_view k19 = "sdk-standard-components@19.19.1";

} // namespace

class TestCliIlp : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_secret;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    QString writeJson(const QString &name, const Json &value)
    {
        return writeFile(name, QByteArray::fromStdString(value.dump(2)));
    }

    QStringList buildArgs(const QString &version, const QString &request, const QString &response)
    {
        return {u"ilp"_s,           u"build"_s,    u"--version"_s,        version,
                u"--secret"_s,      m_secret,      u"--quote-request"_s,  request,
                u"--quote-response"_s, response};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_secret = qs(vectors()["secret"]);
        for (const char *name : {"100.5-USD", "1.234-BHD", "100-XXX", "0.29-USD", "100.50-USD"}) {
            const Json &c = findCase(name);
            writeJson(QString::fromLatin1(name) + u"-request.json"_s, c["input"]["quoteRequest"]);
            writeJson(QString::fromLatin1(name) + u"-response.json"_s, c["input"]["quoteResponse"]);
        }
        Json unknown = findCase("100.5-USD")["input"]["quoteResponse"];
        unknown["transferAmount"]["currency"] = "ABC";
        writeJson(u"unknown-currency-response.json"_s, unknown);
        Json xof = findCase("100.5-USD")["input"]["quoteResponse"];
        xof["transferAmount"]["currency"] = "XOF";
        writeJson(u"xof-response.json"_s, xof);
        writeFile(u"malformed.json"_s, "{\"quoteId\": \"x\",");
        writeFile(u"secret.txt"_s, m_secret.toUtf8() + '\n');
        writeFile(u"empty-secret.txt"_s, "\n");
        writeFile(u"malformed-lines.json"_s, "{\n  \"quoteId\": \"x\",\n  \"amount\": nope\n}\n");
    }

    void buildMatchesVector_data()
    {
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<QString>("version");
        for (const char *name : {"100.5-USD", "1.234-BHD", "100-XXX", "0.29-USD"}) {
            for (const char *version : {"1", "4"})
                QTest::addRow("%s/v%s", name, version) << QString::fromLatin1(name)
                                                       << QString::fromLatin1(version);
        }
    }

    void buildMatchesVector()
    {
        QFETCH(QString, caseName);
        QFETCH(QString, version);
        const Outcome o = run(buildArgs(version, m_dir.filePath(caseName + u"-request.json"_s),
                                        m_dir.filePath(caseName + u"-response.json"_s)));
        QCOMPARE(o.err, QString());
        QCOMPARE(o.code, 0);
        const Json out = parseOut(o.out);
        const std::string ilpVersion = QString(u"v"_s + version).toStdString();
        const Json &expected = findResult(findCase(caseName.toStdString()), k19, ilpVersion);
        QCOMPARE(qs(out["ilpPacket"]), qs(expected["ilpPacket"]));
        QCOMPARE(qs(out["condition"]), qs(expected["condition"]));
        QCOMPARE(qs(out["fulfilment"]), qs(expected["fulfilment"]));
        QVERIFY(out["transactionObject"] == expected["transactionObjectFromPacket"]);
        // The printed object keeps the packet's (sorted) key order.
        QCOMPARE(QString::fromStdString(out["transactionObject"].dump()),
                 qs(expected["transactionObjectJson"]));
    }

    void buildWithSecretFile()
    {
        QStringList args = buildArgs(u"1"_s, m_dir.filePath(u"100.5-USD-request.json"_s),
                                     m_dir.filePath(u"100.5-USD-response.json"_s));
        const qsizetype at = args.indexOf(u"--secret"_s);
        args[at] = u"--secret-file"_s;
        args[at + 1] = m_dir.filePath(u"secret.txt"_s);
        const Outcome o = run(args);
        QCOMPARE(o.code, 0);
        QCOMPARE(qs(parseOut(o.out)["fulfilment"]),
                 qs(findResult(findCase("100.5-USD"), k19, "v1")["fulfilment"]));
    }

    void buildFailures_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("error");
        const QString request = m_dir.filePath(u"100.5-USD-request.json"_s);
        const QString response = m_dir.filePath(u"100.5-USD-response.json"_s);
        QTest::newRow("unknown currency")
            << buildArgs(u"1"_s, request, m_dir.filePath(u"unknown-currency-response.json"_s)) << 1
            << u"pm-connector: ilp build: quoteResponse.transferAmount.currency: currency 'ABC' is "
               u"not a known ISO 4217 code\n"_s;
        QTest::newRow("fraction of XOF")
            << buildArgs(u"4"_s, request, m_dir.filePath(u"xof-response.json"_s)) << 1
            << u"pm-connector: ilp build: quoteResponse.transferAmount.amount: '100.5' is not a "
               u"whole number of minor units of XOF (0 decimals)\n"_s;
        QTest::newRow("amount with a trailing zero")
            << buildArgs(u"1"_s, m_dir.filePath(u"100.50-USD-request.json"_s),
                         m_dir.filePath(u"100.50-USD-response.json"_s))
            << 1
            << u"pm-connector: ilp build: quoteResponse.transferAmount.amount: '100.50' has a "
               u"trailing zero (write it as '100.5')\n"_s;
        const QString missing = m_dir.filePath(u"nope.json"_s);
        QTest::newRow("missing file")
            << buildArgs(u"1"_s, missing, response) << 2
            << u"pm-connector: cannot read quote request '%1': No such file or directory\n"_s.arg(
                   missing);
        QTest::newRow("bad version") << buildArgs(u"2"_s, request, response) << 2
                                     << u"pm-connector: ilp build: --version must be 1 or 4, not "
                                        u"'2'\n"_s;
        QStringList noSecret = buildArgs(u"1"_s, request, response);
        noSecret.remove(noSecret.indexOf(u"--secret"_s), 2);
        QTest::newRow("no secret")
            << noSecret << 2
            << u"pm-connector: ilp build: give exactly one of --secret and --secret-file\n"_s;
        QStringList noVersion = buildArgs(u"1"_s, request, response);
        noVersion.remove(noVersion.indexOf(u"--version"_s), 2);
        QTest::newRow("no version") << noVersion << 2
                                    << u"pm-connector: ilp build: --version is required\n"_s;
        QTest::newRow("unknown option")
            << QStringList{u"ilp"_s, u"build"_s, u"--colour"_s} << 2
            << u"pm-connector: ilp build: Unknown option '--colour' (see --help)\n"_s;
        QStringList emptySecret = buildArgs(u"1"_s, request, response);
        emptySecret[emptySecret.indexOf(u"--secret"_s) + 1] = QString();
        QTest::newRow("empty secret")
            << emptySecret << 2 << u"pm-connector: ilp build: the ILP secret is empty (--secret)\n"_s;
        QStringList emptySecretFile = buildArgs(u"1"_s, request, response);
        const qsizetype at = emptySecretFile.indexOf(u"--secret"_s);
        emptySecretFile[at] = u"--secret-file"_s;
        emptySecretFile[at + 1] = m_dir.filePath(u"empty-secret.txt"_s);
        QTest::newRow("empty secret file")
            << emptySecretFile << 2
            << u"pm-connector: ilp build: the ILP secret is empty (secret file '%1')\n"_s.arg(
                   m_dir.filePath(u"empty-secret.txt"_s));
        QTest::newRow("unknown subcommand")
            << QStringList{u"ilp"_s, u"sign"_s} << 2
            << u"pm-connector: ilp: unknown command 'sign' (build, decode or check)\n"_s;
    }

    void buildFailures()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, error);
        const Outcome o = run(args);
        QCOMPARE(o.err, error);
        QCOMPARE(o.code, code);
        QCOMPARE(o.out, QString());
    }

    void buildMalformedJson()
    {
        const Outcome o = run(buildArgs(u"1"_s, m_dir.filePath(u"malformed.json"_s),
                                        m_dir.filePath(u"100.5-USD-response.json"_s)));
        QCOMPARE(o.code, 2);
        QCOMPARE(o.err, u"pm-connector: ilp build: quote request '%1' is not valid JSON (it ends "
                        u"too early, line 1)\n"_s.arg(m_dir.filePath(u"malformed.json"_s)));

        // Line and column of the character where the text stopped being JSON (the "o" of "nope");
        // no library text.
        const Outcome lines = run(buildArgs(u"1"_s, m_dir.filePath(u"malformed-lines.json"_s),
                                            m_dir.filePath(u"100.5-USD-response.json"_s)));
        QCOMPARE(lines.code, 2);
        QCOMPARE(lines.err, u"pm-connector: ilp build: quote request '%1' is not valid JSON (line 3, "
                            u"column 14)\n"_s.arg(m_dir.filePath(u"malformed-lines.json"_s)));
    }

    void decodeVectorPackets_data()
    {
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<QString>("version");
        QTest::newRow("v1") << u"1.234-BHD"_s << u"v1"_s;
        QTest::newRow("v4") << u"1.234-BHD"_s << u"v4"_s;
        QTest::newRow("v4 XXX") << u"100-XXX"_s << u"v4"_s;
    }

    void decodeVectorPackets()
    {
        QFETCH(QString, caseName);
        QFETCH(QString, version);
        const Json &expected = findResult(findCase(caseName.toStdString()), k19,
                                          version.toStdString());
        const Outcome o = run({u"ilp"_s, u"decode"_s, qs(expected["ilpPacket"])});
        QCOMPARE(o.err, QString());
        QCOMPARE(o.code, 0);
        const Json out = parseOut(o.out);
        const Json &fields = expected["decodedPacket"];
        QCOMPARE(out["version"].get<int>(), version == u"v1"_s ? 1 : 4);
        QCOMPARE(qs(out["amount"]), qs(fields["amount"]));
        QCOMPARE(qs(out["data"]), qs(fields["data"]["utf8"]));
        if (version == u"v1"_s) {
            QCOMPARE(qs(out["account"]), qs(fields["account"]));
        } else {
            QCOMPARE(qs(out["expiresAt"]), qs(fields["expiresAt"]));
            QCOMPARE(qs(out["destination"]), qs(fields["destination"]));
            QCOMPARE(qs(out["executionCondition"]), qs(expected["condition"]));
        }
        QVERIFY(out["transactionObject"] == expected["transactionObjectFromPacket"]);
    }

    void decodeFailures_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::newRow("bad base64") << QStringList{u"ilp"_s, u"decode"_s, u"AY*C"_s}
                                    << u"pm-connector: ilp decode: ilpPacket: not base64url\n"_s;
        QTest::newRow("garbage packet")
            << QStringList{u"ilp"_s, u"decode"_s, u"AQUAAA"_s}
            << u"pm-connector: ilp decode: ilpPacket: the envelope length is malformed or exceeds "
               u"the packet\n"_s;
        QTest::newRow("no packet") << QStringList{u"ilp"_s, u"decode"_s}
                                   << u"pm-connector: ilp decode: give exactly one PACKET\n"_s;
    }

    void decodeFailures()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        const Outcome o = run(args);
        QCOMPARE(o.err, error);
        QCOMPARE(o.code, 2);
    }

    void check()
    {
        const Json &r = findResult(findCase("100.5-USD"), k19, "v4");
        const QString f = qs(r["fulfilment"]);
        const QString c = qs(r["condition"]);
        const QString other = qs(findResult(findCase("1.234-BHD"), k19, "v4")["condition"]);

        Outcome o = run({u"ilp"_s, u"check"_s, u"--fulfilment"_s, f, u"--condition"_s, c});
        QCOMPARE(o.code, 0);
        QCOMPARE(o.out, u"match\n"_s);
        QCOMPARE(o.err, QString());

        o = run({u"ilp"_s, u"check"_s, u"--fulfilment"_s, f, u"--condition"_s, other});
        QCOMPARE(o.code, 1);
        QCOMPARE(o.out, QString());
        QCOMPARE(o.err, u"pm-connector: ilp check: the fulfilment does not match the condition "
                        u"(it hashes to %1)\n"_s.arg(c));

        o = run({u"ilp"_s, u"check"_s, u"--fulfilment"_s, u"AAAA"_s, u"--condition"_s, c});
        QCOMPARE(o.code, 1);
        QCOMPARE(o.err, u"pm-connector: ilp check: fulfilment: decodes to 3 bytes, not 32\n"_s);

        o = run({u"ilp"_s, u"check"_s, u"--fulfilment"_s, u"a*b"_s, u"--condition"_s, c});
        QCOMPARE(o.code, 2);
        QCOMPARE(o.err, u"pm-connector: ilp check: fulfilment: not base64url\n"_s);

        o = run({u"ilp"_s, u"check"_s, u"--fulfilment"_s, f, u"--condition"_s, u"#"_s});
        QCOMPARE(o.code, 2);
        QCOMPARE(o.err, u"pm-connector: ilp check: --condition is not base64url\n"_s);

        // A padded or wrong-length condition is reported as such, not as a mismatch.
        o = run({u"ilp"_s, u"check"_s, u"--fulfilment"_s, f, u"--condition"_s, c + u"="_s});
        QCOMPARE(o.code, 2);
        QCOMPARE(o.err, u"pm-connector: ilp check: --condition must be 32 bytes base64url without "
                        u"padding, got 32 bytes with '=' padding\n"_s);
        o = run({u"ilp"_s, u"check"_s, u"--fulfilment"_s, f, u"--condition"_s, c.left(40)});
        QCOMPARE(o.code, 2);
        QCOMPARE(o.err, u"pm-connector: ilp check: --condition must be 32 bytes base64url without "
                        u"padding, got 30 bytes\n"_s);

        o = run({u"ilp"_s, u"check"_s, u"--fulfilment"_s, f});
        QCOMPARE(o.code, 2);
        QCOMPARE(o.err, u"pm-connector: ilp check: --condition is required\n"_s);
    }

    void help_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("usage");
        QTest::newRow("ilp") << QStringList{u"ilp"_s, u"--help"_s}
                             << u"Usage: pm-connector ilp <build|decode|check>"_s;
        QTest::newRow("build") << QStringList{u"ilp"_s, u"build"_s, u"--help"_s}
                               << u"Usage: pm-connector ilp build"_s;
        QTest::newRow("decode") << QStringList{u"ilp"_s, u"decode"_s, u"--help"_s}
                                << u"Usage: pm-connector ilp decode"_s;
        QTest::newRow("check") << QStringList{u"ilp"_s, u"check"_s, u"-h"_s}
                               << u"Usage: pm-connector ilp check"_s;
    }

    void help()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, usage);
        const Outcome o = run(args);
        QCOMPARE(o.code, 0);
        QVERIFY2(o.out.startsWith(usage), qPrintable(o.out));
        QCOMPARE(o.err, QString());
    }

    void noSubcommandIsBadUsage()
    {
        const Outcome o = run({u"ilp"_s});
        QCOMPARE(o.code, 2);
        QVERIFY(o.out.startsWith(u"Usage: pm-connector ilp"_s));
    }

    void realBinary()
    {
        const QString binary = QStringLiteral(PM_BINARY_DIR "/app/cli/pm-connector");
        QVERIFY2(QFile::exists(binary), qPrintable(binary));
        QProcess process;
        process.start(binary, buildArgs(u"4"_s, m_dir.filePath(u"0.29-USD-request.json"_s),
                                        m_dir.filePath(u"0.29-USD-response.json"_s)));
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.readAllStandardError(), QByteArray());
        QCOMPARE(process.exitCode(), 0);
        const QByteArray stdoutBytes = process.readAllStandardOutput();
        const Json out = Json::parse(stdoutBytes.constBegin(), stdoutBytes.constEnd());
        const Json &expected = findResult(findCase("0.29-USD"), k19, "v4");
        QCOMPARE(qs(out["ilpPacket"]), qs(expected["ilpPacket"]));

        QProcess check;
        check.start(binary, {u"ilp"_s, u"check"_s, u"--fulfilment"_s, qs(out["fulfilment"]),
                             u"--condition"_s, qs(out["condition"])});
        QVERIFY(check.waitForFinished(30000));
        QCOMPARE(check.exitCode(), 0);
        QCOMPARE(check.readAllStandardOutput(), "match\n"_ba);

        QProcess bad;
        bad.start(binary, buildArgs(u"1"_s, m_dir.filePath(u"100.5-USD-request.json"_s),
                                    m_dir.filePath(u"unknown-currency-response.json"_s)));
        QVERIFY(bad.waitForFinished(30000));
        QCOMPARE(bad.exitCode(), 1);
        const QByteArray err = bad.readAllStandardError();
        QCOMPARE(err.count('\n'), 1);
        QVERIFY(err.startsWith("pm-connector: ilp build: "));
    }
};

QTEST_GUILESS_MAIN(TestCliIlp)
#include "tst_cli_ilp.moc"
