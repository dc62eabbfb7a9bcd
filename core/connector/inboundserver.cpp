#include "core/connector/inboundserver.h"
#include "core/connector/listen_p.h"

#include "core/connector/jsonutil_p.h"
#include "core/connector/jwskeys.h"
#include "core/connector/metrics.h"
#include "core/connector/tls.h"
#include "core/fspiop/errors.h"
#include "core/fspiop/jws.h"
#include "core/fspiop/schema.h"
#include "core/store/store.h"

#include <QDateTime>
#include <QElapsedTimer>

using namespace Qt::StringLiterals;

namespace Pm::Connector {

namespace {

RouteMatch routeFor(InboundRoute route, const char *schemaType)
{
    RouteMatch m;
    m.kind = RouteMatch::Kind::Route;
    m.route = route;
    m.schemaType = schemaType ? QString::fromLatin1(schemaType) : QString();
    return m;
}

RouteMatch methodNotAllowed()
{
    RouteMatch m;
    m.kind = RouteMatch::Kind::MethodNotAllowed;
    return m;
}

QByteArray errorBody(int code, const QString &description)
{
    auto body = Fspiop::errorInformationResponse(code, description);
    if (!body)
        body = Fspiop::errorInformationResponse(Fspiop::ErrorCodes::InternalServerError);
    return Fspiop::serializeJson(*body);
}

void respondError(Net::HttpResponder &responder, int status, const QByteArray &body)
{
    responder.respond(status, Net::HttpHeaders{{"Content-Type", "application/json"}}, body);
}

} // namespace

RouteMatch matchInboundRoute(QByteArrayView method, const QString &path)
{
    const QStringList seg = path.split(u'/', Qt::SkipEmptyParts);
    const int n = int(seg.size());
    if (n == 0) {
        if (method == "GET") {
            RouteMatch m;
            m.kind = RouteMatch::Kind::Health;
            return m;
        }
        return methodNotAllowed();
    }
    const QString &resource = seg[0];
    RouteMatch m;
    if (resource == u"parties"_s || resource == u"participants"_s) {
        const bool parties = resource == u"parties"_s;
        const bool error = (n == 4 || n == 5) && seg[n - 1] == u"error"_s;
        const int idSegments = error ? n - 1 : n;
        if (idSegments != 3 && idSegments != 4)
            return {};
        if (error) {
            if (method != "PUT")
                return methodNotAllowed();
            m = routeFor(parties ? InboundRoute::PutPartiesError : InboundRoute::PutParticipantsError,
                         "ErrorInformationResponse");
        } else if (method == "GET") {
            m = routeFor(parties ? InboundRoute::GetParties : InboundRoute::GetParticipants, nullptr);
        } else if (method == "PUT") {
            m = routeFor(parties ? InboundRoute::PutParties : InboundRoute::PutParticipants,
                         parties ? "PartiesTypeIDPutResponse" : "ParticipantsTypeIDPutResponse");
        } else {
            return methodNotAllowed();
        }
        m.partyType = seg[1];
        m.partyId = seg[2];
        if (idSegments == 4)
            m.partySubId = seg[3];
    } else if (resource == u"quotes"_s || resource == u"transfers"_s) {
        const bool quotes = resource == u"quotes"_s;
        if (n == 1) {
            if (method != "POST")
                return methodNotAllowed();
            m = routeFor(quotes ? InboundRoute::PostQuotes : InboundRoute::PostTransfers,
                         quotes ? "QuotesPostRequest" : "TransfersPostRequest");
        } else if (n == 2) {
            if (method == "GET")
                m = routeFor(quotes ? InboundRoute::GetQuotes : InboundRoute::GetTransfers, nullptr);
            else if (method == "PUT")
                m = routeFor(quotes ? InboundRoute::PutQuotes : InboundRoute::PutTransfers,
                             quotes ? "QuotesIDPutResponse" : "TransfersIDPutResponse");
            else if (method == "PATCH" && !quotes)
                m = routeFor(InboundRoute::PatchTransfers, "TransfersIDPatchResponse");
            else
                return methodNotAllowed();
            m.id = seg[1];
        } else if (n == 3 && seg[2] == u"error"_s) {
            if (method != "PUT")
                return methodNotAllowed();
            m = routeFor(quotes ? InboundRoute::PutQuotesError : InboundRoute::PutTransfersError,
                         "ErrorInformationResponse");
            m.id = seg[1];
        } else {
            return {};
        }
    } else {
        return {};
    }
    m.resource = resource;
    return m;
}

InboundServer::InboundServer(const ConnectorConfig &config, JwsKeyDirectory *keys,
                             Store::Store *store, Metrics *metrics, Handler handler, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_keys(keys)
    , m_store(store)
    , m_metrics(metrics)
    , m_handler(std::move(handler))
{
}

InboundServer::~InboundServer() = default;

void InboundServer::setTlsConfiguration(const QSslConfiguration &tls)
{
    if (m_server)
        m_server->setTlsConfiguration(tls);
}

Pm::Result<quint16> InboundServer::listen(const std::optional<QSslConfiguration> &tls)
{
    Net::HttpServerOptions options;
    options.address = m_config.listenAddress;
    options.port = m_config.inboundPort;
    options.maxBodyBytes = qsizetype(std::min<qint64>(m_config.fspiopApiMaxRequestBytes,
                                                      qint64(64) * 1024 * 1024));
    options.tls = tls;
    m_server = Net::createHttpServer();
    m_server->setHandler([this](Net::HttpRequest request, Net::HttpResponder responder) {
        handle(std::move(request), std::move(responder));
    });
    auto port = m_server->listen(options);
    if (!port) {
        return std::unexpected(Internal::listenError(u"INBOUND_LISTEN_PORT"_s, options, port.error()));
    }
    return *port;
}

void InboundServer::stopAccepting()
{
    if (m_server)
        m_server->stopAccepting();
}

quint16 InboundServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

void InboundServer::handle(Net::HttpRequest request, Net::HttpResponder responder)
{
    QElapsedTimer timer;
    timer.start();
    const Fspiop::HttpHeaders &headers = request.headers.fields();
    const QString resourceName = Fspiop::resourceFromPath(request.path);
    auto finish = [&](int status) {
        if (m_metrics) {
            m_metrics->fspiopRequest(u"in"_s, resourceName.isEmpty() ? u"other"_s : resourceName,
                                     request.method, status, double(timer.nsecsElapsed()) / 1e9);
        }
        if (m_store && !resourceName.isEmpty()) {
            m_store->metrics().add({QDateTime::currentMSecsSinceEpoch(), resourceName,
                                    Store::MessageDirection::In, timer.elapsed(), status >= 400});
        }
    };

    if (request.path == u"/"_s && request.method == "GET") {
        responder.respond(200, Net::HttpHeaders{{"Content-Type", "application/json"}}, "{\"status\":\"OK\"}");
        return;
    }

    // The route first: an unknown path or a method the path does not take is answered as such,
    // whatever its headers (a DELETE usually has no Content-Type).
    const RouteMatch match = matchInboundRoute(request.method, request.path);
    if (match.kind == RouteMatch::Kind::NotFound || match.kind == RouteMatch::Kind::Health) {
        respondError(responder, 404, errorBody(Fspiop::ErrorCodes::UnknownUri, u"Unknown URI"_s));
        finish(404);
        return;
    }
    if (match.kind == RouteMatch::Kind::MethodNotAllowed) {
        const Fspiop::ErrorDefinition def = Fspiop::methodNotAllowed();
        respondError(responder, 405, errorBody(def.code, def.description));
        finish(405);
        return;
    }

    // 1. Headers.
    auto checked = Fspiop::validateInboundHeaders(request.method, request.path, headers);
    if (!checked) {
        respondError(responder, checked.error().httpStatus,
                     Fspiop::serializeJson(checked.error().body()));
        finish(checked.error().httpStatus);
        return;
    }

    // 2. Signature.
    const bool putParties = request.method == "PUT" && request.path.startsWith(u"/parties/"_s);
    if (m_config.validateInboundJws && request.method != "GET"
        && (!putParties || m_config.validateInboundPutPartiesJws)) {
        auto lookup = [this](const QString &source) -> std::optional<Fspiop::Jws::VerificationKey> {
            return m_keys ? m_keys->key(source) : std::nullopt;
        };
        auto verified = Fspiop::Jws::verify(headers, request.body, lookup);
        if (!verified) {
            respondError(responder, 400,
                         errorBody(Fspiop::ErrorCodes::InvalidSignature,
                                   u"Invalid signature: "_s + verified.error().message));
            finish(400);
            return;
        }
    }

    // 3. Body.
    Fspiop::Json body;
    if (!request.body.trimmed().isEmpty()) {
        auto parsed = Fspiop::parseJson(request.body);
        if (!parsed) {
            respondError(responder, 400, errorBody(Fspiop::ErrorCodes::MalformedSyntax,
                                                   parsed.error().message));
            finish(400);
            return;
        }
        body = std::move(*parsed);
    }

    // 4. Schema of the version the sender declared.
    const Fspiop::ApiVersion version = checked->contentVersion.value_or(Fspiop::Versions::V1_0);
    if (!match.schemaType.isEmpty() && Fspiop::Schema::hasType(version, match.schemaType)) {
        auto valid = Fspiop::Schema::validate(version, match.schemaType, body);
        if (!valid) {
            respondError(responder, 400, errorBody(valid.error().code, valid.error().message));
            finish(400);
            return;
        }
    }

    // 5. Acknowledge, record, then work.
    const bool isRequest = request.method == "POST" || request.method == "GET";
    responder.respond(isRequest ? 202 : 200);
    finish(isRequest ? 202 : 200);

    InboundMessage message;
    message.route = match.route;
    message.method = request.method;
    message.path = request.path;
    message.resource = match.resource;
    message.partyType = match.partyType;
    message.partyId = match.partyId;
    message.partySubId = match.partySubId;
    message.id = match.id;
    message.body = std::move(body);
    message.rawBody = request.body;
    message.headers = headers;
    message.source = QString::fromUtf8(request.headers.value(Fspiop::HeaderName::FspiopSource));
    message.destination = QString::fromUtf8(request.headers.value(Fspiop::HeaderName::FspiopDestination));
    message.trace = Fspiop::TraceContext::fromHeaders(headers, m_config.traceFlags);
    message.version = version;

    if (m_store) {
        Store::MessageRecord record;
        record.direction = Store::MessageDirection::In;
        record.kind = isRequest ? Store::MessageKind::Request : Store::MessageKind::Callback;
        record.method = QString::fromLatin1(request.method);
        record.url = QString::fromUtf8(request.target);
        record.headers = headers;
        record.body = request.body;
        record.at = QDateTime::currentMSecsSinceEpoch();
        if (!match.id.isEmpty()) {
            record.correlationId = match.id;
            if (match.resource == u"transfers"_s)
                record.transferId = match.id;
        } else if (!match.partyId.isEmpty()) {
            record.correlationId = match.partyType + u'/' + match.partyId
                                   + (match.partySubId.isEmpty() ? QString() : u'/' + match.partySubId);
        } else if (match.route == InboundRoute::PostQuotes) {
            record.correlationId = Internal::str(message.body, "quoteId");
        } else if (match.route == InboundRoute::PostTransfers) {
            record.correlationId = Internal::str(message.body, "transferId");
            record.transferId = record.correlationId;
        }
        m_store->messages().append(std::move(record));
    }
    if (m_handler)
        m_handler(std::move(message));
}

} // namespace Pm::Connector
