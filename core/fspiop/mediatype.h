#pragma once

#include "core/base/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <compare>
#include <optional>
#include <span>

namespace Pm::Fspiop {

/**
 * An FSPIOP API version, as carried by the `version=` parameter of the versioned media types
 * `application/vnd.interoperability.{resource}+json;version=X.Y`.
 */
struct ApiVersion
{
    int major = 1;
    int minor = 0;

    /** "X.Y", the form used in Content-Type. */
    QString toString() const;

    /**
     * Parses "X.Y" in canonical form (decimal digits, no sign, no leading zeros).
     * Fails with 3101 naming `what`.
     */
    static Result<ApiVersion> parse(QStringView text, QStringView what = u"version");

    friend constexpr auto operator<=>(const ApiVersion &, const ApiVersion &) = default;
};

/** The FSPIOP versions this library knows; each has a schema set in resources/schemas. */
namespace Versions {
inline constexpr ApiVersion V1_0{1, 0};
inline constexpr ApiVersion V1_1{1, 1};
inline constexpr ApiVersion V2_0{2, 0};
} // namespace Versions

/** The versions this product speaks, oldest first: 1.0, 1.1, 2.0. */
std::span<const ApiVersion> supportedVersions();

/** True if `version` is one of `supported` (default: supportedVersions()). */
bool isSupportedVersion(ApiVersion version,
                        std::span<const ApiVersion> supported = supportedVersions());

/**
 * The resources whose requests carry versioned media types and whose headers the inbound header
 * check validates (the reference's list): parties, participants, quotes, transfers, bulkTransfers,
 * bulkQuotes, transactionRequests, authorizations, fxQuotes, fxTransfers.
 */
const QStringList &protocolResources();

/** True if `resource` (case-sensitive, as in URLs) is one of protocolResources(). */
bool isProtocolResource(QStringView resource);

/** `application/vnd.interoperability.{resource}+json;version=X.Y`, the Content-Type to send. */
QString contentType(QStringView resource, ApiVersion version);

/** `application/vnd.interoperability.{resource}+json;version=X` (major only), the Accept to send. */
QString acceptType(QStringView resource, ApiVersion version);

/** A parsed versioned Content-Type. */
struct ContentType
{
    QString resource;    ///< e.g. "quotes"
    QString versionText; ///< the version exactly as sent, e.g. "1.0"
    /** The version, if versionText is canonical "X.Y" that fits in int; else empty. */
    std::optional<ApiVersion> version;
};

/**
 * Parses a Content-Type value. Accepted shape (as the reference header validator):
 * `application/vnd.interoperability.{resource}+json;version=X.Y`, with at most one space on either
 * side of `;`. The version must be present and have a minor part. Fails with 3101.
 */
Result<ContentType> parseContentType(QStringView value);

/** One media range of an Accept header. */
struct AcceptedVersion
{
    /** The version as sent ("1", "1.1"); empty when the media range names no version (any). */
    QString text;

    /** True if this range admits `version`: no version, the same major, or the same X.Y. */
    bool admits(ApiVersion version) const;
};

/** A parsed versioned Accept header. */
struct AcceptType
{
    QString resource;
    QList<AcceptedVersion> versions; ///< one per comma-separated media range, in order
};

/**
 * Parses an Accept value: one or more comma-separated
 * `application/vnd.interoperability.{resource}+json[;version=N[.M]]`, all for the same resource,
 * with at most one space around `;` and optional white space around commas. Fails with 3101.
 */
Result<AcceptType> parseAccept(QStringView value);

/**
 * The highest of `supported` that `accept` admits, or empty if none (the caller answers 3001).
 */
std::optional<ApiVersion> negotiateVersion(const AcceptType &accept,
                                           std::span<const ApiVersion> supported = supportedVersions());

} // namespace Pm::Fspiop
