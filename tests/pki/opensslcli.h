#pragma once

// Test helper: runs the `openssl` command line tool, the independent implementation our PKI is
// cross-checked against.

#include "core/base/result.h"

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace Pm::Test {

struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool ok() const { return exitCode == 0; }
    /** stdout and stderr, for failure messages. */
    QByteArray all() const { return out + err; }
};

inline CliResult runProgram(const QString &program, const QStringList &args,
    const QString &workingDirectory = {}, const QByteArray &input = {})
{
    QProcess process;
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    process.start(program, args);
    CliResult result;
    if (!process.waitForStarted(60000)) {
        result.err = "cannot start " + program.toUtf8();
        return result;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    // Generous: key generation under a loaded 2-core machine.
    process.waitForFinished(240000);
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

inline CliResult openssl(
    const QStringList &args, const QString &workingDirectory = {}, const QByteArray &input = {})
{
    return runProgram(QStringLiteral("openssl"), args, workingDirectory, input);
}

inline bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

inline QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace Pm::Test

namespace Pm::Test {
/** The error of a Result as one line, or "" when it holds a value (QVERIFY2 evaluates eagerly). */
template<class R> QString errorOf(const R &result)
{
    return result ? QString() : Pm::toOneLine(result.error());
}
} // namespace Pm::Test
