#pragma once

#include "core/base/result.h"
#include "core/pki/certificate.h"
#include "core/pki/csr.h"
#include "core/pki/key.h"

#include <QList>

namespace Pm::Pki {

/** A certificate with its private key. */
struct Identity
{
    PrivateKey key;
    Certificate certificate;
};

/** What an issued certificate may be used for. */
enum class CertificateUsage { Server, Client };

/**
 * The DFSP's certificate authority: a root, an optional intermediate chain, and the private key of
 * the certificate that signs (the first intermediate, or the root when there is none).
 *
 * Issued certificates are signed with SHA-256, carry a random 127-bit serial, basicConstraints
 * CA:FALSE, keyUsage digitalSignature (+ keyEncipherment for RSA), the requested extended key
 * usage, subject and authority key identifiers, and start five minutes before issue to absorb clock
 * skew. Their notAfter never goes past the signing certificate's.
 */
class CertificateAuthority
{
public:
    /**
     * A new self-signed root: CA:TRUE (critical), keyUsage keyCertSign and cRLSign (critical),
     * valid for `validityDays`.
     */
    static Result<CertificateAuthority> create(
        const DistinguishedName &subject, KeyType keyType, int validityDays = 3650);
    /**
     * An existing CA: root PEM, intermediate chain PEM (may be empty; nearest to the leaf first),
     * and the signing key (PEM or DER, optionally encrypted). Refused with a one-line reason if the
     * key does not match the signing certificate, a certificate is not a CA, or the chain does
     * not lead to the root.
     */
    static Result<CertificateAuthority> import(const QByteArray &rootPem,
        const QByteArray &intermediateChainPem, const QByteArray &keyData,
        const QByteArray &passphrase = {});

    const Certificate &root() const { return m_root; }
    const QList<Certificate> &intermediates() const { return m_intermediates; }
    /** The certificate that signs: first intermediate, or the root. */
    const Certificate &signer() const;
    const PrivateKey &key() const { return m_key; }
    /** Intermediates then root, PEM (what a TLS peer needs to trust our leaves). */
    QByteArray chainPem() const;
    QByteArray intermediateChainPem() const;

    /**
     * Signs `csr` as is: subject and subjectAltName come from the CSR, extended key usage from
     * `usage`. The CSR's signature must verify. This is how a hub's CSR gets its client
     * certificate (`usage` Client).
     */
    Result<Certificate> sign(
        const CertificateRequest &csr, CertificateUsage usage, int validityDays = 365) const;
    /** A new key and a server certificate (serverAuth) for `subject` and `subjectAltNames`. */
    Result<Identity> issueServerCertificate(const DistinguishedName &subject,
        const SubjectAltNames &subjectAltNames, KeyType keyType, int validityDays = 365) const;

private:
    CertificateAuthority() = default;
    Certificate m_root;
    QList<Certificate> m_intermediates;
    PrivateKey m_key;
};

} // namespace Pm::Pki
