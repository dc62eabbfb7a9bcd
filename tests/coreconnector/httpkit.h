#pragma once

// Helpers of the core connector tests: one HTTP exchange waited for on the test's event loop.

#include "core/fspiop/json.h"
#include "core/net/httpclient.h"

#include <QEventLoop>
#include <QObject>
#include <QTimer>
#include <optional>

namespace Pm::Test {

using namespace Qt::StringLiterals;
using Json = Fspiop::Json;

/** A response, or status 0 with the client's error text as body. */
struct Exchange
{
    int status = 0;
    QByteArray body;
    Json json;
};

/**
 * Sends one request and runs a local event loop until it is answered (servers living on this
 * thread keep working meanwhile).
 */
inline Exchange exchange(Net::HttpClient &client, QByteArray method, const QString &url,
    const Json &body = Json(), Net::HttpHeaders headers = {}, int timeoutMs = 60000)
{
    std::optional<Net::HttpClientResult> out;
    Net::HttpClientRequest r;
    r.method = std::move(method);
    r.url = QUrl(url);
    if (!body.is_null()) {
        r.body = Fspiop::serializeJson(body);
        headers.set("Content-Type", "application/json");
    }
    r.headers = std::move(headers);
    r.timeout = std::chrono::milliseconds(timeoutMs);
    QObject context;
    QEventLoop loop;
    client.send(std::move(r), &context, [&](Net::HttpClientResult res) {
        out = std::move(res);
        loop.quit();
    });
    QTimer::singleShot(timeoutMs + 1000, &loop, &QEventLoop::quit);
    if (!out)
        loop.exec();
    Exchange e;
    if (!out || !*out) {
        e.body = out ? out->error().message.toUtf8() : QByteArray("no answer");
        return e;
    }
    e.status = (*out)->status;
    e.body = (*out)->body;
    auto parsed = Fspiop::parseJson(e.body);
    if (parsed)
        e.json = *parsed;
    return e;
}

inline QString field(const Json &j, const char *key)
{
    if (!j.is_object() || !j.contains(key) || !j[key].is_string())
        return {};
    return QString::fromStdString(j[key].get<std::string>());
}

} // namespace Pm::Test
