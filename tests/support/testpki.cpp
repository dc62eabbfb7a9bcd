#include "tests/support/testpki.h"

#include <QDir>
#include <QFile>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

using namespace Qt::StringLiterals;

namespace Pm::Test {

namespace {

// RAII over OpenSSL handles (practice 10).
template<class T, void (*F)(T *)>
struct OsslDeleter
{
    void operator()(T *p) const { F(p); }
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OsslDeleter<EVP_PKEY, &EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, OsslDeleter<X509, &X509_free>>;
using BioPtr = std::unique_ptr<BIO, OsslDeleter<BIO, &BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OsslDeleter<BIGNUM, &BN_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, OsslDeleter<X509_EXTENSION, &X509_EXTENSION_free>>;

/** The OpenSSL error queue as one line (and cleared). */
QString opensslErrors()
{
    QStringList parts;
    while (const unsigned long e = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(e, buffer, sizeof buffer);
        parts.append(QString::fromLatin1(buffer));
    }
    return parts.join(u"; "_s);
}

std::unexpected<Error> opensslFailure(const QString &what)
{
    return fail(0, u"Test PKI: %1 failed"_s.arg(what), opensslErrors());
}

Result<EvpPkeyPtr> generateKey(TestKeyType type)
{
    EVP_PKEY *key = type == TestKeyType::EcP256
                        ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                        : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
    if (!key)
        return opensslFailure(u"key generation"_s);
    return EvpPkeyPtr(key);
}

enum class Role { Ca, Server, Client };

bool addExtension(X509 *cert, X509V3_CTX *ctx, int nid, const char *value)
{
    X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

/** Makes a certificate for `key`, signed by `issuerKey` (self-signed when issuer is null). */
Result<X509Ptr> makeCertificate(Role role, const QString &commonName, EVP_PKEY *key,
                                X509 *issuer, EVP_PKEY *issuerKey)
{
    X509Ptr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1)
        return opensslFailure(u"certificate allocation"_s);

    BignumPtr serial(BN_new());
    if (!serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1
        || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
        return opensslFailure(u"serial number"_s);

    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600)
        || !X509_gmtime_adj(X509_getm_notAfter(cert.get()), 2L * 24 * 3600))
        return opensslFailure(u"validity"_s);
    if (X509_set_pubkey(cert.get(), key) != 1)
        return opensslFailure(u"public key"_s);

    X509_NAME *name = X509_get_subject_name(cert.get());
    const QByteArray cn = commonName.toUtf8();
    if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char *>("Payment Manager Tests"),
                                   -1, -1, 0) != 1
        || X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char *>(cn.constData()), -1,
                                      -1, 0) != 1)
        return opensslFailure(u"subject name"_s);
    if (X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name) != 1)
        return opensslFailure(u"issuer name"_s);

    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
    bool ok = addExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
    switch (role) {
    case Role::Ca:
        ok = ok && addExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE")
             && addExtension(cert.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
        break;
    case Role::Server:
        ok = ok && addExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE")
             && addExtension(cert.get(), &ctx, NID_key_usage,
                             "critical,digitalSignature,keyEncipherment")
             && addExtension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth")
             && addExtension(cert.get(), &ctx, NID_subject_alt_name,
                             "IP:127.0.0.1,IP:::1,DNS:localhost");
        break;
    case Role::Client:
        ok = ok && addExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE")
             && addExtension(cert.get(), &ctx, NID_key_usage,
                             "critical,digitalSignature,keyEncipherment")
             && addExtension(cert.get(), &ctx, NID_ext_key_usage, "clientAuth");
        break;
    }
    ok = ok && addExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
    if (!ok)
        return opensslFailure(u"certificate extensions"_s);

    if (X509_sign(cert.get(), issuerKey ? issuerKey : key, EVP_sha256()) <= 0)
        return opensslFailure(u"certificate signature"_s);
    return cert;
}

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data);
    return length > 0 && data ? QByteArray(data, length) : QByteArray();
}

/** Zeroes a buffer that held key material. */
void scrub(QByteArray &bytes)
{
    if (!bytes.isEmpty()) {
        bytes.detach();
        OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
    }
    bytes.clear();
}

Result<void> writeFile(const QString &path, const QByteArray &bytes, bool secret)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(0, u"Test PKI: cannot write %1"_s.arg(path), file.errorString());
    if (secret)
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (file.write(bytes) != bytes.size())
        return fail(0, u"Test PKI: cannot write %1"_s.arg(path), file.errorString());
    return {};
}

/** Converts and stores one certificate and key as PEM files named `<stem>.crt.pem`/`<stem>.key.pem`. */
Result<TestIdentity> exportIdentity(X509 *cert, EVP_PKEY *key, TestKeyType type,
                                    const QString &directory, const QString &stem)
{
    BioPtr certBio(BIO_new(BIO_s_mem()));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    if (!certBio || !keyBio || PEM_write_bio_X509(certBio.get(), cert) != 1
        || PEM_write_bio_PrivateKey(keyBio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return opensslFailure(u"PEM encoding"_s);
    const QByteArray certPem = bioContents(certBio.get());
    QByteArray keyPem = bioContents(keyBio.get());

    TestIdentity identity;
    identity.certificate = QSslCertificate(certPem, QSsl::Pem);
    identity.privateKey = QSslKey(keyPem, type == TestKeyType::EcP256 ? QSsl::Ec : QSsl::Rsa,
                                  QSsl::Pem, QSsl::PrivateKey);
    identity.certificatePath = QDir(directory).filePath(stem + u".crt.pem"_s);
    identity.privateKeyPath = QDir(directory).filePath(stem + u".key.pem"_s);
    Result<void> written = writeFile(identity.certificatePath, certPem, false);
    if (written)
        written = writeFile(identity.privateKeyPath, keyPem, true);
    scrub(keyPem);
    if (!written)
        return std::unexpected(written.error());
    if (identity.certificate.isNull() || identity.privateKey.isNull())
        return fail(0, u"Test PKI: Qt could not read the generated %1 certificate or key"_s.arg(stem));
    return identity;
}

} // namespace

struct TestPki::State
{
    QString directory;
    TestKeyType keyType = TestKeyType::EcP256;
    X509Ptr caCert;
    EvpPkeyPtr caKey;
    TestIdentity ca, server, client, otherCa, otherCaClient;
    int issued = 0;
};

TestPki::TestPki(std::unique_ptr<State> state)
    : m_state(std::move(state))
{
}

TestPki::TestPki(TestPki &&) noexcept = default;
TestPki &TestPki::operator=(TestPki &&) noexcept = default;
TestPki::~TestPki() = default;

Result<TestPki> TestPki::create(const QString &directory, TestKeyType keyType)
{
    auto state = std::make_unique<State>();
    state->directory = directory;
    state->keyType = keyType;

    auto issue = [&](Role role, const QString &cn, X509 *issuer, EVP_PKEY *issuerKey,
                     const QString &stem, X509Ptr *keepCert,
                     EvpPkeyPtr *keepKey) -> Result<TestIdentity> {
        Result<EvpPkeyPtr> key = generateKey(keyType);
        if (!key)
            return std::unexpected(key.error());
        Result<X509Ptr> cert = makeCertificate(role, cn, key->get(), issuer, issuerKey);
        if (!cert)
            return std::unexpected(cert.error());
        Result<TestIdentity> identity = exportIdentity(cert->get(), key->get(), keyType,
                                                       directory, stem);
        if (identity && keepCert)
            *keepCert = std::move(*cert);
        if (identity && keepKey)
            *keepKey = std::move(*key);
        return identity;
    };

    Result<TestIdentity> ca = issue(Role::Ca, u"Payment Manager Test CA"_s, nullptr, nullptr,
                                    u"ca"_s, &state->caCert, &state->caKey);
    if (!ca)
        return std::unexpected(ca.error());
    state->ca = std::move(*ca);

    Result<TestIdentity> server = issue(Role::Server, u"localhost"_s, state->caCert.get(),
                                        state->caKey.get(), u"server"_s, nullptr, nullptr);
    if (!server)
        return std::unexpected(server.error());
    state->server = std::move(*server);

    Result<TestIdentity> client = issue(Role::Client, u"test-client"_s, state->caCert.get(),
                                        state->caKey.get(), u"client"_s, nullptr, nullptr);
    if (!client)
        return std::unexpected(client.error());
    state->client = std::move(*client);

    X509Ptr otherCert;
    EvpPkeyPtr otherKey;
    Result<TestIdentity> other = issue(Role::Ca, u"Unrelated Test CA"_s, nullptr, nullptr,
                                       u"other-ca"_s, &otherCert, &otherKey);
    if (!other)
        return std::unexpected(other.error());
    state->otherCa = std::move(*other);

    Result<TestIdentity> otherClient = issue(Role::Client, u"test-client"_s, otherCert.get(),
                                             otherKey.get(), u"other-ca-client"_s, nullptr,
                                             nullptr);
    if (!otherClient)
        return std::unexpected(otherClient.error());
    state->otherCaClient = std::move(*otherClient);

    return TestPki(std::move(state));
}

const TestIdentity &TestPki::ca() const { return m_state->ca; }
const TestIdentity &TestPki::server() const { return m_state->server; }
const TestIdentity &TestPki::client() const { return m_state->client; }
const TestIdentity &TestPki::otherCa() const { return m_state->otherCa; }
const TestIdentity &TestPki::otherCaClient() const { return m_state->otherCaClient; }

Result<TestIdentity> TestPki::issueClient(const QString &commonName)
{
    Result<EvpPkeyPtr> key = generateKey(m_state->keyType);
    if (!key)
        return std::unexpected(key.error());
    Result<X509Ptr> cert = makeCertificate(Role::Client, commonName, key->get(),
                                           m_state->caCert.get(), m_state->caKey.get());
    if (!cert)
        return std::unexpected(cert.error());
    return exportIdentity(cert->get(), key->get(), m_state->keyType, m_state->directory,
                          u"client-%1"_s.arg(++m_state->issued));
}

Result<TestIdentity> TestPki::issueServer()
{
    Result<EvpPkeyPtr> key = generateKey(m_state->keyType);
    if (!key)
        return std::unexpected(key.error());
    Result<X509Ptr> cert = makeCertificate(Role::Server, u"localhost"_s, key->get(),
                                           m_state->caCert.get(), m_state->caKey.get());
    if (!cert)
        return std::unexpected(cert.error());
    return exportIdentity(cert->get(), key->get(), m_state->keyType, m_state->directory,
                          u"server-%1"_s.arg(++m_state->issued));
}

QSslConfiguration TestPki::serverConfiguration(QSslSocket::PeerVerifyMode mode) const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(m_state->server.certificate);
    configuration.setPrivateKey(m_state->server.privateKey);
    configuration.setCaCertificates({m_state->ca.certificate});
    configuration.setPeerVerifyMode(mode);
    return configuration;
}

QSslConfiguration TestPki::clientConfiguration(const TestIdentity *identity) const
{
    return clientConfiguration({m_state->ca.certificate}, identity);
}

QSslConfiguration TestPki::clientConfiguration(const QList<QSslCertificate> &trusted,
                                               const TestIdentity *identity)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(trusted);
    configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (identity) {
        configuration.setLocalCertificate(identity->certificate);
        configuration.setPrivateKey(identity->privateKey);
    }
    return configuration;
}

} // namespace Pm::Test
