#include "core/pki/key.h"

#include "core/pki/ossl_p.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>

using namespace Qt::StringLiterals;

namespace Pm::Pki {

using namespace Internal;

QString keyTypeName(KeyType type)
{
    switch (type) {
    case KeyType::Rsa2048:
        return u"RSA-2048"_s;
    case KeyType::Rsa4096:
        return u"RSA-4096"_s;
    case KeyType::EcP256:
        return u"EC-P256"_s;
    }
    return {};
}

Result<KeyType> keyTypeFromName(const QString &name)
{
    for (KeyType type : { KeyType::Rsa2048, KeyType::Rsa4096, KeyType::EcP256 }) {
        if (name.compare(keyTypeName(type), Qt::CaseInsensitive) == 0)
            return type;
    }
    return fail(0, u"key type '%1' is not one of RSA-2048, RSA-4096, EC-P256"_s.arg(name));
}

void PrivateKey::Deleter::operator()(EVP_PKEY *key) const
{
    EVP_PKEY_free(key);
}

PrivateKey::PrivateKey() = default;
PrivateKey::PrivateKey(PrivateKey &&) noexcept = default;
PrivateKey &PrivateKey::operator=(PrivateKey &&) noexcept = default;
PrivateKey::~PrivateKey() = default;

PrivateKey::PrivateKey(const PrivateKey &other)
{
    if (other.m_key && EVP_PKEY_up_ref(other.m_key.get()) == 1)
        m_key.reset(other.m_key.get());
}

PrivateKey &PrivateKey::operator=(const PrivateKey &other)
{
    if (this != &other)
        *this = PrivateKey(other);
    return *this;
}

PrivateKey PrivateKey::fromHandle(EVP_PKEY *key)
{
    PrivateKey result;
    if (key && EVP_PKEY_up_ref(key) == 1)
        result.m_key.reset(key);
    return result;
}

Result<PrivateKey> PrivateKey::generate(KeyType type)
{
    EVP_PKEY *key = nullptr;
    switch (type) {
    case KeyType::Rsa2048:
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
        break;
    case KeyType::Rsa4096:
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(4096));
        break;
    case KeyType::EcP256:
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
        break;
    }
    if (!key)
        return opensslFailure(u"%1 key generation failed"_s.arg(keyTypeName(type)));
    PrivateKey result;
    result.m_key.reset(key);
    return result;
}

namespace {

// Passphrase callback for PEM_read_bio_PrivateKey: hands over the passphrase, or refuses (-1)
// so that an encrypted key without a passphrase fails instead of prompting on a terminal.
int passphraseCallback(char *buffer, int size, int, void *userData)
{
    const auto *passphrase = static_cast<const QByteArray *>(userData);
    if (!passphrase || passphrase->isEmpty() || passphrase->size() > size)
        return -1;
    memcpy(buffer, passphrase->constData(), size_t(passphrase->size()));
    return int(passphrase->size());
}

} // namespace

Result<PrivateKey> PrivateKey::fromPem(const QByteArray &pem, const QByteArray &passphrase)
{
    BioPtr bio = memoryBio(pem);
    QByteArray pass = passphrase;
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio.get(), nullptr, passphraseCallback, &pass);
    OPENSSL_cleanse(pass.data(), size_t(pass.size()));
    if (!key) {
        const bool encrypted = pem.contains("ENCRYPTED");
        if (encrypted && passphrase.isEmpty())
            return fail(
                0, u"private key: it is encrypted and no passphrase was given"_s, opensslErrors());
        if (encrypted)
            return fail(0, u"private key: wrong passphrase (the key cannot be decrypted)"_s,
                opensslErrors());
        return opensslFailure(u"private key: not a readable PEM private key"_s);
    }
    PrivateKey result;
    result.m_key.reset(key);
    return result;
}

Result<PrivateKey> PrivateKey::fromDer(const QByteArray &der)
{
    const auto *data = reinterpret_cast<const unsigned char *>(der.constData());
    EVP_PKEY *key = d2i_AutoPrivateKey(nullptr, &data, long(der.size()));
    if (!key)
        return opensslFailure(u"private key: not a readable DER private key"_s);
    PrivateKey result;
    result.m_key.reset(key);
    return result;
}

Result<PrivateKey> PrivateKey::fromData(const QByteArray &data, const QByteArray &passphrase)
{
    return looksLikePem(data) ? fromPem(data, passphrase) : fromDer(data);
}

bool PrivateKey::isNull() const
{
    return !m_key;
}

EVP_PKEY *PrivateKey::handle() const
{
    return m_key.get();
}

QByteArray PrivateKey::toPem() const
{
    if (!m_key)
        return {};
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PKCS8PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr)
        != 1)
        return {};
    return bioContents(bio.get());
}

Result<QByteArray> PrivateKey::toEncryptedPem(const QByteArray &passphrase) const
{
    if (!m_key)
        return fail(0, u"private key: no key to export"_s);
    if (passphrase.isEmpty())
        return fail(0, u"private key: a passphrase is required to encrypt the key"_s);
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PKCS8PrivateKey(bio.get(), m_key.get(), EVP_aes_256_cbc(),
            passphrase.constData(), int(passphrase.size()), nullptr, nullptr)
        != 1)
        return opensslFailure(u"private key: encryption failed"_s);
    return bioContents(bio.get());
}

QByteArray PrivateKey::toDer() const
{
    if (!m_key)
        return {};
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (i2d_PKCS8PrivateKey_bio(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return bioContents(bio.get());
}

QByteArray PrivateKey::publicKeyPem() const
{
    if (!m_key)
        return {};
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PUBKEY(bio.get(), m_key.get()) != 1)
        return {};
    return bioContents(bio.get());
}

QByteArray PrivateKey::publicKeyDer() const
{
    return Pki::publicKeyDer(m_key.get());
}

int PrivateKey::bits() const
{
    return publicKeyBits(m_key.get());
}

QString PrivateKey::algorithm() const
{
    return describePublicKey(m_key.get());
}

bool PrivateKey::isRsa() const
{
    return m_key && EVP_PKEY_is_a(m_key.get(), "RSA");
}

QByteArray publicKeyDer(EVP_PKEY *key)
{
    if (!key)
        return {};
    unsigned char *der = nullptr;
    const int size = i2d_PUBKEY(key, &der);
    if (size <= 0)
        return {};
    QByteArray result(reinterpret_cast<const char *>(der), size);
    OPENSSL_free(der);
    return result;
}

int publicKeyBits(EVP_PKEY *key)
{
    return key ? EVP_PKEY_get_bits(key) : 0;
}

QString describePublicKey(EVP_PKEY *key)
{
    if (!key)
        return u"no key"_s;
    if (EVP_PKEY_is_a(key, "RSA"))
        return u"RSA %1 bits"_s.arg(EVP_PKEY_get_bits(key));
    if (EVP_PKEY_is_a(key, "EC")) {
        char group[64] = {};
        size_t length = 0;
        if (EVP_PKEY_get_utf8_string_param(
                key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length)
            == 1) {
            const QString name = QString::fromLatin1(group, qsizetype(length));
            return name == u"prime256v1"_s ? u"EC P-256"_s : u"EC "_s + name;
        }
        return u"EC %1 bits"_s.arg(EVP_PKEY_get_bits(key));
    }
    return u"%1 %2 bits"_s.arg(QString::fromLatin1(EVP_PKEY_get0_type_name(key)))
        .arg(EVP_PKEY_get_bits(key));
}

} // namespace Pm::Pki
