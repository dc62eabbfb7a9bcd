// pm-connector pki ..., run in process; every output file is checked with the openssl command line
// tool (verify with the right and the wrong purpose, req -verify, pkey with the passphrase).

#include "app/cli/cli.h"
#include "tests/pki/opensslcli.h"

#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace Qt::StringLiterals;
using Pm::Test::CliResult;
using Pm::Test::openssl;
using Pm::Test::readFile;
using Pm::Test::writeFile;

namespace {

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

Run pki(const QStringList &args)
{
    Run run;
    QTextStream out(&run.out);
    QTextStream err(&run.err);
    run.code = Pm::Cli::run(QStringList { u"pki"_s } + args, Pm::Cli::Io { out, err });
    out.flush();
    err.flush();
    return run;
}

} // namespace

class TestCliPki : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }
    CliResult ossl(const QStringList &args) const { return openssl(args, m_dir.path()); }

    static int mode(const QString &file)
    {
        struct stat info
        {
        };
        return ::stat(QFile::encodeName(file).constData(), &info) == 0 ? int(info.st_mode & 0777)
                                                                       : -1;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(writeFile(path(u"pass"_s), "ca passphrase 1\n"));
        QVERIFY(writeFile(path(u"wrongpass"_s), "not the passphrase\n"));
    }

    void createCaWithEncryptedKey()
    {
        const Run run = pki({ u"ca"_s, u"create"_s, u"--cn"_s, u"Payee DFSP CA"_s, u"--o"_s,
            u"Payee Bank"_s, u"--c"_s, u"UG"_s, u"--key-type"_s, u"RSA-2048"_s, u"--days"_s,
            u"730"_s, u"--cert-out"_s, path(u"ca.pem"_s), u"--key-out"_s, path(u"ca.key"_s),
            u"--passphrase-file"_s, path(u"pass"_s) });
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QVERIFY(run.out.contains(u"subject: CN=Payee DFSP CA,O=Payee Bank,C=UG"_s));
        QCOMPARE(mode(path(u"ca.key"_s)), 0600);
        QVERIFY(readFile(path(u"ca.key"_s)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        QVERIFY(ossl({ u"pkey"_s, u"-in"_s, u"ca.key"_s, u"-passin"_s, u"pass:ca passphrase 1"_s,
                         u"-noout"_s })
                    .ok());
        QVERIFY(
            !ossl({ u"pkey"_s, u"-in"_s, u"ca.key"_s, u"-passin"_s, u"pass:nope"_s, u"-noout"_s })
                 .ok());
        const CliResult text = ossl({ u"x509"_s, u"-in"_s, u"ca.pem"_s, u"-noout"_s, u"-text"_s });
        QVERIFY(text.ok());
        QVERIFY(text.out.contains("CA:TRUE"));
        QVERIFY(text.out.contains("Certificate Sign, CRL Sign"));
        QVERIFY(ossl({ u"verify"_s, u"-CAfile"_s, u"ca.pem"_s, u"ca.pem"_s }).ok());
    }

    void issueServerCertificate()
    {
        const Run run = pki({ u"cert"_s, u"issue"_s, u"--ca-cert"_s, path(u"ca.pem"_s),
            u"--ca-key"_s, path(u"ca.key"_s), u"--ca-key-passphrase-file"_s, path(u"pass"_s),
            u"--cn"_s, u"payee.example"_s, u"--dns"_s, u"payee.example"_s, u"--dns"_s,
            u"api.payee.example"_s, u"--ip"_s, u"10.0.0.7"_s, u"--cert-out"_s,
            path(u"server.pem"_s), u"--key-out"_s, path(u"server.key"_s), u"--unencrypted"_s });
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QVERIFY(run.out.contains(
            u"subjectAltName: DNS:payee.example, DNS:api.payee.example, IP:10.0.0.7"_s));
        QCOMPARE(mode(path(u"server.key"_s)), 0600);
        const CliResult ok = ossl({ u"verify"_s, u"-CAfile"_s, u"ca.pem"_s, u"-purpose"_s,
            u"sslserver"_s, u"server.pem"_s });
        QVERIFY2(ok.ok(), ok.all().constData());
        QVERIFY(!ossl({ u"verify"_s, u"-CAfile"_s, u"ca.pem"_s, u"-purpose"_s, u"sslclient"_s,
                          u"server.pem"_s })
                     .ok());
        // The key is the certificate's: same public key from both.
        const CliResult fromKey = ossl({ u"pkey"_s, u"-in"_s, u"server.key"_s, u"-pubout"_s });
        const CliResult fromCert
            = ossl({ u"x509"_s, u"-in"_s, u"server.pem"_s, u"-noout"_s, u"-pubkey"_s });
        QVERIFY(fromKey.ok() && fromCert.ok());
        QCOMPARE(fromKey.out, fromCert.out);
    }

    void keyCsrAndSignForClientAuth()
    {
        Run run = pki({ u"key"_s, u"generate"_s, u"--type"_s, u"rsa-2048"_s, u"--out"_s,
            path(u"hub.key"_s), u"--unencrypted"_s, u"--public-out"_s, path(u"hub.pub"_s) });
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QCOMPARE(run.out, u"RSA-2048 key written to %1 (unencrypted)\n"_s.arg(path(u"hub.key"_s)));
        QVERIFY(ossl({ u"pkey"_s, u"-in"_s, u"hub.key"_s, u"-check"_s, u"-noout"_s }).ok());
        QVERIFY(readFile(path(u"hub.pub"_s)).startsWith("-----BEGIN PUBLIC KEY-----"));

        run = pki({ u"csr"_s, u"create"_s, u"--key"_s, path(u"hub.key"_s), u"--cn"_s,
            u"hub.example"_s, u"--o"_s, u"Hub"_s, u"--ou"_s, u"Switch"_s, u"--l"_s, u"Kampala"_s,
            u"--st"_s, u"Central"_s, u"--c"_s, u"UG"_s, u"--email"_s, u"ops@hub.example"_s,
            u"--dns"_s, u"hub.example"_s, u"--out"_s, path(u"hub.csr"_s) });
        QVERIFY2(run.code == 0, qPrintable(run.err));
        const CliResult verify
            = ossl({ u"req"_s, u"-in"_s, u"hub.csr"_s, u"-verify"_s, u"-noout"_s });
        QVERIFY2(verify.ok(), verify.all().constData());

        run = pki({ u"cert"_s, u"sign"_s, u"--ca-cert"_s, path(u"ca.pem"_s), u"--ca-key"_s,
            path(u"ca.key"_s), u"--ca-key-passphrase-file"_s, path(u"pass"_s), u"--csr"_s,
            path(u"hub.csr"_s), u"--out"_s, path(u"hub.pem"_s) });
        QVERIFY2(run.code == 0, qPrintable(run.err));
        const CliResult client = ossl({ u"verify"_s, u"-CAfile"_s, u"ca.pem"_s, u"-purpose"_s,
            u"sslclient"_s, u"hub.pem"_s });
        QVERIFY2(client.ok(), client.all().constData());
        QVERIFY(!ossl(
            { u"verify"_s, u"-CAfile"_s, u"ca.pem"_s, u"-purpose"_s, u"sslserver"_s, u"hub.pem"_s })
                     .ok());
        const CliResult subject = ossl({ u"x509"_s, u"-in"_s, u"hub.pem"_s, u"-noout"_s,
            u"-subject"_s, u"-nameopt"_s, u"RFC2253"_s });
        QVERIFY(subject.out.contains("CN=hub.example"));
        QVERIFY(subject.out.contains("OU=Switch"));
    }

    void validatePassingSets()
    {
        Run run = pki({ u"validate"_s, u"--set"_s, u"outbound"_s, u"--csr"_s, path(u"hub.csr"_s),
            u"--cert"_s, path(u"hub.pem"_s), u"--key"_s, path(u"hub.key"_s), u"--root"_s,
            path(u"ca.pem"_s) });
        QVERIFY2(run.code == 0, qPrintable(run.out + run.err));
        QCOMPARE(run.out.count(u"\nVALID "_s) + (run.out.startsWith(u"VALID "_s) ? 1 : 0), 8);
        QVERIFY(run.out.contains(u"CERTIFICATE_SIGNED_BY_DFSP_CA"_s));
        QVERIFY(run.out.contains(u"[TRUST_CHAIN_VALID]"_s));
        QVERIFY(run.out.endsWith(u"validationState: VALID\n"_s));

        run = pki({ u"validate"_s, u"--set"_s, u"server"_s, u"--cert"_s, path(u"server.pem"_s),
            u"--root"_s, path(u"ca.pem"_s) });
        QVERIFY2(run.code == 0, qPrintable(run.out + run.err));
        QVERIFY(
            run.out.contains(u"NOT_AVAILABLE VERIFY_CHAIN_CERTIFICATES  No intermediate chain"_s));
        QVERIFY(run.out.endsWith(u"validationState: VALID\n"_s));

        run = pki({ u"validate"_s, u"--set"_s, u"dfsp-ca"_s, u"--root"_s, path(u"ca.pem"_s) });
        QCOMPARE(run.code, 0);
        QVERIFY(run.out.contains(u"VALID         CA_CERTIFICATE_USAGE"_s));
    }

    void validateFailingSets()
    {
        // A client certificate offered as a server certificate.
        Run run = pki({ u"validate"_s, u"--set"_s, u"server"_s, u"--cert"_s, path(u"hub.pem"_s),
            u"--root"_s, path(u"ca.pem"_s) });
        QCOMPARE(run.code, 1);
        QVERIFY2(
            run.out.contains(u"INVALID       CERTIFICATE_USAGE_SERVER  Certificate doesn't have"_s),
            qPrintable(run.out));
        QVERIFY(run.out.endsWith(u"validationState: INVALID\n"_s));
        // The server's key with the hub's certificate; 4096 required of a 2048-bit CSR.
        run = pki({ u"validate"_s, u"--set"_s, u"inbound"_s, u"--csr"_s, path(u"hub.csr"_s),
            u"--cert"_s, path(u"hub.pem"_s), u"--key"_s, path(u"server.key"_s), u"--key-length"_s,
            u"4096"_s });
        QCOMPARE(run.code, 1);
        QVERIFY(run.out.contains(u"INVALID       CSR_PUBLIC_KEY_LENGTH_4096"_s));
        QVERIFY(run.out.contains(u"INVALID       CSR_CERT_PUBLIC_PRIVATE_KEY_MATCH"_s));
        QVERIFY(run.out.contains(u"VALID         CSR_CERT_SAME_SUBJECT_INFO"_s));
        // The server certificate is not a CA.
        run = pki({ u"validate"_s, u"--set"_s, u"dfsp-ca"_s, u"--root"_s, path(u"server.pem"_s) });
        QCOMPARE(run.code, 1);
        QVERIFY(run.out.contains(u"INVALID       CA_CERTIFICATE_USAGE"_s));
    }

    void keysKeptInTheSecretStore()
    {
        const QStringList store { u"--secret-store"_s, u"encrypted-file"_s, u"--secret-file"_s,
            path(u"secrets.pmsec"_s), u"--secret-passphrase-file"_s, path(u"pass"_s) };
        Run run = pki(QStringList { u"key"_s, u"generate"_s, u"--secret"_s, u"hub/tls-key"_s,
                          u"--public-out"_s, path(u"stored.pub"_s) }
            + store);
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QCOMPARE(run.out,
            u"RSA-2048 key stored as 'hub/tls-key' in the encrypted file %1\n"_s.arg(
                path(u"secrets.pmsec"_s)));
        // The store holds the key encrypted: no PEM, no modulus bytes.
        const QByteArray raw = readFile(path(u"secrets.pmsec"_s));
        QVERIFY(raw.startsWith("PMSECRT1"));
        QVERIFY(!raw.contains("PRIVATE KEY"));
        const CliResult spki
            = ossl({ u"pkey"_s, u"-pubin"_s, u"-in"_s, u"stored.pub"_s, u"-outform"_s, u"DER"_s });
        QVERIFY(spki.ok());
        QVERIFY(spki.out.size() > 200);
        QVERIFY(!raw.contains(spki.out.mid(spki.out.size() - 69, 64)));

        // A CSR made with the stored key carries its public key and verifies.
        run = pki(QStringList { u"csr"_s, u"create"_s, u"--key-secret"_s, u"hub/tls-key"_s,
                      u"--cn"_s, u"payee.example"_s, u"--out"_s, path(u"stored.csr"_s) }
            + store);
        QVERIFY2(run.code == 0, qPrintable(run.err));
        const CliResult verify
            = ossl({ u"req"_s, u"-in"_s, u"stored.csr"_s, u"-verify"_s, u"-noout"_s });
        QVERIFY2(verify.ok(), verify.all().constData());
        const CliResult csrKey
            = ossl({ u"req"_s, u"-in"_s, u"stored.csr"_s, u"-noout"_s, u"-pubkey"_s });
        QCOMPARE(csrKey.out, readFile(path(u"stored.pub"_s)));

        // Wrong passphrase, absent key, keychain without a service (ctest gives no D-Bus session).
        QVERIFY(writeFile(path(u"pass2"_s), "another passphrase\n"));
        run = pki({ u"csr"_s, u"create"_s, u"--key-secret"_s, u"hub/tls-key"_s, u"--cn"_s, u"x"_s,
            u"--out"_s, path(u"x.csr"_s), u"--secret-store"_s, u"encrypted-file"_s,
            u"--secret-file"_s, path(u"secrets.pmsec"_s), u"--secret-passphrase-file"_s,
            path(u"pass2"_s) });
        QCOMPARE(run.code, 1);
        QVERIFY2(
            run.err.startsWith(
                u"pm-connector: pki csr create: Wrong passphrase for the encrypted secret store"_s),
            qPrintable(run.err));
        run = pki(QStringList { u"csr"_s, u"create"_s, u"--key-secret"_s, u"hub/none"_s, u"--cn"_s,
                      u"x"_s, u"--out"_s, path(u"x.csr"_s) }
            + store);
        QCOMPARE(run.code, 1);
        QCOMPARE(run.err,
            u"pm-connector: pki csr create: there is no key 'hub/none' in the encrypted file %1\n"_s
                .arg(path(u"secrets.pmsec"_s)));
        run = pki({ u"key"_s, u"generate"_s, u"--secret"_s, u"hub/tls-key"_s });
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.startsWith(
                     u"pm-connector: pki key generate: No OS keychain service is available. "
                     "Payment Manager never stores keys in plain text"_s),
            qPrintable(run.err));
        QVERIFY(run.out.isEmpty());
        QVERIFY(!QFile::exists(path(u"x.csr"_s)));
    }

    void badUsageIsOneClearLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        const QString out = m_dir.filePath(u"unused"_s);
        QTest::newRow("no key protection")
            << QStringList { u"key"_s, u"generate"_s, u"--out"_s, out }
            << u"pm-connector: pki key generate: choose how to write the private key: "
               "--passphrase-file FILE (encrypted) or --unencrypted\n"_s;
        QTest::newRow("key type")
            << QStringList { u"key"_s, u"generate"_s, u"--type"_s, u"dsa"_s, u"--out"_s, out,
                   u"--unencrypted"_s }
            << u"pm-connector: pki key generate: --type: key type 'dsa' is not one of RSA-2048, "
               "RSA-4096, EC-P256\n"_s;
        QTest::newRow("missing cn") << QStringList { u"csr"_s, u"create"_s, u"--key"_s, out,
            u"--out"_s, out } << u"pm-connector: pki csr create: --cn is required (see --help)\n"_s;
        QTest::newRow("days")
            << QStringList { u"ca"_s, u"create"_s, u"--cn"_s, u"X"_s, u"--days"_s, u"0"_s,
                   u"--cert-out"_s, out, u"--key-out"_s, out, u"--unencrypted"_s }
            << u"pm-connector: pki ca create: --days '0' must be a number of days from 1 to "
               "36500\n"_s;
        QTest::newRow("usage") << QStringList {
            u"cert"_s, u"sign"_s, u"--csr"_s, out, u"--out"_s, out, u"--usage"_s, u"both"_s
        } << u"pm-connector: pki cert sign: --usage 'both' must be client or server\n"_s;
        QTest::newRow("out or secret")
            << QStringList { u"key"_s, u"generate"_s, u"--unencrypted"_s }
            << u"pm-connector: pki key generate: give either --out FILE or --secret NAME (see "
               "--help)\n"_s;
        QTest::newRow("secret encrypts")
            << QStringList { u"key"_s, u"generate"_s, u"--secret"_s, u"k"_s, u"--unencrypted"_s }
            << u"pm-connector: pki key generate: --passphrase-file and --unencrypted apply to "
               "--out; the secret store encrypts --secret keys itself\n"_s;
        QTest::newRow("store kind")
            << QStringList { u"key"_s, u"generate"_s, u"--secret"_s, u"k"_s, u"--secret-store"_s,
                   u"plain"_s }
            << u"pm-connector: pki key generate: --secret-store: Secret store 'plain' is not "
               "known: use 'keychain' or 'encrypted-file'\n"_s;
        QTest::newRow("store file") << QStringList {
            u"key"_s, u"generate"_s, u"--secret"_s, u"k"_s, u"--secret-store"_s, u"encrypted-file"_s
        } << u"pm-connector: pki key generate: --secret-file is required (see --help)\n"_s;
        QTest::newRow("set")
            << QStringList { u"validate"_s, u"--set"_s, u"everything"_s }
            << u"pm-connector: pki validate: --set 'everything' must be one of inbound, "
               "outbound, server, jws, dfsp-ca\n"_s;
        QTest::newRow("unknown")
            << QStringList { u"cert"_s, u"revoke"_s }
            << u"pm-connector: pki: unknown command 'cert revoke' (run 'pm-connector pki "
               "--help' for the list)\n"_s;
    }

    void badUsageIsOneClearLine()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        const Run run = pki(args);
        QCOMPARE(run.code, 2);
        QCOMPARE(run.err, error);
        QVERIFY(!QFile::exists(m_dir.filePath(u"unused"_s)));
    }

    void badInputNamesTheFile()
    {
        Run run = pki({ u"cert"_s, u"sign"_s, u"--ca-cert"_s, path(u"ca.pem"_s), u"--ca-key"_s,
            path(u"ca.key"_s), u"--ca-key-passphrase-file"_s, path(u"wrongpass"_s), u"--csr"_s,
            path(u"hub.csr"_s), u"--out"_s, path(u"x.pem"_s) });
        QCOMPARE(run.code, 2);
        QVERIFY2(run.err.startsWith(u"pm-connector: pki cert sign: CA "_s), qPrintable(run.err));
        QCOMPARE(run.err.count(u'\n'), 1);
        run = pki({ u"validate"_s, u"--set"_s, u"jws"_s, u"--cert"_s, path(u"hub.csr"_s) });
        QCOMPARE(run.code, 2);
        QVERIFY2(run.err.startsWith(
                     u"pm-connector: pki validate: certificate '%1': "_s.arg(path(u"hub.csr"_s))),
            qPrintable(run.err));
        run = pki({ u"csr"_s, u"create"_s, u"--key"_s, path(u"missing.key"_s), u"--cn"_s, u"x"_s,
            u"--out"_s, path(u"x.csr"_s) });
        QCOMPARE(run.code, 2);
        QVERIFY2(
            run.err.startsWith(u"pm-connector: cannot read key '%1'"_s.arg(path(u"missing.key"_s))),
            qPrintable(run.err));
        QVERIFY(!QFile::exists(path(u"x.pem"_s)));
        QVERIFY(!QFile::exists(path(u"x.csr"_s)));
    }
};

QTEST_GUILESS_MAIN(TestCliPki)
#include "tst_cli_pki.moc"
