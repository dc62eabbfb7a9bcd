// pm-connector sandbox: the Sandbox (hub simulator, our DFSP and two simulated peers, traffic)
// without a GUI, with a live summary; --transfers N makes it a check.

#include "app/cli/cli.h"
#include "core/services/servicehost.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QHash>
#include <QTimer>
#include <atomic>
#include <csignal>

using namespace Qt::StringLiterals;

namespace Pm::Cli {

int runSandbox(const QStringList &args, Io io);

namespace {

std::atomic<int> g_sandboxSignal { 0 };

extern "C" void onSandboxStopSignal(int signal)
{
    g_sandboxSignal.store(signal);
}

QString summaryLine(const Services::TransferCounters &c)
{
    return u"transfers ok %1 failed %2 unexpected %3 in-flight %4 rate %5/s"_s.arg(c.ok)
        .arg(c.failed)
        .arg(c.unexpected)
        .arg(c.started - c.finished)
        .arg(c.ratePerSecond, 0, 'f', 1);
}

} // namespace

int runSandbox(const QStringList &args, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Runs the Sandbox without a GUI: a Mojaloop hub simulator, our DFSP and two simulated "
        u"peer "
        "DFSPs (each a connector with its own JWS key, core connector and simulated core bank) and "
        "a "
        "traffic generator, all on 127.0.0.1. Prints each listener as 'NAME 127.0.0.1:PORT', then "
        "a "
        "summary line every second, until SIGINT or SIGTERM, or until --transfers transfers have "
        "finished (exit 0 only if each reached the state its scenario expects)."_s);
    const QCommandLineOption rateOption(
        u"rate"_s, u"Generated transfers per second (default 2; 0: none)."_s, u"R"_s, u"2"_s);
    const QCommandLineOption transfersOption(
        u"transfers"_s, u"Stop after N finished transfers and check them."_s, u"N"_s);
    const QCommandLineOption dataDirOption(u"data-dir"_s,
        u"The Sandbox's files; emptied at start (default: the application "
        "data folder's sandbox/)."_s,
        u"DIR"_s);
    const QCommandLineOption portOption(u"port"_s,
        u"A fixed port for a listener, e.g. --port hub=15000 (repeatable)."_s, u"NAME=PORT"_s);
    const QCommandLineOption inFlightOption(u"max-in-flight"_s,
        u"Generated transfers in flight at most (default 8)."_s, u"N"_s, u"8"_s);
    const QCommandLineOption seedOption(
        u"seed"_s, u"Seed of the scenario sequence (default 1)."_s, u"N"_s, u"1"_s);
    const QCommandLineOption quietOption(
        u"quiet"_s, u"No summary line every second (the final one is printed)."_s);
    parser.addOptions({ rateOption, transfersOption, dataDirOption, portOption, inFlightOption,
        seedOption, quietOption });
    if (auto stop = parseArguments(parser, args, io, u"sandbox"_s))
        return *stop;
    if (!parser.positionalArguments().isEmpty())
        return failWith(io, ExitBadUsage,
            u"sandbox: unexpected argument '%1' (see --help)"_s.arg(
                parser.positionalArguments().first()));

    Services::SandboxOptions options;
    bool ok = false;
    options.rate = parser.value(rateOption).toDouble(&ok);
    if (!ok || options.rate < 0 || options.rate > 10000)
        return failWith(io, ExitBadUsage,
            u"--rate: '%1' is not a number of transfers per second from 0 to 10000"_s.arg(
                parser.value(rateOption)));
    if (parser.isSet(transfersOption)) {
        options.transferLimit = parser.value(transfersOption).toLongLong(&ok);
        if (!ok || options.transferLimit < 1)
            return failWith(io, ExitBadUsage,
                u"--transfers: '%1' is not a whole number of at least 1"_s.arg(
                    parser.value(transfersOption)));
        if (options.rate == 0)
            return failWith(io, ExitBadUsage, u"--transfers needs a --rate above 0"_s);
    }
    options.maxInFlight = parser.value(inFlightOption).toInt(&ok);
    if (!ok || options.maxInFlight < 1 || options.maxInFlight > 1000)
        return failWith(io, ExitBadUsage,
            u"--max-in-flight: '%1' is not a whole number from 1 to 1000"_s.arg(
                parser.value(inFlightOption)));
    options.seed = parser.value(seedOption).toUInt(&ok);
    if (!ok)
        return failWith(io, ExitBadUsage,
            u"--seed: '%1' is not a whole number"_s.arg(parser.value(seedOption)));
    for (const QString &p : parser.values(portOption)) {
        const QString name = p.section(u'=', 0, 0).trimmed();
        const uint port = p.section(u'=', 1).toUInt(&ok);
        if (name.isEmpty() || !p.contains(u'=') || !ok || port == 0 || port > 65535)
            return failWith(io, ExitBadUsage,
                u"--port: '%1' is not NAME=PORT with a port from 1 to 65535"_s.arg(p));
        options.ports.insert(name, quint16(port));
    }
    if (parser.isSet(dataDirOption)) {
        options.dataDir = parser.value(dataDirOption);
        if (options.dataDir.isEmpty())
            return failWith(io, ExitBadUsage, u"--data-dir: empty"_s);
    }
    const bool quiet = parser.isSet(quietOption);

    Services::ServiceHost host;
    QEventLoop loop;
    int exitCode = ExitOk;
    QHash<QString, QPair<int, int>> byScenario; // scenario -> (finished, unexpected)
    QObject::connect(&host, &Services::ServiceHost::stateChanged, &loop,
        [&](Services::EnvironmentState state, const QString &detail) {
            if (state == Services::EnvironmentState::Running) {
                for (const Services::Listener &l : host.listeners())
                    io.out << l.toString() << u'\n';
                io.out.flush();
            } else if (state == Services::EnvironmentState::Failed) {
                exitCode = failWith(io, ExitCheckFailed, detail);
                loop.quit();
            }
        });
    QObject::connect(&host, &Services::ServiceHost::countersChanged, &loop,
        [&](const Services::TransferCounters &c) {
            if (!quiet && host.state() == Services::EnvironmentState::Running) {
                io.out << summaryLine(c) << u'\n';
                io.out.flush();
            }
        });
    QObject::connect(&host, &Services::ServiceHost::transferFinished, &loop,
        [&](const Services::TransferOutcome &o) {
            auto &entry = byScenario[Services::scenarioName(o.scenario)];
            ++entry.first;
            if (!o.expected) {
                ++entry.second;
                io.err
                    << u"pm-connector: sandbox: transfer %1 (%2, %3 -> %4, %5 USD) ended %6%7: %8\n"_s
                           .arg(o.sequence)
                           .arg(Services::scenarioName(o.scenario), o.payerFsp, o.payeeFsp,
                               o.amount, o.finalState,
                               o.errorCode.isEmpty() ? QString() : u" "_s + o.errorCode, o.detail);
                io.err.flush();
            }
        });
    QObject::connect(&host, &Services::ServiceHost::trafficFinished, &loop, [&](bool allExpected) {
        exitCode = allExpected ? ExitOk : ExitCheckFailed;
        loop.quit();
    });

    g_sandboxSignal.store(0);
    std::signal(SIGINT, onSandboxStopSignal);
    std::signal(SIGTERM, onSandboxStopSignal);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (g_sandboxSignal.load() != 0)
            loop.quit();
    });
    poll.start(100);
    host.startSandbox(options);
    loop.exec();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    const Services::TransferCounters c = host.counters();
    const bool failedToStart = host.state() == Services::EnvironmentState::Failed;
    host.stopAndWait();
    if (failedToStart)
        return exitCode;
    io.out << summaryLine(c) << u'\n';
    QStringList names = byScenario.keys();
    names.sort();
    for (const QString &name : names)
        io.out << u"  %1: %2 finished, %3 unexpected\n"_s.arg(name)
                      .arg(byScenario[name].first)
                      .arg(byScenario[name].second);
    io.out.flush();
    if (options.transferLimit > 0 && exitCode == ExitOk && c.finished < options.transferLimit)
        exitCode = failWith(io, ExitCheckFailed,
            u"sandbox: stopped after %1 of %2 transfers"_s.arg(c.finished)
                .arg(options.transferLimit));
    if (exitCode != ExitOk && c.unexpected > 0)
        failWith(io, exitCode,
            u"sandbox: %1 of %2 transfers did not reach the state their scenario expects"_s
                .arg(c.unexpected)
                .arg(c.finished));
    io.err << u"pm-connector: stopped\n"_s;
    io.err.flush();
    return exitCode;
}

} // namespace Pm::Cli
