#pragma once

#include "core/base/result.h"

#include <QByteArray>
#include <QString>
#include <memory>
#include <openssl/types.h>

namespace Pm::Pki {

/** Key algorithms Payment Manager generates. */
enum class KeyType { Rsa2048, Rsa4096, EcP256 };

/** "RSA-2048", "RSA-4096", "EC-P256". */
QString keyTypeName(KeyType type);
/** The inverse of keyTypeName (case-insensitive); error names the accepted values. */
Result<KeyType> keyTypeFromName(const QString &name);

/**
 * A private key (RSA or EC). Copies share the OpenSSL object (reference counted); the key is
 * immutable once made.
 */
class PrivateKey
{
public:
    PrivateKey();
    PrivateKey(const PrivateKey &other);
    PrivateKey &operator=(const PrivateKey &other);
    PrivateKey(PrivateKey &&) noexcept;
    PrivateKey &operator=(PrivateKey &&) noexcept;
    ~PrivateKey();

    /** A new key. RSA 4096 takes about a second: call it off the UI thread. */
    static Result<PrivateKey> generate(KeyType type);
    /** PKCS#8 or traditional PEM, encrypted (with `passphrase`) or not. */
    static Result<PrivateKey> fromPem(const QByteArray &pem, const QByteArray &passphrase = {});
    /** Unencrypted DER (PKCS#8 or traditional). */
    static Result<PrivateKey> fromDer(const QByteArray &der);
    /** PEM or DER, detected from the content. */
    static Result<PrivateKey> fromData(const QByteArray &data, const QByteArray &passphrase = {});
    /** Takes one reference on `key`. */
    static PrivateKey fromHandle(EVP_PKEY *key);

    bool isNull() const;
    /** Unencrypted PKCS#8 PEM. Store it only through pm_secrets or encrypted. */
    QByteArray toPem() const;
    /** PKCS#8 PEM encrypted with AES-256-CBC under `passphrase` (scrypt-free PBES2/PBKDF2). */
    Result<QByteArray> toEncryptedPem(const QByteArray &passphrase) const;
    /** Unencrypted PKCS#8 DER. */
    QByteArray toDer() const;
    /** SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----"), as JWS public keys are shared. */
    QByteArray publicKeyPem() const;
    /** SubjectPublicKeyInfo DER. */
    QByteArray publicKeyDer() const;
    /** Modulus bits for RSA, curve bits for EC. */
    int bits() const;
    /** "RSA" or "EC P-256" (or the curve's name). */
    QString algorithm() const;
    bool isRsa() const;

    /** The OpenSSL key; owned by this object. */
    EVP_PKEY *handle() const;

private:
    struct Deleter
    {
        void operator()(EVP_PKEY *key) const;
    };
    std::unique_ptr<EVP_PKEY, Deleter> m_key;
};

/** Describes a public key for messages and the UI: "RSA 2048 bits", "EC P-256". */
QString describePublicKey(EVP_PKEY *key);
/** Bits of a public key: modulus for RSA, curve order for EC. */
int publicKeyBits(EVP_PKEY *key);
/** SubjectPublicKeyInfo DER of a key (public part only). */
QByteArray publicKeyDer(EVP_PKEY *key);

} // namespace Pm::Pki
