#pragma once

#include "core/base/result.h"
#include "core/pki/key.h"
#include "core/pki/names.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <memory>
#include <openssl/types.h>

namespace Pm::Pki {

/** Key usage bits (RFC 5280 §4.2.1.3) a certificate may carry. */
enum KeyUsage : unsigned {
    DigitalSignature = 0x1,
    KeyEncipherment = 0x2,
    KeyAgreement = 0x4,
    KeyCertSign = 0x8,
    CrlSign = 0x10,
};

/** An X.509 certificate. Copies share the OpenSSL object; immutable. */
class Certificate
{
public:
    Certificate();
    Certificate(const Certificate &other);
    Certificate &operator=(const Certificate &other);
    Certificate(Certificate &&) noexcept;
    Certificate &operator=(Certificate &&) noexcept;
    ~Certificate();

    /** The first certificate of a PEM text. */
    static Result<Certificate> fromPem(const QByteArray &pem);
    static Result<Certificate> fromDer(const QByteArray &der);
    /** PEM or DER, detected from the content. */
    static Result<Certificate> fromData(const QByteArray &data);
    /** Every certificate of a PEM text, in order; an empty or blank text gives an empty list. */
    static Result<QList<Certificate>> listFromPem(const QByteArray &pem);
    /** Takes one reference on `cert`. */
    static Certificate fromHandle(X509 *cert);

    bool isNull() const;
    QByteArray toPem() const;
    QByteArray toDer() const;

    DistinguishedName subject() const;
    DistinguishedName issuer() const;
    /** Subject as one RFC 2253 line (every attribute, not only the ones DistinguishedName has). */
    QString subjectText() const;
    QString issuerText() const;
    SubjectAltNames subjectAltNames() const;

    /** Serial number as colon-separated uppercase hex ("0A:1B:..."). */
    QString serialNumber() const;
    /** SHA-256 of the DER, colon-separated uppercase hex. */
    QString sha256Fingerprint() const;

    QDateTime notBefore() const;
    QDateTime notAfter() const;
    /** notBefore ≤ now < notAfter. */
    bool isValidAt(const QDateTime &now) const;
    /**
     * Whole days from `now` until notAfter, rounded down; negative once expired (-1 on the first
     * day after expiry).
     */
    qint64 daysToExpiry(const QDateTime &now) const;

    /** Signature algorithm's long name, as the MCM server reports it: "sha256WithRSAEncryption". */
    QString signatureAlgorithm() const;
    /** "RSA 2048 bits", "EC P-256". */
    QString publicKeyDescription() const;
    int publicKeyBits() const;
    bool publicKeyIsRsa() const;
    QByteArray publicKeyDer() const;
    /** The public key; owned by the certificate. */
    EVP_PKEY *publicKey() const;

    /** basicConstraints CA:TRUE. */
    bool isCa() const;
    /** KeyUsage bits; `hasKeyUsageExtension` says whether the extension is present at all. */
    unsigned keyUsage() const;
    bool hasKeyUsageExtension() const;
    /** Extended key usage: present and containing serverAuth / clientAuth. */
    bool hasServerAuthUsage() const;
    bool hasClientAuthUsage() const;
    bool hasExtendedKeyUsageExtension() const;

    /** Subject equals issuer and the signature verifies with the certificate's own key. */
    bool isSelfSigned() const;
    /** The certificate's public key is the public half of `key`. */
    bool matchesKey(const PrivateKey &key) const;

    bool operator==(const Certificate &other) const;

    /** The OpenSSL certificate; owned by this object. */
    X509 *handle() const;

private:
    struct Deleter
    {
        void operator()(X509 *cert) const;
    };
    std::unique_ptr<X509, Deleter> m_cert;
};

/** Concatenated PEM of `certificates`. */
QByteArray toPem(const QList<Certificate> &certificates);

/** The outcome of verifying a certificate against a trust anchor. */
struct ChainCheck
{
    bool ok = false;
    QString reason; ///< OpenSSL's verify error text when !ok, e.g. "certificate has expired"
    int depth = 0; ///< where the error occurred (0 = the leaf)
};

/**
 * Verifies `leaf` up to `trusted` (roots, or intermediates acting as anchors when `partialChain`),
 * with `untrusted` as intermediates, at `at` (checking every certificate's validity then).
 * An empty `trusted` list uses the system's trust store.
 */
ChainCheck verifyChain(const Certificate &leaf, const QList<Certificate> &untrusted,
    const QList<Certificate> &trusted, const QDateTime &at, bool partialChain = false);

} // namespace Pm::Pki
