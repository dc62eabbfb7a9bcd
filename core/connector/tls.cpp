#include "core/connector/tls.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

using namespace Qt::StringLiterals;

namespace Pm::Connector {

namespace {

Pm::Result<QByteArray> readFile(const QString &path, const QString &setting)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Pm::fail(0, u"%1: cannot read '%2': %3"_s.arg(setting, path, file.errorString()));
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
            return Pm::fail(0, u"%1: '%2' holds no PEM certificate"_s.arg(setting, path));
        cas += certs;
    }
    return cas;
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
        return Pm::fail(0, u"%1: '%2' holds no PEM certificate"_s.arg(certSetting, certPath));
    auto keyPem = readFile(keyPath, keySetting);
    if (!keyPem)
        return std::unexpected(keyPem.error());
    QSslKey key(*keyPem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey);
    if (key.isNull())
        key = QSslKey(*keyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    if (key.isNull())
        return Pm::fail(0, u"%1: '%2' holds no unencrypted RSA or EC private key"_s.arg(keySetting, keyPath));
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
