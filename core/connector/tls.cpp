#include "core/connector/tls.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace Pm::Connector {

namespace {

Pm::Result<QByteArray> readFile(const QString &path, const QString &setting)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Pm::fail(InvalidSettingError, u"%1: cannot read '%2': %3"_s.arg(setting, path, file.errorString()));
    return file.readAll();
}

Pm::Result<QList<QSslCertificate>> readCas(const QStringList &paths, const QString &setting)
{
    QList<QSslCertificate> cas;
    for (const QString &path : paths) {
        auto pem = readFile(path, setting);
        if (!pem)
            return std::unexpected(pem.error());
        const QList<QSslCertificate> certs = QSslCertificate::fromData(*pem, QSsl::Pem);
        if (certs.isEmpty())
            return Pm::fail(InvalidSettingError, u"%1: '%2' holds no PEM certificate"_s.arg(setting, path));
        cas += certs;
    }
    return cas;
}

template<class T, void (*F)(T *)>
struct OsslDeleter
{
    void operator()(T *p) const { F(p); }
};
using BioPtr = std::unique_ptr<BIO, OsslDeleter<BIO, &BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, OsslDeleter<X509, &X509_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OsslDeleter<EVP_PKEY, &EVP_PKEY_free>>;

/** True when the first certificate of `certPem` holds the public half of `keyPem`. */
bool keyMatchesCertificate(const QByteArray &certPem, const QByteArray &keyPem)
{
    BioPtr certBio(BIO_new_mem_buf(certPem.constData(), int(certPem.size())));
    BioPtr keyBio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    if (!certBio || !keyBio)
        return false;
    X509Ptr cert(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
    EvpPkeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
    return cert && key && X509_check_private_key(cert.get(), key.get()) == 1;
}

Pm::Result<std::pair<QSslCertificate, QSslKey>> readIdentity(const QString &certPath,
                                                             const QString &certSetting,
                                                             const QString &keyPath,
                                                             const QString &keySetting)
{
    auto certPem = readFile(certPath, certSetting);
    if (!certPem)
        return std::unexpected(certPem.error());
    const QList<QSslCertificate> certs = QSslCertificate::fromData(*certPem, QSsl::Pem);
    if (certs.isEmpty())
        return Pm::fail(InvalidSettingError, u"%1: '%2' holds no PEM certificate"_s.arg(certSetting, certPath));
    auto keyPem = readFile(keyPath, keySetting);
    if (!keyPem)
        return std::unexpected(keyPem.error());
    QSslKey key(*keyPem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey);
    if (key.isNull())
        key = QSslKey(*keyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    if (key.isNull())
        return Pm::fail(InvalidSettingError, u"%1: '%2' holds no unencrypted RSA or EC private key"_s.arg(keySetting, keyPath));
    if (!keyMatchesCertificate(*certPem, *keyPem)) {
        return Pm::fail(InvalidSettingError, u"%1: '%2' is not the key of the certificate in %3 ('%4')"_s.arg(
                                                 keySetting, keyPath, certSetting, certPath));
    }
    return std::pair{certs.first(), key};
}

} // namespace

Pm::Result<QSslConfiguration> inboundTlsConfiguration(const TlsSettings &settings)
{
    auto identity = readIdentity(settings.certPath, u"IN_SERVER_CERT_PATH"_s, settings.keyPath,
                                 u"IN_SERVER_KEY_PATH"_s);
    if (!identity)
        return std::unexpected(identity.error());
    auto cas = readCas(settings.caCertPaths, u"IN_CA_CERT_PATH"_s);
    if (!cas)
        return std::unexpected(cas.error());
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(identity->first);
    tls.setPrivateKey(identity->second);
    tls.setCaCertificates(*cas);
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return tls;
}

Pm::Result<QSslConfiguration> outboundTlsConfiguration(const TlsSettings &settings)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (!settings.caCertPaths.isEmpty()) {
        auto cas = readCas(settings.caCertPaths, u"OUT_CA_CERT_PATH"_s);
        if (!cas)
            return std::unexpected(cas.error());
        tls.setCaCertificates(*cas);
    }
    if (!settings.certPath.isEmpty() && !settings.keyPath.isEmpty()) {
        auto identity = readIdentity(settings.certPath, u"OUT_CLIENT_CERT_PATH"_s, settings.keyPath,
                                     u"OUT_CLIENT_KEY_PATH"_s);
        if (!identity)
            return std::unexpected(identity.error());
        tls.setLocalCertificate(identity->first);
        tls.setPrivateKey(identity->second);
    }
    return tls;
}

} // namespace Pm::Connector
