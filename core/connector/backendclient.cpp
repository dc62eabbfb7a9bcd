#include "core/connector/backendclient.h"

#include "core/fspiop/errors.h"
#include "core/fspiop/headers.h"

#include <QRegularExpression>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pm::Connector {

BackendClient::BackendClient(const ConnectorConfig &config, Net::HttpClient *http, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_http(http)
{
}

BackendRetry BackendClient::defaultRetry() const
{
    BackendRetry r;
    r.retries = std::max(0, m_config.http.retries);
    r.delayMs = m_config.http.retryDelayMs;
    r.maxDelayMs = m_config.http.retryDelayMs;
    r.backoffFactor = 1;
    return r;
}

BackendRetry BackendClient::notificationRetry() const
{
    BackendRetry r;
    const RetrySettings &s = m_config.backendRequestRetry;
    r.retries = s.enabled ? std::max(0, s.maxRetries) : 0;
    r.delayMs = s.delayMs;
    r.maxDelayMs = s.maxDelayMs;
    r.backoffFactor = std::max(1, s.backoffFactor);
    r.retryServerErrors = true;
    return r;
}

void BackendClient::request(QByteArray method, const QString &path, std::optional<Fspiop::Json> body,
                            Done done)
{
    request(std::move(method), path, std::move(body), defaultRetry(), std::move(done));
}

void BackendClient::request(QByteArray method, const QString &path, std::optional<Fspiop::Json> body,
                            const BackendRetry &retry, Done done)
{
    QUrl url = m_config.backendUrl;
    QString joined = url.path() + u'/' + path;
    while (joined.contains(u"//"_s))
        joined.replace(u"//"_s, u"/"_s);
    url.setPath(joined);
    const QByteArray bytes = body ? Fspiop::serializeJson(*body) : QByteArray();
    attempt(std::move(method), std::move(url), bytes, retry, 0, retry.delayMs, std::move(done));
}

void BackendClient::attempt(QByteArray method, QUrl url, QByteArray body, BackendRetry retry, int n,
                            int delayMs, Done done)
{
    Net::HttpClientRequest http;
    http.method = method;
    http.url = url;
    http.headers.add("content-type", "application/json");
    http.headers.add("accept", "application/json");
    http.headers.add("date", Fspiop::currentHttpDate().toLatin1());
    http.body = body;
    http.timeout = std::chrono::milliseconds(m_config.http.timeoutMs);
    m_http->send(std::move(http), this, [=, this, done = std::move(done)](Net::HttpClientResult r) mutable {
        const bool idempotent = method == "GET" || method == "PUT";
        bool again = false;
        if (!r) {
            again = !r.error().requestMayHaveBeenProcessed || idempotent;
        } else {
            const int st = r->status;
            again = st == 408 || st == 429 || st == 502 || st == 503
                    || (retry.retryServerErrors && st >= 500);
        }
        if (again && n < retry.retries) {
            const int next = std::min(retry.maxDelayMs, delayMs * retry.backoffFactor);
            QTimer::singleShot(delayMs, this, [=, this, done = std::move(done)]() mutable {
                attempt(method, url, body, retry, n + 1, next, std::move(done));
            });
            return;
        }
        if (!r) {
            const bool timeout = r.error().kind == Net::HttpClientErrorKind::Timeout;
            done(Pm::fail(timeout ? Fspiop::ErrorCodes::ServerTimedOut
                                  : Fspiop::ErrorCodes::ServiceCurrentlyUnavailable,
                          u"backend %1 %2: %3"_s.arg(QString::fromLatin1(method), url.path(),
                                                     r.error().message)));
            return;
        }
        BackendResponse out;
        out.status = r->status;
        out.raw = r->body;
        out.empty = r->status == 204 || r->body.trimmed().isEmpty();
        if (!out.empty) {
            auto parsed = Fspiop::parseJson(r->body);
            if (!parsed) {
                if (r->status >= 200 && r->status < 300) {
                    done(Pm::fail(Fspiop::ErrorCodes::InternalServerError,
                                  u"backend %1 %2 answered %3 with a body that is not JSON"_s.arg(
                                      QString::fromLatin1(method), url.path(),
                                      QString::number(r->status))));
                    return;
                }
            } else {
                out.body = std::move(*parsed);
            }
        }
        done(std::move(out));
    });
}

Pm::Error backendErrorToFspiop(const BackendResponse &response, const QString &what)
{
    static const QRegularExpression fourDigits(u"^[1-9][0-9]{3}$"_s);
    QString statusCode;
    QString message;
    if (response.body.is_object()) {
        const auto sc = response.body.find("statusCode");
        if (sc != response.body.end()) {
            if (sc->is_string())
                statusCode = QString::fromStdString(sc->get<std::string>());
            else if (sc->is_number_integer())
                statusCode = QString::number(sc->get<qint64>());
        }
        const auto m = response.body.find("message");
        if (m != response.body.end() && m->is_string())
            message = QString::fromStdString(m->get<std::string>());
    }
    if (fourDigits.match(statusCode).hasMatch())
        return Pm::Error{statusCode.toInt(), message, what};
    QString description = u"%1: backend answered HTTP %2"_s.arg(what, QString::number(response.status));
    if (!statusCode.isEmpty())
        description += u" statusCode %1"_s.arg(statusCode);
    if (!message.isEmpty())
        description += u": "_s + message;
    return Pm::Error{Fspiop::ErrorCodes::InternalServerError, description, {}};
}

} // namespace Pm::Connector
