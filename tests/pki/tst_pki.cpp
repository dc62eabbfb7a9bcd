// pm_pki against the openssl command line tool: what we make, openssl accepts; what openssl makes,
// we read.

#include "core/pki/authority.h"
#include "core/pki/certificate.h"
#include "core/pki/csr.h"
#include "core/pki/key.h"
#include "core/pki/pkcs12.h"
#include "tests/pki/opensslcli.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm::Pki;
using Pm::Test::errorOf;
using Pm::Test::openssl;
using Pm::Test::readFile;
using Pm::Test::writeFile;

namespace {

DistinguishedName fullSubject(const QString &cn)
{
    return { cn, u"Payee Bank"_s, u"Payments"_s, u"Kampala"_s, u"Central"_s, u"UG"_s,
        u"ops@payee.example"_s };
}

} // namespace

namespace QTest {
template<> char *toString(const KeyType &type)
{
    return qstrdup(qPrintable(keyTypeName(type)));
}
} // namespace QTest

class TestPki : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString write(const QString &name, const QByteArray &data)
    {
        const QString p = path(name);
        if (!writeFile(p, data))
            qFatal("cannot write %s", qPrintable(p));
        return p;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void keyGeneration_data()
    {
        QTest::addColumn<KeyType>("type");
        QTest::addColumn<int>("bits");
        QTest::addColumn<QString>("algorithm");
        QTest::newRow("rsa2048") << KeyType::Rsa2048 << 2048 << u"RSA 2048 bits"_s;
        QTest::newRow("rsa4096") << KeyType::Rsa4096 << 4096 << u"RSA 4096 bits"_s;
        QTest::newRow("ecp256") << KeyType::EcP256 << 256 << u"EC P-256"_s;
    }
    void keyGeneration()
    {
        QFETCH(KeyType, type);
        QFETCH(int, bits);
        QFETCH(QString, algorithm);
        auto key = PrivateKey::generate(type);
        QVERIFY2(key, qPrintable(errorOf(key)));
        QCOMPARE(key->bits(), bits);
        QCOMPARE(key->algorithm(), algorithm);
        QVERIFY(key->toPem().startsWith("-----BEGIN PRIVATE KEY-----"));
        const QString file = write(
            u"gen-%1.pem"_s.arg(QString::fromLatin1(QTest::currentDataTag())), key->toPem());
        auto check = openssl({ u"pkey"_s, u"-in"_s, file, u"-check"_s, u"-noout"_s });
        QVERIFY2(check.ok(), check.all().constData());
        // The public key openssl derives is ours.
        auto pub = openssl({ u"pkey"_s, u"-in"_s, file, u"-pubout"_s });
        QVERIFY(pub.ok());
        QCOMPARE(pub.out, key->publicKeyPem());
        // PEM and DER round trips give the same key.
        auto fromDer = PrivateKey::fromDer(key->toDer());
        QVERIFY(fromDer);
        QCOMPARE(fromDer->publicKeyDer(), key->publicKeyDer());
    }

    void keyTypeNames()
    {
        QCOMPARE(keyTypeFromName(u"rsa-4096"_s).value(), KeyType::Rsa4096);
        auto bad = keyTypeFromName(u"DSA"_s);
        QVERIFY(!bad);
        QVERIFY(bad.error().message.contains(u"RSA-2048, RSA-4096, EC-P256"_s));
    }

    void encryptedKey()
    {
        auto key = PrivateKey::generate(KeyType::EcP256);
        QVERIFY(key);
        auto pem = key->toEncryptedPem("correct horse");
        QVERIFY(pem);
        QVERIFY(pem->startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        const QString file = write(u"enc.pem"_s, *pem);
        auto ok = openssl(
            { u"pkey"_s, u"-in"_s, file, u"-passin"_s, u"pass:correct horse"_s, u"-pubout"_s });
        QVERIFY2(ok.ok(), ok.all().constData());
        QCOMPARE(ok.out, key->publicKeyPem());
        auto wrong = openssl({ u"pkey"_s, u"-in"_s, file, u"-passin"_s, u"pass:nope"_s });
        QVERIFY(!wrong.ok());

        auto back = PrivateKey::fromPem(*pem, "correct horse");
        QVERIFY(back);
        QCOMPARE(back->publicKeyDer(), key->publicKeyDer());
        auto bad = PrivateKey::fromPem(*pem, "nope");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.contains(u"wrong passphrase"_s), qPrintable(errorOf(bad)));
        auto none = PrivateKey::fromPem(*pem);
        QVERIFY(!none);
        QVERIFY(none.error().message.contains(u"no passphrase"_s));
        QVERIFY(!PrivateKey::fromPem("not a key"));
    }

    void csrVerifiesWithOpenssl()
    {
        auto key = PrivateKey::generate(KeyType::Rsa2048);
        QVERIFY(key);
        CsrParameters params { fullSubject(u"payee.example"_s),
            { { u"payee.example"_s, u"api.payee.example"_s }, { u"10.1.2.3"_s, u"2001:db8::1"_s },
                {}, {} } };
        auto csr = CertificateRequest::create(*key, params);
        QVERIFY2(csr, qPrintable(errorOf(csr)));
        const QString file = write(u"req.csr"_s, csr->toPem());
        auto verify = openssl({ u"req"_s, u"-in"_s, file, u"-verify"_s, u"-noout"_s });
        QVERIFY2(verify.ok(), verify.all().constData());
        QVERIFY(verify.all().contains("verify OK"));
        auto text = openssl({ u"req"_s, u"-in"_s, file, u"-noout"_s, u"-text"_s });
        QVERIFY(text.ok());
        QVERIFY2(text.out.contains("DNS:payee.example, DNS:api.payee.example, IP Address:10.1.2.3, "
                                   "IP Address:2001:DB8:0:0:0:0:0:1"),
            text.out.constData());
        QVERIFY(text.out.contains("sha256WithRSAEncryption"));
        auto subject = openssl(
            { u"req"_s, u"-in"_s, file, u"-noout"_s, u"-subject"_s, u"-nameopt"_s, u"RFC2253"_s });
        QCOMPARE(subject.out.trimmed(),
            QByteArray("subject=emailAddress=ops@payee.example,CN=payee.example,OU=Payments,"
                       "O=Payee Bank,L=Kampala,ST=Central,C=UG"));
        // And we read back what we wrote.
        auto back = CertificateRequest::fromPem(csr->toPem());
        QVERIFY(back);
        QCOMPARE(back->subject(), params.subject);
        QCOMPARE(back->subjectAltNames().dns, params.subjectAltNames.dns);
        QCOMPARE(back->subjectAltNames().ips, (QStringList { u"10.1.2.3"_s, u"2001:db8::1"_s }));
        QVERIFY(back->signatureValid());
        QCOMPARE(back->signatureAlgorithm(), u"sha256WithRSAEncryption"_s);
        QCOMPARE(CertificateRequest::fromDer(csr->toDer())->toPem(), csr->toPem());
    }

    void csrReadsOpensslCsr()
    {
        auto made = openssl({ u"req"_s, u"-new"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
            u"ec_paramgen_curve:P-256"_s, u"-nodes"_s, u"-keyout"_s, path(u"o.key"_s), u"-subj"_s,
            u"/C=KE/O=Hub/CN=hub.example"_s, u"-addext"_s,
            u"subjectAltName=DNS:hub.example,IP:192.0.2.7"_s, u"-out"_s, path(u"o.csr"_s) });
        QVERIFY2(made.ok(), made.all().constData());
        auto csr = CertificateRequest::fromPem(readFile(path(u"o.csr"_s)));
        QVERIFY(csr);
        QCOMPARE(csr->subject().commonName, u"hub.example"_s);
        QCOMPARE(csr->subject().country, u"KE"_s);
        QCOMPARE(csr->subjectAltNames().ips, QStringList { u"192.0.2.7"_s });
        QCOMPARE(csr->publicKeyDescription(), u"EC P-256"_s);
        QCOMPARE(csr->signatureAlgorithm(), u"ecdsa-with-SHA256"_s);
        QVERIFY(csr->signatureValid());
    }

    void csrRefusesBadFields_data()
    {
        QTest::addColumn<QString>("cn");
        QTest::addColumn<QString>("country");
        QTest::addColumn<QString>("dns");
        QTest::addColumn<QString>("ip");
        QTest::addColumn<QString>("field");
        QTest::newRow("no CN") << QString() << u"UG"_s << QString() << QString()
                               << u"subject.commonName"_s;
        QTest::newRow("country") << u"a"_s << u"UGA"_s << QString() << QString()
                                 << u"subject.country"_s;
        QTest::newRow("dns") << u"a"_s << QString() << u"bad name!"_s << QString()
                             << u"subjectAltNames.dns 'bad name!'"_s;
        QTest::newRow("ip") << u"a"_s << QString() << QString() << u"10.0.0.300"_s
                            << u"subjectAltNames.ips '10.0.0.300'"_s;
        QTest::newRow("cidr") << u"a"_s << QString() << QString() << u"10.0.0.0/8"_s
                              << u"subjectAltNames.ips"_s;
    }
    void csrRefusesBadFields()
    {
        QFETCH(QString, cn);
        QFETCH(QString, country);
        QFETCH(QString, dns);
        QFETCH(QString, ip);
        QFETCH(QString, field);
        auto key = PrivateKey::generate(KeyType::EcP256);
        QVERIFY(key);
        CsrParameters params;
        params.subject.commonName = cn;
        params.subject.country = country;
        if (!dns.isEmpty())
            params.subjectAltNames.dns = { dns };
        if (!ip.isEmpty())
            params.subjectAltNames.ips = { ip };
        auto csr = CertificateRequest::create(*key, params);
        QVERIFY(!csr);
        QVERIFY2(csr.error().message.contains(field), qPrintable(errorOf(csr)));
    }

    void localCaAndServerCertificate()
    {
        auto ca = CertificateAuthority::create(
            fullSubject(u"Payee Bank Root CA"_s), KeyType::Rsa2048, 3650);
        QVERIFY2(ca, qPrintable(errorOf(ca)));
        QVERIFY(ca->root().isCa());
        QVERIFY(ca->root().isSelfSigned());
        QCOMPARE(ca->root().keyUsage() & KeyCertSign, unsigned(KeyCertSign));
        const QString caFile = write(u"ca.pem"_s, ca->root().toPem());
        auto caText = openssl({ u"x509"_s, u"-in"_s, caFile, u"-noout"_s, u"-text"_s });
        QVERIFY(caText.ok());
        QVERIFY(caText.out.contains("CA:TRUE"));
        QVERIFY(caText.out.contains("Certificate Sign, CRL Sign"));
        auto selfVerify = openssl({ u"verify"_s, u"-CAfile"_s, caFile, caFile });
        QVERIFY2(selfVerify.ok(), selfVerify.all().constData());

        auto server = ca->issueServerCertificate(
            { u"payee.example"_s, u"Payee Bank"_s, {}, {}, {}, u"UG"_s, {} },
            { { u"payee.example"_s }, { u"127.0.0.1"_s }, {}, {} }, KeyType::EcP256, 90);
        QVERIFY2(server, qPrintable(errorOf(server)));
        QVERIFY(server->certificate.matchesKey(server->key));
        const QString leaf = write(u"server.pem"_s, server->certificate.toPem());
        auto verify
            = openssl({ u"verify"_s, u"-CAfile"_s, caFile, u"-purpose"_s, u"sslserver"_s, leaf });
        QVERIFY2(verify.ok(), verify.all().constData());
        auto asClient
            = openssl({ u"verify"_s, u"-CAfile"_s, caFile, u"-purpose"_s, u"sslclient"_s, leaf });
        QVERIFY2(!asClient.ok(), "a serverAuth-only certificate must not pass as a client");
        auto text = openssl({ u"x509"_s, u"-in"_s, leaf, u"-noout"_s, u"-text"_s });
        QVERIFY(text.out.contains("DNS:payee.example, IP Address:127.0.0.1"));
        QVERIFY(text.out.contains("TLS Web Server Authentication"));
        QVERIFY(text.out.contains("CA:FALSE"));
        QCOMPARE(server->certificate.subjectAltNames().ips, QStringList { u"127.0.0.1"_s });
        QCOMPARE(server->certificate.issuer(), ca->root().subject());
        // 90 days from now (issued seconds ago): 89 whole days left.
        QCOMPARE(server->certificate.daysToExpiry(QDateTime::currentDateTimeUtc()), 89);
        // The key usage fits the key: EC keys do not get keyEncipherment.
        QCOMPARE(server->certificate.keyUsage(), unsigned(DigitalSignature));
    }

    void signHubCsrForClientAuth()
    {
        auto ca = CertificateAuthority::create(
            { u"DFSP CA"_s, u"Payee Bank"_s, {}, {}, {}, {}, {} }, KeyType::EcP256);
        QVERIFY(ca);
        auto made
            = openssl({ u"req"_s, u"-new"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s,
                path(u"hub.key"_s), u"-subj"_s, u"/C=ZZ/O=Hub Operator/OU=Switch/CN=hub.example"_s,
                u"-addext"_s, u"subjectAltName=DNS:hub.example"_s, u"-out"_s, path(u"hub.csr"_s) });
        QVERIFY2(made.ok(), made.all().constData());
        auto csr = CertificateRequest::fromPem(readFile(path(u"hub.csr"_s)));
        QVERIFY(csr);
        auto cert = ca->sign(*csr, CertificateUsage::Client, 365);
        QVERIFY2(cert, qPrintable(errorOf(cert)));
        QCOMPARE(cert->subject(), csr->subject());
        QCOMPARE(cert->subjectAltNames(), csr->subjectAltNames());
        const QString caFile = write(u"dfspca.pem"_s, ca->root().toPem());
        const QString leaf = write(u"hubclient.pem"_s, cert->toPem());
        auto verify
            = openssl({ u"verify"_s, u"-CAfile"_s, caFile, u"-purpose"_s, u"sslclient"_s, leaf });
        QVERIFY2(verify.ok(), verify.all().constData());
        auto asServer
            = openssl({ u"verify"_s, u"-CAfile"_s, caFile, u"-purpose"_s, u"sslserver"_s, leaf });
        QVERIFY(!asServer.ok());
        // The certificate's key is the hub's (openssl made it; we never saw the private key).
        auto hubKey = PrivateKey::fromPem(readFile(path(u"hub.key"_s)));
        QVERIFY(hubKey);
        QVERIFY(cert->matchesKey(*hubKey));
        QVERIFY(cert->hasClientAuthUsage());
        QVERIFY(!cert->hasServerAuthUsage());

        // A CSR whose signature is broken is refused.
        QByteArray der = csr->toDer();
        der[der.size() - 3] = char(der[der.size() - 3] ^ 0x55);
        auto broken = CertificateRequest::fromDer(der);
        QVERIFY(broken);
        auto refused = ca->sign(*broken, CertificateUsage::Client);
        QVERIFY(!refused);
        QVERIFY(refused.error().message.contains(u"signature"_s));
    }

    void importCaWithIntermediate()
    {
        const QString dir = m_dir.path();
        const QString v3ca = write(u"v3ca.ext"_s,
            "basicConstraints=critical,CA:TRUE\n"
            "keyUsage=critical,keyCertSign,cRLSign\n"
            "subjectKeyIdentifier=hash\n"
            "authorityKeyIdentifier=keyid\n");
        QVERIFY(openssl({ u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s,
                            u"-keyout"_s, u"root.key"_s, u"-subj"_s, u"/CN=Imported Root"_s,
                            u"-days"_s, u"30"_s, u"-out"_s, u"root.pem"_s },
            dir)
                    .ok());
        QVERIFY(openssl(
            { u"req"_s, u"-new"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s,
                u"int.key"_s, u"-subj"_s, u"/CN=Imported Intermediate"_s, u"-out"_s, u"int.csr"_s },
            dir)
                    .ok());
        auto signInt
            = openssl({ u"x509"_s, u"-req"_s, u"-in"_s, u"int.csr"_s, u"-CA"_s, u"root.pem"_s,
                          u"-CAkey"_s, u"root.key"_s, u"-CAcreateserial"_s, u"-days"_s, u"20"_s,
                          u"-extfile"_s, v3ca, u"-out"_s, u"int.pem"_s },
                dir);
        QVERIFY2(signInt.ok(), signInt.all().constData());
        const QByteArray root = readFile(path(u"root.pem"_s));
        const QByteArray inter = readFile(path(u"int.pem"_s));
        const QByteArray intKey = readFile(path(u"int.key"_s));

        auto ca = CertificateAuthority::import(root, inter, intKey);
        QVERIFY2(ca, qPrintable(errorOf(ca)));
        QCOMPARE(ca->signer().subject().commonName, u"Imported Intermediate"_s);
        auto server = ca->issueServerCertificate({ u"s.example"_s, {}, {}, {}, {}, {}, {} },
            { { u"s.example"_s }, {}, {}, {} }, KeyType::Rsa2048, 365);
        QVERIFY(server);
        // Capped at the intermediate's notAfter (20 days), not 365.
        QCOMPARE(server->certificate.notAfter(), ca->signer().notAfter());
        write(u"leaf.pem"_s, server->certificate.toPem());
        auto verify = openssl({ u"verify"_s, u"-CAfile"_s, u"root.pem"_s, u"-untrusted"_s,
                                  u"int.pem"_s, u"-purpose"_s, u"sslserver"_s, u"leaf.pem"_s },
            dir);
        QVERIFY2(verify.ok(), verify.all().constData());
        write(u"chain.pem"_s, ca->chainPem());
        auto chainVerify
            = openssl({ u"verify"_s, u"-CAfile"_s, u"chain.pem"_s, u"leaf.pem"_s }, dir);
        QVERIFY2(chainVerify.ok(), chainVerify.all().constData());

        // Wrong key: the root's key does not sign for the intermediate.
        auto wrongKey = CertificateAuthority::import(root, inter, readFile(path(u"root.key"_s)));
        QVERIFY(!wrongKey);
        QVERIFY2(
            wrongKey.error().message.contains(u"does not match"_s), qPrintable(errorOf(wrongKey)));
        // A leaf certificate offered as the root is not a CA.
        auto notCa
            = CertificateAuthority::import(server->certificate.toPem(), {}, server->key.toPem());
        QVERIFY(!notCa);
        QVERIFY(notCa.error().message.contains(u"not a CA"_s));
        // An intermediate from another root does not lead to this root.
        auto other = CertificateAuthority::create(
            { u"Other Root"_s, {}, {}, {}, {}, {}, {} }, KeyType::EcP256);
        QVERIFY(other);
        auto wrongRoot = CertificateAuthority::import(other->root().toPem(), inter, intKey);
        QVERIFY(!wrongRoot);
        QVERIFY2(wrongRoot.error().message.contains(u"does not lead to the root"_s),
            qPrintable(errorOf(wrongRoot)));
        // Root-only import with its key, DER key accepted.
        auto rootOnly = CertificateAuthority::import(
            root, {}, PrivateKey::fromPem(readFile(path(u"root.key"_s)))->toDer());
        QVERIFY2(rootOnly, qPrintable(errorOf(rootOnly)));
        QVERIFY(rootOnly->intermediates().isEmpty());
    }

    void certificateInfoMatchesOpenssl()
    {
        auto ca = CertificateAuthority::create(fullSubject(u"Info CA"_s), KeyType::Rsa2048, 10);
        QVERIFY(ca);
        const QString file = write(u"info.pem"_s, ca->root().toPem());
        auto out
            = openssl({ u"x509"_s, u"-in"_s, file, u"-noout"_s, u"-serial"_s, u"-fingerprint"_s,
                u"-sha256"_s, u"-subject"_s, u"-issuer"_s, u"-nameopt"_s, u"RFC2253"_s });
        QVERIFY(out.ok());
        const QList<QByteArray> lines = out.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines[0], "serial=" + ca->root().serialNumber().remove(u':').toLatin1());
        QCOMPARE(lines[1], "sha256 Fingerprint=" + ca->root().sha256Fingerprint().toLatin1());
        QCOMPARE(lines[2], "subject=" + ca->root().subjectText().toUtf8());
        QCOMPARE(lines[3], "issuer=" + ca->root().issuerText().toUtf8());
        QCOMPARE(ca->root().signatureAlgorithm(), u"sha256WithRSAEncryption"_s);

        auto dates = openssl({ u"x509"_s, u"-in"_s, file, u"-noout"_s, u"-enddate"_s, u"-dateopt"_s,
            u"iso_8601"_s });
        QVERIFY(dates.ok());
        const QDateTime end = ca->root().notAfter();
        QCOMPARE(dates.out.trimmed(),
            "notAfter=" + end.toString(u"yyyy-MM-dd HH:mm:ss"_s).toLatin1() + "Z");
        QCOMPARE(ca->root().daysToExpiry(end.addSecs(-1)), 0);
        QCOMPARE(ca->root().daysToExpiry(end), 0);
        QCOMPARE(ca->root().daysToExpiry(end.addSecs(1)), -1);
        QCOMPARE(ca->root().daysToExpiry(end.addDays(-3)), 3);
        QVERIFY(ca->root().isValidAt(ca->root().notBefore()));
        QVERIFY(!ca->root().isValidAt(end));

        // DER export equals openssl's DER; PEM and DER read back identically.
        auto der = openssl({ u"x509"_s, u"-in"_s, file, u"-outform"_s, u"DER"_s });
        QCOMPARE(der.out, ca->root().toDer());
        QCOMPARE(Certificate::fromData(der.out)->toPem(), ca->root().toPem());
        QVERIFY(!Certificate::fromPem("garbage"));
        auto list = Certificate::listFromPem(ca->chainPem() + ca->root().toPem());
        QVERIFY(list);
        QCOMPARE(list->size(), 2);
        auto damaged = Certificate::listFromPem(
            ca->root().toPem() + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        QVERIFY(!damaged);
        QVERIFY(damaged.error().message.contains(u"certificate 2"_s));
    }

    void pkcs12RoundTrips()
    {
        auto ca = CertificateAuthority::create(
            { u"P12 CA"_s, {}, {}, {}, {}, {}, {} }, KeyType::Rsa2048);
        QVERIFY(ca);
        auto id = ca->issueServerCertificate(
            { u"p12.example"_s, {}, {}, {}, {}, {}, {} }, {}, KeyType::Rsa2048);
        QVERIFY(id);
        auto p12 = exportPkcs12(
            id->key, id->certificate, { ca->root() }, "s3cret pass", u"payee server"_s);
        QVERIFY2(p12, qPrintable(errorOf(p12)));
        const QString file = write(u"id.p12"_s, *p12);
        auto certs = openssl(
            { u"pkcs12"_s, u"-in"_s, file, u"-passin"_s, u"pass:s3cret pass"_s, u"-nokeys"_s });
        QVERIFY2(certs.ok(), certs.all().constData());
        QVERIFY(certs.out.contains("subject=CN = p12.example"));
        QVERIFY(certs.out.contains("subject=CN = P12 CA"));
        QVERIFY(certs.out.contains("friendlyName: payee server"));
        auto keyOut = openssl({ u"pkcs12"_s, u"-in"_s, file, u"-passin"_s, u"pass:s3cret pass"_s,
            u"-nocerts"_s, u"-nodes"_s });
        QVERIFY(keyOut.ok());
        auto key = PrivateKey::fromPem(keyOut.out);
        QVERIFY(key);
        QCOMPARE(key->publicKeyDer(), id->key.publicKeyDer());
        auto wrong
            = openssl({ u"pkcs12"_s, u"-in"_s, file, u"-passin"_s, u"pass:wrong"_s, u"-nokeys"_s });
        QVERIFY(!wrong.ok());

        auto back = importPkcs12(*p12, "s3cret pass");
        QVERIFY(back);
        QCOMPARE(back->certificate, id->certificate);
        QCOMPARE(back->chain.size(), 1);
        QCOMPARE(back->chain.first(), ca->root());
        auto bad = importPkcs12(*p12, "wrong");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.contains(u"wrong passphrase"_s), qPrintable(errorOf(bad)));
        QVERIFY(!exportPkcs12(id->key, id->certificate, {}, {}));
        QVERIFY(!exportPkcs12(key.value(), ca->root(), {}, "x"));

        // A PKCS#12 openssl made.
        write(u"o.crt"_s, id->certificate.toPem());
        write(u"o.key"_s, id->key.toPem());
        auto made = openssl({ u"pkcs12"_s, u"-export"_s, u"-inkey"_s, path(u"o.key"_s), u"-in"_s,
            path(u"o.crt"_s), u"-passout"_s, u"pass:from openssl"_s, u"-out"_s, path(u"o.p12"_s) });
        QVERIFY2(made.ok(), made.all().constData());
        auto theirs = importPkcs12(readFile(path(u"o.p12"_s)), "from openssl");
        QVERIFY2(theirs, qPrintable(errorOf(theirs)));
        QCOMPARE(theirs->certificate, id->certificate);
        QVERIFY(theirs->certificate.matchesKey(theirs->key));
        QVERIFY(!importPkcs12(readFile(path(u"o.p12"_s)), "wrong"));
        QVERIFY(!importPkcs12("not pkcs12", "x"));
    }
};

QTEST_GUILESS_MAIN(TestPki)
#include "tst_pki.moc"
