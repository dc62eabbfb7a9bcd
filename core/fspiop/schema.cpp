#include "core/fspiop/schema.h"

#include "core/fspiop/ecmaregex.h"
#include "core/fspiop/json.h"

#include <QFile>
#include <QRegularExpression>

// GCC 12 at -O2/-O3 reports a false -Wrestrict inside libstdc++'s std::string code that valijson
// instantiates here (GCC bug 105329); the warning is about the standard library, not this code.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

// valijson reports schema problems by exception when this is set (else it aborts); they are caught
// below and never leave this file.
#define VALIJSON_USE_EXCEPTIONS 1
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/constraint_builder.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validation_visitor.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <regex>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

// The resources live in a static library: register them explicitly before the first look-up.
static void initFspiopResources()
{
    Q_INIT_RESOURCE(fspiop);
}

using namespace Qt::StringLiterals;

namespace Pm::Fspiop::Schema {

namespace {

using OJson = nlohmann::ordered_json; // the schema files, in their own key order
using VJson = nlohmann::json;         // what valijson's adapter reads

// Keywords this file handles itself (valijson's own `pattern` would use std::regex).
constexpr const char *kTypeKeyword = "x-pm-type";
constexpr const char *kEnumKeyword = "x-pm-enum";
constexpr const char *kPatternKeyword = "x-pm-pattern";
constexpr const char *kClosedKeyword = "x-pm-closed";
constexpr const char *kPropertyKeyword = "x-pm-property";

// The member schemas of `properties`, prepared, addressed by the index an x-pm-property keyword
// holds (a side table: embedding them as text would escape quotes once per nesting level).
struct Preparation
{
    std::vector<std::pair<std::string, VJson>> properties;
};

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

// ---------------------------------------------------------------------------------------------
// Custom constraints

// `type`, with messages that say which type was expected. Value: type names joined by '|'.
class TypeConstraint final : public valijson::constraints::PolyConstraint
{
public:
    explicit TypeConstraint(std::string types) : m_types(std::move(types)) {}

    bool validate(const valijson::adapters::Adapter &target, const std::vector<std::string> &context,
                  valijson::ValidationResults *results) const override
    {
        std::string expected;
        std::size_t from = 0;
        while (from <= m_types.size()) {
            std::size_t bar = m_types.find('|', from);
            if (bar == std::string::npos)
                bar = m_types.size();
            const std::string type = m_types.substr(from, bar - from);
            if (matches(target, type))
                return true;
            expected += (expected.empty() ? "" : " or ") + article(type);
            from = bar + 1;
        }
        if (results)
            results->pushError(context, "must be " + expected);
        return false;
    }

private:
    static bool matches(const valijson::adapters::Adapter &target, const std::string &type)
    {
        if (type == "string")
            return target.isString();
        if (type == "object")
            return target.isObject();
        if (type == "array")
            return target.isArray();
        if (type == "boolean")
            return target.isBool();
        if (type == "null")
            return target.isNull();
        if (type == "number")
            return target.isNumber();
        if (type == "integer") {
            if (target.isInteger())
                return true;
            double value = 0;
            return target.isDouble() && target.getDouble(value) && std::isfinite(value)
                   && std::trunc(value) == value;
        }
        return false;
    }

    static std::string article(const std::string &type)
    {
        if (type == "null")
            return type;
        if (type == "object" || type == "array" || type == "integer")
            return "an " + type;
        return "a " + type;
    }

    valijson::constraints::Constraint *cloneInto(void *memory) const override
    {
        return new (memory) TypeConstraint(*this);
    }
    size_t sizeOf() const override { return sizeof(TypeConstraint); }

    std::string m_types;
};

// `enum`, naming the allowed values. Value: the enum array as JSON text.
class EnumConstraint final : public valijson::constraints::PolyConstraint
{
public:
    explicit EnumConstraint(const std::string &valuesJson)
        : m_values(VJson::parse(valuesJson, nullptr, false))
    {
        if (!m_values.is_array())
            valijson::throwRuntimeError("enum: not an array");
    }

    bool validate(const valijson::adapters::Adapter &target, const std::vector<std::string> &context,
                  valijson::ValidationResults *results) const override
    {
        if (target.isString()) { // every FSPIOP enumeration is of strings: compare them directly
            const std::string text = target.asString();
            for (const VJson &value : m_values) {
                if (value.is_string() && value.get_ref<const std::string &>() == text)
                    return true;
            }
        } else {
            for (const VJson &value : m_values) {
                if (target.equalTo(valijson::adapters::NlohmannJsonAdapter(value), true))
                    return true;
            }
        }
        if (results) {
            std::string allowed;
            for (const VJson &value : m_values) {
                if (!allowed.empty())
                    allowed += ", ";
                allowed += value.is_string() ? value.get<std::string>() : value.dump();
            }
            results->pushError(context, "must be one of: " + allowed);
        }
        return false;
    }

private:
    valijson::constraints::Constraint *cloneInto(void *memory) const override
    {
        return new (memory) EnumConstraint(*this);
    }
    size_t sizeOf() const override { return sizeof(EnumConstraint); }

    VJson m_values;
};

// `additionalProperties: false`: the object's members must all be named in `properties`.
// Value: the allowed names as a JSON array text. (valijson's own version validates every member
// against an empty schema to find the extra ones, which doubles the work on every object.)
class ClosedObjectConstraint final : public valijson::constraints::PolyConstraint
{
public:
    explicit ClosedObjectConstraint(const std::string &namesJson)
    {
        const VJson names = VJson::parse(namesJson, nullptr, false);
        if (!names.is_array())
            valijson::throwRuntimeError("closed object: not an array");
        for (const VJson &name : names)
            m_names.insert(name.get<std::string>());
    }

    bool validate(const valijson::adapters::Adapter &target, const std::vector<std::string> &context,
                  valijson::ValidationResults *results) const override
    {
        if (!target.isObject())
            return true;
        bool found = false;
        std::string extra;
        target.applyToObject([&](const std::string &name, const valijson::adapters::Adapter &) {
            if (m_names.count(name) != 0)
                return true;
            found = true;
            extra = name;
            return false; // the first one is enough
        });
        if (!found)
            return true;
        if (results) {
            std::vector<std::string> at = context;
            at.push_back("[" + extra + "]");
            results->pushError(at, "is not an allowed property");
        }
        return false;
    }

private:
    valijson::constraints::Constraint *cloneInto(void *memory) const override
    {
        return new (memory) ClosedObjectConstraint(*this);
    }
    size_t sizeOf() const override { return sizeof(ClosedObjectConstraint); }

    std::set<std::string, std::less<>> m_names;
};

// One member of `properties`: if the object has it, it must match its schema. valijson's own
// `properties` visits members in name order and, per keyword, revalidates every other member against
// the implicit `additionalProperties: {}`; one keyword per member keeps ajv's order at linear cost.
class PropertyConstraint final : public valijson::constraints::PolyConstraint
{
public:
    PropertyConstraint(std::string name, std::shared_ptr<const valijson::Schema> schema)
        : m_name(std::move(name)), m_schema(std::move(schema))
    {
    }

    bool validate(const valijson::adapters::Adapter &target, const std::vector<std::string> &context,
                  valijson::ValidationResults *results) const override
    {
        // Every validation here runs on the nlohmann adapter (run() below).
        const auto *object = dynamic_cast<const valijson::adapters::NlohmannJsonAdapter *>(&target);
        if (!object || !object->isObject())
            return true;
        const auto members = object->asObject();
        const auto member = members.find(m_name);
        if (member == members.end())
            return true;
        std::vector<std::string> at = context;
        at.push_back("[" + m_name + "]");
        thread_local std::unordered_map<std::string, std::regex> unusedRegexCache; // no std::regex here
        valijson::ValidationVisitor<valijson::adapters::NlohmannJsonAdapter> visitor(
            (*member).second, std::move(at), true, results, unusedRegexCache);
        return visitor.validateSchema(*m_schema);
    }

private:
    valijson::constraints::Constraint *cloneInto(void *memory) const override
    {
        return new (memory) PropertyConstraint(*this);
    }
    size_t sizeOf() const override { return sizeof(PropertyConstraint); }

    std::string m_name;
    std::shared_ptr<const valijson::Schema> m_schema;
};

std::shared_ptr<valijson::Schema> parseSchema(const VJson &prepared, const std::shared_ptr<const Preparation> &side);

class PropertyBuilder final : public valijson::ConstraintBuilder
{
public:
    explicit PropertyBuilder(std::shared_ptr<const Preparation> side) : m_side(std::move(side)) {}

    valijson::constraints::Constraint *make(const valijson::adapters::Adapter &value) const override
    {
        if (!value.isInteger() || value.asInteger() < 0
            || std::size_t(value.asInteger()) >= m_side->properties.size())
            valijson::throwRuntimeError("x-pm-property: bad index");
        const auto &[name, schema] = m_side->properties[std::size_t(value.asInteger())];
        return new PropertyConstraint(name, parseSchema(schema, m_side));
    }

private:
    std::shared_ptr<const Preparation> m_side;
};

// `pattern`, run as ECMAScript (with the `u` flag, as ajv does) on QRegularExpression.
class PatternConstraint final : public valijson::constraints::PolyConstraint
{
public:
    explicit PatternConstraint(std::string pattern)
        : m_pattern(std::move(pattern)), m_compiled(qs(m_pattern))
    {
    }

    bool validate(const valijson::adapters::Adapter &target, const std::vector<std::string> &context,
                  valijson::ValidationResults *results) const override
    {
        if (!target.isString())
            return true;
        if (m_compiled.matches(qs(target.asString())))
            return true;
        if (results)
            results->pushError(context, "must match pattern " + m_pattern);
        return false;
    }

private:
    valijson::constraints::Constraint *cloneInto(void *memory) const override
    {
        return new (memory) PatternConstraint(*this);
    }
    size_t sizeOf() const override { return sizeof(PatternConstraint); }

    std::string m_pattern;
    Internal::EcmaPattern m_compiled;
};

template<class ConstraintType>
class StringValueBuilder final : public valijson::ConstraintBuilder
{
public:
    valijson::constraints::Constraint *make(const valijson::adapters::Adapter &value) const override
    {
        if (!value.isString())
            valijson::throwRuntimeError("custom keyword expects a string");
        return new ConstraintType(value.asString());
    }
};

// ---------------------------------------------------------------------------------------------
// Preparing a schema for valijson, in ajv's keyword order

bool isAnnotation(const std::string &keyword)
{
    static const char *const annotations[] = {"title", "description", "example", "examples", "default",
                                              "deprecated", "readOnly", "writeOnly", "externalDocs",
                                              "xml", "$comment"};
    for (const char *a : annotations) {
        if (keyword == a)
            return true;
    }
    return keyword.rfind("x-", 0) == 0;
}

bool isHandled(const std::string &keyword)
{
    static const char *const handled[] = {
        "type", "const", "enum", "not", "anyOf", "oneOf", "allOf",
        "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf",
        "maxLength", "minLength", "pattern",
        "maxItems", "minItems", "uniqueItems", "items",
        "maxProperties", "minProperties", "required", "additionalProperties", "properties"};
    for (const char *h : handled) {
        if (keyword == h)
            return true;
    }
    return false;
}

/*
 * Rewrites one schema into an allOf of single-keyword pieces in the order ajv evaluates keywords,
 * so that the first error valijson reports is the one ajv reports first (valijson's allOf stops at
 * the first failing piece, as ajv stops at the first failing keyword):
 *   type; const, enum, not, anyOf, oneOf, allOf; numeric limits; maxLength, minLength, pattern;
 *   maxItems, minItems, uniqueItems, items; maxProperties, minProperties, each `required` name in
 *   the schema's order, additionalProperties; then each of `properties` in the schema's order.
 * Annotations are dropped. Keywords the FSPIOP schemas do not use fail loudly (format,
 * patternProperties, $ref, ...), so that a schema update that needs them is noticed in tests.
 */
Result<VJson> prepare(const OJson &schema, const QString &where, Preparation &side)
{
    if (schema.is_boolean())
        return VJson(schema.get<bool>());
    if (!schema.is_object())
        return fail(0, where + u": a schema must be an object"_s);
    for (const auto &[keyword, value] : schema.items()) {
        if (!isHandled(keyword) && !isAnnotation(keyword))
            return fail(0, where + u": keyword \""_s + qs(keyword) + u"\" is not supported"_s);
    }

    VJson::array_t pieces;
    auto piece = [&](const char *keyword, VJson value) { pieces.push_back(VJson{{keyword, std::move(value)}}); };
    auto sub = [&](const OJson &child, const QString &at) { return prepare(child, where + at, side); };

    if (const auto type = schema.find("type"); type != schema.end()) {
        std::string joined;
        const auto add = [&](const OJson &t) -> bool {
            if (!t.is_string())
                return false;
            joined += (joined.empty() ? "" : "|") + t.get<std::string>();
            return true;
        };
        const bool ok = type->is_array() ? std::all_of(type->begin(), type->end(), add) : add(*type);
        if (!ok || joined.empty())
            return fail(0, where + u"/type: must be a type name or a list of them"_s);
        piece(kTypeKeyword, joined);
    }
    if (const auto c = schema.find("const"); c != schema.end())
        piece("const", VJson(*c));
    if (const auto e = schema.find("enum"); e != schema.end()) {
        if (!e->is_array())
            return fail(0, where + u"/enum: must be an array"_s);
        piece(kEnumKeyword, e->dump());
    }
    if (const auto n = schema.find("not"); n != schema.end()) {
        auto prepared = sub(*n, u"/not"_s);
        if (!prepared)
            return prepared;
        piece("not", std::move(*prepared));
    }
    for (const char *combinator : {"anyOf", "oneOf", "allOf"}) {
        const auto list = schema.find(combinator);
        if (list == schema.end())
            continue;
        if (!list->is_array() || list->empty())
            return fail(0, where + u'/' + QLatin1StringView(combinator) + u": must be a non-empty array"_s);
        VJson::array_t children;
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto prepared = sub((*list)[i], u'/' + QLatin1StringView(combinator) + u'/' + QString::number(i));
            if (!prepared)
                return prepared;
            children.push_back(std::move(*prepared));
        }
        piece(combinator, std::move(children));
    }

    // Numeric limits, as one piece. OpenAPI 3.0 writes exclusive limits as booleans (draft 4);
    // draft 7, which valijson is given, wants the bound itself.
    VJson numeric = VJson::object();
    for (const char *keyword : {"maximum", "minimum", "multipleOf"}) {
        if (const auto v = schema.find(keyword); v != schema.end())
            numeric[keyword] = VJson(*v);
    }
    for (const auto &[exclusive, bound] : {std::pair{"exclusiveMaximum", "maximum"}, std::pair{"exclusiveMinimum", "minimum"}}) {
        const auto v = schema.find(exclusive);
        if (v == schema.end())
            continue;
        if (v->is_boolean()) {
            if (v->get<bool>() && numeric.contains(bound)) {
                numeric[exclusive] = numeric[bound];
                numeric.erase(bound);
            }
        } else {
            numeric[exclusive] = VJson(*v);
        }
    }
    if (!numeric.empty())
        pieces.push_back(std::move(numeric));

    for (const char *keyword : {"maxLength", "minLength"}) {
        if (const auto v = schema.find(keyword); v != schema.end())
            piece(keyword, VJson(*v));
    }
    if (const auto p = schema.find("pattern"); p != schema.end()) {
        if (!p->is_string())
            return fail(0, where + u"/pattern: must be a string"_s);
        const QString ecma = qs(p->get<std::string>());
        if (auto compiled = Internal::compileEcmaPattern(ecma); !compiled)
            return fail(0, where + u"/pattern: "_s + compiled.error().message);
        piece(kPatternKeyword, p->get<std::string>());
    }

    for (const char *keyword : {"maxItems", "minItems", "uniqueItems"}) {
        if (const auto v = schema.find(keyword); v != schema.end())
            piece(keyword, VJson(*v));
    }
    if (const auto items = schema.find("items"); items != schema.end()) {
        if (items->is_array()) {
            VJson::array_t tuple;
            for (std::size_t i = 0; i < items->size(); ++i) {
                auto prepared = sub((*items)[i], u"/items/"_s + QString::number(i));
                if (!prepared)
                    return prepared;
                tuple.push_back(std::move(*prepared));
            }
            piece("items", std::move(tuple));
        } else {
            auto prepared = sub(*items, u"/items"_s);
            if (!prepared)
                return prepared;
            piece("items", std::move(*prepared));
        }
    }

    for (const char *keyword : {"maxProperties", "minProperties"}) {
        if (const auto v = schema.find(keyword); v != schema.end())
            piece(keyword, VJson(*v));
    }
    if (const auto required = schema.find("required"); required != schema.end()) {
        if (!required->is_array())
            return fail(0, where + u"/required: must be an array"_s);
        // One piece per name: valijson checks a required list in sorted order, ajv in the
        // schema's order, and the first missing name is the one reported.
        for (const OJson &name : *required)
            piece("required", VJson::array({VJson(name)}));
    }
    const auto properties = schema.find("properties");
    if (properties != schema.end() && !properties->is_object())
        return fail(0, where + u"/properties: must be an object"_s);
    if (const auto additional = schema.find("additionalProperties"); additional != schema.end()) {
        const bool allowsAll = (additional->is_boolean() && additional->get<bool>())
                               || (additional->is_object() && additional->empty());
        if (!allowsAll) {
            VJson names = VJson::array();
            VJson known = VJson::object();
            if (properties != schema.end()) {
                for (const auto &[name, ignored] : properties->items()) {
                    names.push_back(name);
                    known[name] = VJson::object();
                }
            }
            if (additional->is_boolean()) {
                piece(kClosedKeyword, names.dump());
            } else {
                auto prepared = sub(*additional, u"/additionalProperties"_s);
                if (!prepared)
                    return prepared;
                pieces.push_back(VJson{{"properties", std::move(known)}, {"additionalProperties", std::move(*prepared)}});
            }
        }
    }
    if (properties != schema.end()) {
        for (const auto &[name, child] : properties->items()) {
            auto prepared = sub(child, u"/properties/"_s + qs(name));
            if (!prepared)
                return prepared;
            side.properties.emplace_back(name, std::move(*prepared));
            piece(kPropertyKeyword, VJson(side.properties.size() - 1));
        }
    }

    if (pieces.empty())
        return VJson::object();
    if (pieces.size() == 1)
        return std::move(pieces.front());
    return VJson{{"allOf", std::move(pieces)}};
}

// Parses a prepared schema with this file's keywords. Throws (std::runtime_error) on a schema
// valijson cannot load; the caller catches.
std::shared_ptr<valijson::Schema> parseSchema(const VJson &prepared, const std::shared_ptr<const Preparation> &side)
{
    auto schema = std::make_shared<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    parser.addConstraintBuilder(kTypeKeyword, new StringValueBuilder<TypeConstraint>);
    parser.addConstraintBuilder(kEnumKeyword, new StringValueBuilder<EnumConstraint>);
    parser.addConstraintBuilder(kPatternKeyword, new StringValueBuilder<PatternConstraint>);
    parser.addConstraintBuilder(kClosedKeyword, new StringValueBuilder<ClosedObjectConstraint>);
    parser.addConstraintBuilder(kPropertyKeyword, new PropertyBuilder(side));
    parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(prepared), *schema);
    return schema;
}

// ---------------------------------------------------------------------------------------------
// Registry: one parsed file per version, one valijson schema per type, built on first use

QString resourcePath(ApiVersion version)
{
    return u":/fspiop/schemas/fspiop-v"_s + QString::number(version.major) + u'_'
           + QString::number(version.minor) + u".json"_s;
}

Result<OJson> readJsonResource(const QString &path)
{
    static std::once_flag once;
    std::call_once(once, initFspiopResources);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(2001, u"FSPIOP schemas: resource "_s + path + u" is missing"_s);
    const QByteArray bytes = file.readAll();
    OJson json = OJson::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return fail(2001, u"FSPIOP schemas: resource "_s + path + u" is not a JSON object"_s);
    return json;
}

struct VersionSchemas
{
    OJson document;
    std::map<std::string, std::shared_ptr<const valijson::Schema>, std::less<>> prepared;
};

class Registry
{
public:
    static Registry &instance()
    {
        static Registry registry;
        return registry;
    }

    // The version's document; the pointer stays valid and the document unchanged for the life of
    // the process.
    Result<const OJson *> document(ApiVersion version)
    {
        {
            std::shared_lock lock(m_mutex);
            if (const auto set = m_versions.find(version); set != m_versions.end())
                return &set->second.document;
        }
        std::unique_lock lock(m_mutex);
        auto set = loadLocked(version);
        if (!set)
            return std::unexpected(set.error());
        return &(*set)->document;
    }

    Result<std::shared_ptr<const valijson::Schema>> schema(ApiVersion version, QStringView typeName)
    {
        const std::string type = typeName.toString().toStdString();
        {
            // The common case: already built. Readers share the lock.
            std::shared_lock lock(m_mutex);
            if (const auto set = m_versions.find(version); set != m_versions.end()) {
                if (const auto it = set->second.prepared.find(type); it != set->second.prepared.end())
                    return it->second;
            }
        }
        std::unique_lock lock(m_mutex);
        auto set = loadLocked(version);
        if (!set)
            return std::unexpected(set.error());
        VersionSchemas &schemas = **set;
        if (const auto it = schemas.prepared.find(type); it != schemas.prepared.end())
            return it->second;
        const auto definition = schemas.document.find(type);
        if (definition == schemas.document.end()) {
            return fail(2001, u"FSPIOP "_s + version.toString() + u" has no schema for type \""_s
                                  + typeName + u'"');
        }
        auto side = std::make_shared<Preparation>();
        auto prepared = prepare(*definition, typeName.toString(), *side);
        if (!prepared) {
            return fail(2001, u"FSPIOP "_s + version.toString() + u" schema "_s + prepared.error().message);
        }
        std::shared_ptr<valijson::Schema> result;
        try {
            result = parseSchema(*prepared, side);
        } catch (const std::exception &e) {
            return fail(2001, u"FSPIOP "_s + version.toString() + u" schema "_s + typeName
                                  + u": valijson cannot load it: "_s + QString::fromUtf8(e.what()));
        }
        schemas.prepared.emplace(type, result);
        return std::shared_ptr<const valijson::Schema>(std::move(result));
    }

private:
    Result<VersionSchemas *> loadLocked(ApiVersion version)
    {
        if (const auto it = m_versions.find(version); it != m_versions.end())
            return &it->second;
        if (!isSupportedVersion(version))
            return fail(2001, u"FSPIOP "_s + version.toString() + u" has no schemas"_s);
        auto document = readJsonResource(resourcePath(version));
        if (!document)
            return std::unexpected(document.error());
        VersionSchemas &set = m_versions[version];
        set.document = std::move(*document);
        return &set;
    }

    std::shared_mutex m_mutex;
    std::map<ApiVersion, VersionSchemas> m_versions;
};

// ---------------------------------------------------------------------------------------------
// Reporting

QString pointerOf(const std::vector<std::string> &context)
{
    QString pointer;
    for (const std::string &step : context) {
        if (step == "<root>")
            continue;
        QString token = qs(step);
        if (token.startsWith(u'[') && token.endsWith(u']'))
            token = token.sliced(1, token.size() - 2);
        token.replace(u'~', u"~0"_s).replace(u'/', u"~1"_s);
        pointer += u'/' + token;
    }
    return pointer;
}

QString escapeToken(QString token)
{
    return token.replace(u'~', u"~0"_s).replace(u'/', u"~1"_s);
}

bool isWrapper(const std::string &description)
{
    return description.rfind("Failed to validate against schema associated with", 0) == 0
           || description.rfind("Failed to validate against child schema #", 0) == 0
           || description.rfind("Failed to validate against additional properties schema", 0) == 0
           || description.rfind("Failed to validate item #", 0) == 0;
}

QString plural(const QString &count, QStringView noun)
{
    return count + u' ' + noun + (count == u"1" ? u""_s : u"s"_s);
}

// Turns one valijson error into the FSPIOP error the reference would send.
Pm::Error describe(const valijson::ValidationResults::Error &error)
{
    // thread_local: each thread gets its own compiled copies.
    thread_local const QRegularExpression required(u"^Missing required property '(.*)'\\.$"_s);
    thread_local const QRegularExpression additional(
        u"^Object contains a property that could not be validated using 'properties' or "
        "'additionalProperties' constraints: '(.*)'\\.$"_s);
    thread_local const QRegularExpression limit(
        u"^(String|Array) should (?:be|contain) no (more|fewer) than (\\d+) (?:characters in length|elements)\\.$"_s);

    const QString path = pointerOf(error.context);
    const QString subject = path.isEmpty() ? u"body"_s : path;
    const QString text = qs(error.description);

    if (const auto m = required.match(text); m.hasMatch())
        return Pm::Error{3102, path + u'/' + escapeToken(m.captured(1)) + u" is required"_s, {}};
    if (const auto m = additional.match(text); m.hasMatch())
        return Pm::Error{3100, path + u'/' + escapeToken(m.captured(1)) + u" is not an allowed property"_s, {}};
    if (const auto m = limit.match(text); m.hasMatch()) {
        const bool isString = m.captured(1) == u"String";
        const bool isMax = m.captured(2) == u"more";
        const QString count = m.captured(3);
        const QString what = isString ? plural(count, u"character") : plural(count, u"item");
        return Pm::Error{3100,
                         subject + (isString ? (isMax ? u" must be at most "_s : u" must be at least "_s)
                                             : (isMax ? u" must have at most "_s : u" must have at least "_s))
                             + what + (isString ? u" long"_s : u""_s),
                         {}};
    }
    if (text.startsWith(u"must ") || text.startsWith(u"is "))
        return Pm::Error{3100, subject + u' ' + text, {}};
    return Pm::Error{3100, subject + u": "_s + text, {}};
}

Result<void> run(ApiVersion version, QStringView typeName, const VJson &body)
{
    auto schema = Registry::instance().schema(version, typeName);
    if (!schema)
        return std::unexpected(schema.error());
    valijson::Validator validator(valijson::Validator::kStrongTypes);
    valijson::ValidationResults results;
    bool valid = false;
    try {
        valid = validator.validate(**schema, valijson::adapters::NlohmannJsonAdapter(body), &results);
    } catch (const std::exception &e) {
        return fail(2001, u"FSPIOP "_s + version.toString() + u" "_s + typeName
                              + u": validation stopped: "_s + QString::fromUtf8(e.what()));
    }
    if (valid)
        return {};
    const auto first = std::find_if(results.begin(), results.end(),
                                    [](const auto &e) { return !isWrapper(e.description); });
    if (first == results.end()) {
        if (results.begin() == results.end())
            return fail(3100, u"body does not match "_s + typeName);
        return std::unexpected(describe(*results.begin()));
    }
    Pm::Error error = describe(*first);
    error.detail = typeName.toString() + u" (FSPIOP "_s + version.toString() + u')';
    return std::unexpected(std::move(error));
}

} // namespace

Result<void> validate(ApiVersion version, QStringView typeName, const nlohmann::json &body)
{
    return run(version, typeName, body);
}

Result<void> validate(ApiVersion version, QStringView typeName, const nlohmann::ordered_json &body)
{
    return run(version, typeName, VJson(body));
}

Result<void> validateBytes(ApiVersion version, QStringView typeName, QByteArrayView body)
{
    auto json = parseJson(body); // depth-limited, never throws
    if (!json)
        return fail(3101, u"body: "_s + json.error().message);
    return validate(version, typeName, *json);
}

bool hasType(ApiVersion version, QStringView typeName)
{
    auto document = Registry::instance().document(version);
    return document && (*document)->contains(typeName.toString().toStdString());
}

QStringList typeNames(ApiVersion version)
{
    QStringList names;
    if (auto document = Registry::instance().document(version)) {
        for (const auto &[name, ignored] : (*document)->items())
            names.append(qs(name));
    }
    names.sort();
    return names;
}

std::optional<nlohmann::ordered_json> schemaOf(ApiVersion version, QStringView typeName)
{
    auto document = Registry::instance().document(version);
    if (!document)
        return std::nullopt;
    const auto it = (*document)->find(typeName.toString().toStdString());
    if (it == (*document)->end())
        return std::nullopt;
    return *it;
}

QString sourceVersion()
{
    static const QString version = [] {
        auto source = readJsonResource(u":/fspiop/schemas/source.json"_s);
        if (!source || !source->contains("version") || !(*source)["version"].is_string())
            return QString();
        return qs((*source)["version"].get<std::string>());
    }();
    return version;
}

Result<void> preloadAll()
{
    for (const ApiVersion &version : supportedVersions()) {
        auto document = Registry::instance().document(version);
        if (!document)
            return std::unexpected(document.error());
        for (const QString &type : typeNames(version)) {
            if (auto schema = Registry::instance().schema(version, type); !schema)
                return std::unexpected(schema.error());
        }
    }
    return {};
}

} // namespace Pm::Fspiop::Schema
