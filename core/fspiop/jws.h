#pragma once

#include "core/base/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringView>

#include <functional>
#include <memory>
#include <optional>
#include <utility>

/**
 * FSPIOP-Signature: the detached JWS that Mojaloop peers put on POST, PUT and PATCH requests.
 *
 * The signing input is base64url(protected header JSON) + "." + base64url(body bytes); the header
 * `FSPIOP-Signature` carries {"signature": ..., "protectedHeader": ...}. See
 * docs/decisions/0002-jws-verification.md for the rule verify() applies.
 */
namespace Pm::Fspiop::Jws {

/** Signature algorithms FSPIOP peers use. */
enum class Algorithm {
    RS256, ///< RSASSA-PKCS1-v1_5 with SHA-256 (RSA key, at least 2048 bits)
    ES256, ///< ECDSA P-256 with SHA-256; raw R||S (64 bytes) in the JWS
};

/** "RS256" or "ES256". */
QString algorithmName(Algorithm algorithm);

namespace Internal {
struct KeyData;
}

/**
 * A private key ready to sign: parsed once, cheap to copy (copies share the parsed key), and
 * safe to use from several threads at once.
 */
class SigningKey
{
public:
    /**
     * Loads an RSA (→ RS256) or EC P-256 (→ ES256) private key from PEM: PKCS#8
     * ("PRIVATE KEY", or "ENCRYPTED PRIVATE KEY" with `passphrase`), PKCS#1 ("RSA PRIVATE KEY")
     * or SEC 1 ("EC PRIVATE KEY"). Never prompts for a passphrase. RSA keys need at least 2048
     * bits. Fails (code 0: no FSPIOP code applies) with a message saying what is wrong with the PEM
     * or the key.
     */
    static Result<SigningKey> fromPem(QByteArrayView pem, QByteArrayView passphrase = {});

    /** The algorithm this key signs with. */
    Algorithm algorithm() const;

    /** The public half in SubjectPublicKeyInfo PEM ("PUBLIC KEY"), for peers to verify with. */
    QByteArray publicKeyPem() const;

private:
    explicit SigningKey(std::shared_ptr<const Internal::KeyData> data);
    friend struct Internal::KeyData;
    std::shared_ptr<const Internal::KeyData> m_data;
};

/** A peer's public key: parsed once, cheap to copy, safe to share between threads. */
class VerificationKey
{
public:
    /**
     * Loads an RSA or EC P-256 public key from PEM: SubjectPublicKeyInfo ("PUBLIC KEY"),
     * PKCS#1 ("RSA PUBLIC KEY"), or the first certificate of a "CERTIFICATE" PEM. A private key
     * PEM is refused. Fails (code 0) with a message saying what is wrong.
     */
    static Result<VerificationKey> fromPem(QByteArrayView pem);

    /** The algorithm signatures by this key must declare. */
    Algorithm algorithm() const;

private:
    explicit VerificationKey(std::shared_ptr<const Internal::KeyData> data);
    friend struct Internal::KeyData;
    std::shared_ptr<const Internal::KeyData> m_data;
};

/**
 * The FSPIOP-URI of a request: the path from the resource segment onward, with the host and any
 * base path dropped ("http://h:4000/base/quotes/1" → "/quotes/1"; a path such as
 * "/parties/MSISDN/123" stays as it is). Like the reference's pattern, the rightmost "/<resource>"
 * followed by the end or by "/" wins, and any query string is kept. Resources: participants,
 * parties, quotes, bulkQuotes, transfers, bulkTransfers, transactionRequests, thirdpartyRequests,
 * authorizations, consents, consentRequests, fxQuotes, fxTransfers.
 * Fails (3101) when no resource segment is found.
 */
Result<QString> fspiopUri(QStringView urlOrPath);

/** What to sign. */
struct SignRequest
{
    QString method;                     ///< HTTP method; sent upper-cased ("put" → "PUT")
    QString uri;                        ///< full URL or path; FSPIOP-URI is derived by fspiopUri()
    QString source;                     ///< FSPIOP-Source
    std::optional<QString> destination; ///< FSPIOP-Destination, if the request carries one
    std::optional<QString> date;        ///< Date header, if the request carries one
    QByteArrayView body;                ///< the exact bytes that will be sent
};

/** The headers to add to a signed request (values exactly as they must be sent). */
struct SignedHeaders
{
    QByteArray signature;  ///< FSPIOP-Signature: {"signature":"…","protectedHeader":"…"}
    QByteArray uri;        ///< FSPIOP-URI
    QByteArray httpMethod; ///< FSPIOP-HTTP-Method
};

/**
 * Signs a request. The protected header is, in this order, alg, FSPIOP-URI, FSPIOP-HTTP-Method,
 * FSPIOP-Source, then FSPIOP-Destination and Date when given (no typ). The body bytes are signed
 * as they are: send exactly `request.body`. Deterministic for RS256.
 *
 * Fails with 3102 when method, source or body is empty, 3101 when the URI has no FSPIOP resource
 * or an optional header is given but empty, 2001 if the crypto library fails.
 */
Result<SignedHeaders> sign(const SigningKey &key, const SignRequest &request);

/** HTTP header (name, value) pairs as received; names are matched case-insensitively. */
using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

/** Returns the key registered for an FSPIOP-Source, or nullopt if there is none. */
using KeyLookup = std::function<std::optional<VerificationKey>(const QString &source)>;

/** Which bytes the signature was found to cover. */
enum class BodyForm {
    Raw,            ///< the body bytes as received
    InsertionOrder, ///< the parsed body re-serialised compactly in insertion order (JSON.stringify)
    SortedKeys,     ///< the parsed body re-serialised compactly with keys sorted (safe-stable-stringify)
};

/** "raw", "insertion-order" or "sorted-keys". */
QString bodyFormName(BodyForm form);

/** A successful verification, for diagnostics. */
struct Verification
{
    BodyForm bodyForm = BodyForm::Raw; ///< the first form that verified
    Algorithm algorithm = Algorithm::RS256;
    QString source; ///< FSPIOP-Source whose key verified the signature
};

/**
 * Verifies an FSPIOP request's signature, checking in this order: a body is present;
 * FSPIOP-Source is present and `keyFor` has a key for it; FSPIOP-URI, FSPIOP-HTTP-Method and
 * FSPIOP-Signature are present; the signature header is JSON with string "signature" and
 * "protectedHeader"; the protected header is a base64url JSON object; its alg is RS256 or ES256
 * and matches the key type; its FSPIOP-URI, FSPIOP-HTTP-Method and FSPIOP-Source equal the HTTP
 * headers exactly; its Date, if present, equals the Date header; FSPIOP-Destination is in both or
 * in neither, and equal. Then the signature must verify over the raw body bytes, or else over the
 * parsed body re-serialised in insertion order, or else with sorted keys.
 *
 * A missing header or body fails with 3102; every other failure with 3105 (Invalid signature). The
 * message names the header or check that failed. A header given more than once fails (3105).
 */
Result<Verification> verify(const HeaderList &headers, QByteArrayView body, const KeyLookup &keyFor);

} // namespace Pm::Fspiop::Jws
