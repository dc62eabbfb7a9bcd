#pragma once

#include "core/base/result.h"

#include <QRegularExpression>
#include <QString>

namespace Pm::Fspiop::Internal {

/**
 * Translates an ECMAScript regular expression, as JSON Schema `pattern` holds it and as ajv runs it
 * (the `u` flag, no other flags), into an equivalent PCRE2 pattern for QRegularExpression.
 *
 * What changes: `\d \w \s \b` and their negations become the explicit ECMAScript sets (so PCRE's
 * Unicode modes cannot widen them); `.` excludes the four ECMAScript line terminators; `$` becomes
 * `\z` (ECMAScript `$` never matches before a final newline); `\uXXXX` and `\u{X}` become `\x{X}`;
 * `\p{...}` names are mapped to PCRE2 10.42 spellings (`gc=Mark` → `M`, `digit` → `Nd`,
 * `Connector_Punctuation` → `Pc`, ...); `[` inside a class is escaped; `[]` and `[^]` keep their
 * ECMAScript meaning. Fails (code 0) on constructs that have no faithful translation, such as a
 * negated shorthand inside a class (`[\S]`).
 */
Result<QString> ecmaToPcre(const QString &ecmaPattern);

/**
 * ecmaToPcre() compiled with QRegularExpression::UseUnicodePropertiesOption (harmless after the
 * translation, and what makes case-insensitive and POSIX constructs Unicode-aware).
 * Fails (code 0) if the pattern cannot be translated or PCRE2 rejects it.
 */
Result<QRegularExpression> compileEcmaPattern(const QString &ecmaPattern);

/**
 * Matches `subject` against an ECMAScript pattern the way JSON Schema does (a search, not a full
 * match), using a per-thread cache of compiled expressions. An untranslatable pattern never matches.
 */
bool ecmaPatternMatches(const QString &ecmaPattern, const QString &subject);

} // namespace Pm::Fspiop::Internal
