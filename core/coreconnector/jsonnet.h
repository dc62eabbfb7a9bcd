#pragma once

#include "core/base/result.h"
#include "core/fspiop/json.h"

#include <QString>
#include <QStringList>

namespace Pm::CoreConnector {

/**
 * Jsonnet mappings (libjsonnet). An expression sees the variables it is given (request, steps,
 * config, response, failure…) as locals, and `pm`, an object of native functions on decimal strings
 * and dates:
 *
 *   pm.add(a, b), pm.sub(a, b)  exact signed decimal arithmetic on strings ("100.5", "-0.25")
 *   pm.cmp(a, b)                -1, 0 or 1
 *   pm.normalise(a)             canonical FSPIOP form: "100.50" → "100.5"
 *   pm.fixed(a, n)              exactly n decimals (0..4): ("100.5", 2) → "100.50"
 *   pm.formatDate(iso, format)  an ISO 8601 date-time in a Qt date format, English names
 *   pm.now()                    the current UTC time, ISO 8601 with milliseconds
 *
 * Decimals are at most 18 integer digits and 4 decimals; numbers are refused (amounts stay
 * strings).
 */
struct JsonnetSource
{
    QString file; ///< the template file, for messages
    int line = 1; ///< the line where the expression starts (1-based)
    QString field; ///< the template field, e.g. operations.getParties.response
};

/**
 * Evaluates `expression` with `variables` (a JSON object: name → value) bound as locals.
 * The error (code 2001) is one line "FILE:LINE: FIELD: jsonnet: ...".
 */
Result<Fspiop::Json> evaluateJsonnet(
    const QString &expression, const Fspiop::Json &variables, const JsonnetSource &source);

/**
 * Checks `expression` parses and uses only `variables` (plus pm and std) without evaluating it.
 */
Result<void> checkJsonnet(
    const QString &expression, const QStringList &variables, const JsonnetSource &source);

/** One expression to check with checkJsonnetAll(). */
struct JsonnetCheck
{
    QString expression;
    QStringList variables;
    JsonnetSource source;
};

/**
 * Checks many expressions at once: one libjsonnet evaluation for all of them (each evaluation
 * parses Jsonnet's standard library again, about 0.1–0.2 s), then, only if that fails, one by one
 * to name the first expression at fault.
 */
Result<void> checkJsonnetAll(const QList<JsonnetCheck> &checks);

/** The native decimal functions, callable from C++ too (tests). Errors name the function. */
Result<QString> decimalAdd(const QString &a, const QString &b);
Result<QString> decimalSub(const QString &a, const QString &b);
Result<int> decimalCompare(const QString &a, const QString &b);

} // namespace Pm::CoreConnector
