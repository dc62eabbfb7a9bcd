#pragma once

#include "core/base/result.h"

#include <QByteArray>
#include <QString>
#include <memory>
#include <optional>

namespace Pm::Secrets {

/**
 * Where Payment Manager keeps the secrets it generates or imports (private keys, client secrets).
 * Never plain text: either the OS keychain (KeychainStore) or a passphrase-encrypted file the
 * user opted into (EncryptedFileStore). There is no silent fallback from one to the other.
 *
 * Names are short identifiers ("env/sandbox/tls-client-key"): 1–200 printable characters.
 * Calls are synchronous; the keychain implementation waits on a local event loop, so call it from
 * a thread with a Qt event dispatcher (any QThread, or the main thread).
 */
class SecretStore
{
public:
    virtual ~SecretStore() = default;

    /** "OS keychain (Secret Service)" or "encrypted file /path/secrets.pmsec", for messages. */
    virtual QString description() const = 0;
    /** Stores `secret` under `name`, replacing any previous value. */
    virtual Result<void> write(const QString &name, const QByteArray &secret) = 0;
    /** The secret, std::nullopt when there is none under `name`. */
    virtual Result<std::optional<QByteArray>> read(const QString &name) = 0;
    /** Removes `name`; removing an absent name succeeds. */
    virtual Result<void> remove(const QString &name) = 0;
};

/** Checks a secret's name; the error says what is wrong with it. */
Result<void> validateSecretName(const QString &name);

/** Which store the user chose. */
enum class SecretStoreKind {
    Keychain, ///< the OS keychain (the default)
    EncryptedFile ///< a passphrase-encrypted file, chosen explicitly where no keychain exists
};

/** "keychain" or "encrypted-file" (the setting's values). */
QString secretStoreKindName(SecretStoreKind kind);
/** The inverse of secretStoreKindName; the error lists the accepted values. */
Result<SecretStoreKind> secretStoreKindFromName(const QString &name);

struct SecretStoreSettings
{
    SecretStoreKind kind = SecretStoreKind::Keychain;
    /** Keychain: the service the entries are filed under. */
    QString service = QStringLiteral("Payment Manager");
    /** EncryptedFile: the file, created on first use. */
    QString filePath;
    /** EncryptedFile: the passphrase (at least 8 characters). */
    QByteArray passphrase;
};

/**
 * Opens the store `settings` names. The keychain is probed first: if no keychain service answers,
 * the error says so and points at the encrypted file store; it never falls back by itself.
 */
Result<std::unique_ptr<SecretStore>> openSecretStore(const SecretStoreSettings &settings);

} // namespace Pm::Secrets
