// pm-connector jws sign | verify: FSPIOP-Signature from the command line.

#include "app/cli/cli.h"

#include "core/fspiop/datatypes.h"
#include "core/fspiop/headers.h"
#include "core/fspiop/json.h"
#include "core/fspiop/jws.h"

#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace Pm::Cli {

namespace {

using Fspiop::Json;
namespace Jws = Fspiop::Jws;

void printJwsUsage(QTextStream &stream)
{
    stream << u"Usage: pm-connector jws <sign|verify> [options]\n"
              u"\n"
              u"  sign     Sign a request body and print the headers to send, as one JSON object\n"
              u"  verify   Verify a request's FSPIOP-Signature; prints 'valid' or the reason\n"
              u"\n"
              u"Run 'pm-connector jws <sign|verify> --help' for a command's options.\n"_s;
    stream.flush();
}

/** Reports the first of `required` that is not set; returns the exit code, or nullopt if all are. */
std::optional<int> checkRequired(const QCommandLineParser &parser,
                                 std::initializer_list<const QCommandLineOption *> required, Io io,
                                 const QString &command)
{
    for (const QCommandLineOption *option : required) {
        if (!parser.isSet(*option))
            return failWith(io, ExitBadUsage,
                            u"%1: --%2 is required (see --help)"_s.arg(command, option->names().first()));
    }
    if (!parser.positionalArguments().isEmpty())
        return failWith(io, ExitBadUsage,
                        u"%1: unexpected argument '%2'"_s.arg(command, parser.positionalArguments().first()));
    return std::nullopt;
}

/**
 * parseArguments() with the help text's usage line fixed: QCommandLineParser writes the running
 * executable's path there, which is wrong in process and long as a real process.
 */
std::optional<int> parse(QCommandLineParser &parser, const QStringList &args, Io io,
                         const QString &command)
{
    QString help;
    QTextStream helpStream(&help);
    const auto exit = parseArguments(parser, args, Io{helpStream, io.err}, command);
    helpStream.flush();
    if (!help.isEmpty()) {
        const qsizetype firstLineEnd = help.indexOf(u'\n');
        help.replace(0, firstLineEnd < 0 ? help.size() : firstLineEnd,
                     u"Usage: pm-connector %1 [options]"_s.arg(command));
        io.out << help;
        io.out.flush();
    }
    return exit;
}

/** Now as an HTTP date, "Wed, 01 Jan 2025 00:00:00 GMT" (RFC 1123, English names). */
QString httpDateNow()
{
    return QLocale::c().toString(QDateTime::currentDateTimeUtc(), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s);
}

/** An FSP id as FSPIOP-Source/Destination carry it: 1 to 32 printable characters, no blanks. */
std::optional<QString> fspIdProblem(const QString &value, const QString &option)
{
    if (auto valid = Fspiop::DataTypes::validateFspId(value, option); !valid)
        return valid.error().message;
    for (const QChar c : value) {
        if (c.isSpace())
            return u"%1 '%2' contains a blank (an FSP id has none)"_s.arg(option, value);
        if (!c.isPrint())
            return u"%1 contains a control character"_s.arg(option);
    }
    return std::nullopt;
}

int runSign(const QStringList &args, Io io)
{
    const QString command = u"jws sign"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Signs an FSPIOP request body exactly as it is in FILE and prints the headers to send as one "
        u"JSON object: fspiop-signature, fspiop-uri, fspiop-http-method, fspiop-source, "
        u"fspiop-destination (if given) and date."_s);
    const QCommandLineOption key(u"key"_s, u"Private key PEM: RSA signs RS256, EC P-256 signs ES256."_s,
                                 u"PRIVATE.pem"_s);
    const QCommandLineOption method(u"method"_s, u"HTTP method (POST, PUT, PATCH)."_s, u"M"_s);
    const QCommandLineOption uri(u"uri"_s,
                                 u"Request URL or path; FSPIOP-URI is taken from the resource segment on."_s,
                                 u"PATH"_s);
    const QCommandLineOption source(u"source"_s, u"FSPIOP-Source (this DFSP's id)."_s, u"FSP"_s);
    const QCommandLineOption destination(u"destination"_s, u"FSPIOP-Destination, if the request has one."_s,
                                         u"FSP"_s);
    const QCommandLineOption date(u"date"_s, u"Date header to sign (default: now, RFC 1123 GMT)."_s,
                                  u"DATE"_s);
    const QCommandLineOption body(u"body"_s, u"File holding the exact body bytes that will be sent."_s,
                                  u"FILE"_s);
    parser.addOptions({key, method, uri, source, destination, date, body});
    if (const auto exit = parse(parser, args, io, command))
        return *exit;
    if (const auto exit = checkRequired(parser, {&key, &method, &uri, &source, &body}, io, command))
        return *exit;

    const auto pem = readInputFile(io, parser.value(key), u"key"_s);
    if (!pem)
        return ExitBadUsage;
    const auto signingKey = Jws::SigningKey::fromPem(*pem);
    if (!signingKey)
        return failWith(io, ExitBadUsage, u"%1: key '%2': %3"_s.arg(command, parser.value(key),
                                                                   toOneLine(signingKey.error())));
    const QString methodName = parser.value(method).toUpper();
    if (methodName != u"POST"_s && methodName != u"PUT"_s && methodName != u"PATCH"_s) {
        return failWith(io, ExitBadUsage,
                        u"%1: --method '%2': FSPIOP signs only POST, PUT and PATCH requests "
                        u"(the ones with a body)"_s.arg(command, parser.value(method)));
    }
    for (const QCommandLineOption *fsp : {&source, &destination}) {
        if (!parser.isSet(*fsp))
            continue;
        if (auto problem = fspIdProblem(parser.value(*fsp), u"--"_s + fsp->names().first()))
            return failWith(io, ExitBadUsage, command + u": "_s + *problem);
    }
    if (parser.isSet(date)) {
        if (auto parsed = Fspiop::parseHttpDate(parser.value(date)); !parsed) {
            return failWith(io, ExitBadUsage,
                            u"%1: --date '%2' is not an RFC 1123 date such as "
                            u"'Wed, 01 Jan 2025 00:00:00 GMT'"_s.arg(command, parser.value(date)));
        }
    }
    const auto bodyBytes = readInputFile(io, parser.value(body), u"body"_s);
    if (!bodyBytes)
        return ExitBadUsage;
    if (auto json = Fspiop::parseJson(*bodyBytes); !json) {
        return failWith(io, ExitBadUsage, u"%1: body '%2' is not JSON (%3)"_s.arg(
                                              command, parser.value(body), json.error().message));
    }

    Jws::SignRequest request;
    request.method = methodName;
    request.uri = parser.value(uri);
    request.source = parser.value(source);
    if (parser.isSet(destination))
        request.destination = parser.value(destination);
    request.date = parser.isSet(date) ? parser.value(date) : httpDateNow();
    request.body = *bodyBytes;
    const auto signedHeaders = Jws::sign(*signingKey, request);
    if (!signedHeaders)
        return failWith(io, ExitBadUsage, command + u": "_s + toOneLine(signedHeaders.error()));

    Json out = Json::object();
    out["fspiop-signature"] = signedHeaders->signature.toStdString();
    out["fspiop-uri"] = signedHeaders->uri.toStdString();
    out["fspiop-http-method"] = signedHeaders->httpMethod.toStdString();
    out["fspiop-source"] = request.source.toStdString();
    if (request.destination)
        out["fspiop-destination"] = request.destination->toStdString();
    out["date"] = request.date->toStdString();
    io.out << QString::fromUtf8(Fspiop::serializeJson(out)) << u'\n';
    io.out.flush();
    return ExitOk;
}

int runVerify(const QStringList &args, Io io)
{
    const QString command = u"jws verify"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Verifies an FSPIOP request's FSPIOP-Signature with the sender's public key. Prints 'valid' "
        u"and exits 0, or reports why not and exits 1. The signature may cover the raw body or its "
        u"compact re-serialisation (insertion order or sorted keys); all protected headers must "
        u"match the HTTP headers."_s);
    const QCommandLineOption key(u"key"_s,
                                 u"Public key or certificate PEM of whichever FSP fspiop-source names."_s,
                                 u"PUBLIC.pem"_s);
    const QCommandLineOption headers(u"headers"_s,
                                     u"JSON object of the request's headers: name (any case) → string value."_s,
                                     u"HEADERS.json"_s);
    const QCommandLineOption body(u"body"_s, u"File holding the body bytes as received."_s, u"FILE"_s);
    parser.addOptions({key, headers, body});
    if (const auto exit = parse(parser, args, io, command))
        return *exit;
    if (const auto exit = checkRequired(parser, {&key, &headers, &body}, io, command))
        return *exit;

    const auto pem = readInputFile(io, parser.value(key), u"key"_s);
    if (!pem)
        return ExitBadUsage;
    const auto verificationKey = Jws::VerificationKey::fromPem(*pem);
    if (!verificationKey)
        return failWith(io, ExitBadUsage, u"%1: key '%2': %3"_s.arg(command, parser.value(key),
                                                                   toOneLine(verificationKey.error())));

    const auto headersText = readInputFile(io, parser.value(headers), u"headers file"_s);
    if (!headersText)
        return ExitBadUsage;
    const auto headersJson = Fspiop::parseJson(*headersText);
    if (!headersJson)
        return failWith(io, ExitBadUsage, u"%1: headers file '%2': %3"_s.arg(
                                              command, parser.value(headers), headersJson.error().message));
    if (!headersJson->is_object())
        return failWith(io, ExitBadUsage, u"%1: headers file '%2' is not a JSON object"_s.arg(
                                              command, parser.value(headers)));
    Jws::HeaderList headerList;
    for (const auto &[name, value] : headersJson->items()) {
        if (!value.is_string())
            return failWith(io, ExitBadUsage,
                            u"%1: headers file '%2': value of '%3' is not a string"_s.arg(
                                command, parser.value(headers), QString::fromStdString(name)));
        headerList.append({QByteArray::fromStdString(name),
                           QByteArray::fromStdString(value.get<std::string>())});
    }

    const auto bodyBytes = readInputFile(io, parser.value(body), u"body"_s);
    if (!bodyBytes)
        return ExitBadUsage;

    const Jws::VerificationKey &keyForAnySource = *verificationKey;
    const auto verified = Jws::verify(headerList, *bodyBytes,
                                      [&](const QString &) { return std::optional(keyForAnySource); });
    if (!verified)
        return failWith(io, ExitCheckFailed, u"%1: invalid (%2): %3"_s.arg(
                                                 command, QString::number(verified.error().code),
                                                 toOneLine(verified.error())));
    io.out << u"valid\n"_s;
    io.out.flush();
    return ExitOk;
}

} // namespace

int runJws(const QStringList &args, Io io)
{
    // args = {"jws", <subcommand>, options...}
    const QString subcommand = args.value(1);
    if (subcommand == u"sign"_s)
        return runSign(args.mid(2), io);
    if (subcommand == u"verify"_s)
        return runVerify(args.mid(2), io);
    if (subcommand == u"--help"_s || subcommand == u"-h"_s || subcommand == u"help"_s) {
        printJwsUsage(io.out);
        return ExitOk;
    }
    if (subcommand.isEmpty())
        return failWith(io, ExitBadUsage, u"jws: missing subcommand: sign or verify (see 'pm-connector jws --help')"_s);
    return failWith(io, ExitBadUsage,
                    u"jws: unknown subcommand '%1': sign or verify (see 'pm-connector jws --help')"_s.arg(subcommand));
}

} // namespace Pm::Cli
