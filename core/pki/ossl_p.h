#pragma once

// Internal to pm_pki: RAII aliases over OpenSSL handles and error helpers (practice 10).

#include "core/base/result.h"
#include "core/pki/names.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <memory>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

namespace Pm::Pki::Internal {

template<class T, void (*F)(T *)> struct OsslDeleter
{
    void operator()(T *p) const { F(p); }
};

inline void freeGeneralNames(GENERAL_NAMES *names)
{
    GENERAL_NAMES_free(names);
}
inline void freeX509Stack(STACK_OF(X509) * stack)
{
    sk_X509_pop_free(stack, X509_free);
}
inline void freeExtensionStack(STACK_OF(X509_EXTENSION) * stack)
{
    sk_X509_EXTENSION_pop_free(stack, X509_EXTENSION_free);
}
inline void freeEku(EXTENDED_KEY_USAGE *eku)
{
    EXTENDED_KEY_USAGE_free(eku);
}

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OsslDeleter<EVP_PKEY, &EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslDeleter<EVP_PKEY_CTX, &EVP_PKEY_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OsslDeleter<X509, &X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, OsslDeleter<X509_REQ, &X509_REQ_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OsslDeleter<X509_NAME, &X509_NAME_free>>;
using X509ExtensionPtr
    = std::unique_ptr<X509_EXTENSION, OsslDeleter<X509_EXTENSION, &X509_EXTENSION_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, OsslDeleter<X509_STORE, &X509_STORE_free>>;
using X509StoreCtxPtr
    = std::unique_ptr<X509_STORE_CTX, OsslDeleter<X509_STORE_CTX, &X509_STORE_CTX_free>>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), OsslDeleter<STACK_OF(X509), &freeX509Stack>>;
using ExtensionStackPtr = std::unique_ptr<STACK_OF(X509_EXTENSION),
    OsslDeleter<STACK_OF(X509_EXTENSION), &freeExtensionStack>>;
using GeneralNamesPtr
    = std::unique_ptr<GENERAL_NAMES, OsslDeleter<GENERAL_NAMES, &freeGeneralNames>>;
using EkuPtr = std::unique_ptr<EXTENDED_KEY_USAGE, OsslDeleter<EXTENDED_KEY_USAGE, &freeEku>>;
using BioPtr = std::unique_ptr<BIO, OsslDeleter<BIO, &BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OsslDeleter<BIGNUM, &BN_free>>;
using Pkcs12Ptr = std::unique_ptr<PKCS12, OsslDeleter<PKCS12, &PKCS12_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, OsslDeleter<ASN1_TIME, &ASN1_TIME_free>>;

/** The OpenSSL error queue as one line, and cleared. */
QString opensslErrors();

/** fail(0, message, <OpenSSL error queue>). */
std::unexpected<Error> opensslFailure(const QString &message);

/** A read-only memory BIO over `data` (which must outlive it). */
BioPtr memoryBio(const QByteArray &data);
/** Everything written to a memory BIO. */
QByteArray bioContents(BIO *bio);

/** ASN1_TIME to a UTC QDateTime (invalid QDateTime if it cannot be read). */
QDateTime toDateTime(const ASN1_TIME *time);

/** Uppercase hex bytes joined by ':' (fingerprints and serial numbers as the UI shows them). */
QString colonHex(const QByteArray &bytes);

/** True if `pem` looks like PEM text rather than DER. */
bool looksLikePem(const QByteArray &data);

/** Subject fields from an X509_NAME (the first of each). */
DistinguishedName readName(const X509_NAME *name);
/** One RFC 2253 line. */
QString nameText(const X509_NAME *name);
/** An X509_NAME from the fields (UTF-8). */
Result<X509NamePtr> buildName(const DistinguishedName &name);
/** SAN entries from GENERAL_NAMES. */
SubjectAltNames readAltNames(const GENERAL_NAMES *names);
/** GENERAL_NAMES from SAN entries; error names the entry that is not well formed. */
Result<GeneralNamesPtr> buildAltNames(const SubjectAltNames &names);

} // namespace Pm::Pki::Internal
