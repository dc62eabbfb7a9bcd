#pragma once

#include <QString>
#include <QStringList>

namespace Pm::Pki {

/**
 * The subject or issuer fields Payment Manager reads and writes (the MCM server's certInfo fields).
 * Empty strings are absent fields.
 */
struct DistinguishedName
{
    QString commonName; ///< CN
    QString organization; ///< O
    QString organizationalUnit; ///< OU
    QString locality; ///< L
    QString state; ///< ST
    QString country; ///< C (two letters)
    QString emailAddress; ///< emailAddress (the reference calls it E)

    bool operator==(const DistinguishedName &) const = default;
    bool isEmpty() const;
    /** "CN=..., O=..., ..." in the order above, absent fields left out. */
    QString toString() const;
};

/** subjectAltName entries by type. IP addresses are written as text ("127.0.0.1", "::1"). */
struct SubjectAltNames
{
    QStringList dns;
    QStringList ips;
    QStringList emails;
    QStringList uris;

    bool operator==(const SubjectAltNames &) const = default;
    bool isEmpty() const
    {
        return dns.isEmpty() && ips.isEmpty() && emails.isEmpty() && uris.isEmpty();
    }
    /** Same entries, order ignored. */
    bool sameEntries(const SubjectAltNames &other) const;
    /** "DNS:a, IP:1.2.3.4, ..." */
    QString toString() const;
};

} // namespace Pm::Pki
