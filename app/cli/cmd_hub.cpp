// pm-connector hub: the hub simulator (a Mojaloop switch on loopback), headless, until SIGINT or
// SIGTERM.

#include "app/cli/cli.h"
#include "core/hub/hub.h"
#include "core/hub/hubconfig.h"

#include <QCoreApplication>
#include <QFile>
#include <QTimer>
#include <atomic>
#include <csignal>

using namespace Qt::StringLiterals;

namespace Pm::Cli {

namespace {

std::atomic<int> g_hubSignal { 0 };

extern "C" void onHubStopSignal(int signal)
{
    g_hubSignal.store(signal);
}

} // namespace

int runHub(const QStringList &args, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Run the hub simulator: a Mojaloop switch on 127.0.0.1 with a participant registry, an "
        u"oracle, quote and transfer routing, positions against net debit caps and expiry, until "
        u"SIGINT or SIGTERM. Prints 'hub 127.0.0.1:PORT' once it listens. The configuration file "
        u"format is in docs/hub.md."_s);
    const QCommandLineOption configOption(
        u"config"_s, u"Read the hub configuration (JSON) from FILE."_s, u"FILE"_s);
    const QCommandLineOption portOption(
        u"port"_s, u"Listen on PORT (0: a free port; overrides the file)."_s, u"PORT"_s);
    const QCommandLineOption keyOutOption(u"public-key-out"_s,
        u"Write the hub's JWS public key (PEM) to FILE once started."_s, u"FILE"_s);
    parser.addOption(configOption);
    parser.addOption(portOption);
    parser.addOption(keyOutOption);
    if (auto done = parseArguments(parser, args, io, u"hub"_s))
        return *done;
    if (!parser.positionalArguments().isEmpty())
        return failWith(io, ExitBadUsage,
            u"hub: unexpected argument '%1'"_s.arg(parser.positionalArguments().at(0)));

    Hub::HubConfig config;
    if (parser.isSet(configOption)) {
        auto loaded = Hub::loadHubConfig(parser.value(configOption));
        if (!loaded)
            return failWith(io, ExitBadUsage, loaded.error().message);
        config = std::move(*loaded);
    }
    if (parser.isSet(portOption)) {
        bool ok = false;
        const uint port = parser.value(portOption).toUInt(&ok);
        if (!ok || port > 65535)
            return failWith(io, ExitBadUsage,
                u"--port: '%1' is not a port number from 0 to 65535"_s.arg(
                    parser.value(portOption)));
        config.port = quint16(port);
    }

    Hub::Hub hub(config);
    auto port = hub.start();
    if (!port)
        return failWith(io, ExitCheckFailed, port.error().message);
    if (parser.isSet(keyOutOption)) {
        QFile out(parser.value(keyOutOption));
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)
            || out.write(hub.publicKeyPem()) < 0) {
            hub.stop();
            return failWith(io, ExitBadUsage,
                u"--public-key-out: cannot write '%1': %2"_s.arg(
                    out.fileName(), out.errorString()));
        }
    }
    io.out << u"hub %1:%2\n"_s.arg(config.address.toString()).arg(*port);
    io.out.flush();

    g_hubSignal.store(0);
    std::signal(SIGINT, onHubStopSignal);
    std::signal(SIGTERM, onHubStopSignal);
    // The handler only sets a flag; the main loop looks at it.
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &poll, [] {
        if (g_hubSignal.load() != 0)
            QCoreApplication::quit();
    });
    poll.start(100);
    QCoreApplication::exec();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    const Hub::HubCounters counters = hub.counters();
    hub.stop();
    io.err << u"pm-connector: hub stopped (%1 requests, %2 refused, %3 error callbacks)\n"_s
                  .arg(counters.requestsReceived)
                  .arg(counters.requestsRefused)
                  .arg(counters.errorCallbacks);
    io.err.flush();
    return ExitOk;
}

} // namespace Pm::Cli
