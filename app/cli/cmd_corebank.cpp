// pm-connector corebank: the simulated core bank (docs/corebank.md), headless, until SIGINT or
// SIGTERM.

#include "app/cli/cli.h"
#include "core/corebank/corebank.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>
#include <atomic>
#include <csignal>

using namespace Qt::StringLiterals;

namespace Pm::Cli {

namespace {

std::atomic<int> g_bankSignal { 0 };

extern "C" void onBankStopSignal(int signal)
{
    g_bankSignal.store(signal);
}

} // namespace

int runCoreBank(const QStringList &args, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Run the simulated core bank on 127.0.0.1 until SIGINT or SIGTERM; it is reached through "
        u"a "
        u"core connector template (resources/templates/corebank.yaml)."_s);
    const QCommandLineOption dataDir(
        u"data-dir"_s, u"Keep the ledger (corebank.sqlite) in DIR."_s, u"DIR"_s);
    const QCommandLineOption port(
        u"port"_s, u"Listen on PORT (default: a free port)."_s, u"PORT"_s, u"0"_s);
    const QCommandLineOption seed(u"seed"_s,
        u"Seed a new ledger from FILE (JSON; default: the demo customers)."_s, u"FILE"_s);
    parser.addOption(dataDir);
    parser.addOption(port);
    parser.addOption(seed);
    if (auto done = parseArguments(parser, args, io, u"corebank"_s))
        return *done;
    if (!parser.isSet(dataDir))
        return failWith(io, ExitBadUsage, u"corebank: --data-dir DIR is required"_s);
    bool ok = false;
    const quint16 p = quint16(parser.value(port).toUShort(&ok));
    if (!ok)
        return failWith(
            io, ExitBadUsage, u"corebank: --port: '%1' is not a port"_s.arg(parser.value(port)));
    CoreBank::CoreBankOptions options;
    options.dataDir = parser.value(dataDir);
    options.port = p;
    if (parser.isSet(seed)) {
        auto bytes = readInputFile(io, parser.value(seed), u"seed"_s);
        if (!bytes)
            return ExitBadUsage;
        options.seedJson = *bytes;
    }
    CoreBank::CoreBank bank;
    auto listening = bank.start(options);
    if (!listening)
        return failWith(io, ExitCheckFailed, listening.error().message);
    io.out << u"corebank "_s << bank.baseUrl() << u'\n';
    io.out.flush();

    g_bankSignal.store(0);
    std::signal(SIGINT, onBankStopSignal);
    std::signal(SIGTERM, onBankStopSignal);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &poll, [] {
        if (g_bankSignal.load() != 0)
            QCoreApplication::quit();
    });
    poll.start(100);
    QCoreApplication::exec();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    bank.stop();
    io.err << u"pm-connector: corebank stopped\n"_s;
    io.err.flush();
    return ExitOk;
}

} // namespace Pm::Cli
