#pragma once

// Internal: incremental HTTP/1.x message parser shared by the server (requests) and the client
// (responses). Not part of the public API.

#include "core/net/httpheaders.h"

#include <QByteArray>
#include <QByteArrayView>

namespace Pm::Net::Internal {

/** Parses one HTTP/1.x message at a time from the front of a growing input buffer. */
class MessageParser
{
public:
    enum class Kind { Request, Response };
    enum class State { NeedMore, Complete, Failed };

    MessageParser(Kind kind, qsizetype maxHeaderBytes, qsizetype maxBodyBytes);

    /**
     * Continues parsing `buffer`, whose front is the start of the current message and which holds
     * at least the bytes seen on the previous call. On Complete, consumed() bytes belong to it.
     */
    State parse(QByteArrayView buffer);
    /** The peer closed the connection: completes a read-until-close response body. */
    State finishAtEndOfStream();
    /** Forgets the current message; the next parse() starts a new one. */
    void reset();

    /** Responses only: the request was HEAD, so the response has no body. */
    void setRequestWasHead(bool head) { m_requestWasHead = head; }

    bool headComplete() const { return m_phase == Phase::Body || m_phase == Phase::Done; }
    qsizetype consumed() const { return m_pos; }
    /** True once the head is parsed and the message declares a body still to be received. */
    bool expectsBody() const { return m_bodyMode != BodyMode::None; }

    // Parsed message (valid once headComplete()).
    QByteArray method;
    QByteArray target;
    int versionMinor = 1;
    int status = 0;
    QByteArray reason;
    HttpHeaders headers;
    QByteArray body;

    // Failure (valid when parse() returned Failed): the HTTP status a server should answer with,
    // and a one-line description.
    int errorStatus = 0;
    QByteArray errorText;

private:
    enum class Phase { Head, Body, Done, Failed };
    enum class BodyMode { None, Length, Chunked, UntilClose };
    enum class ChunkPhase { Size, Data, DataEnd, Trailer };

    State fail(int status, QByteArray text);
    State parseHead(QByteArrayView head);
    State decideBody();
    State parseBody(QByteArrayView buffer);
    State parseChunked(QByteArrayView buffer);

    Kind m_kind;
    qsizetype m_maxHeaderBytes;
    qsizetype m_maxBodyBytes;
    bool m_requestWasHead = false;

    Phase m_phase = Phase::Head;
    BodyMode m_bodyMode = BodyMode::None;
    ChunkPhase m_chunkPhase = ChunkPhase::Size;
    bool m_started = false;    // leading empty lines skipped, m_start is final
    qsizetype m_start = 0;     // bytes of leading empty lines skipped
    qsizetype m_scanFrom = 0;  // where to resume looking for the end of the head
    qsizetype m_pos = 0;       // bytes of the buffer consumed so far
    qsizetype m_remaining = 0; // body bytes (Length) or chunk bytes (Chunked) still expected
    qsizetype m_trailerBytes = 0;
};

} // namespace Pm::Net::Internal
