#pragma once

#include "core/net/httpclient.h"

#include <QPointer>

#include <vector>

namespace Pm::Test {

/**
 * A scripted HttpClient for testing client logic without sockets (practice 3/17): it records what
 * is sent and the test answers each request with reply().
 */
class FakeHttpClient final : public Net::HttpClient
{
public:
    struct Sent
    {
        RequestId id = 0;
        Net::HttpClientRequest request;
        QPointer<const QObject> context;
        bool hasContext = false;
        Callback callback;
    };

    RequestId send(Net::HttpClientRequest request, const QObject *context, Callback callback) override;
    void cancel(RequestId id) override;
    void setTlsConfiguration(const QSslConfiguration &configuration) override;
    void closeIdleConnections() override {}
    int connectionCount() const override { return 0; }

    /** Requests sent and not yet answered or cancelled, oldest first. */
    const std::vector<Sent> &pending() const { return m_pending; }
    /** Answers request `id` now (synchronously); false if it is not pending. */
    bool reply(RequestId id, Net::HttpClientResult result);
    /** Answers the oldest pending request; false if there is none. */
    bool replyNext(Net::HttpClientResult result);
    /** Convenience: a response value. */
    static Net::HttpClientResult response(int status, QByteArray body = {},
                                          Net::HttpHeaders headers = {});
    /** Convenience: a failure value of `kind` with `message`. */
    static Net::HttpClientResult failure(Net::HttpClientErrorKind kind, const QString &message);

    /** The TLS configuration last set, and how many times it was set. */
    const QSslConfiguration &tlsConfiguration() const { return m_tls; }
    int tlsChanges() const { return m_tlsChanges; }

private:
    std::vector<Sent> m_pending;
    RequestId m_nextId = 0;
    QSslConfiguration m_tls;
    int m_tlsChanges = 0;
};

} // namespace Pm::Test
