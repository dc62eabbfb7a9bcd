#include "tests/support/testbackend.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace Pm::Test {

namespace {

QString str(const Fspiop::Json &j, const char *key)
{
    if (!j.is_object() || !j.contains(key) || !j[key].is_string())
        return {};
    return QString::fromStdString(j[key].get<std::string>());
}

} // namespace

TestBackend::TestBackend(QObject *parent)
    : QObject(parent)
{
}

TestBackend::~TestBackend() = default;

Pm::Result<quint16> TestBackend::start()
{
    m_server = Net::createHttpServer();
    m_server->setHandler([this](Net::HttpRequest request, Net::HttpResponder responder) {
        handle(std::move(request), std::move(responder));
    });
    return m_server->listen({});
}

quint16 TestBackend::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QString TestBackend::endpoint() const
{
    return u"127.0.0.1:%1"_s.arg(port());
}

void TestBackend::addParty(const Fspiop::Json &party)
{
    QString key = str(party, "idType") + u'/' + str(party, "idValue");
    if (!str(party, "idSubValue").isEmpty())
        key += u'/' + str(party, "idSubValue");
    m_parties.insert(key, party);
}

void TestBackend::setAnswer(const QByteArray &method, const QString &pathPrefix, Answer answer)
{
    m_answers.prepend({QString::fromLatin1(method) + u' ' + pathPrefix, std::move(answer)});
}

void TestBackend::clearAnswers()
{
    m_answers.clear();
}

int TestBackend::count(const QByteArray &method, const QString &pathPrefix) const
{
    int n = 0;
    for (const Call &c : m_calls)
        n += c.method == method && c.path.startsWith(pathPrefix) ? 1 : 0;
    return n;
}

TestBackend::Call TestBackend::last(const QByteArray &method, const QString &pathPrefix) const
{
    for (auto it = m_calls.crbegin(); it != m_calls.crend(); ++it) {
        if (it->method == method && it->path.startsWith(pathPrefix))
            return *it;
    }
    return {};
}

void TestBackend::handle(Net::HttpRequest request, Net::HttpResponder responder)
{
    Call call;
    call.method = request.method;
    call.path = request.path;
    call.body = request.body;
    if (!request.body.isEmpty()) {
        if (auto parsed = Fspiop::parseJson(request.body); parsed && parsed->is_object())
            call.json = *parsed;
        else
            qWarning("TestBackend: %s %s: body is not a JSON object: %s", request.method.constData(),
                     qUtf8Printable(request.path), request.body.left(200).constData());
    }
    m_calls.append(call);
    emit called();

    const QString key = QString::fromLatin1(request.method) + u' ' + request.path;
    Answer answer;
    bool found = false;
    for (const auto &[prefix, a] : m_answers) {
        if (key.startsWith(prefix)) {
            answer = a;
            found = true;
            break;
        }
    }
    if (!found) {
        if (request.method == "GET" && request.path.startsWith(u"/parties/"_s)) {
            const QString id = request.path.mid(9);
            if (m_parties.contains(id)) {
                answer.body = Fspiop::serializeJson(m_parties.value(id));
            } else {
                answer.status = 404;
                answer.body = R"({"statusCode":"3204","message":"Party not found"})"_ba;
            }
        } else if (request.method == "POST" && request.path == u"/quoterequests"_s && call.json.is_object()) {
            const QString currency = str(call.json, "currency");
            Fspiop::Json q = Fspiop::Json::object();
            q["quoteId"] = call.json.value("quoteId", Fspiop::Json());
            q["transactionId"] = call.json.value("transactionId", Fspiop::Json());
            q["transferAmount"] = call.json.value("amount", Fspiop::Json());
            q["transferAmountCurrency"] = currency.toStdString();
            q["payeeReceiveAmount"] = call.json.value("amount", Fspiop::Json());
            q["payeeReceiveAmountCurrency"] = currency.toStdString();
            q["payeeFspFeeAmount"] = "0";
            q["payeeFspFeeAmountCurrency"] = currency.toStdString();
            q["payeeFspCommissionAmount"] = "0";
            q["payeeFspCommissionAmountCurrency"] = currency.toStdString();
            answer.body = Fspiop::serializeJson(q);
        } else if (request.method == "POST" && request.path == u"/transfers"_s) {
            answer.body = u"{\"homeTransactionId\":\"home-%1\"}"_s.arg(++m_transfers).toUtf8();
        } else if (request.method == "PUT" && request.path.startsWith(u"/transfers/"_s)) {
            answer.status = 200;
        } else {
            answer.status = 404;
            answer.body = R"({"statusCode":"3002","message":"Unknown URI"})"_ba;
        }
    }

    auto reply = [answer, r = std::make_shared<Net::HttpResponder>(std::move(responder))]() mutable {
        Net::HttpHeaders headers;
        if (!answer.body.isEmpty())
            headers.add("Content-Type", "application/json");
        r->respond(answer.status, headers, answer.body);
    };
    if (answer.delayMs > 0)
        QTimer::singleShot(answer.delayMs, this, std::move(reply));
    else
        reply();
}

} // namespace Pm::Test
