#pragma once

#include "core/connector/config.h"
#include "core/connector/inboundserver.h"
#include "core/connector/waiters.h"
#include "core/fspiop/ilp.h"

#include <QHash>
#include <QObject>
#include <QSet>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace Pm::Store {
class Store;
struct TransferRecord;
}

namespace Pm::Connector {

class BackendClient;
class FspiopClient;

/**
 * The payee side (and the other inbound requests): answers GET /parties, GET /participants,
 * POST /quotes, GET /quotes/{ID}, POST /transfers, GET /transfers/{ID} and PATCH /transfers/{ID}
 * with the backend's help and FSPIOP callbacks, as the reference's InboundTransfersModel does,
 * with the corrections listed in docs/connector.md (duplicates answered from the record, backend
 * "no answer" reported, precise error codes, real-time expiry checks).
 *
 * Service thread only. `store` is required.
 */
class PayeeService : public QObject
{
    Q_OBJECT
public:
    PayeeService(const ConnectorConfig &config, FspiopClient *fspiop, BackendClient *backend,
                 Store::Store *store, QObject *parent = nullptr);
    ~PayeeService() override;

    /** Handles an acknowledged inbound request (not callbacks). */
    void handle(const InboundMessage &message);

    /** Requests being worked on now (POST /quotes and POST /transfers not answered yet). */
    int inFlight() const { return int(m_quotesInFlight.size() + m_transfersInFlight.size()); }

    /**
     * A `PUT /transfers/{id}` (or its error form) nobody else waits for: if `id` is an inbound
     * transfer whose PATCH grace timer asked the hub (GET /transfers/{id}), the answer is passed to
     * the backend as a PATCH would be. Returns true if the message was for such a transfer.
     */
    bool transferStateCallback(const QString &id, const CallbackMessage &message);

    /**
     * After a restart: re-arms the PATCH grace timer of the inbound transfers left RESERVED.
     * Returns how many.
     */
    int recover();

    /** Inbound transfers waiting for a PATCH (or for the hub's answer to the fallback GET). */
    int awaitingPatch() const { return int(m_patchWaits.size()); }

private:
    void getParties(const InboundMessage &m, bool participants);
    void postQuotes(const InboundMessage &m);
    void getQuotes(const InboundMessage &m);
    /** `backendAsked`: the backend said it does not know the transfer (after a restart). */
    void postTransfers(const InboundMessage &m, bool backendAsked = false);
    /** A restart interrupted the backend's POST /transfers: asks GET /transfers/{id} instead. */
    void askBackendAfterRestart(const InboundMessage &m, const Store::TransferRecord &record);
    /** Stores the backend's transfer answer and sends the fulfil (or the error callback). */
    void answerTransfer(const InboundMessage &m, Store::TransferRecord record,
                        const std::string &fulfilment, const QString &path, const Fspiop::Json &answer);
    void getTransfers(const InboundMessage &m);
    void patchTransfers(const InboundMessage &m);
    /**
     * Records the final state `final` (a PATCH body, or the hub's answer to GET /transfers) of
     * inbound transfer `id` and notifies the backend with the whole state object.
     */
    void notifyFinal(const QString &id, Fspiop::Json final, const Fspiop::Json &lastError);
    /** PATCH_NOTIFICATION_GRACE_TIME_MS: after a RESERVED fulfil, wait for the PATCH. */
    void armPatchGrace(const QString &id, const std::optional<Fspiop::TraceContext> &trace);
    /** The grace time is over: ask the hub GET /transfers/{id} (again, up to 3 retries). */
    void askTransferState(const QString &id);
    void cancelPatchGrace(const QString &id);

    /** Sends PUT <path>/error with `error`, recording it on the transfer when one is given. */
    void sendError(const InboundMessage &trigger, const QString &path, const Pm::Error &error,
                   const QString &transferId = {});
    /** Sends a callback PUT `path` with exactly `body`. */
    void sendCallback(const InboundMessage &trigger, const QString &path, const QByteArray &body,
                      const QString &transferId = {});
    void failTransfer(const InboundMessage &trigger, Store::TransferRecord record,
                      const Pm::Error &error);

    ConnectorConfig m_config;
    FspiopClient *m_fspiop;
    BackendClient *m_backend;
    Store::Store *m_store;
    Fspiop::Ilp::Builder m_ilp;
    QSet<QString> m_quotesInFlight;
    QSet<QString> m_transfersInFlight;

    /** An inbound RESERVED transfer waiting for its PATCH. */
    struct PatchWait
    {
        QTimer *timer = nullptr;
        int getsSent = 0; ///< GET /transfers/{id} sent so far
        std::optional<Fspiop::TraceContext> trace;
    };
    QHash<QString, PatchWait> m_patchWaits;
};

} // namespace Pm::Connector
