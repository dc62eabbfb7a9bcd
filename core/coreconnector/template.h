#pragma once

#include "core/base/result.h"
#include "core/fspiop/json.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace Pm::CoreConnector {

/** A Jsonnet expression and where it was written. */
struct Mapping
{
    QString code; ///< empty when absent
    int line = 0; ///< 1-based line of the expression's first line
    QString field; ///< e.g. operations.getParties.steps[0].body
    bool isSet() const { return !code.isEmpty(); }
};

/** A string with {placeholders}, e.g. "/api/v1/accounts/{steps.account.body.accountNo}". */
struct TemplateString
{
    QString text;
    int line = 0;
    QString field;
};

enum class StepKind { Call, Outbound, Set, Fail };

/** One step of an operation. */
struct Step
{
    StepKind kind = StepKind::Call;
    QString name; ///< result under steps.<name> (call, outbound, set)
    Mapping condition; ///< `if`: runs only when it evaluates to true
    int line = 0;
    QString field;
    // call / outbound
    QByteArray method;
    TemplateString url; ///< call: URL or path relative to core.baseUrl; outbound: path
    QList<std::pair<QString, TemplateString>> headers;
    Mapping body;
    QList<int> expect; ///< success statuses; empty = any 2xx
    bool continueOnError = false; ///< keep going after an unexpected status (result kept)
    int timeoutMs = 0; ///< 0 = core.timeoutMs
    // set
    Mapping value;
    // fail
    QString fspiopCode;
    Mapping message; ///< fail: message expression
    int httpStatus = 500;
};

/** One row of the error table. */
struct ErrorRule
{
    QList<int> statuses; ///< empty = any status
    QStringList codes; ///< core codes (from errors.code); empty = any
    QStringList operations; ///< empty = every operation
    QStringList steps; ///< empty = every step
    QString fspiopCode;
    QString message;
    QHash<QString, QString> translations; ///< language → message
    int httpStatus = 500;
    int line = 0;
};

struct Operation
{
    QString name;
    QList<Step> steps;
    QList<Step> onFailure;
    Mapping response;
    int status = 200;
    int line = 0;
};

enum class AuthKind { None, Basic, Bearer, ApiKey };

struct CoreSystem
{
    TemplateString baseUrl;
    int timeoutMs = 30000;
    AuthKind auth = AuthKind::None;
    TemplateString username, password; ///< basic
    TemplateString tokenUrl, clientId, clientSecret, scope; ///< bearer (OAuth2 client credentials)
    TemplateString apiKeyHeader, apiKeyValue; ///< apiKey
    QList<std::pair<QString, TemplateString>> headers; ///< sent on every core call
    QString caFile; ///< TLS: trust these CA certificates
    bool tlsVerify = true;
};

/** A loaded, validated core connector template. */
struct Template
{
    QString file;
    QString name;
    QString description;
    QString language = QStringLiteral("en");
    Fspiop::Json config = Fspiop::Json::object(); ///< defaults; strings
    CoreSystem core;
    Mapping errorCode; ///< errors.code: the core's error code from `response`
    QList<ErrorRule> errors;
    QMap<QString, Operation> operations; ///< getParties, postQuoteRequests, postTransfers,
                                         ///< putTransfers, postSendMoney, putSendMoney

    const Operation *operation(const QString &name) const
    {
        auto it = operations.constFind(name);
        return it == operations.cend() ? nullptr : &*it;
    }
};

/** The operation names a template may define; the first four are required. */
QStringList operationNames();

/**
 * Loads and validates a template: YAML syntax, the JSON Schema (template.schema.json: unknown
 * fields, types, required operations), step names, {placeholders} (roots request, steps.<an earlier
 * step>, config.<a declared key>) and Jsonnet (parse and unbound names). The error (code 0) is one
 * line "FILE:LINE: FIELD: problem".
 */
Result<Template> loadTemplate(const QString &path);
/** Same, from text; `file` is used in messages. */
Result<Template> parseTemplate(const QByteArray &yaml, const QString &file);

/** The JSON Schema templates must satisfy. */
QByteArray templateSchema();

/** The {placeholders} of a template string, without braces. */
QStringList placeholdersOf(const QString &text);

/**
 * Resolves a placeholder path ("steps.customer.body.accounts[0].accountNo") in `context`.
 * Strings come back as they are; numbers and booleans as their JSON text.
 */
std::optional<QString> resolvePlaceholder(const QString &path, const Fspiop::Json &context);

} // namespace Pm::CoreConnector
