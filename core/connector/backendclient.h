#pragma once

#include "core/base/result.h"
#include "core/connector/config.h"
#include "core/fspiop/json.h"
#include "core/net/httpclient.h"

#include <QObject>

#include <functional>
#include <optional>

namespace Pm::Connector {

/** An answer of the DFSP backend (core connector). Any HTTP status is an answer. */
struct BackendResponse
{
    int status = 0;
    bool empty = true;  ///< no body (or 204)
    Fspiop::Json body;  ///< parsed body; null when empty
    QByteArray raw;     ///< the body bytes
};

/** Retry policy of one backend call. */
struct BackendRetry
{
    int retries = 0;           ///< extra attempts
    int delayMs = 10;          ///< first delay
    int maxDelayMs = 10;       ///< cap of the delay
    int backoffFactor = 1;     ///< delay multiplier per attempt
    bool retryServerErrors = false; ///< also retry any 5xx (notification retries); 4xx never
};

/**
 * The client of the DFSP backend API (BACKEND_ENDPOINT, always http, JSON): Content-Type and
 * Accept application/json and a Date, HTTP_DEFAULT_TIMEOUT, and HTTP_DEFAULT_RETRIES retries on
 * network errors and 408/429/502/503 — except that a request the backend may already have acted
 * on (timeout, connection lost after sending) is never sent again unless it is a GET or PUT.
 *
 * Lives on the connector's service thread.
 */
class BackendClient : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Pm::Result<BackendResponse>)>;

    BackendClient(const ConnectorConfig &config, Net::HttpClient *http, QObject *parent = nullptr);

    /**
     * Calls the backend. `done` gets the response (any status) or an error: code 2004 on a
     * timeout, 2003 when the backend cannot be reached, 2001 for a body that is not JSON.
     */
    void request(QByteArray method, const QString &path, std::optional<Fspiop::Json> body,
                 Done done);
    /** As request() with an explicit retry policy (BACKEND_REQUEST_RETRY_* for notifications). */
    void request(QByteArray method, const QString &path, std::optional<Fspiop::Json> body,
                 const BackendRetry &retry, Done done);

    /** The default policy: HTTP_DEFAULT_RETRIES, HTTP_DEFAULT_RETRY_DELAY. */
    BackendRetry defaultRetry() const;
    /** The notification policy: BACKEND_REQUEST_RETRY_*, and 5xx retried too. */
    BackendRetry notificationRetry() const;

private:
    void attempt(QByteArray method, QUrl url, QByteArray body, BackendRetry retry, int n,
                 int delayMs, Done done);

    ConnectorConfig m_config;
    Net::HttpClient *m_http;
};

/**
 * The FSPIOP error for a backend failure (§6.2 of the reference notes): a body
 * {statusCode:"NNNN", message} gives that code (and the message as description); a statusCode that
 * is not four digits gives 2001 naming it (the reference passes it through, which breaks the
 * errorInformation schema); anything else gives 2001.
 */
Pm::Error backendErrorToFspiop(const BackendResponse &response, const QString &what);

} // namespace Pm::Connector
