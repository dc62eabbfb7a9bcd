#pragma once

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

#include <optional>

namespace Pm::Cli {

/** Exit codes every subcommand uses. */
enum ExitCode : int {
    ExitOk = 0,          ///< done, or the check passed
    ExitCheckFailed = 1, ///< the check failed, the input is semantically bad (unknown currency…),
                         ///< or `run` failed at run time (port in use, store)
    ExitBadUsage = 2,    ///< bad usage, unreadable input (missing file, bad PEM, malformed JSON)
                         ///< or an invalid setting of `run`
};

/** Where a command writes. Tests pass string-backed streams; main() passes stdout/stderr. */
struct Io
{
    QTextStream &out;
    QTextStream &err;
};

/**
 * Runs pm-connector with `args` (without the program name) and returns the exit code.
 * Every failure is reported as one line on `io.err`, prefixed with "pm-connector: ".
 */
int run(const QStringList &args, Io io);

// Subcommand groups; `args` start with the group's own name (e.g. {"jws", "sign", ...}).
int runJws(const QStringList &args, Io io);
int runIlp(const QStringList &args, Io io);
/** pm-connector run; `args` are the options after "run". */
int runConnector(const QStringList &args, Io io);

/**
 * Parses `args` with `parser`. Returns an exit code when the command must stop here: ExitOk after
 * printing --help, ExitBadUsage after printing the parser's error as one line. Returns nullopt
 * when the command should go on.
 */
std::optional<int> parseArguments(QCommandLineParser &parser, const QStringList &args, Io io,
                                  const QString &commandName);

/** Reports one error line ("pm-connector: <message>") and returns `code`. */
int failWith(Io io, int code, const QString &message);

/** Reads a whole file; on failure writes one line naming the file and returns nullopt. */
std::optional<QByteArray> readInputFile(Io io, const QString &path, const QString &what);

} // namespace Pm::Cli
