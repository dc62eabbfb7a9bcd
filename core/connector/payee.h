#pragma once

#include "core/connector/config.h"
#include "core/connector/inboundserver.h"
#include "core/fspiop/ilp.h"

#include <QObject>
#include <QSet>

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

private:
    void getParties(const InboundMessage &m, bool participants);
    void postQuotes(const InboundMessage &m);
    void getQuotes(const InboundMessage &m);
    void postTransfers(const InboundMessage &m);
    void getTransfers(const InboundMessage &m);
    void patchTransfers(const InboundMessage &m);

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
};

} // namespace Pm::Connector
