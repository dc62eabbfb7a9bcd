#include "tests/interop/referencesdk.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <array>
#include <csignal>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sys/prctl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Pm::Interop {

namespace {

template<class T, void (*F)(T *)> struct OsslDel
{
    void operator()(T *p) const { F(p); }
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OsslDel<EVP_PKEY, &EVP_PKEY_free>>;
void freeBio(BIO *bio)
{
    BIO_free(bio);
}
using BioPtr = std::unique_ptr<BIO, OsslDel<BIO, &freeBio>>;

constexpr auto StopGrace = std::chrono::milliseconds { 5000 };

/** SIGTERM, wait, SIGKILL, wait: a child never outlives its owner. */
void stopProcess(QProcess *process)
{
    if (!process || process->state() == QProcess::NotRunning)
        return;
    process->terminate();
    if (!process->waitForFinished(int(StopGrace.count()))) {
        process->kill();
        process->waitForFinished(2000);
    }
}

/**
 * Runs in the child between fork and exec: the child gets SIGKILL when the test process dies, so a
 * crashed or timed-out test (ctest kills it) never leaves a node or redis-server behind.
 */
void dieWithParent()
{
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/** True if something accepts TCP connections on 127.0.0.1:port. */
bool acceptsConnections(quint16 port, int waitMs = 200)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    const bool ok = socket.waitForConnected(waitMs);
    socket.abort();
    return ok;
}

QByteArray fileTail(const QString &path, qsizetype maxBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "<cannot read " + path.toUtf8() + ">";
    const qint64 size = file.size();
    if (size > maxBytes)
        file.seek(size - maxBytes);
    return file.readAll();
}

QString boolText(bool value)
{
    return value ? u"true"_s : u"false"_s;
}

/** "0100007F" (little-endian words, as /proc/net/tcp writes them) → address. */
std::optional<QHostAddress> parseProcAddress(QByteArrayView hex)
{
    if (hex.size() == 8) {
        bool ok = false;
        const quint32 raw = hex.toByteArray().toUInt(&ok, 16);
        if (!ok)
            return std::nullopt;
        // The kernel prints the in-memory (network order) word as a host-order integer.
        const auto *bytes = reinterpret_cast<const quint8 *>(&raw);
        return QHostAddress((quint32(bytes[0]) << 24) | (quint32(bytes[1]) << 16)
            | (quint32(bytes[2]) << 8) | quint32(bytes[3]));
    }
    if (hex.size() == 32) {
        Q_IPV6ADDR address {};
        for (int word = 0; word < 4; ++word) {
            bool ok = false;
            const quint32 raw = hex.sliced(word * 8, 8).toByteArray().toUInt(&ok, 16);
            if (!ok)
                return std::nullopt;
            const auto *bytes = reinterpret_cast<const quint8 *>(&raw);
            for (int i = 0; i < 4; ++i)
                address[word * 4 + i] = bytes[i];
        }
        return QHostAddress(address);
    }
    return std::nullopt;
}

} // namespace

// -------------------------------------------------------------------------------------------------

Result<QList<ListeningSocket>> listeningSockets(qint64 pid)
{
    if (pid <= 0)
        return fail(0, u"listeningSockets: no process"_s);
    const QString fdDir = u"/proc/%1/fd"_s.arg(pid);
    const QStringList fds
        = QDir(fdDir).entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot);
    if (fds.isEmpty())
        return fail(0, u"listeningSockets: cannot read %1"_s.arg(fdDir));

    QSet<QByteArray> inodes;
    for (const QString &fd : fds) {
        const QByteArray link = QFile::encodeName(fdDir + u'/' + fd);
        std::array<char, 256> target {};
        const ssize_t n = ::readlink(link.constData(), target.data(), target.size() - 1);
        if (n <= 0)
            continue;
        const QByteArray text(target.data(), n);
        if (text.startsWith("socket:[") && text.endsWith(']'))
            inodes.insert(text.mid(8, text.size() - 9));
    }

    QList<ListeningSocket> result;
    for (const QString &table : { u"/proc/net/tcp"_s, u"/proc/net/tcp6"_s }) {
        QFile file(table);
        if (!file.open(QIODevice::ReadOnly))
            continue; // no IPv6 in this kernel
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QList<QByteArray> fields = lines[i].simplified().split(' ');
            // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
            if (fields.size() < 10 || fields[3] != "0A" || !inodes.contains(fields[9]))
                continue;
            const QList<QByteArray> local = fields[1].split(':');
            if (local.size() != 2)
                continue;
            const auto address = parseProcAddress(local[0]);
            bool ok = false;
            const uint port = local[1].toUInt(&ok, 16);
            if (!address || !ok)
                return fail(0,
                    u"listeningSockets: cannot parse %1 line: %2"_s.arg(
                        table, QString::fromLatin1(lines[i])));
            result.append({ *address, quint16(port) });
        }
    }
    return result;
}

Result<quint16> freeLoopbackPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress(QHostAddress::LocalHost), 0))
        return fail(0, u"cannot bind a free port on 127.0.0.1"_s, server.errorString());
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

Result<QByteArray> generateRsaPrivateKeyPem(int bits)
{
    EvpPkeyPtr key(EVP_RSA_gen(static_cast<unsigned int>(bits)));
    if (!key)
        return fail(0, u"RSA key generation failed"_s);
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio
        || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
            != 1)
        return fail(0, u"cannot write the RSA key as PEM"_s);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    if (size <= 0 || !data)
        return fail(0, u"cannot write the RSA key as PEM"_s);
    return QByteArray(data, qsizetype(size));
}

// -------------------------------------------------------------------------------------------------
// RedisServer

RedisServer::RedisServer() = default;

RedisServer::~RedisServer()
{
    stop();
}

Result<void> RedisServer::start(std::chrono::milliseconds timeout)
{
    if (m_process)
        return fail(0, u"redis-server already started"_s);
    const QString exe = QStandardPaths::findExecutable(u"redis-server"_s);
    if (exe.isEmpty())
        return fail(0,
            u"redis-server is not installed (not on PATH): install the Debian package "
            "redis-server; the interop tests need it"_s);
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid())
        return fail(
            0, u"cannot create a temporary directory for redis-server"_s, m_dir->errorString());
    const auto port = freeLoopbackPort();
    if (!port)
        return std::unexpected(port.error());
    m_port = *port;

    m_process = std::make_unique<QProcess>();
    m_process->setProgram(exe);
    m_process->setArguments({ u"--port"_s, QString::number(m_port), u"--bind"_s, u"127.0.0.1"_s,
        u"--save"_s, QString(), u"--appendonly"_s, u"no"_s, u"--dir"_s, m_dir->path(),
        u"--logfile"_s, m_dir->filePath(u"redis.log"_s), u"--daemonize"_s, u"no"_s,
        u"--protected-mode"_s, u"yes"_s });
    m_process->setWorkingDirectory(m_dir->path());
    m_process->setChildProcessModifier(dieWithParent);
    m_process->setStandardOutputFile(m_dir->filePath(u"redis.stdout"_s));
    m_process->setStandardErrorFile(m_dir->filePath(u"redis.stderr"_s));
    m_process->start();
    if (!m_process->waitForStarted(5000))
        return fail(0, u"cannot start redis-server: %1"_s.arg(m_process->errorString()));

    const QDeadlineTimer deadline(timeout);
    while (!deadline.hasExpired()) {
        if (m_process->state() == QProcess::NotRunning || m_process->waitForFinished(0))
            return fail(0,
                u"redis-server exited during startup (exit code %1)"_s.arg(m_process->exitCode()),
                logTail());
        QTcpSocket socket;
        socket.connectToHost(QHostAddress(QHostAddress::LocalHost), m_port);
        if (socket.waitForConnected(200)) {
            socket.write("PING\r\n");
            QByteArray answer;
            while (!answer.contains('\n') && socket.waitForReadyRead(500))
                answer += socket.readAll();
            if (answer.startsWith("+PONG"))
                return {};
        }
        m_process->waitForFinished(100); // a bounded sleep that also notices an exit
    }
    return fail(0,
        u"redis-server did not answer PING on 127.0.0.1:%1 within %2 ms"_s.arg(m_port).arg(
            timeout.count()),
        logTail());
}

void RedisServer::stop()
{
    stopProcess(m_process.get());
}

bool RedisServer::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 RedisServer::pid() const
{
    return m_process ? m_process->processId() : 0;
}

QString RedisServer::url(int db) const
{
    return u"redis://127.0.0.1:%1/%2"_s.arg(m_port).arg(db);
}

QString RedisServer::logTail() const
{
    if (!m_dir)
        return {};
    return QString::fromUtf8(fileTail(m_dir->filePath(u"redis.log"_s), 2000) + '\n'
        + fileTail(m_dir->filePath(u"redis.stderr"_s), 2000));
}

// -------------------------------------------------------------------------------------------------
// ReferenceSdkSettings

QList<std::pair<QString, QString>> ReferenceSdkSettings::environment() const
{
    QList<std::pair<QString, QString>> env {
        { u"DFSP_ID"_s, dfspId },
        { u"INBOUND_LISTEN_PORT"_s, QString::number(inboundPort) },
        { u"OUTBOUND_LISTEN_PORT"_s, QString::number(outboundPort) },
        { u"METRICS_SERVER_LISTEN_PORT"_s, QString::number(metricsPort) },
        { u"PEER_ENDPOINT"_s, peerEndpoint },
        { u"BACKEND_ENDPOINT"_s, backendEndpoint },
        { u"CACHE_URL"_s, cacheUrl },
        { u"ILP_SECRET"_s, ilpSecret },
        { u"CHECK_ILP"_s, boolText(checkIlp) },
        { u"EXPIRY_SECONDS"_s, QString::number(expirySeconds) },
        { u"AUTO_ACCEPT_PARTY"_s, boolText(autoAcceptParty) },
        { u"AUTO_ACCEPT_QUOTES"_s, boolText(autoAcceptQuotes) },
        { u"JWS_SIGN"_s, boolText(jwsSign) },
        { u"JWS_SIGN_PUT_PARTIES"_s, boolText(jwsSignPutParties) },
        { u"VALIDATE_INBOUND_JWS"_s, boolText(validateInboundJws) },
        { u"VALIDATE_INBOUND_PUT_PARTIES_JWS"_s, boolText(validateInboundPutPartiesJws) },
        { u"INBOUND_MUTUAL_TLS_ENABLED"_s, boolText(inboundMutualTls) },
        { u"OUTBOUND_MUTUAL_TLS_ENABLED"_s, boolText(outboundMutualTls) },
        { u"ENABLE_TEST_FEATURES"_s, boolText(enableTestFeatures) },
        { u"PM4ML_ENABLED"_s, boolText(pm4mlEnabled) },
        { u"REQUEST_PROCESSING_TIMEOUT_SECONDS"_s,
            QString::number(requestProcessingTimeoutSeconds) },
        { u"RESOURCE_VERSIONS"_s, resourceVersions },
        // One JSON object per line (the default indents by 2 and spreads entries over many lines).
        { u"LOG_INDENT"_s, u"0"_s },
    };
    const std::pair<QString, const QString *> paths[] = {
        { u"JWS_SIGNING_KEY_PATH"_s, &jwsSigningKeyPath },
        { u"JWS_VERIFICATION_KEYS_DIRECTORY"_s, &jwsVerificationKeysDirectory },
        { u"IN_CA_CERT_PATH"_s, &inCaCertPath },
        { u"IN_SERVER_CERT_PATH"_s, &inServerCertPath },
        { u"IN_SERVER_KEY_PATH"_s, &inServerKeyPath },
        { u"OUT_CA_CERT_PATH"_s, &outCaCertPath },
        { u"OUT_CLIENT_CERT_PATH"_s, &outClientCertPath },
        { u"OUT_CLIENT_KEY_PATH"_s, &outClientKeyPath },
    };
    for (const auto &[name, value] : paths) {
        if (!value->isEmpty())
            env.append({ name, *value });
    }
    env.append(extra);
    return env;
}

// -------------------------------------------------------------------------------------------------
// ReferenceSdk

ReferenceSdk::ReferenceSdk() = default;

ReferenceSdk::~ReferenceSdk()
{
    stop();
}

QString ReferenceSdk::packageDir()
{
    return QStringLiteral(PM_INTEROP_DIR "/node_modules/@mojaloop/sdk-scheme-adapter");
}

QString ReferenceSdk::loopbackPreload()
{
    return QStringLiteral(PM_INTEROP_DIR "/loopback.cjs");
}

Result<void> ReferenceSdk::start(ReferenceSdkSettings settings, std::chrono::milliseconds timeout)
{
    if (m_process)
        return fail(0, u"reference SDK already started"_s);
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    if (node.isEmpty())
        return fail(0,
            u"node is not installed (not on PATH): the interop tests run the reference SDK "
            "with Node.js 20"_s);
    const QString entry = packageDir() + u"/src/index.js"_s;
    if (!QFileInfo::exists(entry))
        return fail(0,
            u"the reference SDK is not installed: %1 is missing; run `npm ci` in "
            "tests/interop (the setup script does)"_s.arg(entry));
    if (!QFileInfo::exists(loopbackPreload()))
        return fail(0, u"%1 is missing"_s.arg(loopbackPreload()));
    if (settings.dfspId.isEmpty() || settings.peerEndpoint.isEmpty()
        || settings.backendEndpoint.isEmpty() || settings.cacheUrl.isEmpty())
        return fail(0,
            u"reference SDK settings: DFSP_ID, PEER_ENDPOINT, BACKEND_ENDPOINT and CACHE_URL "
            "are required"_s);

    // Ports picked here can be taken by someone else before node binds them; node then exits with
    // EADDRINUSE. Only in that case, and only for ports the caller left to us, try again.
    const bool portsChosenHere
        = settings.inboundPort == 0 && settings.outboundPort == 0 && settings.metricsPort == 0;
    const QDeadlineTimer deadline(timeout);
    constexpr int MaxAttempts = 3;
    for (int attempt = 1;; ++attempt) {
        const auto remaining = std::chrono::milliseconds(deadline.remainingTime());
        auto started = startOnce(settings, remaining);
        if (started || !portsChosenHere || attempt == MaxAttempts || deadline.hasExpired()
            || !started.error().message.contains(u"EADDRINUSE"_s))
            return started;
        qInfo("reference SDK %s: a chosen port was taken (EADDRINUSE); retrying with new ports",
            qPrintable(settings.dfspId));
        m_process.reset();
        m_dir.reset();
    }
}

Result<void> ReferenceSdk::startOnce(
    ReferenceSdkSettings settings, std::chrono::milliseconds timeout)
{
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    const QString entry = packageDir() + u"/src/index.js"_s;
    QSet<quint16> taken;
    for (quint16 *port : { &settings.inboundPort, &settings.outboundPort, &settings.metricsPort }) {
        while (*port == 0 || taken.contains(*port)) {
            const auto free = freeLoopbackPort();
            if (!free)
                return std::unexpected(free.error());
            *port = *free;
        }
        taken.insert(*port);
    }

    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid())
        return fail(0, u"cannot create the reference SDK's run directory"_s, m_dir->errorString());
    if (qEnvironmentVariableIsSet("PM_INTEROP_KEEP_RUNDIR"))
        m_dir->setAutoRemove(false); // for post-mortems: the log stays in runDir()
    m_settings = std::move(settings);

    const auto env = m_settings.environment();
    QByteArray dotEnv = "# Written by the interop harness (tests/interop/referencesdk.cpp)\n";
    QProcessEnvironment processEnv = QProcessEnvironment::systemEnvironment();
    for (const auto &[name, value] : env) {
        if (value.contains(u'\n'))
            return fail(0, u"reference SDK setting %1 contains a line break"_s.arg(name));
        dotEnv += name.toUtf8() + '=' + value.toUtf8() + '\n';
        processEnv.insert(name, value);
    }
    QFile envFile(m_dir->filePath(u".env"_s));
    if (!envFile.open(QIODevice::WriteOnly) || envFile.write(dotEnv) != dotEnv.size())
        return fail(0, u"cannot write %1"_s.arg(envFile.fileName()), envFile.errorString());
    envFile.close();

    m_process = std::make_unique<QProcess>();
    m_process->setProgram(node);
    m_process->setArguments({ u"-r"_s, loopbackPreload(), entry });
    m_process->setWorkingDirectory(m_dir->path());
    m_process->setProcessEnvironment(processEnv);
    m_process->setChildProcessModifier(dieWithParent);
    m_process->setStandardOutputFile(logPath());
    m_process->setStandardErrorFile(stderrPath());

    QElapsedTimer clock;
    clock.start();
    m_process->start();
    if (!m_process->waitForStarted(10000))
        return fail(0, u"cannot start node: %1"_s.arg(m_process->errorString()));

    const QDeadlineTimer deadline(timeout);
    const quint16 ports[]
        = { m_settings.inboundPort, m_settings.outboundPort, m_settings.metricsPort };
    while (!deadline.hasExpired()) {
        if (m_process->state() == QProcess::NotRunning || m_process->waitForFinished(0))
            return fail(0,
                u"reference SDK %1 exited during startup (exit code %2); log tail follows"_s
                    .arg(m_settings.dfspId)
                    .arg(m_process->exitCode()),
                logTail());
        // A listen() that fails is an uncaught exception the SDK logs (as a plain-text line) and
        // survives: without this check the wait would run into the timeout.
        if (fileTail(logPath(), 64 * 1024).contains("EADDRINUSE")
            || fileTail(stderrPath(), 64 * 1024).contains("EADDRINUSE")) {
            const QString tail = logTail();
            stop();
            return fail(0,
                u"reference SDK %1 could not listen: a port is in use (EADDRINUSE); log tail follows"_s
                    .arg(m_settings.dfspId),
                tail);
        }
        // Open ports alone are not enough: a port held by someone else accepts connections too.
        // Each server logs its "Serving …" line from its listen callback, so wait for all three.
        const QByteArray log = fileTail(logPath(), 256 * 1024);
        bool allOpen = log.contains(QByteArray(
                           "Serving inbound API on port " + QByteArray::number(ports[0])))
            && log.contains(
                QByteArray("Serving outbound API on port " + QByteArray::number(ports[1])))
            && log.contains(QByteArray("\"port\":" + QByteArray::number(ports[2])));
        for (quint16 port : ports)
            allOpen = allOpen && acceptsConnections(port);
        if (allOpen) {
            m_startupTime = std::chrono::milliseconds(clock.elapsed());
            return {};
        }
        m_process->waitForFinished(100);
    }
    const QString tail = logTail();
    stop();
    return fail(0,
        u"reference SDK %1 did not open ports %2, %3, %4 within %5 ms; log tail follows"_s
            .arg(m_settings.dfspId)
            .arg(ports[0])
            .arg(ports[1])
            .arg(ports[2])
            .arg(timeout.count()),
        tail);
}

void ReferenceSdk::stop()
{
    stopProcess(m_process.get());
}

bool ReferenceSdk::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 ReferenceSdk::pid() const
{
    return m_process ? m_process->processId() : 0;
}

QString ReferenceSdk::runDir() const
{
    return m_dir ? m_dir->path() : QString();
}

QString ReferenceSdk::logPath() const
{
    return m_dir ? m_dir->filePath(u"sdk.log"_s) : QString();
}

QString ReferenceSdk::stderrPath() const
{
    return m_dir ? m_dir->filePath(u"sdk.stderr.log"_s) : QString();
}

QString ReferenceSdk::inboundUrl() const
{
    return u"http://127.0.0.1:%1"_s.arg(m_settings.inboundPort);
}

QString ReferenceSdk::outboundUrl() const
{
    return u"http://127.0.0.1:%1"_s.arg(m_settings.outboundPort);
}

bool LogEntry::isError() const
{
    if (level == u"error" || level == u"fatal")
        return true;
    // Plain-text lines come from other loggers in the process (winston's "error: uncaughtException
    // …", with colour codes) and from stack traces ("Error: listen EADDRINUSE …").
    if (level == u"unparsed")
        return QString::fromUtf8(line).contains(u"error"_s, Qt::CaseInsensitive);
    if (contextKeys.contains(u"err"_s) || contextKeys.contains(u"error"_s)
        || contextKeys.contains(u"mojaloopError"_s))
        return true;
    // Many failures are only told in the message text, with no ctx.err: "Error running transfer
    // model: …", "Error handling postTransfers: …", "Error validating JWS: …", "State machine
    // is erroring with error", "… transitioning from start to errored …". The prose part of the
    // message (its first line, before any JSON payload, where URLs such as …/error appear) is
    // searched for the words.
    static const QRegularExpression words(
        u"\\b(error|errors|errored|erroring|failed|failure|exception)\\b"_s,
        QRegularExpression::CaseInsensitiveOption);
    QStringView prose = QStringView(message);
    for (const QChar end : { QChar(u'\n'), QChar(u'{'), QChar(u'[') }) {
        const qsizetype at = prose.indexOf(end);
        if (at >= 0)
            prose = prose.first(at);
    }
    return words.match(prose.toString()).hasMatch();
}

QList<LogEntry> ReferenceSdk::logEntries() const
{
    QList<LogEntry> entries;
    QFile file(logPath());
    if (!file.open(QIODevice::ReadOnly))
        return entries;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        LogEntry entry;
        entry.lineNumber = int(i + 1);
        entry.line = line;
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            entry.level = u"unparsed"_s;
            entry.message = QString::fromUtf8(line.left(300));
        } else {
            const QJsonObject object = doc.object();
            entry.level = object.value(u"level"_s).toString();
            entry.contextKeys = object.value(u"ctx"_s).toObject().keys();
            const QJsonValue msg = object.value(u"msg"_s);
            entry.message = msg.isString() ? msg.toString()
                                           : QString::fromUtf8(QJsonDocument(
                                               QJsonObject { { u"msg"_s,
                                                   msg } }).toJson(QJsonDocument::Compact));
        }
        entries.append(std::move(entry));
    }
    return entries;
}

QList<LogEntry> ReferenceSdk::logErrors() const
{
    QList<LogEntry> errors;
    for (LogEntry &entry : logEntries()) {
        if (entry.isError())
            errors.append(std::move(entry));
    }
    return errors;
}

QString ReferenceSdk::logTail(qsizetype maxBytes) const
{
    if (!m_dir)
        return {};
    return u"--- %1 (tail)\n"_s.arg(logPath()) + QString::fromUtf8(fileTail(logPath(), maxBytes))
        + u"\n--- %1 (tail)\n"_s.arg(stderrPath())
        + QString::fromUtf8(fileTail(stderrPath(), maxBytes));
}

} // namespace Pm::Interop
