#include "core/fspiop/headers.h"

#include <QRandomGenerator>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace Pm::Fspiop {

namespace {

constexpr std::array<const char16_t *, 7> kWeekdays{u"Mon", u"Tue", u"Wed", u"Thu", u"Fri", u"Sat", u"Sun"};
constexpr std::array<const char16_t *, 12> kMonths{u"Jan", u"Feb", u"Mar", u"Apr", u"May", u"Jun",
                                                   u"Jul", u"Aug", u"Sep", u"Oct", u"Nov", u"Dec"};

QString twoDigits(int n)
{
    return QString::number(n).rightJustified(2, u'0');
}

bool isLowerHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool isLowerHex(QByteArrayView s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return isLowerHex(c); });
}

bool allZero(QByteArrayView s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c == '0'; });
}

QByteArray randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    do {
        for (char &b : raw)
            b = char(QRandomGenerator::system()->bounded(256));
    } while (allZero(raw.toHex()));
    return raw.toHex();
}

QString fromLatin1(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes.data(), bytes.size());
}

HeaderRejection reject(int code, QString message, ExtensionList extensions = {})
{
    return HeaderRejection{Pm::Error{code, std::move(message), {}}, httpStatusFor(code), std::move(extensions)};
}

} // namespace

std::optional<QByteArray> headerValue(const HttpHeaders &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return std::nullopt;
}

void setHeader(HttpHeaders &headers, QByteArrayView name, QByteArrayView value)
{
    headers.removeIf([&](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
    headers.append({name.toByteArray(), value.toByteArray()});
}

// ---------------------------------------------------------------------------------------------

nlohmann::ordered_json HeaderRejection::body() const
{
    return errorInformationResponse(error, extensions);
}

QString resourceFromPath(QStringView path, bool multiDfsp)
{
    const qsizetype query = path.indexOf(u'?');
    if (query >= 0)
        path = path.first(query);
    const auto segments = path.split(u'/', Qt::SkipEmptyParts);
    const qsizetype index = multiDfsp ? 1 : 0;
    if (segments.size() <= index || !isProtocolResource(segments.at(index)))
        return {};
    return segments.at(index).toString();
}

ExtensionList supportedVersionsExtensions(std::span<const ApiVersion> supported)
{
    ExtensionList extensions;
    for (const ApiVersion &v : supported) {
        Extension e{QString::number(v.major), QString::number(v.minor)};
        if (!extensions.contains(e))
            extensions.append(e);
    }
    return extensions;
}

std::expected<InboundHeaders, HeaderRejection>
validateInboundHeaders(QByteArrayView method, QStringView path, const HttpHeaders &headers,
                       const HeaderCheckOptions &options)
{
    InboundHeaders result;
    result.resource = resourceFromPath(path, options.multiDfsp);
    if (result.resource.isEmpty())
        return result;

    const bool isGet = method.compare("GET", Qt::CaseInsensitive) == 0;
    const auto accept = headerValue(headers, HeaderName::Accept);
    if (isGet || accept) {
        if (!accept)
            return std::unexpected(reject(3102, u"Accept header is required on GET"_s));
        auto parsed = parseAccept(fromLatin1(*accept));
        if (!parsed)
            return std::unexpected(reject(3101, parsed.error().message));
        if (parsed->resource != result.resource) {
            return std::unexpected(reject(3101, u"Accept: names resource \""_s + parsed->resource
                                                    + u"\", the request is for \""_s + result.resource + u'"'));
        }
        if (!negotiateVersion(*parsed, options.supported)) {
            return std::unexpected(reject(3001, u"Accept: none of the requested versions is supported"_s,
                                          supportedVersionsExtensions(options.supported)));
        }
        result.accept = std::move(*parsed);
    }

    const auto contentTypeValue = headerValue(headers, HeaderName::ContentType);
    if (!contentTypeValue)
        return std::unexpected(reject(3102, u"Content-Type header is required"_s));
    auto contentType = parseContentType(fromLatin1(*contentTypeValue));
    if (!contentType)
        return std::unexpected(reject(3101, contentType.error().message));
    if (contentType->resource != result.resource) {
        return std::unexpected(reject(3101, u"Content-Type: names resource \""_s + contentType->resource
                                                + u"\", the request is for \""_s + result.resource + u'"'));
    }
    if (!contentType->version || !isSupportedVersion(*contentType->version, options.supported)) {
        return std::unexpected(reject(3001, u"Content-Type: version "_s + contentType->versionText
                                                + u" is not supported"_s,
                                      supportedVersionsExtensions(options.supported)));
    }
    result.contentVersion = contentType->version;

    if (options.requireDateAndSource) {
        if (!headerValue(headers, HeaderName::Date))
            return std::unexpected(reject(3102, u"Date header is required"_s));
        const auto source = headerValue(headers, HeaderName::FspiopSource);
        if (!source || source->trimmed().isEmpty())
            return std::unexpected(reject(3102, u"FSPIOP-Source header is required"_s));
    }

    result.responseVersion = result.accept ? negotiateVersion(*result.accept, options.supported)
                                           : result.contentVersion;
    return result;
}

// ---------------------------------------------------------------------------------------------

QString formatHttpDate(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    const QDate d = utc.date();
    const QTime t = utc.time();
    return QString::fromUtf16(kWeekdays[std::size_t(d.dayOfWeek() - 1)]) + u", "_s + twoDigits(d.day()) + u' '
           + QString::fromUtf16(kMonths[std::size_t(d.month() - 1)]) + u' '
           + QString::number(d.year()).rightJustified(4, u'0') + u' ' + twoDigits(t.hour()) + u':'
           + twoDigits(t.minute()) + u':' + twoDigits(t.second()) + u" GMT"_s;
}

QString currentHttpDate()
{
    return formatHttpDate(QDateTime::currentDateTimeUtc());
}

Result<QDateTime> parseHttpDate(QStringView text)
{
    const auto malformed = [&] {
        return fail(3101, u"Date: \""_s + text + u"\" is not an HTTP date like \"Wed, 01 Jan 2025 00:00:00 GMT\""_s);
    };
    // "Wed, 01 Jan 2025 00:00:00 GMT": fixed positions, 29 characters.
    if (text.size() != 29 || text.sliced(3, 2) != u", " || text.at(7) != u' ' || text.at(11) != u' '
        || text.at(16) != u' ' || text.at(19) != u':' || text.at(22) != u':' || text.sliced(25) != u" GMT") {
        return malformed();
    }
    const auto number = [&](qsizetype from, qsizetype length) -> int {
        const QStringView digits = text.sliced(from, length);
        if (!std::all_of(digits.begin(), digits.end(), [](QChar c) { return c >= u'0' && c <= u'9'; }))
            return -1;
        return digits.toInt();
    };
    const QStringView weekday = text.first(3);
    const QStringView monthName = text.sliced(8, 3);
    const auto month = std::find_if(kMonths.begin(), kMonths.end(),
                                    [&](const char16_t *m) { return monthName == QStringView(m); });
    const int day = number(5, 2), year = number(12, 4);
    const int hour = number(17, 2), minute = number(20, 2), second = number(23, 2);
    if (month == kMonths.end() || day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0)
        return malformed();
    const QDate date(year, int(month - kMonths.begin()) + 1, day);
    const QTime time(hour, minute, second);
    if (!date.isValid() || !time.isValid())
        return malformed();
    if (weekday != QStringView(kWeekdays[std::size_t(date.dayOfWeek() - 1)])) {
        return fail(3101, u"Date: \""_s + text + u"\" names the wrong day of the week"_s);
    }
    return QDateTime(date, time, Qt::UTC);
}

// ---------------------------------------------------------------------------------------------

QByteArray TraceParent::toHeaderValue() const
{
    return QByteArray::number(version, 16).rightJustified(2, '0') + '-' + traceId + '-' + parentId + '-'
           + QByteArray::number(flags, 16).rightJustified(2, '0');
}

TraceParent TraceParent::child() const
{
    TraceParent next = *this;
    next.version = 0;
    next.parentId = randomHex(8);
    return next;
}

Result<TraceParent> TraceParent::parse(QByteArrayView value)
{
    const auto malformed = [&](const QString &why) {
        return fail(3101, u"traceparent: \""_s + fromLatin1(value) + u"\" "_s + why);
    };
    // version "-" trace-id "-" parent-id "-" flags = 2+1+32+1+16+1+2 = 55 characters
    if (value.size() < 55 || value[2] != '-' || value[35] != '-' || value[52] != '-')
        return malformed(u"is not 00-<32 hex>-<16 hex>-<2 hex>"_s);
    const QByteArrayView version = value.first(2);
    const QByteArrayView traceId = value.sliced(3, 32);
    const QByteArrayView parentId = value.sliced(36, 16);
    const QByteArrayView flags = value.sliced(53, 2);
    if (!isLowerHex(version) || !isLowerHex(traceId) || !isLowerHex(parentId) || !isLowerHex(flags))
        return malformed(u"must use lowercase hexadecimal digits"_s);
    if (version == "ff")
        return malformed(u"has the invalid version ff"_s);
    if (version == "00" && value.size() != 55)
        return malformed(u"has extra characters after the flags"_s);
    if (version != "00" && value.size() > 55 && value[55] != '-')
        return malformed(u"is not followed by \"-\" after the flags"_s);
    if (allZero(traceId))
        return malformed(u"has an all-zero trace-id"_s);
    if (allZero(parentId))
        return malformed(u"has an all-zero parent-id"_s);
    TraceParent result;
    result.version = quint8(version.toByteArray().toUInt(nullptr, 16));
    result.traceId = traceId.toByteArray();
    result.parentId = parentId.toByteArray();
    result.flags = quint8(flags.toByteArray().toUInt(nullptr, 16));
    return result;
}

TraceParent TraceParent::generate(quint8 flags)
{
    TraceParent result;
    result.traceId = randomHex(16);
    result.parentId = randomHex(8);
    result.flags = flags;
    return result;
}

Result<quint8> parseTraceFlags(QStringView text, QStringView settingName)
{
    const QByteArray latin = text.trimmed().toLatin1();
    if (latin.size() != 2 || !std::all_of(latin.begin(), latin.end(), [](char c) {
            return isLowerHex(c) || (c >= 'A' && c <= 'F');
        })) {
        return fail(3101, settingName + u": \""_s + text + u"\" is not two hexadecimal digits (for example 01)"_s);
    }
    return quint8(latin.toUInt(nullptr, 16));
}

TraceContext TraceContext::fromHeaders(const HttpHeaders &headers, quint8 flags)
{
    TraceContext context;
    context.baggage = headerValue(headers, HeaderName::Baggage).value_or(QByteArray());
    if (const auto value = headerValue(headers, HeaderName::Traceparent)) {
        if (auto parsed = TraceParent::parse(value->trimmed())) {
            context.traceparent = std::move(*parsed);
            context.tracestate = headerValue(headers, HeaderName::Tracestate).value_or(QByteArray());
            return context;
        }
    }
    context.traceparent = TraceParent::generate(flags);
    return context;
}

void TraceContext::applyTo(HttpHeaders &headers) const
{
    setHeader(headers, HeaderName::Traceparent, traceparent.toHeaderValue());
    if (!tracestate.isEmpty())
        setHeader(headers, HeaderName::Tracestate, tracestate);
    if (!baggage.isEmpty())
        setHeader(headers, HeaderName::Baggage, baggage);
}

QByteArray TraceContext::tracestateWith(QByteArrayView key, QByteArrayView value) const
{
    QByteArray entry = key.toByteArray() + '=' + value.toByteArray();
    return tracestate.isEmpty() ? entry : tracestate + ',' + entry;
}

// ---------------------------------------------------------------------------------------------

ResourceVersions::ResourceVersions()
{
    for (const QString &resource : protocolResources())
        m_versions.insert(resource, Versions::V2_0);
    m_versions.insert(u"ping"_s, Versions::V2_0);
}

Result<ResourceVersions> ResourceVersions::parse(QStringView text, QStringView settingName,
                                                 const ResourceVersions &base)
{
    ResourceVersions result = base;
    if (text.trimmed().isEmpty())
        return result;
    for (QStringView entry : text.split(u',')) {
        entry = entry.trimmed();
        const qsizetype eq = entry.indexOf(u'=');
        if (eq <= 0) {
            return fail(3101, settingName + u": \""_s + entry
                                  + u"\" is not name=X.Y (for example parties=1.1,quotes=1.1)"_s);
        }
        const QString name = entry.first(eq).trimmed().toString();
        if (!isProtocolResource(name) && name != u"ping") {
            return fail(3101, settingName + u": unknown resource \""_s + name + u"\" (known: "_s
                                  + protocolResources().join(u", "_s) + u", ping)"_s);
        }
        auto version = ApiVersion::parse(entry.sliced(eq + 1).trimmed());
        if (!version) {
            return fail(3101, settingName + u": "_s + name + u" has version \""_s + entry.sliced(eq + 1).trimmed()
                                  + u"\", expected X.Y"_s);
        }
        if (!isSupportedVersion(*version)) {
            return fail(3101, settingName + u": "_s + name + u" has version "_s + version->toString()
                                  + u", which is not one of 1.0, 1.1, 2.0"_s);
        }
        result.m_versions.insert(name, *version);
    }
    return result;
}

ApiVersion ResourceVersions::version(QStringView resource) const
{
    return m_versions.value(resource.toString(), Versions::V2_0);
}

void ResourceVersions::setVersion(const QString &resource, ApiVersion version)
{
    m_versions.insert(resource, version);
}

QString ResourceVersions::contentType(QStringView resource) const
{
    return Fspiop::contentType(resource, version(resource));
}

QString ResourceVersions::acceptType(QStringView resource) const
{
    return Fspiop::acceptType(resource, version(resource));
}

QString ResourceVersions::toString() const
{
    QStringList names = m_versions.keys();
    names.sort();
    QStringList entries;
    for (const QString &name : names)
        entries.append(name + u'=' + m_versions.value(name).toString());
    return entries.join(u',');
}

} // namespace Pm::Fspiop
