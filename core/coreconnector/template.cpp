#include "core/coreconnector/template.h"

#include "core/coreconnector/jsonnet.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <nlohmann/json.hpp>

// GCC 12 at -O2/-O3 reports a false -Wrestrict inside libstdc++'s std::string code that valijson
// instantiates (GCC bug 105329), as in core/fspiop/schema.cpp.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
// As in core/fspiop/schema.cpp (one definition of valijson's inline code per program): schema
// problems come as exceptions, caught below.
#define VALIJSON_USE_EXCEPTIONS 1
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#include <yaml-cpp/yaml.h>

using namespace Qt::StringLiterals;

static void initCoreConnectorResources()
{
    Q_INIT_RESOURCE(coreconnector);
}

namespace Pm::CoreConnector {

using Fspiop::Json;

QStringList operationNames()
{
    return { u"getParties"_s, u"postQuoteRequests"_s, u"postTransfers"_s, u"putTransfers"_s,
        u"postSendMoney"_s, u"putSendMoney"_s };
}

QByteArray templateSchema()
{
    initCoreConnectorResources();
    QFile f(u":/pm/coreconnector/template.schema.json"_s);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

QStringList placeholdersOf(const QString &text)
{
    static const QRegularExpression re(u"\\{([^{}]*)\\}"_s);
    QStringList out;
    auto it = re.globalMatch(text);
    while (it.hasNext())
        out << it.next().captured(1);
    return out;
}

namespace {

const QRegularExpression &pathPattern()
{
    static const QRegularExpression re(
        u"^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*|\\[[0-9]+\\])*$"_s);
    return re;
}

/** Splits "a.b[0].c" into {"a","b","0","c"} (indices as digits). */
QStringList splitPath(const QString &path)
{
    QStringList parts;
    QString current;
    for (QChar c : path) {
        if (c == u'.' || c == u'[' || c == u']') {
            if (!current.isEmpty())
                parts << current;
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.isEmpty())
        parts << current;
    return parts;
}

} // namespace

std::optional<QString> resolvePlaceholder(const QString &path, const Json &context)
{
    const Json *node = &context;
    const QString trimmed = path.trimmed();
    if (!pathPattern().match(trimmed).hasMatch())
        return std::nullopt;
    const QStringList parts = splitPath(trimmed);
    for (int i = 0; i < parts.size(); ++i) {
        const QString &p = parts[i];
        const bool index = trimmed.contains(u'[' + p + u']') && p.front().isDigit();
        if (index && node->is_array()) {
            const auto n = std::size_t(p.toULongLong());
            if (n >= node->size())
                return std::nullopt;
            node = &(*node)[n];
        } else if (node->is_object() && node->contains(p.toStdString())) {
            node = &(*node)[p.toStdString()];
        } else {
            return std::nullopt;
        }
    }
    if (node->is_string())
        return QString::fromStdString(node->get<std::string>());
    if (node->is_number() || node->is_boolean())
        return QString::fromUtf8(Fspiop::serializeJson(*node));
    return std::nullopt;
}

namespace {

/** The loader's state: file, raw lines, and the line of every path. */
struct Loader
{
    QString file;
    QStringList lines;
    QHash<QString, int> lineOf;
    QSet<QString> configKeys;
    QList<JsonnetCheck> pendingChecks;

    int line(const QString &path) const
    {
        // The nearest recorded ancestor.
        QString p = path;
        while (!p.isEmpty()) {
            auto it = lineOf.constFind(p);
            if (it != lineOf.cend())
                return *it;
            const qsizetype cut = std::max(p.lastIndexOf(u'.'), p.lastIndexOf(u'['));
            p = cut > 0 ? p.left(cut) : QString();
        }
        return 1;
    }

    Error error(const QString &path, const QString &problem) const
    {
        return Error { 0,
            u"%1:%2: %3: %4"_s.arg(file)
                .arg(line(path))
                .arg(path.isEmpty() ? u"(template)"_s : path, problem),
            {} };
    }

    /** YAML → JSON, recording lines. Plain scalars become bool/int/null where they read as such. */
    Json convert(const YAML::Node &node, const QString &path)
    {
        int l = int(node.Mark().line) + 1;
        if (node.IsScalar()) {
            const int col = int(node.Mark().column);
            const QString text = l - 1 < lines.size() ? lines[l - 1] : QString();
            if (col >= 0 && col < text.size() && (text[col] == u'|' || text[col] == u'>'))
                ++l; // a block scalar: its text starts on the next line
        }
        if (!path.isEmpty())
            lineOf.insert(path, l);
        if (node.IsMap()) {
            Json o = Json::object();
            for (auto it = node.begin(); it != node.end(); ++it) {
                const std::string key = it->first.as<std::string>("");
                const QString child = path.isEmpty() ? QString::fromStdString(key)
                                                     : path + u'.' + QString::fromStdString(key);
                lineOf.insert(child, int(it->first.Mark().line) + 1);
                Json value = convert(it->second, child);
                lineOf.insert(child, int(it->first.Mark().line) + 1);
                if (it->second.IsScalar())
                    lineOf.insert(child + u"#value"_s, valueLine(it->second));
                o[key] = std::move(value);
            }
            return o;
        }
        if (node.IsSequence()) {
            Json a = Json::array();
            int i = 0;
            for (const auto &item : node)
                a.push_back(convert(item, u"%1[%2]"_s.arg(path).arg(i++)));
            return a;
        }
        if (node.IsNull())
            return Json();
        const std::string s = node.Scalar();
        if (node.Tag() == "?") {
            if (s == "true" || s == "false")
                return s == "true";
            if (s == "null" || s == "~")
                return Json();
            bool ok = false;
            const qlonglong n = QString::fromStdString(s).toLongLong(&ok);
            if (ok)
                return n;
        }
        return s;
    }

    int valueLine(const YAML::Node &node) const
    {
        int l = int(node.Mark().line) + 1;
        const int col = int(node.Mark().column);
        const QString text = l - 1 < lines.size() ? lines[l - 1] : QString();
        if (col >= 0 && col < text.size() && (text[col] == u'|' || text[col] == u'>'))
            ++l;
        return l;
    }

    int mappingLine(const QString &path) const
    {
        auto it = lineOf.constFind(path + u"#value"_s);
        return it != lineOf.cend() ? *it : line(path);
    }
};

QString str(const Json &j, const char *key)
{
    if (!j.is_object() || !j.contains(key) || !j[key].is_string())
        return {};
    return QString::fromStdString(j[key].get<std::string>());
}

/** "[operations][getParties]" context pieces → "operations.getParties". */
QString contextPath(const std::vector<std::string> &context)
{
    QString out;
    for (const std::string &piece : context) {
        QString p = QString::fromStdString(piece);
        if (p == u"<root>"_s)
            continue;
        if (p.startsWith(u'[') && p.endsWith(u']'))
            p = p.mid(1, p.size() - 2);
        bool isIndex = false;
        p.toInt(&isIndex);
        if (isIndex)
            out += u'[' + p + u']';
        else
            out += (out.isEmpty() ? QString() : u"."_s) + p;
    }
    return out;
}

Result<void> validateAgainstSchema(const Json &doc, const Loader &loader)
{
    const QByteArray schemaText = templateSchema();
    try {
        const nlohmann::json schemaDoc = nlohmann::json::parse(schemaText.constData());
        valijson::Schema schema;
        valijson::SchemaParser parser;
        valijson::adapters::NlohmannJsonAdapter schemaAdapter(schemaDoc);
        parser.populateSchema(schemaAdapter, schema);
        const nlohmann::json target = nlohmann::json::parse(Fspiop::serializeJson(doc).constData());
        valijson::Validator validator;
        valijson::ValidationResults results;
        valijson::adapters::NlohmannJsonAdapter targetAdapter(target);
        if (validator.validate(schema, targetAdapter, &results))
            return {};
        // The deepest error names the field best.
        valijson::ValidationResults::Error best;
        std::size_t depth = 0;
        valijson::ValidationResults::Error e;
        bool first = true;
        while (results.popError(e)) {
            if (first || e.context.size() > depth) {
                best = e;
                depth = e.context.size();
                first = false;
            }
        }
        return std::unexpected(loader.error(
            contextPath(best.context), u"schema: "_s + QString::fromStdString(best.description)));
    } catch (const std::exception &ex) {
        return fail(0,
            u"%1: template schema unusable: %2"_s.arg(loader.file, QString::fromUtf8(ex.what())));
    }
}

/** Unknown fields and step kinds, with clearer messages than the schema's. */
Result<void> checkStructure(const Json &doc, const Loader &loader)
{
    static const QSet<QString> stepKeys
        = { u"name"_s, u"if"_s, u"call"_s, u"outbound"_s, u"set"_s, u"fail"_s };
    static const QSet<QString> topKeys = { u"name"_s, u"description"_s, u"language"_s, u"config"_s,
        u"core"_s, u"errors"_s, u"operations"_s };
    if (!doc.is_object())
        return std::unexpected(loader.error({}, u"a template is a YAML mapping"_s));
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        if (!topKeys.contains(QString::fromStdString(it.key())))
            return std::unexpected(
                loader.error(QString::fromStdString(it.key()), u"unknown field"_s));
    }
    if (!doc.contains("operations") || !doc["operations"].is_object())
        return {};
    const QStringList known = operationNames();
    for (auto op = doc["operations"].begin(); op != doc["operations"].end(); ++op) {
        const QString opPath = u"operations."_s + QString::fromStdString(op.key());
        if (!known.contains(QString::fromStdString(op.key())))
            return std::unexpected(
                loader.error(opPath, u"unknown operation (known: %1)"_s.arg(known.join(u", "_s))));
        for (const char *list : { "steps", "onFailure" }) {
            if (!op.value().is_object() || !op.value().contains(list)
                || !op.value()[list].is_array())
                continue;
            int i = 0;
            for (const Json &step : op.value()[list]) {
                const QString path = u"%1.%2[%3]"_s.arg(opPath, QString::fromLatin1(list)).arg(i++);
                if (!step.is_object())
                    return std::unexpected(loader.error(path, u"a step is a mapping"_s));
                int kinds = 0;
                for (auto f = step.begin(); f != step.end(); ++f) {
                    const QString key = QString::fromStdString(f.key());
                    if (!stepKeys.contains(key))
                        return std::unexpected(loader.error(path + u'.' + key, u"unknown field"_s));
                    if (key == u"call"_s || key == u"outbound"_s || key == u"set"_s
                        || key == u"fail"_s)
                        ++kinds;
                }
                if (kinds != 1)
                    return std::unexpected(loader.error(
                        path, u"a step has exactly one of call, outbound, set, fail"_s));
                if (!step.contains("fail") && str(step, "name").isEmpty())
                    return std::unexpected(
                        loader.error(path, u"name: required for call, outbound and set steps"_s));
            }
        }
    }
    return {};
}

struct OpBuilder
{
    Loader &loader;
    QStringList stepNames;

    Result<void> checkPlaceholders(const TemplateString &s, const QStringList &visibleSteps)
    {
        const QString text = s.text;
        int depth = 0;
        for (QChar c : text) {
            if (c == u'{')
                ++depth;
            else if (c == u'}')
                --depth;
            if (depth < 0 || depth > 1)
                return std::unexpected(Error { 0,
                    u"%1:%2: %3: unbalanced braces in '%4'"_s.arg(loader.file)
                        .arg(s.line)
                        .arg(s.field, text),
                    {} });
        }
        if (depth != 0)
            return std::unexpected(Error { 0,
                u"%1:%2: %3: unbalanced braces in '%4'"_s.arg(loader.file)
                    .arg(s.line)
                    .arg(s.field, text),
                {} });
        for (const QString &ph : placeholdersOf(text)) {
            auto bad = [&](const QString &why) {
                return std::unexpected(Error { 0,
                    u"%1:%2: %3: placeholder {%4}: %5"_s.arg(loader.file)
                        .arg(s.line)
                        .arg(s.field, ph, why),
                    {} });
            };
            if (!pathPattern().match(ph.trimmed()).hasMatch())
                return bad(u"not a path such as request.body.amount"_s);
            const QStringList parts = splitPath(ph.trimmed());
            const QString &root = parts[0];
            if (root == u"request"_s)
                continue;
            if (root == u"config"_s) {
                if (parts.size() < 2 || !loader.configKeys.contains(parts[1]))
                    return bad(u"config.%1 is not declared under config"_s.arg(parts.value(1)));
                continue;
            }
            if (root == u"steps"_s) {
                if (parts.size() < 2 || !visibleSteps.contains(parts[1]))
                    return bad(u"no earlier step named '%1'"_s.arg(parts.value(1)));
                continue;
            }
            return bad(u"unknown root '%1' (request, steps, config)"_s.arg(root));
        }
        return {};
    }

    TemplateString tstring(const Json &parent, const char *key, const QString &path)
    {
        const QString field = path + u'.' + QString::fromLatin1(key);
        QString text;
        if (parent.is_object() && parent.contains(key)) {
            const Json &v = parent[key];
            text = v.is_string() ? QString::fromStdString(v.get<std::string>())
                                 : QString::fromUtf8(Fspiop::serializeJson(v));
        }
        return TemplateString { text, loader.line(field), field };
    }

    Mapping mapping(const Json &parent, const char *key, const QString &path)
    {
        const QString field = path + u'.' + QString::fromLatin1(key);
        Mapping m;
        m.field = field;
        m.line = loader.mappingLine(field);
        if (parent.is_object() && parent.contains(key) && parent[key].is_string())
            m.code = QString::fromStdString(parent[key].get<std::string>());
        return m;
    }

    Result<void> checkMapping(const Mapping &m, const QStringList &variables)
    {
        if (!m.isSet())
            return {};
        // Checked together once the whole template is read (see checkJsonnetAll).
        loader.pendingChecks.append(
            JsonnetCheck { m.code, variables, JsonnetSource { loader.file, m.line, m.field } });
        return {};
    }

    Result<Step> step(const Json &j, const QString &path, const QStringList &visible, bool failure)
    {
        Step s;
        s.line = loader.line(path);
        s.field = path;
        s.name = str(j, "name");
        QStringList vars = { u"request"_s, u"steps"_s, u"config"_s };
        if (failure)
            vars << u"failure"_s;
        s.condition = mapping(j, "if", path);
        if (auto r = checkMapping(s.condition, vars); !r)
            return std::unexpected(r.error());
        if (j.contains("call") || j.contains("outbound")) {
            const bool outbound = j.contains("outbound");
            s.kind = outbound ? StepKind::Outbound : StepKind::Call;
            const QString cp = path + (outbound ? u".outbound"_s : u".call"_s);
            const Json &c = outbound ? j["outbound"] : j["call"];
            s.method = str(c, "method").toLatin1();
            s.url = tstring(c, "url", cp);
            if (auto r = checkPlaceholders(s.url, visible); !r)
                return std::unexpected(r.error());
            if (c.contains("headers")) {
                for (auto it = c["headers"].begin(); it != c["headers"].end(); ++it) {
                    TemplateString h = tstring(c["headers"], it.key().c_str(), cp + u".headers"_s);
                    if (auto r = checkPlaceholders(h, visible); !r)
                        return std::unexpected(r.error());
                    s.headers.append({ QString::fromStdString(it.key()), h });
                }
            }
            s.body = mapping(c, "body", cp);
            if (auto r = checkMapping(s.body, vars); !r)
                return std::unexpected(r.error());
            if (c.contains("expect"))
                for (const Json &e : c["expect"])
                    s.expect << e.get<int>();
            s.continueOnError = c.value("continueOnError", false);
            s.timeoutMs = c.value("timeoutMs", 0);
        } else if (j.contains("set")) {
            s.kind = StepKind::Set;
            s.value = mapping(j, "set", path);
            if (auto r = checkMapping(s.value, vars); !r)
                return std::unexpected(r.error());
        } else {
            s.kind = StepKind::Fail;
            const Json &f = j["fail"];
            s.fspiopCode = str(f, "fspiopCode");
            s.message = mapping(f, "message", path + u".fail"_s);
            s.httpStatus = f.value("httpStatus", 500);
            if (auto r = checkMapping(s.message, vars); !r)
                return std::unexpected(r.error());
        }
        return s;
    }

    Result<Operation> operation(const QString &name, const Json &j)
    {
        const QString path = u"operations."_s + name;
        Operation op;
        op.name = name;
        op.line = loader.line(path);
        QStringList visible;
        if (j.contains("steps")) {
            int i = 0;
            for (const Json &sj : j["steps"]) {
                const QString sp = u"%1.steps[%2]"_s.arg(path).arg(i++);
                auto s = step(sj, sp, visible, false);
                if (!s)
                    return std::unexpected(s.error());
                if (!s->name.isEmpty()) {
                    if (visible.contains(s->name))
                        return std::unexpected(loader.error(
                            sp + u".name"_s, u"step name '%1' is used twice"_s.arg(s->name)));
                    visible << s->name;
                }
                op.steps << *s;
            }
        }
        if (j.contains("onFailure")) {
            int i = 0;
            QStringList all = visible;
            for (const Json &sj : j["onFailure"]) {
                const QString sp = u"%1.onFailure[%2]"_s.arg(path).arg(i++);
                auto s = step(sj, sp, all, true);
                if (!s)
                    return std::unexpected(s.error());
                if (!s->name.isEmpty()) {
                    if (all.contains(s->name))
                        return std::unexpected(loader.error(
                            sp + u".name"_s, u"step name '%1' is used twice"_s.arg(s->name)));
                    all << s->name;
                }
                op.onFailure << *s;
            }
        }
        op.response = mapping(j, "response", path);
        if (auto r = checkMapping(op.response, { u"request"_s, u"steps"_s, u"config"_s }); !r)
            return std::unexpected(r.error());
        op.status = j.value("status", 200);
        return op;
    }
};

} // namespace

Result<Template> parseTemplate(const QByteArray &yaml, const QString &file)
{
    Loader loader;
    loader.file = file;
    loader.lines = QString::fromUtf8(yaml).split(u'\n');
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        return fail(0,
            u"%1:%2: YAML: %3"_s.arg(file).arg(e.mark.line + 1).arg(QString::fromStdString(e.msg)));
    }
    Json doc;
    try {
        doc = loader.convert(root, {});
    } catch (const std::exception &e) {
        return fail(0, u"%1: YAML: %2"_s.arg(file, QString::fromUtf8(e.what())));
    }
    if (auto r = checkStructure(doc, loader); !r)
        return std::unexpected(r.error());
    if (auto r = validateAgainstSchema(doc, loader); !r)
        return std::unexpected(r.error());

    Template t;
    t.file = file;
    t.name = str(doc, "name");
    t.description = str(doc, "description");
    if (doc.contains("language"))
        t.language = str(doc, "language");
    if (doc.contains("config")) {
        for (auto it = doc["config"].begin(); it != doc["config"].end(); ++it) {
            loader.configKeys.insert(QString::fromStdString(it.key()));
            t.config[it.key()] = it.value().is_string()
                ? it.value()
                : Json(Fspiop::serializeJson(it.value()).toStdString());
        }
    }
    OpBuilder b { loader, {} };
    const Json &core = doc["core"];
    t.core.baseUrl = b.tstring(core, "baseUrl", u"core"_s);
    if (auto r = b.checkPlaceholders(t.core.baseUrl, {}); !r)
        return std::unexpected(r.error());
    t.core.timeoutMs = core.value("timeoutMs", 30000);
    if (core.contains("headers")) {
        for (auto it = core["headers"].begin(); it != core["headers"].end(); ++it) {
            TemplateString h = b.tstring(core["headers"], it.key().c_str(), u"core.headers"_s);
            if (auto r = b.checkPlaceholders(h, {}); !r)
                return std::unexpected(r.error());
            t.core.headers.append({ QString::fromStdString(it.key()), h });
        }
    }
    if (core.contains("auth")) {
        const Json &a = core["auth"];
        const QString type = str(a, "type");
        t.core.auth = type == u"basic"_s ? AuthKind::Basic
            : type == u"bearer"_s        ? AuthKind::Bearer
            : type == u"apiKey"_s        ? AuthKind::ApiKey
                                         : AuthKind::None;
        struct Need
        {
            AuthKind kind;
            const char *key;
            TemplateString *out;
        };
        const Need needs[] = { { AuthKind::Basic, "username", &t.core.username },
            { AuthKind::Basic, "password", &t.core.password },
            { AuthKind::Bearer, "tokenUrl", &t.core.tokenUrl },
            { AuthKind::Bearer, "clientId", &t.core.clientId },
            { AuthKind::Bearer, "clientSecret", &t.core.clientSecret },
            { AuthKind::ApiKey, "header", &t.core.apiKeyHeader },
            { AuthKind::ApiKey, "value", &t.core.apiKeyValue } };
        for (const Need &n : needs) {
            if (n.kind != t.core.auth)
                continue;
            if (!a.contains(n.key))
                return std::unexpected(loader.error(u"core.auth."_s + QString::fromLatin1(n.key),
                    u"required for auth type %1"_s.arg(type)));
            *n.out = b.tstring(a, n.key, u"core.auth"_s);
            if (auto r = b.checkPlaceholders(*n.out, {}); !r)
                return std::unexpected(r.error());
        }
        if (t.core.auth == AuthKind::Bearer && a.contains("scope"))
            t.core.scope = b.tstring(a, "scope", u"core.auth"_s);
    }
    if (core.contains("tls")) {
        t.core.caFile = str(core["tls"], "caFile");
        t.core.tlsVerify = core["tls"].value("verify", true);
    }
    if (doc.contains("errors")) {
        const Json &e = doc["errors"];
        t.errorCode = b.mapping(e, "code", u"errors"_s);
        if (auto r = b.checkMapping(t.errorCode, { u"response"_s, u"config"_s }); !r)
            return std::unexpected(r.error());
        if (e.contains("table")) {
            int i = 0;
            for (const Json &row : e["table"]) {
                const QString rp = u"errors.table[%1]"_s.arg(i++);
                ErrorRule rule;
                rule.line = loader.line(rp);
                if (row.contains("status")) {
                    if (row["status"].is_array())
                        for (const Json &s : row["status"])
                            rule.statuses << s.get<int>();
                    else
                        rule.statuses << row["status"].get<int>();
                }
                if (row.contains("code")) {
                    if (row["code"].is_array())
                        for (const Json &s : row["code"])
                            rule.codes << QString::fromStdString(s.get<std::string>());
                    else
                        rule.codes << str(row, "code");
                }
                if (row.contains("operations"))
                    for (const Json &s : row["operations"])
                        rule.operations << QString::fromStdString(s.get<std::string>());
                if (row.contains("steps"))
                    for (const Json &s : row["steps"])
                        rule.steps << QString::fromStdString(s.get<std::string>());
                rule.fspiopCode = str(row, "fspiopCode");
                rule.message = str(row, "message");
                rule.httpStatus = row.value("httpStatus", 500);
                if (row.contains("translations"))
                    for (auto it = row["translations"].begin(); it != row["translations"].end();
                         ++it)
                        rule.translations.insert(QString::fromStdString(it.key()),
                            QString::fromStdString(it.value().get<std::string>()));
                t.errors << rule;
            }
        }
    }
    for (auto it = doc["operations"].begin(); it != doc["operations"].end(); ++it) {
        auto op = b.operation(QString::fromStdString(it.key()), it.value());
        if (!op)
            return std::unexpected(op.error());
        t.operations.insert(op->name, *op);
    }
    if (auto r = checkJsonnetAll(loader.pendingChecks); !r)
        return std::unexpected(r.error());
    return t;
}

Result<Template> loadTemplate(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(0, u"%1: cannot read the template: %2"_s.arg(path, f.errorString()));
    return parseTemplate(f.readAll(), path);
}

} // namespace Pm::CoreConnector
