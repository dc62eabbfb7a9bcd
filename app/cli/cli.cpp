#include "app/cli/cli.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace Pm::Cli {

int runPki(const QStringList &args, Io io); // cmd_pki.cpp
int runHub(const QStringList &args, Io io); // cmd_hub.cpp
int runSandbox(const QStringList &args, Io io); // cmd_sandbox.cpp
int runTemplate(const QStringList &args, Io io); // cmd_template.cpp
int runCoreBank(const QStringList &args, Io io); // cmd_corebank.cpp

namespace {

void printUsage(Io io)
{
    io.out << u"Usage: pm-connector <command> [options]\n"
              u"\n"
              u"Payment Manager's headless connector and administrator tools.\n"
              u"\n"
              u"Commands:\n"
              u"  jws sign       Sign an FSPIOP request and print the headers to send\n"
              u"  jws verify     Verify an FSPIOP request's signature\n"
              u"  ilp build      Build an ILP packet, condition and fulfilment as a payee would\n"
              u"  ilp decode     Decode an ILP packet and its transaction object\n"
              u"  ilp check      Check a fulfilment against a condition\n"
              u"  run            Run the Mojaloop Connector until SIGINT or SIGTERM\n"
              u"  pki            Keys, CSRs, the DFSP CA, certificates, validation rules\n"
              u"  hub            Run the hub simulator (a Mojaloop switch on 127.0.0.1)\n"
              u"  sandbox        Run the Sandbox (hub simulator, simulated DFSPs, traffic) headless\n"
              u"  template       Check a core connector template; test it against recorded fixtures\n"
              u"  corebank       Run the simulated core bank (reached through a template)\n"
              u"\n"
              u"Run 'pm-connector <command> --help' for a command's options.\n"_s;
    io.out.flush();
}

} // namespace

int failWith(Io io, int code, const QString &message)
{
    io.err << u"pm-connector: "_s << message << u'\n';
    io.err.flush();
    return code;
}

std::optional<int> parseArguments(QCommandLineParser &parser, const QStringList &args, Io io,
                                  const QString &commandName)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    parser.addOption(help);
    QStringList argv = args;
    argv.prepend(u"pm-connector "_s + commandName);
    if (!parser.parse(argv)) {
        QString why = parser.errorText();
        const QStringList unknown = parser.unknownOptionNames();
        if (!unknown.isEmpty()) {
            // Qt names the option without its dashes; name it as it was typed.
            QString typed = u"--"_s + unknown.first();
            for (const QString &arg : args) {
                const QString name = arg.section(u'=', 0, 0);
                if (name.startsWith(u'-') && name.mid(name.startsWith(u"--"_s) ? 2 : 1) == unknown.first()) {
                    typed = name;
                    break;
                }
            }
            why = u"Unknown option '%1' (see --help)"_s.arg(typed);
        } else if (why.endsWith(u'.')) {
            why.chop(1);
        }
        return failWith(io, ExitBadUsage, commandName + u": "_s + why);
    }
    if (parser.isSet(help)) {
        // helpText() names the running binary (a test's, when run in process): name ours instead.
        QString text = parser.helpText();
        const qsizetype lineEnd = text.indexOf(u'\n');
        const QString firstLine = text.left(lineEnd);
        const qsizetype options = firstLine.indexOf(u" [options]"_s);
        if (firstLine.startsWith(u"Usage: "_s) && options > 0)
            text.replace(0, options, u"Usage: pm-connector "_s + commandName);
        io.out << text;
        io.out.flush();
        return ExitOk;
    }
    return std::nullopt;
}

std::optional<QByteArray> readInputFile(Io io, const QString &path, const QString &what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        failWith(io, ExitBadUsage,
                 u"cannot read %1 '%2': %3"_s.arg(what, path, file.errorString()));
        return std::nullopt;
    }
    return file.readAll();
}

int run(const QStringList &args, Io io)
{
    if (args.isEmpty() || args.first() == u"--help"_s || args.first() == u"-h"_s
        || args.first() == u"help"_s) {
        printUsage(io);
        return args.isEmpty() ? ExitBadUsage : ExitOk;
    }
    if (args.first() == u"--version"_s) {
        io.out << u"pm-connector " PM_VERSION "\n"_s;
        return ExitOk;
    }
    const QString &group = args.first();
    if (group == u"jws"_s)
        return runJws(args, io);
    if (group == u"ilp"_s)
        return runIlp(args, io);
    if (group == u"run"_s)
        return runConnector(args.mid(1), io);
    if (group == u"pki"_s)
        return runPki(args, io);
    if (group == u"hub"_s)
        return runHub(args.mid(1), io);
    if (group == u"sandbox"_s)
        return runSandbox(args.mid(1), io);
    if (group == u"template"_s)
        return runTemplate(args, io);
    if (group == u"corebank"_s)
        return runCoreBank(args.mid(1), io);
    return failWith(io, ExitBadUsage,
                    u"unknown command '%1' (run 'pm-connector --help' for the list)"_s.arg(group));
}

} // namespace Pm::Cli
