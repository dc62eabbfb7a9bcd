#pragma once

// Shared helpers of the connector integration tests: keys, configs, HTTP calls, schema checks.

#include "core/connector/config.h"
#include "core/fspiop/json.h"
#include "core/fspiop/jws.h"
#include "core/fspiop/schema.h"
#include "core/net/httpclient.h"
#include "core/store/store.h"

#include <QDir>
#include <QEventLoop>
#include <QTimer>
#include <QFile>
#include <QTcpServer>
#include <QTest>

#include <optional>

namespace Pm::Test {

using namespace Qt::StringLiterals;
using Json = Fspiop::Json;

/** A free TCP port on 127.0.0.1 (bound and released: needed to point two connectors at each other). */
inline quint16 freePort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0))
        return 0;
    return s.serverPort();
}

inline bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

/** A connector config for tests: everything on 127.0.0.1, JWS on every leg, CHECK_ILP on. */
inline Connector::ConnectorConfig testConfig(const QString &dfspId, quint16 inbound, quint16 peerInbound,
                                             quint16 backend, const QString &signingKeyPath,
                                             const QString &keysDir)
{
    Connector::ConnectorConfig c;
    c.dfspId = dfspId;
    c.inboundPort = inbound;
    c.outboundPort = 0;
    c.metricsPort = 0;
    const QUrl peer(u"http://127.0.0.1:%1"_s.arg(peerInbound));
    c.hubUrls.peer = c.hubUrls.als = c.hubUrls.quotes = c.hubUrls.transfers = c.hubUrls.transactionRequests = peer;
    c.backendUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(backend));
    c.jwsSign = true;
    c.jwsSignPutParties = true;
    c.validateInboundJws = true;
    c.validateInboundPutPartiesJws = true;
    c.jwsSigningKeyPath = signingKeyPath;
    c.jwsVerificationKeysDirectory = keysDir;
    c.checkIlp = true;
    c.ilpSecret = u"test-secret-"_s + dfspId;
    c.expirySeconds = 60;
    c.requestProcessingTimeoutSeconds = 10;
    c.http.timeoutMs = 10000;
    return c;
}

/** Sends one request on `client` and waits for the answer (the test's event loop runs meanwhile). */
inline Net::HttpClientResult call(Net::HttpClient &client, QByteArray method, const QUrl &url,
                                  QByteArray body = {}, Net::HttpHeaders headers = {},
                                  int timeoutMs = 30000)
{
    std::optional<Net::HttpClientResult> out;
    Net::HttpClientRequest r;
    r.method = std::move(method);
    r.url = url;
    r.body = std::move(body);
    r.headers = std::move(headers);
    if (!r.body.isEmpty() && !r.headers.contains("Content-Type"))
        r.headers.add("Content-Type", "application/json");
    r.timeout = std::chrono::milliseconds(timeoutMs);
    // A local event loop (as QSignalSpy::wait) rather than QTest::qWaitFor, which sleeps 10 ms
    // between polls and would stall the test backends that live on this thread.
    QObject context;
    QEventLoop loop;
    client.send(std::move(r), &context, [&](Net::HttpClientResult res) {
        out = std::move(res);
        loop.quit();
    });
    QTimer::singleShot(timeoutMs + 1000, &loop, &QEventLoop::quit);
    if (!out)
        loop.exec();
    if (!out)
        return std::unexpected(Net::HttpClientError{});
    return *out;
}

inline Json parse(const QByteArray &bytes)
{
    auto j = Fspiop::parseJson(bytes);
    return j ? *j : Json();
}

inline QString qs(const Json &j, const char *key)
{
    if (!j.is_object() || !j.contains(key) || !j[key].is_string())
        return {};
    return QString::fromStdString(j[key].get<std::string>());
}

/** The schema type of an outgoing FSPIOP message, or empty for bodiless requests. */
inline QString schemaTypeFor(const QString &method, const QString &url)
{
    const QString path = QUrl(url).path();
    const QStringList seg = path.split(u'/', Qt::SkipEmptyParts);
    if (seg.isEmpty())
        return {};
    if (seg.last() == u"error"_s)
        return u"ErrorInformationResponse"_s;
    if (method == u"POST"_s)
        return seg[0] == u"quotes"_s ? u"QuotesPostRequest"_s : u"TransfersPostRequest"_s;
    if (method == u"PUT"_s) {
        if (seg[0] == u"parties"_s)
            return u"PartiesTypeIDPutResponse"_s;
        if (seg[0] == u"participants"_s)
            return u"ParticipantsTypeIDPutResponse"_s;
        if (seg[0] == u"quotes"_s)
            return u"QuotesIDPutResponse"_s;
        return u"TransfersIDPutResponse"_s;
    }
    return {};
}

/**
 * Checks every message `records` holds that this side sent against the official schema of its
 * Content-Type version. Returns how many were checked; a failure is a QVERIFY failure.
 */
inline int validateSent(const std::vector<Store::MessageRecord> &records, QString *problem)
{
    int checked = 0;
    for (const Store::MessageRecord &m : records) {
        if (m.direction != Store::MessageDirection::Out || m.body.isEmpty())
            continue;
        QByteArray contentType;
        for (const auto &[name, value] : m.headers) {
            if (name.toLower() == "content-type")
                contentType = value;
        }
        const qsizetype v = contentType.indexOf("version=");
        auto version = Fspiop::ApiVersion::parse(QString::fromLatin1(contentType.mid(v + 8)));
        const QString type = schemaTypeFor(m.method, m.url);
        if (!version || type.isEmpty()) {
            *problem = u"cannot tell the schema of %1 %2"_s.arg(m.method, m.url);
            return -1;
        }
        auto ok = Fspiop::Schema::validateBytes(*version, type, m.body);
        if (!ok) {
            *problem = u"%1 %2 (%3): %4"_s.arg(m.method, m.url, type, ok.error().message);
            return -1;
        }
        ++checked;
    }
    return checked;
}

} // namespace Pm::Test
