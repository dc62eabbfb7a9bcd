#include "core/pki/authority.h"

#include "core/pki/ossl_p.h"

using namespace Qt::StringLiterals;

namespace Pm::Pki {

using namespace Internal;

namespace {

constexpr long backdateSeconds = 5 * 60;

bool addExtension(X509 *cert, X509V3_CTX *ctx, int nid, const char *value)
{
    X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

Result<void> setRandomSerial(X509 *cert)
{
    BignumPtr serial(BN_new());
    // 127 random bits: positive, and at most 16 bytes as RFC 5280 asks.
    if (!serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1
        || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)))
        return opensslFailure(u"certificate: cannot make a serial number"_s);
    return {};
}

enum class Profile { Root, Server, Client };

/**
 * Makes and signs a certificate. `issuer` null = self-signed (the subject is the issuer).
 * `notAfterLimit`, when valid, caps notAfter (the issuer's own expiry).
 */
Result<X509Ptr> makeCertificate(Profile profile, const X509_NAME *subject, EVP_PKEY *publicKey,
    const GENERAL_NAMES *altNames, X509 *issuer, EVP_PKEY *signingKey, int validityDays)
{
    if (validityDays <= 0)
        return fail(0, u"certificate: validity days must be positive (got %1)"_s.arg(validityDays));
    X509Ptr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1)
        return opensslFailure(u"certificate: allocation failed"_s);
    if (auto serial = setRandomSerial(cert.get()); !serial)
        return std::unexpected(serial.error());
    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -backdateSeconds)
        || !X509_time_adj_ex(X509_getm_notAfter(cert.get()), validityDays, 0, nullptr))
        return opensslFailure(u"certificate: cannot set the validity period"_s);
    if (issuer && ASN1_TIME_compare(X509_get0_notAfter(cert.get()), X509_get0_notAfter(issuer)) > 0
        && X509_set1_notAfter(cert.get(), X509_get0_notAfter(issuer)) != 1)
        return opensslFailure(u"certificate: cannot cap notAfter at the issuer's"_s);
    if (X509_set_subject_name(cert.get(), subject) != 1
        || X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : subject) != 1
        || X509_set_pubkey(cert.get(), publicKey) != 1)
        return opensslFailure(u"certificate: cannot set names or public key"_s);

    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
    const bool rsa = EVP_PKEY_is_a(publicKey, "RSA");
    bool ok = true;
    switch (profile) {
    case Profile::Root:
        ok = addExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE")
            && addExtension(cert.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
        break;
    case Profile::Server:
    case Profile::Client:
        ok = addExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE")
            && addExtension(cert.get(), &ctx, NID_key_usage,
                rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature")
            && addExtension(cert.get(), &ctx, NID_ext_key_usage,
                profile == Profile::Server ? "serverAuth" : "clientAuth");
        break;
    }
    ok = ok && addExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
    if (issuer || profile == Profile::Root)
        ok = ok && addExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
    if (!ok)
        return opensslFailure(u"certificate: cannot add extensions"_s);
    if (altNames && sk_GENERAL_NAME_num(altNames) > 0) {
        if (X509_add1_ext_i2d(cert.get(), NID_subject_alt_name,
                const_cast<GENERAL_NAMES *>(altNames), 0, X509V3_ADD_DEFAULT)
            != 1)
            return opensslFailure(u"certificate: cannot add subjectAltName"_s);
    }
    if (X509_sign(cert.get(), signingKey, EVP_sha256()) <= 0)
        return opensslFailure(u"certificate: signing failed"_s);
    return cert;
}

} // namespace

Result<CertificateAuthority> CertificateAuthority::create(
    const DistinguishedName &subject, KeyType keyType, int validityDays)
{
    if (subject.commonName.trimmed().isEmpty())
        return fail(0, u"CA subject.commonName (CN) is required"_s);
    if (auto valid = validateCsrParameters({ subject, {} }); !valid)
        return std::unexpected(valid.error());
    auto key = PrivateKey::generate(keyType);
    if (!key)
        return std::unexpected(key.error());
    auto name = buildName(subject);
    if (!name)
        return std::unexpected(name.error());
    auto cert = makeCertificate(
        Profile::Root, name->get(), key->handle(), nullptr, nullptr, key->handle(), validityDays);
    if (!cert)
        return std::unexpected(cert.error());
    CertificateAuthority ca;
    ca.m_root = Certificate::fromHandle(cert->get());
    ca.m_key = std::move(*key);
    return ca;
}

Result<CertificateAuthority> CertificateAuthority::import(const QByteArray &rootPem,
    const QByteArray &intermediateChainPem, const QByteArray &keyData, const QByteArray &passphrase)
{
    auto root = Certificate::fromPem(rootPem);
    if (!root)
        return fail(0, u"CA root certificate: "_s + root.error().message, root.error().detail);
    auto intermediates = Certificate::listFromPem(intermediateChainPem);
    if (!intermediates)
        return fail(0, u"CA intermediate chain: "_s + intermediates.error().message,
            intermediates.error().detail);
    auto key = PrivateKey::fromData(keyData, passphrase);
    if (!key)
        return fail(0, u"CA "_s + key.error().message, key.error().detail);

    if (!root->isCa())
        return fail(0,
            u"CA root certificate '%1' is not a CA (basicConstraints CA:TRUE missing)"_s.arg(
                root->subjectText()));
    for (const Certificate &c : *intermediates) {
        if (!c.isCa())
            return fail(0,
                u"CA intermediate '%1' is not a CA (basicConstraints CA:TRUE missing)"_s.arg(
                    c.subjectText()));
    }
    const Certificate &signer = intermediates->isEmpty() ? *root : intermediates->first();
    if (!signer.matchesKey(*key))
        return fail(0,
            u"CA private key does not match the signing certificate '%1'"_s.arg(
                signer.subjectText()));
    if (signer.hasKeyUsageExtension() && !(signer.keyUsage() & KeyCertSign))
        return fail(0,
            u"CA signing certificate '%1' lacks keyUsage keyCertSign"_s.arg(signer.subjectText()));
    if (!intermediates->isEmpty()) {
        const ChainCheck check = verifyChain(intermediates->first(), intermediates->mid(1),
            { *root }, QDateTime::currentDateTimeUtc());
        if (!check.ok)
            return fail(0, u"CA intermediate chain does not lead to the root: "_s + check.reason);
    }
    CertificateAuthority ca;
    ca.m_root = std::move(*root);
    ca.m_intermediates = std::move(*intermediates);
    ca.m_key = std::move(*key);
    return ca;
}

const Certificate &CertificateAuthority::signer() const
{
    return m_intermediates.isEmpty() ? m_root : m_intermediates.first();
}

QByteArray CertificateAuthority::intermediateChainPem() const
{
    return Pki::toPem(m_intermediates);
}

QByteArray CertificateAuthority::chainPem() const
{
    return intermediateChainPem() + m_root.toPem();
}

Result<Certificate> CertificateAuthority::sign(
    const CertificateRequest &csr, CertificateUsage usage, int validityDays) const
{
    if (csr.isNull())
        return fail(0, u"CSR: none given"_s);
    if (!csr.signatureValid())
        return fail(0, u"CSR: its signature does not verify with its public key"_s);
    if (csr.subject().commonName.isEmpty())
        return fail(0, u"CSR: subject has no commonName (CN)"_s);
    auto names = buildAltNames(csr.subjectAltNames());
    if (!names)
        return std::unexpected(names.error());
    auto cert
        = makeCertificate(usage == CertificateUsage::Server ? Profile::Server : Profile::Client,
            X509_REQ_get_subject_name(csr.handle()), csr.publicKey(), names->get(),
            signer().handle(), m_key.handle(), validityDays);
    if (!cert)
        return std::unexpected(cert.error());
    return Certificate::fromHandle(cert->get());
}

Result<Identity> CertificateAuthority::issueServerCertificate(const DistinguishedName &subject,
    const SubjectAltNames &subjectAltNames, KeyType keyType, int validityDays) const
{
    auto key = PrivateKey::generate(keyType);
    if (!key)
        return std::unexpected(key.error());
    auto csr = CertificateRequest::create(*key, { subject, subjectAltNames });
    if (!csr)
        return std::unexpected(csr.error());
    auto cert = sign(*csr, CertificateUsage::Server, validityDays);
    if (!cert)
        return std::unexpected(cert.error());
    return Identity { std::move(*key), std::move(*cert) };
}

} // namespace Pm::Pki
