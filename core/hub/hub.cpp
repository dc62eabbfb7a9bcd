#include "core/hub/hub.h"

#include "core/fspiop/amount.h"
#include "core/fspiop/datatypes.h"
#include "core/fspiop/errors.h"
#include "core/fspiop/headers.h"
#include "core/fspiop/ilp.h"
#include "core/fspiop/json.h"
#include "core/fspiop/jws.h"
#include "core/fspiop/schema.h"
#include "core/net/httpclient.h"
#include "core/net/httpserver.h"

#include <QCryptographicHash>
#include <QLoggingCategory>
#include <QSslConfiguration>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <functional>
#include <limits>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcHub, "pm.hub", QtInfoMsg)

namespace Pm::Hub {

namespace {

using Json = Fspiop::Json;
using Fspiop::ApiVersion;
namespace Codes = Fspiop::ErrorCodes;

QString str(const Json &j, const char *key)
{
    if (!j.is_object() || !j.contains(key) || !j[key].is_string())
        return {};
    return QString::fromStdString(j[key].get<std::string>());
}

QString oracleKey(const QString &type, const QString &id, const QString &subId)
{
    return type + QChar(0) + id + QChar(0) + subId;
}

/** An RSA 2048 private key in PKCS#8 PEM, for a hub configured without one. */
Result<QByteArray> generateRsaKeyPem()
{
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
    if (!key)
        return fail(0, u"cannot generate the hub's RSA signing key"_s);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    if (!bio
        || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
            != 1)
        return fail(0, u"cannot write the hub's RSA signing key"_s);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

/** Amount text of a signed minor-unit value ("-100.5"), for messages. */
QString minorText(qint64 minor, const QString &currency)
{
    const quint64 magnitude = minor < 0 ? quint64(0) - quint64(minor) : quint64(minor);
    auto text = Fspiop::formatMinorUnits(magnitude, currency);
    const QString t = text ? *text : QString::number(magnitude);
    return minor < 0 ? u"-"_s + t : t;
}

/** Hop-by-hop and per-connection headers a forwarded request does not carry over. */
bool isHopByHop(const QByteArray &name)
{
    for (const char *h : { "host", "content-length", "connection", "transfer-encoding",
             "keep-alive", "te", "upgrade", "proxy-connection", "expect" }) {
        if (Net::equalsIgnoringCase(name, h))
            return true;
    }
    return false;
}

enum class Route {
    GetParties,
    PutParties,
    PutPartiesError,
    GetParticipants,
    PostParticipants,
    PutParticipants,
    PostQuotes,
    GetQuotes,
    PutQuotes,
    PutQuotesError,
    PostTransfers,
    GetTransfers,
    PutTransfers,
    PutTransfersError,
};

struct Match
{
    Route route = Route::GetParties;
    QString schemaType; ///< empty: no body
    QString basePath; ///< the path without "/error": where an error callback about it goes
    QString id; ///< quote or transfer id
    QString type, partyId, subId;
};

/** Matches an FSPIOP path; fails with (HTTP status, FSPIOP code). */
std::expected<Match, std::pair<int, int>> matchRoute(
    const QByteArray &method, const QStringList &seg)
{
    const std::pair<int, int> unknown { 404, Codes::UnknownUri };
    const std::pair<int, int> notAllowed { 405, Codes::ClientError };
    Match m;
    const qsizetype n = seg.size();
    const bool isError = n >= 2 && seg.last() == u"error"_s;
    const QString &resource = seg.value(0);
    if (resource == u"parties"_s || resource == u"participants"_s) {
        const bool parties = resource == u"parties"_s;
        const qsizetype idSegments = isError ? n - 1 : n;
        if (idSegments != 3 && idSegments != 4)
            return std::unexpected(unknown);
        m.type = seg[1];
        m.partyId = seg[2];
        m.subId = idSegments == 4 ? seg[3] : QString();
        m.basePath = u'/' + QStringList(seg.mid(0, idSegments)).join(u'/');
        if (isError) {
            if (!parties)
                return std::unexpected(unknown);
            if (method != "PUT")
                return std::unexpected(notAllowed);
            m.route = Route::PutPartiesError;
            m.schemaType = u"ErrorInformationResponse"_s;
            return m;
        }
        if (method == "GET") {
            m.route = parties ? Route::GetParties : Route::GetParticipants;
        } else if (method == "PUT") {
            m.route = parties ? Route::PutParties : Route::PutParticipants;
            m.schemaType
                = parties ? u"PartiesTypeIDPutResponse"_s : u"ParticipantsTypeIDPutResponse"_s;
        } else if (method == "POST" && !parties) {
            m.route = Route::PostParticipants;
            m.schemaType = u"ParticipantsTypeIDSubIDPostRequest"_s;
        } else {
            return std::unexpected(notAllowed);
        }
        return m;
    }
    if (resource != u"quotes"_s && resource != u"transfers"_s)
        return std::unexpected(unknown);
    const bool quotes = resource == u"quotes"_s;
    if (n == 1) {
        if (method != "POST")
            return std::unexpected(notAllowed);
        m.route = quotes ? Route::PostQuotes : Route::PostTransfers;
        m.schemaType = quotes ? u"QuotesPostRequest"_s : u"TransfersPostRequest"_s;
        return m;
    }
    m.id = seg[1];
    m.basePath = u'/' + resource + u'/' + m.id;
    if (n == 3 && isError) {
        if (method != "PUT")
            return std::unexpected(notAllowed);
        m.route = quotes ? Route::PutQuotesError : Route::PutTransfersError;
        m.schemaType = u"ErrorInformationResponse"_s;
        return m;
    }
    if (n != 2)
        return std::unexpected(unknown);
    if (method == "GET") {
        m.route = quotes ? Route::GetQuotes : Route::GetTransfers;
    } else if (method == "PUT") {
        m.route = quotes ? Route::PutQuotes : Route::PutTransfers;
        m.schemaType = quotes ? u"QuotesIDPutResponse"_s : u"TransfersIDPutResponse"_s;
    } else {
        return std::unexpected(notAllowed);
    }
    return m;
}

/** What became of a forwarded request. */
struct Forwarded
{
    bool ok = false;
    bool mayHaveBeenProcessed = false; ///< no answer, but the peer may have acted on it
    int code = 0; ///< the peer's errorCode, else 1001
    QString message;
};

} // namespace

QString transferStateName(TransferState state)
{
    switch (state) {
    case TransferState::Received:
        return u"RECEIVED"_s;
    case TransferState::Reserved:
        return u"RESERVED"_s;
    case TransferState::Committed:
        return u"COMMITTED"_s;
    case TransferState::Aborted:
        return u"ABORTED"_s;
    }
    return {};
}

/** Everything that lives on the hub thread. */
class HubCore : public QObject
{
public:
    HubCore(const HubConfig &config, Fspiop::Jws::SigningKey key)
        : m_config(config)
        , m_key(std::move(key))
    { }

    ~HubCore() override
    {
        if (m_server)
            m_server->close();
        m_server.reset();
        m_client.reset();
    }

    Result<quint16> start()
    {
        for (const ParticipantConfig &p : m_config.participants) {
            if (auto ok = addParticipant(p); !ok)
                return fail(0, p.fspId + u": "_s + ok.error().message);
        }
        for (const PartyEntry &e : m_config.parties) {
            if (auto ok = addParty(e); !ok)
                return std::unexpected(ok.error());
        }
        Net::HttpClientOptions clientOptions;
        clientOptions.defaultTimeout = std::chrono::milliseconds(m_config.forwardTimeoutMs);
        m_client = Net::createHttpClient(clientOptions);
        m_server = Net::createHttpServer();
        m_server->setHandler([this](Net::HttpRequest request, Net::HttpResponder responder) {
            handle(std::move(request), std::move(responder));
        });
        Net::HttpServerOptions options;
        options.address = m_config.address;
        options.port = m_config.port;
        auto port = m_server->listen(options);
        if (!port) {
            return fail(0,
                u"hub: cannot listen on %1:%2: %3"_s.arg(m_config.address.toString())
                    .arg(m_config.port)
                    .arg(port.error().message));
        }
        return *port;
    }

    Result<void> addParticipant(const ParticipantConfig &config)
    {
        if (auto ok = validateParticipant(config); !ok)
            return ok;
        Participant &p = m_participants[config.fspId];
        p.config = config;
        p.key.reset();
        if (!config.jwsPublicKeyPem.isEmpty())
            p.key = *Fspiop::Jws::VerificationKey::fromPem(config.jwsPublicKeyPem);
        for (const QString &currency : config.currencies) {
            Position &pos = p.positions[currency];
            pos.cap.reset();
            if (config.netDebitCap.contains(currency)) {
                auto amount = Fspiop::Amount::parseLenient(
                    config.netDebitCap.value(currency), u"netDebitCap"_s);
                pos.cap = qint64(*amount->toMinorUnits(currency, u"netDebitCap"_s));
            }
        }
        if (!m_order.contains(config.fspId))
            m_order << config.fspId;
        return {};
    }

    Result<void> addParty(const PartyEntry &e)
    {
        if (e.type.isEmpty() || e.id.isEmpty())
            return fail(0, u"party: type and id are required"_s);
        if (!m_participants.contains(e.fspId))
            return fail(0,
                u"party %1/%2: fspId '%3' is not a participant of this hub"_s.arg(
                    e.type, e.id, e.fspId));
        m_oracle.insert(oracleKey(e.type, e.id, e.subId), e.fspId);
        return {};
    }

    QList<ParticipantSnapshot> participants() const
    {
        QList<ParticipantSnapshot> out;
        for (const QString &id : m_order)
            out << snapshot(m_participants[id]);
        return out;
    }

    std::optional<ParticipantSnapshot> participant(const QString &fspId) const
    {
        auto it = m_participants.constFind(fspId);
        if (it == m_participants.cend())
            return std::nullopt;
        return snapshot(*it);
    }

    std::optional<TransferSnapshot> transfer(const QString &id) const
    {
        auto it = m_transfers.constFind(id);
        if (it == m_transfers.cend())
            return std::nullopt;
        return (*it)->snapshot;
    }

    QList<TransferSnapshot> transfers() const
    {
        QList<TransferSnapshot> out;
        out.reserve(m_transferOrder.size());
        for (const QString &id : m_transferOrder)
            out << m_transfers[id]->snapshot;
        return out;
    }

    HubCounters counters() const { return m_counters; }

    std::optional<PositionSnapshot> position(const QString &fspId, const QString &currency) const
    {
        auto it = m_participants.constFind(fspId);
        if (it == m_participants.cend() || !it->positions.contains(currency))
            return std::nullopt;
        return positionSnapshot(*it, currency);
    }

    /** Called on the hub thread after each change (the Hub emits its signals from them). */
    std::function<void(const TransferSnapshot &)> onTransfer;
    std::function<void(const QString &, const PositionSnapshot &)> onPosition;

private:
    struct Position
    {
        qint64 position = 0;
        qint64 reserved = 0;
        std::optional<qint64> cap;
    };

    struct Participant
    {
        ParticipantConfig config;
        std::optional<Fspiop::Jws::VerificationKey> key;
        QHash<QString, Position> positions;
        int committed = 0;
        int aborted = 0;
    };

    struct Transfer
    {
        TransferSnapshot snapshot;
        std::string condition;
        QByteArray fulfilment;
        QByteArray bodyHash;
        ApiVersion version;
        Fspiop::TraceContext trace;
        std::unique_ptr<QTimer> expiry;
    };

    /** An accepted request: what every route handler needs. */
    struct Inbound
    {
        Net::HttpRequest http;
        Match match;
        QString source;
        QString destination; ///< FSPIOP-Destination, empty if absent
        ApiVersion version;
        Json body;
        Fspiop::TraceContext trace;
    };

    static PositionSnapshot positionSnapshot(const Participant &p, const QString &currency)
    {
        const Position pos = p.positions.value(currency);
        return PositionSnapshot { currency, pos.position, pos.reserved, pos.cap };
    }

    void notifyTransfer(const Transfer &t)
    {
        if (onTransfer)
            onTransfer(t.snapshot);
    }

    void notifyPosition(const QString &fspId, const QString &currency)
    {
        auto it = m_participants.constFind(fspId);
        if (onPosition && it != m_participants.cend())
            onPosition(fspId, positionSnapshot(*it, currency));
    }

    static ParticipantSnapshot snapshot(const Participant &p)
    {
        ParticipantSnapshot s;
        s.fspId = p.config.fspId;
        s.endpoint = p.config.endpoint.toString();
        s.currencies = p.config.currencies;
        for (const QString &c : p.config.currencies)
            s.positions << positionSnapshot(p, c);
        s.transfersCommitted = p.committed;
        s.transfersAborted = p.aborted;
        return s;
    }

    // ---- the request pipeline ------------------------------------------------------------------

    void refuse(Net::HttpResponder &responder, int status, const Pm::Error &error)
    {
        ++m_counters.requestsRefused;
        responder.respond(status, Net::HttpHeaders { { "Content-Type", "application/json" } },
            Fspiop::serializeJson(Fspiop::errorInformationResponse(error)));
    }

    void handle(Net::HttpRequest request, Net::HttpResponder responder)
    {
        const QStringList seg = request.path.split(u'/', Qt::SkipEmptyParts);
        if (seg.isEmpty() && request.method == "GET") {
            responder.respond(200, Net::HttpHeaders { { "Content-Type", "application/json" } },
                R"({"status":"OK"})");
            return;
        }
        auto headers = Fspiop::validateInboundHeaders(
            request.method, request.path, request.headers.fields());
        if (!headers) {
            ++m_counters.requestsRefused;
            responder.respond(headers.error().httpStatus,
                Net::HttpHeaders { { "Content-Type", "application/json" } },
                Fspiop::serializeJson(headers.error().body()));
            return;
        }
        auto match = matchRoute(request.method, seg);
        if (!match) {
            const Fspiop::ErrorDefinition def = match.error().first == 405
                ? Fspiop::methodNotAllowed()
                : *Fspiop::findError(Codes::UnknownUri);
            refuse(responder, match.error().first,
                Pm::Error { match.error().second, def.description, {} });
            return;
        }
        Inbound in;
        in.match = std::move(*match);
        in.version = headers->contentVersion.value_or(Fspiop::Versions::V1_0);
        in.source = QString::fromUtf8(request.headers.value("FSPIOP-Source"));
        in.destination = QString::fromUtf8(request.headers.value("FSPIOP-Destination"));
        const auto sender = m_participants.constFind(in.source);
        if (sender == m_participants.cend()) {
            refuse(responder, 400,
                Pm::Error { Codes::ValidationError,
                    u"FSPIOP-Source '%1' is not a participant of this hub"_s.arg(in.source), {} });
            return;
        }
        // JWS: checked whenever a signature is present; required for bodies from a participant
        // with a key unless the settings say otherwise.
        const bool hasBody = !request.body.isEmpty();
        const bool putParties
            = in.match.route == Route::PutParties || in.match.route == Route::PutPartiesError;
        const bool signatureRequired
            = m_config.requireJws && (!putParties || m_config.requireJwsOnPutParties);
        if (hasBody && sender->key
            && (signatureRequired || request.headers.contains("FSPIOP-Signature"))) {
            const auto key = sender->key;
            auto verified = Fspiop::Jws::verify(request.headers.fields(), request.body,
                [&](const QString &source) -> std::optional<Fspiop::Jws::VerificationKey> {
                    if (source == in.source)
                        return key;
                    return std::nullopt;
                });
            if (!verified) {
                refuse(responder, 400, verified.error());
                return;
            }
        }
        if (!in.match.schemaType.isEmpty()) {
            auto body = Fspiop::parseJson(request.body);
            if (!body) {
                refuse(responder, 400, body.error());
                return;
            }
            in.body = std::move(*body);
            if (Fspiop::Schema::hasType(in.version, in.match.schemaType)) {
                auto valid = Fspiop::Schema::validate(in.version, in.match.schemaType, in.body);
                if (!valid) {
                    refuse(responder, 400, valid.error());
                    return;
                }
            }
        }
        in.trace = Fspiop::TraceContext::fromHeaders(request.headers.fields());
        in.http = std::move(request);
        ++m_counters.requestsReceived;
        // The real switch acknowledges first and works afterwards: 202 for requests, 200 for
        // callbacks.
        responder.respond(in.http.method == "PUT" ? 200 : 202);
        dispatch(in);
    }

    void dispatch(Inbound &in)
    {
        switch (in.match.route) {
        case Route::GetParties:
            return getParties(in);
        case Route::GetParticipants:
            return getParticipants(in);
        case Route::PostParticipants:
        case Route::PutParticipants:
            return registerParty(in);
        case Route::PostQuotes:
            return postQuotes(in);
        case Route::PostTransfers:
            return postTransfers(in);
        case Route::GetTransfers:
            return getTransfer(in);
        case Route::PutTransfers:
        case Route::PutTransfersError:
            return transferCallback(in);
        case Route::GetQuotes:
            return routeByDestination(in, true);
        case Route::PutParties:
        case Route::PutPartiesError:
        case Route::PutQuotes:
        case Route::PutQuotesError:
            return routeByDestination(in, false);
        }
    }

    // ---- parties and participants (account lookup) ---------------------------------------------

    std::optional<QString> oracleLookup(const Match &m) const
    {
        auto it = m_oracle.constFind(oracleKey(m.type, m.partyId, m.subId));
        if (it == m_oracle.cend())
            return std::nullopt;
        return *it;
    }

    void getParties(const Inbound &in)
    {
        QString owner = in.destination;
        if (owner.isEmpty()) {
            auto found = oracleLookup(in.match);
            if (!found) {
                sendError(in.source, in.match.basePath, u"parties"_s, Codes::IdNotFound,
                    u"Party %1 not found"_s.arg(in.match.basePath.mid(9)), in.version, in.trace);
                return;
            }
            owner = *found;
        }
        const Participant *to = participantOrError(in, owner, u"parties"_s);
        if (!to)
            return;
        Net::HttpHeaders headers = forwardHeaders(in.http);
        headers.set("FSPIOP-Destination", owner.toUtf8());
        forward(*to, in.http, std::move(headers), [this, in](const Forwarded &f) {
            if (!f.ok && !f.mayHaveBeenProcessed)
                sendError(in.source, in.match.basePath, u"parties"_s, f.code, f.message, in.version,
                    in.trace);
        });
    }

    void getParticipants(const Inbound &in)
    {
        auto owner = oracleLookup(in.match);
        if (!owner) {
            sendError(in.source, in.match.basePath, u"participants"_s, Codes::IdNotFound,
                u"Party %1 not found"_s.arg(in.match.basePath.mid(14)), in.version, in.trace);
            return;
        }
        sendFromHub(in.source, "PUT", in.match.basePath, u"participants"_s,
            Json { { "fspId", owner->toStdString() } }, in.version, in.trace);
    }

    void registerParty(const Inbound &in)
    {
        const QString fspId = str(in.body, "fspId");
        if (!m_participants.contains(fspId)) {
            sendError(in.source, in.match.basePath, u"participants"_s, Codes::DestinationFspError,
                u"fspId '%1' is not a participant of this hub"_s.arg(fspId), in.version, in.trace);
            return;
        }
        m_oracle.insert(oracleKey(in.match.type, in.match.partyId, in.match.subId), fspId);
        sendFromHub(in.source, "PUT", in.match.basePath, u"participants"_s,
            Json { { "fspId", fspId.toStdString() } }, in.version, in.trace);
    }

    // ---- quotes and plain routing
    // ----------------------------------------------------------------

    void postQuotes(const Inbound &in)
    {
        const QString quoteId = str(in.body, "quoteId");
        QString destination = in.destination;
        if (destination.isEmpty() && in.body.contains("payee"))
            destination = str(in.body["payee"]["partyIdInfo"], "fspId");
        const QString basePath = u"/quotes/"_s + quoteId;
        const Participant *to = participantOrError(in, destination, u"quotes"_s, basePath);
        if (!to)
            return;
        forward(*to, in.http, forwardHeaders(in.http), [this, in, basePath](const Forwarded &f) {
            if (!f.ok && !f.mayHaveBeenProcessed)
                sendError(
                    in.source, basePath, u"quotes"_s, f.code, f.message, in.version, in.trace);
        });
    }

    /** GET /quotes, PUT /parties, PUT /quotes and their errors: to FSPIOP-Destination as they are.
     */
    void routeByDestination(const Inbound &in, bool isRequest)
    {
        const QString resource = in.match.basePath.section(u'/', 1, 1);
        const Participant *to = participantOrError(in, in.destination, resource);
        if (!to)
            return;
        forward(*to, in.http, forwardHeaders(in.http),
            [this, in, isRequest, resource](const Forwarded &f) {
                if (!f.ok && isRequest && !f.mayHaveBeenProcessed)
                    sendError(in.source, in.match.basePath, resource, f.code, f.message, in.version,
                        in.trace);
            });
    }

    /** The registered destination, or null after sending 3201 to the requester. */
    const Participant *participantOrError(const Inbound &in, const QString &fspId,
        const QString &resource, const QString &basePath = {})
    {
        auto it = m_participants.constFind(fspId);
        if (it != m_participants.cend())
            return &*it;
        const QString message = fspId.isEmpty()
            ? u"FSPIOP-Destination is missing"_s
            : u"Destination FSP '%1' is not a participant of this hub"_s.arg(fspId);
        sendError(in.source, basePath.isEmpty() ? in.match.basePath : basePath, resource,
            Codes::DestinationFspError, message, in.version, in.trace);
        return nullptr;
    }

    // ---- transfers
    // -------------------------------------------------------------------------------

    void postTransfers(const Inbound &in)
    {
        const QString id = str(in.body, "transferId");
        const QString basePath = u"/transfers/"_s + id;
        const QByteArray hash = QCryptographicHash::hash(in.http.body, QCryptographicHash::Sha256);
        if (auto existing = m_transfers.find(id); existing != m_transfers.end()) {
            Transfer &t = **existing;
            if (t.bodyHash != hash || t.snapshot.payerFsp != in.source) {
                sendError(in.source, basePath, u"transfers"_s, Codes::ModifiedRequest,
                    u"Transfer %1 was already prepared with a different body"_s.arg(id), in.version,
                    in.trace);
            } else if (t.snapshot.state == TransferState::Committed
                || t.snapshot.state == TransferState::Aborted) {
                answerFromState(t, in.source, in.version, in.trace); // a re-send: the outcome again
            }
            return; // still reserved: the payee's answer will follow
        }
        auto t = std::make_unique<Transfer>();
        TransferSnapshot &s = t->snapshot;
        s.transferId = id;
        s.payerFsp = str(in.body, "payerFsp");
        s.payeeFsp = str(in.body, "payeeFsp");
        s.currency = str(in.body["amount"], "currency");
        s.amount = str(in.body["amount"], "amount");
        t->condition = str(in.body, "condition").toStdString();
        t->bodyHash = hash;
        t->version = in.version;
        t->trace = in.trace;
        Transfer &ref = *t;
        m_transfers.insert(id, std::shared_ptr<Transfer>(std::move(t)));
        m_transferOrder << id;

        auto refuseTransfer = [&](int code, const QString &reason) {
            ref.snapshot.state = TransferState::Aborted;
            ref.snapshot.errorCode = code;
            ref.snapshot.reason = reason;
            ref.snapshot.completed = QDateTime::currentDateTimeUtc();
            if (auto p = m_participants.find(s.payerFsp); p != m_participants.end())
                ++p->aborted;
            notifyTransfer(ref);
            sendError(in.source, basePath, u"transfers"_s, code, reason, in.version, in.trace);
        };
        if (s.payerFsp != in.source)
            return refuseTransfer(Codes::ValidationError,
                u"payerFsp '%1' is not the sender '%2'"_s.arg(s.payerFsp, in.source));
        auto payee = m_participants.find(s.payeeFsp);
        if (payee == m_participants.end())
            return refuseTransfer(Codes::DestinationFspError,
                u"Payee FSP '%1' is not a participant of this hub"_s.arg(s.payeeFsp));
        if (!in.destination.isEmpty() && in.destination != s.payeeFsp)
            return refuseTransfer(Codes::ValidationError,
                u"FSPIOP-Destination '%1' is not the payeeFsp '%2'"_s.arg(
                    in.destination, s.payeeFsp));
        Participant &payer = m_participants[s.payerFsp];
        if (!payer.config.currencies.contains(s.currency))
            return refuseTransfer(Codes::PayerUnsupportedCurrency,
                u"Payer FSP '%1' does not hold %2"_s.arg(s.payerFsp, s.currency));
        if (!payee->config.currencies.contains(s.currency))
            return refuseTransfer(Codes::PayeeUnsupportedCurrency,
                u"Payee FSP '%1' does not hold %2"_s.arg(s.payeeFsp, s.currency));
        auto amount = Fspiop::Amount::parse(s.amount, u"amount.amount"_s);
        auto minor = amount ? amount->toMinorUnits(s.currency, u"amount.amount"_s)
                            : Result<std::uint64_t>(std::unexpected(amount.error()));
        if (!minor || *minor > quint64(std::numeric_limits<qint64>::max() / 4))
            return refuseTransfer(Codes::ValidationError,
                minor ? u"amount.amount: too large"_s : minor.error().message);
        s.amountMinor = qint64(*minor);
        auto expiration
            = Fspiop::DataTypes::parseDateTime(str(in.body, "expiration"), u"expiration");
        if (!expiration)
            return refuseTransfer(Codes::ValidationError, expiration.error().message);
        s.expiration = *expiration;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (s.expiration <= now)
            return refuseTransfer(Codes::TransferExpired,
                u"Transfer %1 expired at %2 before it was prepared"_s.arg(
                    id, Fspiop::DataTypes::formatDateTime(s.expiration)));

        // RECEIVED → RESERVED: the payer's position plus what is reserved plus this amount must
        // stay within its net debit cap (equal passes).
        Position &pos = payer.positions[s.currency];
        if (pos.cap && pos.position + pos.reserved + s.amountMinor > *pos.cap) {
            return refuseTransfer(Codes::PayerFspInsufficientLiquidity,
                u"Payer FSP insufficient liquidity: position %1 + reserved %2 + %3 exceeds the net debit cap %4 %5"_s
                    .arg(minorText(pos.position, s.currency), minorText(pos.reserved, s.currency),
                        s.amount, minorText(*pos.cap, s.currency), s.currency));
        }
        pos.reserved += s.amountMinor;
        s.state = TransferState::Reserved;
        notifyTransfer(ref);
        notifyPosition(s.payerFsp, s.currency);
        ref.expiry = std::make_unique<QTimer>();
        ref.expiry->setSingleShot(true);
        QObject::connect(ref.expiry.get(), &QTimer::timeout, this, [this, id] { expire(id); });
        armExpiry(id);

        forward(*payee, in.http, forwardHeaders(in.http), [this, id](const Forwarded &f) {
            if (f.ok || f.mayHaveBeenProcessed)
                return; // the payee has it (or may have): its answer or the expiry settles it
            auto it = m_transfers.find(id);
            if (it == m_transfers.end() || (*it)->snapshot.state != TransferState::Reserved)
                return;
            Transfer &t = **it;
            abort(t, f.code, f.message);
            sendError(t.snapshot.payerFsp, u"/transfers/"_s + id, u"transfers"_s, f.code, f.message,
                t.version, t.trace);
        });
    }

    void armExpiry(const QString &id)
    {
        auto it = m_transfers.find(id);
        if (it == m_transfers.end() || !(*it)->expiry)
            return;
        Transfer &t = **it;
        const qint64 ms = QDateTime::currentDateTimeUtc().msecsTo(t.snapshot.expiration);
        // Qt timers take an int; a far expiration is re-armed when the first wait ends.
        t.expiry->start(int(std::clamp<qint64>(ms + 1, 0, 24LL * 3600 * 1000)));
    }

    void expire(const QString &id)
    {
        auto it = m_transfers.find(id);
        if (it == m_transfers.end() || (*it)->snapshot.state != TransferState::Reserved)
            return;
        Transfer &t = **it;
        if (QDateTime::currentDateTimeUtc() < t.snapshot.expiration) {
            armExpiry(id);
            return;
        }
        const QString reason = u"Transfer %1 expired at %2"_s.arg(
            id, Fspiop::DataTypes::formatDateTime(t.snapshot.expiration));
        abort(t, Codes::TransferExpired, reason);
        const QString basePath = u"/transfers/"_s + id;
        sendError(t.snapshot.payerFsp, basePath, u"transfers"_s, Codes::TransferExpired, reason,
            t.version, t.trace);
        sendError(t.snapshot.payeeFsp, basePath, u"transfers"_s, Codes::TransferExpired, reason,
            t.version, t.trace);
    }

    void abort(Transfer &t, int code, const QString &reason)
    {
        TransferSnapshot &s = t.snapshot;
        const bool wasReserved = s.state == TransferState::Reserved;
        if (wasReserved)
            m_participants[s.payerFsp].positions[s.currency].reserved -= s.amountMinor;
        s.state = TransferState::Aborted;
        s.errorCode = code;
        s.reason = reason;
        s.completed = QDateTime::currentDateTimeUtc();
        ++m_participants[s.payerFsp].aborted;
        ++m_participants[s.payeeFsp].aborted;
        t.expiry.reset();
        notifyTransfer(t);
        if (wasReserved)
            notifyPosition(s.payerFsp, s.currency);
    }

    void commit(Transfer &t)
    {
        TransferSnapshot &s = t.snapshot;
        Position &payer = m_participants[s.payerFsp].positions[s.currency];
        payer.reserved -= s.amountMinor;
        payer.position += s.amountMinor;
        m_participants[s.payeeFsp].positions[s.currency].position -= s.amountMinor;
        s.state = TransferState::Committed;
        s.completed = QDateTime::currentDateTimeUtc();
        ++m_participants[s.payerFsp].committed;
        ++m_participants[s.payeeFsp].committed;
        t.expiry.reset();
        notifyTransfer(t);
        notifyPosition(s.payerFsp, s.currency);
        notifyPosition(s.payeeFsp, s.currency);
    }

    /** PUT /transfers/{id} and PUT /transfers/{id}/error from the payee. */
    void transferCallback(const Inbound &in)
    {
        const QString &id = in.match.id;
        auto it = m_transfers.find(id);
        if (it == m_transfers.end()) {
            sendError(in.source, in.match.basePath, u"transfers"_s, Codes::TransferIdNotFound,
                u"Transfer %1 not found"_s.arg(id), in.version, in.trace);
            return;
        }
        std::shared_ptr<Transfer> keep = *it;
        Transfer &t = *keep;
        TransferSnapshot &s = t.snapshot;
        if (in.source != s.payeeFsp) {
            sendError(in.source, in.match.basePath, u"transfers"_s, Codes::ValidationError,
                u"Only the payee FSP '%1' may answer transfer %2"_s.arg(s.payeeFsp, id), in.version,
                in.trace);
            return;
        }
        if (s.state != TransferState::Reserved) {
            if (s.state == TransferState::Aborted && in.match.route == Route::PutTransfers)
                sendError(in.source, in.match.basePath, u"transfers"_s,
                    s.errorCode ? s.errorCode : Codes::ValidationError,
                    u"Transfer %1 is already ABORTED: %2"_s.arg(id, s.reason), in.version,
                    in.trace);
            return; // a repeated answer to a finished transfer changes nothing
        }
        const Participant &payer = m_participants[s.payerFsp];
        if (in.match.route == Route::PutTransfersError) {
            auto info = Fspiop::parseErrorInformation(in.body);
            abort(t, info ? info->code : Codes::PayeeError, info ? info->description : QString());
            forward(payer, in.http, forwardHeaders(in.http), [](const Forwarded &) {});
            return;
        }
        const QString state = str(in.body, "transferState");
        if (state == u"ABORTED"_s) {
            abort(t, Codes::PayeeRejection, u"Aborted by the payee FSP"_s);
            forward(payer, in.http, forwardHeaders(in.http), [](const Forwarded &) {});
            return;
        }
        if (state != u"COMMITTED"_s && state != u"RESERVED"_s) {
            sendError(in.source, in.match.basePath, u"transfers"_s, Codes::ValidationError,
                u"transferState: '%1' is not COMMITTED, RESERVED or ABORTED"_s.arg(state),
                in.version, in.trace);
            return;
        }
        const QString fulfilment = str(in.body, "fulfilment");
        if (!Fspiop::Ilp::checkFulfilment(fulfilment.toStdString(), t.condition)) {
            const QString reason
                = u"fulfilment: does not match the condition of transfer %1"_s.arg(id);
            abort(t, Codes::ValidationError, reason);
            sendError(s.payeeFsp, in.match.basePath, u"transfers"_s, Codes::ValidationError, reason,
                in.version, in.trace);
            sendError(s.payerFsp, in.match.basePath, u"transfers"_s, Codes::ValidationError, reason,
                t.version, t.trace);
            return;
        }
        t.fulfilment = fulfilment.toUtf8();
        commit(t);
        forward(payer, in.http, forwardHeaders(in.http), [](const Forwarded &) {});
        if (state == u"RESERVED"_s) {
            // The payee asked to hear the outcome: PATCH with the hub's completion.
            const ApiVersion version = std::max(in.version, Fspiop::Versions::V1_1);
            sendFromHub(s.payeeFsp, "PATCH", in.match.basePath, u"transfers"_s,
                Json { { "completedTimestamp",
                           Fspiop::DataTypes::formatDateTime(s.completed).toStdString() },
                    { "transferState", "COMMITTED" } },
                version, in.trace);
        }
    }

    void getTransfer(const Inbound &in)
    {
        auto it = m_transfers.find(in.match.id);
        if (it == m_transfers.end()
            || (in.source != (*it)->snapshot.payerFsp && in.source != (*it)->snapshot.payeeFsp)) {
            sendError(in.source, in.match.basePath, u"transfers"_s, Codes::TransferIdNotFound,
                u"Transfer %1 not found"_s.arg(in.match.id), in.version, in.trace);
            return;
        }
        answerFromState(**it, in.source, in.version, in.trace);
    }

    /** PUT /transfers/{id} with the hub's state (and the fulfilment once committed). */
    void answerFromState(
        const Transfer &t, const QString &to, ApiVersion version, const Fspiop::TraceContext &trace)
    {
        const TransferSnapshot &s = t.snapshot;
        if (s.state == TransferState::Aborted && s.errorCode != 0) {
            sendError(to, u"/transfers/"_s + s.transferId, u"transfers"_s, s.errorCode, s.reason,
                version, trace);
            return;
        }
        Json body = Json::object();
        if (s.state == TransferState::Committed)
            body["fulfilment"] = t.fulfilment.toStdString();
        if (s.completed.isValid())
            body["completedTimestamp"]
                = Fspiop::DataTypes::formatDateTime(s.completed).toStdString();
        body["transferState"] = transferStateName(s.state).toStdString();
        sendFromHub(
            to, "PUT", u"/transfers/"_s + s.transferId, u"transfers"_s, body, version, trace);
    }

    // ---- sending
    // ---------------------------------------------------------------------------------

    static Net::HttpHeaders forwardHeaders(const Net::HttpRequest &request)
    {
        Net::HttpHeaders headers;
        for (const auto &[name, value] : request.headers.fields()) {
            if (!isHopByHop(name))
                headers.add(name, value);
        }
        return headers;
    }

    static QUrl urlFor(const QUrl &endpoint, const QByteArray &target)
    {
        QByteArray base = endpoint.toEncoded(QUrl::RemoveQuery | QUrl::RemoveFragment);
        while (base.endsWith('/'))
            base.chop(1);
        return QUrl::fromEncoded(base + target);
    }

    /** Passes `request` on to `to` with the same method, path, headers (as given) and body bytes.
     */
    void forward(const Participant &to, const Net::HttpRequest &request, Net::HttpHeaders headers,
        std::function<void(const Forwarded &)> done)
    {
        Net::HttpClientRequest out;
        out.method = request.method;
        out.url = urlFor(to.config.endpoint, request.target);
        out.headers = std::move(headers);
        out.body = request.body;
        transmit(to.config.fspId, std::move(out), std::move(done));
    }

    void transmit(const QString &fspId, Net::HttpClientRequest out,
        std::function<void(const Forwarded &)> done)
    {
        const QString what
            = u"%1 %2 to %3"_s.arg(QString::fromLatin1(out.method), out.url.path(), fspId);
        m_client->send(
            std::move(out), this, [this, what, done = std::move(done)](Net::HttpClientResult r) {
                Forwarded f;
                if (r && r->status >= 200 && r->status < 300) {
                    f.ok = true;
                    ++m_counters.forwarded;
                } else {
                    ++m_counters.forwardFailures;
                    f.code = Codes::DestinationCommunicationError;
                    if (r) {
                        auto info = Fspiop::parseErrorInformation(QByteArrayView(r->body));
                        if (info)
                            f.code = info->code;
                        f.message = u"%1: answered HTTP %2%3"_s.arg(what).arg(r->status).arg(info
                                ? u" "_s + QString::number(info->code) + u" "_s + info->description
                                : QString());
                    } else {
                        f.mayHaveBeenProcessed = r.error().requestMayHaveBeenProcessed;
                        f.message = u"%1: %2"_s.arg(what, r.error().message);
                    }
                    qCWarning(lcHub).noquote() << f.message;
                    f.message = f.message.left(Fspiop::MaxErrorDescriptionLength);
                }
                done(f);
            });
    }

    /** A message the hub writes itself: signed as the hub, FSPIOP-Source = hubId. */
    void sendFromHub(const QString &to, QByteArray method, const QString &path,
        const QString &resource, const Json &body, ApiVersion version,
        const Fspiop::TraceContext &trace)
    {
        auto participant = m_participants.constFind(to);
        if (participant == m_participants.cend())
            return;
        Net::HttpClientRequest out;
        out.method = method;
        out.url = urlFor(participant->config.endpoint, QUrl(path).toEncoded());
        out.body = Fspiop::serializeJson(body);
        const QString date = Fspiop::currentHttpDate();
        out.headers.add("Content-Type", Fspiop::contentType(resource, version).toLatin1());
        out.headers.add("Date", date.toLatin1());
        out.headers.add("FSPIOP-Source", m_config.hubId.toUtf8());
        out.headers.add("FSPIOP-Destination", to.toUtf8());
        if (method != "PUT")
            out.headers.add("Accept", Fspiop::acceptType(resource, version).toLatin1());
        Fspiop::TraceContext childTrace = trace;
        childTrace.traceparent = trace.traceparent.child();
        Fspiop::HttpHeaders traceHeaders;
        childTrace.applyTo(traceHeaders);
        for (const auto &[name, value] : traceHeaders)
            out.headers.add(name, value);
        Fspiop::Jws::SignRequest sign;
        sign.method = QString::fromLatin1(method);
        sign.uri = path;
        sign.source = m_config.hubId;
        sign.destination = to;
        sign.date = date;
        sign.body = out.body;
        auto signedHeaders = Fspiop::Jws::sign(m_key, sign);
        if (!signedHeaders) {
            qCWarning(lcHub).noquote()
                << u"cannot sign %1 %2: %3"_s.arg(sign.method, path, signedHeaders.error().message);
            return;
        }
        out.headers.add("FSPIOP-HTTP-Method", signedHeaders->httpMethod);
        out.headers.add("FSPIOP-URI", signedHeaders->uri);
        out.headers.add("FSPIOP-Signature", signedHeaders->signature);
        transmit(to, std::move(out), [](const Forwarded &) {});
    }

    void sendError(const QString &to, const QString &basePath, const QString &resource, int code,
        const QString &description, ApiVersion version, const Fspiop::TraceContext &trace)
    {
        ++m_counters.errorCallbacks;
        sendFromHub(to, "PUT", basePath + u"/error"_s, resource,
            Fspiop::errorInformationResponse(Pm::Error { code, description, {} }), version, trace);
    }

    HubConfig m_config;
    Fspiop::Jws::SigningKey m_key;
    std::unique_ptr<Net::HttpServer> m_server;
    std::unique_ptr<Net::HttpClient> m_client;
    QHash<QString, Participant> m_participants;
    QStringList m_order;
    QHash<QString, QString> m_oracle;
    QHash<QString, std::shared_ptr<Transfer>> m_transfers;
    QStringList m_transferOrder;
    HubCounters m_counters;
};

// ---- Hub ---------------------------------------------------------------------------------------

Hub::Hub(HubConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{ }

Hub::~Hub()
{
    stop();
}

Result<quint16> Hub::start()
{
    if (m_running)
        return m_port;
    if (m_config.hubId.isEmpty())
        return fail(0, u"hubId: must not be empty"_s);
    QByteArray pem = m_config.signingKeyPem;
    if (pem.isEmpty()) {
        auto generated = generateRsaKeyPem();
        if (!generated)
            return std::unexpected(generated.error());
        pem = *generated;
    }
    auto key = Fspiop::Jws::SigningKey::fromPem(pem);
    if (!key)
        return fail(0, u"signingKeyPath: "_s + key.error().message);
    m_publicKeyPem = key->publicKeyPem();

    // Qt's TLS backend (OpenSSL) sets up its process-wide defaults on first use. When that first
    // use was the hub thread's HTTP client, LeakSanitizer reported OpenSSL allocations at the exit
    // of `pm-connector hub`; setting them up here, on the owner's thread, avoids it.
    (void)QSslConfiguration::defaultConfiguration();
    m_thread = new QThread;
    m_thread->setObjectName(u"pm-hub"_s);
    m_anchor = new QObject;
    m_anchor->moveToThread(m_thread);
    m_thread->start();
    Result<quint16> result = fail(0, u"hub: not started"_s);
    QMetaObject::invokeMethod(
        m_anchor,
        [&] {
            m_core = new HubCore(m_config, *key);
            m_core->onTransfer = [this](const TransferSnapshot &t) { emit transferChanged(t); };
            m_core->onPosition = [this](const QString &fspId, const PositionSnapshot &p) {
                emit positionChanged(fspId, p);
            };
            result = m_core->start();
            if (!result) {
                delete m_core;
                m_core = nullptr;
            }
        },
        Qt::BlockingQueuedConnection);
    if (!result) {
        QMetaObject::invokeMethod(
            m_anchor, [this] { delete m_anchor; }, Qt::BlockingQueuedConnection);
        m_anchor = nullptr;
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
        return result;
    }
    m_port = *result;
    m_running = true;
    return m_port;
}

void Hub::stop()
{
    if (!m_running)
        return;
    QMetaObject::invokeMethod(
        m_anchor,
        [this] {
            delete m_core;
            m_core = nullptr;
            delete m_anchor;
        },
        Qt::BlockingQueuedConnection);
    m_anchor = nullptr;
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_running = false;
    m_port = 0;
}

Result<void> Hub::addParticipant(const ParticipantConfig &participant)
{
    if (!m_running) {
        if (auto ok = validateParticipant(participant); !ok)
            return ok;
        m_config.participants.removeIf(
            [&](const ParticipantConfig &p) { return p.fspId == participant.fspId; });
        m_config.participants << participant;
        return {};
    }
    Result<void> result;
    QMetaObject::invokeMethod(
        m_anchor, [&] { result = m_core->addParticipant(participant); },
        Qt::BlockingQueuedConnection);
    return result;
}

Result<void> Hub::addParty(const PartyEntry &party)
{
    if (!m_running) {
        m_config.parties << party;
        return {};
    }
    Result<void> result;
    QMetaObject::invokeMethod(
        m_anchor, [&] { result = m_core->addParty(party); }, Qt::BlockingQueuedConnection);
    return result;
}

QList<ParticipantSnapshot> Hub::participants() const
{
    QList<ParticipantSnapshot> out;
    if (m_running)
        QMetaObject::invokeMethod(
            m_anchor, [&] { out = m_core->participants(); }, Qt::BlockingQueuedConnection);
    return out;
}

std::optional<ParticipantSnapshot> Hub::participant(const QString &fspId) const
{
    std::optional<ParticipantSnapshot> out;
    if (m_running)
        QMetaObject::invokeMethod(
            m_anchor, [&] { out = m_core->participant(fspId); }, Qt::BlockingQueuedConnection);
    return out;
}

std::optional<TransferSnapshot> Hub::transfer(const QString &transferId) const
{
    std::optional<TransferSnapshot> out;
    if (m_running)
        QMetaObject::invokeMethod(
            m_anchor, [&] { out = m_core->transfer(transferId); }, Qt::BlockingQueuedConnection);
    return out;
}

QList<TransferSnapshot> Hub::transfers() const
{
    QList<TransferSnapshot> out;
    if (m_running)
        QMetaObject::invokeMethod(
            m_anchor, [&] { out = m_core->transfers(); }, Qt::BlockingQueuedConnection);
    return out;
}

std::optional<PositionSnapshot> Hub::position(const QString &fspId, const QString &currency) const
{
    std::optional<PositionSnapshot> out;
    if (m_running) {
        QMetaObject::invokeMethod(
            m_anchor, [&] { out = m_core->position(fspId, currency); },
            Qt::BlockingQueuedConnection);
    }
    return out;
}

HubCounters Hub::counters() const
{
    HubCounters out;
    if (m_running)
        QMetaObject::invokeMethod(
            m_anchor, [&] { out = m_core->counters(); }, Qt::BlockingQueuedConnection);
    return out;
}

} // namespace Pm::Hub
