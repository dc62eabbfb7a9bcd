#include "core/secrets/encryptedfilestore.h"

#include <QCborMap>
#include <QCborValue>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <memory>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

using namespace Qt::StringLiterals;

namespace Pm::Secrets {

namespace {

constexpr QByteArrayView Magic = "PMSECRT1";
constexpr char KdfScrypt = 1;
constexpr int SaltSize = 16;
constexpr int KeySize = 32;
constexpr int VerifierSize = 32;
constexpr int NonceSize = 12;
constexpr int TagSize = 16;
// magic, kdf id, log2N, r, p, salt, verifier
constexpr int HeaderSize = int(Magic.size()) + 4 + SaltSize + VerifierSize;

struct KdfDeleter
{
    void operator()(EVP_KDF *kdf) const { EVP_KDF_free(kdf); }
};
struct KdfCtxDeleter
{
    void operator()(EVP_KDF_CTX *ctx) const { EVP_KDF_CTX_free(ctx); }
};
struct CipherCtxDeleter
{
    void operator()(EVP_CIPHER_CTX *ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

QString opensslText()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return {};
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    return QString::fromLatin1(buffer);
}

void cleanse(QByteArray &bytes)
{
    if (!bytes.isEmpty())
        OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
    bytes.clear();
}

/** scrypt → 64 bytes (key ‖ verifier). */
Result<QByteArray> deriveKey(
    const QByteArray &passphrase, const QByteArray &salt, const EncryptedFileStore::KdfCost &cost)
{
    std::unique_ptr<EVP_KDF, KdfDeleter> kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_SCRYPT, nullptr));
    if (!kdf)
        return fail(
            0, u"Encrypted secret store: scrypt is not available in OpenSSL"_s, opensslText());
    std::unique_ptr<EVP_KDF_CTX, KdfCtxDeleter> ctx(EVP_KDF_CTX_new(kdf.get()));
    uint64_t n = uint64_t(1) << cost.log2N;
    uint32_t r = uint32_t(cost.r);
    uint32_t p = uint32_t(cost.p);
    // N·r·128 bytes plus slack; OpenSSL's default ceiling (32 MiB) is just below the default cost.
    uint64_t maxMemory = n * r * 128 * 2 + (uint64_t(1) << 20);
    QByteArray pass = passphrase;
    QByteArray saltCopy = salt;
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(
            OSSL_KDF_PARAM_PASSWORD, pass.data(), size_t(pass.size())),
        OSSL_PARAM_construct_octet_string(
            OSSL_KDF_PARAM_SALT, saltCopy.data(), size_t(saltCopy.size())),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxMemory),
        OSSL_PARAM_construct_end(),
    };
    QByteArray out(KeySize + VerifierSize, Qt::Uninitialized);
    const int ok = ctx ? EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char *>(out.data()),
                       size_t(out.size()), params)
                       : 0;
    cleanse(pass);
    if (ok != 1)
        return fail(0, u"Encrypted secret store: key derivation (scrypt) failed"_s, opensslText());
    return out;
}

Result<QByteArray> randomBytes(int size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), size) != 1)
        return fail(0, u"Encrypted secret store: no random bytes from OpenSSL"_s, opensslText());
    return bytes;
}

/** AES-256-GCM; returns ciphertext ‖ tag. */
Result<QByteArray> seal(const QByteArray &key, const QByteArray &nonce, const QByteArray &aad,
    const QByteArray &plaintext)
{
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    QByteArray out(plaintext.size() + TagSize, Qt::Uninitialized);
    auto *o = reinterpret_cast<unsigned char *>(out.data());
    int len = 0;
    int total = 0;
    const bool ok = ctx
        && EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(),
               reinterpret_cast<const unsigned char *>(key.constData()),
               reinterpret_cast<const unsigned char *>(nonce.constData()), nullptr)
            == 1
        && EVP_EncryptUpdate(ctx.get(), nullptr, &len,
               reinterpret_cast<const unsigned char *>(aad.constData()), int(aad.size()))
            == 1
        && EVP_EncryptUpdate(ctx.get(), o, &len,
               reinterpret_cast<const unsigned char *>(plaintext.constData()),
               int(plaintext.size()))
            == 1
        && (total = len, EVP_EncryptFinal_ex(ctx.get(), o + total, &len) == 1)
        && (total += len,
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, TagSize, o + total) == 1);
    if (!ok)
        return fail(0, u"Encrypted secret store: encryption failed"_s, opensslText());
    out.resize(total + TagSize);
    return out;
}

/** AES-256-GCM open; std::nullopt when authentication fails. */
Result<std::optional<QByteArray>> unseal(
    const QByteArray &key, const QByteArray &nonce, const QByteArray &aad, const QByteArray &sealed)
{
    const qsizetype cipherSize = sealed.size() - TagSize;
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    QByteArray out(cipherSize, Qt::Uninitialized);
    auto *o = reinterpret_cast<unsigned char *>(out.data());
    QByteArray tag = sealed.right(TagSize);
    int len = 0;
    int total = 0;
    const bool setup = ctx
        && EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(),
               reinterpret_cast<const unsigned char *>(key.constData()),
               reinterpret_cast<const unsigned char *>(nonce.constData()), nullptr)
            == 1
        && EVP_DecryptUpdate(ctx.get(), nullptr, &len,
               reinterpret_cast<const unsigned char *>(aad.constData()), int(aad.size()))
            == 1
        && EVP_DecryptUpdate(ctx.get(), o, &len,
               reinterpret_cast<const unsigned char *>(sealed.constData()), int(cipherSize))
            == 1
        && (total = len,
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, TagSize, tag.data()) == 1);
    if (!setup)
        return fail(0, u"Encrypted secret store: decryption failed"_s, opensslText());
    if (EVP_DecryptFinal_ex(ctx.get(), o + total, &len) != 1) {
        ERR_clear_error();
        cleanse(out);
        return std::optional<QByteArray>();
    }
    out.resize(total + len);
    return std::optional<QByteArray>(std::move(out));
}

Result<void> checkPassphrase(const QByteArray &passphrase)
{
    if (QString::fromUtf8(passphrase).size() < EncryptedFileStore::MinimumPassphraseLength)
        return fail(0,
            u"The encrypted secret store needs a passphrase of at least %1 characters"_s.arg(
                EncryptedFileStore::MinimumPassphraseLength));
    return {};
}

} // namespace

EncryptedFileStore::~EncryptedFileStore()
{
    cleanse(m_key);
    for (QByteArray &secret : m_secrets)
        cleanse(secret);
}

Result<std::unique_ptr<EncryptedFileStore>> EncryptedFileStore::openOrCreate(
    const QString &path, const QByteArray &passphrase, KdfCost cost)
{
    if (QFileInfo::exists(path))
        return open(path, passphrase);
    if (auto ok = checkPassphrase(passphrase); !ok)
        return std::unexpected(ok.error());
    if (cost.log2N < 10 || cost.log2N > 22 || cost.r < 1 || cost.r > 32 || cost.p < 1
        || cost.p > 16)
        return fail(0, u"Encrypted secret store: scrypt cost out of range"_s);
    std::unique_ptr<EncryptedFileStore> store(new EncryptedFileStore);
    store->m_path = path;
    store->m_cost = cost;
    auto salt = randomBytes(SaltSize);
    if (!salt)
        return std::unexpected(salt.error());
    store->m_salt = *salt;
    auto derived = deriveKey(passphrase, store->m_salt, cost);
    if (!derived)
        return std::unexpected(derived.error());
    store->m_key = derived->left(KeySize);
    store->m_verifier = derived->mid(KeySize);
    cleanse(*derived);
    if (auto saved = store->save(); !saved)
        return std::unexpected(saved.error());
    return store;
}

Result<std::unique_ptr<EncryptedFileStore>> EncryptedFileStore::open(
    const QString &path, const QByteArray &passphrase)
{
    if (auto ok = checkPassphrase(passphrase); !ok)
        return std::unexpected(ok.error());
    std::unique_ptr<EncryptedFileStore> store(new EncryptedFileStore);
    store->m_path = path;
    if (auto loaded = store->load(passphrase); !loaded)
        return std::unexpected(loaded.error());
    return store;
}

Result<void> EncryptedFileStore::load(const QByteArray &passphrase)
{
    QFile file(m_path);
    if (!file.exists())
        return fail(0, u"There is no encrypted secret store at %1"_s.arg(m_path));
    if (!file.open(QIODevice::ReadOnly))
        return fail(
            0, u"Cannot read the encrypted secret store %1: %2"_s.arg(m_path, file.errorString()));
    const QByteArray data = file.readAll();
    if (!data.startsWith(Magic))
        return fail(0,
            u"%1 is not a Payment Manager encrypted secret store (unknown header)"_s.arg(m_path));
    if (data.size() < HeaderSize + NonceSize + TagSize)
        return fail(0,
            u"The encrypted secret store %1 is truncated (%2 bytes)"_s.arg(m_path).arg(
                data.size()));
    qsizetype at = Magic.size();
    if (data[at] != KdfScrypt)
        return fail(0,
            u"The encrypted secret store %1 uses an unknown key derivation (%2)"_s.arg(m_path).arg(
                int(data[at])));
    m_cost.log2N = quint8(data[at + 1]);
    m_cost.r = quint8(data[at + 2]);
    m_cost.p = quint8(data[at + 3]);
    at += 4;
    if (m_cost.log2N < 10 || m_cost.log2N > 22 || m_cost.r < 1 || m_cost.r > 32 || m_cost.p < 1
        || m_cost.p > 16)
        return fail(0,
            u"The encrypted secret store %1 has an out-of-range scrypt cost (header "
            "damaged?)"_s.arg(m_path));
    m_salt = data.mid(at, SaltSize);
    at += SaltSize;
    const QByteArray storedVerifier = data.mid(at, VerifierSize);
    at += VerifierSize;
    const QByteArray header = data.left(HeaderSize);
    const QByteArray nonce = data.mid(at, NonceSize);
    at += NonceSize;
    const QByteArray sealed = data.mid(at);

    auto derived = deriveKey(passphrase, m_salt, m_cost);
    if (!derived)
        return std::unexpected(derived.error());
    m_key = derived->left(KeySize);
    m_verifier = derived->mid(KeySize);
    cleanse(*derived);
    if (CRYPTO_memcmp(m_verifier.constData(), storedVerifier.constData(), VerifierSize) != 0) {
        cleanse(m_key);
        return fail(0,
            u"Wrong passphrase for the encrypted secret store %1 (or its header was "
            "altered)"_s.arg(m_path));
    }
    auto plain = unseal(m_key, nonce, header, sealed);
    if (!plain)
        return std::unexpected(plain.error());
    if (!*plain) {
        cleanse(m_key);
        return fail(0,
            u"The encrypted secret store %1 was altered or is damaged: its "
            "authentication tag does not match, nothing was read"_s.arg(m_path));
    }
    QCborParserError parseError;
    const QCborValue value = QCborValue::fromCbor(**plain, &parseError);
    cleanse(**plain);
    if (parseError.error != QCborError::NoError || !value.isMap())
        return fail(0,
            u"The encrypted secret store %1 decrypted but its contents are not a "
            "secret map"_s.arg(m_path));
    const QCborMap map = value.toMap();
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!it.key().isString() || !it.value().isByteArray())
            return fail(0,
                u"The encrypted secret store %1 holds an entry that is not name → "
                "bytes"_s.arg(m_path));
        m_secrets.insert(it.key().toString(), it.value().toByteArray());
    }
    return {};
}

Result<void> EncryptedFileStore::save()
{
    QCborMap map;
    for (auto it = m_secrets.cbegin(); it != m_secrets.cend(); ++it)
        map.insert(it.key(), QCborValue(it.value()));
    QByteArray plain = map.toCborValue().toCbor();

    QByteArray header;
    header.append(Magic.data(), Magic.size());
    header.append(KdfScrypt);
    header.append(char(m_cost.log2N));
    header.append(char(m_cost.r));
    header.append(char(m_cost.p));
    header.append(m_salt);
    header.append(m_verifier);
    Q_ASSERT(header.size() == HeaderSize);
    auto nonce = randomBytes(NonceSize);
    if (!nonce) {
        cleanse(plain);
        return std::unexpected(nonce.error());
    }
    auto sealed = seal(m_key, *nonce, header, plain);
    cleanse(plain);
    if (!sealed)
        return std::unexpected(sealed.error());

    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(
            0, u"Cannot write the encrypted secret store %1: %2"_s.arg(m_path, file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(header);
    file.write(*nonce);
    file.write(*sealed);
    if (!file.commit())
        return fail(
            0, u"Cannot write the encrypted secret store %1: %2"_s.arg(m_path, file.errorString()));
    return {};
}

QString EncryptedFileStore::description() const
{
    return u"encrypted file %1"_s.arg(m_path);
}

Result<void> EncryptedFileStore::write(const QString &name, const QByteArray &secret)
{
    if (auto ok = validateSecretName(name); !ok)
        return ok;
    const std::optional<QByteArray> previous
        = m_secrets.contains(name) ? std::optional(m_secrets.value(name)) : std::nullopt;
    m_secrets.insert(name, secret);
    if (auto saved = save(); !saved) {
        if (previous)
            m_secrets.insert(name, *previous);
        else
            m_secrets.remove(name);
        return saved;
    }
    return {};
}

Result<std::optional<QByteArray>> EncryptedFileStore::read(const QString &name)
{
    if (auto ok = validateSecretName(name); !ok)
        return std::unexpected(ok.error());
    const auto it = m_secrets.constFind(name);
    if (it == m_secrets.cend())
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(*it);
}

Result<void> EncryptedFileStore::remove(const QString &name)
{
    if (auto ok = validateSecretName(name); !ok)
        return ok;
    const auto it = m_secrets.find(name);
    if (it == m_secrets.end())
        return {};
    const QByteArray previous = *it;
    m_secrets.erase(it);
    if (auto saved = save(); !saved) {
        m_secrets.insert(name, previous);
        return saved;
    }
    return {};
}

} // namespace Pm::Secrets
