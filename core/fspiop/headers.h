#pragma once

#include "core/base/result.h"
#include "core/fspiop/errors.h"
#include "core/fspiop/mediatype.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <expected>
#include <optional>
#include <span>
#include <utility>

namespace Pm::Fspiop {

/** Header names, spelled as the FSPIOP specification does. Look-ups are case-insensitive. */
namespace HeaderName {
inline constexpr QByteArrayView Accept{"Accept"};
inline constexpr QByteArrayView ContentType{"Content-Type"};
inline constexpr QByteArrayView ContentLength{"Content-Length"};
inline constexpr QByteArrayView Date{"Date"};
inline constexpr QByteArrayView XForwardedFor{"X-Forwarded-For"};
inline constexpr QByteArrayView FspiopSource{"FSPIOP-Source"};
inline constexpr QByteArrayView FspiopDestination{"FSPIOP-Destination"};
inline constexpr QByteArrayView FspiopEncryption{"FSPIOP-Encryption"};
inline constexpr QByteArrayView FspiopSignature{"FSPIOP-Signature"};
inline constexpr QByteArrayView FspiopUri{"FSPIOP-URI"};
inline constexpr QByteArrayView FspiopHttpMethod{"FSPIOP-HTTP-Method"};
inline constexpr QByteArrayView Authorization{"Authorization"};
inline constexpr QByteArrayView Traceparent{"traceparent"};
inline constexpr QByteArrayView Tracestate{"tracestate"};
inline constexpr QByteArrayView Baggage{"baggage"};
} // namespace HeaderName

/** HTTP headers in arrival order, as QHttpServerRequest::headers() gives them on Qt 6.4. */
using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

/** The value of the first header called `name` (ASCII case-insensitive), or empty if absent. */
std::optional<QByteArray> headerValue(const HttpHeaders &headers, QByteArrayView name);

/** Replaces every header called `name` by one `name: value`, appended at the end. */
void setHeader(HttpHeaders &headers, QByteArrayView name, QByteArrayView value);

// ---------------------------------------------------------------------------------------------
// Inbound header check

/** Options of validateInboundHeaders(). */
struct HeaderCheckOptions
{
    /** The versions the service accepts in Content-Type and Accept (the caller keeps them alive). */
    std::span<const ApiVersion> supported = supportedVersions();
    /** The resource is the second path segment (the first is the DFSP id), as with MULTI_DFSP. */
    bool multiDfsp = false;
    /**
     * Also require Date and FSPIOP-Source (3102 when absent), which the reference enforces in its
     * OpenAPI validator after the JWS check. Switch off to run the media-type checks alone.
     */
    bool requireDateAndSource = true;
};

/** What the header check learnt from an accepted request. */
struct InboundHeaders
{
    /** The resource the check applied to ("quotes"), or empty if the path names no checked resource. */
    QString resource;
    /** The Content-Type version; empty only when the check did not apply. */
    std::optional<ApiVersion> contentVersion;
    /** The Accept header, if one was sent. */
    std::optional<AcceptType> accept;
    /** The version to answer with: the highest accepted one, else the Content-Type version. */
    std::optional<ApiVersion> responseVersion;
};

/** A request the header check refuses, with everything needed to answer it. */
struct HeaderRejection
{
    /** code 3001, 3101 or 3102 and a message naming the header. */
    Pm::Error error;
    /** 406 for 3001, 400 otherwise. */
    int httpStatus = 400;
    /** For 3001: the supported versions, key = major, value = minor (as the reference sends). */
    ExtensionList extensions;

    /** The ErrorInformationResponse body to send with httpStatus. */
    nlohmann::ordered_json body() const;
};

/**
 * Checks the headers of an inbound FSPIOP request the way the reference header validator does.
 *
 * The resource is the first path segment (the second with options.multiDfsp). Requests for other
 * resources (for example /ping) pass unchecked with an empty InboundHeaders::resource.
 *  - Accept is required on GET (missing: 3102, HTTP 400) and checked when present on other methods:
 *    malformed or for another resource 3101 (400); no supported version admitted 3001 (406).
 *  - Content-Type is required on every method, GET included (3102, 400); malformed or for another
 *    resource 3101 (400); an unsupported version 3001 (406).
 *  - Then, with options.requireDateAndSource, Date and FSPIOP-Source must be present (3102, 400).
 * A 3001 rejection lists the supported versions in its extensions.
 */
std::expected<InboundHeaders, HeaderRejection>
validateInboundHeaders(QByteArrayView method, QStringView path, const HttpHeaders &headers,
                       const HeaderCheckOptions &options = {});

/** The checked resource named by a request path ("/quotes/123" → "quotes"), or empty. */
QString resourceFromPath(QStringView path, bool multiDfsp = false);

/** The 3001 extensionList for `supported`: one {key: major, value: minor} per version. */
ExtensionList supportedVersionsExtensions(std::span<const ApiVersion> supported = supportedVersions());

// ---------------------------------------------------------------------------------------------
// Date

/**
 * An HTTP date in RFC 1123 / IMF-fixdate form, always in GMT and with English names whatever the
 * system locale: "Wed, 01 Jan 2025 00:00:00 GMT". Milliseconds are dropped.
 */
QString formatHttpDate(const QDateTime &time);

/** formatHttpDate(QDateTime::currentDateTimeUtc()). */
QString currentHttpDate();

/**
 * Parses an IMF-fixdate ("Wed, 01 Jan 2025 00:00:00 GMT") into a UTC time. The weekday must match
 * the date. Fails with 3101 naming the Date header.
 */
Result<QDateTime> parseHttpDate(QStringView text);

// ---------------------------------------------------------------------------------------------
// W3C trace context

/** A W3C `traceparent`: `00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>`. */
struct TraceParent
{
    quint8 version = 0;
    QByteArray traceId;  ///< 32 lowercase hex digits, not all zero
    QByteArray parentId; ///< 16 lowercase hex digits, not all zero
    quint8 flags = 0x01;

    /** The header value. */
    QByteArray toHeaderValue() const;
    /** The sampled flag (bit 0). */
    bool sampled() const { return (flags & 0x01) != 0; }
    /** The same trace with a new random parent-id, for a request this service makes. */
    TraceParent child() const;

    /**
     * Parses a header value. Rejects (3101) uppercase hex, wrong lengths, version ff, all-zero ids
     * and, for version 00, anything after the flags. Later versions may append "-..." fields.
     */
    static Result<TraceParent> parse(QByteArrayView value);
    /** A new trace with random ids (OS random source). */
    static TraceParent generate(quint8 flags = 0x01);
};

/** Parses TRACE_FLAGS ("01"): two hex digits. Fails with 3101 naming `settingName`. */
Result<quint8> parseTraceFlags(QStringView text, QStringView settingName = u"TRACE_FLAGS");

/** The trace headers a request or callback carries on. */
struct TraceContext
{
    TraceParent traceparent;
    QByteArray tracestate; ///< passed through untouched; empty if none
    QByteArray baggage;    ///< passed through untouched; empty if none

    /**
     * The trace of an inbound request, to copy onto its callbacks: its traceparent with tracestate
     * and baggage when the traceparent is valid, otherwise a new trace (with `flags`), no
     * tracestate (W3C: tracestate is dropped with an invalid traceparent) and the baggage.
     */
    static TraceContext fromHeaders(const HttpHeaders &headers, quint8 flags = 0x01);

    /** Sets traceparent, and tracestate and baggage when not empty. */
    void applyTo(HttpHeaders &headers) const;

    /** tracestate with `key=value` appended as the last list member (as the reference does). */
    QByteArray tracestateWith(QByteArrayView key, QByteArrayView value) const;
};

// ---------------------------------------------------------------------------------------------
// Per-resource versions of outgoing requests

/**
 * The FSPIOP version used per resource for outgoing requests and callbacks (RESOURCE_VERSIONS):
 * Content-Type carries X.Y, Accept only X.
 */
class ResourceVersions
{
public:
    /** Every resource at 2.0, the reference connector's default. */
    ResourceVersions();

    /**
     * Parses `name=X.Y,name=X.Y` over `base`: names are protocolResources() and "ping"; versions
     * must be supported. White space around entries is ignored; an empty text gives `base`.
     * Fails with 3101 and a message starting with `settingName`.
     */
    static Result<ResourceVersions> parse(QStringView text, QStringView settingName = u"RESOURCE_VERSIONS",
                                          const ResourceVersions &base = {});

    /** The version for `resource` (2.0 for a resource not configured). */
    ApiVersion version(QStringView resource) const;
    void setVersion(const QString &resource, ApiVersion version);

    /** Content-Type for `resource` at its version. */
    QString contentType(QStringView resource) const;
    /** Accept for `resource`: its major version only. */
    QString acceptType(QStringView resource) const;

    /** "authorizations=2.0,bulkQuotes=2.0,..." sorted by name, parseable again. */
    QString toString() const;

private:
    QHash<QString, ApiVersion> m_versions;
};

} // namespace Pm::Fspiop
