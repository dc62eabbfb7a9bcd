#pragma once

// Helpers of the hub tests: a scriptable fake DFSP (an FSPIOP server that records what it gets and
// a client that signs what it sends), message builders and waits.

#include "core/fspiop/headers.h"
#include "core/fspiop/ilp.h"
#include "core/fspiop/json.h"
#include "core/fspiop/jws.h"
#include "core/fspiop/mediatype.h"
#include "core/net/httpclient.h"
#include "core/net/httpserver.h"

#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QTest>
#include <QTimer>
#include <QUrl>
#include <QUuid>
#include <functional>
#include <memory>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <optional>

namespace Pm::Test {

using namespace Qt::StringLiterals;
using Json = Fspiop::Json;

/** A fresh RSA 2048 private key (PEM). */
inline QByteArray newRsaKeyPem()
{
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    if (!key || !bio
        || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
            != 1)
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

inline bool writeBytes(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

inline QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

inline Json parseBody(const QByteArray &bytes)
{
    auto j = Fspiop::parseJson(bytes);
    return j ? *j : Json();
}

inline QString jstr(const Json &j, const char *key)
{
    if (!j.is_object() || !j.contains(key) || !j[key].is_string())
        return {};
    return QString::fromStdString(j[key].get<std::string>());
}

/** The errorCode of an ErrorInformationResponse body, 0 if there is none. */
inline int errorCodeOf(const Json &body)
{
    if (!body.is_object() || !body.contains("errorInformation"))
        return 0;
    return jstr(body["errorInformation"], "errorCode").toInt();
}

/** Waits (running the event loop) until `done` holds or `timeoutMs` pass. */
inline bool waitUntil(const std::function<bool()> &done, int timeoutMs = 20000)
{
    return QTest::qWaitFor(done, timeoutMs);
}

/** A fulfilment and its condition (base64url, as FSPIOP carries them). */
struct IlpPair
{
    std::string fulfilment;
    std::string condition;
};

inline IlpPair newIlpPair()
{
    QByteArray preimage(32, Qt::Uninitialized);
    const QByteArray seed = QUuid::createUuid().toRfc4122() + QUuid::createUuid().toRfc4122();
    for (int i = 0; i < 32; ++i)
        preimage[i] = seed[i];
    IlpPair p;
    p.fulfilment = preimage.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
                       .toStdString();
    p.condition = *Fspiop::Ilp::conditionFromFulfilment(p.fulfilment);
    return p;
}

/** A POST /transfers body. */
inline Json transferBody(const QString &id, const QString &payer, const QString &payee,
    const QString &amount, const std::string &condition, const QDateTime &expiration,
    const QString &currency = u"USD"_s)
{
    const QByteArray packet = QByteArray("test ilp packet for ").append(id.toLatin1());
    return Json { { "transferId", id.toStdString() }, { "payerFsp", payer.toStdString() },
        { "payeeFsp", payee.toStdString() },
        { "amount",
            Json { { "currency", currency.toStdString() }, { "amount", amount.toStdString() } } },
        { "ilpPacket",
            packet.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
                .toStdString() },
        { "condition", condition },
        { "expiration", expiration.toUTC().toString(Qt::ISODateWithMs).toStdString() } };
}

/** A POST /quotes body. */
inline Json quoteBody(
    const QString &quoteId, const QString &payer, const QString &payee, const QString &amount)
{
    return Json { { "quoteId", quoteId.toStdString() }, { "transactionId", newId().toStdString() },
        { "payee",
            Json { { "partyIdInfo",
                Json { { "partyIdType", "MSISDN" }, { "partyIdentifier", "22556999125" },
                    { "fspId", payee.toStdString() } } } } },
        { "payer",
            Json { { "partyIdInfo",
                Json { { "partyIdType", "MSISDN" }, { "partyIdentifier", "22507008181" },
                    { "fspId", payer.toStdString() } } } } },
        { "amountType", "SEND" },
        { "amount", Json { { "currency", "USD" }, { "amount", amount.toStdString() } } },
        { "transactionType",
            Json { { "scenario", "TRANSFER" }, { "initiator", "PAYER" },
                { "initiatorType", "CONSUMER" } } } };
}

/**
 * A DFSP played by the test: an FSPIOP server on 127.0.0.1 that records every request and answers
 * 202 (POST, GET) or 200 (PUT, PATCH), and a client that sends signed FSPIOP messages to the hub.
 * `onRequest` runs after the answer, to script replies. Lives on the test thread.
 */
class FakeDfsp
{
public:
    struct Received
    {
        QByteArray method;
        QByteArray target;
        QString path;
        Net::HttpHeaders headers;
        QByteArray body;
        Json json;
    };

    explicit FakeDfsp(QString fspId)
        : m_fspId(std::move(fspId))
    { }

    /** Starts with `keyPem` as its JWS key, or a new RSA 2048 key (slow under sanitizers). */
    bool start(const QByteArray &keyPem = {})
    {
        m_keyPem = keyPem.isEmpty() ? newRsaKeyPem() : keyPem;
        auto key = Fspiop::Jws::SigningKey::fromPem(m_keyPem);
        if (!key)
            return false;
        m_key = std::move(*key);
        m_server = Net::createHttpServer();
        m_server->setHandler([this](Net::HttpRequest request, Net::HttpResponder responder) {
            Received r { request.method, request.target, request.path, request.headers,
                request.body, parseBody(request.body) };
            responder.respond(request.method == "PUT" || request.method == "PATCH" ? 200 : 202);
            received << r;
            if (onRequest)
                onRequest(r);
        });
        auto port = m_server->listen({});
        if (!port)
            return false;
        m_port = *port;
        m_client = Net::createHttpClient();
        return true;
    }

    const QString &fspId() const { return m_fspId; }
    QUrl endpoint() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_port)); }
    QByteArray publicKeyPem() const { return m_key->publicKeyPem(); }
    const Fspiop::Jws::SigningKey &key() const { return *m_key; }

    /** How many requests with `method` whose path starts with `prefix` arrived. */
    int count(const QByteArray &method, const QString &prefix) const
    {
        int n = 0;
        for (const Received &r : received)
            n += r.method == method && r.path.startsWith(prefix) ? 1 : 0;
        return n;
    }

    std::optional<Received> find(const QByteArray &method, const QString &path) const
    {
        for (const Received &r : received) {
            if (r.method == method && r.path == path)
                return r;
        }
        return std::nullopt;
    }

    /** Waits for a request with `method` to exactly `path`. */
    std::optional<Received> waitFor(
        const QByteArray &method, const QString &path, int timeoutMs = 20000) const
    {
        waitUntil([&] { return find(method, path).has_value(); }, timeoutMs);
        return find(method, path);
    }

    /** What send() sends: the prepared request, before it goes out (tests may tamper with it). */
    struct Outgoing
    {
        QByteArray method;
        QString path;
        Net::HttpHeaders headers;
        QByteArray body;
    };

    /**
     * Builds a signed FSPIOP request from this DFSP to the hub: Content-Type/Accept of `resource`
     * version 1.1, Date, FSPIOP-Source, FSPIOP-Destination when given, and a JWS over `body`.
     */
    Outgoing prepare(const QByteArray &method, const QString &path, const QByteArray &body,
        const QString &destination = {}, bool sign = true) const
    {
        const QString resource = path.section(u'/', 1, 1);
        const Fspiop::ApiVersion version = Fspiop::Versions::V1_1;
        Outgoing out { method, path, {}, body };
        const QString date = Fspiop::currentHttpDate();
        // FSPIOP requires Content-Type on every request, GET included.
        out.headers.add("Content-Type", Fspiop::contentType(resource, version).toLatin1());
        if (method != "PUT" && method != "PATCH")
            out.headers.add("Accept", Fspiop::acceptType(resource, version).toLatin1());
        out.headers.add("Date", date.toLatin1());
        out.headers.add("FSPIOP-Source", m_fspId.toUtf8());
        if (!destination.isEmpty())
            out.headers.add("FSPIOP-Destination", destination.toUtf8());
        if (sign && !body.isEmpty()) {
            Fspiop::Jws::SignRequest s;
            s.method = QString::fromLatin1(method);
            s.uri = path;
            s.source = m_fspId;
            if (!destination.isEmpty())
                s.destination = destination;
            s.date = date;
            s.body = body;
            auto signedHeaders = Fspiop::Jws::sign(*m_key, s);
            if (signedHeaders) {
                out.headers.add("FSPIOP-HTTP-Method", signedHeaders->httpMethod);
                out.headers.add("FSPIOP-URI", signedHeaders->uri);
                out.headers.add("FSPIOP-Signature", signedHeaders->signature);
            }
        }
        return out;
    }

    /** Sends `out` to the hub at `hub` and waits for the HTTP answer. */
    Net::HttpClientResult send(const QUrl &hub, const Outgoing &out) const
    {
        std::optional<Net::HttpClientResult> result;
        Net::HttpClientRequest r;
        r.method = out.method;
        r.url = hub.resolved(QUrl(out.path));
        r.headers = out.headers;
        r.body = out.body;
        r.timeout = std::chrono::milliseconds(20000);
        QObject context;
        QEventLoop loop;
        m_client->send(std::move(r), &context, [&](Net::HttpClientResult res) {
            result = std::move(res);
            loop.quit();
        });
        QTimer::singleShot(25000, &loop, &QEventLoop::quit);
        if (!result)
            loop.exec();
        if (!result)
            return std::unexpected(Net::HttpClientError {});
        return *result;
    }

    Net::HttpClientResult send(const QUrl &hub, const QByteArray &method, const QString &path,
        const Json &body, const QString &destination = {}) const
    {
        return send(hub,
            prepare(method, path, body.is_null() ? QByteArray() : Fspiop::serializeJson(body),
                destination));
    }

    QList<Received> received;
    std::function<void(const Received &)> onRequest;

private:
    QString m_fspId;
    QByteArray m_keyPem;
    std::optional<Fspiop::Jws::SigningKey> m_key;
    std::unique_ptr<Net::HttpServer> m_server;
    std::unique_ptr<Net::HttpClient> m_client;
    quint16 m_port = 0;
};

} // namespace Pm::Test
