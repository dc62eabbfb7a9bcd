#pragma once

#include "core/base/result.h"
#include "core/hub/hubconfig.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <functional>
#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace Pm::Hub {

class HubCore;

/** The hub's transfer states (central-ledger's, reduced to the four that matter here). */
enum class TransferState {
    Received, ///< POST /transfers accepted, not yet checked against the payer's limit
    Reserved, ///< the amount is reserved against the payer's net debit cap; waiting for the payee
    Committed, ///< positions moved: payer + amount, payee - amount
    Aborted, ///< refused, rejected, failed or expired; the reservation released
};

/** "RECEIVED", "RESERVED", "COMMITTED" or "ABORTED". */
QString transferStateName(TransferState state);

/** One transfer as the hub holds it. */
struct TransferSnapshot
{
    QString transferId;
    QString payerFsp;
    QString payeeFsp;
    QString currency;
    QString amount; ///< FSPIOP Amount text
    qint64 amountMinor = 0;
    TransferState state = TransferState::Received;
    QDateTime expiration;
    QDateTime completed; ///< when it was committed or aborted; null before
    int errorCode = 0; ///< why it was aborted (4001, 3303, the payee's code...); 0 otherwise
    QString reason; ///< one line; empty when committed
};

/**
 * A participant's position in one currency, in minor units of that currency (positive: it owes).
 * Amounts are converted exactly with Fspiop::Amount::toMinorUnits, so "0.29" USD is 29.
 */
struct PositionSnapshot
{
    QString currency;
    qint64 position = 0; ///< committed net position: sum of sent minus sum of received
    qint64 reserved = 0; ///< held by transfers in RESERVED
    std::optional<qint64> netDebitCap; ///< none: no limit
    /** What the participant may still reserve: cap - position - reserved; none without a cap. */
    std::optional<qint64> headroom() const
    {
        if (!netDebitCap)
            return std::nullopt;
        return *netDebitCap - position - reserved;
    }
};

/** A participant and its counters (for the Sandbox's dashboards). */
struct ParticipantSnapshot
{
    QString fspId;
    QString endpoint;
    QStringList currencies;
    QList<PositionSnapshot> positions; ///< one per currency, in the order of `currencies`
    int transfersCommitted = 0; ///< as payer or payee
    int transfersAborted = 0; ///< as payer or payee
};

/** Hub-wide counters. */
struct HubCounters
{
    int requestsReceived = 0; ///< FSPIOP requests and callbacks accepted
    int requestsRefused = 0; ///< answered at once with an HTTP error (headers, JWS, schema...)
    int forwarded = 0; ///< passed on to a participant and acknowledged by it
    int forwardFailures = 0; ///< passed on but not acknowledged (refused, unreachable, timeout)
    int errorCallbacks = 0; ///< error callbacks the hub wrote itself
};

/**
 * A Mojaloop switch simulator on loopback: participant registry, account lookup (an oracle
 * table), quote and transfer routing with header, schema and JWS checks on the way through, hub
 * transfer states with net debit cap positions, PATCH notifications and expiry. Bodies and the
 * FSPIOP headers of routed messages are passed through byte for byte, as the real switch does.
 * See docs/hub.md.
 *
 * Everything runs on a thread of its own (its HTTP server, client and timers are created there).
 * Create, start, use and stop it on one thread; the accessors block briefly while the hub thread
 * answers. The signals are emitted on the hub thread: connect with a receiver living on your
 * thread (the connection is then queued) or with Qt::DirectConnection for a thread-safe slot.
 */
class Hub : public QObject
{
    Q_OBJECT

public:
    explicit Hub(HubConfig config, QObject *parent = nullptr);
    /** Stops if still running. */
    ~Hub() override;
    Hub(const Hub &) = delete;
    Hub &operator=(const Hub &) = delete;

    /**
     * Checks the configuration, loads or generates the signing key, starts the hub thread and
     * listens. Returns the port; a failure is one line and leaves nothing running.
     */
    Result<quint16> start();
    /** Closes the server and the connections and stops the thread. Idempotent. */
    void stop();

    bool isRunning() const { return m_running; }
    quint16 port() const { return m_port; }
    const QString &hubId() const { return m_config.hubId; }
    /** The hub's JWS public key (PEM) while running: participants verify the hub's own messages
     * with it. */
    QByteArray publicKeyPem() const { return m_publicKeyPem; }

    /** Registers a participant, or replaces its endpoint, currencies, key and caps (positions
     * stay). */
    Result<void> addParticipant(const ParticipantConfig &participant);
    /** Adds or replaces an oracle row. The DFSP must be registered. */
    Result<void> addParty(const PartyEntry &party);

    QList<ParticipantSnapshot> participants() const;
    std::optional<ParticipantSnapshot> participant(const QString &fspId) const;
    std::optional<TransferSnapshot> transfer(const QString &transferId) const;
    /** Every transfer the hub has seen, in arrival order. */
    QList<TransferSnapshot> transfers() const;
    /** One participant's position in one currency; none for an unknown participant or currency. */
    std::optional<PositionSnapshot> position(const QString &fspId, const QString &currency) const;
    HubCounters counters() const;

signals:
    /** A transfer reached RESERVED, COMMITTED or ABORTED (refused at once: straight to ABORTED). */
    void transferChanged(const Pm::Hub::TransferSnapshot &transfer);
    /** A participant's position or reservation changed (the snapshot after the change). */
    void positionChanged(const QString &fspId, const Pm::Hub::PositionSnapshot &position);

private:
    HubConfig m_config;
    QByteArray m_publicKeyPem;
    QThread *m_thread = nullptr;
    QObject *m_anchor = nullptr; ///< lives on m_thread
    HubCore *m_core = nullptr; ///< lives on m_thread
    quint16 m_port = 0;
    bool m_running = false;
};

} // namespace Pm::Hub
