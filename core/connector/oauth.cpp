#include "core/connector/oauth.h"

#include "core/fspiop/errors.h"
#include "core/fspiop/json.h"

#include <QLoggingCategory>
#include <QUrlQuery>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Pm::Connector {

Q_LOGGING_CATEGORY(lcOAuth, "pm.connector.oauth")

TokenProvider::TokenProvider(OAuthSettings settings, std::optional<QSslConfiguration> tls,
                             std::chrono::milliseconds requestTimeout, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_requestTimeout(requestTimeout.count() > 0 ? requestTimeout : std::chrono::milliseconds(65000))
{
    Net::HttpClientOptions options;
    options.defaultTimeout = m_requestTimeout;
    options.tls = std::move(tls);
    m_http = Net::createHttpClient(options);
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] { fetch(); });
    m_waiterTimer.setInterval(250);
    connect(&m_waiterTimer, &QTimer::timeout, this, [this] { expireWaiters(); });
}

TokenProvider::~TokenProvider() = default;

void TokenProvider::start()
{
    fetch();
}

void TokenProvider::setTlsConfiguration(const QSslConfiguration &tls)
{
    m_http->setTlsConfiguration(tls);
}

void TokenProvider::withToken(const QObject *context, std::chrono::milliseconds maxWait,
                              TokenCallback callback)
{
    if (!m_token.isEmpty() && !m_stale) {
        callback(m_token);
        return;
    }
    Waiter w;
    w.context = context;
    w.hasContext = context != nullptr;
    w.deadline = QDeadlineTimer(maxWait.count() > 0 ? maxWait : m_requestTimeout);
    w.callback = std::move(callback);
    m_waiters.append(std::move(w));
    if (!m_waiterTimer.isActive())
        m_waiterTimer.start();
    if (!m_fetching && !m_refreshTimer.isActive())
        fetch();
}

void TokenProvider::refreshNow(const QByteArray &rejected)
{
    if (rejected != m_token)
        return; // a newer token is already in use
    m_stale = true;
    if (!m_fetching) {
        m_refreshTimer.stop();
        fetch();
    }
}

void TokenProvider::fetch()
{
    if (m_fetching)
        return;
    m_fetching = true;
    Net::HttpClientRequest request;
    request.method = "POST";
    request.url = m_settings.tokenEndpoint;
    // As the reference sends it: base64 of "key:secret" as written (no form-encoding first).
    const QByteArray credentials = m_settings.clientKey.toUtf8() + ':' + m_settings.clientSecret.toUtf8();
    request.headers.add("authorization", "Basic " + credentials.toBase64());
    request.headers.add("content-type", "application/x-www-form-urlencoded");
    request.headers.add("accept", "application/json");
    request.body = "grant_type=client_credentials";
    request.timeout = m_requestTimeout;
    m_http->send(std::move(request), this, [this](Net::HttpClientResult result) { onAnswer(std::move(result)); });
}

void TokenProvider::onAnswer(Net::HttpClientResult result)
{
    m_fetching = false;
    if (!result) {
        failAttempt(result.error().message);
        return;
    }
    const Net::HttpClientResponse &r = *result;
    if (r.status != 200) {
        failAttempt(u"answered %1 %2"_s.arg(r.status).arg(QString::fromUtf8(r.body.left(120)).simplified()));
        return;
    }
    auto json = Fspiop::parseJson(r.body);
    if (!json || !json->is_object()) {
        failAttempt(u"the answer is not a JSON object"_s);
        return;
    }
    const auto token = json->find("access_token");
    if (token == json->end() || !token->is_string() || token->get<std::string>().empty()) {
        failAttempt(u"the answer has no access_token"_s);
        return;
    }
    const QByteArray value = QByteArray::fromStdString(token->get<std::string>());
    for (const char c : value) {
        if (c <= ' ' || c > '~') {
            failAttempt(u"the access_token holds characters a header cannot carry"_s);
            return;
        }
    }
    std::optional<qint64> expiresIn;
    if (const auto e = json->find("expires_in"); e != json->end()) {
        if (e->is_number_integer() || e->is_number_unsigned())
            expiresIn = e->get<qint64>();
        else if (e->is_number_float())
            expiresIn = qint64(e->get<double>());
        else if (e->is_string())
            expiresIn = QString::fromStdString(e->get<std::string>()).toLongLong();
    }
    succeed(value, expiresIn);
}

void TokenProvider::succeed(QByteArray token, std::optional<qint64> expiresIn)
{
    m_token = std::move(token);
    m_stale = false;
    m_lastError.clear();
    ++m_fetches;
    // min(OAUTH_REFRESH_SECONDS, expires_in); a tenth early when the token's own lifetime is the
    // shorter, so that no request goes out with a token about to expire.
    qint64 delayMs = qint64(m_settings.refreshSeconds) * 1000;
    if (expiresIn && *expiresIn > 0 && *expiresIn <= m_settings.refreshSeconds)
        delayMs = *expiresIn * 900;
    m_refreshTimer.start(int(std::clamp<qint64>(delayMs, 500, std::numeric_limits<int>::max())));
    releaseWaiters();
}

void TokenProvider::failAttempt(const QString &why)
{
    m_lastError = u"OAUTH_TOKEN_ENDPOINT: no token from %1: %2"_s.arg(m_settings.tokenEndpoint.toString(), why);
    qCWarning(lcOAuth, "%s; retrying in %d s", qUtf8Printable(m_lastError), m_settings.refreshRetrySeconds);
    m_refreshTimer.start(m_settings.refreshRetrySeconds * 1000);
    expireWaiters();
}

void TokenProvider::releaseWaiters()
{
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    m_waiterTimer.stop();
    for (const Waiter &w : waiters) {
        if (w.hasContext && !w.context)
            continue;
        w.callback(m_token);
    }
}

void TokenProvider::expireWaiters()
{
    QList<Waiter> due;
    for (auto it = m_waiters.begin(); it != m_waiters.end();) {
        if ((it->hasContext && !it->context) || it->deadline.hasExpired()) {
            due.append(std::move(*it));
            it = m_waiters.erase(it);
        } else {
            ++it;
        }
    }
    if (m_waiters.isEmpty())
        m_waiterTimer.stop();
    const QString why = m_lastError.isEmpty()
                            ? u"OAUTH_TOKEN_ENDPOINT: no token yet from %1"_s.arg(m_settings.tokenEndpoint.toString())
                            : m_lastError;
    for (const Waiter &w : due) {
        if (w.hasContext && !w.context)
            continue;
        w.callback(Pm::fail(Fspiop::ErrorCodes::DestinationCommunicationError, why));
    }
}

} // namespace Pm::Connector
