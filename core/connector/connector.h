#pragma once

#include "core/base/result.h"
#include "core/connector/config.h"
#include "core/connector/tlsreload.h"

#include <QString>

#include <memory>

QT_BEGIN_NAMESPACE
class QObject;
class QThread;
class QThreadPool;
QT_END_NAMESPACE

namespace Pm::Store {
class Store;
}

namespace Pm::Connector {

class ConnectorCore;

/** The ports a started connector listens on. */
struct ConnectorPorts
{
    quint16 inbound = 0;  ///< FSPIOP (hub-facing)
    quint16 outbound = 0; ///< the core connector's API
    quint16 metrics = 0;  ///< Prometheus text
};

/** Counters for tests and the shutdown wait. */
struct ConnectorActivity
{
    int payeeInFlight = 0;    ///< POST /quotes and POST /transfers being answered
    int outboundActive = 0;   ///< outbound transfers running or paused in memory
    int waiters = 0;          ///< outbound requests waiting for a callback
};

/**
 * The Mojaloop Connector: a drop-in for the reference SDK's person-to-person flows. Owns the
 * store (SQLite in `dataDir`), the inbound FSPIOP server, the outbound API, the metrics listener,
 * the FSPIOP and backend clients and the flows, all running on a service thread of its own
 * (sockets are created on that thread once it runs); RSA signing runs on a small thread pool.
 *
 * Create, start and stop it on one thread (the application's main thread or a test's).
 */
class Connector
{
public:
    /** `dataDir` holds connector.sqlite; it is created if missing. */
    Connector(ConnectorConfig config, QString dataDir);
    /** Stops if still running. */
    ~Connector();
    Connector(const Connector &) = delete;
    Connector &operator=(const Connector &) = delete;

    /**
     * Opens the store, loads the JWS keys and TLS material, starts the service thread and listens.
     * Blocks until the listeners are up or something failed; a failure is one line naming the
     * setting or file (port in use, unreadable key...) and leaves nothing running.
     */
    Pm::Result<ConnectorPorts> start();

    /**
     * Graceful stop: stop accepting, give in-flight payee work and outbound transfers up to
     * `graceMs` to finish (their state is stored at every step either way), stop the service
     * thread, flush and close the store. Blocks; idempotent.
     */
    void stop(int graceMs = 5000);

    bool isRunning() const { return m_running; }
    ConnectorPorts ports() const { return m_ports; }
    /** A snapshot taken on the service thread (blocks briefly). */
    ConnectorActivity activity() const;

    /**
     * Reads the TLS files (IN_*, OUT_*) again now and, if they changed and are valid, uses them
     * for the connections opened from now on; open connections and transfers in flight are not
     * disturbed. The connector also does this by itself when the files change. Returns whether new
     * material was taken, or why it was refused (the current material stays). Blocks briefly.
     */
    Pm::Result<bool> reloadTls();
    /** The certificates presented now and the reload counters (blocks briefly). */
    TlsStatus tlsStatus() const;
    /** The store while running (repositories are usable from any thread), else null. */
    Store::Store *store() const { return m_store.get(); }
    const ConnectorConfig &config() const { return m_config; }

private:
    ConnectorConfig m_config;
    QString m_dataDir;
    std::unique_ptr<Store::Store> m_store;
    std::unique_ptr<QThreadPool> m_pool;
    QThread *m_thread = nullptr;
    QObject *m_anchor = nullptr;       ///< lives on m_thread: the context of calls into it
    ConnectorCore *m_core = nullptr;   ///< lives on m_thread
    ConnectorPorts m_ports;
    bool m_running = false;
};

} // namespace Pm::Connector
