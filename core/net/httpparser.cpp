#include "core/net/httpparser_p.h"

#include <limits>

using namespace Qt::StringLiterals;

namespace Pm::Net::Internal {

namespace {

constexpr qsizetype MaxRequestLineBytes = 8192;
constexpr qsizetype MaxChunkLineBytes = 1024;

bool isTchar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTchar(c))
            return false;
    }
    return true;
}

QByteArrayView trimOws(QByteArrayView s)
{
    while (!s.isEmpty() && (s.front() == ' ' || s.front() == '\t'))
        s = s.sliced(1);
    while (!s.isEmpty() && (s.back() == ' ' || s.back() == '\t'))
        s.chop(1);
    return s;
}

QByteArrayView stripCr(QByteArrayView line)
{
    if (!line.isEmpty() && line.back() == '\r')
        line.chop(1);
    return line;
}

/** Parses a non-empty string of decimal digits; -1 if invalid or too large. */
qsizetype parseDecimal(QByteArrayView s)
{
    if (s.isEmpty() || s.size() > 18)
        return -1;
    qsizetype value = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

/** Parses a hexadecimal chunk size; -1 if invalid or too large. */
qsizetype parseHex(QByteArrayView s)
{
    if (s.isEmpty() || s.size() > 15)
        return -1;
    qsizetype value = 0;
    for (char c : s) {
        int digit;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        else
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

/** Parses "HTTP/1.x": the minor version, -1 for another well-formed version, -2 if malformed. */
int parseVersion(QByteArrayView v)
{
    if (v.size() != 8 || !v.startsWith("HTTP/") || v[6] != '.' || v[5] < '0' || v[5] > '9'
        || v[7] < '0' || v[7] > '9')
        return -2;
    if (v[5] != '1')
        return -1;
    return v[7] - '0';
}

} // namespace

MessageParser::MessageParser(Kind kind, qsizetype maxHeaderBytes, qsizetype maxBodyBytes)
    : m_kind(kind)
    , m_maxHeaderBytes(maxHeaderBytes)
    , m_maxBodyBytes(maxBodyBytes)
{
}

void MessageParser::reset()
{
    method.clear();
    target.clear();
    versionMinor = 1;
    status = 0;
    reason.clear();
    headers = {};
    body.clear();
    errorStatus = 0;
    errorText.clear();
    m_requestWasHead = false;
    m_phase = Phase::Head;
    m_bodyMode = BodyMode::None;
    m_chunkPhase = ChunkPhase::Size;
    m_start = 0;
    m_started = false;
    m_scanFrom = 0;
    m_pos = 0;
    m_remaining = 0;
    m_trailerBytes = 0;
}

MessageParser::State MessageParser::fail(int httpStatus, QByteArray text)
{
    m_phase = Phase::Failed;
    errorStatus = httpStatus;
    errorText = std::move(text);
    return State::Failed;
}

MessageParser::State MessageParser::parse(QByteArrayView buffer)
{
    switch (m_phase) {
    case Phase::Failed:
        return State::Failed;
    case Phase::Done:
        return State::Complete;
    case Phase::Body:
        return parseBody(buffer);
    case Phase::Head:
        break;
    }

    // Skip empty lines before the start line (RFC 9112 §2.2).
    if (!m_started) {
        while (m_start < buffer.size()) {
            if (buffer[m_start] == '\n')
                ++m_start;
            else if (buffer[m_start] == '\r' && m_start + 1 < buffer.size()
                     && buffer[m_start + 1] == '\n')
                m_start += 2;
            else
                break;
        }
        if (m_start >= buffer.size() || (buffer.size() - m_start == 1 && buffer[m_start] == '\r'))
            return State::NeedMore;
        m_scanFrom = m_start;
        m_started = true;
    }

    // Find the empty line that ends the head.
    qsizetype headEnd = -1;  // index just past the empty line
    qsizetype i = m_scanFrom;
    while (true) {
        const qsizetype nl = buffer.indexOf('\n', i);
        if (nl < 0) {
            m_scanFrom = buffer.size() > m_scanFrom ? buffer.size() - 1 : m_scanFrom;
            break;
        }
        if (nl + 1 >= buffer.size()) {
            m_scanFrom = nl;
            break;
        }
        if (buffer[nl + 1] == '\n') {
            headEnd = nl + 2;
            break;
        }
        if (buffer[nl + 1] == '\r') {
            if (nl + 2 >= buffer.size()) {
                m_scanFrom = nl;
                break;
            }
            if (buffer[nl + 2] == '\n') {
                headEnd = nl + 3;
                break;
            }
        }
        i = nl + 1;
    }

    if (headEnd < 0) {
        const qsizetype pending = buffer.size() - m_start;
        if (m_kind == Kind::Request) {
            const qsizetype firstNl = buffer.indexOf('\n', m_start);
            const qsizetype lineLen = firstNl < 0 ? pending : firstNl - m_start;
            if (lineLen > MaxRequestLineBytes)
                return fail(414, "request line too long"_ba);
        }
        if (pending > m_maxHeaderBytes)
            return fail(431, "header section too large"_ba);
        return State::NeedMore;
    }
    if (headEnd - m_start > m_maxHeaderBytes)
        return fail(431, "header section too large"_ba);

    m_pos = headEnd;
    const State headState = parseHead(buffer.sliced(m_start, headEnd - m_start));
    if (headState == State::Failed)
        return headState;
    const State bodyState = decideBody();
    if (bodyState != State::NeedMore)
        return bodyState;
    m_phase = Phase::Body;
    return parseBody(buffer);
}

MessageParser::State MessageParser::parseHead(QByteArrayView head)
{
    qsizetype lineStart = 0;
    bool first = true;
    while (lineStart < head.size()) {
        const qsizetype nl = head.indexOf('\n', lineStart);
        Q_ASSERT(nl >= 0);
        const QByteArrayView line = stripCr(head.sliced(lineStart, nl - lineStart));
        lineStart = nl + 1;
        if (line.isEmpty())
            break; // the terminating empty line
        if (first) {
            first = false;
            const qsizetype sp1 = line.indexOf(' ');
            if (sp1 <= 0)
                return fail(400, "malformed start line"_ba);
            if (m_kind == Kind::Request) {
                if (line.size() > MaxRequestLineBytes)
                    return fail(414, "request line too long"_ba);
                const qsizetype sp2 = line.indexOf(' ', sp1 + 1);
                if (sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0)
                    return fail(400, "malformed request line"_ba);
                const QByteArrayView m = line.first(sp1);
                const QByteArrayView t = line.sliced(sp1 + 1, sp2 - sp1 - 1);
                const int minor = parseVersion(line.sliced(sp2 + 1));
                if (!isToken(m) || t.isEmpty())
                    return fail(400, "malformed request line"_ba);
                for (char c : t) {
                    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
                        return fail(400, "malformed request target"_ba);
                }
                if (minor == -2)
                    return fail(400, "malformed HTTP version"_ba);
                if (minor == -1)
                    return fail(505, "unsupported HTTP version"_ba);
                method = m.toByteArray();
                target = t.toByteArray();
                versionMinor = minor;
            } else {
                const int minor = parseVersion(line.first(sp1));
                if (minor < 0)
                    return fail(502, "malformed status line"_ba);
                const qsizetype sp2 = line.indexOf(' ', sp1 + 1);
                const QByteArrayView code = sp2 < 0 ? line.sliced(sp1 + 1)
                                                    : line.sliced(sp1 + 1, sp2 - sp1 - 1);
                const qsizetype s = parseDecimal(code);
                if (code.size() != 3 || s < 100 || s > 999)
                    return fail(502, "malformed status line"_ba);
                versionMinor = minor;
                status = int(s);
                reason = sp2 < 0 ? QByteArray() : line.sliced(sp2 + 1).toByteArray();
            }
            continue;
        }
        const int badStatus = m_kind == Kind::Request ? 400 : 502;
        if (line.front() == ' ' || line.front() == '\t')
            return fail(badStatus, "obsolete header line folding"_ba);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)))
            return fail(badStatus, "malformed header field"_ba);
        const QByteArrayView value = trimOws(line.sliced(colon + 1));
        for (char c : value) {
            if (c == '\0' || c == '\r' || c == '\n')
                return fail(badStatus, "invalid character in header value"_ba);
        }
        headers.add(line.first(colon).toByteArray(), value.toByteArray());
    }
    if (first)
        return fail(400, "empty start line"_ba);
    return State::NeedMore;
}

MessageParser::State MessageParser::decideBody()
{
    const bool request = m_kind == Kind::Request;
    const int badStatus = request ? 400 : 502;

    if (!request && (m_requestWasHead || (status >= 100 && status < 200) || status == 204
                     || status == 304)) {
        m_bodyMode = BodyMode::None;
        m_phase = Phase::Done;
        return State::Complete;
    }

    const QList<QByteArray> te = headers.values("transfer-encoding");
    const QList<QByteArray> cl = headers.values("content-length");
    if (!te.isEmpty()) {
        if (request && versionMinor == 0)
            return fail(400, "transfer-encoding in an HTTP/1.0 request"_ba);
        if (!cl.isEmpty())
            return fail(badStatus, "both transfer-encoding and content-length"_ba);
        QByteArray codings;
        for (const QByteArray &v : te)
            codings += (codings.isEmpty() ? ""_ba : ","_ba) + v;
        const QList<QByteArray> parts = codings.split(',');
        bool chunkedLast = equalsIgnoringCase(parts.last().trimmed(), "chunked");
        if (request && (parts.size() != 1 || !chunkedLast))
            return fail(501, "unsupported transfer-encoding"_ba);
        if (chunkedLast) {
            m_bodyMode = BodyMode::Chunked;
            m_chunkPhase = ChunkPhase::Size;
            return State::NeedMore;
        }
        m_bodyMode = BodyMode::UntilClose;
        return State::NeedMore;
    }
    if (!cl.isEmpty()) {
        qsizetype length = -1;
        for (const QByteArray &v : cl) {
            for (const QByteArray &part : v.split(',')) {
                const qsizetype n = parseDecimal(trimOws(part));
                if (n < 0 || (length >= 0 && n != length))
                    return fail(badStatus, "invalid content-length"_ba);
                length = n;
            }
        }
        if (length > m_maxBodyBytes)
            return fail(413, "body larger than "_ba + QByteArray::number(m_maxBodyBytes) + " bytes"_ba);
        if (length == 0) {
            m_phase = Phase::Done;
            return State::Complete;
        }
        m_bodyMode = BodyMode::Length;
        m_remaining = length;
        body.reserve(length);
        return State::NeedMore;
    }
    if (request) {
        m_phase = Phase::Done;
        return State::Complete;
    }
    m_bodyMode = BodyMode::UntilClose;
    return State::NeedMore;
}

MessageParser::State MessageParser::parseBody(QByteArrayView buffer)
{
    switch (m_bodyMode) {
    case BodyMode::None:
        m_phase = Phase::Done;
        return State::Complete;
    case BodyMode::Length: {
        const qsizetype take = std::min(m_remaining, buffer.size() - m_pos);
        body.append(buffer.sliced(m_pos, take));
        m_pos += take;
        m_remaining -= take;
        if (m_remaining > 0)
            return State::NeedMore;
        m_phase = Phase::Done;
        return State::Complete;
    }
    case BodyMode::UntilClose: {
        body.append(buffer.sliced(m_pos));
        m_pos = buffer.size();
        if (body.size() > m_maxBodyBytes)
            return fail(413, "body larger than "_ba + QByteArray::number(m_maxBodyBytes) + " bytes"_ba);
        return State::NeedMore;
    }
    case BodyMode::Chunked:
        return parseChunked(buffer);
    }
    return State::NeedMore;
}

MessageParser::State MessageParser::parseChunked(QByteArrayView buffer)
{
    const int badStatus = m_kind == Kind::Request ? 400 : 502;
    while (true) {
        switch (m_chunkPhase) {
        case ChunkPhase::Size: {
            const qsizetype nl = buffer.indexOf('\n', m_pos);
            if (nl < 0) {
                if (buffer.size() - m_pos > MaxChunkLineBytes)
                    return fail(badStatus, "malformed chunk size"_ba);
                return State::NeedMore;
            }
            QByteArrayView line = stripCr(buffer.sliced(m_pos, nl - m_pos));
            const qsizetype semi = line.indexOf(';');
            if (semi >= 0)
                line = line.first(semi);
            const qsizetype size = parseHex(trimOws(line));
            if (size < 0)
                return fail(badStatus, "malformed chunk size"_ba);
            if (size > m_maxBodyBytes - body.size())
                return fail(413, "body larger than "_ba + QByteArray::number(m_maxBodyBytes) + " bytes"_ba);
            m_pos = nl + 1;
            if (size == 0) {
                m_chunkPhase = ChunkPhase::Trailer;
            } else {
                m_remaining = size;
                m_chunkPhase = ChunkPhase::Data;
            }
            break;
        }
        case ChunkPhase::Data: {
            const qsizetype take = std::min(m_remaining, buffer.size() - m_pos);
            body.append(buffer.sliced(m_pos, take));
            m_pos += take;
            m_remaining -= take;
            if (m_remaining > 0)
                return State::NeedMore;
            m_chunkPhase = ChunkPhase::DataEnd;
            break;
        }
        case ChunkPhase::DataEnd: {
            if (m_pos >= buffer.size())
                return State::NeedMore;
            if (buffer[m_pos] == '\n') {
                m_pos += 1;
            } else if (buffer[m_pos] == '\r') {
                if (m_pos + 1 >= buffer.size())
                    return State::NeedMore;
                if (buffer[m_pos + 1] != '\n')
                    return fail(badStatus, "malformed chunk"_ba);
                m_pos += 2;
            } else {
                return fail(badStatus, "malformed chunk"_ba);
            }
            m_chunkPhase = ChunkPhase::Size;
            break;
        }
        case ChunkPhase::Trailer: {
            const qsizetype nl = buffer.indexOf('\n', m_pos);
            if (nl < 0) {
                if (m_trailerBytes + buffer.size() - m_pos > m_maxHeaderBytes)
                    return fail(431, "trailer section too large"_ba);
                return State::NeedMore;
            }
            const QByteArrayView line = stripCr(buffer.sliced(m_pos, nl - m_pos));
            m_trailerBytes += nl + 1 - m_pos;
            if (m_trailerBytes > m_maxHeaderBytes)
                return fail(431, "trailer section too large"_ba);
            m_pos = nl + 1;
            if (line.isEmpty()) {
                m_phase = Phase::Done;
                return State::Complete;
            }
            break; // trailer fields are read and ignored
        }
        }
    }
}

MessageParser::State MessageParser::finishAtEndOfStream()
{
    if (m_phase == Phase::Body && m_bodyMode == BodyMode::UntilClose) {
        m_phase = Phase::Done;
        return State::Complete;
    }
    if (m_phase == Phase::Done)
        return State::Complete;
    if (m_phase == Phase::Failed)
        return State::Failed;
    return fail(m_kind == Kind::Request ? 400 : 502, "connection closed in the middle of a message"_ba);
}

} // namespace Pm::Net::Internal
