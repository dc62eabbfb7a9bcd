#include "tests/interop/connectorprocess.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <csignal>
#include <sys/prctl.h>

using namespace Qt::StringLiterals;

namespace Pm::Interop {

namespace {

/** Every Qt log line of the child starts with its type, so the test can tell the levels apart. */
constexpr auto MessagePattern = "%{type} %{category}: %{message}";

void dieWithParent()
{
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
}

QByteArray readTail(const QString &path, qsizetype maxBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "<cannot read " + path.toUtf8() + ">";
    const qint64 size = file.size();
    if (size > maxBytes)
        file.seek(size - maxBytes);
    return file.readAll();
}

} // namespace

bool ConnectorLogLine::isProblem() const
{
    return level == u"warning" || level == u"critical" || level == u"fatal" || level == u"error"
        || level == u"unparsed";
}

ConnectorLogLine parseConnectorLogLine(const QByteArray &line, int lineNumber)
{
    ConnectorLogLine entry;
    entry.lineNumber = lineNumber;
    entry.line = line;
    const QString text = QString::fromUtf8(line);

    // The CLI's own lines: "pm-connector: warning: …", "pm-connector: stopped", or a failure.
    static const QString cliPrefix = u"pm-connector: "_s;
    if (text.startsWith(cliPrefix)) {
        entry.category = u"pm-connector"_s;
        const QString rest = text.mid(cliPrefix.size());
        if (rest.startsWith(u"warning: "_s)) {
            entry.level = u"warning"_s;
            entry.message = rest.mid(9);
        } else if (rest == u"stopped"_s) {
            entry.level = u"info"_s;
            entry.message = rest;
        } else {
            entry.level = u"error"_s;
            entry.message = rest;
        }
        return entry;
    }

    // Qt log lines: "<type> <category>: <message>".
    static const QRegularExpression qtLine(
        u"^(debug|info|warning|critical|fatal) ([A-Za-z0-9_.\\-]+): (.*)$"_s);
    const auto match = qtLine.match(text);
    if (match.hasMatch()) {
        entry.level = match.captured(1);
        entry.category = match.captured(2);
        entry.message = match.captured(3);
        return entry;
    }
    entry.level = u"unparsed"_s;
    entry.message = text;
    return entry;
}

ConnectorProcess::ConnectorProcess() = default;

ConnectorProcess::~ConnectorProcess()
{
    if (isRunning()) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

QString ConnectorProcess::executable()
{
    return QStringLiteral(PM_CONNECTOR_EXECUTABLE);
}

Result<void> ConnectorProcess::start(
    const QList<std::pair<QString, QString>> &environment, std::chrono::milliseconds timeout)
{
    if (m_process)
        return fail(0, u"pm-connector already started"_s);
    if (!QFileInfo(executable()).isExecutable())
        return fail(0,
            u"pm-connector is not built: %1 is missing; build the pm-connector target"_s.arg(
                executable()));
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid())
        return fail(0, u"cannot create pm-connector's data directory"_s, m_dir->errorString());
    if (qEnvironmentVariableIsSet("PM_INTEROP_KEEP_RUNDIR"))
        m_dir->setAutoRemove(false);

    QProcessEnvironment env;
    env.insert(u"PATH"_s, qEnvironmentVariable("PATH"));
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    env.insert(u"QT_MESSAGE_PATTERN"_s, QString::fromLatin1(MessagePattern));
    env.insert(u"QT_FORCE_STDERR_LOGGING"_s, u"1"_s);
    for (const auto &[name, value] : environment)
        env.insert(name, value);

    m_process = std::make_unique<QProcess>();
    m_process->setProgram(executable());
    m_process->setArguments({ u"run"_s, u"--data-dir"_s, m_dir->path() });
    m_process->setWorkingDirectory(m_dir->path());
    m_process->setProcessEnvironment(env);
    m_process->setChildProcessModifier(dieWithParent);
    m_process->setStandardOutputFile(stdoutPath());
    m_process->setStandardErrorFile(logPath());

    QElapsedTimer clock;
    clock.start();
    m_process->start();
    if (!m_process->waitForStarted(10000))
        return fail(0, u"cannot start pm-connector: %1"_s.arg(m_process->errorString()));

    static const QRegularExpression listener(
        u"^(inbound|outbound|metrics) [^\\s]+:(\\d+)$"_s, QRegularExpression::MultilineOption);
    const QDeadlineTimer deadline(timeout);
    while (!deadline.hasExpired()) {
        if (m_process->state() == QProcess::NotRunning || m_process->waitForFinished(0))
            return fail(0,
                u"pm-connector exited during startup (exit code %1); log follows"_s.arg(
                    m_process->exitCode()),
                logTail());
        QFile out(stdoutPath());
        if (out.open(QIODevice::ReadOnly)) {
            const QString text = QString::fromUtf8(out.readAll());
            auto it = listener.globalMatch(text);
            while (it.hasNext()) {
                const auto m = it.next();
                const quint16 port = quint16(m.captured(2).toUInt());
                if (m.captured(1) == u"inbound")
                    m_inboundPort = port;
                else if (m.captured(1) == u"outbound")
                    m_outboundPort = port;
                else
                    m_metricsPort = port;
            }
        }
        if (m_inboundPort && m_outboundPort && m_metricsPort) {
            m_startupTime = std::chrono::milliseconds(clock.elapsed());
            return {};
        }
        m_process->waitForFinished(50); // a bounded sleep that also notices an exit
    }
    const QString tail = logTail();
    m_process->kill();
    m_process->waitForFinished(5000);
    return fail(0,
        u"pm-connector did not print its listeners within %1 ms; log follows"_s.arg(
            timeout.count()),
        tail);
}

Result<int> ConnectorProcess::stop(std::chrono::milliseconds grace)
{
    if (m_stopResult)
        return *m_stopResult;
    if (!m_process)
        return fail(0, u"pm-connector was not started"_s);
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(int(grace.count()))) {
            m_process->kill();
            m_process->waitForFinished(5000);
            m_stopResult = fail(0,
                u"pm-connector did not stop within %1 ms of SIGTERM; killed"_s.arg(grace.count()),
                logTail());
            return *m_stopResult;
        }
    }
    if (m_process->exitStatus() == QProcess::CrashExit)
        m_stopResult = fail(0, u"pm-connector crashed; log follows"_s, logTail());
    else
        m_stopResult = m_process->exitCode();
    return *m_stopResult;
}

bool ConnectorProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 ConnectorProcess::pid() const
{
    return m_process ? m_process->processId() : 0;
}

QString ConnectorProcess::dataDir() const
{
    return m_dir ? m_dir->path() : QString();
}

QString ConnectorProcess::storePath() const
{
    return m_dir ? m_dir->filePath(u"connector.sqlite"_s) : QString();
}

QString ConnectorProcess::logPath() const
{
    return m_dir ? m_dir->filePath(u"pm-connector.log"_s) : QString();
}

QString ConnectorProcess::stdoutPath() const
{
    return m_dir ? m_dir->filePath(u"pm-connector.out"_s) : QString();
}

QString ConnectorProcess::outboundUrl() const
{
    return u"http://127.0.0.1:%1"_s.arg(m_outboundPort);
}

QList<ConnectorLogLine> ConnectorProcess::logLines() const
{
    QList<ConnectorLogLine> lines;
    QFile file(logPath());
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    const QList<QByteArray> raw = file.readAll().split('\n');
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw[i].trimmed().isEmpty())
            continue;
        lines.append(parseConnectorLogLine(raw[i], int(i + 1)));
    }
    return lines;
}

QList<ConnectorLogLine> ConnectorProcess::logProblems() const
{
    QList<ConnectorLogLine> problems;
    for (ConnectorLogLine &line : logLines()) {
        if (line.isProblem())
            problems.append(std::move(line));
    }
    return problems;
}

QString ConnectorProcess::logTail(qsizetype maxBytes) const
{
    if (!m_dir)
        return {};
    return u"--- %1 (tail)\n"_s.arg(stdoutPath())
        + QString::fromUtf8(readTail(stdoutPath(), maxBytes))
        + u"\n--- %1 (tail)\n"_s.arg(logPath()) + QString::fromUtf8(readTail(logPath(), maxBytes));
}

} // namespace Pm::Interop
