#include "core/connector/outbound.h"
#include "core/connector/listen_p.h"

#include "core/connector/fspiopclient.h"
#include "core/connector/jsonutil_p.h"
#include "core/connector/metrics.h"
#include "core/fspiop/amount.h"
#include "core/fspiop/currency.h"
#include "core/fspiop/datatypes.h"
#include "core/fspiop/errors.h"
#include "core/fspiop/ilp.h"
#include "core/store/store.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Pm::Connector {

Q_LOGGING_CATEGORY(lcOutbound, "pm.connector.outbound")

using namespace Internal;

// Internal states of an outbound transfer, stored as TransferRecord::state.
namespace State {
const QString Start = u"PAYEE_LOOKUP"_s;
const QString WaitingParty = u"WAITING_FOR_PARTY_ACCEPTANCE"_s;
const QString QuoteRequested = u"QUOTE_REQUESTED"_s;
const QString WaitingQuote = u"WAITING_FOR_QUOTE_ACCEPTANCE"_s;
const QString Prepared = u"TRANSFER_PREPARED"_s;
const QString Completed = u"COMPLETED"_s;
const QString Error = u"ERROR_OCCURRED"_s;
const QString Aborted = u"ABORTED"_s;
} // namespace State

struct OutboundService::Transfer
{
    QString id;
    QString state = State::Start;
    Json model;                      ///< the reference-shaped state object
    Net::HttpResponder responder;    ///< the caller waiting for the answer, if any
    qint64 initiatedAt = 0;
    QElapsedTimer stageTimer;
    bool busy = false;               ///< a step is running (not paused, not final)
};

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString nowIso()
{
    return Fspiop::DataTypes::formatDateTime(QDateTime::currentDateTimeUtc());
}

void respondJson(Net::HttpResponder &responder, int status, const Json &body)
{
    responder.respond(status, Net::HttpHeaders{{"Content-Type", "application/json"}}, bytes(body));
}

Json validationError(const QString &message)
{
    return Json{{"message", s(message)}, {"statusCode", 400}};
}

Json headersJson(const Net::HttpHeaders &headers)
{
    Json out = Json::object();
    for (const auto &[name, value] : headers.fields())
        out[name.toLower().toStdString()] = value.toStdString();
    return out;
}

Json requestJson(const FspiopSent &sent, const QByteArray &method, const QByteArray &body)
{
    Json out = Json::object();
    out["method"] = method.toStdString();
    out["host"] = s(sent.url.host());
    out["port"] = s(QString::number(sent.url.port(sent.url.scheme() == u"https"_s ? 443 : 80)));
    out["path"] = s(sent.url.path());
    out["headers"] = headersJson(sent.headers);
    out["body"] = body.isEmpty() ? Json() : Json(body.toStdString());
    return out;
}

Store::PartyRecord partyRecord(const Json &p)
{
    Store::PartyRecord r;
    r.idType = str(p, "idType");
    r.idValue = str(p, "idValue");
    r.subId = str(p, "idSubValue");
    r.fspId = str(p, "fspId");
    r.displayName = str(p, "displayName");
    return r;
}

QString errorCodeOf(const Json &mojaloopError)
{
    if (const Json *info = obj(mojaloopError, "errorInformation"))
        return str(*info, "errorCode");
    return {};
}

} // namespace

OutboundService::OutboundService(const ConnectorConfig &config, FspiopClient *fspiop,
                                 WaiterRegistry *waiters, Store::Store *store, Metrics *metrics,
                                 QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_fspiop(fspiop)
    , m_waiters(waiters)
    , m_store(store)
    , m_metrics(metrics)
{
}

OutboundService::~OutboundService() = default;

Pm::Result<quint16> OutboundService::listen()
{
    Net::HttpServerOptions options;
    options.address = m_config.listenAddress;
    options.port = m_config.outboundPort;
    // A caller waits for up to three FSPIOP round trips.
    options.requestTimeout = std::chrono::milliseconds(30'000);
    m_server = Net::createHttpServer();
    m_server->setHandler([this](Net::HttpRequest request, Net::HttpResponder responder) {
        handle(std::move(request), std::move(responder));
    });
    auto port = m_server->listen(options);
    if (!port) {
        return std::unexpected(Internal::listenError(u"OUTBOUND_LISTEN_PORT"_s, options, port.error()));
    }
    return *port;
}

void OutboundService::stopAccepting()
{
    if (m_server)
        m_server->stopAccepting();
}

quint16 OutboundService::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QString OutboundService::newId() const
{
    return m_config.idGenerator.type == IdGeneratorSettings::Type::Ulid
               ? Fspiop::DataTypes::generateUlid()
               : Fspiop::DataTypes::generateUuid();
}

void OutboundService::handle(Net::HttpRequest request, Net::HttpResponder responder)
{
    const QStringList seg = request.path.split(u'/', Qt::SkipEmptyParts);
    const QByteArray &method = request.method;
    if (seg.isEmpty() && method == "GET")
        return responder.respond(200);
    if (!seg.isEmpty() && seg[0] == u"transfers"_s) {
        if (seg.size() == 1 && method == "POST")
            return postTransfers(request, std::move(responder));
        if (seg.size() == 2 && method == "PUT")
            return putTransfers(seg[1], request, std::move(responder));
        if (seg.size() == 2 && method == "GET")
            return getTransfers(seg[1], std::move(responder));
    } else if (!seg.isEmpty() && seg[0] == u"parties"_s && (seg.size() == 3 || seg.size() == 4)
               && method == "GET") {
        return getParties(seg, std::move(responder));
    } else if (seg.size() == 1 && seg[0] == u"quotes"_s && method == "POST") {
        return postQuotes(request, std::move(responder));
    } else if (seg.size() == 1 && seg[0] == u"simpleTransfers"_s && method == "POST") {
        return postSimpleTransfers(request, std::move(responder));
    }
    // A known path with a method it does not take is 405, not 404.
    const bool knownPath = seg.isEmpty()
                           || (seg[0] == u"transfers"_s && (seg.size() == 1 || seg.size() == 2))
                           || (seg[0] == u"parties"_s && (seg.size() == 3 || seg.size() == 4))
                           || (seg.size() == 1 && (seg[0] == u"quotes"_s || seg[0] == u"simpleTransfers"_s));
    if (knownPath) {
        QByteArray allowed = "GET";
        if (!seg.isEmpty() && seg[0] == u"transfers"_s)
            allowed = seg.size() == 1 ? "POST" : "GET, PUT";
        else if (!seg.isEmpty() && seg[0] != u"parties"_s)
            allowed = "POST";
        responder.respond(405, Net::HttpHeaders{{"Content-Type", "application/json"}, {"Allow", allowed}},
                          bytes(Json{{"message", s(u"Method %1 not allowed on %2 (allowed: %3)"_s.arg(
                                                      QString::fromLatin1(method), request.path,
                                                      QString::fromLatin1(allowed)))},
                                     {"statusCode", 405}}));
        return;
    }
    respondJson(responder, 404, Json{{"message", "Not found"}, {"statusCode", 404}});
}

namespace {

/** The message for an unknown ISO 4217 code in `field`, or empty when `value` is known. */
QString currencyProblem(const Json &holder, const char *key, const QString &field)
{
    const QString code = str(holder, key);
    if (code.isEmpty() || Fspiop::isKnownCurrency(code))
        return {};
    return u"request body: %1 '%2' is not an ISO 4217 currency code"_s.arg(field, code);
}

/** Checks every {currency, amount} money object directly inside `object`; first problem or empty. */
QString moneyProblem(const Json &object, const QString &prefix)
{
    if (!object.is_object())
        return {};
    for (const auto &[key, value] : object.items()) {
        if (value.is_object() && value.contains("currency")) {
            const QString field = prefix + QString::fromStdString(key) + u".currency"_s;
            if (QString problem = currencyProblem(value, "currency", field); !problem.isEmpty())
                return problem;
        }
    }
    return {};
}

} // namespace

// ---------------------------------------------------------------------------------------------
// POST /transfers

void OutboundService::postTransfers(const Net::HttpRequest &request, Net::HttpResponder responder)
{
    auto parsed = Fspiop::parseJson(request.body);
    if (!parsed || !parsed->is_object())
        return respondJson(responder, 400, validationError(u"request body must be a JSON object"_s));
    Json body = std::move(*parsed);
    for (const char *key : {"homeTransactionId", "amountType", "currency", "amount", "transactionType"}) {
        if (str(body, key).isEmpty())
            return respondJson(responder, 400, validationError(u"request body: %1 is required"_s.arg(QLatin1StringView(key))));
    }
    for (const char *key : {"from", "to"}) {
        const Json *p = obj(body, key);
        if (!p || str(*p, "idType").isEmpty() || str(*p, "idValue").isEmpty())
            return respondJson(responder, 400, validationError(
                u"request body: %1 must have idType and idValue"_s.arg(QLatin1StringView(key))));
    }
    if (str(body, "amountType") != u"SEND"_s && str(body, "amountType") != u"RECEIVE"_s)
        return respondJson(responder, 400, validationError(u"request body: amountType must be SEND or RECEIVE"_s));
    if (QString problem = currencyProblem(body, "currency", u"currency"_s); !problem.isEmpty())
        return respondJson(responder, 400, validationError(problem));
    if (auto amount = Fspiop::Amount::parse(str(body, "amount"), u"amount"); !amount)
        return respondJson(responder, 400, validationError(u"request body: "_s + amount.error().message));
    if (body.value("skipPartyLookup", false) == true && str(body["to"], "fspId").isEmpty())
        return respondJson(responder, 400, validationError(u"request body: skipPartyLookup needs to.fspId"_s));

    auto t = std::make_shared<Transfer>();
    t->id = newId();
    t->initiatedAt = nowMs();
    t->model = body;
    t->model["transferId"] = s(t->id);
    t->model["currentState"] = "WAITING_FOR_PARTY_ACCEPTANCE";
    t->model["initiatedTimestamp"] = s(nowIso());
    t->model["direction"] = "OUTBOUND";
    t->responder = std::move(responder);
    t->busy = true;
    m_transfers.insert(t->id, t);
    if (m_metrics)
        m_metrics->increment(u"mojaloop_connector_outbound_transfer_request_count"_s, u"Outbound POST /transfers requests"_s);

    persist(t, State::Start, [this, t] {
        if (t->model.value("skipPartyLookup", false) == true) {
            if (m_config.autoAcceptParty)
                requestQuote(t);
            else
                pause(t, State::WaitingParty);
            return;
        }
        resolvePayee(t);
    });
}

void OutboundService::resolvePayee(const std::shared_ptr<Transfer> &t)
{
    const Json &to = t->model["to"];
    const QString type = str(to, "idType"), id = str(to, "idValue"), sub = str(to, "idSubValue");
    const QString key = WaiterRegistry::partiesKey(type, id, sub);
    const bool alreadyAsked = m_waiters->waiting(key) > 0;
    t->stageTimer.start();
    m_waiters->wait(key, m_config.requestProcessingTimeoutSeconds * 1000,
                    [this, t](const CallbackMessage &m) { onParty(t, m); });
    if (m_metrics)
        m_metrics->increment(u"mojaloop_connector_outbound_party_lookup_request_count"_s);
    if (alreadyAsked)
        return; // the answer to the lookup already sent wakes this waiter too
    FspiopOutgoing out;
    out.method = "GET";
    out.resource = u"parties"_s;
    out.path = u"/parties/%1/%2"_s.arg(type, id) + (sub.isEmpty() ? QString() : u'/' + sub);
    out.destination = str(to, "fspId");
    out.transferId = t->id;
    out.correlationId = type + u'/' + id + (sub.isEmpty() ? QString() : u'/' + sub);
    m_fspiop->send(std::move(out), [this, t, key](Pm::Result<FspiopSent> r) {
        if (r) {
            t->model["getPartiesRequest"] = requestJson(*r, "GET", {});
            return;
        }
        CallbackMessage failed;
        failed.isError = true;
        failed.body = Fspiop::errorInformationResponse(r.error());
        m_waiters->publish(key, failed);
    });
}

void OutboundService::onParty(const std::shared_ptr<Transfer> &t, const CallbackMessage &m)
{
    if (m_metrics) {
        m_metrics->increment(u"mojaloop_connector_outbound_party_lookup_response_count"_s);
        m_metrics->observe(u"mojaloop_connector_outbound_party_lookup_latency"_s,
                           double(t->stageTimer.nsecsElapsed()) / 1e9, u"Party lookup latency"_s);
    }
    if (m.timedOut)
        return fail(t, 504, u"Timeout resolving payee for transfer %1"_s.arg(t->id));
    if (m.isError) {
        return fail(t, 500, u"Got an error response resolving party: %1"_s.arg(
                                QString::fromUtf8(bytes(m.body))), m.body);
    }
    const Json *party = obj(m.body, "party");
    const Json *info = party ? obj(*party, "partyIdInfo") : nullptr;
    Json &to = t->model["to"];
    if (!info)
        return fail(t, 500, u"Party callback without party.partyIdInfo"_s);
    // Exact match, where an absent sub id equals an empty one (the reference's === does not).
    if (str(*info, "partyIdType") != str(to, "idType") || str(*info, "partyIdentifier") != str(to, "idValue")
        || str(*info, "partySubIdOrType") != str(to, "idSubValue")) {
        return fail(t, 500, u"Expecting resolved party to match %1/%2/%3, got %4"_s.arg(
                                str(to, "idType"), str(to, "idValue"), str(to, "idSubValue"),
                                QString::fromUtf8(bytes(*info))));
    }
    if (str(*info, "fspId").isEmpty())
        return fail(t, 500, u"Resolved party has no fspId"_s);
    to["fspId"] = info->at("fspId");
    if (const Json *ext = obj(*info, "extensionList"))
        to["extensionList"] = flattenExtensions(*ext);
    if (const Json *personal = obj(*party, "personalInfo")) {
        if (const Json *name = obj(*personal, "complexName")) {
            copyIf(to, *name, "firstName");
            copyIf(to, *name, "middleName");
            copyIf(to, *name, "lastName");
        }
        copyIf(to, *personal, "dateOfBirth");
    }
    t->model["getPartiesResponse"] = Json{{"headers", headersJson(Net::HttpHeaders())}, {"body", m.body}};
    {
        Json h = Json::object();
        for (const auto &[name, value] : m.headers.fields())
            h[name.toLower().toStdString()] = value.toStdString();
        t->model["getPartiesResponse"]["headers"] = h;
    }
    if (!m_config.autoAcceptParty)
        return pause(t, State::WaitingParty);
    requestQuote(t);
}

// ---------------------------------------------------------------------------------------------
// Quote

void OutboundService::requestQuote(const std::shared_ptr<Transfer> &t)
{
    t->busy = true;
    Json &model = t->model;
    const QString quoteId = newId();
    model["quoteId"] = s(quoteId);
    Json q = Json::object();
    q["quoteId"] = s(quoteId);
    q["transactionId"] = s(t->id);
    q["amountType"] = model["amountType"];
    q["amount"] = Json{{"currency", model["currency"]}, {"amount", model["amount"]}};
    const int quoteExpiry = model.value("quoteExpirySeconds", Json()).is_number_integer()
                                ? model["quoteExpirySeconds"].get<int>()
                                : m_config.expirySeconds;
    q["expiration"] = s(Fspiop::DataTypes::formatDateTime(QDateTime::currentDateTimeUtc().addSecs(quoteExpiry)));
    q["payer"] = internalPartyToFspiop(model["from"], m_config.dfspId);
    q["payee"] = internalPartyToFspiop(model["to"], str(model["to"], "fspId"));
    Json type = Json::object();
    type["scenario"] = model["transactionType"];
    copyIf(type, model, "subScenario");
    type["initiator"] = "PAYER";
    const QString initiatorType = str(model["from"], "type");
    type["initiatorType"] = s(initiatorType.isEmpty() ? u"CONSUMER"_s : initiatorType);
    q["transactionType"] = type;
    copyIf(q, model, "note");
    if (model.contains("quoteRequestExtensions")) {
        if (auto nested = nestExtensions(model["quoteRequestExtensions"]))
            q["extensionList"] = *nested;
    }
    const QByteArray body = bytes(q);

    persist(t, State::QuoteRequested, [this, t, quoteId, body] {
        t->stageTimer.start();
        const quint64 waiter = m_waiters->wait(u"qt_"_s + quoteId, m_config.requestProcessingTimeoutSeconds * 1000,
                                               [this, t](const CallbackMessage &m) { onQuote(t, m); });
        if (m_metrics)
            m_metrics->increment(u"mojaloop_connector_outbound_quote_request_count"_s);
        FspiopOutgoing out;
        out.method = "POST";
        out.resource = u"quotes"_s;
        out.path = u"/quotes"_s;
        out.body = body;
        out.destination = str(t->model["to"], "fspId");
        out.transferId = t->id;
        out.correlationId = quoteId;
        m_fspiop->send(std::move(out), [this, t, body, waiter](Pm::Result<FspiopSent> r) {
            if (r) {
                t->model["quoteRequest"] = requestJson(*r, "POST", body);
                return;
            }
            m_waiters->cancel(waiter);
            fail(t, 500, u"Error requesting quote: %1"_s.arg(r.error().message),
                 Fspiop::errorInformationResponse(r.error()));
        });
    });
}

void OutboundService::onQuote(const std::shared_ptr<Transfer> &t, const CallbackMessage &m)
{
    if (m_metrics) {
        m_metrics->increment(u"mojaloop_connector_outbound_quote_response_count"_s);
        m_metrics->observe(u"mojaloop_connector_outbound_quote_request_latency"_s,
                           double(t->stageTimer.nsecsElapsed()) / 1e9, u"Quote latency"_s);
    }
    if (m.timedOut)
        return fail(t, 504, u"Timeout requesting quote for transfer %1"_s.arg(t->id));
    if (m.isError)
        return fail(t, 500, u"Got an error response requesting quote: %1"_s.arg(QString::fromUtf8(bytes(m.body))), m.body);
    Json h = Json::object();
    for (const auto &[name, value] : m.headers.fields())
        h[name.toLower().toStdString()] = value.toStdString();
    t->model["quoteResponse"] = Json{{"headers", h}, {"body", m.body}};
    t->model["quoteResponseSource"] = s(m.source);
    if (m_config.rejectExpiredQuoteResponses) {
        const QDateTime exp = QDateTime::fromString(str(m.body, "expiration"), Qt::ISODateWithMs);
        if (exp.isValid() && exp < QDateTime::currentDateTimeUtc())
            return fail(t, 504, u"Quote response missed expiry deadline"_s);
    }
    if (!m_config.autoAcceptQuotes)
        return pause(t, State::WaitingQuote);
    executeTransfer(t);
}

// ---------------------------------------------------------------------------------------------
// Transfer

void OutboundService::executeTransfer(const std::shared_ptr<Transfer> &t)
{
    t->busy = true;
    Json &model = t->model;
    Json &quoteRef = model["quoteResponse"]["body"];
    if (!quoteRef.is_object())
        quoteRef = Json::object();
    const Json &quote = quoteRef;
    const QString source = str(model, "quoteResponseSource");
    Json p = Json::object();
    p["transferId"] = s(t->id);
    p["payeeFsp"] = s(m_config.useQuoteSourceFspAsTransferPayeeFsp || str(model["to"], "fspId").isEmpty()
                          ? source : str(model["to"], "fspId"));
    p["payerFsp"] = s(m_config.dfspId);
    p["amount"] = quote.value("transferAmount", Json::object());
    p["ilpPacket"] = quote.value("ilpPacket", Json());
    p["condition"] = quote.value("condition", Json());
    const int prepareExpiry = model.value("prepareExpirySeconds", Json()).is_number_integer()
                                  ? model["prepareExpirySeconds"].get<int>()
                                  : m_config.expirySeconds;
    p["expiration"] = s(Fspiop::DataTypes::formatDateTime(QDateTime::currentDateTimeUtc().addSecs(prepareExpiry)));
    if (model.contains("transferRequestExtensions")) {
        if (auto nested = nestExtensions(model["transferRequestExtensions"]))
            p["extensionList"] = *nested;
    }
    const QByteArray body = bytes(p);

    persist(t, State::Prepared, [this, t, body, source] {
        t->stageTimer.start();
        const quint64 waiter = m_waiters->wait(u"tf_"_s + t->id, m_config.requestProcessingTimeoutSeconds * 1000,
                                               [this, t](const CallbackMessage &m) { onFulfil(t, m); });
        if (m_metrics)
            m_metrics->increment(u"mojaloop_connector_outbound_transfer_prepare_count"_s);
        FspiopOutgoing out;
        out.method = "POST";
        out.resource = u"transfers"_s;
        out.path = u"/transfers"_s;
        out.body = body;
        out.destination = source;
        out.transferId = t->id;
        out.correlationId = t->id;
        m_fspiop->send(std::move(out), [this, t, body, waiter](Pm::Result<FspiopSent> r) {
            if (r) {
                t->model["prepare"] = requestJson(*r, "POST", body);
                return;
            }
            m_waiters->cancel(waiter);
            fail(t, 500, u"Error sending transfer: %1"_s.arg(r.error().message),
                 Fspiop::errorInformationResponse(r.error()));
        });
    });
}

void OutboundService::onFulfil(const std::shared_ptr<Transfer> &t, const CallbackMessage &m)
{
    if (m_metrics) {
        m_metrics->increment(u"mojaloop_connector_outbound_transfer_fulfil_response_count"_s);
        m_metrics->observe(u"mojaloop_connector_outbound_transfer_latency"_s,
                           double(t->stageTimer.nsecsElapsed()) / 1e9, u"Transfer latency"_s);
    }
    if (m.timedOut) {
        // The payee may still commit: the record stays TRANSFER_PREPARED (not failed) so that a
        // late fulfil or the recovery's GET /transfers settles it.
        t->busy = false;
        Json body = Json::object();
        body["message"] = s(u"Timeout waiting for fulfil for transfer %1"_s.arg(t->id));
        body["statusCode"] = "504";
        Json state = t->model;
        state["currentState"] = "ERROR_OCCURRED";
        body["transferState"] = state;
        answer(t, 504, body);
        m_transfers.remove(t->id);
        return;
    }
    if (m.isError)
        return fail(t, 500, u"Got an error response preparing transfer: %1"_s.arg(QString::fromUtf8(bytes(m.body))), m.body);
    Json h = Json::object();
    for (const auto &[name, value] : m.headers.fields())
        h[name.toLower().toStdString()] = value.toStdString();
    t->model["fulfil"] = Json{{"body", m.body}, {"headers", h}};
    const QString state = str(m.body, "transferState");
    if (state == u"ABORTED"_s)
        return fail(t, 500, u"Transfer %1 was aborted by the payee"_s.arg(t->id));
    if (m_config.checkIlp) {
        const std::string condition = str(t->model["quoteResponse"]["body"], "condition").toStdString();
        if (!Fspiop::Ilp::checkFulfilment(str(m.body, "fulfilment").toStdString(), condition))
            return fail(t, 500, u"Invalid fulfilment received from peer DFSP."_s);
    }
    if (state == u"RESERVED"_s && m_config.sendFinalNotificationIfRequested)
        sendFinalNotification(t);
    succeed(t);
}

void OutboundService::sendFinalNotification(const std::shared_ptr<Transfer> &t)
{
    // The payee reserved and waits for the final state; without a hub in between (direct
    // peering, tests) this connector tells it, as the reference does.
    Json patch = Json::object();
    patch["completedTimestamp"] = s(nowIso());
    patch["transferState"] = "COMMITTED";
    const QByteArray body = bytes(patch);
    FspiopOutgoing out;
    out.method = "PATCH";
    out.resource = u"transfers"_s;
    out.path = u"/transfers/"_s + t->id;
    out.body = body;
    out.destination = str(t->model, "quoteResponseSource");
    out.transferId = t->id;
    out.correlationId = t->id;
    const QString id = t->id;
    m_fspiop->send(std::move(out), [id](Pm::Result<FspiopSent> r) {
        if (!r)
            qCWarning(lcOutbound, "transfer %s: PATCH /transfers failed: %s", qUtf8Printable(id),
                      qUtf8Printable(r.error().message));
    });
}

// ---------------------------------------------------------------------------------------------
// Outcomes

void OutboundService::persist(const std::shared_ptr<Transfer> &t, const QString &state,
                              std::function<void()> then)
{
    t->state = state;
    Store::TransferRecord r;
    r.id = t->id;
    r.direction = Store::Direction::Outbound;
    r.state = state;
    r.status = state == State::Completed ? Store::TransferStatus::Completed
               : (state == State::Error || state == State::Aborted) ? Store::TransferStatus::Failed
                                                                    : Store::TransferStatus::Pending;
    const Json &m = t->model;
    r.homeTransactionId = str(m, "homeTransactionId");
    r.quoteId = str(m, "quoteId");
    r.transactionId = t->id;
    r.payer = partyRecord(m.value("from", Json::object()));
    if (r.payer.fspId.isEmpty())
        r.payer.fspId = m_config.dfspId;
    r.payee = partyRecord(m.value("to", Json::object()));
    r.amountType = str(m, "amountType");
    r.amount = str(m, "amount");
    r.currency = str(m, "currency");
    if (const Json *qr = obj(m, "quoteResponse")) {
        if (const Json *qb = obj(*qr, "body")) {
            if (const Json *ta = obj(*qb, "transferAmount"))
                r.transferAmount = str(*ta, "amount");
            if (const Json *fee = obj(*qb, "payeeFspFee"))
                r.payeeFspFee = str(*fee, "amount");
            if (const Json *c = obj(*qb, "payeeFspCommission"))
                r.payeeFspCommission = str(*c, "amount");
            if (const Json *ra = obj(*qb, "payeeReceiveAmount"))
                r.payeeReceiveAmount = str(*ra, "amount");
            r.ilpCondition = str(*qb, "condition");
            r.ilpPacket = str(*qb, "ilpPacket");
            r.expiration = str(*qb, "expiration");
        }
    }
    if (const Json *f = obj(m, "fulfil")) {
        if (const Json *fb = obj(*f, "body"))
            r.ilpFulfilment = str(*fb, "fulfilment");
    }
    if (const Json *le = obj(m, "lastError")) {
        const QString code = errorCodeOf(le->value("mojaloopError", Json()));
        if (!code.isEmpty())
            r.lastErrorCode = code.toInt();
    }
    r.lastErrorDescription = str(m, "lastErrorMessage");
    r.initiatedAt = t->initiatedAt;
    r.updatedAt = nowMs();
    r.model = bytes(m);
    if (!m_store) {
        if (then)
            then();
        return;
    }
    m_store->transfers().upsert(std::move(r), this, [this, t, then = std::move(then)](const Pm::Result<void> &stored) {
        if (!stored) {
            qCWarning(lcOutbound, "transfer %s: cannot store state: %s", qUtf8Printable(t->id),
                      qUtf8Printable(stored.error().message));
            if (t->state != State::Error) {
                Json body{{"message", s(u"cannot store the transfer: "_s + stored.error().message)},
                          {"statusCode", "500"}};
                t->state = State::Error;
                answer(t, 500, body);
                m_transfers.remove(t->id);
                return;
            }
        }
        if (then)
            then();
    });
}

void OutboundService::answer(const std::shared_ptr<Transfer> &t, int status, const Json &body)
{
    if (t->responder.isPending())
        respondJson(t->responder, status, body);
}

void OutboundService::pause(const std::shared_ptr<Transfer> &t, const QString &state)
{
    t->model["currentState"] = s(state);
    persist(t, state, [this, t] {
        t->busy = false;
        answer(t, 200, t->model);
    });
}

void OutboundService::succeed(const std::shared_ptr<Transfer> &t)
{
    t->model["currentState"] = "COMPLETED";
    persist(t, State::Completed, [this, t] {
        t->busy = false;
        answer(t, 200, t->model);
        m_transfers.remove(t->id);
    });
}

void OutboundService::abort(const std::shared_ptr<Transfer> &t, const QString &reason)
{
    t->model["currentState"] = "ABORTED";
    t->model["abortedReason"] = s(reason);
    persist(t, State::Aborted, [this, t] {
        t->busy = false;
        answer(t, 200, t->model);
        m_transfers.remove(t->id);
    });
}

void OutboundService::fail(const std::shared_ptr<Transfer> &t, int httpStatus, const QString &message,
                           const Json &mojaloopError)
{
    qCInfo(lcOutbound, "transfer %s failed: %s", qUtf8Printable(t->id), qUtf8Printable(message));
    t->model["currentState"] = "ERROR_OCCURRED";
    t->model["lastErrorMessage"] = s(message);
    QString statusCode = QString::number(httpStatus);
    if (!mojaloopError.is_null()) {
        t->model["lastError"] = Json{{"httpStatusCode", httpStatus}, {"mojaloopError", mojaloopError}};
        const QString code = errorCodeOf(mojaloopError);
        if (!code.isEmpty())
            statusCode = code;
        if (!m_config.outboundErrorStatusCodeExtensionKey.isEmpty()) {
            const Json *info = obj(mojaloopError, "errorInformation");
            const Json *list = info ? obj(*info, "extensionList") : nullptr;
            for (const Json &e : list ? flattenExtensions(*list) : Json::array()) {
                if (str(e, "key") == m_config.outboundErrorStatusCodeExtensionKey && !str(e, "value").isEmpty())
                    statusCode = str(e, "value");
            }
        }
    }
    persist(t, State::Error, [this, t, httpStatus, message, statusCode] {
        t->busy = false;
        Json body = Json::object();
        body["message"] = s(message);
        body["statusCode"] = s(statusCode);
        body["transferState"] = t->model;
        answer(t, httpStatus, body);
        m_transfers.remove(t->id);
    });
}

// ---------------------------------------------------------------------------------------------
// PUT /transfers/{id}, GET /transfers/{id}

std::shared_ptr<OutboundService::Transfer> OutboundService::load(const QString &id)
{
    if (auto it = m_transfers.find(id); it != m_transfers.end())
        return *it;
    if (!m_store)
        return {};
    auto rec = m_store->transfers().get(id);
    if (!rec || !rec->has_value() || (*rec)->direction != Store::Direction::Outbound)
        return {};
    auto parsed = Fspiop::parseJson((*rec)->model);
    if (!parsed || !parsed->is_object())
        return {};
    auto t = std::make_shared<Transfer>();
    t->id = id;
    t->state = (*rec)->state;
    t->model = std::move(*parsed);
    t->initiatedAt = (*rec)->initiatedAt;
    return t;
}

void OutboundService::putTransfers(const QString &id, const Net::HttpRequest &request,
                                   Net::HttpResponder responder)
{
    auto parsed = Fspiop::parseJson(request.body);
    if (!parsed || !parsed->is_object())
        return respondJson(responder, 400, validationError(u"request body must be a JSON object"_s));
    auto t = load(id);
    if (!t) {
        return respondJson(responder, 404, Json{{"message", s(u"No transfer %1"_s.arg(id))},
                                                {"statusCode", "404"}});
    }
    if (t->busy || (t->state != State::WaitingParty && t->state != State::WaitingQuote)) {
        Json body{{"message", s(u"Transfer %1 is in state %2 and cannot be resumed"_s.arg(id, t->state))},
                  {"statusCode", "409"}};
        body["transferState"] = t->model;
        return respondJson(responder, 409, body);
    }
    const Json &update = *parsed;
    for (const char *key : {"acceptParty", "acceptQuote", "amount", "to"}) {
        if (update.contains(key))
            t->model[key] = update[key];
    }
    m_transfers.insert(id, t);
    t->responder = std::move(responder);
    t->busy = true;
    if (t->state == State::WaitingParty) {
        if (t->model.value("acceptParty", Json()) != true)
            return abort(t, u"Payee rejected by backend"_s);
        requestQuote(t);
    } else {
        if (t->model.value("acceptQuote", Json()) != true)
            return abort(t, u"Quote rejected by backend"_s);
        executeTransfer(t);
    }
}

void OutboundService::getTransfers(const QString &id, Net::HttpResponder responder)
{
    auto t = load(id);
    if (!t)
        return respondJson(responder, 404, Json{{"message", s(u"No transfer %1"_s.arg(id))}, {"statusCode", "404"}});
    respondJson(responder, 200, t->model);
}

void OutboundService::unclaimedTransferCallback(const QString &transferId, const CallbackMessage &m)
{
    auto t = load(transferId);
    if (!t || t->busy || t->state != State::Prepared)
        return;
    Json h = Json::object();
    for (const auto &[name, value] : m.headers.fields())
        h[name.toLower().toStdString()] = value.toStdString();
    if (m.isError) {
        t->model["lastError"] = Json{{"httpStatusCode", 500}, {"mojaloopError", m.body}};
        t->model["currentState"] = "ERROR_OCCURRED";
        persist(t, State::Error, {});
        return;
    }
    const QString state = str(m.body, "transferState");
    const std::string condition = str(t->model["quoteResponse"]["body"], "condition").toStdString();
    if (state == u"COMMITTED"_s
        && (!m_config.checkIlp || Fspiop::Ilp::checkFulfilment(str(m.body, "fulfilment").toStdString(), condition))) {
        t->model["fulfil"] = Json{{"body", m.body}, {"headers", h}};
        t->model["currentState"] = "COMPLETED";
        persist(t, State::Completed, {});
    } else if (state == u"ABORTED"_s) {
        t->model["currentState"] = "ERROR_OCCURRED";
        persist(t, State::Error, {});
    }
}

int OutboundService::recover()
{
    if (!m_store)
        return 0;
    auto list = m_store->transfers().unfinished(Store::Direction::Outbound);
    if (!list)
        return 0;
    for (const Store::TransferRecord &rec : *list) {
        auto t = load(rec.id);
        if (!t)
            continue;
        if (t->state == State::WaitingParty || t->state == State::WaitingQuote)
            continue; // resumable by PUT /transfers/{id}, loaded from the store on demand
        if (t->state == State::Prepared) {
            FspiopOutgoing out;
            out.method = "GET";
            out.resource = u"transfers"_s;
            out.path = u"/transfers/"_s + t->id;
            out.destination = str(t->model, "quoteResponseSource");
            out.transferId = t->id;
            out.correlationId = t->id;
            m_fspiop->send(std::move(out), [](Pm::Result<FspiopSent>) {});
            continue;
        }
        // Looking up the party or waiting for a quote: the caller's request died with the process.
        t->model["currentState"] = "ERROR_OCCURRED";
        t->model["lastErrorMessage"] = "Interrupted by a restart of the connector";
        persist(t, State::Error, {});
    }
    return int(list->size());
}

// ---------------------------------------------------------------------------------------------
// Async-to-sync helpers: GET /parties, POST /quotes, POST /simpleTransfers

void OutboundService::getParties(const QStringList &seg, Net::HttpResponder responder)
{
    const QString type = seg[1], id = seg[2], sub = seg.size() == 4 ? seg[3] : QString();
    const QString key = WaiterRegistry::partiesKey(type, id, sub);
    const bool alreadyAsked = m_waiters->waiting(key) > 0;
    auto shared = std::make_shared<Net::HttpResponder>(std::move(responder));
    m_waiters->wait(key, m_config.requestProcessingTimeoutSeconds * 1000, [shared](const CallbackMessage &m) {
        if (m.timedOut) {
            respondJson(*shared, 504, Json{{"message", "Timeout resolving party"}, {"statusCode", "504"},
                                           {"requestPartiesInformationState", Json{{"currentState", "ERROR_OCCURRED"}}}});
            return;
        }
        Json h = Json::object();
        for (const auto &[name, value] : m.headers.fields())
            h[name.toLower().toStdString()] = value.toStdString();
        if (m.isError) {
            Json body = m.body.is_object() ? m.body : Json::object();
            body["currentState"] = "ERROR_OCCURRED";
            respondJson(*shared, 404, body);
            return;
        }
        respondJson(*shared, 200, Json{{"party", Json{{"body", m.body}, {"headers", h}}}, {"currentState", "COMPLETED"}});
    });
    if (alreadyAsked)
        return;
    FspiopOutgoing out;
    out.method = "GET";
    out.resource = u"parties"_s;
    out.path = u"/parties/%1/%2"_s.arg(type, id) + (sub.isEmpty() ? QString() : u'/' + sub);
    out.correlationId = type + u'/' + id + (sub.isEmpty() ? QString() : u'/' + sub);
    m_fspiop->send(std::move(out), [this, key](Pm::Result<FspiopSent> r) {
        if (r)
            return;
        CallbackMessage failed;
        failed.isError = true;
        failed.body = Fspiop::errorInformationResponse(r.error());
        m_waiters->publish(key, failed);
    });
}

namespace {

/** Shared by POST /quotes and POST /simpleTransfers. */
void asyncToSync(FspiopClient *fspiop, WaiterRegistry *waiters, int timeoutMs, const QString &resource,
                 const QString &key, const QString &id, const QString &fspId, const Json &request,
                 const char *resultKey, const char *stateKey, Net::HttpResponder responder)
{
    auto shared = std::make_shared<Net::HttpResponder>(std::move(responder));
    const std::string rk = resultKey, sk = stateKey;
    const quint64 waiter = waiters->wait(key, timeoutMs, [shared, rk, sk](const CallbackMessage &m) {
        if (m.timedOut) {
            respondJson(*shared, 504, Json{{"message", "Timeout waiting for the callback"}, {"statusCode", "504"},
                                           {sk, Json{{"currentState", "ERROR_OCCURRED"}}}});
            return;
        }
        Json h = Json::object();
        for (const auto &[name, value] : m.headers.fields())
            h[name.toLower().toStdString()] = value.toStdString();
        if (m.isError) {
            QString code = errorCodeOf(m.body);
            respondJson(*shared, 500, Json{{"message", "Got an error callback"},
                                           {"statusCode", s(code.isEmpty() ? u"500"_s : code)},
                                           {sk, Json{{"currentState", "ERROR_OCCURRED"}, {"lastError", Json{{"httpStatusCode", 500}, {"mojaloopError", m.body}}}}}});
            return;
        }
        respondJson(*shared, 200, Json{{rk, Json{{"body", m.body}, {"headers", h}}}, {"currentState", "COMPLETED"}});
    });
    FspiopOutgoing out;
    out.method = "POST";
    out.resource = resource;
    out.path = u"/"_s + resource;
    out.body = bytes(request);
    out.destination = fspId;
    out.correlationId = id;
    QPointer<WaiterRegistry> guard(waiters);
    fspiop->send(std::move(out), [guard, key, waiter](Pm::Result<FspiopSent> r) {
        if (r || !guard)
            return;
        CallbackMessage failed;
        failed.isError = true;
        failed.body = Fspiop::errorInformationResponse(r.error());
        guard->publish(key, failed);
        Q_UNUSED(waiter);
    });
}

} // namespace

void OutboundService::postQuotes(const Net::HttpRequest &request, Net::HttpResponder responder)
{
    auto parsed = Fspiop::parseJson(request.body);
    const Json *q = parsed ? obj(*parsed, "quotesPostRequest") : nullptr;
    if (!q || str(*parsed, "fspId").isEmpty() || str(*q, "quoteId").isEmpty())
        return respondJson(responder, 400, validationError(u"request body needs fspId and quotesPostRequest.quoteId"_s));
    if (QString problem = moneyProblem(*q, u"quotesPostRequest."_s); !problem.isEmpty())
        return respondJson(responder, 400, validationError(problem));
    const QString quoteId = str(*q, "quoteId");
    asyncToSync(m_fspiop, m_waiters, m_config.requestProcessingTimeoutSeconds * 1000, u"quotes"_s,
                u"qt_"_s + quoteId, quoteId, str(*parsed, "fspId"), *q, "quotes",
                "requestQuotesInformationState", std::move(responder));
}

void OutboundService::postSimpleTransfers(const Net::HttpRequest &request, Net::HttpResponder responder)
{
    auto parsed = Fspiop::parseJson(request.body);
    const Json *p = parsed ? obj(*parsed, "transfersPostRequest") : nullptr;
    if (!p || str(*parsed, "fspId").isEmpty() || str(*p, "transferId").isEmpty())
        return respondJson(responder, 400, validationError(u"request body needs fspId and transfersPostRequest.transferId"_s));
    if (QString problem = moneyProblem(*p, u"transfersPostRequest."_s); !problem.isEmpty())
        return respondJson(responder, 400, validationError(problem));
    const QString transferId = str(*p, "transferId");
    asyncToSync(m_fspiop, m_waiters, m_config.requestProcessingTimeoutSeconds * 1000, u"transfers"_s,
                u"tf_"_s + transferId, transferId, str(*parsed, "fspId"), *p, "transfer",
                "requestSimpleTransfersInformationState", std::move(responder));
}

} // namespace Pm::Connector
