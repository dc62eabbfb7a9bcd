#include "core/fspiop/mediatype.h"

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace Pm::Fspiop {

namespace {

constexpr std::array<ApiVersion, 3> kSupported{Versions::V1_0, Versions::V1_1, Versions::V2_0};

constexpr QStringView kPrefix = u"application/vnd.interoperability.";
constexpr QStringView kSuffix = u"+json";
constexpr QStringView kVersionKey = u"version=";

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool allDigits(QStringView s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), isAsciiDigit);
}

bool isResourceName(QStringView s)
{
    if (s.isEmpty() || !s.front().isLetter())
        return false;
    return std::all_of(s.begin(), s.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || isAsciiDigit(c);
    });
}

// A decimal number without leading zeros that fits in int, or empty.
std::optional<int> canonicalNumber(QStringView digits)
{
    if (!allDigits(digits) || (digits.size() > 1 && digits.front() == u'0'))
        return std::nullopt;
    bool ok = false;
    const int value = digits.toInt(&ok);
    return ok ? std::optional<int>(value) : std::nullopt;
}

struct MediaRange
{
    QString resource;
    std::optional<QString> version; // the text after "version=", if any
};

// Parses one `application/vnd.interoperability.R+json[ ?; ?version=V]`. `versionRequired` selects
// Content-Type rules (X.Y required) over Accept rules (N or N.M, optional).
std::optional<MediaRange> parseMediaRange(QStringView text, bool versionRequired)
{
    if (!text.startsWith(kPrefix))
        return std::nullopt;
    text = text.sliced(kPrefix.size());
    const qsizetype plus = text.indexOf(kSuffix);
    if (plus <= 0)
        return std::nullopt;
    MediaRange range;
    const QStringView resource = text.first(plus);
    if (!isResourceName(resource))
        return std::nullopt;
    range.resource = resource.toString();
    text = text.sliced(plus + kSuffix.size());
    if (text.isEmpty()) {
        if (versionRequired)
            return std::nullopt;
        return range;
    }
    // At most one space on either side of ';'.
    if (text.startsWith(u' '))
        text = text.sliced(1);
    if (!text.startsWith(u';'))
        return std::nullopt;
    text = text.sliced(1);
    if (text.startsWith(u' '))
        text = text.sliced(1);
    if (!text.startsWith(kVersionKey))
        return std::nullopt;
    const QStringView version = text.sliced(kVersionKey.size());
    const qsizetype dot = version.indexOf(u'.');
    if (dot < 0) {
        if (versionRequired || !allDigits(version))
            return std::nullopt;
    } else if (!allDigits(version.first(dot)) || !allDigits(version.sliced(dot + 1))) {
        return std::nullopt;
    }
    range.version = version.toString();
    return range;
}

} // namespace

QString ApiVersion::toString() const
{
    return QString::number(major) + u'.' + QString::number(minor);
}

Result<ApiVersion> ApiVersion::parse(QStringView text, QStringView what)
{
    const qsizetype dot = text.indexOf(u'.');
    if (dot > 0) {
        const auto major = canonicalNumber(text.first(dot));
        const auto minor = canonicalNumber(text.sliced(dot + 1));
        if (major && minor)
            return ApiVersion{*major, *minor};
    }
    return fail(3101, what + u": \""_s + text + u"\" is not a version of the form X.Y"_s);
}

std::span<const ApiVersion> supportedVersions()
{
    return kSupported;
}

bool isSupportedVersion(ApiVersion version, std::span<const ApiVersion> supported)
{
    return std::find(supported.begin(), supported.end(), version) != supported.end();
}

const QStringList &protocolResources()
{
    static const QStringList resources{
        u"parties"_s,        u"participants"_s,        u"quotes"_s,
        u"transfers"_s,      u"bulkTransfers"_s,       u"bulkQuotes"_s,
        u"transactionRequests"_s, u"authorizations"_s, u"fxQuotes"_s,
        u"fxTransfers"_s,
    };
    return resources;
}

bool isProtocolResource(QStringView resource)
{
    const QStringList &all = protocolResources();
    return std::any_of(all.begin(), all.end(), [&](const QString &r) { return r == resource; });
}

QString contentType(QStringView resource, ApiVersion version)
{
    return kPrefix + resource + kSuffix + u";version="_s + version.toString();
}

QString acceptType(QStringView resource, ApiVersion version)
{
    return kPrefix + resource + kSuffix + u";version="_s + QString::number(version.major);
}

Result<ContentType> parseContentType(QStringView value)
{
    const QStringView trimmed = value.trimmed();
    const auto range = parseMediaRange(trimmed, true);
    if (!range) {
        return fail(3101, u"Content-Type: \""_s + trimmed
                              + u"\" is not application/vnd.interoperability.{resource}+json;version=X.Y"_s);
    }
    ContentType result;
    result.resource = range->resource;
    result.versionText = *range->version;
    if (auto version = ApiVersion::parse(result.versionText))
        result.version = *version;
    return result;
}

bool AcceptedVersion::admits(ApiVersion version) const
{
    if (text.isEmpty())
        return true;
    // Compared as text, as the reference does: "1" admits 1.x, "1.1" only 1.1, "01" nothing.
    if (text == QString::number(version.major))
        return true;
    return text == version.toString();
}

Result<AcceptType> parseAccept(QStringView value)
{
    const QStringView trimmed = value.trimmed();
    const auto malformed = [&] {
        return fail(3101, u"Accept: \""_s + trimmed
                              + u"\" is not a list of application/vnd.interoperability.{resource}+json[;version=N]"_s);
    };
    AcceptType result;
    for (QStringView part : trimmed.split(u',')) {
        const auto range = parseMediaRange(part.trimmed(), false);
        if (!range)
            return malformed();
        if (result.resource.isEmpty())
            result.resource = range->resource;
        else if (result.resource != range->resource)
            return malformed();
        result.versions.append(AcceptedVersion{range->version.value_or(QString())});
    }
    return result;
}

std::optional<ApiVersion> negotiateVersion(const AcceptType &accept, std::span<const ApiVersion> supported)
{
    std::optional<ApiVersion> best;
    for (const ApiVersion &candidate : supported) {
        const bool admitted = std::any_of(accept.versions.begin(), accept.versions.end(),
                                          [&](const AcceptedVersion &v) { return v.admits(candidate); });
        if (admitted && (!best || *best < candidate))
            best = candidate;
    }
    return best;
}

} // namespace Pm::Fspiop
