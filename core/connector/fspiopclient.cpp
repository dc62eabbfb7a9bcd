#include "core/connector/fspiopclient.h"

#include "core/connector/metrics.h"
#include "core/connector/oauth.h"
#include "core/fspiop/errors.h"
#include "core/store/store.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QThreadPool>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Pm::Connector {

namespace {

QString joinUrlPath(const QString &base, const QString &path)
{
    QString joined = base + u'/' + path;
    while (joined.contains(u"//"_s))
        joined.replace(u"//"_s, u"/"_s);
    return joined;
}

Store::MessageRecord messageRecord(const FspiopOutgoing &request, const QUrl &url,
                                   const Net::HttpHeaders &headers)
{
    Store::MessageRecord m;
    m.transferId = request.transferId;
    m.correlationId = request.correlationId;
    m.direction = Store::MessageDirection::Out;
    m.kind = request.callback ? Store::MessageKind::Callback : Store::MessageKind::Request;
    m.method = QString::fromLatin1(request.method);
    m.url = url.toString();
    for (const auto &field : headers.fields()) {
        // Bearer tokens are credentials: the record keeps that one was sent, not its value.
        if (field.first.compare("authorization", Qt::CaseInsensitive) == 0)
            m.headers.append({field.first, field.second.left(field.second.indexOf(' ') + 1) + "********"});
        else
            m.headers.append(field);
    }
    m.body = request.body;
    m.at = QDateTime::currentMSecsSinceEpoch();
    return m;
}

} // namespace

FspiopClient::FspiopClient(const ConnectorConfig &config, Net::HttpClient *http,
                           std::optional<Fspiop::Jws::SigningKey> signingKey, Store::Store *store,
                           QThreadPool *pool, Metrics *metrics, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_http(http)
    , m_key(std::move(signingKey))
    , m_store(store)
    , m_pool(pool)
    , m_metrics(metrics)
{
}

bool FspiopClient::willSign(const FspiopOutgoing &request) const
{
    // PUT /parties callbacks follow JWS_SIGN, as the reference's inbound model sends them (it does
    // not pass JWS_SIGN_PUT_PARTIES on); see docs/connector.md.
    return m_config.jwsSign && m_key.has_value() && !request.body.isEmpty()
           && (request.method == "POST" || request.method == "PUT" || request.method == "PATCH");
}

void FspiopClient::send(FspiopOutgoing request, Done done)
{
    const QUrl base = m_config.hubUrl(request.resource);
    QUrl url = base;
    url.setPath(joinUrlPath(base.path(), request.path));

    const QString date = Fspiop::currentHttpDate();
    Net::HttpHeaders headers;
    // PATCH /transfers exists from FSPIOP 1.1 on: a connector configured for 1.0 sends it as 1.1.
    if (request.method == "PATCH"
        && m_config.resourceVersions.version(request.resource) < Fspiop::Versions::V1_1) {
        headers.add("content-type", Fspiop::contentType(request.resource, Fspiop::Versions::V1_1).toLatin1());
    } else {
        headers.add("content-type", m_config.resourceVersions.contentType(request.resource).toLatin1());
    }
    headers.add("date", date.toLatin1());
    headers.add("fspiop-source", m_config.dfspId.toUtf8());
    if (!request.destination.isEmpty())
        headers.add("fspiop-destination", request.destination.toUtf8());
    if (request.method != "PUT")
        headers.add("accept", m_config.resourceVersions.acceptType(request.resource).toLatin1());
    Fspiop::TraceContext trace;
    if (request.trace) {
        trace = *request.trace;
    } else {
        trace.traceparent = Fspiop::TraceParent::generate(m_config.traceFlags);
    }
    headers.add("traceparent", trace.traceparent.toHeaderValue());
    if (!trace.tracestate.isEmpty())
        headers.add("tracestate", trace.tracestate);
    if (!trace.baggage.isEmpty())
        headers.add("baggage", trace.baggage);
    if (!m_tokens && !m_config.oauth.bearerToken.isEmpty())
        headers.add("authorization", "Bearer " + m_config.oauth.bearerToken.toUtf8());

    if (!willSign(request)) {
        transmit(std::move(request), std::move(headers), std::move(url), {}, std::move(done));
        return;
    }

    Fspiop::Jws::SignRequest sign;
    sign.method = QString::fromLatin1(request.method);
    sign.uri = url.path();
    sign.source = m_config.dfspId;
    if (!request.destination.isEmpty())
        sign.destination = request.destination;
    sign.date = date;
    auto work = [this, key = *m_key, sign, request = std::move(request), headers = std::move(headers),
                 url = std::move(url), done = std::move(done)]() mutable {
        sign.body = request.body; // views the request's bytes, which live in this closure
        Pm::Result<Fspiop::Jws::SignedHeaders> signedHeaders = Fspiop::Jws::sign(key, sign);
        auto deliver = [this, signedHeaders = std::move(signedHeaders), request = std::move(request),
                        headers = std::move(headers), url = std::move(url),
                        done = std::move(done)]() mutable {
            if (!signedHeaders) {
                done(std::unexpected(signedHeaders.error()));
                return;
            }
            headers.add("fspiop-http-method", signedHeaders->httpMethod);
            headers.add("fspiop-uri", signedHeaders->uri);
            headers.add("fspiop-signature", signedHeaders->signature);
            transmit(std::move(request), std::move(headers), std::move(url), {}, std::move(done));
        };
        return deliver;
    };
    if (!m_pool) {
        work()();
        return;
    }
    // The pool only signs; the result comes back to this object's thread. The connector waits for
    // the pool before destroying this client, so `this` outlives every queued delivery.
    m_pool->start([this, work = std::move(work)]() mutable {
        auto deliver = work();
        QMetaObject::invokeMethod(this, std::move(deliver), Qt::QueuedConnection);
    });
}

void FspiopClient::transmit(FspiopOutgoing request, Net::HttpHeaders headers, QUrl url,
                            Attempts attempts, Done done)
{
    if (!m_tokens) {
        transmitNow(std::move(request), std::move(headers), std::move(url), attempts, std::move(done));
        return;
    }
    // Nothing goes to the hub without a token: wait for the first (or the refreshed) one.
    const auto wait = std::chrono::milliseconds(m_config.http.timeoutMs > 0 ? m_config.http.timeoutMs : 65000);
    m_tokens->withToken(this, wait,
                        [this, request = std::move(request), headers = std::move(headers),
                         url = std::move(url), attempts,
                         done = std::move(done)](Pm::Result<QByteArray> token) mutable {
                            if (!token) {
                                done(Pm::fail(token.error().code,
                                              u"%1 %2: %3"_s.arg(QString::fromLatin1(request.method),
                                                                 url.toString(), token.error().message)));
                                return;
                            }
                            headers.set("authorization", "Bearer " + *token);
                            transmitNow(std::move(request), std::move(headers), std::move(url), attempts,
                                        std::move(done));
                        });
}

void FspiopClient::transmitNow(FspiopOutgoing request, Net::HttpHeaders headers, QUrl url,
                               Attempts attempts, Done done)
{
    if (attempts.network == 0 && attempts.auth == 0 && m_store)
        m_store->messages().append(messageRecord(request, url, headers));

    Net::HttpClientRequest http;
    http.method = request.method;
    http.url = url;
    http.headers = headers;
    http.body = request.body;
    http.timeout = std::chrono::milliseconds(m_config.http.timeoutMs);
    QElapsedTimer timer;
    timer.start();
    m_http->send(std::move(http), this,
                 [this, request = std::move(request), headers, url, attempts, done = std::move(done),
                  timer](Net::HttpClientResult result) mutable {
                     const double seconds = double(timer.nsecsElapsed()) / 1e9;
                     if (m_metrics) {
                         m_metrics->fspiopRequest(u"out"_s, request.resource, request.method,
                                                  result ? result->status : 0, seconds);
                     }
                     if (m_store) {
                         // Per-minute series for the technical dashboard (one upsert, batched).
                         m_store->metrics().add({QDateTime::currentMSecsSinceEpoch(), request.resource,
                                                 Store::MessageDirection::Out, qint64(seconds * 1000),
                                                 !result || result->status >= 400});
                     }
                     if (!result) {
                         const Net::HttpClientError &e = result.error();
                         if (!e.requestMayHaveBeenProcessed && attempts.network < m_config.http.retries) {
                             ++attempts.network;
                             QTimer::singleShot(m_config.http.retryDelayMs, this,
                                                [this, request = std::move(request), headers, url,
                                                 attempts, done = std::move(done)]() mutable {
                                                     transmit(std::move(request), headers, url,
                                                              attempts, std::move(done));
                                                 });
                             return;
                         }
                         done(Pm::fail(Fspiop::ErrorCodes::DestinationCommunicationError,
                                       u"%1 %2: %3"_s.arg(QString::fromLatin1(request.method),
                                                          url.toString(), e.message),
                                       e.detail));
                         return;
                     }
                     const Net::HttpClientResponse &r = *result;
                     if (r.status == 401 && m_tokens) {
                         // The hub refused the token: get a new one; the refused request was not
                         // processed, so it may be sent again with the new token.
                         const QByteArray sent = headers.value("authorization").mid(7);
                         m_tokens->refreshNow(sent);
                         if (attempts.auth < m_config.oauth.authFailureRetries) {
                             ++attempts.auth;
                             transmit(std::move(request), headers, url, attempts, std::move(done));
                             return;
                         }
                     }
                     if (r.status >= 200 && r.status < 300 && r.body.trimmed().isEmpty()) {
                         Net::HttpHeaders shown = headers;
                         if (shown.contains("authorization"))
                             shown.set("authorization", "Bearer ********");
                         done(FspiopSent{url, shown});
                         return;
                     }
                     int code = Fspiop::ErrorCodes::InternalServerError;
                     QString why;
                     if (auto info = Fspiop::parseErrorInformation(QByteArrayView(r.body))) {
                         code = info->code;
                         why = info->description;
                     } else if (r.status >= 200 && r.status < 300) {
                         why = u"expected an empty response body"_s;
                     } else {
                         why = QString::fromUtf8(r.body.left(200));
                     }
                     done(Pm::fail(code,
                                   u"%1 %2 answered %3: %4"_s.arg(QString::fromLatin1(request.method),
                                                                 url.path(), QString::number(r.status),
                                                                 why)));
                 });
}

} // namespace Pm::Connector
