#pragma once

#include "core/base/result.h"

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <chrono>
#include <memory>
#include <optional>
#include <utility>

/**
 * Test harness that runs our connector as a real process, `pm-connector run`, configured the way
 * the reference SDK is: by environment variables (the same names; see docs/configuration.md).
 *
 * The process gets only the variables given (plus PATH, LC_ALL and the Qt logging variables
 * below), so a setting in the developer's shell cannot leak in. Its store lives in its own
 * temporary data directory (kept with PM_INTEROP_KEEP_RUNDIR=1). stdout goes to pm-connector.out,
 * stderr to pm-connector.log in that directory; the test reads the log after the fact.
 *
 * Qt log lines are written as "<type> <category>: <message>" (QT_MESSAGE_PATTERN), so that every
 * line of the log has a level: see ConnectorLogLine.
 *
 * The child gets SIGKILL when the test process dies (PR_SET_PDEATHSIG), like the reference SDK
 * and redis-server children of referencesdk.h. See docs/interop.md.
 */
namespace Pm::Interop {

/** One line of pm-connector's stderr, classified. */
struct ConnectorLogLine
{
    int lineNumber = 0; ///< 1-based
    /**
     * "debug", "info", "warning", "critical", "fatal" for Qt log lines; "warning" for the CLI's
     * "pm-connector: warning: …" lines; "info" for "pm-connector: stopped"; "error" for any other
     * "pm-connector: …" line (the CLI's one-line failures); "unparsed" for anything else.
     */
    QString level;
    QString category; ///< the Qt logging category, or "pm-connector" for the CLI's own lines
    QString message;
    QByteArray line; ///< as written

    /** Warning level or worse, or a line that is not in any known form. */
    bool isProblem() const;
};

/** One pm-connector process. */
class ConnectorProcess
{
public:
    ConnectorProcess();
    /** Stops the process (SIGTERM, then SIGKILL). */
    ~ConnectorProcess();
    ConnectorProcess(const ConnectorProcess &) = delete;
    ConnectorProcess &operator=(const ConnectorProcess &) = delete;

    /** The pm-connector executable this build made (a compile definition from CMake). */
    static QString executable();

    /**
     * Starts `pm-connector run --data-dir <fresh temporary dir>` with `environment` and waits until
     * it has printed its three listener lines ("inbound 127.0.0.1:PORT", "outbound …", "metrics
     * …"), at most `timeout`. Fails with the exit code and the log if the process exits (an invalid
     * setting exits 2, a port in use 1) or does not get ready in time.
     */
    Result<void> start(const QList<std::pair<QString, QString>> &environment,
        std::chrono::milliseconds timeout = std::chrono::seconds { 30 });

    /**
     * SIGTERM and wait (at most `grace`) for the graceful stop, which flushes the store; SIGKILL
     * after that. Returns the exit code, or an error if it had to be killed or crashed. Safe to
     * call more than once (later calls return the first result).
     */
    Result<int> stop(std::chrono::milliseconds grace = std::chrono::seconds { 20 });

    bool isRunning() const;
    qint64 pid() const;
    QString dataDir() const;
    /** The SQLite store in the data directory ("connector.sqlite"). */
    QString storePath() const;
    QString logPath() const; ///< stderr
    QString stdoutPath() const;
    quint16 inboundPort() const { return m_inboundPort; }
    quint16 outboundPort() const { return m_outboundPort; }
    quint16 metricsPort() const { return m_metricsPort; }
    /** "http://127.0.0.1:<outbound port>" (the outbound API is always plain HTTP). */
    QString outboundUrl() const;
    /** How long start() waited for the listener lines. */
    std::chrono::milliseconds startupTime() const { return m_startupTime; }

    /** Every line of stderr so far, classified. */
    QList<ConnectorLogLine> logLines() const;
    /** The lines for which ConnectorLogLine::isProblem() holds, in order. */
    QList<ConnectorLogLine> logProblems() const;
    /** The last `maxBytes` of stdout and stderr, for failure messages. */
    QString logTail(qsizetype maxBytes = 4000) const;

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_inboundPort = 0;
    quint16 m_outboundPort = 0;
    quint16 m_metricsPort = 0;
    std::chrono::milliseconds m_startupTime { 0 };
    std::optional<Result<int>> m_stopResult;
};

/**
 * Parses one stderr line of pm-connector as written with the harness's QT_MESSAGE_PATTERN (exposed
 * for the harness's own checks).
 */
ConnectorLogLine parseConnectorLogLine(const QByteArray &line, int lineNumber);

} // namespace Pm::Interop
