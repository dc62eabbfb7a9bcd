#include "core/connector/payee.h"

#include "core/connector/backendclient.h"
#include "core/connector/fspiopclient.h"
#include "core/connector/jsonutil_p.h"
#include "core/fspiop/datatypes.h"
#include "core/fspiop/errors.h"
#include "core/store/store.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QTimeZone>
#include <QTimer>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Pm::Connector {

Q_LOGGING_CATEGORY(lcPayee, "pm.connector.payee")

using namespace Internal;
namespace Codes = Fspiop::ErrorCodes;

namespace {

QString nowIso()
{
    return Fspiop::DataTypes::formatDateTime(QDateTime::currentDateTimeUtc());
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString partyPath(const QString &resource, const InboundMessage &m)
{
    QString path = u"/%1/%2/%3"_s.arg(resource, m.partyType, m.partyId);
    if (!m.partySubId.isEmpty())
        path += u'/' + m.partySubId;
    return path;
}

/** FSPIOP Party → the backend's flat party (mojaloopPartyToInternal). */
Json partyToInternal(const Json &party)
{
    Json out = Json::object();
    const Json *info = obj(party, "partyIdInfo");
    if (info) {
        copyIf(out, *info, "partyIdType", "idType");
        copyIf(out, *info, "partyIdentifier", "idValue");
        copyIf(out, *info, "partySubIdOrType", "idSubValue");
        copyIf(out, *info, "fspId", "fspId");
        if (const Json *ext = obj(*info, "extensionList"))
            out["extensionList"] = flattenExtensions(*ext);
    }
    copyIf(out, party, "name", "displayName");
    if (const Json *personal = obj(party, "personalInfo")) {
        copyIf(out, *personal, "dateOfBirth");
        if (const Json *name = obj(*personal, "complexName")) {
            copyIf(out, *name, "firstName");
            copyIf(out, *name, "middleName");
            copyIf(out, *name, "lastName");
        }
    }
    copyIf(out, party, "merchantClassificationCode");
    return out;
}

/** The backend's party → FSPIOP Party (internalPartyToMojaloopParty), ids falling back to the URL. */
Json partyFromBackend(const Json &be, const InboundMessage &m, const ConnectorConfig &config)
{
    Json flat = be.is_object() ? be : Json::object();
    if (str(flat, "idType").isEmpty())
        flat["idType"] = s(m.partyType);
    if (str(flat, "idValue").isEmpty())
        flat["idValue"] = s(m.partyId);
    if (str(flat, "idSubValue").isEmpty()) {
        if (m.partySubId.isEmpty())
            flat.erase("idSubValue");
        else
            flat["idSubValue"] = s(m.partySubId);
    }
    Json party = internalPartyToFspiop(flat, config.dfspId);
    if (!config.supportedCurrencies.isEmpty()
        && config.resourceVersions.version(u"parties").major >= 2) {
        Json currencies = Json::array();
        for (const QString &c : config.supportedCurrencies)
            currencies.push_back(s(c));
        party["supportedCurrencies"] = currencies;
    }
    return party;
}

/** FSPIOP quote request → the backend's POST /quoterequests body (mojaloopQuoteRequestToInternal). */
Json quoteRequestToInternal(const Json &q)
{
    Json out = Json::object();
    copyIf(out, q, "quoteId");
    copyIf(out, q, "transactionId");
    copyIf(out, q, "transactionRequestId");
    if (const Json *payee = obj(q, "payee"))
        out["to"] = partyToInternal(*payee);
    if (const Json *payer = obj(q, "payer"))
        out["from"] = partyToInternal(*payer);
    copyIf(out, q, "amountType");
    if (const Json *amount = obj(q, "amount")) {
        copyIf(out, *amount, "amount");
        copyIf(out, *amount, "currency");
    }
    if (const Json *fees = obj(q, "fees")) {
        copyIf(out, *fees, "amount", "feesAmount");
        copyIf(out, *fees, "currency", "feesCurrency");
    }
    if (const Json *type = obj(q, "transactionType")) {
        copyIf(out, *type, "scenario", "transactionType");
        copyIf(out, *type, "subScenario");
        copyIf(out, *type, "initiator");
        copyIf(out, *type, "initiatorType");
    }
    copyIf(out, q, "geoCode");
    copyIf(out, q, "note");
    copyIf(out, q, "expiration");
    if (const Json *ext = obj(q, "extensionList"))
        out["extensionList"] = flattenExtensions(*ext);
    return out;
}

Json money(const QString &amount, const QString &currency)
{
    Json m = Json::object();
    m["amount"] = s(amount);
    m["currency"] = s(currency);
    return m;
}

QString requestHash(const Json &body)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(Fspiop::serializeJson(body, Fspiop::JsonKeyOrder::Sorted),
                                 QCryptographicHash::Sha256)
            .toHex());
}

std::optional<QDateTime> parseTime(const QString &iso)
{
    QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    return t;
}

Json modelOf(const Store::TransferRecord &record)
{
    if (record.model.isEmpty())
        return Json::object();
    auto parsed = Fspiop::parseJson(record.model);
    return parsed && parsed->is_object() ? *parsed : Json::object();
}

Store::PartyRecord partyRecord(const Json &internal)
{
    Store::PartyRecord p;
    p.idType = str(internal, "idType");
    p.idValue = str(internal, "idValue");
    p.subId = str(internal, "idSubValue");
    p.fspId = str(internal, "fspId");
    p.displayName = str(internal, "displayName");
    return p;
}

} // namespace

PayeeService::PayeeService(const ConnectorConfig &config, FspiopClient *fspiop,
                           BackendClient *backend, Store::Store *store, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_fspiop(fspiop)
    , m_backend(backend)
    , m_store(store)
    , m_ilp(config.ilpSecret)
{
}

PayeeService::~PayeeService()
{
    for (const PatchWait &w : std::as_const(m_patchWaits))
        delete w.timer;
}

void PayeeService::handle(const InboundMessage &message)
{
    switch (message.route) {
    case InboundRoute::GetParties:
        getParties(message, false);
        break;
    case InboundRoute::GetParticipants:
        getParties(message, true);
        break;
    case InboundRoute::PostQuotes:
        postQuotes(message);
        break;
    case InboundRoute::GetQuotes:
        getQuotes(message);
        break;
    case InboundRoute::PostTransfers:
        postTransfers(message);
        break;
    case InboundRoute::GetTransfers:
        getTransfers(message);
        break;
    case InboundRoute::PatchTransfers:
        patchTransfers(message);
        break;
    default:
        break;
    }
}

void PayeeService::sendCallback(const InboundMessage &trigger, const QString &path,
                                const QByteArray &body, const QString &transferId)
{
    FspiopOutgoing out;
    out.method = "PUT";
    out.resource = trigger.resource;
    out.path = path;
    out.body = body;
    out.destination = trigger.source;
    out.trace = trigger.trace;
    out.callback = true;
    out.transferId = transferId;
    // The id the message is filed under: the quote or transfer id, or "Type/ID[/SubId]".
    QStringList seg = path.split(u'/', Qt::SkipEmptyParts);
    if (!seg.isEmpty() && seg.last() == u"error"_s)
        seg.removeLast();
    if (!seg.isEmpty())
        seg.removeFirst();
    out.correlationId = seg.join(u'/');
    m_fspiop->send(std::move(out), [path](Pm::Result<FspiopSent> r) {
        if (!r)
            qCWarning(lcPayee, "callback PUT %s failed: %s", qUtf8Printable(path),
                      qUtf8Printable(r.error().message));
    });
}

void PayeeService::sendError(const InboundMessage &trigger, const QString &path,
                             const Pm::Error &error, const QString &transferId)
{
    qCInfo(lcPayee, "error callback %s: %d %s", qUtf8Printable(path), error.code,
           qUtf8Printable(error.message));
    sendCallback(trigger, path + u"/error"_s,
                 Fspiop::serializeJson(Fspiop::errorInformationResponse(error)), transferId);
}

// ---------------------------------------------------------------------------------------------
// GET /parties, GET /participants

void PayeeService::getParties(const InboundMessage &m, bool participants)
{
    const QString path = partyPath(participants ? u"participants"_s : u"parties"_s, m);
    QString bePath = u"/parties/%1/%2"_s.arg(m.partyType, m.partyId);
    if (!m.partySubId.isEmpty())
        bePath += u'/' + m.partySubId;
    m_backend->request("GET", bePath, std::nullopt,
                       [this, m, path, participants](Pm::Result<BackendResponse> r) {
        if (!r) {
            sendError(m, path, r.error());
            return;
        }
        if (r->status < 200 || r->status >= 300) {
            sendError(m, path, backendErrorToFspiop(*r, u"backend GET /parties"_s));
            return;
        }
        if (r->empty || !r->body.is_object()) {
            // The reference drops the request silently here; the payer would time out.
            sendError(m, path, Pm::Error{Codes::PartyNotFound,
                                         u"backend GET /parties gave no party"_s, {}});
            return;
        }
        Json body = Json::object();
        if (participants)
            body["fspId"] = s(m_config.dfspId);
        else
            body["party"] = partyFromBackend(r->body, m, m_config);
        sendCallback(m, path, bytes(body));
    });
}

// ---------------------------------------------------------------------------------------------
// POST /quotes, GET /quotes/{ID}

void PayeeService::postQuotes(const InboundMessage &m)
{
    const Json &q = m.body;
    const QString quoteId = str(q, "quoteId");
    const QString transactionId = str(q, "transactionId");
    const QString path = u"/quotes/"_s + quoteId;
    const QString hash = requestHash(q);

    if (m_quotesInFlight.contains(quoteId)) {
        qCInfo(lcPayee, "POST /quotes %s again while the first is being answered: ignored",
               qUtf8Printable(quoteId));
        return;
    }
    auto existing = m_store->quotes().get(quoteId);
    if (!existing) {
        sendError(m, path, existing.error());
        return;
    }
    if (existing->has_value()) {
        const Store::QuoteRecord &rec = **existing;
        if (rec.requestHash != hash) {
            sendError(m, path, Pm::Error{Codes::ModifiedRequest,
                                         u"quote %1 was already answered for a different request"_s.arg(quoteId), {}});
        } else {
            qCInfo(lcPayee, "POST /quotes %s again: answered from the record", qUtf8Printable(quoteId));
            sendCallback(m, path, rec.responseBody);
        }
        return;
    }

    m_quotesInFlight.insert(quoteId);
    const Json internal = quoteRequestToInternal(q);
    m_backend->request("POST", u"/quoterequests"_s, internal,
                       [this, m, quoteId, transactionId, path, hash, internal](Pm::Result<BackendResponse> r) {
        auto fail = [&](const Pm::Error &e) {
            m_quotesInFlight.remove(quoteId);
            sendError(m, path, e);
        };
        if (!r)
            return fail(r.error());
        if (r->status < 200 || r->status >= 300)
            return fail(backendErrorToFspiop(*r, u"backend POST /quoterequests"_s));
        if (r->empty || !r->body.is_object())
            return fail(Pm::Error{Codes::InternalServerError,
                                  u"backend POST /quoterequests gave no quote"_s, {}});
        Json be = r->body;
        const QString currency = str(internal, "currency");
        const QString transferAmount = str(be, "transferAmount");
        if (transferAmount.isEmpty())
            return fail(Pm::Error{Codes::InternalServerError,
                                  u"backend quote response has no transferAmount"_s, {}});
        auto cur = [&](const char *key) {
            const QString c = str(be, key);
            return c.isEmpty() ? (str(be, "transferAmountCurrency").isEmpty()
                                      ? currency
                                      : str(be, "transferAmountCurrency"))
                               : c;
        };
        QString expiration = str(be, "expiration");
        if (expiration.isEmpty()) {
            expiration = Fspiop::DataTypes::formatDateTime(
                QDateTime::currentDateTimeUtc().addSecs(m_config.expirySeconds));
            be["expiration"] = s(expiration);
        }

        Json response = Json::object();
        response["transferAmount"] = money(transferAmount, cur("transferAmountCurrency"));
        response["expiration"] = s(expiration);
        auto ilp = m_ilp.buildForQuote(m_config.ilpVersion, m.body, response);
        if (!ilp)
            return fail(ilp.error());
        response["ilpPacket"] = ilp->ilpPacket;
        response["condition"] = ilp->condition;
        if (!str(be, "payeeReceiveAmount").isEmpty())
            response["payeeReceiveAmount"] = money(str(be, "payeeReceiveAmount"), cur("payeeReceiveAmountCurrency"));
        if (!str(be, "payeeFspFeeAmount").isEmpty())
            response["payeeFspFee"] = money(str(be, "payeeFspFeeAmount"), cur("payeeFspFeeAmountCurrency"));
        if (!str(be, "payeeFspCommissionAmount").isEmpty())
            response["payeeFspCommission"] = money(str(be, "payeeFspCommissionAmount"), cur("payeeFspCommissionAmountCurrency"));
        copyIf(response, be, "geoCode");
        if (be.contains("extensionList")) {
            if (auto nested = nestExtensions(be["extensionList"]))
                response["extensionList"] = *nested;
        }
        const QByteArray responseBytes = bytes(response);

        const qint64 now = nowMs();
        Store::QuoteRecord quote;
        quote.quoteId = quoteId;
        quote.direction = Store::Direction::Inbound;
        quote.transactionId = transactionId;
        quote.requestHash = hash;
        quote.ilpCondition = QString::fromStdString(ilp->condition);
        quote.ilpFulfilment = QString::fromStdString(ilp->fulfilment);
        quote.ilpPacket = QString::fromStdString(ilp->ilpPacket);
        quote.expiration = expiration;
        quote.responseBody = responseBytes;
        quote.createdAt = now;
        quote.updatedAt = now;

        Json model = Json::object();
        model["direction"] = "INBOUND";
        model["quoteRequest"] = Json{{"body", m.body}};
        model["quote"] = Json{{"request", internal}, {"response", be}, {"mojaloopResponse", response}};
        model["currentState"] = "WAITING_FOR_QUOTE_ACCEPTANCE";
        model["initiatedTimestamp"] = s(nowIso());

        Store::TransferRecord t;
        t.id = transactionId;
        t.direction = Store::Direction::Inbound;
        t.state = u"WAITING_FOR_QUOTE_ACCEPTANCE"_s;
        t.quoteId = quoteId;
        t.transactionId = transactionId;
        t.payer = partyRecord(internal.value("from", Json::object()));
        t.payee = partyRecord(internal.value("to", Json::object()));
        t.amountType = str(internal, "amountType");
        t.amount = str(internal, "amount");
        t.currency = currency;
        t.transferAmount = transferAmount;
        t.payeeReceiveAmount = str(be, "payeeReceiveAmount");
        t.payeeFspFee = str(be, "payeeFspFeeAmount");
        t.payeeFspCommission = str(be, "payeeFspCommissionAmount");
        t.ilpCondition = quote.ilpCondition;
        t.ilpFulfilment = quote.ilpFulfilment;
        t.ilpPacket = quote.ilpPacket;
        t.expiration = expiration;
        t.initiatedAt = now;
        t.updatedAt = now;
        t.model = bytes(model);

        Store::WriteBatch batch;
        batch.upsertQuote(quote).upsertTransfer(t);
        // The fulfilment is on disk before the condition leaves.
        m_store->submit(std::move(batch), this, [this, m, quoteId, path, responseBytes](const Pm::Result<void> &stored) {
            m_quotesInFlight.remove(quoteId);
            if (!stored) {
                sendError(m, path, stored.error());
                return;
            }
            sendCallback(m, path, responseBytes);
        });
    });
}

void PayeeService::getQuotes(const InboundMessage &m)
{
    const QString path = u"/quotes/"_s + m.id;
    auto rec = m_store->quotes().get(m.id);
    if (!rec)
        return sendError(m, path, rec.error());
    if (!rec->has_value() || (*rec)->responseBody.isEmpty())
        return sendError(m, path, Pm::Error{Codes::QuoteIdNotFound, u"Quote ID not found"_s, {}});
    sendCallback(m, path, (*rec)->responseBody);
}

// ---------------------------------------------------------------------------------------------
// POST /transfers, GET /transfers/{ID}, PATCH /transfers/{ID}

void PayeeService::failTransfer(const InboundMessage &trigger, Store::TransferRecord record,
                                const Pm::Error &error)
{
    const QString path = u"/transfers/"_s + record.id;
    const Json errorBody = Fspiop::errorInformationResponse(error);
    Json model = modelOf(record);
    model["currentState"] = "ERROR_OCCURRED";
    model["lastError"] = Json{{"mojaloopError", errorBody}};
    model["errorCallback"] = std::string(bytes(errorBody).constData());
    record.state = u"ERROR_OCCURRED"_s;
    record.status = Store::TransferStatus::Failed;
    record.lastErrorCode = error.code;
    record.lastErrorDescription = error.message;
    record.updatedAt = nowMs();
    record.model = bytes(model);
    const QString id = record.id;
    m_store->transfers().upsert(std::move(record), this, [this, trigger, path, errorBody, id](const Pm::Result<void> &) {
        m_transfersInFlight.remove(id);
        sendCallback(trigger, path + u"/error"_s, bytes(errorBody), id);
    });
}

void PayeeService::postTransfers(const InboundMessage &m, bool backendAsked)
{
    const Json &p = m.body;
    const QString transferId = str(p, "transferId");
    const QString path = u"/transfers/"_s + transferId;
    if (m_transfersInFlight.contains(transferId)) {
        qCInfo(lcPayee, "POST /transfers %s again while the first is being answered: ignored",
               qUtf8Printable(transferId));
        return;
    }

    auto existing = m_store->transfers().get(transferId);
    if (!existing)
        return sendError(m, path, existing.error(), transferId);
    if (existing->has_value() && (*existing)->direction == Store::Direction::Inbound) {
        const Json model = modelOf(**existing);
        if (model.contains("fulfilCallback") && model["fulfilCallback"].is_string()) {
            qCInfo(lcPayee, "POST /transfers %s again: answered from the record", qUtf8Printable(transferId));
            return sendCallback(m, path, QByteArray::fromStdString(model["fulfilCallback"].get<std::string>()), transferId);
        }
        if (model.contains("errorCallback") && model["errorCallback"].is_string()) {
            return sendCallback(m, path + u"/error"_s,
                                QByteArray::fromStdString(model["errorCallback"].get<std::string>()), transferId);
        }
        // Stored just before the backend was called and not in flight: this process restarted
        // after that point, so the backend may already have the transfer. Ask, never post twice.
        if ((*existing)->state == u"PREPARE_RECEIVED"_s && !backendAsked)
            return askBackendAfterRestart(m, **existing);
    }

    // Which quote: transferId == transactionId, unless the packet is to say.
    QString transactionId = transferId;
    const std::string ilpPacket = str(p, "ilpPacket").toStdString();
    std::optional<Json> transactionObject;
    if (auto decoded = Fspiop::Ilp::decode(ilpPacket))
        transactionObject = decoded->transactionObject;
    if (m_config.allowDifferentTransferTransactionId) {
        if (!transactionObject || str(*transactionObject, "transactionId").isEmpty())
            return sendError(m, path, Pm::Error{Codes::MalformedSyntax,
                                                u"ilpPacket carries no transactionId"_s, {}}, {});
        transactionId = str(*transactionObject, "transactionId");
    }

    auto quoted = m_store->transfers().findByTransactionId(transactionId);
    if (!quoted)
        return sendError(m, path, quoted.error());
    std::optional<Store::TransferRecord> quoteRecord;
    if (quoted->has_value() && (*quoted)->direction == Store::Direction::Inbound)
        quoteRecord = **quoted;

    Store::TransferRecord record;
    Json model = Json::object();
    std::string fulfilment;
    if (quoteRecord) {
        record = *quoteRecord;
        model = modelOf(record);
        fulfilment = record.ilpFulfilment.toStdString();
        if (record.id != transferId) {
            record.id = transferId;
            record.initiatedAt = nowMs();
        }
    } else if (m_config.allowTransferWithoutQuote) {
        auto f = m_ilp.fulfilmentForPacket(ilpPacket);
        if (!f)
            return sendError(m, path, f.error());
        fulfilment = *f;
        record.id = transferId;
        record.direction = Store::Direction::Inbound;
        record.transactionId = transactionId;
        record.initiatedAt = nowMs();
        model["direction"] = "INBOUND";
    } else {
        return sendError(m, path, Pm::Error{Codes::TransactionIdNotFound,
                                            u"no quote for transactionId %1"_s.arg(transactionId), {}});
    }
    const Json *amount = obj(p, "amount");
    record.payer.fspId = str(p, "payerFsp");
    record.ilpPacket = QString::fromStdString(ilpPacket);
    model["prepare"] = Json{{"body", p}};
    model["currentState"] = "PREPARE_RECEIVED";
    record.state = u"PREPARE_RECEIVED"_s;
    record.status = Store::TransferStatus::Pending;
    record.updatedAt = nowMs();
    record.model = bytes(model);
    m_transfersInFlight.insert(transferId);

    // Checks, each with the code that says what is wrong (the reference sends 2001 for all).
    const QString condition = str(p, "condition");
    if (quoteRecord && m_config.checkIlp) {
        if (condition != quoteRecord->ilpCondition)
            return failTransfer(m, record, Pm::Error{Codes::ValidationError,
                u"condition does not match the one sent with quote %1"_s.arg(quoteRecord->quoteId), {}});
        if (amount && (str(*amount, "amount") != quoteRecord->transferAmount
                       || str(*amount, "currency") != quoteRecord->currency))
            return failTransfer(m, record, Pm::Error{Codes::ValidationError,
                u"amount differs from the transferAmount of quote %1"_s.arg(quoteRecord->quoteId), {}});
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (quoteRecord && m_config.rejectTransfersOnExpiredQuotes) {
        const auto quoteExpiry = parseTime(quoteRecord->expiration);
        if (quoteExpiry && *quoteExpiry < now)
            return failTransfer(m, record, Pm::Error{Codes::QuoteExpired, u"Quote expired"_s, {}});
    }
    if (const auto expiry = parseTime(str(p, "expiration")); expiry && *expiry < now)
        return failTransfer(m, record, Pm::Error{Codes::TransferExpired, u"Transfer expired"_s, {}});

    // Backend POST /transfers, shaped as the reference's.
    Json be = Json::object();
    be["transferId"] = s(transferId);
    const Json quoteModel = model.value("quote", Json::object());
    const Json internal = quoteModel.value("request", Json::object());
    copyIf(be, internal, "transactionRequestId");
    if (quoteModel.contains("response"))
        be["quote"] = quoteModel["response"];
    if (quoteRecord) {
        copyIf(be, internal, "from");
        copyIf(be, internal, "to");
        copyIf(be, internal, "amountType");
        copyIf(be, internal, "currency");
        copyIf(be, internal, "amount");
        copyIf(be, internal, "transactionType");
        copyIf(be, internal, "subScenario");
    } else if (amount) {
        copyIf(be, *amount, "currency");
        copyIf(be, *amount, "amount");
    }
    if (m_config.checkIlp && transactionObject)
        be["ilpPacket"] = Json{{"data", *transactionObject}};
    copyIf(be, internal, "note");
    if (internal.contains("extensionList"))
        be["quoteRequestExtensions"] = internal["extensionList"];
    if (const Json *ext = obj(p, "extensionList"))
        be["extensionList"] = flattenExtensions(*ext);

    m_store->transfers().upsert(record, this, [this, m, record, be, fulfilment, path](const Pm::Result<void> &stored) {
        if (!stored)
            return failTransfer(m, record, stored.error());
        m_backend->request("POST", u"/transfers"_s, be, [this, m, record, fulfilment, path](Pm::Result<BackendResponse> r) mutable {
            if (!r)
                return failTransfer(m, record, r.error());
            if (r->status < 200 || r->status >= 300)
                return failTransfer(m, record, backendErrorToFspiop(*r, u"backend POST /transfers"_s));
            if (r->empty || !r->body.is_object())
                return failTransfer(m, record, Pm::Error{Codes::InternalServerError,
                                                         u"backend POST /transfers gave no answer"_s, {}});
            answerTransfer(m, std::move(record), fulfilment, path, r->body);
        });
    });
}

void PayeeService::askBackendAfterRestart(const InboundMessage &m, const Store::TransferRecord &record)
{
    const QString path = u"/transfers/"_s + record.id;
    m_transfersInFlight.insert(record.id);
    m_backend->request("GET", path, std::nullopt, [this, m, record, path](Pm::Result<BackendResponse> r) {
        m_transfersInFlight.remove(record.id);
        if (r && r->status == 404)
            return postTransfers(m, true); // the backend never got it: post it now
        if (!r)
            return failTransfer(m, record, r.error());
        if (r->status < 200 || r->status >= 300 || !r->body.is_object())
            return failTransfer(m, record, backendErrorToFspiop(*r, u"backend GET /transfers"_s));
        qCInfo(lcPayee, "POST /transfers %s again after a restart: settled from the backend's GET",
               qUtf8Printable(record.id));
        std::string fulfilment = record.ilpFulfilment.toStdString();
        if (fulfilment.empty()) {
            auto f = m_ilp.fulfilmentForPacket(str(m.body, "ilpPacket").toStdString());
            if (!f)
                return failTransfer(m, record, f.error());
            fulfilment = *f;
        }
        answerTransfer(m, record, fulfilment, path, r->body);
    });
}

void PayeeService::answerTransfer(const InboundMessage &m, Store::TransferRecord record,
                                  const std::string &fulfilment, const QString &path, const Json &answer)
{
    QString state = str(answer, "transferState");
    if (state.isEmpty())
        state = m_config.reserveNotification ? u"RESERVED"_s : u"COMMITTED"_s;
    if (state != u"RESERVED"_s && state != u"COMMITTED"_s)
        return failTransfer(m, record, Pm::Error{Codes::PayeeRejectedTransaction,
            u"backend answered transferState %1"_s.arg(state), {}});
    QString completed = str(answer, "completedTimestamp");
    if (completed.isEmpty())
        completed = nowIso();
    const QString beFulfilment = str(answer, "fulfilment");
    Json fulfil = Json::object();
    fulfil["completedTimestamp"] = s(completed);
    fulfil["transferState"] = s(state);
    fulfil["fulfilment"] = beFulfilment.isEmpty() ? fulfilment : s(beFulfilment);
    if (answer.contains("extensionList")) {
        if (auto nested = nestExtensions(answer["extensionList"]))
            fulfil["extensionList"] = *nested;
    }
    const QByteArray fulfilBytes = bytes(fulfil);
    Json model = modelOf(record);
    model["fulfil"] = Json{{"body", fulfil}};
    model["fulfilCallback"] = fulfilBytes.toStdString();
    model["homeTransactionId"] = answer.value("homeTransactionId", Json());
    const bool committed = state == u"COMMITTED"_s;
    model["currentState"] = committed ? "COMPLETED" : "RESERVED";
    record.state = committed ? u"COMPLETED"_s : u"RESERVED"_s;
    record.status = committed ? Store::TransferStatus::Completed : Store::TransferStatus::Pending;
    record.homeTransactionId = str(answer, "homeTransactionId");
    record.ilpFulfilment = QString::fromStdString(fulfil["fulfilment"].get<std::string>());
    record.updatedAt = nowMs();
    record.model = bytes(model);
    const QString id = record.id;
    m_store->transfers().upsert(std::move(record), this,
                                [this, m, path, fulfilBytes, id, committed](const Pm::Result<void> &) {
        m_transfersInFlight.remove(id);
        sendCallback(m, path, fulfilBytes, id);
        // Reserved, not committed: the hub tells the final state with PATCH /transfers/{id}.
        if (!committed)
            armPatchGrace(id, m.trace);
    });
}

// ---------------------------------------------------------------------------------------------
// PATCH grace timer: a RESERVED transfer whose PATCH does not come is asked about.

namespace {
/** GET /transfers/{id} retries after the first, as the reference's default (3). */
constexpr int kTransferStateRetries = 3;
} // namespace

void PayeeService::armPatchGrace(const QString &id, const std::optional<Fspiop::TraceContext> &trace)
{
    if (m_config.patchNotificationGraceTimeMs <= 0)
        return;
    cancelPatchGrace(id);
    PatchWait wait;
    wait.trace = trace;
    wait.timer = new QTimer(this);
    wait.timer->setSingleShot(true);
    connect(wait.timer, &QTimer::timeout, this, [this, id] { askTransferState(id); });
    wait.timer->start(m_config.patchNotificationGraceTimeMs);
    m_patchWaits.insert(id, wait);
}

void PayeeService::cancelPatchGrace(const QString &id)
{
    if (auto it = m_patchWaits.find(id); it != m_patchWaits.end()) {
        delete it->timer;
        m_patchWaits.erase(it);
    }
}

void PayeeService::askTransferState(const QString &id)
{
    auto it = m_patchWaits.find(id);
    if (it == m_patchWaits.end())
        return;
    if (it->getsSent > kTransferStateRetries) {
        qCWarning(lcPayee, "transfer %s: no PATCH and no answer to GET /transfers; it stays RESERVED",
                  qUtf8Printable(id));
        cancelPatchGrace(id);
        return;
    }
    ++it->getsSent;
    qCInfo(lcPayee, "transfer %s: no PATCH within %d ms, asking the hub (GET /transfers, attempt %d)",
           qUtf8Printable(id), m_config.patchNotificationGraceTimeMs, it->getsSent);
    FspiopOutgoing out;
    out.method = "GET";
    out.resource = u"transfers"_s;
    out.path = u"/transfers/"_s + id;
    out.trace = it->trace;
    out.transferId = id;
    out.correlationId = id;
    // Asked again if the answer does not come within REQUEST_PROCESSING_TIMEOUT_SECONDS.
    it->timer->start(m_config.requestProcessingTimeoutSeconds * 1000);
    m_fspiop->send(std::move(out), [id](Pm::Result<FspiopSent> r) {
        if (!r)
            qCWarning(lcPayee, "transfer %s: GET /transfers failed: %s", qUtf8Printable(id),
                      qUtf8Printable(r.error().message));
    });
}

bool PayeeService::transferStateCallback(const QString &id, const CallbackMessage &message)
{
    auto it = m_patchWaits.find(id);
    if (it == m_patchWaits.end())
        return false;
    if (message.isError) {
        cancelPatchGrace(id);
        Json final{{"transferState", "ABORTED"}};
        notifyFinal(id, final, Json{{"httpStatusCode", 500}, {"mojaloopError", message.body}});
        return true;
    }
    const QString state = str(message.body, "transferState");
    if (state != u"COMMITTED"_s && state != u"ABORTED"_s)
        return true; // not final yet (RESERVED, RECEIVED): the timer asks again
    cancelPatchGrace(id);
    Json final = Json::object();
    copyIf(final, message.body, "completedTimestamp");
    final["transferState"] = s(state);
    copyIf(final, message.body, "extensionList");
    notifyFinal(id, final, Json());
    return true;
}

int PayeeService::recover()
{
    auto list = m_store->transfers().unfinished(Store::Direction::Inbound);
    if (!list)
        return 0;
    int armed = 0;
    for (const Store::TransferRecord &record : *list) {
        if (record.state == u"RESERVED"_s) {
            armPatchGrace(record.id, std::nullopt);
            ++armed;
        }
    }
    return armed;
}

void PayeeService::getTransfers(const InboundMessage &m)
{
    const QString path = u"/transfers/"_s + m.id;
    auto rec = m_store->transfers().get(m.id);
    if (!rec)
        return sendError(m, path, rec.error(), {});
    if (!rec->has_value())
        return sendError(m, path, Pm::Error{Codes::TransferIdNotFound, u"Transfer ID not found"_s, {}});
    const Store::TransferRecord &t = **rec;
    const Json model = modelOf(t);
    if (t.direction == Store::Direction::Inbound && model.contains("fulfilCallback")
        && model["fulfilCallback"].is_string() && (t.state == u"COMPLETED"_s || t.state == u"RESERVED"_s)) {
        return sendCallback(m, path, QByteArray::fromStdString(model["fulfilCallback"].get<std::string>()), t.id);
    }
    Json body = Json::object();
    QString state = u"RECEIVED"_s;
    if (t.state == u"ERROR_OCCURRED"_s || t.state == u"ABORTED"_s)
        state = u"ABORTED"_s;
    else if (t.state == u"COMPLETED"_s)
        state = u"COMMITTED"_s;
    else if (t.state == u"RESERVED"_s)
        state = u"RESERVED"_s;
    if (Store::isFinal(t.status) && t.completedAt)
        body["completedTimestamp"] = s(Fspiop::DataTypes::formatDateTime(QDateTime::fromMSecsSinceEpoch(*t.completedAt, Qt::UTC)));
    body["transferState"] = s(state);
    sendCallback(m, path, bytes(body), t.id);
}

void PayeeService::patchTransfers(const InboundMessage &m)
{
    cancelPatchGrace(m.id);
    notifyFinal(m.id, m.body, Json());
}

void PayeeService::notifyFinal(const QString &id, Json final, const Json &lastError)
{
    auto rec = m_store->transfers().get(id);
    if (!rec || !rec->has_value() || (*rec)->direction != Store::Direction::Inbound) {
        qCWarning(lcPayee, "PATCH /transfers/%s for no inbound transfer: ignored", qUtf8Printable(id));
        return;
    }
    Store::TransferRecord record = **rec;
    Json model = modelOf(record);
    if (const Json *ext = obj(final, "extensionList"))
        final["extensionList"] = flattenExtensions(*ext);
    const QString state = str(final, "transferState");
    const QString current = !lastError.is_null()          ? u"ERROR_OCCURRED"_s
                            : state == u"COMMITTED"_s ? u"COMPLETED"_s
                            : state == u"ABORTED"_s   ? u"ABORTED"_s
                                                      : u"ERROR_OCCURRED"_s;
    model["finalNotification"] = final;
    model["currentState"] = s(current);
    if (!lastError.is_null())
        model["lastError"] = lastError;
    record.state = current;
    record.status = current == u"COMPLETED"_s ? Store::TransferStatus::Completed : Store::TransferStatus::Failed;
    record.updatedAt = nowMs();
    record.model = bytes(model);

    // The backend gets the whole state object, as the reference sends it.
    Json notification = Json::object();
    notification["transferId"] = s(record.id);
    notification["direction"] = "INBOUND";
    for (const char *key : {"quoteRequest", "quote", "prepare", "fulfil", "finalNotification",
                            "currentState", "homeTransactionId", "initiatedTimestamp", "lastError"}) {
        copyIf(notification, model, key);
    }
    m_store->transfers().upsert(std::move(record), this, [this, id, notification](const Pm::Result<void> &) {
        m_backend->request("PUT", u"/transfers/"_s + id, notification, m_backend->notificationRetry(),
                           [id](Pm::Result<BackendResponse> r) {
            if (!r || r->status < 200 || r->status >= 300)
                qCWarning(lcPayee, "backend PUT /transfers/%s notification failed", qUtf8Printable(id));
        });
    });
}

} // namespace Pm::Connector
