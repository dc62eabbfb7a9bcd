#include "core/pki/csr.h"

#include "core/pki/ossl_p.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <openssl/err.h>
#include <openssl/pem.h>

using namespace Qt::StringLiterals;

namespace Pm::Pki {

using namespace Internal;

void CertificateRequest::Deleter::operator()(X509_REQ *req) const
{
    X509_REQ_free(req);
}

CertificateRequest::CertificateRequest() = default;
CertificateRequest::CertificateRequest(CertificateRequest &&) noexcept = default;
CertificateRequest &CertificateRequest::operator=(CertificateRequest &&) noexcept = default;
CertificateRequest::~CertificateRequest() = default;

// X509_REQ has no up-ref: copies duplicate the (small) structure.
CertificateRequest::CertificateRequest(const CertificateRequest &other)
{
    if (other.m_req)
        m_req.reset(X509_REQ_dup(other.m_req.get()));
}

CertificateRequest &CertificateRequest::operator=(const CertificateRequest &other)
{
    if (this != &other)
        *this = CertificateRequest(other);
    return *this;
}

namespace {

bool isDnsName(const QString &name)
{
    // RFC 1123 labels; a leading "*." wildcard is allowed.
    static const QRegularExpression pattern(
        u"^(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"_s);
    return name.size() <= 253 && pattern.match(name).hasMatch();
}

} // namespace

Result<void> validateCsrParameters(const CsrParameters &parameters)
{
    const DistinguishedName &s = parameters.subject;
    if (s.commonName.trimmed().isEmpty())
        return fail(0, u"subject.commonName (CN) is required"_s);
    if (s.commonName.size() > 64)
        return fail(0, u"subject.commonName (CN) is longer than 64 characters"_s);
    if (!s.country.isEmpty()
        && (s.country.size() != 2 || !s.country.at(0).isLetter() || !s.country.at(1).isLetter()))
        return fail(0, u"subject.country (C) '%1' must be two letters (ISO 3166)"_s.arg(s.country));
    const std::pair<const char16_t *, const QString *> limited[] = {
        { u"subject.organization (O)", &s.organization },
        { u"subject.organizationalUnit (OU)", &s.organizationalUnit },
        { u"subject.locality (L)", &s.locality },
        { u"subject.state (ST)", &s.state },
    };
    for (const auto &[name, value] : limited) {
        if (value->size() > 128)
            return fail(0, u"%1 is longer than 128 characters"_s.arg(QString::fromUtf16(name)));
    }
    if (!s.emailAddress.isEmpty()
        && (!s.emailAddress.contains(u'@') || s.emailAddress.size() > 128))
        return fail(0, u"subject.emailAddress '%1' is not an email address"_s.arg(s.emailAddress));
    for (const QString &dns : parameters.subjectAltNames.dns) {
        if (!isDnsName(dns))
            return fail(0, u"subjectAltNames.dns '%1' is not a DNS name"_s.arg(dns));
    }
    for (const QString &ip : parameters.subjectAltNames.ips) {
        QHostAddress address;
        if (!address.setAddress(ip) || ip.contains(u'/'))
            return fail(0, u"subjectAltNames.ips '%1' is not an IP address"_s.arg(ip));
    }
    for (const QString &email : parameters.subjectAltNames.emails) {
        if (!email.contains(u'@'))
            return fail(0, u"subjectAltNames.emails '%1' is not an email address"_s.arg(email));
    }
    return {};
}

Result<CertificateRequest> CertificateRequest::create(
    const PrivateKey &key, const CsrParameters &parameters)
{
    if (key.isNull())
        return fail(0, u"CSR: no private key"_s);
    if (auto valid = validateCsrParameters(parameters); !valid)
        return std::unexpected(valid.error());

    X509ReqPtr req(X509_REQ_new());
    if (!req || X509_REQ_set_version(req.get(), X509_REQ_VERSION_1) != 1)
        return opensslFailure(u"CSR: allocation failed"_s);
    auto name = buildName(parameters.subject);
    if (!name)
        return std::unexpected(name.error());
    if (X509_REQ_set_subject_name(req.get(), name->get()) != 1
        || X509_REQ_set_pubkey(req.get(), key.handle()) != 1)
        return opensslFailure(u"CSR: cannot set the subject or public key"_s);

    if (!parameters.subjectAltNames.isEmpty()) {
        auto altNames = buildAltNames(parameters.subjectAltNames);
        if (!altNames)
            return std::unexpected(altNames.error());
        ExtensionStackPtr extensions(sk_X509_EXTENSION_new_null());
        X509ExtensionPtr san(X509V3_EXT_i2d(NID_subject_alt_name, 0, altNames->get()));
        if (!extensions || !san || sk_X509_EXTENSION_push(extensions.get(), san.get()) <= 0)
            return opensslFailure(u"CSR: cannot encode subjectAltName"_s);
        san.release(); // now owned by the stack
        if (X509_REQ_add_extensions(req.get(), extensions.get()) != 1)
            return opensslFailure(u"CSR: cannot add the extension request"_s);
    }

    if (X509_REQ_sign(req.get(), key.handle(), EVP_sha256()) <= 0)
        return opensslFailure(u"CSR: signing failed"_s);
    CertificateRequest result;
    result.m_req.reset(req.release());
    return result;
}

Result<CertificateRequest> CertificateRequest::fromPem(const QByteArray &pem)
{
    BioPtr bio = memoryBio(pem);
    X509_REQ *req = PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr);
    if (!req)
        return opensslFailure(u"CSR: not a readable PEM certificate request"_s);
    CertificateRequest result;
    result.m_req.reset(req);
    return result;
}

Result<CertificateRequest> CertificateRequest::fromDer(const QByteArray &der)
{
    const auto *data = reinterpret_cast<const unsigned char *>(der.constData());
    X509_REQ *req = d2i_X509_REQ(nullptr, &data, long(der.size()));
    if (!req)
        return opensslFailure(u"CSR: not a readable DER certificate request"_s);
    CertificateRequest result;
    result.m_req.reset(req);
    return result;
}

Result<CertificateRequest> CertificateRequest::fromData(const QByteArray &data)
{
    return looksLikePem(data) ? fromPem(data) : fromDer(data);
}

bool CertificateRequest::isNull() const
{
    return !m_req;
}

X509_REQ *CertificateRequest::handle() const
{
    return m_req.get();
}

QByteArray CertificateRequest::toPem() const
{
    if (!m_req)
        return {};
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_X509_REQ(bio.get(), m_req.get()) != 1)
        return {};
    return bioContents(bio.get());
}

QByteArray CertificateRequest::toDer() const
{
    if (!m_req)
        return {};
    unsigned char *der = nullptr;
    const int size = i2d_X509_REQ(m_req.get(), &der);
    if (size <= 0)
        return {};
    QByteArray result(reinterpret_cast<const char *>(der), size);
    OPENSSL_free(der);
    return result;
}

DistinguishedName CertificateRequest::subject() const
{
    return m_req ? readName(X509_REQ_get_subject_name(m_req.get())) : DistinguishedName {};
}

QString CertificateRequest::subjectText() const
{
    return m_req ? nameText(X509_REQ_get_subject_name(m_req.get())) : QString();
}

SubjectAltNames CertificateRequest::subjectAltNames() const
{
    if (!m_req)
        return {};
    ExtensionStackPtr extensions(X509_REQ_get_extensions(m_req.get()));
    if (!extensions)
        return {};
    GeneralNamesPtr names(static_cast<GENERAL_NAMES *>(
        X509V3_get_d2i(extensions.get(), NID_subject_alt_name, nullptr, nullptr)));
    return readAltNames(names.get());
}

EVP_PKEY *CertificateRequest::publicKey() const
{
    return m_req ? X509_REQ_get0_pubkey(m_req.get()) : nullptr;
}

bool CertificateRequest::signatureValid() const
{
    EVP_PKEY *key = publicKey();
    const bool ok = key && X509_REQ_verify(m_req.get(), key) == 1;
    ERR_clear_error();
    return ok;
}

QString CertificateRequest::signatureAlgorithm() const
{
    if (!m_req)
        return {};
    return QString::fromLatin1(OBJ_nid2ln(X509_REQ_get_signature_nid(m_req.get())));
}

QString CertificateRequest::publicKeyDescription() const
{
    return describePublicKey(publicKey());
}

int CertificateRequest::publicKeyBits() const
{
    return Pki::publicKeyBits(publicKey());
}

bool CertificateRequest::publicKeyIsRsa() const
{
    return publicKey() && EVP_PKEY_is_a(publicKey(), "RSA");
}

QByteArray CertificateRequest::publicKeyDer() const
{
    return Pki::publicKeyDer(publicKey());
}

} // namespace Pm::Pki
