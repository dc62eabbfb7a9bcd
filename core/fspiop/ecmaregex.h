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
 * An ECMAScript pattern registered once per process, for repeated matching from any thread.
 *
 * Each thread compiles its own QRegularExpression the first time it uses a pattern (Qt documents
 * the class as reentrant, not thread-safe) and finds it again by index, without hashing the
 * pattern. Copies share the registration.
 */
class EcmaPattern
{
public:
    explicit EcmaPattern(const QString &ecmaPattern);

    /** The pattern as given. */
    QString pattern() const;

    /**
     * True if the pattern matches somewhere in `subject` (JSON Schema semantics: a search, not a
     * full match). An untranslatable pattern never matches.
     */
    bool matches(const QString &subject) const;

private:
    int m_id;
};

/** EcmaPattern(ecmaPattern).matches(subject), for one-off use. */
bool ecmaPatternMatches(const QString &ecmaPattern, const QString &subject);

} // namespace Pm::Fspiop::Internal
