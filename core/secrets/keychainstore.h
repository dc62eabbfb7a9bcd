#pragma once

#include "core/secrets/secretstore.h"

namespace Pm::Secrets {

/**
 * The OS keychain through QtKeychain: the Secret Service (GNOME Keyring, KWallet) on Linux,
 * Keychain on macOS, the Credential Store on Windows. Secrets are written as binary data under
 * (`service`, name); QtKeychain's insecure plain-text fallback is never enabled.
 *
 * QtKeychain 0.13 has no isAvailable(): a missing or unusable backend shows up as the error of a
 * job (OtherError "Cannot autolaunch D-Bus…", "Could not connect…", "Object does not exist at
 * path …/collection/login", or NoBackendAvailable). Every such error is reported as "no keychain
 * service", with the hint to opt into the encrypted file store.
 */
class KeychainStore final : public SecretStore
{
public:
    explicit KeychainStore(
        QString service = QStringLiteral("Payment Manager"), int timeoutMs = 30000);

    /**
     * Writes and removes a probe entry ("pm-keychain-probe"): succeeds only if a keychain service
     * can store secrets (a read alone answers "not found" even where writes fail).
     */
    Result<void> checkAvailable();

    QString service() const { return m_service; }

    QString description() const override;
    Result<void> write(const QString &name, const QByteArray &secret) override;
    Result<std::optional<QByteArray>> read(const QString &name) override;
    Result<void> remove(const QString &name) override;

private:
    QString m_service;
    int m_timeoutMs;
};

/** The message for a keychain that cannot be used, with the way out. */
QString keychainUnavailableMessage();

} // namespace Pm::Secrets
