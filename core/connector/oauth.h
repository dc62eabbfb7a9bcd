#pragma once

#include "core/base/result.h"
#include "core/connector/config.h"
#include "core/net/httpclient.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace Pm::Connector {

/**
 * OAuth2 client-credentials tokens for requests to the hub, as the reference's OIDCAuth gets them:
 * `POST OAUTH_TOKEN_ENDPOINT` with `grant_type=client_credentials` as a form body and
 * `Authorization: Basic base64(OAUTH_CLIENT_KEY:OAUTH_CLIENT_SECRET)`; the answer's
 * `access_token` is used as `Authorization: Bearer` on every FSPIOP request and callback.
 *
 * The first token is fetched by start(). A new one is fetched after min(OAUTH_REFRESH_SECONDS,
 * expires_in), a tenth of the lifetime early when expires_in is the shorter; a failed request is
 * retried after OAUTH_REFRESH_RETRY_SECONDS (the current token, if any, stays in use meanwhile).
 * refreshNow() (after a 401 from the hub) fetches at once; requests asked for meanwhile wait.
 *
 * Lives on the connector's service thread; callbacks run there.
 */
class TokenProvider : public QObject
{
    Q_OBJECT
public:
    /** The token, or why there is none (one line naming OAUTH_TOKEN_ENDPOINT). */
    using TokenCallback = std::function<void(Pm::Result<QByteArray> token)>;

    /**
     * `tls` is the TLS configuration of an https token endpoint (the outbound client certificate
     * when OAUTH_MUTUAL_TLS_ENABLED); nullopt: the system's CAs.
     */
    TokenProvider(OAuthSettings settings, std::optional<QSslConfiguration> tls,
                  std::chrono::milliseconds requestTimeout, QObject *parent = nullptr);
    ~TokenProvider() override;

    /** Fetches the first token. */
    void start();

    /**
     * Calls `callback` with the current token: at once if there is one and no refresh after a
     * rejection is running, else when the next fetch succeeds. A caller still waiting after
     * `maxWait` gets the last fetch error instead. Nothing is called once `context` is gone.
     */
    void withToken(const QObject *context, std::chrono::milliseconds maxWait, TokenCallback callback);

    /**
     * The hub rejected `rejected` (401): unless a newer token is already there, fetch one now;
     * callers of withToken() wait for it.
     */
    void refreshNow(const QByteArray &rejected);

    /** The token in use (empty before the first success). */
    QByteArray currentToken() const { return m_token; }
    /** Successful token fetches so far (for tests and the dashboard). */
    int fetchCount() const { return m_fetches; }
    /** Replaces the TLS material for the next connections (certificate rotation). */
    void setTlsConfiguration(const QSslConfiguration &tls);

private:
    struct Waiter
    {
        QPointer<const QObject> context;
        bool hasContext = false;
        QDeadlineTimer deadline;
        TokenCallback callback;
    };

    void fetch();
    void onAnswer(Net::HttpClientResult result);
    void succeed(QByteArray token, std::optional<qint64> expiresIn);
    void failAttempt(const QString &why);
    void releaseWaiters();
    void expireWaiters();

    OAuthSettings m_settings;
    std::chrono::milliseconds m_requestTimeout;
    std::unique_ptr<Net::HttpClient> m_http;
    QByteArray m_token;
    bool m_fetching = false;
    bool m_stale = false;      ///< the hub rejected the current token; wait for the next
    QString m_lastError;
    int m_fetches = 0;
    QList<Waiter> m_waiters;
    QTimer m_refreshTimer;
    QTimer m_waiterTimer;
};

} // namespace Pm::Connector
