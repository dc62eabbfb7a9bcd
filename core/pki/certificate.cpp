#include "core/pki/certificate.h"

#include "core/pki/ossl_p.h"

#include <QCryptographicHash>
#include <openssl/err.h>
#include <openssl/pem.h>

using namespace Qt::StringLiterals;

namespace Pm::Pki {

using namespace Internal;

void Certificate::Deleter::operator()(X509 *cert) const
{
    X509_free(cert);
}

Certificate::Certificate() = default;
Certificate::Certificate(Certificate &&) noexcept = default;
Certificate &Certificate::operator=(Certificate &&) noexcept = default;
Certificate::~Certificate() = default;

Certificate::Certificate(const Certificate &other)
{
    if (other.m_cert && X509_up_ref(other.m_cert.get()) == 1)
        m_cert.reset(other.m_cert.get());
}

Certificate &Certificate::operator=(const Certificate &other)
{
    if (this != &other)
        *this = Certificate(other);
    return *this;
}

Certificate Certificate::fromHandle(X509 *cert)
{
    Certificate result;
    if (cert && X509_up_ref(cert) == 1)
        result.m_cert.reset(cert);
    return result;
}

Result<Certificate> Certificate::fromPem(const QByteArray &pem)
{
    BioPtr bio = memoryBio(pem);
    X509 *cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (!cert)
        return opensslFailure(u"certificate: not a readable PEM certificate"_s);
    Certificate result;
    result.m_cert.reset(cert);
    return result;
}

Result<Certificate> Certificate::fromDer(const QByteArray &der)
{
    const auto *data = reinterpret_cast<const unsigned char *>(der.constData());
    X509 *cert = d2i_X509(nullptr, &data, long(der.size()));
    if (!cert)
        return opensslFailure(u"certificate: not a readable DER certificate"_s);
    Certificate result;
    result.m_cert.reset(cert);
    return result;
}

Result<Certificate> Certificate::fromData(const QByteArray &data)
{
    return looksLikePem(data) ? fromPem(data) : fromDer(data);
}

Result<QList<Certificate>> Certificate::listFromPem(const QByteArray &pem)
{
    QList<Certificate> result;
    if (pem.trimmed().isEmpty())
        return result;
    BioPtr bio = memoryBio(pem);
    while (X509 *cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        Certificate c;
        c.m_cert.reset(cert);
        result.append(std::move(c));
    }
    // The loop ends on "no start line" once the input is used up; anything else is damage.
    const unsigned long last = ERR_peek_last_error();
    if (ERR_GET_REASON(last) == PEM_R_NO_START_LINE && !result.isEmpty()) {
        ERR_clear_error();
        return result;
    }
    return opensslFailure(result.isEmpty()
            ? u"certificate chain: no PEM certificate found"_s
            : u"certificate chain: certificate %1 is not readable"_s.arg(result.size() + 1));
}

bool Certificate::isNull() const
{
    return !m_cert;
}

X509 *Certificate::handle() const
{
    return m_cert.get();
}

QByteArray Certificate::toPem() const
{
    if (!m_cert)
        return {};
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_X509(bio.get(), m_cert.get()) != 1)
        return {};
    return bioContents(bio.get());
}

QByteArray Certificate::toDer() const
{
    if (!m_cert)
        return {};
    unsigned char *der = nullptr;
    const int size = i2d_X509(m_cert.get(), &der);
    if (size <= 0)
        return {};
    QByteArray result(reinterpret_cast<const char *>(der), size);
    OPENSSL_free(der);
    return result;
}

DistinguishedName Certificate::subject() const
{
    return m_cert ? readName(X509_get_subject_name(m_cert.get())) : DistinguishedName {};
}

DistinguishedName Certificate::issuer() const
{
    return m_cert ? readName(X509_get_issuer_name(m_cert.get())) : DistinguishedName {};
}

QString Certificate::subjectText() const
{
    return m_cert ? nameText(X509_get_subject_name(m_cert.get())) : QString();
}

QString Certificate::issuerText() const
{
    return m_cert ? nameText(X509_get_issuer_name(m_cert.get())) : QString();
}

SubjectAltNames Certificate::subjectAltNames() const
{
    if (!m_cert)
        return {};
    GeneralNamesPtr names(static_cast<GENERAL_NAMES *>(
        X509_get_ext_d2i(m_cert.get(), NID_subject_alt_name, nullptr, nullptr)));
    return readAltNames(names.get());
}

QString Certificate::serialNumber() const
{
    if (!m_cert)
        return {};
    BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(m_cert.get()), nullptr));
    if (!serial)
        return {};
    QByteArray bytes(BN_num_bytes(serial.get()), '\0');
    BN_bn2bin(serial.get(), reinterpret_cast<unsigned char *>(bytes.data()));
    if (bytes.isEmpty())
        bytes = QByteArray(1, '\0');
    return colonHex(bytes);
}

QString Certificate::sha256Fingerprint() const
{
    if (!m_cert)
        return {};
    return colonHex(QCryptographicHash::hash(toDer(), QCryptographicHash::Sha256));
}

QDateTime Certificate::notBefore() const
{
    return m_cert ? toDateTime(X509_get0_notBefore(m_cert.get())) : QDateTime();
}

QDateTime Certificate::notAfter() const
{
    return m_cert ? toDateTime(X509_get0_notAfter(m_cert.get())) : QDateTime();
}

bool Certificate::isValidAt(const QDateTime &now) const
{
    const QDateTime from = notBefore();
    const QDateTime until = notAfter();
    return from.isValid() && until.isValid() && from <= now && now < until;
}

qint64 Certificate::daysToExpiry(const QDateTime &now) const
{
    const qint64 seconds = now.secsTo(notAfter());
    // Round toward negative infinity: 1 s after expiry is day -1.
    return seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
}

QString Certificate::signatureAlgorithm() const
{
    if (!m_cert)
        return {};
    return QString::fromLatin1(OBJ_nid2ln(X509_get_signature_nid(m_cert.get())));
}

EVP_PKEY *Certificate::publicKey() const
{
    return m_cert ? X509_get0_pubkey(m_cert.get()) : nullptr;
}

QString Certificate::publicKeyDescription() const
{
    return describePublicKey(publicKey());
}

int Certificate::publicKeyBits() const
{
    return Pki::publicKeyBits(publicKey());
}

bool Certificate::publicKeyIsRsa() const
{
    return publicKey() && EVP_PKEY_is_a(publicKey(), "RSA");
}

QByteArray Certificate::publicKeyDer() const
{
    return Pki::publicKeyDer(publicKey());
}

bool Certificate::isCa() const
{
    // basicConstraints CA:TRUE only; X509_check_ca() would also fold in keyUsage, which the
    // CA_CERTIFICATE_USAGE rule reports separately.
    return m_cert && (X509_get_extension_flags(m_cert.get()) & EXFLAG_CA);
}

bool Certificate::hasKeyUsageExtension() const
{
    return m_cert && (X509_get_extension_flags(m_cert.get()) & EXFLAG_KUSAGE);
}

unsigned Certificate::keyUsage() const
{
    if (!hasKeyUsageExtension())
        return 0;
    const uint32_t bits = X509_get_key_usage(m_cert.get());
    unsigned result = 0;
    if (bits & KU_DIGITAL_SIGNATURE)
        result |= DigitalSignature;
    if (bits & KU_KEY_ENCIPHERMENT)
        result |= KeyEncipherment;
    if (bits & KU_KEY_AGREEMENT)
        result |= KeyAgreement;
    if (bits & KU_KEY_CERT_SIGN)
        result |= KeyCertSign;
    if (bits & KU_CRL_SIGN)
        result |= CrlSign;
    return result;
}

bool Certificate::hasExtendedKeyUsageExtension() const
{
    return m_cert && (X509_get_extension_flags(m_cert.get()) & EXFLAG_XKUSAGE);
}

bool Certificate::hasServerAuthUsage() const
{
    return hasExtendedKeyUsageExtension()
        && (X509_get_extended_key_usage(m_cert.get()) & XKU_SSL_SERVER);
}

bool Certificate::hasClientAuthUsage() const
{
    return hasExtendedKeyUsageExtension()
        && (X509_get_extended_key_usage(m_cert.get()) & XKU_SSL_CLIENT);
}

bool Certificate::isSelfSigned() const
{
    if (!m_cert)
        return false;
    // X509_self_signed(cert, 1) checks the names match and the signature verifies.
    const int result = X509_self_signed(m_cert.get(), 1);
    ERR_clear_error();
    return result == 1;
}

bool Certificate::matchesKey(const PrivateKey &key) const
{
    return m_cert && !key.isNull() && EVP_PKEY_eq(publicKey(), key.handle()) == 1;
}

bool Certificate::operator==(const Certificate &other) const
{
    if (!m_cert || !other.m_cert)
        return !m_cert && !other.m_cert;
    return X509_cmp(m_cert.get(), other.m_cert.get()) == 0;
}

QByteArray toPem(const QList<Certificate> &certificates)
{
    QByteArray result;
    for (const Certificate &c : certificates)
        result += c.toPem();
    return result;
}

ChainCheck verifyChain(const Certificate &leaf, const QList<Certificate> &untrusted,
    const QList<Certificate> &trusted, const QDateTime &at, bool partialChain)
{
    ChainCheck check;
    if (leaf.isNull()) {
        check.reason = u"no certificate"_s;
        return check;
    }
    X509StorePtr store(X509_STORE_new());
    if (!store) {
        check.reason = u"out of memory"_s;
        return check;
    }
    if (trusted.isEmpty()) {
        X509_STORE_set_default_paths(store.get());
    } else {
        for (const Certificate &c : trusted)
            X509_STORE_add_cert(store.get(), c.handle());
    }
    X509StackPtr chain(sk_X509_new_null());
    for (const Certificate &c : untrusted) {
        if (!c.isNull())
            X509_add_cert(chain.get(), c.handle(), X509_ADD_FLAG_UP_REF);
    }
    X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.handle(), chain.get()) != 1) {
        check.reason = u"cannot set up verification: "_s + opensslErrors();
        return check;
    }
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_time(param, time_t(at.toSecsSinceEpoch()));
    if (partialChain)
        X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
    const int ok = X509_verify_cert(ctx.get());
    if (ok == 1) {
        check.ok = true;
    } else {
        const int error = X509_STORE_CTX_get_error(ctx.get());
        check.reason = QString::fromLatin1(X509_verify_cert_error_string(error));
        check.depth = X509_STORE_CTX_get_error_depth(ctx.get());
    }
    ERR_clear_error();
    return check;
}

} // namespace Pm::Pki
