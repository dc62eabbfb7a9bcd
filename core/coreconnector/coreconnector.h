#pragma once

#include "core/base/result.h"
#include "core/coreconnector/template.h"
#include "core/fspiop/json.h"
#include "core/net/httpclient.h"
#include "core/net/httpserver.h"

#include <QMap>
#include <QObject>
#include <QUrl>
#include <functional>
#include <memory>

namespace Pm::CoreConnector {

/** How a core connector runs. */
struct CoreConnectorOptions
{
    Template tmpl;
    /** Overrides of the template's config defaults (string values), e.g. {"baseUrl": "..."}. */
    Fspiop::Json config = Fspiop::Json::object();
    quint16 backendPort = 0; ///< the connector's backend API; 0 = a free port
    bool serveSendMoney = true; ///< the DFSP-facing /sendmoney API
    quint16 sendMoneyPort = 0; ///< 0 = a free port
    QUrl outboundUrl; ///< the connector's outbound API, for `outbound` steps
    QString language; ///< error-table language; empty = the template's
};

/** Counters of one operation. */
struct OperationMetrics
{
    quint64 count = 0;
    quint64 errors = 0;
    qint64 totalMs = 0;
    qint64 maxMs = 0;
};

/** The outcome of one operation: HTTP status and JSON body as answered. */
struct OperationResult
{
    int status = 200;
    Fspiop::Json body;
};

/**
 * The core connector: serves the connector's backend API (GET /parties, POST /quoterequests,
 * POST /transfers, PUT /transfers/{id}) and the DFSP-facing API (POST /sendmoney,
 * PUT /sendmoney/{id}) on 127.0.0.1 by running the template's operations against the core
 * system. Errors are answered {"statusCode": "NNNN", "message": "..."}.
 *
 * Create, use and destroy it on one thread with an event loop.
 */
class CoreConnector : public QObject
{
    Q_OBJECT

public:
    explicit CoreConnector(QObject *parent = nullptr);
    ~CoreConnector() override;

    Result<void> start(CoreConnectorOptions options);
    void stop();
    quint16 backendPort() const;
    quint16 sendMoneyPort() const;
    /** "127.0.0.1:PORT", the form of BACKEND_ENDPOINT. */
    QString backendEndpoint() const;
    /**
     * The connector's outbound API for `outbound` steps, when it is only known after start() (the
     * connector needs the backend endpoint first). Applies to operations started from now on.
     */
    void setOutboundUrl(const QUrl &url) { m_options.outboundUrl = url; }

    using Done = std::function<void(OperationResult)>;
    /**
     * Runs `operation` with `request` ({params: {...}, body: ..., query: {...}}); `done` is called
     * later on this thread. An operation the template lacks answers 501.
     */
    void runOperation(const QString &operation, Fspiop::Json request, Done done);

    QMap<QString, OperationMetrics> metrics() const { return m_metrics; }
    const Fspiop::Json &config() const { return m_config; }

private:
    friend struct Run;
    void handleBackend(Net::HttpRequest request, Net::HttpResponder responder);
    void handleSendMoney(Net::HttpRequest request, Net::HttpResponder responder);
    void dispatch(const QString &operation, Fspiop::Json request, Net::HttpResponder responder);

    CoreConnectorOptions m_options;
    Fspiop::Json m_config;
    std::unique_ptr<Net::HttpServer> m_backend;
    std::unique_ptr<Net::HttpServer> m_sendMoney;
    std::unique_ptr<Net::HttpClient> m_coreClient;
    std::unique_ptr<Net::HttpClient> m_outboundClient;
    QMap<QString, OperationMetrics> m_metrics;
    QByteArray m_token;
    qint64 m_tokenExpiresAtMs = 0;
};

} // namespace Pm::CoreConnector
