#pragma once

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

/**
 * The services layer: the one facade the UI (and `pm-connector sandbox`) talks to. It owns the
 * service threads, starts and stops an environment (today: the Sandbox, docs/sandbox.md) and
 * reports what runs through signals shaped for item models. Nothing here links Qt Gui.
 */
namespace Pm::Services {

/** Life cycle of the environment a ServiceHost runs. */
enum class EnvironmentState {
    Stopped, ///< nothing runs (initial state, and after stop())
    Starting, ///< keys, hub, core banks, core connectors and connectors are being started
    Running, ///< every service listens; traffic (if any) flows
    Stopping, ///< services are being stopped
    Failed, ///< start failed or a service died; lastError() says why; nothing runs
};

/** "stopped", "starting", "running", "stopping" or "failed". */
QString environmentStateName(EnvironmentState state);

/** One listening socket of the environment. */
struct Listener
{
    QString name; ///< e.g. "hub", "pmdfsp.inbound", "bluebank.corebank"
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;

    /** "NAME 127.0.0.1:PORT" (the form `pm-connector sandbox` prints). */
    QString toString() const;
    friend bool operator==(const Listener &, const Listener &) = default;
};

/** Counters of the traffic generator since the environment started. */
struct TransferCounters
{
    qint64 started = 0; ///< generated transfers sent
    qint64 finished = 0; ///< of which finished (ok + failed)
    qint64 ok = 0; ///< finished in COMMITTED (success scenario)
    qint64 failed = 0; ///< finished in a failure (unknown party, limits, expiry, rejection)
    qint64 unexpected = 0; ///< finished in a state its scenario does not allow (should stay 0)
    double ratePerSecond = 0; ///< finished transfers per second over the last 10 s
    friend bool operator==(const TransferCounters &, const TransferCounters &) = default;
};

/** A participant's USD position at the hub (minor units; positive: it owes). */
struct HubPosition
{
    QString fspId;
    qint64 position = 0;
    qint64 reserved = 0;
    int committed = 0;
    int aborted = 0;
};

/** The generated transfer scenarios (the traffic mix). */
enum class Scenario {
    Success, ///< payee found, funds and limits fine: COMMITTED everywhere
    UnknownParty, ///< payee not in the hub's oracle: lookup fails (3200), nothing moves
    InsufficientFunds, ///< payer's core bank refuses the hold (4001), nothing is sent
    PayerLimit, ///< the hub refuses the prepare against the payer's net debit cap (4001)
    Expired, ///< the transfer's expiration passes before the hub prepares it (3303)
    PayeeRejection, ///< the payee's account is closed: its DFSP rejects the quote (5104)
};

/** "success", "unknown-party", "insufficient-funds", "payer-limit", "expired", "payee-rejection".
 */
QString scenarioName(Scenario scenario);

/** One finished generated transfer. */
struct TransferOutcome
{
    qint64 sequence = 0; ///< 1-based, in start order
    Scenario scenario = Scenario::Success;
    QString payerFsp;
    QString payeeFsp;
    QString amount; ///< FSPIOP Amount text
    QString currency;
    QString transferId; ///< empty when no transfer id was made (failed before the quote)
    QString finalState; ///< "COMMITTED", "ABORTED" or "NONE" (never reached the hub)
    QString errorCode; ///< FSPIOP code of the failure; empty on success
    bool expected = false; ///< the state is one the scenario allows
    QString detail; ///< one line (why it is unexpected, or the error message)
};

/** How the traffic generator mixes scenarios: relative weights (0 leaves a scenario out). */
struct TrafficMix
{
    int success = 70;
    int unknownParty = 6;
    int insufficientFunds = 6;
    int payerLimit = 6;
    int expired = 6;
    int payeeRejection = 6;
};

/** Options of the Sandbox environment. */
struct SandboxOptions
{
    /**
     * Root of the Sandbox's files (keys, stores, core bank ledgers). Emptied at every start: the
     * Sandbox always starts fresh (decision 0026). Empty: <AppDataLocation>/sandbox.
     */
    QString dataDir;
    /** Fixed ports by listener name (see Listener::name); a name not listed gets a free port. */
    QHash<QString, quint16> ports;
    /** Generated transfers per second; 0 starts with traffic paused (setRate() changes it). */
    double rate = 2.0;
    /** Stop generating after this many transfers (0: no limit). finished() follows the last one. */
    qint64 transferLimit = 0;
    /** At most this many generated transfers in flight at once. */
    int maxInFlight = 8;
    TrafficMix mix;
    /** EXPIRY_SECONDS of every connector (quotes and transfers). */
    int expirySeconds = 60;
    /** Seed of the scenario sequence (same seed, same sequence of scenarios and amounts). */
    quint32 seed = 1;
};

class SandboxWorker;

/**
 * Owns the service thread of an environment and reports on it. Lives on the thread that created
 * it (the UI thread in the app); every call returns at once, results come as signals on that
 * thread. The destructor stops the environment and waits for it.
 *
 *   ServiceHost host;
 *   connect(&host, &ServiceHost::stateChanged, this, ...);
 *   host.startSandbox(options);
 */
class ServiceHost : public QObject
{
    Q_OBJECT

public:
    explicit ServiceHost(QObject *parent = nullptr);
    ~ServiceHost() override;

    /**
     * Starts the Sandbox on the service thread: state goes Starting, then Running (listeners,
     * store paths set) or Failed (lastError()). Ignored unless the state is Stopped or Failed.
     */
    void startSandbox(const SandboxOptions &options);
    /** Stops the environment: Stopping, then Stopped. Returns at once. */
    void stop();
    /** Stops and blocks until everything is stopped (the destructor calls this). */
    void stopAndWait();

    /** Generated transfers per second from now on (0 pauses the traffic). */
    void setRate(double perSecond);

    /**
     * Simulates a crash of a peer DFSP's connector (no graceful stop: in-flight work is cut) and
     * starts it again on the same ports and store after `downMs`. For tests and demos.
     */
    void restartPeerConnector(const QString &fspId, int downMs = 500);

    EnvironmentState state() const { return m_state; }
    /** "Sandbox" while a Sandbox runs or starts, else empty. */
    QString environmentName() const { return m_environment; }
    /** Why the last start failed or the environment stopped unexpectedly (one line). */
    QString lastError() const { return m_lastError; }
    /** Every listener, in a stable order: hub first, then each DFSP (ours first). */
    QList<Listener> listeners() const { return m_listeners; }
    TransferCounters counters() const { return m_counters; }
    /** SQLite stores of the connectors, ours first (read-only use by the UI). */
    QStringList storePaths() const { return m_storePaths; }
    /**
     * Every participant's USD position as the hub holds it now. Blocks briefly while the service
     * thread asks the hub (tests, and the UI on demand; not for a timer on the UI thread).
     */
    QList<HubPosition> hubPositions() const;
    /** Our DFSP's id in the environment ("pmdfsp" in the Sandbox). */
    QString ourFspId() const { return m_ourFspId; }
    /** The environment's data directory. */
    QString dataDir() const { return m_dataDir; }

signals:
    void stateChanged(Pm::Services::EnvironmentState state, const QString &detail);
    void listenersChanged(const QList<Pm::Services::Listener> &listeners);
    /** At most once per second while traffic flows, and at every state change. */
    void countersChanged(const Pm::Services::TransferCounters &counters);
    void storePathsChanged(const QStringList &paths);
    /** Each generated transfer as it finishes. */
    void transferFinished(const Pm::Services::TransferOutcome &outcome);
    /** SandboxOptions::transferLimit transfers have finished; `allExpected`: none unexpected. */
    void trafficFinished(bool allExpected);
    /** One line for a log view (service started, peer restarted, warnings). */
    void message(const QString &line);

private:
    void setState(EnvironmentState state, const QString &detail);

    struct ThreadStopper
    {
        void operator()(QThread *thread) const;
    };
    std::unique_ptr<QThread, ThreadStopper> m_thread;
    SandboxWorker *m_worker = nullptr; ///< lives on m_thread
    EnvironmentState m_state = EnvironmentState::Stopped;
    QString m_environment;
    QString m_lastError;
    QList<Listener> m_listeners;
    TransferCounters m_counters;
    QStringList m_storePaths;
    QString m_ourFspId;
    QString m_dataDir;
};

} // namespace Pm::Services

Q_DECLARE_METATYPE(Pm::Services::EnvironmentState)
Q_DECLARE_METATYPE(Pm::Services::Listener)
Q_DECLARE_METATYPE(Pm::Services::TransferCounters)
Q_DECLARE_METATYPE(Pm::Services::TransferOutcome)
Q_DECLARE_METATYPE(Pm::Services::HubPosition)
