#include "core/pki/pkcs12.h"

#include "core/pki/ossl_p.h"

#include <openssl/err.h>

using namespace Qt::StringLiterals;

namespace Pm::Pki {

using namespace Internal;

Result<QByteArray> exportPkcs12(const PrivateKey &key, const Certificate &certificate,
    const QList<Certificate> &chain, const QByteArray &passphrase, const QString &friendlyName)
{
    if (key.isNull() || certificate.isNull())
        return fail(0, u"PKCS#12: a key and a certificate are required"_s);
    if (passphrase.isEmpty())
        return fail(0, u"PKCS#12: a passphrase is required"_s);
    if (!certificate.matchesKey(key))
        return fail(0, u"PKCS#12: the private key does not match the certificate"_s);
    X509StackPtr cas(sk_X509_new_null());
    for (const Certificate &c : chain)
        X509_add_cert(cas.get(), c.handle(), X509_ADD_FLAG_UP_REF);
    const QByteArray pass = passphrase + '\0';
    const QByteArray name = friendlyName.toUtf8();
    // nid 0 / iter 0 / mac_iter 0: OpenSSL 3's defaults (AES-256-CBC with PBKDF2, SHA-256 MAC).
    Pkcs12Ptr p12(PKCS12_create(pass.constData(), name.isEmpty() ? nullptr : name.constData(),
        key.handle(), certificate.handle(), cas.get(), 0, 0, 0, 0, 0));
    if (!p12)
        return opensslFailure(u"PKCS#12: cannot create"_s);
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (i2d_PKCS12_bio(bio.get(), p12.get()) != 1)
        return opensslFailure(u"PKCS#12: cannot encode"_s);
    return bioContents(bio.get());
}

Result<Pkcs12Contents> importPkcs12(const QByteArray &der, const QByteArray &passphrase)
{
    const auto *data = reinterpret_cast<const unsigned char *>(der.constData());
    Pkcs12Ptr p12(d2i_PKCS12(nullptr, &data, long(der.size())));
    if (!p12)
        return opensslFailure(u"PKCS#12: not a readable PKCS#12 file"_s);
    const QByteArray pass = passphrase + '\0';
    if (PKCS12_mac_present(p12.get())
        && PKCS12_verify_mac(p12.get(), pass.constData(), int(passphrase.size())) != 1) {
        ERR_clear_error();
        return fail(0, u"PKCS#12: wrong passphrase (the file's integrity check does not verify)"_s);
    }
    EVP_PKEY *rawKey = nullptr;
    X509 *rawCert = nullptr;
    STACK_OF(X509) *rawCas = nullptr;
    const int ok = PKCS12_parse(p12.get(), pass.constData(), &rawKey, &rawCert, &rawCas);
    EvpPkeyPtr key(rawKey);
    X509Ptr cert(rawCert);
    X509StackPtr cas(rawCas);
    if (ok != 1)
        return opensslFailure(u"PKCS#12: cannot read its contents"_s);
    if (!key || !cert)
        return fail(0, u"PKCS#12: the file has no private key and certificate pair"_s);
    Pkcs12Contents contents;
    contents.key = PrivateKey::fromHandle(key.get());
    contents.certificate = Certificate::fromHandle(cert.get());
    for (int i = 0; cas && i < sk_X509_num(cas.get()); ++i)
        contents.chain.append(Certificate::fromHandle(sk_X509_value(cas.get(), i)));
    return contents;
}

} // namespace Pm::Pki
