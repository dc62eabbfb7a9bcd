#pragma once

#include "core/base/result.h"
#include "core/pki/key.h"
#include "core/pki/names.h"

#include <QByteArray>
#include <QString>
#include <memory>
#include <openssl/types.h>
#include <openssl/x509.h>

namespace Pm::Pki {

/** What goes into a new CSR. */
struct CsrParameters
{
    DistinguishedName subject; ///< CN is required
    SubjectAltNames subjectAltNames; ///< DNS and IP entries (emails and URIs are written too)
};

/** A PKCS#10 certificate signing request. Copies share the OpenSSL object; immutable. */
class CertificateRequest
{
public:
    CertificateRequest();
    CertificateRequest(const CertificateRequest &other);
    CertificateRequest &operator=(const CertificateRequest &other);
    CertificateRequest(CertificateRequest &&) noexcept;
    CertificateRequest &operator=(CertificateRequest &&) noexcept;
    ~CertificateRequest();

    /**
     * A CSR for `key`, signed with SHA-256. Fields are validated first: CN required, C two letters,
     * every DNS name and IP address well formed; the error names the field.
     */
    static Result<CertificateRequest> create(
        const PrivateKey &key, const CsrParameters &parameters);
    static Result<CertificateRequest> fromPem(const QByteArray &pem);
    static Result<CertificateRequest> fromDer(const QByteArray &der);
    static Result<CertificateRequest> fromData(const QByteArray &data);

    bool isNull() const;
    QByteArray toPem() const;
    QByteArray toDer() const;

    DistinguishedName subject() const;
    QString subjectText() const;
    /** From the extensionRequest attribute; empty if none. */
    SubjectAltNames subjectAltNames() const;
    /** The self-signature verifies with the CSR's public key. */
    bool signatureValid() const;
    QString signatureAlgorithm() const;
    QString publicKeyDescription() const;
    int publicKeyBits() const;
    bool publicKeyIsRsa() const;
    QByteArray publicKeyDer() const;
    EVP_PKEY *publicKey() const;

    X509_REQ *handle() const;

private:
    struct Deleter
    {
        void operator()(X509_REQ *req) const;
    };
    std::unique_ptr<X509_REQ, Deleter> m_req;
};

/** Validates CSR fields without making one; the error names the field ("subject.country"…). */
Result<void> validateCsrParameters(const CsrParameters &parameters);

} // namespace Pm::Pki
