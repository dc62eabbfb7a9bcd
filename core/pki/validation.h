#pragma once

#include "core/pki/certificate.h"
#include "core/pki/csr.h"
#include "core/pki/key.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace Pm::Pki {

/** The result of one rule, as the MCM server reports it. */
enum class ValidationState { Valid, Invalid, NotAvailable };

/** "VALID", "INVALID", "NOT_AVAILABLE". */
QString validationStateName(ValidationState state);

/** One rule's outcome: code as the reference names it, state, and a one-line reason. */
struct Validation
{
    QString code; ///< e.g. "CERTIFICATE_VALIDITY"
    ValidationState state = ValidationState::NotAvailable;
    QString message;
    /** Extra result data; CERTIFICATE_SIGNED_BY_DFSP_CA: TRUST_CHAIN_VALID, SELF_SIGNED, INVALID.
     */
    QString data;
    /** Whether the rule could be evaluated (false for NOT_AVAILABLE). */
    bool performed() const { return state != ValidationState::NotAvailable; }
};

/** VALID unless one rule is INVALID (NOT_AVAILABLE rules do not fail a set), as the MCM server. */
ValidationState overallState(const QList<Validation> &validations);

/** The server's configuration that some rules follow. */
struct ValidationOptions
{
    /** PRIVATE_KEY_LENGTH: 2048 or 4096; the key-length rule codes end with it. */
    int minimumKeyBits = 2048;
    QStringList csrSignatureAlgorithms
        = { QStringLiteral("sha256WithRSAEncryption"), QStringLiteral("sha512WithRSAEncryption") };
    QStringList certificateSignatureAlgorithms = { QStringLiteral("sha256WithRSAEncryption") };
    /** "now" for validity checks; invalid = the current time. */
    QDateTime now;
};

/** The DFSP CA as the MCM server holds it: root (may be null) and intermediate chain. */
struct CaChain
{
    Certificate root;
    QList<Certificate> intermediates;
    bool isEmpty() const { return root.isNull() && intermediates.isEmpty(); }
};

/**
 * The individual rules, named like the reference's validation codes. Null inputs give
 * NOT_AVAILABLE where the reference does ("No certificate", "No CSR", "No private key"...).
 */
namespace Rules {
Validation csrSignatureValid(const CertificateRequest &csr);
Validation csrSignatureAlgorithm(const CertificateRequest &csr, const ValidationOptions &options);
/** CSR_PUBLIC_KEY_LENGTH_2048 or _4096 (from options.minimumKeyBits). RSA only: EC is INVALID. */
Validation csrPublicKeyLength(const CertificateRequest &csr, const ValidationOptions &options);
Validation csrMandatoryDistinguishedName(const CertificateRequest &csr);
Validation csrCertSamePublicKey(const CertificateRequest &csr, const Certificate &certificate);
/** Subject fields and subjectAltName entries equal. */
Validation csrCertSameSubjectInfo(const CertificateRequest &csr, const Certificate &certificate);
Validation csrCertSameCn(const CertificateRequest &csr, const Certificate &certificate);
/** The certificate's public key is the public half of `key` (NOT_AVAILABLE without a key). */
Validation csrCertPublicPrivateKeyMatch(const Certificate &certificate, const PrivateKey &key);
/** notBefore ≤ now < notAfter. */
Validation certificateValidity(const Certificate &certificate, const ValidationOptions &options);
Validation certificateUsageServer(const Certificate &certificate);
Validation certificateUsageClient(const Certificate &certificate);
Validation certificatePublicKeyLength(
    const Certificate &certificate, const ValidationOptions &options);
Validation certificateSignatureAlgorithm(
    const Certificate &certificate, const ValidationOptions &options);
/** Chain from `certificate` through `intermediates` to `root` (system roots if `root` is null). */
Validation certificateChain(const Certificate &certificate, const QList<Certificate> &intermediates,
    const Certificate &root, const ValidationOptions &options);
/** data: TRUST_CHAIN_VALID, SELF_SIGNED (a self-signed certificate the CA did not issue) or
 * INVALID. */
Validation certificateSignedByDfspCa(
    const Certificate &certificate, const CaChain &dfspCa, const ValidationOptions &options);
/** Root and every intermediate: basicConstraints CA:TRUE and keyUsage keyCertSign. */
Validation caCertificateUsage(const CaChain &ca);
/** Self-signed (data SELF_SIGNED) or signed by a system root (data SIGNED). */
Validation verifyRootCertificate(const Certificate &root, const ValidationOptions &options);
/** The intermediates are CAs and chain to `root` (system roots if null); NOT_AVAILABLE if none. */
Validation verifyChainCertificates(const Certificate &root, const QList<Certificate> &intermediates,
    const ValidationOptions &options);
} // namespace Rules

/**
 * The rule sets the MCM server applies (ValidationsConfiguration), in its order.
 * Inbound enrollment: the hub signed our CSR; `key` is ours (may be null).
 */
QList<Validation> validateInboundEnrollment(const CertificateRequest &csr,
    const Certificate &certificate, const PrivateKey &key, const ValidationOptions &options = {});
/** Outbound enrollment: we signed the hub's CSR with the DFSP CA. */
QList<Validation> validateOutboundEnrollment(const CertificateRequest &csr,
    const Certificate &certificate, const PrivateKey &key, const CaChain &dfspCa,
    const ValidationOptions &options = {});
/** A JWS certificate: validity, key length ≥ 2048 (always 2048, as the server). */
QList<Validation> validateJwsCertificate(
    const Certificate &certificate, const ValidationOptions &options = {});
/** A server certificate with its root and intermediate chain. */
QList<Validation> validateServerCertificate(
    const Certificate &certificate, const CaChain &chain, const ValidationOptions &options = {});
/** A DFSP CA upload. */
QList<Validation> validateDfspCa(const CaChain &ca, const ValidationOptions &options = {});

} // namespace Pm::Pki
