#include "core/connector/connector.h"
#include "core/connector/listen_p.h"

#include "core/connector/backendclient.h"
#include "core/connector/fspiopclient.h"
#include "core/connector/inboundserver.h"
#include "core/connector/jwskeys.h"
#include "core/connector/metrics.h"
#include "core/connector/oauth.h"
#include "core/connector/outbound.h"
#include "core/connector/payee.h"
#include "core/connector/tls.h"
#include "core/connector/tlsreload.h"
#include "core/connector/waiters.h"
#include "core/store/store.h"

#include <QDir>
#include <QFile>
#include <QThread>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace Pm::Connector {

/** Everything that lives on the service thread. */
class ConnectorCore : public QObject
{
public:
    ConnectorCore(const ConnectorConfig &config, Store::Store *store, QThreadPool *pool,
                  std::optional<Fspiop::Jws::SigningKey> key)
        : m_config(config), m_store(store), m_pool(pool), m_key(std::move(key))
    {
    }

    Pm::Result<ConnectorPorts> start()
    {
        Net::HttpClientOptions options;
        options.defaultTimeout = std::chrono::milliseconds(m_config.http.timeoutMs > 0 ? m_config.http.timeoutMs : 65000);
        auto material = TlsReloader::load(m_config);
        if (!material)
            return std::unexpected(material.error());
        if (m_config.outboundTls.mutualTls)
            options.tls = material->outbound;
        m_http = Net::createHttpClient(options);
        m_backendHttp = Net::createHttpClient();
        m_metrics = std::make_unique<Metrics>();
        if (m_config.validateInboundJws && !m_config.jwsVerificationKeysDirectory.isEmpty())
            m_keys = new JwsKeyDirectory(m_config.jwsVerificationKeysDirectory, this);
        m_waiters = new WaiterRegistry(this);
        m_fspiop = new FspiopClient(m_config, m_http.get(), m_key, m_store, m_pool, m_metrics.get(), this);
        if (!m_config.oauth.tokenEndpoint.isEmpty()) {
            // The token call trusts OUT_CA_CERT_PATH when given, and presents the outbound client
            // certificate only with OAUTH_MUTUAL_TLS_ENABLED.
            TlsSettings tokenTls = m_config.outboundTls;
            if (!m_config.oauth.mutualTls) {
                tokenTls.certPath.clear();
                tokenTls.keyPath.clear();
            }
            std::optional<QSslConfiguration> tls;
            if (m_config.oauth.mutualTls || !tokenTls.caCertPaths.isEmpty()) {
                auto built = outboundTlsConfiguration(tokenTls);
                if (!built)
                    return std::unexpected(built.error());
                tls = *built;
            }
            m_tokens = new TokenProvider(m_config.oauth, tls,
                                         std::chrono::milliseconds(m_config.http.timeoutMs), this);
            m_fspiop->setTokenProvider(m_tokens);
            m_tokens->start();
        }
        m_backend = new BackendClient(m_config, m_backendHttp.get(), this);
        m_payee = new PayeeService(m_config, m_fspiop, m_backend, m_store, this);
        m_outbound = new OutboundService(m_config, m_fspiop, m_waiters, m_store, m_metrics.get(), this);
        m_inbound = new InboundServer(m_config, m_keys, m_store, m_metrics.get(),
                                      [this](InboundMessage m) { dispatch(std::move(m)); }, this);

        ConnectorPorts ports;
        auto inbound = m_inbound->listen(material->inbound);
        if (!inbound)
            return std::unexpected(inbound.error());
        ports.inbound = *inbound;
        auto outbound = m_outbound->listen();
        if (!outbound)
            return std::unexpected(outbound.error());
        ports.outbound = *outbound;
        m_metricsServer = Net::createHttpServer();
        m_metricsServer->setHandler([this](Net::HttpRequest, Net::HttpResponder responder) {
            responder.respond(200, Net::HttpHeaders{{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}},
                              m_metrics->render());
        });
        Net::HttpServerOptions metricsOptions;
        metricsOptions.address = m_config.listenAddress;
        metricsOptions.port = m_config.metricsPort;
        auto metrics = m_metricsServer->listen(metricsOptions);
        if (!metrics) {
            return std::unexpected(Internal::listenError(u"METRICS_SERVER_LISTEN_PORT"_s, metricsOptions,
                                               metrics.error()));
        }
        ports.metrics = *metrics;
        m_outbound->recover();
        m_payee->recover();
        m_tls = new TlsReloader(m_config, [this](const TlsMaterial &m) { applyTls(m); }, this);
        m_tls->start(*material);
        return ports;
    }

    void stopAccepting()
    {
        if (m_inbound)
            m_inbound->stopAccepting();
        if (m_outbound)
            m_outbound->stopAccepting();
        if (m_metricsServer)
            m_metricsServer->stopAccepting();
    }

    /** Connector::reloadTls(). */
    Pm::Result<bool> reloadTls() { return m_tls ? m_tls->reload() : Pm::Result<bool>(false); }
    TlsStatus tlsStatus() const { return m_tls ? m_tls->status() : TlsStatus(); }

    ConnectorActivity activity() const
    {
        ConnectorActivity a;
        a.payeeInFlight = m_payee ? m_payee->inFlight() : 0;
        a.outboundActive = m_outbound ? m_outbound->active() : 0;
        a.waiters = m_waiters ? m_waiters->size() : 0;
        return a;
    }

    ~ConnectorCore() override
    {
        // Children (servers, flows) go before the clients they use.
        delete m_inbound;
        delete m_outbound;
        delete m_payee;
        delete m_backend;
        delete m_fspiop;
        delete m_tokens;
        delete m_tls;
        delete m_waiters;
        m_metricsServer.reset();
        m_http.reset();
        m_backendHttp.reset();
    }

private:
    /** New TLS material for the connections opened from now on; open ones keep theirs. */
    void applyTls(const TlsMaterial &material)
    {
        if (material.inbound)
            m_inbound->setTlsConfiguration(*material.inbound);
        if (material.outbound && m_config.outboundTls.mutualTls)
            m_http->setTlsConfiguration(*material.outbound);
        if (m_tokens && m_config.oauth.mutualTls && material.outbound)
            m_tokens->setTlsConfiguration(*material.outbound);
    }

    void dispatch(InboundMessage m)
    {
        CallbackMessage cb;
        cb.body = m.body;
        cb.source = m.source;
        for (const auto &field : m.headers)
            cb.headers.add(field.first, field.second);
        switch (m.route) {
        case InboundRoute::PutPartiesError:
            cb.isError = true;
            [[fallthrough]];
        case InboundRoute::PutParties:
            m_waiters->publish(WaiterRegistry::partiesKey(m.partyType, m.partyId, m.partySubId), cb);
            return;
        case InboundRoute::PutParticipantsError:
            cb.isError = true;
            [[fallthrough]];
        case InboundRoute::PutParticipants:
            m_waiters->publish(u"participants-"_s + m.partyType + u'-' + m.partyId + u'-' + m.partySubId, cb);
            return;
        case InboundRoute::PutQuotesError:
            cb.isError = true;
            [[fallthrough]];
        case InboundRoute::PutQuotes:
            m_waiters->publish(u"qt_"_s + m.id, cb);
            return;
        case InboundRoute::PutTransfersError:
            cb.isError = true;
            [[fallthrough]];
        case InboundRoute::PutTransfers:
            if (m_waiters->publish(u"tf_"_s + m.id, cb) == 0 && !m_payee->transferStateCallback(m.id, cb))
                m_outbound->unclaimedTransferCallback(m.id, cb);
            return;
        default:
            m_payee->handle(m);
        }
    }

    ConnectorConfig m_config;
    Store::Store *m_store;
    QThreadPool *m_pool;
    std::optional<Fspiop::Jws::SigningKey> m_key;
    std::unique_ptr<Net::HttpClient> m_http;
    std::unique_ptr<Net::HttpClient> m_backendHttp;
    std::unique_ptr<Metrics> m_metrics;
    std::unique_ptr<Net::HttpServer> m_metricsServer;
    JwsKeyDirectory *m_keys = nullptr;
    WaiterRegistry *m_waiters = nullptr;
    FspiopClient *m_fspiop = nullptr;
    TokenProvider *m_tokens = nullptr;
    TlsReloader *m_tls = nullptr;
    BackendClient *m_backend = nullptr;
    PayeeService *m_payee = nullptr;
    OutboundService *m_outbound = nullptr;
    InboundServer *m_inbound = nullptr;
};

Connector::Connector(ConnectorConfig config, QString dataDir)
    : m_config(std::move(config))
    , m_dataDir(std::move(dataDir))
{
}

Connector::~Connector()
{
    stop(0);
}

Pm::Result<ConnectorPorts> Connector::start()
{
    if (m_running)
        return m_ports;
    if (m_dataDir.isEmpty())
        return Pm::fail(0, u"no data directory (--data-dir or PM_DATA_DIR)"_s);
    if (!QDir().mkpath(m_dataDir))
        return Pm::fail(0, u"cannot create the data directory '%1'"_s.arg(m_dataDir));

    std::optional<Fspiop::Jws::SigningKey> key;
    if (m_config.jwsSign) {
        if (m_config.jwsSigningKeyPath.isEmpty()) {
            return Pm::fail(InvalidSettingError, u"JWS_SIGNING_KEY_PATH: required when JWS_SIGN is "
                                                 u"true; set it or set JWS_SIGN=false"_s);
        }
        QFile file(m_config.jwsSigningKeyPath);
        if (!file.open(QIODevice::ReadOnly)) {
            return Pm::fail(InvalidSettingError, u"JWS_SIGNING_KEY_PATH: cannot read '%1': %2"_s.arg(
                                   m_config.jwsSigningKeyPath, file.errorString()));
        }
        auto parsed = Fspiop::Jws::SigningKey::fromPem(file.readAll());
        if (!parsed) {
            return Pm::fail(InvalidSettingError, u"JWS_SIGNING_KEY_PATH: '%1': %2"_s.arg(
                                   m_config.jwsSigningKeyPath, parsed.error().message));
        }
        key = *parsed;
    }
    if (m_config.validateInboundJws && !m_config.jwsVerificationKeysDirectory.isEmpty()
        && !QDir(m_config.jwsVerificationKeysDirectory).exists()) {
        return Pm::fail(InvalidSettingError, u"JWS_VERIFICATION_KEYS_DIRECTORY: '%1' is not a directory"_s.arg(
                               m_config.jwsVerificationKeysDirectory));
    }

    Store::StoreOptions options;
    options.path = QDir(m_dataDir).filePath(u"connector.sqlite"_s);
    auto store = Store::Store::open(options);
    if (!store)
        return Pm::fail(store.error().code, u"store: "_s + store.error().message, store.error().detail);
    m_store = std::move(*store);

    m_pool = std::make_unique<QThreadPool>();
    m_pool->setMaxThreadCount(std::max(1, QThread::idealThreadCount()));
    m_thread = new QThread;
    m_thread->setObjectName(u"pm-connector"_s);
    m_anchor = new QObject;
    m_anchor->moveToThread(m_thread);
    m_thread->start();

    Pm::Result<ConnectorPorts> result = Pm::fail(0, u"not started"_s);
    QMetaObject::invokeMethod(m_anchor, [&] {
        m_core = new ConnectorCore(m_config, m_store.get(), m_pool.get(), key);
        result = m_core->start();
        if (!result) {
            delete m_core;
            m_core = nullptr;
        }
    }, Qt::BlockingQueuedConnection);
    if (!result) {
        m_pool->waitForDone();
        QMetaObject::invokeMethod(m_anchor, [this] { delete m_anchor; }, Qt::BlockingQueuedConnection);
        m_anchor = nullptr;
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
        m_pool.reset();
        m_store.reset();
        return result;
    }
    m_ports = *result;
    m_running = true;
    return m_ports;
}

Pm::Result<bool> Connector::reloadTls()
{
    if (!m_running)
        return Pm::fail(0, u"the connector is not running"_s);
    Pm::Result<bool> result = false;
    QMetaObject::invokeMethod(m_anchor, [&] { result = m_core->reloadTls(); }, Qt::BlockingQueuedConnection);
    return result;
}

TlsStatus Connector::tlsStatus() const
{
    TlsStatus status;
    if (!m_running)
        return status;
    QMetaObject::invokeMethod(m_anchor, [&] { status = m_core->tlsStatus(); }, Qt::BlockingQueuedConnection);
    return status;
}

ConnectorActivity Connector::activity() const
{
    ConnectorActivity a;
    if (!m_running)
        return a;
    QMetaObject::invokeMethod(m_anchor, [&] { a = m_core->activity(); }, Qt::BlockingQueuedConnection);
    return a;
}

void Connector::stop(int graceMs)
{
    if (!m_running)
        return;
    QMetaObject::invokeMethod(m_anchor, [this] { m_core->stopAccepting(); }, Qt::BlockingQueuedConnection);
    // Give in-flight work a moment (each step is stored either way). The caller's thread sleeps
    // between checks; no event loop is nested.
    for (int waited = 0; waited < graceMs; waited += 50) {
        const ConnectorActivity a = activity();
        if (a.payeeInFlight == 0 && a.waiters == 0)
            break;
        QThread::msleep(50);
    }
    m_pool->waitForDone();
    QMetaObject::invokeMethod(m_anchor, [this] {
        delete m_core;
        m_core = nullptr;
        delete m_anchor;
    }, Qt::BlockingQueuedConnection);
    m_anchor = nullptr;
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_pool.reset();
    m_store->flush();
    m_store.reset();
    m_running = false;
}

} // namespace Pm::Connector
