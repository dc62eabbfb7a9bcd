#include "core/pki/names.h"
#include "core/pki/ossl_p.h"

#include <QHostAddress>
#include <ctime>
#include <openssl/err.h>

using namespace Qt::StringLiterals;

namespace Pm::Pki {

namespace Internal {

QString opensslErrors()
{
    QStringList parts;
    while (const unsigned long e = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(e, buffer, sizeof buffer);
        parts.append(QString::fromLatin1(buffer));
    }
    return parts.join(u"; "_s);
}

std::unexpected<Error> opensslFailure(const QString &message)
{
    return fail(0, message, opensslErrors());
}

BioPtr memoryBio(const QByteArray &data)
{
    return BioPtr(BIO_new_mem_buf(data.constData(), int(data.size())));
}

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? QByteArray(data, size) : QByteArray();
}

QDateTime toDateTime(const ASN1_TIME *time)
{
    struct tm parts = {};
    if (!time || ASN1_TIME_to_tm(time, &parts) != 1)
        return {};
    return QDateTime::fromSecsSinceEpoch(qint64(timegm(&parts)), Qt::UTC);
}

QString colonHex(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toHex(':').toUpper());
}

bool looksLikePem(const QByteArray &data)
{
    return data.contains("-----BEGIN ");
}

} // namespace Internal

bool DistinguishedName::isEmpty() const
{
    return commonName.isEmpty() && organization.isEmpty() && organizationalUnit.isEmpty()
        && locality.isEmpty() && state.isEmpty() && country.isEmpty() && emailAddress.isEmpty();
}

QString DistinguishedName::toString() const
{
    QStringList parts;
    const auto add = [&parts](const char16_t *name, const QString &value) {
        if (!value.isEmpty())
            parts.append(QString::fromUtf16(name) + u'=' + value);
    };
    add(u"CN", commonName);
    add(u"O", organization);
    add(u"OU", organizationalUnit);
    add(u"L", locality);
    add(u"ST", state);
    add(u"C", country);
    add(u"emailAddress", emailAddress);
    return parts.join(u", "_s);
}

namespace {
QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}
} // namespace

bool SubjectAltNames::sameEntries(const SubjectAltNames &other) const
{
    return sorted(dns) == sorted(other.dns) && sorted(ips) == sorted(other.ips)
        && sorted(emails) == sorted(other.emails) && sorted(uris) == sorted(other.uris);
}

QString SubjectAltNames::toString() const
{
    QStringList parts;
    for (const QString &v : dns)
        parts.append(u"DNS:"_s + v);
    for (const QString &v : ips)
        parts.append(u"IP:"_s + v);
    for (const QString &v : emails)
        parts.append(u"email:"_s + v);
    for (const QString &v : uris)
        parts.append(u"URI:"_s + v);
    return parts.join(u", "_s);
}

} // namespace Pm::Pki

namespace Pm::Pki::Internal {

namespace {

struct NameField
{
    int nid;
    QString DistinguishedName::*member;
};

constexpr NameField nameFields[] = {
    { NID_commonName, &DistinguishedName::commonName },
    { NID_organizationName, &DistinguishedName::organization },
    { NID_organizationalUnitName, &DistinguishedName::organizationalUnit },
    { NID_localityName, &DistinguishedName::locality },
    { NID_stateOrProvinceName, &DistinguishedName::state },
    { NID_countryName, &DistinguishedName::country },
    { NID_pkcs9_emailAddress, &DistinguishedName::emailAddress },
};

QString asn1Text(const ASN1_STRING *string)
{
    unsigned char *utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, string);
    if (length < 0)
        return {};
    QString text = QString::fromUtf8(reinterpret_cast<const char *>(utf8), length);
    OPENSSL_free(utf8);
    return text;
}

QString ipText(const ASN1_OCTET_STRING *ip)
{
    const unsigned char *bytes = ASN1_STRING_get0_data(ip);
    const int length = ASN1_STRING_length(ip);
    if (length == 4)
        return u"%1.%2.%3.%4"_s.arg(bytes[0]).arg(bytes[1]).arg(bytes[2]).arg(bytes[3]);
    if (length == 16) {
        Q_IPV6ADDR address;
        memcpy(address.c, bytes, 16);
        return QHostAddress(address).toString();
    }
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(bytes), length).toHex());
}

} // namespace

DistinguishedName readName(const X509_NAME *name)
{
    DistinguishedName result;
    if (!name)
        return result;
    for (const NameField &field : nameFields) {
        const int index = X509_NAME_get_index_by_NID(name, field.nid, -1);
        if (index < 0)
            continue;
        const X509_NAME_ENTRY *entry = X509_NAME_get_entry(name, index);
        result.*field.member = asn1Text(X509_NAME_ENTRY_get_data(entry));
    }
    return result;
}

QString nameText(const X509_NAME *name)
{
    if (!name)
        return {};
    BioPtr bio(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    return QString::fromUtf8(bioContents(bio.get()));
}

Result<X509NamePtr> buildName(const DistinguishedName &name)
{
    X509NamePtr result(X509_NAME_new());
    if (!result)
        return opensslFailure(u"subject: allocation failed"_s);
    // Conventional order, most general first: C, ST, L, O, OU, CN, emailAddress.
    const std::pair<int, const QString *> ordered[] = {
        { NID_countryName, &name.country },
        { NID_stateOrProvinceName, &name.state },
        { NID_localityName, &name.locality },
        { NID_organizationName, &name.organization },
        { NID_organizationalUnitName, &name.organizationalUnit },
        { NID_commonName, &name.commonName },
        { NID_pkcs9_emailAddress, &name.emailAddress },
    };
    for (const auto &[nid, value] : ordered) {
        if (value->isEmpty())
            continue;
        const QByteArray utf8 = value->toUtf8();
        if (X509_NAME_add_entry_by_NID(result.get(), nid, MBSTRING_UTF8,
                reinterpret_cast<const unsigned char *>(utf8.constData()), int(utf8.size()), -1, 0)
            != 1)
            return opensslFailure(u"subject: %1 '%2' cannot be encoded"_s.arg(
                QString::fromLatin1(OBJ_nid2sn(nid)), *value));
    }
    return result;
}

SubjectAltNames readAltNames(const GENERAL_NAMES *names)
{
    SubjectAltNames result;
    if (!names)
        return result;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
        switch (name->type) {
        case GEN_DNS:
            result.dns.append(asn1Text(name->d.dNSName));
            break;
        case GEN_IPADD:
            result.ips.append(ipText(name->d.iPAddress));
            break;
        case GEN_EMAIL:
            result.emails.append(asn1Text(name->d.rfc822Name));
            break;
        case GEN_URI:
            result.uris.append(asn1Text(name->d.uniformResourceIdentifier));
            break;
        default:
            break;
        }
    }
    return result;
}

namespace {

bool addIa5(GENERAL_NAMES *names, int type, const QString &value)
{
    GENERAL_NAME *name = GENERAL_NAME_new();
    ASN1_IA5STRING *text = ASN1_IA5STRING_new();
    const QByteArray ascii = value.toLatin1();
    if (!name || !text || ASN1_STRING_set(text, ascii.constData(), int(ascii.size())) != 1) {
        GENERAL_NAME_free(name);
        ASN1_IA5STRING_free(text);
        return false;
    }
    GENERAL_NAME_set0_value(name, type, text);
    if (sk_GENERAL_NAME_push(names, name) <= 0) {
        GENERAL_NAME_free(name);
        return false;
    }
    return true;
}

} // namespace

Result<GeneralNamesPtr> buildAltNames(const SubjectAltNames &names)
{
    GeneralNamesPtr result(GENERAL_NAMES_new());
    if (!result)
        return opensslFailure(u"subjectAltName: allocation failed"_s);
    for (const QString &dns : names.dns) {
        if (!addIa5(result.get(), GEN_DNS, dns))
            return opensslFailure(u"subjectAltName: DNS name '%1' cannot be encoded"_s.arg(dns));
    }
    for (const QString &ip : names.ips) {
        GENERAL_NAME *name
            = a2i_GENERAL_NAME(nullptr, nullptr, nullptr, GEN_IPADD, ip.toLatin1().constData(), 0);
        if (!name || sk_GENERAL_NAME_push(result.get(), name) <= 0) {
            GENERAL_NAME_free(name);
            return opensslFailure(u"subjectAltName: '%1' is not an IP address"_s.arg(ip));
        }
    }
    for (const QString &email : names.emails) {
        if (!addIa5(result.get(), GEN_EMAIL, email))
            return opensslFailure(u"subjectAltName: email '%1' cannot be encoded"_s.arg(email));
    }
    for (const QString &uri : names.uris) {
        if (!addIa5(result.get(), GEN_URI, uri))
            return opensslFailure(u"subjectAltName: URI '%1' cannot be encoded"_s.arg(uri));
    }
    return result;
}

} // namespace Pm::Pki::Internal
