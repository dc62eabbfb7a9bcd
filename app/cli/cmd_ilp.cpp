// pm-connector ilp build|decode|check: ILP packets, conditions and fulfilments from the command line.

#include "app/cli/cli.h"

#include "core/fspiop/amount.h"
#include "core/fspiop/ilp.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;

namespace Pm::Cli {

namespace {

using Json = nlohmann::ordered_json;
namespace Ilp = Pm::Fspiop::Ilp;

void printIlpUsage(Io io)
{
    io.out << u"Usage: pm-connector ilp <build|decode|check> [options]\n"
              u"\n"
              u"  build   Build the ILP packet, condition and fulfilment a payee sends for a quote\n"
              u"  decode  Decode an ILP packet (v1 or v4) and the transaction object it carries\n"
              u"  check   Check a fulfilment against a condition\n"
              u"\n"
              u"Run 'pm-connector ilp <command> --help' for a command's options.\n"_s;
    io.out.flush();
}

QString fromStd(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

void printJson(Io io, const Json &value)
{
    io.out << fromStd(value.dump(2, ' ', false, Json::error_handler_t::replace)) << u'\n';
    io.out.flush();
}

/** Parses a JSON input file; on failure writes one line and returns nullopt. */
std::optional<Json> readJsonFile(Io io, const QString &command, const QString &path,
                                 const QString &what)
{
    const std::optional<QByteArray> bytes = readInputFile(io, path, what);
    if (!bytes)
        return std::nullopt;
    // Our own message: where the text stops being JSON (line and column), not the library's text.
    std::optional<std::size_t> errorByte;
    std::optional<Json> parsed;
    try {
        parsed = Json::parse(bytes->constBegin(), bytes->constEnd());
    } catch (const nlohmann::json::parse_error &e) {
        errorByte = e.byte;
    } catch (const nlohmann::json::exception &) {
        errorByte.reset();
    } catch (const std::bad_alloc &) {
        errorByte.reset();
    }
    if (parsed)
        return parsed;
    QString where;
    if (errorByte && *errorByte > 0) {
        // nlohmann counts bytes from 1, the failing one included.
        const qsizetype end = std::min<qsizetype>(qsizetype(*errorByte) - 1, bytes->size());
        const QByteArray before = bytes->left(end);
        const qsizetype line = before.count('\n') + 1;
        const qsizetype lastNewline = before.lastIndexOf('\n');
        const qsizetype column = QString::fromUtf8(before.mid(lastNewline + 1)).size() + 1;
        where = end >= bytes->size() ? u" (it ends too early, line %1)"_s.arg(line)
                                     : u" (line %1, column %2)"_s.arg(line).arg(column);
    }
    failWith(io, ExitBadUsage, u"%1: %2 '%3' is not valid JSON%4"_s.arg(command, what, path, where));
    return std::nullopt;
}

/**
 * If `message` quotes an amount that is a valid decimal in a non-canonical form ('100.50'),
 * the canonical form to suggest ("100.5"); else empty.
 */
QString canonicalAmountHint(const QString &message)
{
    const qsizetype open = message.indexOf(u'\'');
    const qsizetype close = open < 0 ? -1 : message.indexOf(u'\'', open + 1);
    if (close < 0)
        return {};
    const QString quoted = message.mid(open + 1, close - open - 1);
    if (Fspiop::Amount::parse(quoted, u"amount"))
        return {};
    const auto canonical = Fspiop::Amount::normalise(quoted, u"amount");
    if (!canonical || *canonical == quoted)
        return {};
    return *canonical;
}

int runBuild(const QStringList &args, Io io)
{
    const QString command = u"ilp build"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Builds the ILP packet, condition and fulfilment for a quote as the payee does, and prints "
        u"them with the transaction object as JSON. The amount, expiration and note come from the "
        u"quote response (transferAmount); quoteId, transactionId, transactionType, payee and "
        u"payer from the quote request."_s);
    const QCommandLineOption versionOption(u"version"_s, u"ILP version: 1 or 4."_s, u"1|4"_s);
    const QCommandLineOption secretOption(u"secret"_s, u"The scheme's ILP secret."_s, u"SECRET"_s);
    const QCommandLineOption secretFileOption(
        u"secret-file"_s, u"Read the ILP secret from FILE (one trailing newline is dropped)."_s,
        u"FILE"_s);
    const QCommandLineOption requestOption(u"quote-request"_s,
                                           u"The FSPIOP POST /quotes body (JSON)."_s, u"FILE"_s);
    const QCommandLineOption responseOption(u"quote-response"_s,
                                            u"The FSPIOP PUT /quotes/{ID} body (JSON)."_s,
                                            u"FILE"_s);
    parser.addOptions({versionOption, secretOption, secretFileOption, requestOption, responseOption});
    if (const auto stop = parseArguments(parser, args, io, command))
        return *stop;
    if (!parser.positionalArguments().isEmpty())
        return failWith(io, ExitBadUsage, u"%1: unexpected argument '%2'"_s.arg(
                                              command, parser.positionalArguments().first()));
    for (const QCommandLineOption *required : {&versionOption, &requestOption, &responseOption}) {
        if (!parser.isSet(*required))
            return failWith(io, ExitBadUsage,
                            u"%1: --%2 is required"_s.arg(command, required->names().first()));
    }
    if (parser.isSet(secretOption) == parser.isSet(secretFileOption))
        return failWith(io, ExitBadUsage,
                        u"%1: give exactly one of --secret and --secret-file"_s.arg(command));

    const std::optional<Ilp::Version> version = Ilp::versionFromString(parser.value(versionOption));
    if (!version)
        return failWith(io, ExitBadUsage, u"%1: --version must be 1 or 4, not '%2'"_s.arg(
                                              command, parser.value(versionOption)));

    QString secret;
    if (parser.isSet(secretFileOption)) {
        const std::optional<QByteArray> bytes = readInputFile(io, parser.value(secretFileOption),
                                                              u"secret file"_s);
        if (!bytes)
            return ExitBadUsage;
        QByteArray text = *bytes;
        if (text.endsWith('\n'))
            text.chop(1);
        if (text.endsWith('\r'))
            text.chop(1);
        secret = QString::fromUtf8(text);
    } else {
        secret = parser.value(secretOption);
    }
    if (secret.isEmpty()) {
        return failWith(io, ExitBadUsage,
                        u"%1: the ILP secret is empty (%2)"_s.arg(
                            command, parser.isSet(secretFileOption)
                                         ? u"secret file '%1'"_s.arg(parser.value(secretFileOption))
                                         : u"--secret"_s));
    }

    const auto request = readJsonFile(io, command, parser.value(requestOption), u"quote request"_s);
    if (!request)
        return ExitBadUsage;
    const auto response = readJsonFile(io, command, parser.value(responseOption),
                                       u"quote response"_s);
    if (!response)
        return ExitBadUsage;

    const auto built = Ilp::buildForQuote(*version, secret, *request, *response);
    if (!built) {
        QString message = toOneLine(built.error());
        if (const QString hint = canonicalAmountHint(message); !hint.isEmpty())
            message += u" (write it as '%1')"_s.arg(hint);
        return failWith(io, ExitCheckFailed, command + u": "_s + message);
    }

    Json out = Json::object();
    out["ilpPacket"] = built->ilpPacket;
    out["condition"] = built->condition;
    out["fulfilment"] = built->fulfilment;
    try {
        out["transactionObject"] = Json::parse(built->transactionObject);
    } catch (const nlohmann::json::exception &e) { // not expected: we serialised it ourselves
        return failWith(io, ExitCheckFailed, u"%1: internal error re-reading the transaction "
                                             u"object: %2"_s.arg(command, QString::fromUtf8(e.what())));
    }
    printJson(io, out);
    return ExitOk;
}

int runDecode(const QStringList &args, Io io)
{
    const QString command = u"ilp decode"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Decodes an ILP packet (v1 payment or v4 prepare, base64url) and prints its fields and "
        u"the transaction object it carries as JSON. Amounts are in minor units."_s);
    parser.addPositionalArgument(u"PACKET"_s, u"The ilpPacket value (base64url)."_s);
    if (const auto stop = parseArguments(parser, args, io, command))
        return *stop;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return failWith(io, ExitBadUsage, u"%1: give exactly one PACKET"_s.arg(command));

    const QByteArray text = positional.first().trimmed().toUtf8();
    const auto decoded = Ilp::decode(std::string_view(text.constData(),
                                                      static_cast<std::size_t>(text.size())));
    if (!decoded)
        return failWith(io, ExitBadUsage, command + u": "_s + toOneLine(decoded.error()));

    const Ilp::Packet &p = decoded->packet;
    Json out = Json::object();
    out["version"] = static_cast<int>(p.version);
    out["type"] = p.version == Ilp::Version::V1 ? "ILP payment" : "ILP prepare";
    out["amount"] = std::to_string(p.amount); // a string: uint64 exceeds JSON-safe integers
    if (p.version == Ilp::Version::V1) {
        out["account"] = p.account;
    } else {
        out["expiresAt"] = p.expiresAt;
        const QByteArray condition = QByteArray(reinterpret_cast<const char *>(
                                                    p.executionCondition.data()),
                                                static_cast<qsizetype>(p.executionCondition.size()))
                                         .toBase64(QByteArray::Base64UrlEncoding
                                                   | QByteArray::OmitTrailingEquals);
        out["executionCondition"] = condition.toStdString();
        out["destination"] = p.destination;
    }
    out["data"] = p.data;
    out["transactionObject"] = decoded->transactionObject;
    printJson(io, out);
    return ExitOk;
}

int runCheck(const QStringList &args, Io io)
{
    const QString command = u"ilp check"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Checks that a fulfilment (32 bytes, base64url) hashes to a condition: "
        u"base64url(SHA-256(fulfilment)) == condition. Prints 'match' and exits 0, or exits 1."_s);
    const QCommandLineOption fulfilmentOption(u"fulfilment"_s, u"The fulfilment (base64url)."_s,
                                              u"F"_s);
    const QCommandLineOption conditionOption(u"condition"_s, u"The condition (base64url)."_s,
                                             u"C"_s);
    parser.addOptions({fulfilmentOption, conditionOption});
    if (const auto stop = parseArguments(parser, args, io, command))
        return *stop;
    if (!parser.positionalArguments().isEmpty())
        return failWith(io, ExitBadUsage, u"%1: unexpected argument '%2'"_s.arg(
                                              command, parser.positionalArguments().first()));
    for (const QCommandLineOption *required : {&fulfilmentOption, &conditionOption}) {
        if (!parser.isSet(*required))
            return failWith(io, ExitBadUsage,
                            u"%1: --%2 is required"_s.arg(command, required->names().first()));
    }
    const QByteArray fulfilment = parser.value(fulfilmentOption).trimmed().toUtf8();
    const QByteArray condition = parser.value(conditionOption).trimmed().toUtf8();
    const auto conditionBytes = QByteArray::fromBase64Encoding(
        condition, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!conditionBytes || condition.isEmpty())
        return failWith(io, ExitBadUsage, u"%1: --condition is not base64url"_s.arg(command));
    if (condition.contains('=') || conditionBytes.decoded.size() != 32) {
        return failWith(io, ExitBadUsage,
                        u"%1: --condition must be 32 bytes base64url without padding, got %2 "
                        u"bytes%3"_s.arg(command)
                            .arg(conditionBytes.decoded.size())
                            .arg(condition.contains('=') ? u" with '=' padding"_s : QString()));
    }

    const std::string_view fulfilmentView(fulfilment.constData(),
                                          static_cast<std::size_t>(fulfilment.size()));
    const auto computed = Ilp::conditionFromFulfilment(fulfilmentView);
    if (!computed) {
        const int code = computed.error().code == 3101 ? ExitBadUsage : ExitCheckFailed;
        return failWith(io, code, command + u": "_s + toOneLine(computed.error()));
    }
    if (!Ilp::checkFulfilment(fulfilmentView,
                              std::string_view(condition.constData(),
                                               static_cast<std::size_t>(condition.size()))))
        return failWith(io, ExitCheckFailed,
                        u"%1: the fulfilment does not match the condition (it hashes to %2)"_s.arg(
                            command, fromStd(*computed)));
    io.out << u"match\n"_s;
    io.out.flush();
    return ExitOk;
}

} // namespace

int runIlp(const QStringList &args, Io io)
{
    // args = {"ilp", <subcommand>, options...}
    if (args.size() < 2 || args.at(1) == u"--help"_s || args.at(1) == u"-h"_s
        || args.at(1) == u"help"_s) {
        printIlpUsage(io);
        return args.size() < 2 ? ExitBadUsage : ExitOk;
    }
    const QString &sub = args.at(1);
    const QStringList rest = args.mid(2);
    if (sub == u"build"_s)
        return runBuild(rest, io);
    if (sub == u"decode"_s)
        return runDecode(rest, io);
    if (sub == u"check"_s)
        return runCheck(rest, io);
    return failWith(io, ExitBadUsage,
                    u"ilp: unknown command '%1' (build, decode or check)"_s.arg(sub));
}

} // namespace Pm::Cli
