#pragma once

#include "core/base/result.h"
#include "core/connector/config.h"
#include "core/fspiop/headers.h"
#include "core/fspiop/json.h"
#include "core/net/httpserver.h"

#include <QObject>

#include <functional>
#include <memory>

namespace Pm::Store {
class Store;
}

namespace Pm::Connector {

class JwsKeyDirectory;
class Metrics;

/** The FSPIOP operations the inbound server accepts. */
enum class InboundRoute {
    GetParties,
    PutParties,
    PutPartiesError,
    GetParticipants,
    PutParticipants,
    PutParticipantsError,
    PostQuotes,
    GetQuotes,
    PutQuotes,
    PutQuotesError,
    PostTransfers,
    GetTransfers,
    PutTransfers,
    PutTransfersError,
    PatchTransfers,
};

/** An accepted inbound FSPIOP message, handed on after it was acknowledged. */
struct InboundMessage
{
    InboundRoute route = InboundRoute::GetParties;
    QByteArray method;
    QString path;
    QString resource;   ///< "parties", "quotes"...
    QString partyType;  ///< parties/participants: {Type}
    QString partyId;    ///< parties/participants: {ID}
    QString partySubId; ///< parties/participants: {SubId}, empty if none
    QString id;         ///< quotes/transfers: {ID}
    Fspiop::Json body;  ///< parsed body (null for GET)
    QByteArray rawBody;
    Fspiop::HttpHeaders headers;
    QString source;      ///< FSPIOP-Source
    QString destination; ///< FSPIOP-Destination, may be empty
    Fspiop::TraceContext trace;
    Fspiop::ApiVersion version; ///< the Content-Type version
};

/** What the route table says about a method and path. */
struct RouteMatch
{
    enum class Kind { Route, Health, NotFound, MethodNotAllowed };
    Kind kind = Kind::NotFound;
    InboundRoute route = InboundRoute::GetParties;
    QString resource, partyType, partyId, partySubId, id;
    /** The schema type of the body, empty for bodiless requests. */
    QString schemaType;
};

/** Matches `method` and `path` against the inbound route table. */
RouteMatch matchInboundRoute(QByteArrayView method, const QString &path);

/**
 * The FSPIOP server the hub (or a peer) calls: INBOUND_LISTEN_PORT, plain or mutual TLS.
 *
 * Each request passes, in order: GET / health (200); the header check (3101/3102 400, 3001 406);
 * the JWS check (VALIDATE_INBOUND_JWS; not GET; PUT /parties only with
 * VALIDATE_INBOUND_PUT_PARTIES_JWS; 400/3105); the JSON parse (400/3101); the route table (404/3002
 * unknown path, 405/3000 method); the schema of the Content-Type version (400/3102 or 3100 naming
 * the field). Accepted requests are answered 202 (POST, GET) or 200 (PUT, PATCH) with an empty body,
 * recorded in the store, and only then handed to the handler. Error answers are FSPIOP
 * errorInformation JSON.
 */
class InboundServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(InboundMessage)>;

    /** `keys`, `store` and `metrics` may be null; they must outlive the server. */
    InboundServer(const ConnectorConfig &config, JwsKeyDirectory *keys, Store::Store *store,
                  Metrics *metrics, Handler handler, QObject *parent = nullptr);
    ~InboundServer() override;

    /**
     * Creates the socket server on the calling thread and listens; returns the port. With `tls`
     * (INBOUND_MUTUAL_TLS_ENABLED) the server is HTTPS and requires a client certificate.
     */
    Pm::Result<quint16> listen(const std::optional<QSslConfiguration> &tls);
    /** TLS material for connections accepted from now on (hot reload). */
    void setTlsConfiguration(const QSslConfiguration &tls);
    /** Graceful stop (pending answers are still sent). */
    void stopAccepting();
    quint16 port() const;

private:
    void handle(Net::HttpRequest request, Net::HttpResponder responder);

    ConnectorConfig m_config;
    JwsKeyDirectory *m_keys;
    Store::Store *m_store;
    Metrics *m_metrics;
    Handler m_handler;
    std::unique_ptr<Net::HttpServer> m_server;
};

} // namespace Pm::Connector
