#include "core/pki/validation.h"

using namespace Qt::StringLiterals;

namespace Pm::Pki {

QString validationStateName(ValidationState state)
{
    switch (state) {
    case ValidationState::Valid:
        return u"VALID"_s;
    case ValidationState::Invalid:
        return u"INVALID"_s;
    case ValidationState::NotAvailable:
        return u"NOT_AVAILABLE"_s;
    }
    return {};
}

ValidationState overallState(const QList<Validation> &validations)
{
    for (const Validation &v : validations) {
        if (v.state == ValidationState::Invalid)
            return ValidationState::Invalid;
    }
    return ValidationState::Valid;
}

namespace {

Validation valid(const QString &code, const QString &message, const QString &data = {})
{
    return { code, ValidationState::Valid, message, data };
}

Validation invalid(const QString &code, const QString &message, const QString &data = {})
{
    return { code, ValidationState::Invalid, message, data };
}

Validation notAvailable(const QString &code, const QString &message)
{
    return { code, ValidationState::NotAvailable, message, {} };
}

QDateTime nowOf(const ValidationOptions &options)
{
    return options.now.isValid() ? options.now : QDateTime::currentDateTimeUtc();
}

QString keyLengthCode(const char16_t *prefix, const ValidationOptions &options)
{
    return QString::fromUtf16(prefix) + (options.minimumKeyBits >= 4096 ? u"4096"_s : u"2048"_s);
}

int requiredBits(const ValidationOptions &options)
{
    return options.minimumKeyBits >= 4096 ? 4096 : 2048;
}

/** Lists the subject fields that differ, "CN ('a' vs 'b'), O (...)". */
QString subjectDifferences(const DistinguishedName &a, const DistinguishedName &b)
{
    QStringList parts;
    const auto cmp = [&parts](const char16_t *name, const QString &x, const QString &y) {
        if (x != y)
            parts.append(u"%1 ('%2' in the CSR, '%3' in the certificate)"_s.arg(
                QString::fromUtf16(name), x, y));
    };
    cmp(u"CN", a.commonName, b.commonName);
    cmp(u"O", a.organization, b.organization);
    cmp(u"OU", a.organizationalUnit, b.organizationalUnit);
    cmp(u"L", a.locality, b.locality);
    cmp(u"ST", a.state, b.state);
    cmp(u"C", a.country, b.country);
    cmp(u"emailAddress", a.emailAddress, b.emailAddress);
    return parts.join(u", "_s);
}

} // namespace

namespace Rules {

Validation csrSignatureValid(const CertificateRequest &csr)
{
    const QString code = u"CSR_SIGNATURE_VALID"_s;
    if (csr.isNull())
        return notAvailable(code, u"No CSR"_s);
    if (csr.signatureValid())
        return valid(code, u"CSR passed verification"_s);
    return invalid(code, u"CSR failed verification: its signature does not match its public key"_s);
}

Validation csrSignatureAlgorithm(const CertificateRequest &csr, const ValidationOptions &options)
{
    const QString code = u"CSR_SIGNATURE_ALGORITHM"_s;
    if (csr.isNull())
        return notAvailable(code, u"No CSR"_s);
    const QString algorithm = csr.signatureAlgorithm();
    if (options.csrSignatureAlgorithms.contains(algorithm))
        return valid(code, u"CSR has a valid signature algorithm: %1"_s.arg(algorithm));
    return invalid(code,
        u"CSR signature algorithm %1 is not one of %2"_s.arg(
            algorithm, options.csrSignatureAlgorithms.join(u", "_s)));
}

Validation csrPublicKeyLength(const CertificateRequest &csr, const ValidationOptions &options)
{
    const QString code = keyLengthCode(u"CSR_PUBLIC_KEY_LENGTH_", options);
    if (csr.isNull())
        return notAvailable(code, u"No CSR"_s);
    const int required = requiredBits(options);
    if (!csr.publicKeyIsRsa())
        return invalid(code,
            u"CSR public key is %1, the rule requires RSA of at least %2 bits"_s
                .arg(csr.publicKeyDescription())
                .arg(required));
    const int bits = csr.publicKeyBits();
    if (bits >= required)
        return valid(code, u"CSR has a valid public key length of %1"_s.arg(bits));
    return invalid(
        code, u"CSR public key length is %1 bits, at least %2 required"_s.arg(bits).arg(required));
}

Validation csrMandatoryDistinguishedName(const CertificateRequest &csr)
{
    const QString code = u"CSR_MANDATORY_DISTINGUISHED_NAME"_s;
    if (csr.isNull())
        return notAvailable(code, u"No CSR"_s);
    const DistinguishedName s = csr.subject();
    const std::pair<const char16_t *, const QString *> fields[] = {
        { u"CN", &s.commonName },
        { u"OU", &s.organizationalUnit },
        { u"O", &s.organization },
        { u"L", &s.locality },
        { u"ST", &s.state },
        { u"C", &s.country },
        { u"E", &s.emailAddress },
    };
    QStringList missing;
    for (const auto &[name, value] : fields) {
        if (value->isEmpty())
            missing.append(QString::fromUtf16(name));
    }
    if (missing.isEmpty())
        return valid(code, u"CSR has all mandatory distinguished name attributes"_s);
    return invalid(code,
        u"CSR missing required distinguished name attributes: %1"_s.arg(missing.join(u", "_s)));
}

Validation csrCertSamePublicKey(const CertificateRequest &csr, const Certificate &certificate)
{
    const QString code = u"CSR_CERT_SAME_PUBLIC_KEY"_s;
    if (certificate.isNull())
        return notAvailable(code, u"No certificate"_s);
    if (csr.isNull())
        return notAvailable(code, u"No CSR"_s);
    if (csr.publicKeyDer() == certificate.publicKeyDer())
        return valid(code, u"CSR and certificate have the same public key"_s);
    return invalid(code, u"CSR and certificate have different public keys"_s);
}

Validation csrCertSameSubjectInfo(const CertificateRequest &csr, const Certificate &certificate)
{
    const QString code = u"CSR_CERT_SAME_SUBJECT_INFO"_s;
    if (certificate.isNull())
        return notAvailable(code, u"No certificate"_s);
    if (csr.isNull())
        return notAvailable(code, u"No CSR"_s);
    const QString differences = subjectDifferences(csr.subject(), certificate.subject());
    if (!differences.isEmpty())
        return invalid(code, u"The CSR and the certificate subjects differ: "_s + differences);
    const SubjectAltNames csrNames = csr.subjectAltNames();
    const SubjectAltNames certNames = certificate.subjectAltNames();
    if (!csrNames.sameEntries(certNames))
        return invalid(code,
            u"The CSR and the certificate subjectAltName differ: CSR [%1], certificate [%2]"_s.arg(
                csrNames.toString(), certNames.toString()));
    return valid(code, u"The CSR and the certificate have the same subject information"_s);
}

Validation csrCertSameCn(const CertificateRequest &csr, const Certificate &certificate)
{
    const QString code = u"CSR_CERT_SAME_CN"_s;
    if (certificate.isNull())
        return notAvailable(code, u"No certificate"_s);
    if (csr.isNull())
        return notAvailable(code, u"No CSR"_s);
    const QString a = csr.subject().commonName;
    const QString b = certificate.subject().commonName;
    if (a == b)
        return valid(code, u"The CSR and the certificate have the same CN"_s);
    return invalid(code, u"The CSR CN '%1' differs from the certificate CN '%2'"_s.arg(a, b));
}

Validation csrCertPublicPrivateKeyMatch(const Certificate &certificate, const PrivateKey &key)
{
    const QString code = u"CSR_CERT_PUBLIC_PRIVATE_KEY_MATCH"_s;
    if (certificate.isNull())
        return notAvailable(code, u"No certificate"_s);
    if (key.isNull())
        return notAvailable(code, u"No private key"_s);
    if (certificate.matchesKey(key))
        return valid(code, u"The certificate public key matches the private key"_s);
    return invalid(code, u"The certificate public key does not match the private key"_s);
}

Validation certificateValidity(const Certificate &certificate, const ValidationOptions &options)
{
    const QString code = u"CERTIFICATE_VALIDITY"_s;
    if (certificate.isNull())
        return notAvailable(code, u"No certificate"_s);
    const QDateTime now = nowOf(options);
    const QString period = u"%1 to %2"_s.arg(certificate.notBefore().toString(Qt::ISODate),
        certificate.notAfter().toString(Qt::ISODate));
    if (now < certificate.notBefore())
        return invalid(code, u"Certificate is not valid yet (valid %1)"_s.arg(period));
    if (now >= certificate.notAfter())
        return invalid(code, u"Certificate has expired (valid %1)"_s.arg(period));
    return valid(code, u"Certificate is valid now (valid %1)"_s.arg(period));
}

Validation certificateUsageServer(const Certificate &certificate)
{
    const QString code = u"CERTIFICATE_USAGE_SERVER"_s;
    if (certificate.isNull())
        return notAvailable(code, u"No certificate"_s);
    if (certificate.hasServerAuthUsage())
        return valid(
            code, u"Certificate has the \"TLS WWW server authentication\" extended key usage"_s);
    return invalid(code,
        u"Certificate doesn't have the \"TLS WWW server authentication\" extended key usage"_s);
}

Validation certificateUsageClient(const Certificate &certificate)
{
    const QString code = u"CERTIFICATE_USAGE_CLIENT"_s;
    if (certificate.isNull())
        return notAvailable(code, u"No certificate"_s);
    if (certificate.hasClientAuthUsage())
        return valid(
            code, u"Certificate has the \"TLS WWW client authentication\" extended key usage"_s);
    return invalid(code,
        u"Certificate doesn't have the \"TLS WWW client authentication\" extended key usage"_s);
}

Validation certificatePublicKeyLength(
    const Certificate &certificate, const ValidationOptions &options)
{
    const QString code = keyLengthCode(u"CERTIFICATE_PUBLIC_KEY_LENGTH_", options);
    if (certificate.isNull())
        return notAvailable(code, u"No certificate"_s);
    const int required = requiredBits(options);
    if (!certificate.publicKeyIsRsa())
        return invalid(code,
            u"Certificate public key is %1, the rule requires RSA of at least %2 bits"_s
                .arg(certificate.publicKeyDescription())
                .arg(required));
    const int bits = certificate.publicKeyBits();
    if (bits >= required)
        return valid(code, u"Certificate key length %1 is valid"_s.arg(bits));
    return invalid(
        code, u"Certificate key length %1 invalid, should be %2"_s.arg(bits).arg(required));
}

Validation certificateSignatureAlgorithm(
    const Certificate &certificate, const ValidationOptions &options)
{
    const QString code = u"CERTIFICATE_SIGNATURE_ALGORITHM"_s;
    if (certificate.isNull())
        return notAvailable(code, u"No certificate"_s);
    const QString algorithm = certificate.signatureAlgorithm();
    if (options.certificateSignatureAlgorithms.contains(algorithm))
        return valid(code, u"Certificate has a valid signature algorithm: %1"_s.arg(algorithm));
    return invalid(code,
        u"Certificate signature algorithm %1 is not one of %2"_s.arg(
            algorithm, options.certificateSignatureAlgorithms.join(u", "_s)));
}

Validation certificateChain(const Certificate &certificate, const QList<Certificate> &intermediates,
    const Certificate &root, const ValidationOptions &options)
{
    const QString code = u"CERTIFICATE_CHAIN"_s;
    if (certificate.isNull())
        return notAvailable(code, u"No certificate"_s);
    const QList<Certificate> trusted = root.isNull() ? QList<Certificate> {} : QList { root };
    const ChainCheck check = verifyChain(certificate, intermediates, trusted, nowOf(options));
    if (check.ok)
        return valid(code, u"Certificate chain valid"_s);
    return invalid(
        code, u"Certificate chain invalid at depth %1: %2"_s.arg(check.depth).arg(check.reason));
}

Validation certificateSignedByDfspCa(
    const Certificate &certificate, const CaChain &dfspCa, const ValidationOptions &options)
{
    const QString code = u"CERTIFICATE_SIGNED_BY_DFSP_CA"_s;
    if (dfspCa.isEmpty())
        return notAvailable(code, u"No DFSP CA"_s);
    if (certificate.isNull())
        return notAvailable(code, u"No certificate"_s);
    // The DFSP CA is trusted as given: root and intermediates are anchors (partial chains allowed,
    // as the reference puts every CA certificate into its store).
    QList<Certificate> trusted = dfspCa.intermediates;
    if (!dfspCa.root.isNull())
        trusted.append(dfspCa.root);
    const ChainCheck check = verifyChain(certificate, {}, trusted, nowOf(options), true);
    if (check.ok)
        return valid(code, u"The certificate is signed by the DFSP CA"_s, u"TRUST_CHAIN_VALID"_s);
    if (certificate.isSelfSigned())
        return invalid(
            code, u"The certificate is self-signed, not issued by the DFSP CA"_s, u"SELF_SIGNED"_s);
    return invalid(
        code, u"The certificate is not signed by the DFSP CA: "_s + check.reason, u"INVALID"_s);
}

Validation caCertificateUsage(const CaChain &ca)
{
    const QString code = u"CA_CERTIFICATE_USAGE"_s;
    if (ca.root.isNull())
        return notAvailable(code, u"No root certificate"_s);
    QList<Certificate> all = ca.intermediates;
    all.prepend(ca.root);
    for (const Certificate &c : all) {
        const QString which
            = c == ca.root ? u"root"_s : u"intermediate '%1'"_s.arg(c.subjectText());
        if (!c.isCa())
            return invalid(code,
                u"The %1 certificate doesn't have the CA basic constraint (CA = true)"_s.arg(
                    which));
        if (!c.hasKeyUsageExtension() || !(c.keyUsage() & KeyCertSign))
            return invalid(
                code, u"The %1 certificate doesn't have the keyCertSign key usage"_s.arg(which));
    }
    return valid(code, u"The CA certificates have CA = true and the keyCertSign key usage"_s);
}

Validation verifyRootCertificate(const Certificate &root, const ValidationOptions &options)
{
    const QString code = u"VERIFY_ROOT_CERTIFICATE"_s;
    if (root.isNull())
        return notAvailable(code, u"No root certificate"_s);
    if (root.isSelfSigned())
        return valid(code, u"The root certificate is valid with VALID(SELF_SIGNED) state"_s,
            u"SELF_SIGNED"_s);
    const ChainCheck check = verifyChain(root, {}, {}, nowOf(options));
    if (check.ok)
        return valid(
            code, u"The root certificate is valid with VALID(SIGNED) state"_s, u"SIGNED"_s);
    return invalid(code,
        u"The root certificate must be self-signed or signed by a global root: "_s + check.reason);
}

Validation verifyChainCertificates(const Certificate &root, const QList<Certificate> &intermediates,
    const ValidationOptions &options)
{
    const QString code = u"VERIFY_CHAIN_CERTIFICATES"_s;
    if (intermediates.isEmpty())
        return notAvailable(code, u"No intermediate chain"_s);
    for (const Certificate &c : intermediates) {
        if (!c.isCa())
            return invalid(code, u"The intermediate '%1' is not a CA"_s.arg(c.subjectText()));
    }
    const QList<Certificate> trusted = root.isNull() ? QList<Certificate> {} : QList { root };
    const ChainCheck check
        = verifyChain(intermediates.first(), intermediates.mid(1), trusted, nowOf(options));
    if (check.ok)
        return valid(
            code, u"The intermediate chain is made of valid CAs and is signed by the root"_s);
    return invalid(code, u"The intermediate chain does not lead to the root: "_s + check.reason);
}

} // namespace Rules

QList<Validation> validateInboundEnrollment(const CertificateRequest &csr,
    const Certificate &certificate, const PrivateKey &key, const ValidationOptions &options)
{
    return {
        Rules::csrSignatureValid(csr),
        Rules::csrSignatureAlgorithm(csr, options),
        Rules::csrPublicKeyLength(csr, options),
        Rules::csrCertSamePublicKey(csr, certificate),
        Rules::csrCertSameSubjectInfo(csr, certificate),
        Rules::certificateValidity(certificate, options),
        Rules::certificateSignatureAlgorithm(certificate, options),
        Rules::csrCertPublicPrivateKeyMatch(certificate, key),
    };
}

QList<Validation> validateOutboundEnrollment(const CertificateRequest &csr,
    const Certificate &certificate, const PrivateKey &key, const CaChain &dfspCa,
    const ValidationOptions &options)
{
    return {
        Rules::csrSignatureValid(csr),
        Rules::csrSignatureAlgorithm(csr, options),
        Rules::csrPublicKeyLength(csr, options),
        Rules::csrCertSamePublicKey(csr, certificate),
        Rules::csrCertPublicPrivateKeyMatch(certificate, key),
        Rules::certificateValidity(certificate, options),
        Rules::certificateSignatureAlgorithm(certificate, options),
        Rules::certificateSignedByDfspCa(certificate, dfspCa, options),
    };
}

QList<Validation> validateJwsCertificate(
    const Certificate &certificate, const ValidationOptions &options)
{
    ValidationOptions jws = options;
    jws.minimumKeyBits = 2048;
    return {
        Rules::certificateValidity(certificate, options),
        Rules::certificatePublicKeyLength(certificate, jws),
    };
}

QList<Validation> validateServerCertificate(
    const Certificate &certificate, const CaChain &chain, const ValidationOptions &options)
{
    return {
        Rules::certificateUsageServer(certificate),
        Rules::certificateValidity(certificate, options),
        Rules::certificateChain(certificate, chain.intermediates, chain.root, options),
        Rules::certificatePublicKeyLength(certificate, options),
        Rules::verifyRootCertificate(chain.root, options),
        Rules::verifyChainCertificates(chain.root, chain.intermediates, options),
    };
}

QList<Validation> validateDfspCa(const CaChain &ca, const ValidationOptions &options)
{
    return {
        Rules::verifyRootCertificate(ca.root, options),
        Rules::verifyChainCertificates(ca.root, ca.intermediates, options),
        Rules::caCertificateUsage(ca),
    };
}

} // namespace Pm::Pki
