#pragma once

#include "core/base/result.h"
#include "core/services/servicehost.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <memory>
#include <optional>
#include <random>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace Pm::Hub {
class Hub;
}
namespace Pm::Net {
class HttpClient;
}

namespace Pm::Services {

/** A customer of a Sandbox DFSP's simulated core bank (all hold one USD account). */
struct SandboxCustomer
{
    enum class Kind {
        Regular, ///< pays and is paid in the success scenario
        Poor, ///< 1 USD: the insufficient-funds payer
        Whale, ///< 100,000,000 USD: the payer-limit payer (its bank has the money, the hub cap does
               ///< not)
        Closed, ///< its account is closed: the payee-rejection payee
    };
    Kind kind = Kind::Regular;
    QString msisdn; ///< MSISDN alias, registered in the hub's oracle
    QString accountNo;
    QString firstName;
    QString lastName;
    qint64 balanceMinor = 0; ///< opening balance in cents
};

/** One DFSP of the Sandbox. */
struct SandboxDfsp
{
    QString fspId;
    bool ours = false;
    QList<SandboxCustomer> customers;
    /** An MSISDN of this DFSP's number range that no oracle entry has (the unknown-party payee). */
    QString unknownMsisdn;
    QString settlementAccountNo = QStringLiteral("SETTLE-USD");

    const SandboxCustomer *firstOf(SandboxCustomer::Kind kind) const;
    QList<const SandboxCustomer *> regulars() const;
};

/** Our DFSP ("pmdfsp") and the two simulated peers ("bluebank", "greenbank"), with their customers.
 */
QList<SandboxDfsp> sandboxDfsps();

/** The seed document of a DFSP's simulated core bank (docs/corebank.md format). */
QByteArray sandboxSeed(const SandboxDfsp &dfsp);

/** Net debit cap of every Sandbox DFSP at the hub, in USD cents (1,000,000 USD). */
inline constexpr qint64 SandboxNetDebitCapMinor = 100'000'000;

/** Formats cents as an FSPIOP Amount ("12.5", "3", "0.07"). */
QString formatUsd(qint64 minor);

class SandboxDfspRuntime;

/**
 * The Sandbox environment: the hub simulator, our DFSP and two simulated peers (each a Connector
 * with its own JWS key, core connector on the corebank template and simulated core bank), and the
 * traffic generator. Lives on one thread with an event loop (ServiceHost's service thread, or a
 * test's); start() blocks until everything listens.
 */
class Sandbox : public QObject
{
    Q_OBJECT

public:
    explicit Sandbox(QObject *parent = nullptr);
    ~Sandbox() override;

    /** Empties options.dataDir, generates keys, starts everything and registers it at the hub. */
    Result<void> start(const SandboxOptions &options);
    /** Stops traffic and every service (connectors first). Idempotent. */
    void stop();

    QList<Listener> listeners() const;
    QStringList storePaths() const;
    QString dataDir() const { return m_options.dataDir; }
    TransferCounters counters() const { return m_counters; }
    /** Positions of every participant at the hub (USD). */
    QList<HubPosition> hubPositions() const;
    Hub::Hub *hub() const { return m_hub.get(); }
    /** Base URL of a DFSP's simulated core bank ("http://127.0.0.1:PORT"). */
    QString coreBankUrl(const QString &fspId) const;
    const QList<SandboxDfsp> &dfsps() const { return m_dfsps; }

    /** Generated transfers per second (0 pauses). */
    void setRate(double perSecond);
    /** Starts generating (start() does when options.rate > 0). */
    void startTraffic();
    /** Generated transfers in flight. */
    int inFlight() const { return m_inFlight; }

    /**
     * Stops a peer's connector without grace (requests in flight are cut) and starts a new one on
     * the same ports, store and keys after `downMs`. Fails for our own DFSP or an unknown id.
     */
    Result<void> crashAndRestartConnector(const QString &fspId, int downMs);

signals:
    void transferFinished(const Pm::Services::TransferOutcome &outcome);
    void countersChanged(const Pm::Services::TransferCounters &counters);
    void trafficFinished(bool allExpected);
    void message(const QString &line);
    /** A service failed after start (a restarted connector that could not listen). */
    void failed(const QString &why);

private:
    struct Pending;
    Result<void> startHub();
    Result<void> startDfsp(int index);
    void tick();
    void launch();
    void sendMoney(
        std::shared_ptr<Pending> p, const SandboxCustomer &from, const QString &toMsisdn);
    void sendExpired(
        std::shared_ptr<Pending> p, const SandboxCustomer &from, const QString &toMsisdn);
    void judge(
        std::shared_ptr<Pending> p, int status, const QByteArray &body, const QString &transport);
    void finish(std::shared_ptr<Pending> p);
    quint16 configuredPort(const QString &name) const { return m_options.ports.value(name, 0); }
    SandboxDfspRuntime *runtime(const QString &fspId) const;
    void updateRate();

    SandboxOptions m_options;
    QList<SandboxDfsp> m_dfsps;
    std::unique_ptr<Hub::Hub> m_hub;
    QList<SandboxDfspRuntime *> m_runtimes; ///< owned (children)
    std::unique_ptr<Net::HttpClient> m_client;
    QTimer *m_timer = nullptr;
    std::mt19937 m_rng;
    double m_rate = 0;
    double m_tokens = 0;
    qint64 m_lastTickMs = 0;
    qint64 m_lastEmitMs = 0;
    qint64 m_startedMs = 0;
    qint64 m_sequence = 0;
    int m_inFlight = 0;
    bool m_trafficDone = false;
    TransferCounters m_counters;
    QList<qint64> m_finishTimesMs; ///< finish times of the last 10 s, for the rate
    QString m_hubKeyPem;
    QString m_keysDir;
};

} // namespace Pm::Services
