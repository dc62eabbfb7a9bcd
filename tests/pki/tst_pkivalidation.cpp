// The MCM server's validation rules (pm_pki validation.h), each with a passing and a failing case,
// on certificates and CSRs the openssl command line tool makes.

#include "core/pki/authority.h"
#include "core/pki/validation.h"
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
const QString leafSubject
    = u"/C=UG/ST=Central/L=Kampala/O=Payee Bank/OU=Payments/CN=payee.example/emailAddress=ops@payee.example"_s;
}

namespace QTest {
template<> char *toString(const ValidationState &state)
{
    return qstrdup(qPrintable(Pm::Pki::validationStateName(state)));
}
} // namespace QTest

class TestPkiValidation : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_config; // minimal openssl config: no default extensions

    void run(const QStringList &args)
    {
        auto result = openssl(args, m_dir.path());
        if (!result.ok())
            qFatal("openssl %s failed: %s", qPrintable(args.join(u' ')), result.all().constData());
    }
    QString file(const QString &name) const { return m_dir.filePath(name); }
    QString ext(const QString &name, const QByteArray &text)
    {
        writeFile(file(name), text);
        return name;
    }
    Certificate cert(const QString &name) const
    {
        auto c = Certificate::fromPem(readFile(file(name)));
        if (!c)
            qFatal("cannot read %s", qPrintable(name));
        return *c;
    }
    CertificateRequest csr(const QString &name) const
    {
        auto c = CertificateRequest::fromPem(readFile(file(name)));
        if (!c)
            qFatal("cannot read %s", qPrintable(name));
        return *c;
    }
    PrivateKey key(const QString &name) const
    {
        auto k = PrivateKey::fromPem(readFile(file(name)));
        if (!k)
            qFatal("cannot read %s", qPrintable(name));
        return *k;
    }
    void newKey(const QString &name, const QString &spec = u"rsa:2048"_s)
    {
        const QStringList parts = spec.split(u':');
        if (parts[0] == u"rsa"_s)
            run({ u"genpkey"_s, u"-algorithm"_s, u"RSA"_s, u"-pkeyopt"_s,
                u"rsa_keygen_bits:"_s + parts[1], u"-out"_s, name });
        else
            run({ u"genpkey"_s, u"-algorithm"_s, u"EC"_s, u"-pkeyopt"_s,
                u"ec_paramgen_curve:P-256"_s, u"-out"_s, name });
    }
    void newCsr(const QString &name, const QString &keyFile, const QString &subject,
        const QStringList &extra = {})
    {
        run(QStringList { u"req"_s, u"-config"_s, m_config, u"-new"_s, u"-key"_s, keyFile,
                u"-subj"_s, subject, u"-out"_s, name }
            + extra);
    }
    /** Signs `csrFile` with the intermediate (or `ca`), copying the CSR's extensions. */
    void issue(const QString &name, const QString &csrFile, const QString &extFile,
        const QStringList &extra = {}, const QString &ca = u"int"_s)
    {
        run(QStringList { u"x509"_s, u"-req"_s, u"-in"_s, csrFile, u"-CA"_s, ca + u".pem"_s,
                u"-CAkey"_s, ca + u".key"_s, u"-set_serial"_s, QString::number(++m_serial),
                u"-days"_s, u"30"_s, u"-copy_extensions"_s, u"copy"_s, u"-extfile"_s, extFile,
                u"-out"_s, name }
            + extra);
    }
    int m_serial = 100;

    static Validation find(const QList<Validation> &list, const QString &code)
    {
        for (const Validation &v : list) {
            if (v.code == code)
                return v;
        }
        return {};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_config = ext(u"min.cnf"_s, "[req]\ndistinguished_name = dn\n[dn]\n");
        const QString caExt = ext(u"ca.ext"_s,
            "basicConstraints=critical,CA:TRUE\n"
            "keyUsage=critical,keyCertSign,cRLSign\n"
            "subjectKeyIdentifier=hash\n"
            "authorityKeyIdentifier=keyid\n");
        const QString clientExt = ext(u"client.ext"_s,
            "basicConstraints=critical,CA:FALSE\n"
            "keyUsage=critical,digitalSignature,keyEncipherment\n"
            "extendedKeyUsage=clientAuth\n");
        const QString serverExt = ext(u"server.ext"_s,
            "basicConstraints=critical,CA:FALSE\n"
            "keyUsage=critical,digitalSignature,keyEncipherment\n"
            "extendedKeyUsage=serverAuth\n");
        const QString plainExt = ext(u"plain.ext"_s, "basicConstraints=critical,CA:FALSE\n");

        // Root and intermediate CAs.
        newKey(u"root.key"_s);
        run({ u"req"_s, u"-config"_s, m_config, u"-x509"_s, u"-new"_s, u"-key"_s, u"root.key"_s,
            u"-subj"_s, u"/O=Payee Bank/CN=Payee Root CA"_s, u"-days"_s, u"365"_s, u"-addext"_s,
            u"basicConstraints=critical,CA:TRUE"_s, u"-addext"_s,
            u"keyUsage=critical,keyCertSign,cRLSign"_s, u"-out"_s, u"root.pem"_s });
        newKey(u"int.key"_s);
        newCsr(u"int.csr"_s, u"int.key"_s, u"/O=Payee Bank/CN=Payee Intermediate CA"_s);
        issue(u"int.pem"_s, u"int.csr"_s, caExt, {}, u"root"_s);
        // A root without keyCertSign, and a "root" that is not a CA.
        run({ u"req"_s, u"-config"_s, m_config, u"-x509"_s, u"-new"_s, u"-key"_s, u"root.key"_s,
            u"-subj"_s, u"/CN=No KeyCertSign Root"_s, u"-addext"_s,
            u"basicConstraints=critical,CA:TRUE"_s, u"-addext"_s,
            u"keyUsage=critical,digitalSignature"_s, u"-out"_s, u"root-noku.pem"_s });
        run({ u"req"_s, u"-config"_s, m_config, u"-x509"_s, u"-new"_s, u"-key"_s, u"root.key"_s,
            u"-subj"_s, u"/CN=Not A CA"_s, u"-addext"_s, u"basicConstraints=critical,CA:FALSE"_s,
            u"-out"_s, u"root-notca.pem"_s });
        // An unrelated root with its own intermediate.
        newKey(u"other-root.key"_s);
        run({ u"req"_s, u"-config"_s, m_config, u"-x509"_s, u"-new"_s, u"-key"_s,
            u"other-root.key"_s, u"-subj"_s, u"/CN=Other Root"_s, u"-addext"_s,
            u"basicConstraints=critical,CA:TRUE"_s, u"-addext"_s,
            u"keyUsage=critical,keyCertSign"_s, u"-out"_s, u"other-root.pem"_s });
        newKey(u"other-int.key"_s);
        newCsr(u"other-int.csr"_s, u"other-int.key"_s, u"/CN=Other Intermediate"_s);
        issue(u"other-int.pem"_s, u"other-int.csr"_s, caExt, {}, u"other-root"_s);

        // The leaf key, its CSR (full subject, SANs) and certificates issued from it.
        newKey(u"leaf.key"_s);
        newCsr(u"leaf.csr"_s, u"leaf.key"_s, leafSubject,
            { u"-addext"_s, u"subjectAltName=DNS:payee.example,IP:10.0.0.1"_s });
        issue(u"client.pem"_s, u"leaf.csr"_s, clientExt);
        issue(u"server.pem"_s, u"leaf.csr"_s, serverExt);
        issue(u"noeku.pem"_s, u"leaf.csr"_s, plainExt);
        issue(u"sha1.pem"_s, u"leaf.csr"_s, clientExt, { u"-sha1"_s });
        // Same key, other subject; same subject, no SAN.
        newCsr(u"leaf-other.csr"_s, u"leaf.key"_s, u"/O=Payee Bank/CN=other.example"_s);
        issue(u"client-other.pem"_s, u"leaf-other.csr"_s, clientExt);
        newCsr(u"leaf-nosan.csr"_s, u"leaf.key"_s, leafSubject);
        issue(u"client-nosan.pem"_s, u"leaf-nosan.csr"_s, clientExt);
        // A self-signed leaf with the same subject and key.
        run({ u"req"_s, u"-config"_s, m_config, u"-x509"_s, u"-new"_s, u"-key"_s, u"leaf.key"_s,
            u"-subj"_s, leafSubject, u"-addext"_s, u"extendedKeyUsage=clientAuth"_s, u"-out"_s,
            u"selfsigned.pem"_s });
        // Expired (2020), made by `openssl ca`, which takes explicit dates.
        writeFile(file(u"index.txt"_s), {});
        ext(u"ca.cnf"_s,
            "[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\n"
            "serial = serial\nrand_serial = yes\ndefault_md = sha256\npolicy = p\n"
            "unique_subject = no\ncopy_extensions = copy\n"
            "x509_extensions = x\n[x]\nextendedKeyUsage = clientAuth\n"
            "[p]\ncommonName = supplied\n");
        run({ u"ca"_s, u"-batch"_s, u"-config"_s, u"ca.cnf"_s, u"-cert"_s, u"int.pem"_s,
            u"-keyfile"_s, u"int.key"_s, u"-in"_s, u"leaf.csr"_s, u"-startdate"_s,
            u"20200101000000Z"_s, u"-enddate"_s, u"20200201000000Z"_s, u"-notext"_s, u"-out"_s,
            u"expired.pem"_s });
        // Another key (mismatch), a 1024-bit key, an EC key, a SHA-1 CSR, a CN-only CSR.
        newKey(u"other.key"_s);
        newCsr(u"other.csr"_s, u"other.key"_s, leafSubject);
        newKey(u"weak.key"_s, u"rsa:1024"_s);
        newCsr(u"weak.csr"_s, u"weak.key"_s, u"/CN=weak.example"_s);
        issue(u"weak.pem"_s, u"weak.csr"_s, serverExt);
        newKey(u"ec.key"_s, u"ec"_s);
        newCsr(u"ec.csr"_s, u"ec.key"_s, u"/CN=ec.example"_s);
        issue(u"ec.pem"_s, u"ec.csr"_s, serverExt);
        newCsr(u"sha1.csr"_s, u"leaf.key"_s, leafSubject, { u"-sha1"_s });
        newCsr(u"cnonly.csr"_s, u"leaf.key"_s, u"/CN=payee.example"_s);
        newKey(u"rsa4096.key"_s, u"rsa:4096"_s);
        newCsr(u"rsa4096.csr"_s, u"rsa4096.key"_s, u"/CN=big.example"_s);
        issue(u"rsa4096.pem"_s, u"rsa4096.csr"_s, serverExt);
    }

    void csrSignatureValid()
    {
        QCOMPARE(Rules::csrSignatureValid(csr(u"leaf.csr"_s)).state, ValidationState::Valid);
        QByteArray der = csr(u"leaf.csr"_s).toDer();
        der[der.size() - 5] = char(der[der.size() - 5] ^ 0x01);
        auto broken = CertificateRequest::fromDer(der);
        QVERIFY(broken);
        const Validation v = Rules::csrSignatureValid(*broken);
        QCOMPARE(v.code, u"CSR_SIGNATURE_VALID"_s);
        QCOMPARE(v.state, ValidationState::Invalid);
        QCOMPARE(Rules::csrSignatureValid({}).state, ValidationState::NotAvailable);
    }

    void csrSignatureAlgorithm()
    {
        QCOMPARE(
            Rules::csrSignatureAlgorithm(csr(u"leaf.csr"_s), {}).state, ValidationState::Valid);
        const Validation v = Rules::csrSignatureAlgorithm(csr(u"sha1.csr"_s), {});
        QCOMPARE(v.state, ValidationState::Invalid);
        QVERIFY2(v.message.contains(u"sha1WithRSAEncryption"_s), qPrintable(v.message));
        // EC signatures are outside the reference's list.
        QCOMPARE(
            Rules::csrSignatureAlgorithm(csr(u"ec.csr"_s), {}).state, ValidationState::Invalid);
    }

    void csrPublicKeyLength()
    {
        const Validation ok = Rules::csrPublicKeyLength(csr(u"leaf.csr"_s), {});
        QCOMPARE(ok.code, u"CSR_PUBLIC_KEY_LENGTH_2048"_s);
        QCOMPARE(ok.state, ValidationState::Valid);
        const Validation weak = Rules::csrPublicKeyLength(csr(u"weak.csr"_s), {});
        QCOMPARE(weak.state, ValidationState::Invalid);
        QVERIFY2(weak.message.contains(u"1024"_s), qPrintable(weak.message));
        ValidationOptions strict;
        strict.minimumKeyBits = 4096;
        const Validation v4096 = Rules::csrPublicKeyLength(csr(u"leaf.csr"_s), strict);
        QCOMPARE(v4096.code, u"CSR_PUBLIC_KEY_LENGTH_4096"_s);
        QCOMPARE(v4096.state, ValidationState::Invalid);
        QCOMPARE(
            Rules::csrPublicKeyLength(csr(u"rsa4096.csr"_s), strict).state, ValidationState::Valid);
        const Validation ec = Rules::csrPublicKeyLength(csr(u"ec.csr"_s), {});
        QCOMPARE(ec.state, ValidationState::Invalid);
        QVERIFY(ec.message.contains(u"EC P-256"_s));
    }

    void csrMandatoryDistinguishedName()
    {
        QCOMPARE(
            Rules::csrMandatoryDistinguishedName(csr(u"leaf.csr"_s)).state, ValidationState::Valid);
        const Validation v = Rules::csrMandatoryDistinguishedName(csr(u"cnonly.csr"_s));
        QCOMPARE(v.state, ValidationState::Invalid);
        QVERIFY2(v.message.endsWith(u"OU, O, L, ST, C, E"_s), qPrintable(v.message));
    }

    void csrCertSamePublicKey()
    {
        QCOMPARE(Rules::csrCertSamePublicKey(csr(u"leaf.csr"_s), cert(u"client.pem"_s)).state,
            ValidationState::Valid);
        QCOMPARE(Rules::csrCertSamePublicKey(csr(u"other.csr"_s), cert(u"client.pem"_s)).state,
            ValidationState::Invalid);
        QCOMPARE(Rules::csrCertSamePublicKey(csr(u"leaf.csr"_s), {}).message, u"No certificate"_s);
        QCOMPARE(Rules::csrCertSamePublicKey({}, cert(u"client.pem"_s)).state,
            ValidationState::NotAvailable);
    }

    void csrCertSameSubjectInfo()
    {
        QCOMPARE(Rules::csrCertSameSubjectInfo(csr(u"leaf.csr"_s), cert(u"client.pem"_s)).state,
            ValidationState::Valid);
        const Validation subject
            = Rules::csrCertSameSubjectInfo(csr(u"leaf.csr"_s), cert(u"client-other.pem"_s));
        QCOMPARE(subject.state, ValidationState::Invalid);
        QVERIFY2(subject.message.contains(u"CN ('payee.example' in the CSR, 'other.example'"_s),
            qPrintable(subject.message));
        const Validation san
            = Rules::csrCertSameSubjectInfo(csr(u"leaf.csr"_s), cert(u"client-nosan.pem"_s));
        QCOMPARE(san.state, ValidationState::Invalid);
        QVERIFY2(san.message.contains(u"subjectAltName"_s), qPrintable(san.message));
    }

    void csrCertSameCn()
    {
        // The SAN differs but the CN is the same: this rule passes where SAME_SUBJECT_INFO fails.
        QCOMPARE(Rules::csrCertSameCn(csr(u"leaf.csr"_s), cert(u"client-nosan.pem"_s)).state,
            ValidationState::Valid);
        QCOMPARE(Rules::csrCertSameCn(csr(u"leaf.csr"_s), cert(u"client-other.pem"_s)).state,
            ValidationState::Invalid);
    }

    void csrCertPublicPrivateKeyMatch()
    {
        QCOMPARE(
            Rules::csrCertPublicPrivateKeyMatch(cert(u"client.pem"_s), key(u"leaf.key"_s)).state,
            ValidationState::Valid);
        const Validation mismatch
            = Rules::csrCertPublicPrivateKeyMatch(cert(u"client.pem"_s), key(u"other.key"_s));
        QCOMPARE(mismatch.code, u"CSR_CERT_PUBLIC_PRIVATE_KEY_MATCH"_s);
        QCOMPARE(mismatch.state, ValidationState::Invalid);
        const Validation noKey = Rules::csrCertPublicPrivateKeyMatch(cert(u"client.pem"_s), {});
        QCOMPARE(noKey.state, ValidationState::NotAvailable);
        QCOMPARE(noKey.message, u"No private key"_s);
    }

    void certificateValidity()
    {
        QCOMPARE(
            Rules::certificateValidity(cert(u"client.pem"_s), {}).state, ValidationState::Valid);
        const Validation expired = Rules::certificateValidity(cert(u"expired.pem"_s), {});
        QCOMPARE(expired.state, ValidationState::Invalid);
        QVERIFY2(expired.message.contains(u"expired"_s), qPrintable(expired.message));
        // Boundaries: notBefore ≤ now < notAfter (the reference's client had this inverted).
        const Certificate c = cert(u"client.pem"_s);
        ValidationOptions at;
        at.now = c.notBefore();
        QCOMPARE(Rules::certificateValidity(c, at).state, ValidationState::Valid);
        at.now = c.notBefore().addSecs(-1);
        const Validation early = Rules::certificateValidity(c, at);
        QCOMPARE(early.state, ValidationState::Invalid);
        QVERIFY(early.message.contains(u"not valid yet"_s));
        at.now = c.notAfter().addSecs(-1);
        QCOMPARE(Rules::certificateValidity(c, at).state, ValidationState::Valid);
        at.now = c.notAfter();
        QCOMPARE(Rules::certificateValidity(c, at).state, ValidationState::Invalid);
        QCOMPARE(Rules::certificateValidity({}, {}).state, ValidationState::NotAvailable);
    }

    void certificateUsage()
    {
        QCOMPARE(
            Rules::certificateUsageServer(cert(u"server.pem"_s)).state, ValidationState::Valid);
        QCOMPARE(
            Rules::certificateUsageServer(cert(u"client.pem"_s)).state, ValidationState::Invalid);
        QCOMPARE(
            Rules::certificateUsageServer(cert(u"noeku.pem"_s)).state, ValidationState::Invalid);
        QCOMPARE(
            Rules::certificateUsageClient(cert(u"client.pem"_s)).state, ValidationState::Valid);
        const Validation wrongEku = Rules::certificateUsageClient(cert(u"server.pem"_s));
        QCOMPARE(wrongEku.code, u"CERTIFICATE_USAGE_CLIENT"_s);
        QCOMPARE(wrongEku.state, ValidationState::Invalid);
        QVERIFY(wrongEku.message.contains(u"TLS WWW client authentication"_s));
        QCOMPARE(
            Rules::certificateUsageClient(cert(u"noeku.pem"_s)).state, ValidationState::Invalid);
    }

    void certificatePublicKeyLength()
    {
        const Validation ok = Rules::certificatePublicKeyLength(cert(u"server.pem"_s), {});
        QCOMPARE(ok.code, u"CERTIFICATE_PUBLIC_KEY_LENGTH_2048"_s);
        QCOMPARE(ok.state, ValidationState::Valid);
        const Validation weak = Rules::certificatePublicKeyLength(cert(u"weak.pem"_s), {});
        QCOMPARE(weak.state, ValidationState::Invalid);
        QCOMPARE(weak.message, u"Certificate key length 1024 invalid, should be 2048"_s);
        ValidationOptions strict;
        strict.minimumKeyBits = 4096;
        QCOMPARE(Rules::certificatePublicKeyLength(cert(u"server.pem"_s), strict).state,
            ValidationState::Invalid);
        QCOMPARE(Rules::certificatePublicKeyLength(cert(u"rsa4096.pem"_s), strict).state,
            ValidationState::Valid);
        QCOMPARE(Rules::certificatePublicKeyLength(cert(u"ec.pem"_s), {}).state,
            ValidationState::Invalid);
    }

    void certificateSignatureAlgorithm()
    {
        QCOMPARE(Rules::certificateSignatureAlgorithm(cert(u"client.pem"_s), {}).state,
            ValidationState::Valid);
        const Validation v = Rules::certificateSignatureAlgorithm(cert(u"sha1.pem"_s), {});
        QCOMPARE(v.code, u"CERTIFICATE_SIGNATURE_ALGORITHM"_s);
        QCOMPARE(v.state, ValidationState::Invalid);
        QVERIFY(v.message.contains(u"sha1WithRSAEncryption"_s));
    }

    void certificateChain()
    {
        const Certificate root = cert(u"root.pem"_s);
        const Certificate inter = cert(u"int.pem"_s);
        QCOMPARE(Rules::certificateChain(cert(u"server.pem"_s), { inter }, root, {}).state,
            ValidationState::Valid);
        const Validation missing = Rules::certificateChain(cert(u"server.pem"_s), {}, root, {});
        QCOMPARE(missing.state, ValidationState::Invalid);
        QVERIFY2(missing.message.contains(u"unable to get local issuer certificate"_s),
            qPrintable(missing.message));
        QCOMPARE(
            Rules::certificateChain(cert(u"server.pem"_s), { inter }, cert(u"other-root.pem"_s), {})
                .state,
            ValidationState::Invalid);
        const Validation expired
            = Rules::certificateChain(cert(u"expired.pem"_s), { inter }, root, {});
        QCOMPARE(expired.state, ValidationState::Invalid);
        QVERIFY(expired.message.contains(u"expired"_s));
    }

    void certificateSignedByDfspCa()
    {
        const CaChain dfspCa { cert(u"root.pem"_s), { cert(u"int.pem"_s) } };
        const Validation ok = Rules::certificateSignedByDfspCa(cert(u"client.pem"_s), dfspCa, {});
        QCOMPARE(ok.state, ValidationState::Valid);
        QCOMPARE(ok.data, u"TRUST_CHAIN_VALID"_s);
        const Validation self
            = Rules::certificateSignedByDfspCa(cert(u"selfsigned.pem"_s), dfspCa, {});
        QCOMPARE(self.state, ValidationState::Invalid);
        QCOMPARE(self.data, u"SELF_SIGNED"_s);
        const CaChain other { cert(u"other-root.pem"_s), { cert(u"other-int.pem"_s) } };
        const Validation wrong = Rules::certificateSignedByDfspCa(cert(u"client.pem"_s), other, {});
        QCOMPARE(wrong.state, ValidationState::Invalid);
        QCOMPARE(wrong.data, u"INVALID"_s);
        const Validation none = Rules::certificateSignedByDfspCa(cert(u"client.pem"_s), {}, {});
        QCOMPARE(none.state, ValidationState::NotAvailable);
        QCOMPARE(none.message, u"No DFSP CA"_s);
    }

    void caCertificateUsage()
    {
        QCOMPARE(Rules::caCertificateUsage({ cert(u"root.pem"_s), { cert(u"int.pem"_s) } }).state,
            ValidationState::Valid);
        const Validation noKu = Rules::caCertificateUsage({ cert(u"root-noku.pem"_s), {} });
        QCOMPARE(noKu.state, ValidationState::Invalid);
        QVERIFY(noKu.message.contains(u"keyCertSign"_s));
        const Validation notCa = Rules::caCertificateUsage({ cert(u"root-notca.pem"_s), {} });
        QCOMPARE(notCa.state, ValidationState::Invalid);
        QVERIFY(notCa.message.contains(u"CA = true"_s));
        // A leaf in the intermediate chain.
        QCOMPARE(
            Rules::caCertificateUsage({ cert(u"root.pem"_s), { cert(u"server.pem"_s) } }).state,
            ValidationState::Invalid);
        QCOMPARE(Rules::caCertificateUsage({}).state, ValidationState::NotAvailable);
    }

    void verifyRootCertificate()
    {
        const Validation ok = Rules::verifyRootCertificate(cert(u"root.pem"_s), {});
        QCOMPARE(ok.state, ValidationState::Valid);
        QCOMPARE(ok.data, u"SELF_SIGNED"_s);
        // An intermediate offered as the root: neither self-signed nor issued by a system root.
        QCOMPARE(
            Rules::verifyRootCertificate(cert(u"int.pem"_s), {}).state, ValidationState::Invalid);
        QCOMPARE(Rules::verifyRootCertificate({}, {}).state, ValidationState::NotAvailable);
    }

    void verifyChainCertificates()
    {
        QCOMPARE(
            Rules::verifyChainCertificates(cert(u"root.pem"_s), { cert(u"int.pem"_s) }, {}).state,
            ValidationState::Valid);
        QCOMPARE(
            Rules::verifyChainCertificates(cert(u"root.pem"_s), { cert(u"other-int.pem"_s) }, {})
                .state,
            ValidationState::Invalid);
        const Validation leaf
            = Rules::verifyChainCertificates(cert(u"root.pem"_s), { cert(u"server.pem"_s) }, {});
        QCOMPARE(leaf.state, ValidationState::Invalid);
        QVERIFY(leaf.message.contains(u"not a CA"_s));
        QCOMPARE(Rules::verifyChainCertificates(cert(u"root.pem"_s), {}, {}).state,
            ValidationState::NotAvailable);
    }

    void ruleSets()
    {
        const CaChain dfspCa { cert(u"root.pem"_s), { cert(u"int.pem"_s) } };
        // Inbound enrollment with our key: every rule VALID, in the reference's order.
        const QList<Validation> inbound = validateInboundEnrollment(
            csr(u"leaf.csr"_s), cert(u"client.pem"_s), key(u"leaf.key"_s));
        QStringList codes;
        for (const Validation &v : inbound) {
            codes.append(v.code);
            QVERIFY2(v.state == ValidationState::Valid, qPrintable(v.code + u": "_s + v.message));
        }
        QCOMPARE(codes,
            (QStringList { u"CSR_SIGNATURE_VALID"_s, u"CSR_SIGNATURE_ALGORITHM"_s,
                u"CSR_PUBLIC_KEY_LENGTH_2048"_s, u"CSR_CERT_SAME_PUBLIC_KEY"_s,
                u"CSR_CERT_SAME_SUBJECT_INFO"_s, u"CERTIFICATE_VALIDITY"_s,
                u"CERTIFICATE_SIGNATURE_ALGORITHM"_s, u"CSR_CERT_PUBLIC_PRIVATE_KEY_MATCH"_s }));
        QCOMPARE(overallState(inbound), ValidationState::Valid);
        // Without the key that rule is NOT_AVAILABLE, which does not fail the set.
        const QList<Validation> noKey
            = validateInboundEnrollment(csr(u"leaf.csr"_s), cert(u"client.pem"_s), {});
        QCOMPARE(find(noKey, u"CSR_CERT_PUBLIC_PRIVATE_KEY_MATCH"_s).state,
            ValidationState::NotAvailable);
        QCOMPARE(overallState(noKey), ValidationState::Valid);
        // Expired: the set fails on CERTIFICATE_VALIDITY only.
        const QList<Validation> expired
            = validateInboundEnrollment(csr(u"leaf.csr"_s), cert(u"expired.pem"_s), {});
        QCOMPARE(overallState(expired), ValidationState::Invalid);
        QCOMPARE(find(expired, u"CERTIFICATE_VALIDITY"_s).state, ValidationState::Invalid);
        QCOMPARE(find(expired, u"CSR_CERT_SAME_PUBLIC_KEY"_s).state, ValidationState::Valid);

        const QList<Validation> outbound
            = validateOutboundEnrollment(csr(u"leaf.csr"_s), cert(u"client.pem"_s), {}, dfspCa);
        QCOMPARE(outbound.size(), 8);
        QCOMPARE(outbound.last().code, u"CERTIFICATE_SIGNED_BY_DFSP_CA"_s);
        QCOMPARE(overallState(outbound), ValidationState::Valid);
        QCOMPARE(overallState(validateOutboundEnrollment(
                     csr(u"leaf.csr"_s), cert(u"selfsigned.pem"_s), {}, dfspCa)),
            ValidationState::Invalid);

        const QList<Validation> server = validateServerCertificate(cert(u"server.pem"_s), dfspCa);
        QCOMPARE(server.size(), 6);
        for (const Validation &v : server)
            QVERIFY2(v.state == ValidationState::Valid, qPrintable(v.code + u": "_s + v.message));
        const QList<Validation> clientAsServer
            = validateServerCertificate(cert(u"client.pem"_s), dfspCa);
        QCOMPARE(
            find(clientAsServer, u"CERTIFICATE_USAGE_SERVER"_s).state, ValidationState::Invalid);

        const QList<Validation> jws = validateJwsCertificate(cert(u"weak.pem"_s));
        QCOMPARE(jws.size(), 2);
        QCOMPARE(overallState(jws), ValidationState::Invalid);

        QCOMPARE(overallState(validateDfspCa(dfspCa)), ValidationState::Valid);
        QCOMPARE(overallState(validateDfspCa({ cert(u"root-noku.pem"_s), {} })),
            ValidationState::Invalid);
        QCOMPARE(validationStateName(ValidationState::NotAvailable), u"NOT_AVAILABLE"_s);
    }

    void ourCaPassesTheServerRules()
    {
        // What pm_pki makes passes the rules the hub will apply to it.
        auto ca = CertificateAuthority::create(
            { u"DFSP CA"_s, u"Payee"_s, {}, {}, {}, u"UG"_s, {} }, KeyType::Rsa2048);
        QVERIFY(ca);
        const CaChain chain { ca->root(), {} };
        QCOMPARE(overallState(validateDfspCa(chain)), ValidationState::Valid);
        auto server = ca->issueServerCertificate({ u"payee.example"_s, {}, {}, {}, {}, {}, {} },
            { { u"payee.example"_s }, {}, {}, {} }, KeyType::Rsa2048);
        QVERIFY(server);
        for (const Validation &v : validateServerCertificate(server->certificate, chain))
            QVERIFY2(v.state != ValidationState::Invalid, qPrintable(v.code + u": "_s + v.message));
        // A hub CSR signed by us passes the outbound enrollment rules.
        auto hubCsr = csr(u"leaf.csr"_s);
        auto hubCert = ca->sign(hubCsr, CertificateUsage::Client);
        QVERIFY(hubCert);
        const QList<Validation> outbound
            = validateOutboundEnrollment(hubCsr, *hubCert, key(u"leaf.key"_s), chain);
        for (const Validation &v : outbound)
            QVERIFY2(v.state == ValidationState::Valid, qPrintable(v.code + u": "_s + v.message));
        QCOMPARE(Rules::csrCertSameSubjectInfo(hubCsr, *hubCert).state, ValidationState::Valid);
        QCOMPARE(Rules::certificateUsageClient(*hubCert).state, ValidationState::Valid);
    }
};

QTEST_GUILESS_MAIN(TestPkiValidation)
#include "tst_pkivalidation.moc"
