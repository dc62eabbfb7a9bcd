#include "tests/support/fakehttpclient.h"

#include <algorithm>

namespace Pm::Test {

Net::HttpClient::RequestId FakeHttpClient::send(Net::HttpClientRequest request,
                                                const QObject *context, Callback callback)
{
    Sent sent;
    sent.id = ++m_nextId;
    sent.request = std::move(request);
    sent.context = context;
    sent.hasContext = context != nullptr;
    sent.callback = std::move(callback);
    m_pending.push_back(std::move(sent));
    return m_nextId;
}

void FakeHttpClient::cancel(RequestId id)
{
    std::erase_if(m_pending, [id](const Sent &s) { return s.id == id; });
}

void FakeHttpClient::setTlsConfiguration(const QSslConfiguration &configuration)
{
    m_tls = configuration;
    ++m_tlsChanges;
}

bool FakeHttpClient::reply(RequestId id, Net::HttpClientResult result)
{
    const auto it = std::find_if(m_pending.begin(), m_pending.end(),
                                 [id](const Sent &s) { return s.id == id; });
    if (it == m_pending.end())
        return false;
    Sent sent = std::move(*it);
    m_pending.erase(it);
    if ((!sent.hasContext || sent.context) && sent.callback)
        sent.callback(std::move(result));
    return true;
}

bool FakeHttpClient::replyNext(Net::HttpClientResult result)
{
    if (m_pending.empty())
        return false;
    return reply(m_pending.front().id, std::move(result));
}

Net::HttpClientResult FakeHttpClient::response(int status, QByteArray body, Net::HttpHeaders headers)
{
    Net::HttpClientResponse r;
    r.status = status;
    r.reason = Net::reasonPhrase(status);
    r.headers = std::move(headers);
    r.body = std::move(body);
    return r;
}

Net::HttpClientResult FakeHttpClient::failure(Net::HttpClientErrorKind kind, const QString &message)
{
    Net::HttpClientError error;
    error.code = 1001;
    error.message = message;
    error.kind = kind;
    return std::unexpected(error);
}

} // namespace Pm::Test
