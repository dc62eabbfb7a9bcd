#pragma once

#include "core/base/result.h"
#include "core/pki/key.h"
#include "core/secrets/secretstore.h"

#include <optional>

namespace Pm::Secrets {

/** Stores `key` (PKCS#8 DER) under `name`: how generated and imported keys are kept. */
Result<void> writePrivateKey(SecretStore &store, const QString &name, const Pki::PrivateKey &key);
/** The key under `name`, std::nullopt if there is none; an unreadable entry is an error. */
Result<std::optional<Pki::PrivateKey>> readPrivateKey(SecretStore &store, const QString &name);

} // namespace Pm::Secrets
