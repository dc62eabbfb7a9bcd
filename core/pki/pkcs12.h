#pragma once

#include "core/base/result.h"
#include "core/pki/certificate.h"
#include "core/pki/key.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Pm::Pki {

/** What a PKCS#12 file holds. */
struct Pkcs12Contents
{
    PrivateKey key;
    Certificate certificate;
    QList<Certificate> chain; ///< CA certificates, as stored
};

/**
 * A PKCS#12 (.p12/.pfx) of `key`, `certificate` and `chain`, protected by `passphrase` (required,
 * not empty) with OpenSSL 3's defaults: AES-256-CBC, PBKDF2 and an HMAC-SHA-256 MAC.
 */
Result<QByteArray> exportPkcs12(const PrivateKey &key, const Certificate &certificate,
    const QList<Certificate> &chain, const QByteArray &passphrase,
    const QString &friendlyName = {});

/** Reads a PKCS#12. A wrong passphrase is its own clear error (nothing else is tried). */
Result<Pkcs12Contents> importPkcs12(const QByteArray &der, const QByteArray &passphrase);

} // namespace Pm::Pki
