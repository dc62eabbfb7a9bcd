#pragma once

#include "core/secrets/secretstore.h"

#include <QMap>

namespace Pm::Secrets {

/** scrypt cost (N = 2^log2N, r, p); the defaults take about 0.1 s and 32 MiB. */
struct ScryptCost
{
    int log2N = 15;
    int r = 8;
    int p = 1;
};

/**
 * Secrets in one file encrypted under a passphrase, for machines without a keychain service (a
 * server, CI). The user opts into it explicitly; see docs/pki.md "Secret store".
 *
 * File layout (all integers single bytes):
 *   "PMSECRT1" | kdf=1 (scrypt) | log2(N) | r | p | salt[16] | verifier[32] | nonce[12]
 *   | ciphertext | tag[16]
 * scrypt(passphrase, salt) gives 64 bytes: the first 32 are the AES-256-GCM key, the last 32 the
 * verifier stored in the header, which tells a wrong passphrase apart from an altered file. The
 * header is the GCM additional data, so changing any byte of it or of the ciphertext fails
 * authentication. The plaintext is a CBOR map name → bytes. Every write re-encrypts the whole map
 * with a fresh nonce and replaces the file atomically (QSaveFile), mode 0600.
 *
 * The map is held in memory after open(); one process writes a given file at a time.
 */
class EncryptedFileStore final : public SecretStore
{
public:
    using KdfCost = ScryptCost;

    ~EncryptedFileStore() override;

    /** Opens `path`, creating an empty store there if it does not exist. */
    static Result<std::unique_ptr<EncryptedFileStore>> openOrCreate(
        const QString &path, const QByteArray &passphrase, KdfCost cost = {});
    /** Opens an existing store; a missing file is an error. */
    static Result<std::unique_ptr<EncryptedFileStore>> open(
        const QString &path, const QByteArray &passphrase);

    /** The minimum passphrase length in characters (bytes of UTF-8). */
    static constexpr int MinimumPassphraseLength = 8;

    QString path() const { return m_path; }
    QStringList names() const { return m_secrets.keys(); }

    QString description() const override;
    Result<void> write(const QString &name, const QByteArray &secret) override;
    Result<std::optional<QByteArray>> read(const QString &name) override;
    Result<void> remove(const QString &name) override;

private:
    EncryptedFileStore() = default;
    Result<void> load(const QByteArray &passphrase);
    Result<void> save();

    QString m_path;
    KdfCost m_cost;
    QByteArray m_salt;
    QByteArray m_key; // AES-256-GCM key, cleansed on destruction
    QByteArray m_verifier; // stored in the header
    QMap<QString, QByteArray> m_secrets;
};

} // namespace Pm::Secrets
