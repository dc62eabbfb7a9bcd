#include "core/secrets/keys.h"

#include <openssl/crypto.h>

using namespace Qt::StringLiterals;

namespace Pm::Secrets {

Result<void> writePrivateKey(SecretStore &store, const QString &name, const Pki::PrivateKey &key)
{
    if (key.isNull())
        return fail(0, u"No private key to store as '%1'"_s.arg(name));
    QByteArray der = key.toDer();
    auto written = store.write(name, der);
    OPENSSL_cleanse(der.data(), size_t(der.size()));
    return written;
}

Result<std::optional<Pki::PrivateKey>> readPrivateKey(SecretStore &store, const QString &name)
{
    auto data = store.read(name);
    if (!data)
        return std::unexpected(data.error());
    if (!*data)
        return std::optional<Pki::PrivateKey>();
    auto key = Pki::PrivateKey::fromDer(**data);
    OPENSSL_cleanse((*data)->data(), size_t((*data)->size()));
    if (!key)
        return fail(0,
            u"The secret '%1' in the %2 is not a private key"_s.arg(name, store.description()),
            key.error().message);
    return std::optional<Pki::PrivateKey>(std::move(*key));
}

} // namespace Pm::Secrets
