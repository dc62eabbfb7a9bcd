#pragma once

#include "core/base/result.h"
#include "core/connector/config.h"
#include "core/connector/waiters.h"
#include "core/fspiop/json.h"
#include "core/net/httpserver.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace Pm::Store {
class Store;
}

namespace Pm::Connector {

class FspiopClient;
class Metrics;

/**
 * The outbound API the DFSP's core connector calls (OUTBOUND_LISTEN_PORT, plain HTTP, JSON), with
 * request and response bodies shaped as the reference SDK's so that existing core connectors work
 * unchanged:
 *  - POST /transfers: party lookup → (WAITING_FOR_PARTY_ACCEPTANCE) → quote →
 *    (WAITING_FOR_QUOTE_ACCEPTANCE) → transfer → COMPLETED | ERROR_OCCURRED | ABORTED, pausing
 *    unless AUTO_ACCEPT_PARTY / AUTO_ACCEPT_QUOTES;
 *  - PUT /transfers/{id} {acceptParty} / {acceptQuote} resumes; GET /transfers/{id} reads the record;
 *  - GET /parties/{Type}/{ID}[/{SubId}], POST /quotes {fspId, quotesPostRequest},
 *    POST /simpleTransfers {fspId, transfersPostRequest}; GET / health.
 * Callbacks are awaited through the WaiterRegistry (registered before each request is sent), with
 * REQUEST_PROCESSING_TIMEOUT_SECONDS: a timeout answers 504, an error callback 500 with
 * lastError.mojaloopError (§6.3 of the reference notes). Each state is stored before the request
 * that acts on it is sent.
 *
 * Service thread only.
 */
class OutboundService : public QObject
{
    Q_OBJECT
public:
    OutboundService(const ConnectorConfig &config, FspiopClient *fspiop, WaiterRegistry *waiters,
                    Store::Store *store, Metrics *metrics, QObject *parent = nullptr);
    ~OutboundService() override;

    /** Creates the socket server on the calling thread and listens; returns the port. */
    Pm::Result<quint16> listen();
    void stopAccepting();
    quint16 port() const;

    /**
     * Picks up the outbound transfers a previous run left unfinished: paused ones stay resumable
     * (PUT /transfers/{id}); ones that were looking up the party or waiting for a quote are failed
     * (their caller has gone); ones whose POST /transfers was sent are asked about with
     * GET /transfers/{id} and completed or failed from the answer. Returns how many were found.
     */
    int recover();

    /** A PUT /transfers/{id}[/error] that no waiter took: a late fulfil, or the answer to recover(). */
    void unclaimedTransferCallback(const QString &transferId, const CallbackMessage &message);

    /** Transfers being worked on or paused in memory. */
    int active() const { return int(m_transfers.size()); }

    struct Transfer;

private:
    void handle(Net::HttpRequest request, Net::HttpResponder responder);
    void postTransfers(const Net::HttpRequest &request, Net::HttpResponder responder);
    void putTransfers(const QString &id, const Net::HttpRequest &request, Net::HttpResponder responder);
    void getTransfers(const QString &id, Net::HttpResponder responder);
    void getParties(const QStringList &segments, Net::HttpResponder responder);
    void postQuotes(const Net::HttpRequest &request, Net::HttpResponder responder);
    void postSimpleTransfers(const Net::HttpRequest &request, Net::HttpResponder responder);

    void resolvePayee(const std::shared_ptr<Transfer> &t);
    void onParty(const std::shared_ptr<Transfer> &t, const CallbackMessage &message);
    void requestQuote(const std::shared_ptr<Transfer> &t);
    void onQuote(const std::shared_ptr<Transfer> &t, const CallbackMessage &message);
    void executeTransfer(const std::shared_ptr<Transfer> &t);
    void onFulfil(const std::shared_ptr<Transfer> &t, const CallbackMessage &message);
    /** SEND_FINAL_NOTIFICATION_IF_REQUESTED: PATCH /transfers/{id} COMMITTED to the payee. */
    void sendFinalNotification(const std::shared_ptr<Transfer> &t);
    void pause(const std::shared_ptr<Transfer> &t, const QString &state);
    void succeed(const std::shared_ptr<Transfer> &t);
    void fail(const std::shared_ptr<Transfer> &t, int httpStatus, const QString &message,
              const Fspiop::Json &mojaloopError = {});
    void abort(const std::shared_ptr<Transfer> &t, const QString &reason);
    void persist(const std::shared_ptr<Transfer> &t, const QString &state, std::function<void()> then);
    void answer(const std::shared_ptr<Transfer> &t, int status, const Fspiop::Json &body);
    std::shared_ptr<Transfer> load(const QString &id);
    QString newId() const;

    ConnectorConfig m_config;
    FspiopClient *m_fspiop;
    WaiterRegistry *m_waiters;
    Store::Store *m_store;
    Metrics *m_metrics;
    std::unique_ptr<Net::HttpServer> m_server;
    QHash<QString, std::shared_ptr<Transfer>> m_transfers;
};

} // namespace Pm::Connector
