// pm-connector pki ...: keys, CSRs, the DFSP CA, certificates and the MCM server's validation
// rules from the command line (pm_pki). Private keys are written encrypted (PKCS#8, AES-256)
// unless the operator asks for --unencrypted explicitly.

#include "app/cli/cli.h"
#include "core/pki/authority.h"
#include "core/pki/certificate.h"
#include "core/pki/csr.h"
#include "core/pki/key.h"
#include "core/pki/validation.h"
#include "core/secrets/keys.h"
#include "core/secrets/secretstore.h"

#include <QFile>
#include <QSaveFile>
#include <variant>

using namespace Qt::StringLiterals;

namespace Pm::Cli {

namespace {

using namespace Pm::Pki;

void printPkiUsage(QTextStream &stream)
{
    stream << u"Usage: pm-connector pki <command> [options]\n"
              u"\n"
              u"  key generate   Generate a private key (RSA 2048/4096 or EC P-256)\n"
              u"  csr create     Create a PKCS#10 certificate signing request\n"
              u"  ca create      Create a self-signed DFSP CA (certificate and key)\n"
              u"  cert issue     Issue a server certificate (new key) from the DFSP CA\n"
              u"  cert sign      Sign a CSR (e.g. the hub's) with the DFSP CA\n"
              u"  validate       Run the MCM server's validation rules and print each result\n"
              u"\n"
              u"Run 'pm-connector pki <command> --help' for a command's options.\n"_s;
    stream.flush();
}

/** parseArguments() with the usage line naming the command (as jws does). */
std::optional<int> parse(
    QCommandLineParser &parser, const QStringList &args, Io io, const QString &command)
{
    QString help;
    QTextStream helpStream(&help);
    const auto exit = parseArguments(parser, args, Io { helpStream, io.err }, command);
    helpStream.flush();
    if (!help.isEmpty()) {
        const qsizetype firstLineEnd = help.indexOf(u'\n');
        help.replace(0, firstLineEnd < 0 ? help.size() : firstLineEnd,
            u"Usage: pm-connector %1 [options]"_s.arg(command));
        io.out << help;
        io.out.flush();
    }
    if (!exit && !parser.positionalArguments().isEmpty())
        return failWith(io, ExitBadUsage,
            u"%1: unexpected argument '%2'"_s.arg(command, parser.positionalArguments().first()));
    return exit;
}

std::optional<int> checkRequired(const QCommandLineParser &parser,
    std::initializer_list<const QCommandLineOption *> required, Io io, const QString &command)
{
    for (const QCommandLineOption *option : required) {
        if (!parser.isSet(*option))
            return failWith(io, ExitBadUsage,
                u"%1: --%2 is required (see --help)"_s.arg(command, option->names().first()));
    }
    return std::nullopt;
}

/** A passphrase file's first line (without its line break). */
std::optional<QByteArray> readPassphrase(
    Io io, const QString &path, const QString &command, const QString &option)
{
    const auto data = readInputFile(io, path, u"passphrase file"_s);
    if (!data)
        return std::nullopt;
    QByteArray line = data->left(data->indexOf('\n') < 0 ? data->size() : data->indexOf('\n'));
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.isEmpty()) {
        failWith(io, ExitBadUsage, u"%1: --%2 '%3' is empty"_s.arg(command, option, path));
        return std::nullopt;
    }
    return line;
}

/** Writes `data` to `path` atomically; `secret` files get mode 0600. */
bool writeOutput(
    Io io, const QString &path, const QByteArray &data, bool secret, const QString &command)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        failWith(io, ExitCheckFailed,
            u"%1: cannot write '%2': %3"_s.arg(command, path, file.errorString()));
        return false;
    }
    if (secret)
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(data);
    if (!file.commit()) {
        failWith(io, ExitCheckFailed,
            u"%1: cannot write '%2': %3"_s.arg(command, path, file.errorString()));
        return false;
    }
    return true;
}

/** --passphrase-file FILE or --unencrypted: how a new private key is written. */
struct KeyOutput
{
    QCommandLineOption passphraseFile { u"passphrase-file"_s,
        u"Encrypt the new private key (PKCS#8, AES-256) with the "
        u"first line of FILE."_s,
        u"FILE"_s };
    QCommandLineOption unencrypted { u"unencrypted"_s,
        u"Write the new private key in plain text (mode 0600). Only "
        u"for files a deployment reads directly."_s };

    void add(QCommandLineParser &parser) const
    {
        parser.addOptions({ passphraseFile, unencrypted });
    }

    /** The PEM to write, or an exit code after reporting the problem. */
    std::variant<QByteArray, int> pem(const QCommandLineParser &parser, const PrivateKey &key,
        Io io, const QString &command) const
    {
        if (parser.isSet(passphraseFile) == parser.isSet(unencrypted))
            return failWith(io, ExitBadUsage,
                u"%1: choose how to write the private key: --passphrase-file FILE "
                u"(encrypted) or --unencrypted"_s.arg(command));
        if (parser.isSet(unencrypted))
            return key.toPem();
        const auto passphrase
            = readPassphrase(io, parser.value(passphraseFile), command, u"passphrase-file"_s);
        if (!passphrase)
            return int(ExitBadUsage);
        auto encrypted = key.toEncryptedPem(*passphrase);
        if (!encrypted)
            return failWith(
                io, ExitCheckFailed, u"%1: %2"_s.arg(command, toOneLine(encrypted.error())));
        return *encrypted;
    }
};

/** --cn --o --ou --l --st --c --email, and repeatable --dns / --ip. */
struct SubjectOptions
{
    QCommandLineOption cn { u"cn"_s, u"Subject common name (required)."_s, u"CN"_s };
    QCommandLineOption o { u"o"_s, u"Subject organization."_s, u"O"_s };
    QCommandLineOption ou { u"ou"_s, u"Subject organizational unit."_s, u"OU"_s };
    QCommandLineOption l { u"l"_s, u"Subject locality."_s, u"L"_s };
    QCommandLineOption st { u"st"_s, u"Subject state or province."_s, u"ST"_s };
    QCommandLineOption c { u"c"_s, u"Subject country (two letters)."_s, u"C"_s };
    QCommandLineOption email { u"email"_s, u"Subject emailAddress."_s, u"ADDRESS"_s };
    QCommandLineOption dns { u"dns"_s, u"subjectAltName DNS name (repeatable)."_s, u"NAME"_s };
    QCommandLineOption ip { u"ip"_s, u"subjectAltName IP address (repeatable)."_s, u"ADDRESS"_s };

    void add(QCommandLineParser &parser, bool withAltNames) const
    {
        parser.addOptions({ cn, o, ou, l, st, c, email });
        if (withAltNames)
            parser.addOptions({ dns, ip });
    }
    DistinguishedName subject(const QCommandLineParser &parser) const
    {
        DistinguishedName name;
        name.commonName = parser.value(cn);
        name.organization = parser.value(o);
        name.organizationalUnit = parser.value(ou);
        name.locality = parser.value(l);
        name.state = parser.value(st);
        name.country = parser.value(c);
        name.emailAddress = parser.value(email);
        return name;
    }
    SubjectAltNames altNames(const QCommandLineParser &parser) const
    {
        SubjectAltNames names;
        names.dns = parser.values(dns);
        names.ips = parser.values(ip);
        return names;
    }
};

std::optional<KeyType> keyTypeOption(const QCommandLineParser &parser,
    const QCommandLineOption &option, Io io, const QString &command)
{
    auto type = keyTypeFromName(parser.value(option));
    if (!type) {
        failWith(io, ExitBadUsage,
            u"%1: --%2: %3"_s.arg(command, option.names().first(), type.error().message));
        return std::nullopt;
    }
    return *type;
}

std::optional<int> daysOption(const QCommandLineParser &parser, const QCommandLineOption &option,
    int fallback, Io io, const QString &command)
{
    if (!parser.isSet(option))
        return fallback;
    bool ok = false;
    const int days = parser.value(option).toInt(&ok);
    if (!ok || days < 1 || days > 36500) {
        failWith(io, ExitBadUsage,
            u"%1: --%2 '%3' must be a number of days from 1 to 36500"_s.arg(
                command, option.names().first(), parser.value(option)));
        return std::nullopt;
    }
    return days;
}

template<class T, class F>
std::optional<T> load(
    Io io, const QString &command, const QString &what, const QString &path, F reader)
{
    const auto data = readInputFile(io, path, what);
    if (!data)
        return std::nullopt;
    auto value = reader(*data);
    if (!value) {
        failWith(io, ExitBadUsage,
            u"%1: %2 '%3': %4"_s.arg(command, what, path, toOneLine(value.error())));
        return std::nullopt;
    }
    return std::move(*value);
}

std::optional<PrivateKey> loadKey(
    Io io, const QString &command, const QString &path, const QByteArray &passphrase)
{
    return load<PrivateKey>(io, command, u"key"_s, path,
        [&](const QByteArray &data) { return PrivateKey::fromData(data, passphrase); });
}

/** --ca-cert, --ca-chain, --ca-key, --ca-key-passphrase-file: the DFSP CA to sign with. */
struct CaOptions
{
    QCommandLineOption cert { u"ca-cert"_s, u"The CA's root certificate (PEM)."_s, u"FILE"_s };
    QCommandLineOption chain { u"ca-chain"_s,
        u"The CA's intermediate chain (PEM, signing certificate first)."_s, u"FILE"_s };
    QCommandLineOption key { u"ca-key"_s, u"The signing certificate's private key (PEM or DER)."_s,
        u"FILE"_s };
    QCommandLineOption keyPassphrase { u"ca-key-passphrase-file"_s,
        u"Passphrase of an encrypted --ca-key (first line)."_s, u"FILE"_s };

    void add(QCommandLineParser &parser) const
    {
        parser.addOptions({ cert, chain, key, keyPassphrase });
    }

    std::optional<CertificateAuthority> load(
        const QCommandLineParser &parser, Io io, const QString &command) const
    {
        if (const auto exit = checkRequired(parser, { &cert, &key }, io, command))
            return std::nullopt;
        const auto root = readInputFile(io, parser.value(cert), u"CA certificate"_s);
        if (!root)
            return std::nullopt;
        QByteArray chainPem;
        if (parser.isSet(chain)) {
            const auto data = readInputFile(io, parser.value(chain), u"CA chain"_s);
            if (!data)
                return std::nullopt;
            chainPem = *data;
        }
        const auto keyData = readInputFile(io, parser.value(key), u"CA key"_s);
        if (!keyData)
            return std::nullopt;
        QByteArray passphrase;
        if (parser.isSet(keyPassphrase)) {
            const auto p = readPassphrase(
                io, parser.value(keyPassphrase), command, u"ca-key-passphrase-file"_s);
            if (!p)
                return std::nullopt;
            passphrase = *p;
        }
        auto ca = CertificateAuthority::import(*root, chainPem, *keyData, passphrase);
        if (!ca) {
            failWith(io, ExitBadUsage, u"%1: %2"_s.arg(command, toOneLine(ca.error())));
            return std::nullopt;
        }
        return std::move(*ca);
    }
};

/** --secret-store, --secret-file, --secret-passphrase-file: where --secret keys live (pm_secrets).
 */
struct SecretStoreOptions
{
    QCommandLineOption kind { u"secret-store"_s,
        u"keychain (default: the OS keychain) or encrypted-file."_s, u"KIND"_s, u"keychain"_s };
    QCommandLineOption file { u"secret-file"_s,
        u"The encrypted file store (created on first use) for --secret-store encrypted-file."_s,
        u"FILE"_s };
    QCommandLineOption passphrase { u"secret-passphrase-file"_s,
        u"The encrypted file store's passphrase (first line, at least 8 characters)."_s,
        u"FILE"_s };

    void add(QCommandLineParser &parser) const { parser.addOptions({ kind, file, passphrase }); }

    /** The store, or nullptr after reporting the problem; `exit` gets the exit code then. */
    std::unique_ptr<Secrets::SecretStore> open(
        const QCommandLineParser &parser, Io io, const QString &command, int &exit) const
    {
        exit = ExitBadUsage;
        auto storeKind = Secrets::secretStoreKindFromName(parser.value(kind));
        if (!storeKind) {
            failWith(io, ExitBadUsage,
                u"%1: --secret-store: %2"_s.arg(command, storeKind.error().message));
            return nullptr;
        }
        Secrets::SecretStoreSettings settings;
        settings.kind = *storeKind;
        if (settings.kind == Secrets::SecretStoreKind::EncryptedFile) {
            if (checkRequired(parser, { &file, &passphrase }, io, command))
                return nullptr;
            settings.filePath = parser.value(file);
            const auto p = readPassphrase(
                io, parser.value(passphrase), command, u"secret-passphrase-file"_s);
            if (!p)
                return nullptr;
            settings.passphrase = *p;
        }
        auto store = Secrets::openSecretStore(settings);
        if (!store) {
            exit = ExitCheckFailed;
            failWith(io, ExitCheckFailed, u"%1: %2"_s.arg(command, toOneLine(store.error())));
            return nullptr;
        }
        return std::move(*store);
    }
};

void printCertificate(QTextStream &out, const Certificate &cert)
{
    out << u"subject: "_s << cert.subjectText() << u'\n' << u"issuer: "_s << cert.issuerText()
        << u'\n' << u"serial: "_s << cert.serialNumber() << u'\n' << u"notBefore: "_s
        << cert.notBefore().toString(Qt::ISODate) << u'\n' << u"notAfter: "_s
        << cert.notAfter().toString(Qt::ISODate) << u'\n';
    const SubjectAltNames names = cert.subjectAltNames();
    if (!names.isEmpty())
        out << u"subjectAltName: "_s << names.toString() << u'\n';
    out << u"sha256: "_s << cert.sha256Fingerprint() << u'\n';
    out.flush();
}

int runKeyGenerate(const QStringList &args, Io io)
{
    const QString command = u"pki key generate"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Generates a private key and writes it as PKCS#8 PEM "
                                     u"(--out) or keeps it in the secret store (--secret)."_s);
    const QCommandLineOption type(
        u"type"_s, u"RSA-2048 (default), RSA-4096 or EC-P256."_s, u"TYPE"_s, u"RSA-2048"_s);
    const QCommandLineOption out(u"out"_s, u"Where to write the key."_s, u"FILE"_s);
    const QCommandLineOption secret(
        u"secret"_s, u"Keep the key in the secret store under NAME instead."_s, u"NAME"_s);
    const QCommandLineOption publicOut(
        u"public-out"_s, u"Also write the public key (SubjectPublicKeyInfo PEM)."_s, u"FILE"_s);
    KeyOutput keyOutput;
    SecretStoreOptions storeOptions;
    parser.addOptions({ type, out, secret, publicOut });
    keyOutput.add(parser);
    storeOptions.add(parser);
    if (const auto exit = parse(parser, args, io, command))
        return *exit;
    if (parser.isSet(out) == parser.isSet(secret))
        return failWith(io, ExitBadUsage,
            u"%1: give either --out FILE or --secret NAME (see --help)"_s.arg(command));
    if (parser.isSet(secret)
        && (parser.isSet(keyOutput.passphraseFile) || parser.isSet(keyOutput.unencrypted)))
        return failWith(io, ExitBadUsage,
            u"%1: --passphrase-file and --unencrypted apply to --out; the secret store encrypts "
            u"--secret keys itself"_s.arg(command));
    const auto keyType = keyTypeOption(parser, type, io, command);
    if (!keyType)
        return ExitBadUsage;
    std::unique_ptr<Secrets::SecretStore> store;
    if (parser.isSet(secret)) {
        if (auto name = Secrets::validateSecretName(parser.value(secret)); !name)
            return failWith(
                io, ExitBadUsage, u"%1: --secret: %2"_s.arg(command, name.error().message));
        int exit = ExitOk;
        store = storeOptions.open(parser, io, command, exit);
        if (!store)
            return exit;
    }
    auto key = PrivateKey::generate(*keyType);
    if (!key)
        return failWith(io, ExitCheckFailed, u"%1: %2"_s.arg(command, toOneLine(key.error())));
    if (store) {
        if (auto stored = Secrets::writePrivateKey(*store, parser.value(secret), *key); !stored)
            return failWith(
                io, ExitCheckFailed, u"%1: %2"_s.arg(command, toOneLine(stored.error())));
        if (parser.isSet(publicOut)
            && !writeOutput(io, parser.value(publicOut), key->publicKeyPem(), false, command))
            return ExitCheckFailed;
        io.out << u"%1 key stored as '%2' in the %3\n"_s.arg(
            keyTypeName(*keyType), parser.value(secret), store->description());
        io.out.flush();
        return ExitOk;
    }
    const auto pem = keyOutput.pem(parser, *key, io, command);
    if (const int *exit = std::get_if<int>(&pem))
        return *exit;
    if (!writeOutput(io, parser.value(out), std::get<QByteArray>(pem), true, command))
        return ExitCheckFailed;
    if (parser.isSet(publicOut)
        && !writeOutput(io, parser.value(publicOut), key->publicKeyPem(), false, command))
        return ExitCheckFailed;
    io.out << u"%1 key written to %2 (%3)\n"_s.arg(keyTypeName(*keyType), parser.value(out),
        parser.isSet(keyOutput.unencrypted) ? u"unencrypted"_s : u"encrypted PKCS#8"_s);
    io.out.flush();
    return ExitOk;
}

int runCsrCreate(const QStringList &args, Io io)
{
    const QString command = u"pki csr create"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Creates a PKCS#10 CSR signed with SHA-256 by an existing key."_s);
    const QCommandLineOption key(u"key"_s, u"The private key (PEM or DER)."_s, u"FILE"_s);
    const QCommandLineOption keyPassphrase(
        u"key-passphrase-file"_s, u"Passphrase of an encrypted --key (first line)."_s, u"FILE"_s);
    const QCommandLineOption keySecret(
        u"key-secret"_s, u"Use the key kept in the secret store under NAME instead."_s, u"NAME"_s);
    const QCommandLineOption out(u"out"_s, u"Where to write the CSR (PEM)."_s, u"FILE"_s);
    SubjectOptions subject;
    SecretStoreOptions storeOptions;
    parser.addOptions({ key, keyPassphrase, keySecret, out });
    subject.add(parser, true);
    storeOptions.add(parser);
    if (const auto exit = parse(parser, args, io, command))
        return *exit;
    if (parser.isSet(key) == parser.isSet(keySecret))
        return failWith(io, ExitBadUsage,
            u"%1: give either --key FILE or --key-secret NAME (see --help)"_s.arg(command));
    if (const auto exit = checkRequired(parser, { &subject.cn, &out }, io, command))
        return *exit;
    std::optional<PrivateKey> privateKey;
    if (parser.isSet(keySecret)) {
        int exit = ExitOk;
        const auto store = storeOptions.open(parser, io, command, exit);
        if (!store)
            return exit;
        auto stored = Secrets::readPrivateKey(*store, parser.value(keySecret));
        if (!stored)
            return failWith(
                io, ExitCheckFailed, u"%1: %2"_s.arg(command, toOneLine(stored.error())));
        if (!*stored)
            return failWith(io, ExitCheckFailed,
                u"%1: there is no key '%2' in the %3"_s.arg(
                    command, parser.value(keySecret), store->description()));
        privateKey = std::move(**stored);
    }
    if (!privateKey) {
        QByteArray passphrase;
        if (parser.isSet(keyPassphrase)) {
            const auto p = readPassphrase(
                io, parser.value(keyPassphrase), command, u"key-passphrase-file"_s);
            if (!p)
                return ExitBadUsage;
            passphrase = *p;
        }
        privateKey = loadKey(io, command, parser.value(key), passphrase);
        if (!privateKey)
            return ExitBadUsage;
    }
    auto csr = CertificateRequest::create(
        *privateKey, { subject.subject(parser), subject.altNames(parser) });
    if (!csr)
        return failWith(io, ExitBadUsage, u"%1: %2"_s.arg(command, toOneLine(csr.error())));
    if (!writeOutput(io, parser.value(out), csr->toPem(), false, command))
        return ExitCheckFailed;
    io.out << u"CSR for %1 written to %2\n"_s.arg(csr->subjectText(), parser.value(out));
    io.out.flush();
    return ExitOk;
}

int runCaCreate(const QStringList &args, Io io)
{
    const QString command = u"pki ca create"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Creates a self-signed DFSP CA: CA:TRUE, keyCertSign and cRLSign."_s);
    const QCommandLineOption keyType(
        u"key-type"_s, u"RSA-2048, RSA-4096 (default) or EC-P256."_s, u"TYPE"_s, u"RSA-4096"_s);
    const QCommandLineOption days(u"days"_s, u"Validity in days (default 3650)."_s, u"N"_s);
    const QCommandLineOption certOut(
        u"cert-out"_s, u"Where to write the CA certificate."_s, u"FILE"_s);
    const QCommandLineOption keyOut(
        u"key-out"_s, u"Where to write the CA's private key."_s, u"FILE"_s);
    SubjectOptions subject;
    KeyOutput keyOutput;
    parser.addOptions({ keyType, days, certOut, keyOut });
    subject.add(parser, false);
    keyOutput.add(parser);
    if (const auto exit = parse(parser, args, io, command))
        return *exit;
    if (const auto exit = checkRequired(parser, { &subject.cn, &certOut, &keyOut }, io, command))
        return *exit;
    const auto type = keyTypeOption(parser, keyType, io, command);
    const auto validity = type ? daysOption(parser, days, 3650, io, command) : std::nullopt;
    if (!type || !validity)
        return ExitBadUsage;
    auto ca = CertificateAuthority::create(subject.subject(parser), *type, *validity);
    if (!ca)
        return failWith(io, ExitBadUsage, u"%1: %2"_s.arg(command, toOneLine(ca.error())));
    const auto pem = keyOutput.pem(parser, ca->key(), io, command);
    if (const int *exit = std::get_if<int>(&pem))
        return *exit;
    if (!writeOutput(io, parser.value(keyOut), std::get<QByteArray>(pem), true, command)
        || !writeOutput(io, parser.value(certOut), ca->root().toPem(), false, command))
        return ExitCheckFailed;
    printCertificate(io.out, ca->root());
    return ExitOk;
}

int runCertIssue(const QStringList &args, Io io)
{
    const QString command = u"pki cert issue"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Issues a server certificate (serverAuth) with a new key from the DFSP CA."_s);
    CaOptions ca;
    SubjectOptions subject;
    KeyOutput keyOutput;
    const QCommandLineOption keyType(
        u"key-type"_s, u"RSA-2048 (default), RSA-4096 or EC-P256."_s, u"TYPE"_s, u"RSA-2048"_s);
    const QCommandLineOption days(u"days"_s, u"Validity in days (default 365)."_s, u"N"_s);
    const QCommandLineOption certOut(
        u"cert-out"_s, u"Where to write the certificate."_s, u"FILE"_s);
    const QCommandLineOption keyOut(u"key-out"_s, u"Where to write its private key."_s, u"FILE"_s);
    ca.add(parser);
    subject.add(parser, true);
    keyOutput.add(parser);
    parser.addOptions({ keyType, days, certOut, keyOut });
    if (const auto exit = parse(parser, args, io, command))
        return *exit;
    if (const auto exit = checkRequired(parser, { &subject.cn, &certOut, &keyOut }, io, command))
        return *exit;
    const auto type = keyTypeOption(parser, keyType, io, command);
    const auto validity = type ? daysOption(parser, days, 365, io, command) : std::nullopt;
    if (!type || !validity)
        return ExitBadUsage;
    if (parser.isSet(keyOutput.passphraseFile) == parser.isSet(keyOutput.unencrypted))
        return failWith(io, ExitBadUsage,
            u"%1: choose how to write the private key: --passphrase-file FILE "
            u"(encrypted) or --unencrypted"_s.arg(command));
    const auto authority = ca.load(parser, io, command);
    if (!authority)
        return ExitBadUsage;
    auto identity = authority->issueServerCertificate(
        subject.subject(parser), subject.altNames(parser), *type, *validity);
    if (!identity)
        return failWith(io, ExitBadUsage, u"%1: %2"_s.arg(command, toOneLine(identity.error())));
    const auto pem = keyOutput.pem(parser, identity->key, io, command);
    if (const int *exit = std::get_if<int>(&pem))
        return *exit;
    if (!writeOutput(io, parser.value(keyOut), std::get<QByteArray>(pem), true, command)
        || !writeOutput(io, parser.value(certOut), identity->certificate.toPem(), false, command))
        return ExitCheckFailed;
    printCertificate(io.out, identity->certificate);
    return ExitOk;
}

int runCertSign(const QStringList &args, Io io)
{
    const QString command = u"pki cert sign"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Signs a CSR with the DFSP CA: subject and subjectAltName from the CSR, extended key "
        u"usage from --usage (client for the hub's CSRs)."_s);
    CaOptions ca;
    const QCommandLineOption csr(u"csr"_s, u"The CSR (PEM or DER)."_s, u"FILE"_s);
    const QCommandLineOption usage(
        u"usage"_s, u"client (default) or server."_s, u"USAGE"_s, u"client"_s);
    const QCommandLineOption days(u"days"_s, u"Validity in days (default 365)."_s, u"N"_s);
    const QCommandLineOption out(u"out"_s, u"Where to write the certificate."_s, u"FILE"_s);
    ca.add(parser);
    parser.addOptions({ csr, usage, days, out });
    if (const auto exit = parse(parser, args, io, command))
        return *exit;
    if (const auto exit = checkRequired(parser, { &csr, &out }, io, command))
        return *exit;
    const QString usageName = parser.value(usage).toLower();
    if (usageName != u"client"_s && usageName != u"server"_s)
        return failWith(io, ExitBadUsage,
            u"%1: --usage '%2' must be client or server"_s.arg(command, parser.value(usage)));
    const auto validity = daysOption(parser, days, 365, io, command);
    if (!validity)
        return ExitBadUsage;
    const auto request = load<CertificateRequest>(io, command, u"CSR"_s, parser.value(csr),
        [](const QByteArray &data) { return CertificateRequest::fromData(data); });
    if (!request)
        return ExitBadUsage;
    const auto authority = ca.load(parser, io, command);
    if (!authority)
        return ExitBadUsage;
    auto cert = authority->sign(*request,
        usageName == u"server"_s ? CertificateUsage::Server : CertificateUsage::Client, *validity);
    if (!cert)
        return failWith(io, ExitBadUsage, u"%1: %2"_s.arg(command, toOneLine(cert.error())));
    if (!writeOutput(io, parser.value(out), cert->toPem(), false, command))
        return ExitCheckFailed;
    printCertificate(io.out, *cert);
    return ExitOk;
}

int runValidate(const QStringList &args, Io io)
{
    const QString command = u"pki validate"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Runs one of the MCM server's validation sets and prints each rule as "
        u"'STATE CODE message'. Exit 0 when no rule is INVALID, 1 otherwise."_s);
    const QCommandLineOption set(
        u"set"_s, u"inbound, outbound, server, jws or dfsp-ca (required)."_s, u"SET"_s);
    const QCommandLineOption cert(u"cert"_s, u"The certificate (PEM or DER)."_s, u"FILE"_s);
    const QCommandLineOption csr(u"csr"_s, u"The CSR (PEM or DER)."_s, u"FILE"_s);
    const QCommandLineOption key(
        u"key"_s, u"The private key (PEM or DER, unencrypted)."_s, u"FILE"_s);
    const QCommandLineOption root(u"root"_s, u"The CA root certificate (PEM)."_s, u"FILE"_s);
    const QCommandLineOption chain(u"chain"_s, u"The intermediate chain (PEM)."_s, u"FILE"_s);
    const QCommandLineOption keyLength(u"key-length"_s,
        u"The server's PRIVATE_KEY_LENGTH: 2048 (default) or 4096."_s, u"BITS"_s, u"2048"_s);
    parser.addOptions({ set, cert, csr, key, root, chain, keyLength });
    if (const auto exit = parse(parser, args, io, command))
        return *exit;
    if (const auto exit = checkRequired(parser, { &set }, io, command))
        return *exit;
    const QString setName = parser.value(set).toLower();
    const QStringList sets { u"inbound"_s, u"outbound"_s, u"server"_s, u"jws"_s, u"dfsp-ca"_s };
    if (!sets.contains(setName))
        return failWith(io, ExitBadUsage,
            u"%1: --set '%2' must be one of %3"_s.arg(
                command, parser.value(set), sets.join(u", "_s)));
    ValidationOptions options;
    if (parser.value(keyLength) == u"4096"_s)
        options.minimumKeyBits = 4096;
    else if (parser.value(keyLength) != u"2048"_s)
        return failWith(io, ExitBadUsage,
            u"%1: --key-length '%2' must be 2048 or 4096"_s.arg(command, parser.value(keyLength)));

    Certificate certificate;
    CertificateRequest request;
    PrivateKey privateKey;
    CaChain ca;
    if (parser.isSet(cert)) {
        auto c = load<Certificate>(io, command, u"certificate"_s, parser.value(cert),
            [](const QByteArray &d) { return Certificate::fromData(d); });
        if (!c)
            return ExitBadUsage;
        certificate = *c;
    }
    if (parser.isSet(csr)) {
        auto r = load<CertificateRequest>(io, command, u"CSR"_s, parser.value(csr),
            [](const QByteArray &d) { return CertificateRequest::fromData(d); });
        if (!r)
            return ExitBadUsage;
        request = *r;
    }
    if (parser.isSet(key)) {
        auto k = loadKey(io, command, parser.value(key), {});
        if (!k)
            return ExitBadUsage;
        privateKey = *k;
    }
    if (parser.isSet(root)) {
        auto r = load<Certificate>(io, command, u"root"_s, parser.value(root),
            [](const QByteArray &d) { return Certificate::fromData(d); });
        if (!r)
            return ExitBadUsage;
        ca.root = *r;
    }
    if (parser.isSet(chain)) {
        auto c = load<QList<Certificate>>(io, command, u"chain"_s, parser.value(chain),
            [](const QByteArray &d) { return Certificate::listFromPem(d); });
        if (!c)
            return ExitBadUsage;
        ca.intermediates = *c;
    }

    QList<Validation> results;
    if (setName == u"inbound"_s)
        results = validateInboundEnrollment(request, certificate, privateKey, options);
    else if (setName == u"outbound"_s)
        results = validateOutboundEnrollment(request, certificate, privateKey, ca, options);
    else if (setName == u"server"_s)
        results = validateServerCertificate(certificate, ca, options);
    else if (setName == u"jws"_s)
        results = validateJwsCertificate(certificate, options);
    else
        results = validateDfspCa(ca, options);

    for (const Validation &v : results) {
        io.out << validationStateName(v.state).leftJustified(14) << v.code << u"  "_s << v.message;
        if (!v.data.isEmpty())
            io.out << u" ["_s << v.data << u']';
        io.out << u'\n';
    }
    const ValidationState overall = overallState(results);
    io.out << u"validationState: "_s << validationStateName(overall) << u'\n';
    io.out.flush();
    return overall == ValidationState::Invalid ? ExitCheckFailed : ExitOk;
}

} // namespace

int runPki(const QStringList &args, Io io)
{
    const QString sub = args.value(1);
    const QString verb = args.value(2);
    if (sub.isEmpty() || sub == u"--help"_s || sub == u"-h"_s) {
        printPkiUsage(sub.isEmpty() ? io.err : io.out);
        return sub.isEmpty() ? ExitBadUsage : ExitOk;
    }
    if (sub == u"validate"_s)
        return runValidate(args.mid(2), io);
    if (sub == u"key"_s && verb == u"generate"_s)
        return runKeyGenerate(args.mid(3), io);
    if (sub == u"csr"_s && verb == u"create"_s)
        return runCsrCreate(args.mid(3), io);
    if (sub == u"ca"_s && verb == u"create"_s)
        return runCaCreate(args.mid(3), io);
    if (sub == u"cert"_s && verb == u"issue"_s)
        return runCertIssue(args.mid(3), io);
    if (sub == u"cert"_s && verb == u"sign"_s)
        return runCertSign(args.mid(3), io);
    failWith(io, ExitBadUsage,
        u"pki: unknown command '%1' (run 'pm-connector pki --help' for the list)"_s.arg(
            QString(sub + u' ' + verb).trimmed()));
    return ExitBadUsage;
}

} // namespace Pm::Cli
