#include "core/secrets/secretstore.h"

#include "core/secrets/encryptedfilestore.h"
#include "core/secrets/keychainstore.h"

using namespace Qt::StringLiterals;

namespace Pm::Secrets {

Result<void> validateSecretName(const QString &name)
{
    if (name.isEmpty())
        return fail(0, u"A secret needs a name"_s);
    if (name.size() > 200)
        return fail(0, u"Secret name '%1…' is longer than 200 characters"_s.arg(name.left(40)));
    for (const QChar c : name) {
        if (!c.isPrint())
            return fail(0, u"Secret name '%1' contains a control character"_s.arg(name));
    }
    return {};
}

QString secretStoreKindName(SecretStoreKind kind)
{
    switch (kind) {
    case SecretStoreKind::Keychain:
        return u"keychain"_s;
    case SecretStoreKind::EncryptedFile:
        return u"encrypted-file"_s;
    }
    return {};
}

Result<SecretStoreKind> secretStoreKindFromName(const QString &name)
{
    for (SecretStoreKind kind : { SecretStoreKind::Keychain, SecretStoreKind::EncryptedFile }) {
        if (name.compare(secretStoreKindName(kind), Qt::CaseInsensitive) == 0)
            return kind;
    }
    return fail(
        0, u"Secret store '%1' is not known: use 'keychain' or 'encrypted-file'"_s.arg(name));
}

Result<std::unique_ptr<SecretStore>> openSecretStore(const SecretStoreSettings &settings)
{
    switch (settings.kind) {
    case SecretStoreKind::Keychain: {
        auto store = std::make_unique<KeychainStore>(settings.service);
        if (auto ok = store->checkAvailable(); !ok)
            return std::unexpected(ok.error());
        return std::unique_ptr<SecretStore>(std::move(store));
    }
    case SecretStoreKind::EncryptedFile: {
        if (settings.filePath.isEmpty())
            return fail(0, u"The encrypted file secret store needs a file path"_s);
        auto store = EncryptedFileStore::openOrCreate(settings.filePath, settings.passphrase);
        if (!store)
            return std::unexpected(store.error());
        return std::unique_ptr<SecretStore>(std::move(*store));
    }
    }
    return fail(0, u"Unknown secret store kind"_s);
}

} // namespace Pm::Secrets
