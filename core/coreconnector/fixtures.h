#pragma once

#include "core/base/result.h"
#include "core/coreconnector/template.h"
#include "core/fspiop/json.h"

#include <QList>
#include <QString>

namespace Pm::CoreConnector {

/** The outcome of one fixture case. */
struct FixtureResult
{
    QString name; ///< the case file's name without ".case.json"
    bool passed = false;
    QString problem; ///< one line when it failed
    int status = 0; ///< what the operation answered
    Fspiop::Json body;
};

/**
 * Runs a template's operations against recorded core-system exchanges (docs/coreconnector.md,
 * "Fixtures"). Every `*.case.json` in `dir` names an operation, its request, the exchanges the core
 * system (and the outbound API) should see, in order — each an inline {request, response}, the
 * name of such a file next to the case, or {"file": NAME, "patch": {...}} (a JSON merge patch over
 * the file) — and the expected answer (status, and a body whose members
 * must all match). A stand-in HTTP server on 127.0.0.1 replays the exchanges: a request that
 * differs from the recorded one in method, path, query, a recorded header or a body member fails
 * the case (a recorded value "*" matches anything; a number matches the same decimal in a string).
 *
 * Blocks, running a local event loop; call it on a thread that has none running (a command line
 * tool, a test). Fails only when `dir` cannot be read or holds no case.
 */
Result<QList<FixtureResult>> runFixtureCases(const Template &tmpl, const QString &dir);

} // namespace Pm::CoreConnector
