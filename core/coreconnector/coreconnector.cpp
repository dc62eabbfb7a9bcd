#include "core/coreconnector/coreconnector.h"

#include "core/coreconnector/jsonnet.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QPointer>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace Pm::CoreConnector {

using Fspiop::Json;

namespace {

std::string s(const QString &text)
{
    return text.toStdString();
}

Json errorBody(const QString &code, const QString &message)
{
    return Json { { "statusCode", s(code) }, { "message", s(message) } };
}

/** An operation failure: FSPIOP code, message, HTTP status to answer. */
struct Failure
{
    QString code;
    QString message;
    int httpStatus = 500;
};

bool isFspiopCode(const QString &code)
{
    static const QRegularExpression re(u"^[1-9][0-9]{3}$"_s);
    return re.match(code).hasMatch();
}

} // namespace

/** One running operation: walks the steps, then answers. */
struct Run : std::enable_shared_from_this<Run>
{
    QPointer<CoreConnector> owner;
    const Operation *op = nullptr;
    Json ctx;
    int index = 0;
    bool failing = false;
    Failure failure;
    CoreConnector::Done done;
    QElapsedTimer timer;

    const Template &tmpl() const { return owner->m_options.tmpl; }

    JsonnetSource source(const Mapping &m) const
    {
        return JsonnetSource { tmpl().file, m.line, m.field };
    }

    Json variables() const
    {
        Json v = Json::object();
        v["request"] = ctx["request"];
        v["steps"] = ctx["steps"];
        v["config"] = ctx["config"];
        if (failing)
            v["failure"]
                = Json { { "fspiopCode", s(failure.code) }, { "message", s(failure.message) } };
        return v;
    }

    /** Fills {placeholders}; `encode` percent-encodes values (URL paths). */
    Result<QString> fill(const TemplateString &t, bool encode) const
    {
        QString out;
        static const QRegularExpression re(u"\\{([^{}]*)\\}"_s);
        qsizetype last = 0;
        auto it = re.globalMatch(t.text);
        while (it.hasNext()) {
            auto m = it.next();
            out += t.text.mid(last, m.capturedStart() - last);
            auto value = resolvePlaceholder(m.captured(1), ctx);
            if (!value)
                return fail(2001,
                    u"%1:%2: %3: placeholder {%4} has no value"_s.arg(tmpl().file)
                        .arg(t.line)
                        .arg(t.field, m.captured(1)));
            out += encode ? QString::fromLatin1(QUrl::toPercentEncoding(*value)) : *value;
            last = m.capturedEnd();
        }
        out += t.text.mid(last);
        return out;
    }

    void next()
    {
        if (!owner)
            return;
        const QList<Step> &list = failing ? op->onFailure : op->steps;
        if (index >= list.size()) {
            finish();
            return;
        }
        const Step &step = list[index++];
        if (step.condition.isSet()) {
            auto c = evaluateJsonnet(step.condition.code, variables(), source(step.condition));
            if (!c)
                return stepFailed(Failure { u"2001"_s, c.error().message, 500 });
            if (!c->is_boolean())
                return stepFailed(Failure { u"2001"_s,
                    u"%1:%2: %3: must give true or false"_s.arg(tmpl().file)
                        .arg(step.condition.line)
                        .arg(step.condition.field),
                    500 });
            if (!c->get<bool>())
                return next();
        }
        switch (step.kind) {
        case StepKind::Set: {
            auto v = evaluateJsonnet(step.value.code, variables(), source(step.value));
            if (!v)
                return stepFailed(Failure { u"2001"_s, v.error().message, 500 });
            ctx["steps"][s(step.name)] = *v;
            return next();
        }
        case StepKind::Fail: {
            QString message = u"failed at %1"_s.arg(step.field);
            if (step.message.isSet()) {
                auto m = evaluateJsonnet(step.message.code, variables(), source(step.message));
                if (!m)
                    return stepFailed(Failure { u"2001"_s, m.error().message, 500 });
                message = m->is_string() ? QString::fromStdString(m->get<std::string>())
                                         : QString::fromUtf8(Fspiop::serializeJson(*m));
            }
            return stepFailed(Failure { step.fspiopCode, message, step.httpStatus });
        }
        case StepKind::Call:
        case StepKind::Outbound:
            return call(step);
        }
    }

    void call(const Step &step)
    {
        CoreConnector *cc = owner;
        const bool outbound = step.kind == StepKind::Outbound;
        auto path = fill(step.url, true);
        if (!path)
            return stepFailed(Failure { u"2001"_s, path.error().message, 500 });
        QString url = *path;
        if (outbound) {
            if (!cc->m_options.outboundUrl.isValid())
                return stepFailed(Failure { u"2001"_s,
                    u"%1: no outbound API is configured for outbound steps"_s.arg(step.field),
                    500 });
            url = cc->m_options.outboundUrl.toString(QUrl::StripTrailingSlash) + url;
        } else if (!url.startsWith(u"http://"_s) && !url.startsWith(u"https://"_s)) {
            auto base = fill(tmpl().core.baseUrl, false);
            if (!base)
                return stepFailed(Failure { u"2001"_s, base.error().message, 500 });
            url = *base + url;
        }
        Net::HttpClientRequest request;
        request.method = step.method;
        request.url = QUrl(url);
        request.headers.add("Accept", "application/json");
        if (!outbound) {
            for (const auto &[name, value] : tmpl().core.headers) {
                auto v = fill(value, false);
                if (!v)
                    return stepFailed(Failure { u"2001"_s, v.error().message, 500 });
                request.headers.set(name.toUtf8(), v->toUtf8());
            }
        }
        for (const auto &[name, value] : step.headers) {
            auto v = fill(value, false);
            if (!v)
                return stepFailed(Failure { u"2001"_s, v.error().message, 500 });
            request.headers.set(name.toUtf8(), v->toUtf8());
        }
        if (step.body.isSet()) {
            auto b = evaluateJsonnet(step.body.code, variables(), source(step.body));
            if (!b)
                return stepFailed(Failure { u"2001"_s, b.error().message, 500 });
            request.body = Fspiop::serializeJson(*b);
            request.headers.set("Content-Type", "application/json");
        }
        request.timeout = std::chrono::milliseconds(
            step.timeoutMs > 0 ? step.timeoutMs : tmpl().core.timeoutMs);
        if (!outbound) {
            auto auth = authorise(request, step);
            if (!auth)
                return stepFailed(Failure { u"2001"_s, auth.error().message, 500 });
            if (!*auth)
                return; // waiting for a token; call() runs again
        }
        auto self = shared_from_this();
        Net::HttpClient *client = outbound ? cc->m_outboundClient.get() : cc->m_coreClient.get();
        const QString stepName = step.name;
        const Step *stepPtr = &step;
        client->send(
            std::move(request), cc, [self, stepPtr, stepName](Net::HttpClientResult result) {
                self->answered(*stepPtr, std::move(result));
            });
    }

    /**
     * Adds the core system's credentials. Returns false while an OAuth2 token is being fetched
     * (the step is retried when it arrives).
     */
    Result<bool> authorise(Net::HttpClientRequest &request, const Step &step)
    {
        CoreConnector *cc = owner;
        const CoreSystem &core = tmpl().core;
        switch (core.auth) {
        case AuthKind::None:
            return true;
        case AuthKind::Basic: {
            auto user = fill(core.username, false);
            auto pass = fill(core.password, false);
            if (!user || !pass)
                return std::unexpected(user ? pass.error() : user.error());
            request.headers.set("Authorization",
                "Basic " + QByteArray(user->toUtf8() + ':' + pass->toUtf8()).toBase64());
            return true;
        }
        case AuthKind::ApiKey: {
            auto h = fill(core.apiKeyHeader, false);
            auto v = fill(core.apiKeyValue, false);
            if (!h || !v)
                return std::unexpected(h ? v.error() : h.error());
            request.headers.set(h->toUtf8(), v->toUtf8());
            return true;
        }
        case AuthKind::Bearer:
            if (!cc->m_token.isEmpty()
                && QDateTime::currentMSecsSinceEpoch() < cc->m_tokenExpiresAtMs) {
                request.headers.set("Authorization", "Bearer " + cc->m_token);
                return true;
            }
            break;
        }
        auto tokenUrl = fill(core.tokenUrl, false);
        auto id = fill(core.clientId, false);
        auto secret = fill(core.clientSecret, false);
        if (!tokenUrl || !id || !secret)
            return std::unexpected(
                !tokenUrl ? tokenUrl.error() : (!id ? id.error() : secret.error()));
        Net::HttpClientRequest t;
        t.method = "POST";
        t.url = QUrl(*tokenUrl);
        t.headers.set("Content-Type", "application/x-www-form-urlencoded");
        t.headers.set("Accept", "application/json");
        t.headers.set("Authorization",
            "Basic "
                + QByteArray(QUrl::toPercentEncoding(*id) + ':' + QUrl::toPercentEncoding(*secret))
                      .toBase64());
        QUrlQuery form;
        form.addQueryItem(u"grant_type"_s, u"client_credentials"_s);
        if (!core.scope.text.isEmpty()) {
            auto scope = fill(core.scope, false);
            if (scope)
                form.addQueryItem(u"scope"_s, *scope);
        }
        t.body = form.toString(QUrl::FullyEncoded).toUtf8();
        t.timeout = std::chrono::milliseconds(core.timeoutMs);
        auto self = shared_from_this();
        const Step *stepPtr = &step;
        cc->m_coreClient->send(std::move(t), cc, [self, stepPtr](Net::HttpClientResult result) {
            if (!self->owner)
                return;
            CoreConnector *c = self->owner;
            if (!result || result->status != 200)
                return self->stepFailed(Failure { u"2003"_s,
                    u"core system: OAuth2 token request failed (%1)"_s.arg(
                        result ? QString::number(result->status) : result.error().message),
                    503 });
            auto body = Fspiop::parseJson(result->body);
            if (!body || !body->is_object() || !body->contains("access_token")
                || !(*body)["access_token"].is_string())
                return self->stepFailed(Failure {
                    u"2003"_s, u"core system: OAuth2 token response has no access_token"_s, 503 });
            c->m_token = QByteArray::fromStdString((*body)["access_token"].get<std::string>());
            const qint64 expires = body->contains("expires_in") && (*body)["expires_in"].is_number()
                ? (*body)["expires_in"].get<qint64>()
                : 300;
            c->m_tokenExpiresAtMs
                = QDateTime::currentMSecsSinceEpoch() + std::max<qint64>(1, expires - 10) * 1000;
            self->call(*stepPtr);
        });
        return false;
    }

    void answered(const Step &step, Net::HttpClientResult result)
    {
        if (!owner)
            return;
        if (!result) {
            const bool timeout = result.error().kind == Net::HttpClientErrorKind::Timeout;
            return stepFailed(Failure { timeout ? u"2004"_s : u"2003"_s,
                u"%1 (%2): %3"_s.arg(
                    step.kind == StepKind::Outbound ? u"outbound API"_s : u"core system"_s,
                    step.name, result.error().message),
                timeout ? 504 : 503 });
        }
        if (result->status == 401 && step.kind == StepKind::Call)
            owner->m_token.clear();
        Json body;
        if (!result->body.isEmpty()) {
            auto parsed = Fspiop::parseJson(result->body);
            body = parsed ? *parsed : Json(result->body.toStdString());
        }
        ctx["steps"][s(step.name)] = Json { { "status", result->status }, { "body", body } };
        const bool ok = step.expect.isEmpty() ? (result->status >= 200 && result->status < 300)
                                              : step.expect.contains(result->status);
        if (ok || step.continueOnError)
            return next();
        stepFailed(mapError(step, result->status, body));
    }

    Failure mapError(const Step &step, int status, const Json &body) const
    {
        QString code;
        if (tmpl().errorCode.isSet()) {
            Json vars { { "response", Json { { "status", status }, { "body", body } } },
                { "config", ctx["config"] } };
            auto c = evaluateJsonnet(tmpl().errorCode.code, vars, source(tmpl().errorCode));
            if (c && c->is_string())
                code = QString::fromStdString(c->get<std::string>());
            else if (c && c->is_number())
                code = QString::fromUtf8(Fspiop::serializeJson(*c));
        }
        const QString language
            = owner->m_options.language.isEmpty() ? tmpl().language : owner->m_options.language;
        for (const ErrorRule &rule : tmpl().errors) {
            if (!rule.statuses.isEmpty() && !rule.statuses.contains(status))
                continue;
            if (!rule.codes.isEmpty() && !rule.codes.contains(code))
                continue;
            if (!rule.operations.isEmpty() && !rule.operations.contains(op->name))
                continue;
            if (!rule.steps.isEmpty() && !rule.steps.contains(step.name))
                continue;
            return Failure { rule.fspiopCode, rule.translations.value(language, rule.message),
                rule.httpStatus };
        }
        // No row: an FSPIOP code (from the outbound API) passes through, anything else is 2001.
        if (isFspiopCode(code)) {
            QString message;
            if (body.is_object() && body.contains("message") && body["message"].is_string())
                message = QString::fromStdString(body["message"].get<std::string>());
            return Failure { code, message.isEmpty() ? u"error %1"_s.arg(code) : message, 500 };
        }
        return Failure { u"2001"_s,
            u"%1 answered %2%3 at step %4"_s
                .arg(step.kind == StepKind::Outbound ? u"outbound API"_s : u"core system"_s)
                .arg(status)
                .arg(code.isEmpty() ? QString() : u" "_s + code, step.name),
            500 };
    }

    void stepFailed(Failure f)
    {
        if (!owner)
            return;
        if (failing) {
            // A compensation step failed: keep the original error, run the remaining steps.
            qWarning("core connector: %s: compensation step failed: %s", qPrintable(op->name),
                qPrintable(f.message));
            return next();
        }
        failure = std::move(f);
        if (!op->onFailure.isEmpty()) {
            failing = true;
            index = 0;
            return next();
        }
        finish();
    }

    void finish()
    {
        if (!owner)
            return;
        OperationMetrics &m = owner->m_metrics[op->name];
        ++m.count;
        const qint64 ms = timer.elapsed();
        m.totalMs += ms;
        m.maxMs = std::max(m.maxMs, ms);
        if (failing || !failure.code.isEmpty()) {
            ++m.errors;
            return done(
                OperationResult { failure.httpStatus, errorBody(failure.code, failure.message) });
        }
        Json body = Json::object();
        if (op->response.isSet()) {
            auto r = evaluateJsonnet(op->response.code, variables(), source(op->response));
            if (!r) {
                ++m.errors;
                return done(OperationResult { 500, errorBody(u"2001"_s, r.error().message) });
            }
            body = *r;
        }
        done(OperationResult { op->status, body });
    }
};

CoreConnector::CoreConnector(QObject *parent)
    : QObject(parent)
{ }

CoreConnector::~CoreConnector()
{
    stop();
}

Result<void> CoreConnector::start(CoreConnectorOptions options)
{
    if (m_backend)
        return fail(0, u"core connector: already running"_s);
    m_options = std::move(options);
    m_config = m_options.tmpl.config;
    if (m_options.config.is_object()) {
        for (auto it = m_options.config.begin(); it != m_options.config.end(); ++it) {
            if (!m_config.contains(it.key()))
                return fail(0,
                    u"core connector: setting '%1' is not declared in template %2"_s.arg(
                        QString::fromStdString(it.key()), m_options.tmpl.file));
            m_config[it.key()] = it.value().is_string()
                ? it.value()
                : Json(Fspiop::serializeJson(it.value()).toStdString());
        }
    }
    Net::HttpClientOptions coreOptions;
    if (!m_options.tmpl.core.caFile.isEmpty() || !m_options.tmpl.core.tlsVerify) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        if (!m_options.tmpl.core.caFile.isEmpty()) {
            const auto certs = QSslCertificate::fromPath(m_options.tmpl.core.caFile);
            if (certs.isEmpty())
                return fail(0,
                    u"%1: core.tls.caFile: no certificate in %2"_s.arg(
                        m_options.tmpl.file, m_options.tmpl.core.caFile));
            tls.setCaCertificates(certs);
        }
        if (!m_options.tmpl.core.tlsVerify)
            tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        coreOptions.tls = tls;
    }
    coreOptions.defaultTimeout = std::chrono::milliseconds(m_options.tmpl.core.timeoutMs);
    m_coreClient = Net::createHttpClient(coreOptions);
    Net::HttpClientOptions outboundOptions;
    outboundOptions.defaultTimeout = std::chrono::milliseconds(120'000);
    m_outboundClient = Net::createHttpClient(outboundOptions);

    m_backend = Net::createHttpServer();
    m_backend->setHandler([this](Net::HttpRequest r, Net::HttpResponder resp) {
        handleBackend(std::move(r), std::move(resp));
    });
    Net::HttpServerOptions so;
    so.port = m_options.backendPort;
    so.requestTimeout = std::chrono::milliseconds(120'000);
    if (auto p = m_backend->listen(so); !p) {
        stop();
        return fail(0,
            u"core connector: backend API cannot listen on 127.0.0.1:%1"_s.arg(
                m_options.backendPort),
            p.error().message);
    }
    if (m_options.serveSendMoney) {
        m_sendMoney = Net::createHttpServer();
        m_sendMoney->setHandler([this](Net::HttpRequest r, Net::HttpResponder resp) {
            handleSendMoney(std::move(r), std::move(resp));
        });
        so.port = m_options.sendMoneyPort;
        if (auto p = m_sendMoney->listen(so); !p) {
            stop();
            return fail(0,
                u"core connector: /sendmoney API cannot listen on 127.0.0.1:%1"_s.arg(
                    m_options.sendMoneyPort),
                p.error().message);
        }
    }
    return {};
}

void CoreConnector::stop()
{
    if (m_backend)
        m_backend->close();
    if (m_sendMoney)
        m_sendMoney->close();
    m_backend.reset();
    m_sendMoney.reset();
    m_coreClient.reset();
    m_outboundClient.reset();
}

quint16 CoreConnector::backendPort() const
{
    return m_backend ? m_backend->serverPort() : 0;
}

quint16 CoreConnector::sendMoneyPort() const
{
    return m_sendMoney ? m_sendMoney->serverPort() : 0;
}

QString CoreConnector::backendEndpoint() const
{
    return u"127.0.0.1:%1"_s.arg(backendPort());
}

void CoreConnector::runOperation(const QString &operation, Json request, Done done)
{
    const Operation *op = m_options.tmpl.operation(operation);
    if (!op) {
        QPointer<CoreConnector> self(this);
        QMetaObject::invokeMethod(
            this,
            [done, operation, file = m_options.tmpl.file] {
                done(OperationResult { 501,
                    errorBody(
                        u"2001"_s, u"template %1 has no operation %2"_s.arg(file, operation)) });
            },
            Qt::QueuedConnection);
        return;
    }
    auto run = std::make_shared<Run>();
    run->owner = this;
    run->op = op;
    run->ctx = Json { { "request", std::move(request) }, { "steps", Json::object() },
        { "config", m_config } };
    run->done = std::move(done);
    run->timer.start();
    // Always answer later than the call returns.
    QMetaObject::invokeMethod(
        this, [run] { run->next(); }, Qt::QueuedConnection);
}

void CoreConnector::dispatch(const QString &operation, Json request, Net::HttpResponder responder)
{
    auto shared = std::make_shared<Net::HttpResponder>(std::move(responder));
    runOperation(operation, std::move(request), [shared](OperationResult r) {
        shared->respond(
            r.status, { { "Content-Type", "application/json" } }, Fspiop::serializeJson(r.body));
    });
}

namespace {

Json requestObject(const Net::HttpRequest &r, Json params, bool *badBody)
{
    Json query = Json::object();
    for (const auto &[k, v] : r.query.queryItems(QUrl::FullyDecoded))
        query[s(k)] = s(v);
    Json body;
    *badBody = false;
    if (!r.body.isEmpty()) {
        auto parsed = Fspiop::parseJson(r.body);
        if (!parsed)
            *badBody = true;
        else
            body = std::move(*parsed);
    }
    return Json { { "params", std::move(params) }, { "query", std::move(query) },
        { "body", std::move(body) } };
}

void answerError(
    Net::HttpResponder &responder, int status, const QString &code, const QString &message)
{
    responder.respond(status, { { "Content-Type", "application/json" } },
        Fspiop::serializeJson(errorBody(code, message)));
}

} // namespace

void CoreConnector::handleBackend(Net::HttpRequest request, Net::HttpResponder responder)
{
    const QStringList seg = request.path.split(u'/', Qt::SkipEmptyParts);
    const QByteArray &m = request.method;
    const int n = int(seg.size());
    QString operation;
    Json params = Json::object();
    if (m == "GET" && (n == 3 || n == 4) && seg[0] == u"parties"_s) {
        operation = u"getParties"_s;
        params["idType"] = s(seg[1]);
        params["idValue"] = s(seg[2]);
        if (n == 4)
            params["idSubValue"] = s(seg[3]);
    } else if (m == "POST" && n == 1 && seg[0] == u"quoterequests"_s) {
        operation = u"postQuoteRequests"_s;
    } else if (m == "POST" && n == 1 && seg[0] == u"transfers"_s) {
        operation = u"postTransfers"_s;
    } else if (m == "PUT" && n == 2 && seg[0] == u"transfers"_s) {
        operation = u"putTransfers"_s;
        params["transferId"] = s(seg[1]);
    } else {
        return answerError(responder, 404, u"3002"_s,
            u"unknown backend route %1 %2"_s.arg(QString::fromLatin1(m), request.path));
    }
    bool bad = false;
    Json r = requestObject(request, std::move(params), &bad);
    if (bad)
        return answerError(responder, 400, u"3101"_s, u"request body is not JSON"_s);
    dispatch(operation, std::move(r), std::move(responder));
}

void CoreConnector::handleSendMoney(Net::HttpRequest request, Net::HttpResponder responder)
{
    const QStringList seg = request.path.split(u'/', Qt::SkipEmptyParts);
    const QByteArray &m = request.method;
    const int n = int(seg.size());
    QString operation;
    Json params = Json::object();
    if (m == "POST" && n == 1 && seg[0] == u"sendmoney"_s) {
        operation = u"postSendMoney"_s;
    } else if (m == "PUT" && n == 2 && seg[0] == u"sendmoney"_s) {
        operation = u"putSendMoney"_s;
        params["transferId"] = s(seg[1]);
    } else {
        return answerError(responder, 404, u"3002"_s,
            u"unknown route %1 %2"_s.arg(QString::fromLatin1(m), request.path));
    }
    bool bad = false;
    Json r = requestObject(request, std::move(params), &bad);
    if (bad)
        return answerError(responder, 400, u"3101"_s, u"request body is not JSON"_s);
    dispatch(operation, std::move(r), std::move(responder));
}

} // namespace Pm::CoreConnector
