#include "core/corebank/corebank.h"

#include "core/corebank/ledger_p.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace Pm::CoreBank {

using Fspiop::Json;

QByteArray defaultSeed()
{
    return R"({
  "settlementAccounts": {"USD": "SETTLE-USD", "XOF": "SETTLE-XOF", "EUR": "SETTLE-EUR"},
  "customers": [
    {"customerId": "CUST-0001", "firstName": "Amina", "middleName": "K", "lastName": "Okello",
     "birthDate": "1985-04-12",
     "aliases": [{"type": "MSISDN", "value": "25612345678"}, {"type": "ACCOUNT_ID", "value": "1000000001"}],
     "accounts": [{"accountNo": "1000000001", "currency": "USD", "balance": "5000.00"}]},
    {"customerId": "CUST-0002", "firstName": "Jean", "lastName": "Mukasa", "birthDate": "1979-11-30",
     "aliases": [{"type": "MSISDN", "value": "25644444444"}, {"type": "ACCOUNT_ID", "value": "1000000002"}],
     "accounts": [{"accountNo": "1000000002", "currency": "USD", "balance": "1200.50"}]},
    {"customerId": "CUST-0003", "firstName": "Fatou", "lastName": "Diallo", "birthDate": "1992-02-03",
     "aliases": [{"type": "MSISDN", "value": "22177000001"}],
     "accounts": [{"accountNo": "2000000001", "currency": "XOF", "balance": "250000"}]},
    {"customerId": "CUST-0004", "firstName": "Closed", "lastName": "Account", "birthDate": "1970-01-01",
     "aliases": [{"type": "MSISDN", "value": "25699999999"}],
     "accounts": [{"accountNo": "1000000009", "currency": "USD", "balance": "10.00", "status": "CLOSED"}]}
  ]
})";
}

CoreBank::CoreBank(QObject *parent)
    : QObject(parent)
{ }

CoreBank::~CoreBank()
{
    stop();
}

Result<quint16> CoreBank::start(const CoreBankOptions &options)
{
    if (m_server)
        return fail(0, u"corebank: already running"_s);
    if (options.dataDir.isEmpty() || !QDir().mkpath(options.dataDir))
        return fail(0, u"corebank: data directory '%1' cannot be created"_s.arg(options.dataDir));
    auto ledger = Ledger::open(QDir(options.dataDir).filePath(u"corebank.sqlite"_s),
        options.seedJson.isEmpty() ? defaultSeed() : options.seedJson);
    if (!ledger)
        return std::unexpected(ledger.error());
    m_ledger = std::move(*ledger);
    m_server = Net::createHttpServer();
    m_server->setHandler([this](Net::HttpRequest request, Net::HttpResponder responder) {
        handle(std::move(request), std::move(responder));
    });
    Net::HttpServerOptions serverOptions;
    serverOptions.port = options.port;
    auto port = m_server->listen(serverOptions);
    if (!port) {
        m_server.reset();
        m_ledger.reset();
        return fail(0, u"corebank: cannot listen on 127.0.0.1:%1"_s.arg(options.port),
            port.error().message);
    }
    return *port;
}

void CoreBank::stop()
{
    if (m_server)
        m_server->close();
    m_server.reset();
    m_ledger.reset();
}

quint16 CoreBank::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QString CoreBank::baseUrl() const
{
    return u"http://127.0.0.1:%1"_s.arg(port());
}

Result<QString> CoreBank::ledgerBalance(const QString &accountNo) const
{
    if (!m_ledger)
        return fail(0, u"corebank: not running"_s);
    QString currency;
    auto minor = m_ledger->ledgerMinor(accountNo, &currency);
    if (!minor)
        return std::unexpected(minor.error());
    return formatMinor(*minor, currency);
}

Result<QString> CoreBank::availableBalance(const QString &accountNo) const
{
    if (!m_ledger)
        return fail(0, u"corebank: not running"_s);
    QString currency;
    auto minor = m_ledger->ledgerMinor(accountNo, &currency);
    if (!minor)
        return std::unexpected(minor.error());
    auto held = m_ledger->heldMinor(accountNo);
    if (!held)
        return std::unexpected(held.error());
    return formatMinor(*minor - *held, currency);
}

Result<void> CoreBank::addCustomers(const QByteArray &seedJson)
{
    if (!m_ledger)
        return fail(0, u"corebank: not running"_s);
    return m_ledger->seed(seedJson);
}

Result<int> CoreBank::postingCount() const
{
    if (!m_ledger)
        return fail(0, u"corebank: not running"_s);
    return m_ledger->postingCount();
}

void CoreBank::handle(Net::HttpRequest request, Net::HttpResponder responder)
{
    ApiAnswer answer;
    const QStringList seg = request.path.split(u'/', Qt::SkipEmptyParts);
    const QByteArray &method = request.method;
    Json body = Json::object();
    if (!request.body.isEmpty()) {
        auto parsed = Fspiop::parseJson(request.body);
        if (!parsed || !parsed->is_object()) {
            answer = bankError(400, "MALFORMED_REQUEST", u"request body is not a JSON object"_s);
            responder.respond(answer.status, { { "Content-Type", "application/json" } },
                Fspiop::serializeJson(answer.body));
            return;
        }
        body = std::move(*parsed);
    }
    const QString key = QString::fromUtf8(request.headers.value("Idempotency-Key"));
    const int n = int(seg.size());
    const bool api = n >= 3 && seg[0] == u"api"_s && seg[1] == u"v1"_s;
    if (!api) {
        answer = bankError(404, "ROUTE_NOT_FOUND", u"no route %1"_s.arg(request.path));
    } else if (method == "GET" && n == 6 && seg[2] == u"customers"_s && seg[3] == u"by-alias"_s) {
        answer = m_ledger->customerByAlias(seg[4], seg[5]);
    } else if (method == "GET" && n == 4 && seg[2] == u"customers"_s) {
        answer = m_ledger->customer(seg[3]);
    } else if (method == "GET" && n == 4 && seg[2] == u"accounts"_s) {
        answer = m_ledger->account(seg[3]);
    } else if (method == "POST" && n == 5 && seg[2] == u"accounts"_s && seg[4] == u"close"_s) {
        answer = m_ledger->closeAccount(seg[3]);
    } else if (method == "POST" && n == 5 && seg[2] == u"accounts"_s && seg[4] == u"holds"_s) {
        answer = m_ledger->createHold(seg[3], body, key);
    } else if (method == "GET" && n == 4 && seg[2] == u"holds"_s) {
        answer = m_ledger->hold(seg[3]);
    } else if (method == "POST" && n == 5 && seg[2] == u"holds"_s && seg[4] == u"commit"_s) {
        answer = m_ledger->commitHold(seg[3], body);
    } else if (method == "POST" && n == 5 && seg[2] == u"holds"_s && seg[4] == u"release"_s) {
        answer = m_ledger->releaseHold(seg[3]);
    } else if (method == "POST" && n == 3 && seg[2] == u"postings"_s) {
        answer = m_ledger->createPosting(body, key);
    } else if (method == "GET" && n == 4 && seg[2] == u"postings"_s) {
        answer = m_ledger->posting(seg[3]);
    } else {
        answer = bankError(404, "ROUTE_NOT_FOUND",
            u"no route %1 %2"_s.arg(QString::fromLatin1(method), request.path));
    }
    responder.respond(answer.status, { { "Content-Type", "application/json" } },
        Fspiop::serializeJson(answer.body));
}

} // namespace Pm::CoreBank
