#include "core/services/sandbox.h"

#include "core/connector/connector.h"
#include "core/corebank/corebank.h"
#include "core/coreconnector/coreconnector.h"
#include "core/coreconnector/template.h"
#include "core/fspiop/json.h"
#include "core/fspiop/jws.h"
#include "core/hub/hub.h"
#include "core/net/httpclient.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTcpServer>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

// The template lives in this static library's resources: register them before the first look-up.
static void initServicesResources()
{
    Q_INIT_RESOURCE(services);
}

using namespace Qt::StringLiterals;

namespace Pm::Services {

using Fspiop::Json;

namespace {

struct BioFree
{
    void operator()(BIO *b) const { BIO_free(b); }
};
struct PkeyFree
{
    void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
};

/** A new RSA 2048 private key as PKCS#8 PEM. */
Result<QByteArray> generateRsaKeyPem()
{
    std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_RSA_gen(2048));
    if (!key)
        return fail(0, u"sandbox: RSA key generation failed"_s);
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    if (!bio
        || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
            != 1)
        return fail(0, u"sandbox: cannot write the RSA key as PEM"_s);
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    QByteArray pem(data, qsizetype(n));
    return pem;
}

Result<void> writeFile(const QString &path, const QByteArray &bytes, bool secret = false)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(0, u"sandbox: cannot write %1: %2"_s.arg(path, f.errorString()));
    if (secret)
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (f.write(bytes) != bytes.size())
        return fail(0, u"sandbox: cannot write %1: %2"_s.arg(path, f.errorString()));
    return {};
}

/** A port free right now on 127.0.0.1 (for a listener whose port another service must know first).
 */
quint16 pickFreePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QString randomHex(int bytes)
{
    QByteArray b(bytes, '\0');
    RAND_bytes(reinterpret_cast<unsigned char *>(b.data()), bytes);
    return QString::fromLatin1(b.toHex());
}

QString str(const Json &j, const char *key)
{
    if (!j.is_object())
        return {};
    auto it = j.find(key);
    if (it == j.end())
        return {};
    if (it->is_string())
        return QString::fromStdString(it->get<std::string>());
    if (it->is_number_integer())
        return QString::number(it->get<long long>());
    return {};
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

QString formatUsd(qint64 minor)
{
    const bool negative = minor < 0;
    const qint64 m = negative ? -minor : minor;
    QString text = QString::number(m / 100);
    const qint64 cents = m % 100;
    if (cents != 0) {
        QString frac = u"%1"_s.arg(cents, 2, 10, QChar(u'0'));
        if (frac.endsWith(u'0'))
            frac.chop(1);
        text += u'.' + frac;
    }
    return negative ? u"-"_s + text : text;
}

// ---- layout ----------------------------------------------------------------------------------

const SandboxCustomer *SandboxDfsp::firstOf(SandboxCustomer::Kind kind) const
{
    for (const SandboxCustomer &c : customers) {
        if (c.kind == kind)
            return &c;
    }
    return nullptr;
}

QList<const SandboxCustomer *> SandboxDfsp::regulars() const
{
    QList<const SandboxCustomer *> out;
    for (const SandboxCustomer &c : customers) {
        if (c.kind == SandboxCustomer::Kind::Regular)
            out << &c;
    }
    return out;
}

QList<SandboxDfsp> sandboxDfsps()
{
    struct Def
    {
        const char16_t *fspId;
        const char16_t *prefix; // MSISDN range
        QStringList given;
        QStringList family;
    };
    const QList<Def> defs {
        { u"pmdfsp", u"2561100", { u"Amina"_s, u"Joseph"_s, u"Grace"_s, u"Peter"_s },
            { u"Okello"_s, u"Mukasa"_s, u"Nakato"_s, u"Ouma"_s } },
        { u"bluebank", u"2562200", { u"Fatou"_s, u"Moussa"_s, u"Awa"_s, u"Ibrahima"_s },
            { u"Diallo"_s, u"Ndiaye"_s, u"Sow"_s, u"Fall"_s } },
        { u"greenbank", u"2563300", { u"Chidi"_s, u"Ngozi"_s, u"Emeka"_s, u"Ada"_s },
            { u"Okafor"_s, u"Eze"_s, u"Nwosu"_s, u"Obi"_s } },
    };
    QList<SandboxDfsp> out;
    for (qsizetype i = 0; i < defs.size(); ++i) {
        const Def &d = defs[i];
        SandboxDfsp dfsp;
        dfsp.fspId = QString::fromUtf16(d.fspId);
        dfsp.ours = i == 0;
        const QString prefix = QString::fromUtf16(d.prefix);
        auto add = [&](SandboxCustomer::Kind kind, int n, const QString &given,
                       const QString &family, qint64 balance) {
            SandboxCustomer c;
            c.kind = kind;
            c.msisdn = prefix + u"%1"_s.arg(n, 3, 10, QChar(u'0'));
            c.accountNo = u"%1%2"_s.arg(i + 1).arg(n, 9, 10, QChar(u'0'));
            c.firstName = given;
            c.lastName = family;
            c.balanceMinor = balance;
            dfsp.customers << c;
        };
        for (int k = 0; k < 4; ++k)
            add(SandboxCustomer::Kind::Regular, k + 1, d.given[k], d.family[k],
                10'000'000); // 100,000 USD
        add(SandboxCustomer::Kind::Poor, 90, u"Petty"_s, u"Cash"_s, 100); // 1 USD
        add(SandboxCustomer::Kind::Whale, 91, u"Grand"_s, u"Treasury"_s,
            10'000'000'000); // 100,000,000 USD
        add(SandboxCustomer::Kind::Closed, 92, u"Closed"_s, u"Account"_s, 1'000); // 10 USD, closed
        dfsp.unknownMsisdn = prefix + u"999"_s;
        out << dfsp;
    }
    return out;
}

QByteArray sandboxSeed(const SandboxDfsp &dfsp)
{
    Json customers = Json::array();
    int n = 0;
    for (const SandboxCustomer &c : dfsp.customers) {
        Json account { { "accountNo", c.accountNo.toStdString() }, { "currency", "USD" },
            { "balance", formatUsd(c.balanceMinor).toStdString() } };
        if (c.kind == SandboxCustomer::Kind::Closed)
            account["status"] = "CLOSED";
        customers.push_back(
            Json { { "customerId", u"%1-%2"_s.arg(dfsp.fspId).arg(++n).toStdString() },
                { "firstName", c.firstName.toStdString() },
                { "lastName", c.lastName.toStdString() }, { "birthDate", "1980-01-01" },
                { "aliases",
                    Json::array(
                        { Json { { "type", "MSISDN" }, { "value", c.msisdn.toStdString() } } }) },
                { "accounts", Json::array({ account }) } });
    }
    Json seed { { "settlementAccounts",
                    Json { { "USD", dfsp.settlementAccountNo.toStdString() } } },
        { "customers", customers } };
    return Fspiop::serializeJson(seed);
}

// ---- one DFSP ----------------------------------------------------------------------------------

/**
 * The services of one DFSP: core bank and core connector on a thread of their own (the template's
 * Jsonnet and the ledger's SQLite are the heavy part of a transfer), and the connector (which runs
 * its own thread). Created and driven from the Sandbox's thread.
 */
class SandboxDfspRuntime : public QObject
{
public:
    SandboxDfspRuntime(const SandboxDfsp &dfsp, QObject *parent)
        : QObject(parent)
        , dfsp(dfsp)
    {
        bankThread = new QThread;
        bankThread->setObjectName(u"pm-sandbox-"_s + dfsp.fspId);
        bankContext = new QObject;
        bankContext->moveToThread(bankThread);
        QObject::connect(bankThread, &QThread::finished, bankContext, &QObject::deleteLater);
        bankThread->start();
    }
    ~SandboxDfspRuntime() override
    {
        stop();
        bankThread->quit();
        bankThread->wait();
        delete bankThread;
    }

    /** Runs `f` on the bank thread and waits for it. */
    template<class F> void onBankThread(F f)
    {
        QMetaObject::invokeMethod(bankContext, std::move(f), Qt::BlockingQueuedConnection);
    }

    void stopBankSide()
    {
        onBankThread([this] {
            if (coreConnector)
                coreConnector->stop();
            coreConnector.reset();
            if (coreBank)
                coreBank->stop();
            coreBank.reset();
        });
    }

    void stop()
    {
        if (connector)
            connector->stop(2000);
        connector.reset();
        stopBankSide();
    }

    Result<void> startConnector()
    {
        connector = std::make_unique<Connector::Connector>(config, connectorDir);
        auto ports = connector->start();
        if (!ports) {
            connector.reset();
            return std::unexpected(ports.error());
        }
        connectorPorts = *ports;
        return {};
    }

    SandboxDfsp dfsp;
    QString dir;
    QString connectorDir;
    QByteArray publicKeyPem;
    QThread *bankThread = nullptr;
    QObject *bankContext = nullptr; ///< lives on bankThread
    std::unique_ptr<CoreBank::CoreBank> coreBank; ///< lives on bankThread
    std::unique_ptr<CoreConnector::CoreConnector> coreConnector; ///< lives on bankThread
    std::unique_ptr<Connector::Connector> connector;
    Connector::ConnectorConfig config;
    Connector::ConnectorPorts connectorPorts;
    quint16 coreBankPort = 0;
    quint16 backendPort = 0;
    quint16 sendMoneyPort = 0;
};

// ---- Sandbox ---------------------------------------------------------------------------------

struct Sandbox::Pending
{
    TransferOutcome outcome;
    qint64 amountMinor = 0;
};

Sandbox::Sandbox(QObject *parent)
    : QObject(parent)
{ }

Sandbox::~Sandbox()
{
    stop();
}

SandboxDfspRuntime *Sandbox::runtime(const QString &fspId) const
{
    for (SandboxDfspRuntime *r : m_runtimes) {
        if (r->dfsp.fspId == fspId)
            return r;
    }
    return nullptr;
}

Result<void> Sandbox::start(const SandboxOptions &options)
{
    if (m_hub)
        return fail(0, u"sandbox: already running"_s);
    m_options = options;
    if (m_options.dataDir.isEmpty())
        m_options.dataDir
            = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/sandbox"_s;
    m_options.dataDir = QDir::cleanPath(QDir(m_options.dataDir).absolutePath());
    if (m_options.maxInFlight < 1)
        return fail(0, u"sandbox: maxInFlight must be at least 1"_s);
    if (m_options.rate < 0)
        return fail(0, u"sandbox: rate must not be negative"_s);
    const TrafficMix &mx = m_options.mix;
    for (int w : { mx.success, mx.unknownParty, mx.insufficientFunds, mx.payerLimit, mx.expired,
             mx.payeeRejection }) {
        if (w < 0)
            return fail(0, u"sandbox: traffic mix weights must not be negative"_s);
    }
    if (mx.success + mx.unknownParty + mx.insufficientFunds + mx.payerLimit + mx.expired
            + mx.payeeRejection
        == 0)
        return fail(0, u"sandbox: the traffic mix has no scenario with a weight above 0"_s);

    // The Sandbox always starts fresh: the hub keeps positions in memory only (decision 0026).
    QDir root(m_options.dataDir);
    if (root.exists() && !root.removeRecursively())
        return fail(0, u"sandbox: cannot empty the data directory %1"_s.arg(m_options.dataDir));
    m_keysDir = root.filePath(u"jwskeys"_s);
    if (!QDir().mkpath(m_keysDir) || !QDir().mkpath(root.filePath(u"keys"_s)))
        return fail(0, u"sandbox: cannot create %1"_s.arg(m_keysDir));

    m_dfsps = sandboxDfsps();
    m_rng.seed(m_options.seed);
    m_counters = {};
    m_sequence = 0;
    m_inFlight = 0;
    m_trafficDone = false;
    m_finishTimesMs.clear();

    auto hub = startHub();
    if (!hub) {
        stop();
        return hub;
    }
    for (const SandboxDfsp &d : m_dfsps) {
        // A JWS key per DFSP: private in keys/, public for everyone in jwskeys/.
        auto key = generateRsaKeyPem();
        if (!key)
            return std::unexpected(key.error());
        auto signer = Fspiop::Jws::SigningKey::fromPem(*key);
        if (!signer)
            return fail(0, u"sandbox: %1 key: %2"_s.arg(d.fspId, signer.error().message));
        if (auto w = writeFile(root.filePath(u"keys/%1.key"_s.arg(d.fspId)), *key, true); !w)
            return w;
        if (auto w
            = writeFile(QDir(m_keysDir).filePath(d.fspId + u".pem"_s), signer->publicKeyPem());
            !w)
            return w;
    }
    for (int i = 0; i < m_dfsps.size(); ++i) {
        auto r = startDfsp(i);
        if (!r) {
            stop();
            return r;
        }
    }
    Net::HttpClientOptions clientOptions;
    clientOptions.maxConnectionsPerHost = 64;
    clientOptions.defaultTimeout = std::chrono::milliseconds(900'000);
    m_client = Net::createHttpClient(clientOptions);
    m_timer = new QTimer(this);
    m_timer->setInterval(20);
    connect(m_timer, &QTimer::timeout, this, &Sandbox::tick);
    m_rate = m_options.rate;
    if (m_rate > 0)
        startTraffic();
    emit message(u"sandbox: running in %1"_s.arg(m_options.dataDir));
    return {};
}

Result<void> Sandbox::startHub()
{
    auto key = generateRsaKeyPem();
    if (!key)
        return std::unexpected(key.error());
    const QString keyPath = QDir(m_options.dataDir).filePath(u"keys/switch.key"_s);
    if (auto w = writeFile(keyPath, *key, true); !w)
        return w;
    Hub::HubConfig cfg;
    cfg.hubId = u"switch"_s;
    cfg.port = configuredPort(u"hub"_s);
    cfg.signingKeyPem = *key;
    cfg.requireJws = true;
    cfg.requireJwsOnPutParties = false;
    cfg.forwardTimeoutMs = 90000;
    m_hub = std::make_unique<Hub::Hub>(cfg);
    auto port = m_hub->start();
    if (!port) {
        m_hub.reset();
        return fail(0, u"sandbox: hub: %1"_s.arg(port.error().message));
    }
    auto signer = Fspiop::Jws::SigningKey::fromPem(*key);
    if (!signer)
        return fail(0, u"sandbox: hub key: %1"_s.arg(signer.error().message));
    return writeFile(QDir(m_keysDir).filePath(cfg.hubId + u".pem"_s), signer->publicKeyPem());
}

Result<void> Sandbox::startDfsp(int index)
{
    const SandboxDfsp &dfsp = m_dfsps[index];
    auto *rt = new SandboxDfspRuntime(dfsp, this);
    m_runtimes << rt;
    const QString id = dfsp.fspId;
    QDir root(m_options.dataDir);
    rt->dir = root.filePath(id);
    rt->connectorDir = root.filePath(id + u"/connector"_s);

    // JWS keys were made by start() (every connector must know every peer's key from its start).
    const QString keyPath = root.filePath(u"keys/%1.key"_s.arg(id));
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly))
        return fail(0, u"sandbox: cannot read %1"_s.arg(keyPath));
    auto signer = Fspiop::Jws::SigningKey::fromPem(keyFile.readAll());
    if (!signer)
        return fail(0, u"sandbox: %1 key: %2"_s.arg(id, signer.error().message));
    rt->publicKeyPem = signer->publicKeyPem();

    // Core bank.
    CoreBank::CoreBankOptions bankOptions;
    bankOptions.dataDir = root.filePath(id + u"/corebank"_s);
    bankOptions.port = configuredPort(id + u".corebank"_s);
    bankOptions.seedJson = sandboxSeed(dfsp);
    Result<quint16> bankPort = fail(0, QString());
    rt->onBankThread([&] {
        rt->coreBank = std::make_unique<CoreBank::CoreBank>();
        bankPort = rt->coreBank->start(bankOptions);
    });
    if (!bankPort)
        return fail(0, u"sandbox: %1 core bank: %2"_s.arg(id, bankPort.error().message));
    rt->coreBankPort = *bankPort;

    // Core connector on the corebank template. It calls the connector's outbound API, whose port
    // must be known first: configured, or picked free now (retried if taken meanwhile).
    initServicesResources();
    QFile templateFile(u":/pm/services/corebank.yaml"_s);
    if (!templateFile.open(QIODevice::ReadOnly))
        return fail(0, u"sandbox: the built-in corebank template is missing"_s);
    auto tmpl = CoreConnector::parseTemplate(templateFile.readAll(), u"corebank.yaml"_s);
    if (!tmpl)
        return fail(0, u"sandbox: %1"_s.arg(tmpl.error().message));
    // sendmoney waits for the whole transfer through the outbound API. It must not give up (and
    // release the payer's hold) while the connector may still complete the transfer: longer than
    // the connector's own lookup + quote + transfer timeouts together.
    tmpl->core.timeoutMs = std::max(tmpl->core.timeoutMs, 600'000);

    Result<void> started = fail(0, u"sandbox: %1: no free port"_s.arg(id));
    for (int attempt = 0; attempt < 5; ++attempt) {
        quint16 outboundPort = configuredPort(id + u".outbound"_s);
        if (outboundPort == 0)
            outboundPort = pickFreePort();
        CoreConnector::CoreConnectorOptions cc;
        cc.tmpl = *tmpl;
        cc.config
            = Json { { "baseUrl", u"http://127.0.0.1:%1"_s.arg(rt->coreBankPort).toStdString() } };
        cc.backendPort = configuredPort(id + u".backend"_s);
        cc.sendMoneyPort = configuredPort(id + u".sendmoney"_s);
        cc.outboundUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(outboundPort));
        Result<void> ccStarted;
        rt->onBankThread([&] {
            rt->coreConnector = std::make_unique<CoreConnector::CoreConnector>();
            ccStarted = rt->coreConnector->start(cc);
            rt->backendPort = rt->coreConnector->backendPort();
            rt->sendMoneyPort = rt->coreConnector->sendMoneyPort();
        });
        if (!ccStarted)
            return fail(0, u"sandbox: %1 core connector: %2"_s.arg(id, ccStarted.error().message));

        Connector::ConnectorConfig &c = rt->config;
        c = Connector::ConnectorConfig {};
        c.dfspId = id;
        c.inboundPort = configuredPort(id + u".inbound"_s);
        c.outboundPort = outboundPort;
        c.metricsPort = configuredPort(id + u".metrics"_s);
        const QUrl hubUrl(u"http://127.0.0.1:%1"_s.arg(m_hub->port()));
        c.hubUrls.peer = c.hubUrls.als = c.hubUrls.quotes = c.hubUrls.transfers
            = c.hubUrls.transactionRequests = hubUrl;
        c.backendUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(rt->backendPort));
        c.jwsSign = true;
        c.jwsSignPutParties = true;
        c.validateInboundJws = true;
        c.validateInboundPutPartiesJws = true;
        c.jwsSigningKeyPath = keyPath;
        c.jwsVerificationKeysDirectory = m_keysDir;
        c.checkIlp = true;
        c.ilpSecret = randomHex(32);
        c.supportedCurrencies = { u"USD"_s };
        c.expirySeconds = m_options.expirySeconds;
        // Generous: two shared cores run three DFSPs' template evaluation and every signature.
        c.requestProcessingTimeoutSeconds = 120;
        c.http.timeoutMs = 90000;
        c.dataDir = rt->connectorDir;
        started = rt->startConnector();
        if (started)
            break;
        rt->onBankThread([rt] {
            rt->coreConnector->stop();
            rt->coreConnector.reset();
        });
        if (configuredPort(id + u".outbound"_s) != 0)
            break; // a configured port that is taken: no point in retrying
    }
    if (!started)
        return fail(0, u"sandbox: %1 connector: %2"_s.arg(id, started.error().message));

    // Registration at the hub: participant (endpoint, key, cap) and the oracle rows.
    Hub::ParticipantConfig p;
    p.fspId = id;
    p.endpoint = QUrl(u"http://127.0.0.1:%1"_s.arg(rt->connectorPorts.inbound));
    p.currencies = { u"USD"_s };
    p.jwsPublicKeyPem = rt->publicKeyPem;
    p.netDebitCap.insert(u"USD"_s, formatUsd(SandboxNetDebitCapMinor));
    if (auto r = m_hub->addParticipant(p); !r)
        return fail(0, u"sandbox: hub: %1: %2"_s.arg(id, r.error().message));
    for (const SandboxCustomer &c : dfsp.customers) {
        if (auto r = m_hub->addParty(Hub::PartyEntry { u"MSISDN"_s, c.msisdn, {}, id }); !r)
            return fail(0, u"sandbox: hub oracle: %1: %2"_s.arg(c.msisdn, r.error().message));
    }
    return {};
}

void Sandbox::stop()
{
    if (m_timer) {
        m_timer->stop();
        delete m_timer;
        m_timer = nullptr;
    }
    m_client.reset(); // pending generated requests are dropped without callbacks
    // Connectors first (they call the core connectors and the hub), then the rest.
    for (SandboxDfspRuntime *r : m_runtimes) {
        if (r->connector)
            r->connector->stop(2000);
    }
    qDeleteAll(m_runtimes);
    m_runtimes.clear();
    if (m_hub)
        m_hub->stop();
    m_hub.reset();
    m_inFlight = 0;
}

QList<Listener> Sandbox::listeners() const
{
    QList<Listener> out;
    if (m_hub)
        out << Listener { u"hub"_s, u"127.0.0.1"_s, m_hub->port() };
    for (const SandboxDfspRuntime *r : m_runtimes) {
        const QString id = r->dfsp.fspId;
        out << Listener { id + u".inbound"_s, u"127.0.0.1"_s, r->connectorPorts.inbound }
            << Listener { id + u".outbound"_s, u"127.0.0.1"_s, r->connectorPorts.outbound }
            << Listener { id + u".metrics"_s, u"127.0.0.1"_s, r->connectorPorts.metrics };
        out << Listener { id + u".backend"_s, u"127.0.0.1"_s, r->backendPort }
            << Listener { id + u".sendmoney"_s, u"127.0.0.1"_s, r->sendMoneyPort };
        out << Listener { id + u".corebank"_s, u"127.0.0.1"_s, r->coreBankPort };
    }
    return out;
}

QStringList Sandbox::storePaths() const
{
    QStringList out;
    for (const SandboxDfspRuntime *r : m_runtimes)
        out << QDir(r->connectorDir).filePath(u"connector.sqlite"_s);
    return out;
}

QString Sandbox::coreBankUrl(const QString &fspId) const
{
    const SandboxDfspRuntime *r = runtime(fspId);
    return r ? u"http://127.0.0.1:%1"_s.arg(r->coreBankPort) : QString();
}

QList<HubPosition> Sandbox::hubPositions() const
{
    QList<HubPosition> out;
    if (!m_hub)
        return out;
    for (const Hub::ParticipantSnapshot &p : m_hub->participants()) {
        HubPosition h;
        h.fspId = p.fspId;
        for (const Hub::PositionSnapshot &pos : p.positions) {
            if (pos.currency == u"USD"_s) {
                h.position = pos.position;
                h.reserved = pos.reserved;
            }
        }
        h.committed = p.transfersCommitted;
        h.aborted = p.transfersAborted;
        out << h;
    }
    return out;
}

Result<void> Sandbox::crashAndRestartConnector(const QString &fspId, int downMs)
{
    SandboxDfspRuntime *r = runtime(fspId);
    if (!r)
        return fail(0, u"sandbox: no DFSP '%1'"_s.arg(fspId));
    if (r->dfsp.ours)
        return fail(0,
            u"sandbox: '%1' is our own DFSP; only a peer's connector can be crashed"_s.arg(fspId));
    if (!r->connector)
        return fail(0, u"sandbox: the connector of '%1' is not running"_s.arg(fspId));
    // Same ports on restart: the hub and the core connector know them.
    r->config.inboundPort = r->connectorPorts.inbound;
    r->config.outboundPort = r->connectorPorts.outbound;
    r->config.metricsPort = r->connectorPorts.metrics;
    r->connector->stop(0);
    r->connector.reset();
    emit message(u"sandbox: %1 connector stopped without grace"_s.arg(fspId));
    QTimer::singleShot(std::max(0, downMs), this, [this, fspId] {
        SandboxDfspRuntime *rt = runtime(fspId);
        if (!rt)
            return;
        Result<void> s = fail(0, QString());
        // The old listening sockets may take a moment to be released: a few tries.
        for (int attempt = 0; attempt < 20; ++attempt) {
            s = rt->startConnector();
            if (s)
                break;
            QThread::msleep(100);
        }
        if (!s) {
            emit failed(
                u"sandbox: %1 connector did not restart: %2"_s.arg(fspId, s.error().message));
            return;
        }
        emit message(u"sandbox: %1 connector restarted"_s.arg(fspId));
    });
    return {};
}

// ---- traffic -----------------------------------------------------------------------------------

void Sandbox::setRate(double perSecond)
{
    m_rate = std::max(0.0, perSecond);
    if (m_rate > 0)
        startTraffic();
}

void Sandbox::startTraffic()
{
    if (!m_timer || m_timer->isActive())
        return;
    m_lastTickMs = nowMs();
    m_tokens = 1; // the first transfer goes at once
    m_timer->start();
}

void Sandbox::tick()
{
    const qint64 now = nowMs();
    const double elapsed = double(now - m_lastTickMs) / 1000.0;
    m_lastTickMs = now;
    m_tokens = std::min(m_tokens + elapsed * m_rate, std::max(1.0, m_rate)); // at most 1 s of burst
    const qint64 limit = m_options.transferLimit;
    while (
        m_tokens >= 1 && m_inFlight < m_options.maxInFlight && (limit == 0 || m_sequence < limit)) {
        m_tokens -= 1;
        launch();
    }
    updateRate();
    if (now - m_lastEmitMs >= 1000) {
        m_lastEmitMs = now;
        emit countersChanged(m_counters);
    }
}

void Sandbox::updateRate()
{
    const qint64 now = nowMs();
    while (!m_finishTimesMs.isEmpty() && m_finishTimesMs.first() < now - 10'000)
        m_finishTimesMs.removeFirst();
    const qint64 window = std::min<qint64>(10'000, std::max<qint64>(1, now - m_startedMs));
    m_counters.ratePerSecond = double(m_finishTimesMs.size()) * 1000.0 / double(window);
}

void Sandbox::launch()
{
    auto p = std::make_shared<Pending>();
    TransferOutcome &o = p->outcome;
    o.sequence = ++m_sequence;
    if (m_sequence == 1)
        m_startedMs = nowMs();
    const TrafficMix &mx = m_options.mix;
    const int weights[] = { mx.success, mx.unknownParty, mx.insufficientFunds, mx.payerLimit,
        mx.expired, mx.payeeRejection };
    std::discrete_distribution<int> pickScenario(std::begin(weights), std::end(weights));
    o.scenario = Scenario(pickScenario(m_rng));
    const int n = int(m_dfsps.size());
    const int payer = std::uniform_int_distribution<int>(0, n - 1)(m_rng);
    const int payee = (payer + std::uniform_int_distribution<int>(1, n - 1)(m_rng)) % n;
    const SandboxDfsp &from = m_dfsps[payer];
    const SandboxDfsp &to = m_dfsps[payee];
    o.payerFsp = from.fspId;
    o.payeeFsp = to.fspId;
    o.currency = u"USD"_s;
    const auto fromRegulars = from.regulars();
    const auto toRegulars = to.regulars();
    const SandboxCustomer *regularPayer
        = fromRegulars[std::uniform_int_distribution<qsizetype>(0, fromRegulars.size() - 1)(m_rng)];
    const SandboxCustomer *regularPayee
        = toRegulars[std::uniform_int_distribution<qsizetype>(0, toRegulars.size() - 1)(m_rng)];
    // 1.00 to 50.00 USD: 1,000 transfers cannot empty a regular account (100,000 USD).
    qint64 amount = std::uniform_int_distribution<qint64>(100, 5000)(m_rng);
    const SandboxCustomer *payerCustomer = regularPayer;
    QString payeeMsisdn = regularPayee->msisdn;
    switch (o.scenario) {
    case Scenario::Success:
    case Scenario::Expired:
        break;
    case Scenario::UnknownParty:
        payeeMsisdn = to.unknownMsisdn;
        break;
    case Scenario::InsufficientFunds:
        payerCustomer = from.firstOf(SandboxCustomer::Kind::Poor);
        amount = std::max<qint64>(amount, 500);
        break;
    case Scenario::PayerLimit:
        // Beyond the cap whatever the position is (at most 50 USD x transfers in either
        // direction); the sequence in the cents makes the amount unique, so the hub's record of
        // it can be found.
        payerCustomer = from.firstOf(SandboxCustomer::Kind::Whale);
        amount = 2 * SandboxNetDebitCapMinor + (o.sequence % 100'000);
        break;
    case Scenario::PayeeRejection:
        payeeMsisdn = to.firstOf(SandboxCustomer::Kind::Closed)->msisdn;
        break;
    }
    p->amountMinor = amount;
    o.amount = formatUsd(amount);
    ++m_inFlight;
    ++m_counters.started;
    if (o.scenario == Scenario::Expired)
        sendExpired(p, *payerCustomer, payeeMsisdn);
    else
        sendMoney(p, *payerCustomer, payeeMsisdn);
}

void Sandbox::sendMoney(
    std::shared_ptr<Pending> p, const SandboxCustomer &from, const QString &toMsisdn)
{
    SandboxDfspRuntime *rt = runtime(p->outcome.payerFsp);
    Json body { { "homeTransactionId", u"sandbox-%1"_s.arg(p->outcome.sequence).toStdString() },
        { "from", Json { { "idType", "MSISDN" }, { "idValue", from.msisdn.toStdString() } } },
        { "to", Json { { "idType", "MSISDN" }, { "idValue", toMsisdn.toStdString() } } },
        { "currency", "USD" }, { "amount", p->outcome.amount.toStdString() },
        { "note", scenarioName(p->outcome.scenario).toStdString() } };
    Net::HttpClientRequest r;
    r.method = "POST";
    r.url = QUrl(u"http://127.0.0.1:%1/sendmoney"_s.arg(rt->sendMoneyPort));
    r.headers.add("Content-Type", "application/json");
    r.body = Fspiop::serializeJson(body);
    m_client->send(std::move(r), this, [this, p](Net::HttpClientResult res) {
        if (res)
            judge(p, res->status, res->body, {});
        else
            judge(p, 0, {}, res.error().message);
    });
}

void Sandbox::sendExpired(
    std::shared_ptr<Pending> p, const SandboxCustomer &from, const QString &toMsisdn)
{
    // The corebank template's sendmoney takes no expiry, so this scenario goes to the payer's
    // outbound API directly, with a prepare expiry of 0 s: the expiration has passed when the hub
    // receives the prepare, which it refuses with 3303. No money is held for it.
    SandboxDfspRuntime *rt = runtime(p->outcome.payerFsp);
    Json body { { "homeTransactionId", u"sandbox-%1"_s.arg(p->outcome.sequence).toStdString() },
        { "from",
            Json { { "idType", "MSISDN" }, { "idValue", from.msisdn.toStdString() },
                { "displayName", QString(from.firstName + u' ' + from.lastName).toStdString() } } },
        { "to", Json { { "idType", "MSISDN" }, { "idValue", toMsisdn.toStdString() } } },
        { "amountType", "SEND" }, { "currency", "USD" },
        { "amount", p->outcome.amount.toStdString() }, { "transactionType", "TRANSFER" },
        { "note", "expired" }, { "prepareExpirySeconds", 0 } };
    Net::HttpClientRequest r;
    r.method = "POST";
    r.url = QUrl(u"http://127.0.0.1:%1/transfers"_s.arg(rt->connectorPorts.outbound));
    r.headers.add("Content-Type", "application/json");
    r.body = Fspiop::serializeJson(body);
    m_client->send(std::move(r), this, [this, p](Net::HttpClientResult res) {
        if (res)
            judge(p, res->status, res->body, {});
        else
            judge(p, 0, {}, res.error().message);
    });
}

void Sandbox::judge(
    std::shared_ptr<Pending> p, int status, const QByteArray &raw, const QString &transport)
{
    TransferOutcome &o = p->outcome;
    Json body = Json::object();
    if (auto parsed = Fspiop::parseJson(raw); parsed && parsed->is_object())
        body = std::move(*parsed);
    if (!transport.isEmpty()) {
        o.finalState = u"NONE"_s;
        o.detail = transport;
        o.expected = false;
        return finish(p);
    }
    // The transfer's id: in the answer, or for refused prepares the hub's record with this amount.
    o.transferId = str(body, "transferId");
    if (o.transferId.isEmpty() && body.contains("transferState"))
        o.transferId = str(body["transferState"], "transferId");
    std::optional<Hub::TransferSnapshot> hubTransfer;
    if (!o.transferId.isEmpty())
        hubTransfer = m_hub->transfer(o.transferId);
    if (!hubTransfer && (o.scenario == Scenario::PayerLimit || o.scenario == Scenario::Expired)) {
        const QList<Hub::TransferSnapshot> all = m_hub->transfers();
        for (auto it = all.crbegin(); it != all.crend(); ++it) {
            if (it->payerFsp == o.payerFsp && it->amountMinor == p->amountMinor
                && it->state != Hub::TransferState::Committed) {
                hubTransfer = *it;
                break;
            }
        }
    }
    if (hubTransfer) {
        o.transferId = hubTransfer->transferId;
        o.finalState = Hub::transferStateName(hubTransfer->state);
    } else {
        o.finalState = u"NONE"_s;
    }
    if (status == 200) {
        o.errorCode.clear();
    } else {
        o.errorCode = str(body, "statusCode");
        if (o.errorCode.isEmpty() && body.contains("transferState"))
            o.errorCode = str(body["transferState"]["lastError"], "httpStatusCode");
        o.detail = str(body, "message");
    }
    const QString hubCode = hubTransfer ? QString::number(hubTransfer->errorCode) : QString();
    switch (o.scenario) {
    case Scenario::Success:
        o.expected = status == 200 && str(body, "currentState") == u"COMPLETED"_s
            && o.finalState == u"COMMITTED"_s;
        break;
    case Scenario::UnknownParty:
    case Scenario::PayeeRejection:
    case Scenario::InsufficientFunds:
        // Refused before any prepare: nothing reaches the hub's ledger.
        o.expected = status >= 400 && o.finalState == u"NONE"_s;
        if (o.scenario == Scenario::InsufficientFunds)
            o.expected = o.expected && o.errorCode == u"4001"_s;
        break;
    case Scenario::PayerLimit:
        o.expected = status >= 400 && o.finalState == u"ABORTED"_s && hubCode == u"4001"_s;
        break;
    case Scenario::Expired:
        o.expected = status >= 400 && o.finalState == u"ABORTED"_s && hubCode == u"3303"_s;
        break;
    }
    if (!o.expected && o.detail.isEmpty())
        o.detail = u"HTTP %1 %2"_s.arg(status).arg(QString::fromUtf8(raw.left(300)));
    finish(p);
}

void Sandbox::finish(std::shared_ptr<Pending> p)
{
    const TransferOutcome &o = p->outcome;
    --m_inFlight;
    ++m_counters.finished;
    if (o.finalState == u"COMMITTED"_s)
        ++m_counters.ok;
    else
        ++m_counters.failed;
    if (!o.expected)
        ++m_counters.unexpected;
    m_finishTimesMs << nowMs();
    updateRate();
    emit transferFinished(o);
    const qint64 limit = m_options.transferLimit;
    if (limit > 0 && m_counters.finished >= limit && !m_trafficDone) {
        m_trafficDone = true;
        if (m_timer)
            m_timer->stop();
        emit countersChanged(m_counters);
        emit trafficFinished(m_counters.unexpected == 0);
    }
}

} // namespace Pm::Services
