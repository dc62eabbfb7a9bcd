// pm-connector run: the Mojaloop Connector, headless, until SIGINT or SIGTERM.

#include "app/cli/cli.h"

#include "core/connector/config.h"
#include "core/connector/connector.h"
#include "core/coreconnector/coreconnector.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QTimer>

#include <atomic>
#include <memory>
#include <csignal>

using namespace Qt::StringLiterals;

namespace Pm::Cli {

namespace {

std::atomic<int> g_signal{0};

extern "C" void onStopSignal(int signal)
{
    g_signal.store(signal);
}

} // namespace

int runConnector(const QStringList &args, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Run the Mojaloop Connector: the inbound FSPIOP server, the outbound API for the core "
        u"connector and the metrics listener, until SIGINT or SIGTERM. Settings come from the "
        u"environment (the reference SDK's names), over an optional KEY=VALUE file."_s);
    const QCommandLineOption configOption(u"config"_s, u"Read settings from FILE (the environment wins)."_s, u"FILE"_s);
    const QCommandLineOption dataDirOption(u"data-dir"_s, u"Keep the store in DIR."_s, u"DIR"_s);
    parser.addOption(configOption);
    parser.addOption(dataDirOption);
    if (auto done = parseArguments(parser, args, io, u"run"_s))
        return *done;
    if (!parser.positionalArguments().isEmpty())
        return failWith(io, ExitBadUsage, u"run: unexpected argument '%1'"_s.arg(parser.positionalArguments().at(0)));

    std::optional<QString> configFile;
    if (parser.isSet(configOption))
        configFile = parser.value(configOption);
    auto config = Connector::loadConfig(QProcessEnvironment::systemEnvironment(), configFile);
    if (!config)
        return failWith(io, ExitBadUsage, config.error().message);
    for (const QString &warning : config->warnings)
        io.err << u"pm-connector: warning: "_s << warning << u'\n';
    io.err.flush();
    std::optional<QString> dataDirArg;
    if (parser.isSet(dataDirOption))
        dataDirArg = parser.value(dataDirOption);
    auto dataDir = Connector::resolveDataDir(dataDirArg, *config);
    if (!dataDir)
        return failWith(io, ExitBadUsage, dataDir.error().message);

    // CORE_CONNECTOR_TEMPLATE: the embedded core connector serves the backend API (it stands in
    // for BACKEND_ENDPOINT) and /sendmoney on a port of its own, on this thread's event loop.
    std::unique_ptr<CoreConnector::CoreConnector> coreConnector;
    if (!config->coreConnectorTemplate.isEmpty()) {
        auto tmpl = CoreConnector::loadTemplate(config->coreConnectorTemplate);
        if (!tmpl)
            return failWith(
                io, ExitBadUsage, u"CORE_CONNECTOR_TEMPLATE: "_s + tmpl.error().message);
        CoreConnector::CoreConnectorOptions options;
        options.tmpl = *tmpl;
        // CORE_CONNECTOR_CONFIG_<key> overrides the template's config.<key>.
        const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QString prefix = u"CORE_CONNECTOR_CONFIG_"_s;
        for (const QString &name : env.keys()) {
            if (name.startsWith(prefix))
                options.config[name.mid(prefix.size()).toStdString()]
                    = env.value(name).toStdString();
        }
        bool portOk = true;
        const QString sendMoneyPort = env.value(u"CORE_CONNECTOR_SENDMONEY_PORT"_s, u"0"_s);
        options.sendMoneyPort = quint16(sendMoneyPort.toUShort(&portOk));
        if (!portOk)
            return failWith(io, ExitBadUsage,
                u"CORE_CONNECTOR_SENDMONEY_PORT: '%1' is not a port"_s.arg(sendMoneyPort));
        coreConnector = std::make_unique<CoreConnector::CoreConnector>();
        if (auto started = coreConnector->start(options); !started)
            return failWith(io, ExitBadUsage, started.error().message);
        config->backendUrl = QUrl(u"http://"_s + coreConnector->backendEndpoint());
    }

    Connector::Connector connector(*config, *dataDir);
    auto ports = connector.start();
    if (!ports)
        return failWith(io,
                        ports.error().code == Connector::InvalidSettingError ? ExitBadUsage
                                                                             : ExitCheckFailed,
                        ports.error().message);
    const QString host = config->listenAddress.toString();
    io.out << u"inbound %1:%2\n"_s.arg(host).arg(ports->inbound)
           << u"outbound %1:%2\n"_s.arg(host).arg(ports->outbound)
           << u"metrics %1:%2\n"_s.arg(host).arg(ports->metrics);
    if (coreConnector) {
        coreConnector->setOutboundUrl(QUrl(u"http://127.0.0.1:%1"_s.arg(ports->outbound)));
        io.out << u"backend %1\n"_s.arg(coreConnector->backendEndpoint())
               << u"sendmoney 127.0.0.1:%1\n"_s.arg(coreConnector->sendMoneyPort());
    }
    io.out.flush();

    g_signal.store(0);
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
    // The handler only sets a flag; the main loop looks at it (nothing unsafe runs in the handler).
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &poll, [] {
        if (g_signal.load() != 0)
            QCoreApplication::quit();
    });
    poll.start(100);
    QCoreApplication::exec();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    connector.stop();
    coreConnector.reset();
    io.err << u"pm-connector: stopped\n"_s;
    io.err.flush();
    return ExitOk;
}

} // namespace Pm::Cli
