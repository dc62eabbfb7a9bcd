#include "core/coreconnector/fixtures.h"

#include "core/coreconnector/coreconnector.h"
#include "core/coreconnector/jsonnet.h"
#include "core/net/httpserver.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Pm::CoreConnector {

using Fspiop::Json;

namespace {

QString qstr(const Json &j)
{
    if (j.is_string())
        return QString::fromStdString(j.get<std::string>());
    return QString::fromUtf8(Fspiop::serializeJson(j));
}

Result<Json> readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(0, u"%1: cannot read: %2"_s.arg(path, f.errorString()));
    auto j = Fspiop::parseJson(f.readAll());
    if (!j)
        return fail(0, u"%1: not JSON: %2"_s.arg(path, j.error().message));
    return *j;
}

bool isNumeric(const Json &j)
{
    if (j.is_number())
        return true;
    if (!j.is_string())
        return false;
    return decimalCompare(qstr(j), u"0"_s).has_value();
}

/** Does `actual` match the recorded `expected`? Describes the first difference at `where`. */
bool matches(const Json &expected, const Json &actual, const QString &where, QString *why)
{
    if (expected.is_string() && expected.get<std::string>() == "*")
        return true;
    if (isNumeric(expected) && isNumeric(actual) && !expected.is_boolean()
        && !actual.is_boolean()) {
        auto c = decimalCompare(qstr(expected), qstr(actual));
        if (c && *c == 0)
            return true;
    }
    if (expected.is_object() && actual.is_object()) {
        for (auto it = expected.begin(); it != expected.end(); ++it) {
            const QString w = where + u'.' + QString::fromStdString(it.key());
            if (!actual.contains(it.key())) {
                *why = w + u" is missing"_s;
                return false;
            }
            if (!matches(it.value(), actual[it.key()], w, why))
                return false;
        }
        return true;
    }
    if (expected.is_array() && actual.is_array() && expected.size() == actual.size()) {
        for (std::size_t i = 0; i < expected.size(); ++i) {
            if (!matches(expected[i], actual[i], where + u'[' + QString::number(i) + u']', why))
                return false;
        }
        return true;
    }
    if (expected == actual)
        return true;
    *why = u"%1 is %2, recorded %3"_s.arg(where, qstr(actual), qstr(expected));
    return false;
}

/** A recorded request against the one received; empty when they match. */
QString compareRequest(const Json &rec, const Net::HttpRequest &got, const QString &basePath)
{
    const QString method = qstr(rec.value("method", Json("GET")));
    if (method != QString::fromLatin1(got.method))
        return u"method %1, recorded %2"_s.arg(QString::fromLatin1(got.method), method);
    QString path = qstr(rec.value("path", Json("")));
    if (!basePath.isEmpty() && !path.startsWith(u'/'))
        path = basePath + u'/' + path;
    if (path != got.path)
        return u"path %1, recorded %2"_s.arg(got.path, path);
    const Json query = rec.value("query", Json()); // absent: not checked
    Json gotQuery = Json::object();
    for (const auto &[k, v] : got.query.queryItems(QUrl::FullyDecoded))
        gotQuery[k.toStdString()] = v.toStdString();
    QString why;
    if (query.is_object() && !matches(query, gotQuery, u"query"_s, &why))
        return why;
    if (query.is_object() && gotQuery.size() != query.size())
        return u"query has %1 parameters, recorded %2"_s.arg(gotQuery.size()).arg(query.size());
    const Json headers = rec.value("headers", Json::object());
    for (auto it = headers.begin(); it != headers.end(); ++it) {
        const QByteArray value = got.headers.value(QByteArray::fromStdString(it.key()));
        const QString expected = qstr(it.value());
        if (expected != u"*"_s && QString::fromUtf8(value) != expected)
            return u"header %1 is '%2', recorded '%3'"_s.arg(
                QString::fromStdString(it.key()), QString::fromUtf8(value), expected);
    }
    const Json body = rec.value("body", Json());
    if (!body.is_null()) {
        auto parsed = Fspiop::parseJson(got.body);
        if (!parsed)
            return u"body is not JSON"_s;
        if (!matches(body, *parsed, u"body"_s, &why))
            return why;
        if (body.is_object() && parsed->is_object()) {
            for (auto it = parsed->begin(); it != parsed->end(); ++it) {
                if (!body.contains(it.key()))
                    return u"body.%1 was not recorded"_s.arg(QString::fromStdString(it.key()));
            }
        }
    }
    return {};
}

FixtureResult runCase(const Template &base, const QString &file)
{
    FixtureResult result;
    result.name = QFileInfo(file).fileName().chopped(QStringLiteral(".case.json").size());
    auto doc = readJson(file);
    if (!doc || !doc->is_object()) {
        result.problem = doc ? u"%1: not a JSON object"_s.arg(file) : doc.error().message;
        return result;
    }
    const Json &c = *doc;
    const QString operation = qstr(c.value("operation", Json("")));
    if (!base.operation(operation)) {
        result.problem = u"%1: operation '%2' is not in the template"_s.arg(file, operation);
        return result;
    }
    // The exchanges, inline or from files next to the case.
    QList<Json> exchanges;
    for (const Json &e : c.value("exchanges", Json::array())) {
        Json x = e;
        // A file name, or {"file": NAME, "patch": {...}} (a JSON merge patch over the recording).
        if (e.is_string() || (e.is_object() && e.contains("file"))) {
            auto loaded
                = readJson(QFileInfo(file).dir().filePath(qstr(e.is_string() ? e : e["file"])));
            if (!loaded) {
                result.problem = loaded.error().message;
                return result;
            }
            x = *loaded;
            if (e.is_object() && e.contains("patch"))
                x.merge_patch(e["patch"]);
        }
        if (!x.is_object() || !x.contains("request") || !x.contains("response")) {
            result.problem = u"%1: exchanges[%2]: needs request and response"_s.arg(file).arg(
                exchanges.size());
            return result;
        }
        exchanges << x;
    }

    // The core system's base URL now points at the stand-in, keeping its path.
    Json config = base.config;
    const Json caseConfig = c.value("config", Json::object());
    if (!caseConfig.is_object()) {
        result.problem = u"%1: config must be an object"_s.arg(file);
        return result;
    }
    for (auto it = caseConfig.begin(); it != caseConfig.end(); ++it)
        config[it.key()] = it.value();
    QString baseText = base.core.baseUrl.text;
    for (const QString &ph : placeholdersOf(baseText)) {
        auto v = resolvePlaceholder(ph, Json { { "config", config } });
        baseText.replace(u'{' + ph + u'}', v.value_or(QString()));
    }
    const QString basePath = QUrl(baseText).path().endsWith(u'/') ? QUrl(baseText).path().chopped(1)
                                                                  : QUrl(baseText).path();

    qsizetype next = 0;
    QString mismatch;
    auto standIn = Net::createHttpServer();
    standIn->setHandler([&](Net::HttpRequest request, Net::HttpResponder responder) {
        if (!mismatch.isEmpty()) {
            responder.respond(500, {}, "stand-in: an earlier request did not match");
            return;
        }
        if (next >= exchanges.size()) {
            mismatch = u"unexpected request %1 %2 (all %3 recorded exchanges were used)"_s
                           .arg(QString::fromLatin1(request.method), request.path)
                           .arg(exchanges.size());
            responder.respond(500, {}, "stand-in: no more recorded exchanges");
            return;
        }
        const Json &x = exchanges[next];
        const QString why = compareRequest(x["request"], request, basePath);
        if (!why.isEmpty()) {
            mismatch = u"exchange %1 (%2 %3): %4"_s.arg(next + 1).arg(
                QString::fromLatin1(request.method), request.path, why);
            responder.respond(500, {}, "stand-in: request does not match the recording");
            return;
        }
        ++next;
        const Json &r = x["response"];
        const Json body = r.value("body", Json());
        responder.respond(r.value("status", 200), { { "Content-Type", "application/json" } },
            body.is_null() ? QByteArray() : Fspiop::serializeJson(body));
    });
    auto port = standIn->listen({});
    if (!port) {
        result.problem = u"stand-in cannot listen: "_s + port.error().message;
        return result;
    }
    Template tmpl = base;
    const QString standInBase = u"http://127.0.0.1:%1"_s.arg(*port);
    tmpl.core.baseUrl.text = standInBase + basePath;
    tmpl.core.caFile.clear();

    CoreConnector cc;
    CoreConnectorOptions options;
    options.tmpl = tmpl;
    options.serveSendMoney = false;
    options.outboundUrl = QUrl(standInBase);
    options.config = caseConfig;
    if (c.contains("language"))
        options.language = qstr(c["language"]);
    if (auto started = cc.start(options); !started) {
        result.problem = started.error().message;
        return result;
    }
    std::optional<OperationResult> answer;
    QEventLoop loop;
    Json request = c.value("request", Json::object());
    for (const char *key : { "params", "query" }) {
        if (!request.contains(key))
            request[key] = Json::object();
    }
    if (!request.contains("body"))
        request["body"] = Json();
    cc.runOperation(operation, request, [&](OperationResult r) {
        answer = std::move(r);
        loop.quit();
    });
    QTimer::singleShot(60'000, &loop, &QEventLoop::quit);
    if (!answer)
        loop.exec();
    if (!answer) {
        result.problem = u"no answer within 60 s"_s;
        return result;
    }
    result.status = answer->status;
    result.body = answer->body;
    if (!mismatch.isEmpty()) {
        result.problem = mismatch;
        return result;
    }
    if (next < exchanges.size()) {
        result.problem = u"exchange %1 of %2 was never requested (%3 %4)"_s.arg(next + 1)
                             .arg(exchanges.size())
                             .arg(qstr(exchanges[next]["request"].value("method", Json("GET"))),
                                 qstr(exchanges[next]["request"].value("path", Json(""))));
        return result;
    }
    const Json expect = c.value("expect", Json::object());
    if (expect.contains("status") && expect["status"] != answer->status) {
        result.problem = u"answered %1, expected %2: %3"_s.arg(answer->status)
                             .arg(qstr(expect["status"]), qstr(answer->body));
        return result;
    }
    QString why;
    if (expect.contains("body") && !matches(expect["body"], answer->body, u"answer"_s, &why)) {
        result.problem = why;
        return result;
    }
    result.passed = true;
    return result;
}

} // namespace

Result<QList<FixtureResult>> runFixtureCases(const Template &tmpl, const QString &dir)
{
    QDir d(dir);
    if (!d.exists())
        return fail(0, u"%1: no such directory"_s.arg(dir));
    const QStringList files = d.entryList({ u"*.case.json"_s }, QDir::Files, QDir::Name);
    if (files.isEmpty())
        return fail(0, u"%1: no *.case.json file"_s.arg(dir));
    QList<FixtureResult> results;
    for (const QString &f : files)
        results << runCase(tmpl, d.filePath(f));
    return results;
}

} // namespace Pm::CoreConnector
