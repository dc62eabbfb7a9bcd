// pm-connector template check|test: validate a core connector template, and run its operations
// against recorded core-system exchanges (docs/coreconnector.md).

#include "app/cli/cli.h"
#include "core/coreconnector/fixtures.h"
#include "core/coreconnector/template.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

using namespace Qt::StringLiterals;

namespace Pm::Cli {

namespace {

void printTemplateUsage(Io io)
{
    io.out
        << u"Usage: pm-connector template <check|test> FILE [options]\n"
           u"\n"
           u"  check FILE                   Validate a core connector template (YAML, schema, "
           u"placeholders, Jsonnet)\n"
           u"  test FILE --fixtures DIR     Run the template's operations against the recorded "
           u"exchanges of\n"
           u"                               DIR/*.case.json, with a stand-in core system on 127.0.0.1\n"_s;
    io.out.flush();
}

QString summary(const CoreConnector::Template &t)
{
    return u"template '%1': %2 operations (%3), %4 error rows"_s.arg(t.name)
        .arg(t.operations.size())
        .arg(t.operations.keys().join(u", "_s))
        .arg(t.errors.size());
}

int check(const QStringList &args, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Validate a core connector template."_s);
    parser.addPositionalArgument(u"FILE"_s, u"The template (YAML)."_s);
    if (auto stop = parseArguments(parser, args, io, u"template check"_s))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return failWith(io, ExitBadUsage, u"template check: give exactly one FILE"_s);
    auto t = CoreConnector::loadTemplate(parser.positionalArguments().first());
    if (!t)
        return failWith(io, ExitCheckFailed, t.error().message);
    io.out << parser.positionalArguments().first() << u": ok, "_s << summary(*t) << u'\n';
    io.out.flush();
    return ExitOk;
}

int test(const QStringList &args, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Run a core connector template against recorded fixtures."_s);
    parser.addPositionalArgument(u"FILE"_s, u"The template (YAML)."_s);
    const QCommandLineOption fixtures(
        u"fixtures"_s, u"Directory of *.case.json files and recordings."_s, u"DIR"_s);
    parser.addOption(fixtures);
    if (auto stop = parseArguments(parser, args, io, u"template test"_s))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return failWith(io, ExitBadUsage, u"template test: give exactly one FILE"_s);
    if (!parser.isSet(fixtures))
        return failWith(io, ExitBadUsage, u"template test: --fixtures DIR is required"_s);
    auto t = CoreConnector::loadTemplate(parser.positionalArguments().first());
    if (!t)
        return failWith(io, ExitCheckFailed, t.error().message);
    auto results = CoreConnector::runFixtureCases(*t, parser.value(fixtures));
    if (!results)
        return failWith(io, ExitBadUsage, u"template test: "_s + results.error().message);
    int failed = 0;
    for (const auto &r : *results) {
        if (r.passed) {
            io.out << u"PASS "_s << r.name << u" ("_s << r.status << u")\n"_s;
        } else {
            ++failed;
            io.out << u"FAIL "_s << r.name << u": "_s << r.problem << u'\n';
        }
    }
    io.out << u"%1 passed, %2 failed\n"_s.arg(results->size() - failed).arg(failed);
    io.out.flush();
    return failed == 0 ? ExitOk : ExitCheckFailed;
}

} // namespace

int runTemplate(const QStringList &args, Io io)
{
    const QString sub = args.value(1);
    if (sub.isEmpty() || sub == u"--help"_s || sub == u"-h"_s) {
        printTemplateUsage(io);
        return sub.isEmpty() ? ExitBadUsage : ExitOk;
    }
    if (sub == u"check"_s)
        return check(args.mid(2), io);
    if (sub == u"test"_s)
        return test(args.mid(2), io);
    return failWith(io, ExitBadUsage, u"template: unknown command '%1' (check, test)"_s.arg(sub));
}

} // namespace Pm::Cli
