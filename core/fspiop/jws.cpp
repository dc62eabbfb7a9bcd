#include "core/fspiop/jws.h"

#include "core/fspiop/json.h"

#include <QVarLengthArray>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <mutex>
#include <vector>

using namespace Qt::StringLiterals;

namespace Pm::Fspiop::Jws {

namespace {

// ---- OpenSSL ownership -----------------------------------------------------------------------

template<class T, void (*Free)(T *)>
struct OsslDeleter
{
    void operator()(T *p) const { Free(p); }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OsslDeleter<EVP_PKEY, &EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslDeleter<EVP_PKEY_CTX, &EVP_PKEY_CTX_free>>;
using EvpMdPtr = std::unique_ptr<EVP_MD, OsslDeleter<EVP_MD, &EVP_MD_free>>;
using BioPtr = std::unique_ptr<BIO, OsslDeleter<BIO, &BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, OsslDeleter<X509, &X509_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OsslDeleter<ECDSA_SIG, &ECDSA_SIG_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, OsslDeleter<BIGNUM, &BN_free>>;
using DecoderCtxPtr =
    std::unique_ptr<OSSL_DECODER_CTX, OsslDeleter<OSSL_DECODER_CTX, &OSSL_DECODER_CTX_free>>;

/** Sets an error-queue mark and drops whatever OpenSSL queued after it when leaving the scope. */
class ErrorQueueMark
{
public:
    ErrorQueueMark() { ERR_set_mark(); }
    ~ErrorQueueMark() { ERR_pop_to_mark(); }
    ErrorQueueMark(const ErrorQueueMark &) = delete;
    ErrorQueueMark &operator=(const ErrorQueueMark &) = delete;
};

/** The most recent OpenSSL error as text, for Error::detail. */
QString lastOpensslError()
{
    const unsigned long code = ERR_peek_last_error();
    if (code == 0)
        return {};
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());
    return QString::fromUtf8(text.data());
}

/** SHA-256, fetched once: an explicit fetch avoids a provider lookup on every digest. */
const EVP_MD *sha256()
{
    static const EvpMdPtr md(EVP_MD_fetch(nullptr, "SHA256", nullptr));
    return md.get();
}

constexpr int Sha256Size = 32;
constexpr int Es256CoordinateSize = 32;
constexpr int MinRsaBits = 2048;

bool digestSha256(QByteArrayView data, unsigned char *out)
{
    unsigned int size = 0;
    return EVP_Digest(data.data(), std::size_t(data.size()), out, &size, sha256(), nullptr) == 1
           && size == Sha256Size;
}

/** A value shown in an error message: at most 80 characters, control characters replaced. */
QString shown(QByteArrayView value)
{
    QString text = QString::fromUtf8(value.first(std::min<qsizetype>(value.size(), 80)));
    for (QChar &c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            c = u'?';
    }
    if (value.size() > 80)
        text += u"…"_s;
    return u"'"_s + text + u"'"_s;
}

QString shown(const std::string &value)
{
    return shown(QByteArrayView(value.data(), qsizetype(value.size())));
}

QByteArrayView view(const std::string &value)
{
    return QByteArrayView(value.data(), qsizetype(value.size()));
}

} // namespace

// ---- key data ------------------------------------------------------------------------------

namespace Internal {

/**
 * A parsed key plus a pool of operation contexts initialised for it. A context serves one call at
 * a time; the pool lets concurrent callers each take their own and saves the set-up (provider
 * fetch, init, padding, digest) on every later call.
 */
struct KeyData
{
    EvpPkeyPtr pkey;
    Algorithm algorithm = Algorithm::RS256;
    bool forSigning = false;

    mutable std::mutex poolMutex;
    mutable std::vector<EvpPkeyCtxPtr> pool;

    static constexpr std::size_t MaxPooledContexts = 64;

    static const KeyData *of(const SigningKey &key) { return key.m_data.get(); }
    static const KeyData *of(const VerificationKey &key) { return key.m_data.get(); }
    static SigningKey makeSigningKey(std::shared_ptr<const KeyData> data)
    {
        return SigningKey(std::move(data));
    }
    static VerificationKey makeVerificationKey(std::shared_ptr<const KeyData> data)
    {
        return VerificationKey(std::move(data));
    }

    EvpPkeyCtxPtr newContext() const
    {
        EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
        if (!ctx)
            return {};
        const int initialised =
            forSigning ? EVP_PKEY_sign_init(ctx.get()) : EVP_PKEY_verify_init(ctx.get());
        if (initialised <= 0)
            return {};
        if (algorithm == Algorithm::RS256
            && EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) <= 0)
            return {};
        if (EVP_PKEY_CTX_set_signature_md(ctx.get(), sha256()) <= 0)
            return {};
        return ctx;
    }

    EvpPkeyCtxPtr takeContext() const
    {
        {
            const std::lock_guard lock(poolMutex);
            if (!pool.empty()) {
                EvpPkeyCtxPtr ctx = std::move(pool.back());
                pool.pop_back();
                return ctx;
            }
        }
        return newContext();
    }

    void returnContext(EvpPkeyCtxPtr ctx) const
    {
        const std::lock_guard lock(poolMutex);
        if (pool.size() < MaxPooledContexts)
            pool.push_back(std::move(ctx));
    }
};

} // namespace Internal

namespace {

using Internal::KeyData;

/** Borrows a context from a key's pool for one operation and gives it back afterwards. */
class ContextLease
{
public:
    explicit ContextLease(const KeyData &key)
        : m_key(key)
        , m_ctx(key.takeContext())
    {}
    ~ContextLease()
    {
        if (m_ctx)
            m_key.returnContext(std::move(m_ctx));
    }
    ContextLease(const ContextLease &) = delete;
    ContextLease &operator=(const ContextLease &) = delete;

    EVP_PKEY_CTX *get() const { return m_ctx.get(); }

private:
    const KeyData &m_key;
    EvpPkeyCtxPtr m_ctx;
};

/** Which algorithm a parsed key signs with, or why it cannot be used. */
Result<Algorithm> algorithmFor(EVP_PKEY *pkey)
{
    const int id = EVP_PKEY_get_base_id(pkey);
    if (id == EVP_PKEY_RSA) {
        const int bits = EVP_PKEY_get_bits(pkey);
        if (bits < MinRsaBits)
            return fail(0, u"RSA key has %1 bits; RS256 needs at least %2"_s.arg(bits).arg(MinRsaBits));
        return Algorithm::RS256;
    }
    if (id == EVP_PKEY_EC) {
        std::array<char, 64> group{};
        std::size_t length = 0;
        if (EVP_PKEY_get_group_name(pkey, group.data(), group.size(), &length) != 1)
            return fail(0, u"EC key without a named curve; ES256 needs P-256"_s);
        const std::string_view name(group.data(), length);
        if (name != "prime256v1" && name != "P-256")
            return fail(0, u"EC key on curve %1; ES256 needs P-256"_s.arg(QString::fromUtf8(group.data())));
        return Algorithm::ES256;
    }
    const char *type = EVP_PKEY_get0_type_name(pkey);
    return fail(0, u"unsupported key type %1: only RSA (RS256) and EC P-256 (ES256) keys sign FSPIOP"_s
                       .arg(type ? QString::fromUtf8(type) : u"unknown"_s));
}

Result<std::shared_ptr<const KeyData>> makeKeyData(EvpPkeyPtr pkey, bool forSigning)
{
    auto algorithm = algorithmFor(pkey.get());
    if (!algorithm)
        return std::unexpected(algorithm.error());
    auto data = std::make_shared<KeyData>();
    data->pkey = std::move(pkey);
    data->algorithm = *algorithm;
    data->forSigning = forSigning;
    // Prime the pool so that the first call does not pay the set-up, and find out now whether
    // this OpenSSL can use the key at all.
    EvpPkeyCtxPtr ctx = data->newContext();
    if (!ctx)
        return fail(0, u"cannot set up %1 with this key"_s.arg(algorithmName(*algorithm)),
                    lastOpensslError());
    data->pool.push_back(std::move(ctx));
    return std::shared_ptr<const KeyData>(std::move(data));
}

/** The labels of the PEM blocks in `pem` ("PUBLIC KEY", "CERTIFICATE"…), in order. */
QList<QByteArrayView> pemLabels(QByteArrayView pem)
{
    static constexpr QByteArrayView Begin("-----BEGIN ");
    static constexpr QByteArrayView Dashes("-----");
    QList<QByteArrayView> labels;
    qsizetype from = 0;
    while (true) {
        const qsizetype start = pem.indexOf(Begin, from);
        if (start < 0)
            break;
        const qsizetype labelStart = start + Begin.size();
        const qsizetype end = pem.indexOf(Dashes, labelStart);
        if (end < 0)
            break;
        labels.append(pem.sliced(labelStart, end - labelStart));
        from = end + Dashes.size();
    }
    return labels;
}

bool isPrivateKeyLabel(QByteArrayView label)
{
    return label.endsWith(QByteArrayView("PRIVATE KEY"));
}

QString labelList(const QList<QByteArrayView> &labels)
{
    QStringList names;
    for (const QByteArrayView label : labels)
        names << u"'"_s + QString::fromLatin1(label) + u"'"_s;
    return names.join(u", "_s);
}

BioPtr memoryBio(QByteArrayView data)
{
    return BioPtr(BIO_new_mem_buf(data.data(), int(std::min<qsizetype>(data.size(), INT_MAX))));
}

struct PassphraseState
{
    QByteArrayView passphrase;
    bool asked = false;
};

int passphraseCallback(char *buffer, int size, int /*rwflag*/, void *userData)
{
    auto *state = static_cast<PassphraseState *>(userData);
    state->asked = true;
    if (state->passphrase.isEmpty() || state->passphrase.size() > size)
        return -1;
    std::memcpy(buffer, state->passphrase.data(), std::size_t(state->passphrase.size()));
    return int(state->passphrase.size());
}

// ---- ES256 signature encoding --------------------------------------------------------------

/** DER ECDSA-Sig-Value → the JWS form R||S, each left-padded to 32 bytes. */
bool derToRaw(const unsigned char *der, std::size_t derSize, unsigned char *raw)
{
    const unsigned char *cursor = der;
    EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, long(derSize)));
    if (!sig)
        return false;
    const BIGNUM *r = nullptr;
    const BIGNUM *s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    return BN_bn2binpad(r, raw, Es256CoordinateSize) == Es256CoordinateSize
           && BN_bn2binpad(s, raw + Es256CoordinateSize, Es256CoordinateSize) == Es256CoordinateSize;
}

/** JWS R||S (64 bytes) → DER, written into `der`; returns the DER size or 0. */
int rawToDer(QByteArrayView raw, unsigned char *der, int capacity)
{
    if (raw.size() != 2 * Es256CoordinateSize)
        return 0;
    const auto *bytes = reinterpret_cast<const unsigned char *>(raw.data());
    BignumPtr r(BN_bin2bn(bytes, Es256CoordinateSize, nullptr));
    BignumPtr s(BN_bin2bn(bytes + Es256CoordinateSize, Es256CoordinateSize, nullptr));
    EcdsaSigPtr sig(ECDSA_SIG_new());
    if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
        return 0;
    (void)r.release(); // owned by sig now
    (void)s.release();
    const int size = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (size <= 0 || size > capacity)
        return 0;
    unsigned char *cursor = der;
    return i2d_ECDSA_SIG(sig.get(), &cursor);
}

// ---- headers -------------------------------------------------------------------------------

constexpr QByteArrayView HeaderSource("fspiop-source");
constexpr QByteArrayView HeaderDestination("fspiop-destination");
constexpr QByteArrayView HeaderUri("fspiop-uri");
constexpr QByteArrayView HeaderMethod("fspiop-http-method");
constexpr QByteArrayView HeaderSignature("fspiop-signature");
constexpr QByteArrayView HeaderDate("date");

/** Result of looking a header up: absent, one value, or given more than once. */
struct HeaderValue
{
    std::optional<QByteArrayView> value;
    bool repeated = false;
};

HeaderValue findHeader(const HeaderList &headers, QByteArrayView name)
{
    HeaderValue found;
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (found.value) {
            found.repeated = true;
            return found;
        }
        found.value = QByteArrayView(value);
    }
    return found;
}

/** The display name of a header ("FSPIOP-Source") for messages. */
QString displayName(QByteArrayView lowerName)
{
    if (lowerName == HeaderSource)
        return u"FSPIOP-Source"_s;
    if (lowerName == HeaderDestination)
        return u"FSPIOP-Destination"_s;
    if (lowerName == HeaderUri)
        return u"FSPIOP-URI"_s;
    if (lowerName == HeaderMethod)
        return u"FSPIOP-HTTP-Method"_s;
    if (lowerName == HeaderSignature)
        return u"FSPIOP-Signature"_s;
    return u"Date"_s;
}

/** The string member `name` of a JSON object, or null if absent or not a string. */
const std::string *stringMember(const Json &object, const char *name)
{
    const auto it = object.find(name);
    if (it == object.end() || !it->is_string())
        return nullptr;
    return &it->get_ref<const std::string &>();
}

/** Verifies `signature` (JWS form) over the SHA-256 of `input` with one pooled context. */
bool verifyOnce(const KeyData &key, QByteArrayView input, QByteArrayView signature)
{
    std::array<unsigned char, Sha256Size> digest{};
    if (!digestSha256(input, digest.data()))
        return false;
    std::array<unsigned char, 80> der{};
    const unsigned char *sig = reinterpret_cast<const unsigned char *>(signature.data());
    std::size_t sigSize = std::size_t(signature.size());
    if (key.algorithm == Algorithm::ES256) {
        const int derSize = rawToDer(signature, der.data(), int(der.size()));
        if (derSize <= 0)
            return false;
        sig = der.data();
        sigSize = std::size_t(derSize);
    }
    ContextLease ctx(key);
    if (!ctx.get())
        return false;
    return EVP_PKEY_verify(ctx.get(), sig, sigSize, digest.data(), digest.size()) == 1;
}

} // namespace

// ---- public API ----------------------------------------------------------------------------

QString algorithmName(Algorithm algorithm)
{
    return algorithm == Algorithm::ES256 ? u"ES256"_s : u"RS256"_s;
}

QString bodyFormName(BodyForm form)
{
    switch (form) {
    case BodyForm::Raw:
        return u"raw"_s;
    case BodyForm::InsertionOrder:
        return u"insertion-order"_s;
    case BodyForm::SortedKeys:
        return u"sorted-keys"_s;
    }
    return {};
}

SigningKey::SigningKey(std::shared_ptr<const Internal::KeyData> data)
    : m_data(std::move(data))
{}

Result<SigningKey> SigningKey::fromPem(QByteArrayView pem, QByteArrayView passphrase)
{
    const ErrorQueueMark mark;
    // PEM_read_bio_PrivateKey skips other blocks (such as the "EC PARAMETERS" that
    // `openssl ecparam -genkey` writes first), so look for a private key among all of them.
    const QList<QByteArrayView> labels = pemLabels(pem);
    if (labels.isEmpty())
        return fail(0, u"bad PEM: no '-----BEGIN …-----' line found"_s);
    if (std::none_of(labels.begin(), labels.end(), isPrivateKeyLabel))
        return fail(0, u"bad PEM: expected a private key, found %1"_s.arg(labelList(labels)));
    BioPtr bio = memoryBio(pem);
    PassphraseState state{passphrase};
    EvpPkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, &passphraseCallback, &state));
    if (!pkey) {
        if (state.asked && passphrase.isEmpty())
            return fail(0, u"the private key is encrypted and no passphrase was given"_s);
        if (state.asked)
            return fail(0, u"cannot decrypt the private key: wrong passphrase?"_s, lastOpensslError());
        return fail(0, u"bad PEM: cannot read the private key"_s, lastOpensslError());
    }
    auto data = makeKeyData(std::move(pkey), true);
    if (!data)
        return std::unexpected(data.error());
    return Internal::KeyData::makeSigningKey(std::move(*data));
}

Algorithm SigningKey::algorithm() const
{
    return m_data ? m_data->algorithm : Algorithm::RS256;
}

QByteArray SigningKey::publicKeyPem() const
{
    if (!m_data)
        return {};
    const ErrorQueueMark mark;
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), m_data->pkey.get()) != 1)
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

VerificationKey::VerificationKey(std::shared_ptr<const Internal::KeyData> data)
    : m_data(std::move(data))
{}

Result<VerificationKey> VerificationKey::fromPem(QByteArrayView pem)
{
    const ErrorQueueMark mark;
    // The first block that holds a key decides; others (EC PARAMETERS…) are skipped.
    const QList<QByteArrayView> labels = pemLabels(pem);
    if (labels.isEmpty())
        return fail(0, u"bad PEM: no '-----BEGIN …-----' line found"_s);
    const auto holdsKey = [](QByteArrayView label) {
        return isPrivateKeyLabel(label) || label.endsWith(QByteArrayView("CERTIFICATE"))
               || label == QByteArrayView("PUBLIC KEY") || label == QByteArrayView("RSA PUBLIC KEY");
    };
    const auto keyLabel = std::find_if(labels.begin(), labels.end(), holdsKey);
    if (keyLabel == labels.end())
        return fail(0, u"bad PEM: expected a public key or certificate, found %1"_s.arg(labelList(labels)));
    const QByteArrayView label = *keyLabel;
    if (isPrivateKeyLabel(label))
        return fail(0, u"this PEM holds a private key: give the peer's public key or certificate"_s);
    EvpPkeyPtr pkey;
    BioPtr bio = memoryBio(pem);
    if (label.endsWith(QByteArrayView("CERTIFICATE"))) {
        X509Ptr certificate(PEM_read_bio_X509_AUX(bio.get(), nullptr, nullptr, nullptr));
        if (!certificate)
            return fail(0, u"bad PEM: cannot read the certificate"_s, lastOpensslError());
        pkey.reset(X509_get_pubkey(certificate.get()));
        if (!pkey)
            return fail(0, u"cannot read the certificate's public key"_s, lastOpensslError());
    } else if (label == QByteArrayView("PUBLIC KEY")) {
        pkey.reset(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
        if (!pkey)
            return fail(0, u"bad PEM: cannot read the public key"_s, lastOpensslError());
    } else { // RSA PUBLIC KEY (PKCS#1)
        EVP_PKEY *raw = nullptr;
        DecoderCtxPtr decoder(OSSL_DECODER_CTX_new_for_pkey(&raw, "PEM", "type-specific", "RSA",
                                                            EVP_PKEY_PUBLIC_KEY, nullptr, nullptr));
        const auto *cursor = reinterpret_cast<const unsigned char *>(pem.data());
        std::size_t remaining = std::size_t(pem.size());
        if (!decoder || OSSL_DECODER_from_data(decoder.get(), &cursor, &remaining) != 1 || !raw)
            return fail(0, u"bad PEM: cannot read the RSA public key"_s, lastOpensslError());
        pkey.reset(raw);
    }
    auto data = makeKeyData(std::move(pkey), false);
    if (!data)
        return std::unexpected(data.error());
    return Internal::KeyData::makeVerificationKey(std::move(*data));
}

Algorithm VerificationKey::algorithm() const
{
    return m_data ? m_data->algorithm : Algorithm::RS256;
}

Result<QString> fspiopUri(QStringView urlOrPath)
{
    static constexpr std::array<QStringView, 13> Resources = {
        u"participants",   u"parties",        u"quotes",      u"bulkQuotes",
        u"transfers",      u"bulkTransfers",  u"transactionRequests",
        u"thirdpartyRequests", u"authorizations", u"consents", u"consentRequests",
        u"fxQuotes",       u"fxTransfers",
    };
    for (qsizetype slash = urlOrPath.lastIndexOf(u'/'); slash >= 0;
         slash = slash == 0 ? -1 : urlOrPath.lastIndexOf(u'/', slash - 1)) {
        const QStringView rest = urlOrPath.sliced(slash + 1);
        for (const QStringView resource : Resources) {
            if (rest.startsWith(resource)
                && (rest.size() == resource.size() || rest[resource.size()] == u'/'))
                return urlOrPath.sliced(slash).toString();
        }
    }
    return fail(3101, u"FSPIOP-URI: no FSPIOP resource segment in '%1'"_s.arg(urlOrPath));
}

Result<SignedHeaders> sign(const SigningKey &key, const SignRequest &request)
{
    const KeyData *data = KeyData::of(key);
    if (!data)
        return fail(2001, u"JWS signing key is empty"_s);
    if (request.method.isEmpty())
        return fail(3102, u"FSPIOP-HTTP-Method: the request method is required for signing"_s);
    if (request.source.isEmpty())
        return fail(3102, u"FSPIOP-Source is required for signing"_s);
    if (request.destination && request.destination->isEmpty())
        return fail(3101, u"FSPIOP-Destination is given but empty"_s);
    if (request.date && request.date->isEmpty())
        return fail(3101, u"Date is given but empty"_s);
    if (request.body.isEmpty())
        return fail(3102, u"a body is required for signing (GET and DELETE are not signed)"_s);
    auto uri = fspiopUri(request.uri);
    if (!uri)
        return std::unexpected(uri.error());

    SignedHeaders headers;
    headers.uri = uri->toUtf8();
    headers.httpMethod = request.method.toUtf8().toUpper();
    const QByteArray source = request.source.toUtf8();
    const QByteArray destination = request.destination ? request.destination->toUtf8() : QByteArray();
    const QByteArray date = request.date ? request.date->toUtf8() : QByteArray();
    const auto utf8 = [](const QByteArray &bytes) {
        return std::string_view(bytes.constData(), std::size_t(bytes.size()));
    };

    // Protected header, insertion order as the reference signer writes it.
    QByteArray header;
    header.reserve(120 + headers.uri.size() + headers.httpMethod.size() + source.size()
                   + destination.size() + date.size());
    header.append(data->algorithm == Algorithm::ES256 ? R"({"alg":"ES256","FSPIOP-URI":)"
                                                      : R"({"alg":"RS256","FSPIOP-URI":)");
    appendJsonString(header, utf8(headers.uri));
    header.append(R"(,"FSPIOP-HTTP-Method":)");
    appendJsonString(header, utf8(headers.httpMethod));
    header.append(R"(,"FSPIOP-Source":)");
    appendJsonString(header, utf8(source));
    if (request.destination) {
        header.append(R"(,"FSPIOP-Destination":)");
        appendJsonString(header, utf8(destination));
    }
    if (request.date) {
        header.append(R"(,"Date":)");
        appendJsonString(header, utf8(date));
    }
    header.append('}');

    // Signing input: b64url(header) "." b64url(body), built in one buffer.
    const qsizetype headerB64Size = base64UrlEncodedSize(header.size());
    QByteArray input;
    input.reserve(headerB64Size + 1 + base64UrlEncodedSize(request.body.size()));
    appendBase64Url(input, header);
    input.append('.');
    appendBase64Url(input, request.body);

    std::array<unsigned char, Sha256Size> digest{};
    const ErrorQueueMark mark;
    if (!digestSha256(input, digest.data()))
        return fail(2001, u"JWS signing failed: SHA-256 unavailable"_s, lastOpensslError());

    const int maxSize = EVP_PKEY_get_size(data->pkey.get());
    QVarLengthArray<unsigned char, 1024> signature(std::max(maxSize, 2 * Es256CoordinateSize));
    std::size_t signatureSize = std::size_t(signature.size());
    {
        ContextLease ctx(*data);
        if (!ctx.get()
            || EVP_PKEY_sign(ctx.get(), signature.data(), &signatureSize, digest.data(),
                             digest.size()) != 1)
            return fail(2001, u"JWS signing failed"_s, lastOpensslError());
    }
    if (data->algorithm == Algorithm::ES256) {
        std::array<unsigned char, 2 * Es256CoordinateSize> raw{};
        if (!derToRaw(signature.data(), signatureSize, raw.data()))
            return fail(2001, u"JWS signing failed: bad ECDSA signature encoding"_s);
        std::memcpy(signature.data(), raw.data(), raw.size());
        signatureSize = raw.size();
    }

    static constexpr QByteArrayView Opening(R"({"signature":")");
    static constexpr QByteArrayView Middle(R"(","protectedHeader":")");
    static constexpr QByteArrayView Closing(R"("})");
    headers.signature.reserve(Opening.size() + base64UrlEncodedSize(qsizetype(signatureSize))
                              + Middle.size() + headerB64Size + Closing.size());
    headers.signature.append(Opening);
    appendBase64Url(headers.signature,
                    QByteArrayView(reinterpret_cast<const char *>(signature.data()),
                                   qsizetype(signatureSize)));
    headers.signature.append(Middle);
    headers.signature.append(QByteArrayView(input).first(headerB64Size));
    headers.signature.append(Closing);
    return headers;
}

Result<Verification> verify(const HeaderList &headers, QByteArrayView body, const KeyLookup &keyFor)
{
    // 1. A body is required.
    if (body.isEmpty())
        return fail(3102, u"a request body is required for JWS validation"_s);

    const auto single = [&](QByteArrayView name) -> Result<std::optional<QByteArrayView>> {
        const HeaderValue found = findHeader(headers, name);
        if (found.repeated)
            return fail(3105, u"%1 header is given more than once"_s.arg(displayName(name)));
        return found.value;
    };

    // 2. FSPIOP-Source, and a key for it.
    const auto source = single(HeaderSource);
    if (!source)
        return std::unexpected(source.error());
    if (!*source)
        return fail(3102, u"FSPIOP-Source header is required for JWS validation"_s);
    const QString sourceName = QString::fromUtf8(**source);
    const std::optional<VerificationKey> key = keyFor ? keyFor(sourceName) : std::nullopt;
    const KeyData *keyData = key ? KeyData::of(*key) : nullptr;
    if (!keyData)
        return fail(3105, u"no JWS verification key for FSPIOP-Source %1"_s.arg(shown(**source)));

    // 3. FSPIOP-URI, FSPIOP-HTTP-Method and FSPIOP-Signature.
    const auto uri = single(HeaderUri);
    const auto method = single(HeaderMethod);
    const auto signatureHeader = single(HeaderSignature);
    for (const auto *found : {&uri, &method, &signatureHeader}) {
        if (!*found)
            return std::unexpected(found->error());
    }
    QStringList missing;
    if (!*uri)
        missing << u"FSPIOP-URI"_s;
    if (!*method)
        missing << u"FSPIOP-HTTP-Method"_s;
    if (!*signatureHeader)
        missing << u"FSPIOP-Signature"_s;
    if (!missing.isEmpty())
        return fail(3102, u"%1 header%2 required for JWS validation"_s.arg(
                              missing.join(u", "_s), missing.size() == 1 ? u" is"_s : u"s are"_s));

    // 4. The signature header is JSON with both members.
    auto signatureJson = parseJson(**signatureHeader);
    if (!signatureJson)
        return fail(3105, u"FSPIOP-Signature header is not valid JSON"_s, signatureJson.error().message);
    if (!signatureJson->is_object())
        return fail(3105, u"FSPIOP-Signature header is not a JSON object"_s);
    const std::string *signatureText = stringMember(*signatureJson, "signature");
    const std::string *protectedText = stringMember(*signatureJson, "protectedHeader");
    if (!signatureText)
        return fail(3105, u"FSPIOP-Signature header has no string 'signature'"_s);
    if (!protectedText)
        return fail(3105, u"FSPIOP-Signature header has no string 'protectedHeader'"_s);

    // 5. The protected header is a base64url JSON object.
    auto protectedBytes = base64UrlDecode(view(*protectedText));
    if (!protectedBytes)
        return fail(3105, u"FSPIOP-Signature protectedHeader is not valid base64url"_s,
                    protectedBytes.error().message);
    auto protectedHeader = parseJson(*protectedBytes);
    if (!protectedHeader || !protectedHeader->is_object())
        return fail(3105, u"FSPIOP-Signature protectedHeader is not a JSON object"_s,
                    protectedHeader ? QString() : protectedHeader.error().message);

    // 6. alg is RS256 or ES256 and fits the key.
    const std::string *alg = stringMember(*protectedHeader, "alg");
    if (!alg)
        return fail(3105, u"protected header has no alg"_s);
    Algorithm algorithm = Algorithm::RS256;
    if (*alg == "RS256")
        algorithm = Algorithm::RS256;
    else if (*alg == "ES256")
        algorithm = Algorithm::ES256;
    else
        return fail(3105, u"protected header alg %1 is not RS256 or ES256"_s.arg(shown(*alg)));
    if (algorithm != keyData->algorithm)
        return fail(3105, u"protected header alg %1 does not fit the %2 key of %3"_s.arg(
                              algorithmName(algorithm),
                              keyData->algorithm == Algorithm::RS256 ? u"RSA"_s : u"EC"_s,
                              shown(**source)));

    // 7. FSPIOP-URI, FSPIOP-HTTP-Method and FSPIOP-Source equal the HTTP headers.
    const std::pair<const char *, QByteArrayView> mustMatch[] = {
        {"FSPIOP-URI", **uri},
        {"FSPIOP-HTTP-Method", **method},
        {"FSPIOP-Source", **source},
    };
    for (const auto &[name, httpValue] : mustMatch) {
        const std::string *signedValue = stringMember(*protectedHeader, name);
        if (!signedValue)
            return fail(3105, u"protected header has no %1"_s.arg(QLatin1StringView(name)));
        if (view(*signedValue) != httpValue)
            return fail(3105, u"%1 header %2 does not match the protected header's %3"_s.arg(
                                  QLatin1StringView(name), shown(httpValue), shown(*signedValue)));
    }

    // 8. Date, when signed, equals the Date header.
    const auto date = single(HeaderDate);
    if (!date)
        return std::unexpected(date.error());
    if (protectedHeader->contains("Date")) {
        const std::string *signedDate = stringMember(*protectedHeader, "Date");
        if (!signedDate)
            return fail(3105, u"protected header Date is not a string"_s);
        if (!*date)
            return fail(3105, u"Date is in the protected header but the request has no Date header"_s);
        if (view(*signedDate) != **date)
            return fail(3105, u"Date header %1 does not match the protected header's %2"_s.arg(
                                  shown(**date), shown(*signedDate)));
    }

    // 9. FSPIOP-Destination in both or neither, and equal.
    const auto destination = single(HeaderDestination);
    if (!destination)
        return std::unexpected(destination.error());
    if (protectedHeader->contains("FSPIOP-Destination")) {
        const std::string *signedDestination = stringMember(*protectedHeader, "FSPIOP-Destination");
        if (!signedDestination)
            return fail(3105, u"protected header FSPIOP-Destination is not a string"_s);
        if (!*destination)
            return fail(3105, u"FSPIOP-Destination is in the protected header but the request has "
                              u"no FSPIOP-Destination header"_s);
        if (view(*signedDestination) != **destination)
            return fail(3105, u"FSPIOP-Destination header %1 does not match the protected "
                              u"header's %2"_s.arg(shown(**destination), shown(*signedDestination)));
    } else if (*destination) {
        return fail(3105, u"FSPIOP-Destination header %1 is not in the protected header"_s.arg(
                              shown(**destination)));
    }

    // 10. The signature, over the raw body, else the two re-serialisations of the parsed body.
    auto signature = base64UrlDecode(view(*signatureText));
    if (!signature)
        return fail(3105, u"FSPIOP-Signature signature is not valid base64url"_s,
                    signature.error().message);

    const ErrorQueueMark mark;
    QByteArray input;
    const qsizetype prefixSize = qsizetype(protectedText->size()) + 1;
    const auto tryForm = [&](QByteArrayView bytes) {
        input.truncate(0);
        input.reserve(prefixSize + base64UrlEncodedSize(bytes.size()));
        input.append(view(*protectedText));
        input.append('.');
        appendBase64Url(input, bytes);
        return verifyOnce(*keyData, input, *signature);
    };

    Verification verified;
    verified.algorithm = algorithm;
    verified.source = sourceName;
    if (tryForm(body)) {
        verified.bodyForm = BodyForm::Raw;
        return verified;
    }
    const auto parsedBody = parseJson(body);
    if (!parsedBody)
        return fail(3105, u"signature does not verify over the body (which is not JSON, so it "
                          u"was not re-serialised)"_s);
    const QByteArray insertionOrder = serializeJson(*parsedBody, JsonKeyOrder::InsertionOrder);
    if (insertionOrder != body && tryForm(insertionOrder)) {
        verified.bodyForm = BodyForm::InsertionOrder;
        return verified;
    }
    const QByteArray sorted = serializeJson(*parsedBody, JsonKeyOrder::Sorted);
    if (sorted != body && sorted != insertionOrder && tryForm(sorted)) {
        verified.bodyForm = BodyForm::SortedKeys;
        return verified;
    }
    return fail(3105, u"signature does not verify over the body (tried raw bytes, insertion-order "
                      u"and sorted-key JSON)"_s);
}

} // namespace Pm::Fspiop::Jws
