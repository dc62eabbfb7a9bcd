#pragma once

// A `pm-connector run` child process for tests and benchmarks: started with an environment and a
// data directory, waited for until it prints its three listeners, killed (SIGKILL) or stopped
// (SIGTERM), and restarted on the same data directory and ports. Also a read-only look into the
// store file (SQLite, WAL) of a running or killed connector.

#include "core/base/result.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QTest>
#include <QUuid>

#include <csignal>
#include <functional>
#include <memory>

namespace Pm::Test {

using namespace Qt::StringLiterals;

/** Settings of one pm-connector process (the reference SDK's environment variable names). */
struct ConnectorProcessSettings
{
    QString dfspId;
    quint16 inboundPort = 0;
    quint16 outboundPort = 0;
    quint16 metricsPort = 0;
    QString peerEndpoint;    ///< PEER_ENDPOINT, host:port
    QString backendEndpoint; ///< BACKEND_ENDPOINT, host:port
    QString signingKeyPath;  ///< JWS_SIGNING_KEY_PATH
    QString keysDirectory;   ///< JWS_VERIFICATION_KEYS_DIRECTORY
    /** Further variables (AUTO_ACCEPT_QUOTES=false, TLS paths...), written last. */
    QList<std::pair<QString, QString>> extra;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env;
        for (const char *name : {"PATH", "HOME", "LANG", "LC_ALL", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
            const QString n = QString::fromLatin1(name);
            if (qEnvironmentVariableIsSet(name))
                env.insert(n, qEnvironmentVariable(name));
        }
        env.insert(u"DFSP_ID"_s, dfspId);
        env.insert(u"INBOUND_LISTEN_PORT"_s, QString::number(inboundPort));
        env.insert(u"OUTBOUND_LISTEN_PORT"_s, QString::number(outboundPort));
        env.insert(u"METRICS_SERVER_LISTEN_PORT"_s, QString::number(metricsPort));
        env.insert(u"PEER_ENDPOINT"_s, peerEndpoint);
        env.insert(u"BACKEND_ENDPOINT"_s, backendEndpoint);
        env.insert(u"JWS_SIGN"_s, u"true"_s);
        env.insert(u"JWS_SIGN_PUT_PARTIES"_s, u"true"_s);
        env.insert(u"VALIDATE_INBOUND_JWS"_s, u"true"_s);
        env.insert(u"VALIDATE_INBOUND_PUT_PARTIES_JWS"_s, u"true"_s);
        env.insert(u"JWS_SIGNING_KEY_PATH"_s, signingKeyPath);
        env.insert(u"JWS_VERIFICATION_KEYS_DIRECTORY"_s, keysDirectory);
        env.insert(u"CHECK_ILP"_s, u"true"_s);
        env.insert(u"ILP_SECRET"_s, u"restart-secret-"_s + dfspId);
        env.insert(u"EXPIRY_SECONDS"_s, u"300"_s);
        for (const auto &[name, value] : extra)
            env.insert(name, value);
        return env;
    }
};

class ConnectorProcess
{
public:
    ConnectorProcess(ConnectorProcessSettings settings, QString dataDir, QString logPath)
        : m_settings(std::move(settings))
        , m_dataDir(std::move(dataDir))
        , m_logPath(std::move(logPath))
    {
    }
    ~ConnectorProcess() { kill(); }
    ConnectorProcess(const ConnectorProcess &) = delete;
    ConnectorProcess &operator=(const ConnectorProcess &) = delete;

    static QString binary() { return QStringLiteral(PM_BINARY_DIR) + u"/app/cli/pm-connector"_s; }

    const ConnectorProcessSettings &settings() const { return m_settings; }
    ConnectorProcessSettings &settings() { return m_settings; }
    QString dataDir() const { return m_dataDir; }
    QString storePath() const { return m_dataDir + u"/connector.sqlite"_s; }
    QString logPath() const { return m_logPath; }
    qint64 pid() const { return m_process ? m_process->processId() : 0; }
    bool isRunning() const { return m_process && m_process->state() == QProcess::Running; }
    int starts() const { return m_starts; }

    /**
     * Starts the process (stderr appended to logPath()) and waits, with the caller's event loop
     * running, until it has printed its three listener lines. Fails with the log's tail.
     */
    Pm::Result<void> start(int timeoutMs = 120000)
    {
        kill();
        m_process = std::make_unique<QProcess>();
        m_process->setProcessEnvironment(m_settings.environment());
        m_process->setStandardErrorFile(m_logPath, QIODevice::Append);
        m_process->start(binary(), {u"run"_s, u"--data-dir"_s, m_dataDir});
        ++m_starts;
        QByteArray out;
        const bool ok = QTest::qWaitFor([&] {
            out += m_process->readAllStandardOutput();
            return out.count('\n') >= 3 || m_process->state() == QProcess::NotRunning;
        }, timeoutMs);
        out += m_process->readAllStandardOutput();
        if (!ok || out.count('\n') < 3) {
            return Pm::fail(0, u"%1 did not start (exit %2): %3"_s.arg(
                                   m_settings.dfspId, QString::number(m_process->exitCode()), logTail()));
        }
        return {};
    }

    /** SIGKILL: no chance to flush or answer anything. Waits until the process is gone. */
    void kill()
    {
        if (!m_process)
            return;
        if (m_process->state() != QProcess::NotRunning) {
            ::kill(pid_t(m_process->processId()), SIGKILL);
            m_process->waitForFinished(30000);
        }
        m_process.reset();
    }

    /** SIGTERM and wait: the graceful stop. Returns the exit code (-1 if it crashed or hung). */
    int terminate(int timeoutMs = 60000)
    {
        if (!m_process || m_process->state() == QProcess::NotRunning)
            return -1;
        ::kill(pid_t(m_process->processId()), SIGTERM);
        if (!m_process->waitForFinished(timeoutMs)) {
            kill();
            return -1;
        }
        const int code = m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
        m_process.reset();
        return code;
    }

    QString logTail(qsizetype bytes = 3000) const
    {
        QFile f(m_logPath);
        if (!f.open(QIODevice::ReadOnly))
            return u"(no log)"_s;
        return QString::fromUtf8(f.readAll().right(bytes));
    }

private:
    ConnectorProcessSettings m_settings;
    QString m_dataDir;
    QString m_logPath;
    std::unique_ptr<QProcess> m_process;
    int m_starts = 0;
};

/**
 * Runs `fn` on a read-only SQLite connection to `path` (opened and closed around the call, so
 * it holds no snapshot while the connector writes). Returns false if the file cannot be opened.
 */
inline bool withStoreReadOnly(const QString &path, const std::function<void(QSqlDatabase &)> &fn)
{
    if (!QFile::exists(path))
        return false;
    const QString name = u"ro-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (db.open()) {
            ok = true;
            fn(db);
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

/** One integer from a query with positional `args` (-1 if the query fails). */
inline qint64 storeInt(QSqlDatabase &db, const QString &sql, const QVariantList &args = {})
{
    QSqlQuery q(db);
    if (!q.prepare(sql))
        return -1;
    for (const QVariant &a : args)
        q.addBindValue(a);
    if (!q.exec() || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

/** The `state` of transfer `id` in the store at `path`, or empty if there is no such row (yet). */
inline QString storedState(const QString &path, const QString &id)
{
    QString state;
    withStoreReadOnly(path, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        q.prepare(u"SELECT state FROM transfers WHERE id = ?"_s);
        q.addBindValue(id);
        if (q.exec() && q.next())
            state = q.value(0).toString();
    });
    return state;
}

/** The (id, state) of the transfer with `homeTransactionId`, or empty strings if none (yet). */
inline std::pair<QString, QString> storedByHome(const QString &path, const QString &homeTransactionId)
{
    std::pair<QString, QString> out;
    withStoreReadOnly(path, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        q.prepare(u"SELECT id, state FROM transfers WHERE home_transaction_id = ?"_s);
        q.addBindValue(homeTransactionId);
        if (q.exec() && q.next())
            out = {q.value(0).toString(), q.value(1).toString()};
    });
    return out;
}

} // namespace Pm::Test
