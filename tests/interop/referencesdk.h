#pragma once

#include "core/base/result.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <chrono>
#include <memory>
#include <utility>

/**
 * Test harness that runs the reference Mojaloop SDK (@mojaloop/sdk-scheme-adapter, installed by
 * `npm ci` in tests/interop) and a private redis-server beside the code under test.
 *
 * Both are real child processes, bound to 127.0.0.1 only, in their own temporary directories, and
 * stopped (SIGTERM, then SIGKILL) when the owning object is destroyed. Starting blocks the calling
 * thread for a bounded time while polling the ports (QProcess/QTcpSocket blocking waits, no nested
 * event loop): call it from initTestCase(), before any server of the test has work to do.
 *
 * Nothing here skips: a missing node, SDK or redis-server is an error with a message saying how to
 * install it, which the test turns into a failure.
 *
 * See docs/interop.md.
 */
namespace Pm::Interop {

/** A TCP socket in LISTEN state, as /proc/net/tcp and /proc/net/tcp6 report it. */
struct ListeningSocket
{
    QHostAddress address;
    quint16 port = 0;
};

/**
 * The TCP sockets process `pid` listens on, found by matching the socket inodes of
 * /proc/<pid>/fd against /proc/net/tcp and /proc/net/tcp6 (what `ss -ltnp` does).
 */
Result<QList<ListeningSocket>> listeningSockets(qint64 pid);

/** A free TCP port on 127.0.0.1 (bound to port 0 and released; a small race remains). */
Result<quint16> freeLoopbackPort();

/**
 * A new RSA private key in PKCS#8 PEM ("PRIVATE KEY"), generated with OpenSSL. For tests only:
 * the key is not protected.
 */
Result<QByteArray> generateRsaPrivateKeyPem(int bits = 2048);

/** A redis-server on 127.0.0.1, without persistence, in its own temporary directory. */
class RedisServer
{
public:
    RedisServer();
    ~RedisServer();
    RedisServer(const RedisServer &) = delete;
    RedisServer &operator=(const RedisServer &) = delete;

    /**
     * Starts redis-server on a free port and waits until it answers PING, at most `timeout`.
     * Fails if redis-server is not installed, does not start, or does not answer in time (the
     * message then carries the tail of its log).
     */
    Result<void> start(std::chrono::milliseconds timeout = std::chrono::seconds { 15 });

    /** Stops the server (SIGTERM, then SIGKILL after 5 s). Safe to call more than once. */
    void stop();

    bool isRunning() const;
    quint16 port() const { return m_port; }
    qint64 pid() const;
    /** "redis://127.0.0.1:<port>/<db>", the SDK's CACHE_URL. */
    QString url(int db) const;

private:
    QString logTail() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
};

/**
 * The reference SDK's configuration (environment variables of its config.js). Ports left at 0
 * are chosen free on 127.0.0.1 by ReferenceSdk::start().
 */
struct ReferenceSdkSettings
{
    QString dfspId; ///< DFSP_ID
    quint16 inboundPort = 0; ///< INBOUND_LISTEN_PORT (FSPIOP API, called by the hub)
    quint16 outboundPort = 0; ///< OUTBOUND_LISTEN_PORT (simplified API for the DFSP)
    quint16 metricsPort = 0; ///< METRICS_SERVER_LISTEN_PORT
    QString peerEndpoint; ///< PEER_ENDPOINT, "host:port" without scheme
    QString backendEndpoint; ///< BACKEND_ENDPOINT, "host:port" without scheme
    QString cacheUrl; ///< CACHE_URL, e.g. RedisServer::url(1)
    QString ilpSecret = QStringLiteral("interop-ilp-secret"); ///< ILP_SECRET
    bool checkIlp = true; ///< CHECK_ILP
    int expirySeconds = 60; ///< EXPIRY_SECONDS
    bool autoAcceptParty = true; ///< AUTO_ACCEPT_PARTY
    bool autoAcceptQuotes = true; ///< AUTO_ACCEPT_QUOTES
    bool jwsSign = true; ///< JWS_SIGN
    bool jwsSignPutParties = true; ///< JWS_SIGN_PUT_PARTIES
    bool validateInboundJws = true; ///< VALIDATE_INBOUND_JWS
    bool validateInboundPutPartiesJws = true; ///< VALIDATE_INBOUND_PUT_PARTIES_JWS
    QString jwsSigningKeyPath; ///< JWS_SIGNING_KEY_PATH (PEM private key)
    QString jwsVerificationKeysDirectory; ///< JWS_VERIFICATION_KEYS_DIRECTORY (<fspId>.pem files)
    bool inboundMutualTls = false; ///< INBOUND_MUTUAL_TLS_ENABLED
    bool outboundMutualTls = false; ///< OUTBOUND_MUTUAL_TLS_ENABLED
    QString inCaCertPath; ///< IN_CA_CERT_PATH
    QString inServerCertPath; ///< IN_SERVER_CERT_PATH
    QString inServerKeyPath; ///< IN_SERVER_KEY_PATH
    QString outCaCertPath; ///< OUT_CA_CERT_PATH
    QString outClientCertPath; ///< OUT_CLIENT_CERT_PATH
    QString outClientKeyPath; ///< OUT_CLIENT_KEY_PATH
    bool enableTestFeatures = false; ///< ENABLE_TEST_FEATURES
    bool pm4mlEnabled = false; ///< PM4ML_ENABLED
    int requestProcessingTimeoutSeconds = 30; ///< REQUEST_PROCESSING_TIMEOUT_SECONDS
    QString resourceVersions; ///< RESOURCE_VERSIONS; empty = the SDK's default (FSPIOP 1.0 here)
    /** Any further variables, written after the ones above. */
    QList<std::pair<QString, QString>> extra;

    /** The variables in .env order (NAME, value); empty optional paths are left out. */
    QList<std::pair<QString, QString>> environment() const;
};

/**
 * One line of the SDK's JSON log: `{"ts":…,"level":…,"msg":…,"ctx":{…}}`, one object per line
 * (the harness sets LOG_INDENT=0). "level" is written only by the level methods (.error(),
 * .debug(), …); entries written with .log() have none.
 */
struct LogEntry
{
    int lineNumber = 0; ///< 1-based, in the log file
    QString level; ///< the "level" member; empty for .log() entries, "unparsed" for non-JSON
    QString message; ///< the "msg" member
    QStringList contextKeys; ///< the member names of "ctx"
    QByteArray line; ///< the whole line as written

    /**
     * True for an error entry: level "error" or "fatal", or, since 18.0.2 logs its failures with
     * .log() after push({ err }) ("Inbound request failed JWS validation", "Error in getParties"),
     * a ctx carrying "err", "error" or "mojaloopError"; or a message whose prose (first line,
     * before any JSON payload) has the word error, errors, errored, erroring, failed, failure or
     * exception in any case ("Error running transfer model: …", "State machine is erroring …",
     * which carry no ctx.err); or a line that is not JSON (other loggers, stack traces)
     * containing "error" in any case.
     */
    bool isError() const;
};

/** One reference SDK process. */
class ReferenceSdk
{
public:
    ReferenceSdk();
    /** Stops the process (SIGTERM, then SIGKILL). */
    ~ReferenceSdk();
    ReferenceSdk(const ReferenceSdk &) = delete;
    ReferenceSdk &operator=(const ReferenceSdk &) = delete;

    /** tests/interop/node_modules/@mojaloop/sdk-scheme-adapter, where `npm ci` installs it. */
    static QString packageDir();
    /** tests/interop/loopback.cjs, the `node -r` preload that binds every listen() to 127.0.0.1. */
    static QString loopbackPreload();

    /**
     * Writes a run directory (a fresh temporary directory) with a `.env` from `settings`, starts
     * `node -r loopback.cjs <packageDir>/src/index.js` there with the same variables in its
     * environment (which take precedence over .env for dotenv), its stdout going to sdk.log and
     * stderr to sdk.stderr.log in the run directory, and waits until the inbound, outbound and
     * metrics ports accept connections, at most `timeout`. Fails with the log tail if the process
     * exits, logs EADDRINUSE (it survives a failed listen()), or the ports do not open in time.
     * On EADDRINUSE for ports it chose itself (all three left at 0) it retries with new ports, up
     * to 3 attempts within `timeout`.
     */
    Result<void> start(ReferenceSdkSettings settings,
        std::chrono::milliseconds timeout = std::chrono::seconds { 60 });

    /** SIGTERM, then SIGKILL after 5 s. Safe to call more than once. */
    void stop();

    bool isRunning() const;
    qint64 pid() const;
    /** The settings it runs with, with the ports filled in. */
    const ReferenceSdkSettings &settings() const { return m_settings; }
    QString runDir() const;
    QString logPath() const;
    QString stderrPath() const;
    /** How long start() waited until the ports were open. */
    std::chrono::milliseconds startupTime() const { return m_startupTime; }
    /** "http://127.0.0.1:<inbound port>". */
    QString inboundUrl() const;
    QString outboundUrl() const;

    /** Every JSON log line (lines that are not JSON objects are returned with level "unparsed"). */
    QList<LogEntry> logEntries() const;
    /** The error entries (LogEntry::isError()), in log order. */
    QList<LogEntry> logErrors() const;
    /** The last `maxBytes` of sdk.log and of sdk.stderr.log, for failure messages. */
    QString logTail(qsizetype maxBytes = 4000) const;

private:
    Result<void> startOnce(ReferenceSdkSettings settings, std::chrono::milliseconds timeout);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    ReferenceSdkSettings m_settings;
    std::chrono::milliseconds m_startupTime { 0 };
};

} // namespace Pm::Interop
