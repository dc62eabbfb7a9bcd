#include "core/coreconnector/jsonnet.h"

#include "core/fspiop/amount.h"

#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>
#include <memory>

extern "C" {
#include <libjsonnet.h>
}

using namespace Qt::StringLiterals;

namespace Pm::CoreConnector {

using Fspiop::Json;

namespace {

/** A signed exact decimal: sign plus an Amount magnitude. */
struct Decimal
{
    bool negative = false;
    Fspiop::Amount magnitude;

    QString toString() const
    {
        const QString m = magnitude.toString();
        return negative && !magnitude.isZero() ? u'-' + m : m;
    }
};

Result<Decimal> parseDecimal(QString text, const QString &function, int argument)
{
    Decimal d;
    text = text.trimmed();
    if (text.startsWith(u'-') || text.startsWith(u'+')) {
        d.negative = text.startsWith(u'-');
        text = text.mid(1);
    }
    auto m = Fspiop::Amount::parseLenient(text, u"%1 argument %2"_s.arg(function).arg(argument));
    if (!m)
        return std::unexpected(m.error());
    d.magnitude = *m;
    return d;
}

Result<Decimal> addDecimals(const Decimal &a, const Decimal &b)
{
    if (a.negative == b.negative) {
        auto sum = a.magnitude.plus(b.magnitude, u"sum"_s);
        if (!sum)
            return std::unexpected(sum.error());
        return Decimal { a.negative, *sum };
    }
    const bool aLarger = a.magnitude >= b.magnitude;
    const Decimal &large = aLarger ? a : b;
    const Decimal &small = aLarger ? b : a;
    auto diff = large.magnitude.minus(small.magnitude, u"difference"_s);
    if (!diff)
        return std::unexpected(diff.error());
    return Decimal { large.negative, *diff };
}

int compareDecimals(const Decimal &a, const Decimal &b)
{
    const bool an = a.negative && !a.magnitude.isZero();
    const bool bn = b.negative && !b.magnitude.isZero();
    if (an != bn)
        return an ? -1 : 1;
    const auto c = a.magnitude <=> b.magnitude;
    const int m = c < 0 ? -1 : (c > 0 ? 1 : 0);
    return an ? -m : m;
}

struct VmDeleter
{
    void operator()(JsonnetVm *vm) const { jsonnet_destroy(vm); }
};
using VmPtr = std::unique_ptr<JsonnetVm, VmDeleter>;

JsonnetJsonValue *nativeError(JsonnetVm *vm, int *success, const QString &message)
{
    *success = 0;
    return jsonnet_json_make_string(vm, message.toUtf8().constData());
}

std::optional<QString> stringArg(JsonnetVm *vm, const JsonnetJsonValue *v)
{
    const char *text = jsonnet_json_extract_string(vm, v);
    if (!text)
        return std::nullopt;
    return QString::fromUtf8(text);
}

JsonnetJsonValue *nativeAdd(void *ctx, const JsonnetJsonValue *const *argv, int *success)
{
    auto *vm = static_cast<JsonnetVm *>(ctx);
    auto a = stringArg(vm, argv[0]);
    auto b = stringArg(vm, argv[1]);
    if (!a || !b)
        return nativeError(vm, success, u"pm.add: both arguments must be decimal strings"_s);
    auto r = decimalAdd(*a, *b);
    if (!r)
        return nativeError(vm, success, r.error().message);
    *success = 1;
    return jsonnet_json_make_string(vm, r->toUtf8().constData());
}

JsonnetJsonValue *nativeSub(void *ctx, const JsonnetJsonValue *const *argv, int *success)
{
    auto *vm = static_cast<JsonnetVm *>(ctx);
    auto a = stringArg(vm, argv[0]);
    auto b = stringArg(vm, argv[1]);
    if (!a || !b)
        return nativeError(vm, success, u"pm.sub: both arguments must be decimal strings"_s);
    auto r = decimalSub(*a, *b);
    if (!r)
        return nativeError(vm, success, r.error().message);
    *success = 1;
    return jsonnet_json_make_string(vm, r->toUtf8().constData());
}

JsonnetJsonValue *nativeCompare(void *ctx, const JsonnetJsonValue *const *argv, int *success)
{
    auto *vm = static_cast<JsonnetVm *>(ctx);
    auto a = stringArg(vm, argv[0]);
    auto b = stringArg(vm, argv[1]);
    if (!a || !b)
        return nativeError(vm, success, u"pm.cmp: both arguments must be decimal strings"_s);
    auto r = decimalCompare(*a, *b);
    if (!r)
        return nativeError(vm, success, r.error().message);
    *success = 1;
    return jsonnet_json_make_number(vm, *r);
}

JsonnetJsonValue *nativeNormalise(void *ctx, const JsonnetJsonValue *const *argv, int *success)
{
    auto *vm = static_cast<JsonnetVm *>(ctx);
    auto a = stringArg(vm, argv[0]);
    if (!a)
        return nativeError(vm, success, u"pm.normalise: the argument must be a decimal string"_s);
    auto d = parseDecimal(*a, u"pm.normalise"_s, 1);
    if (!d)
        return nativeError(vm, success, d.error().message);
    *success = 1;
    return jsonnet_json_make_string(vm, d->toString().toUtf8().constData());
}

JsonnetJsonValue *nativeFixed(void *ctx, const JsonnetJsonValue *const *argv, int *success)
{
    auto *vm = static_cast<JsonnetVm *>(ctx);
    auto a = stringArg(vm, argv[0]);
    double places = -1;
    if (!a || !jsonnet_json_extract_number(vm, argv[1], &places) || places < 0 || places > 4
        || places != double(int(places)))
        return nativeError(
            vm, success, u"pm.fixed: arguments are a decimal string and 0..4 decimals"_s);
    auto d = parseDecimal(*a, u"pm.fixed"_s, 1);
    if (!d)
        return nativeError(vm, success, d.error().message);
    const int n = int(places);
    if (d->magnitude.decimals() > n)
        return nativeError(
            vm, success, u"pm.fixed: '%1' has more than %2 decimals"_s.arg(*a).arg(n));
    QString out = QString::number(d->magnitude.integerPart());
    if (n > 0) {
        const QString frac
            = QString::number(d->magnitude.fractionTenThousandths()).rightJustified(4, u'0');
        out += u'.' + frac.left(n);
    }
    if (d->negative && !d->magnitude.isZero())
        out.prepend(u'-');
    *success = 1;
    return jsonnet_json_make_string(vm, out.toUtf8().constData());
}

JsonnetJsonValue *nativeFormatDate(void *ctx, const JsonnetJsonValue *const *argv, int *success)
{
    auto *vm = static_cast<JsonnetVm *>(ctx);
    auto iso = stringArg(vm, argv[0]);
    auto format = stringArg(vm, argv[1]);
    if (!iso || !format)
        return nativeError(
            vm, success, u"pm.formatDate: arguments are an ISO 8601 string and a format"_s);
    QDateTime dt = QDateTime::fromString(*iso, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(*iso, Qt::ISODate);
    if (!dt.isValid())
        return nativeError(
            vm, success, u"pm.formatDate: '%1' is not an ISO 8601 date-time"_s.arg(*iso));
    *success = 1;
    const QString out = QLocale(QLocale::English).toString(dt.toUTC(), *format);
    return jsonnet_json_make_string(vm, out.toUtf8().constData());
}

const char *const kTwoParams[] = { "a", "b", nullptr };
const char *const kOneParam[] = { "a", nullptr };
const char *const kDateParams[] = { "date", "format", nullptr };
const char *const kFixedParams[] = { "a", "decimals", nullptr };

VmPtr makeVm()
{
    VmPtr vm(jsonnet_make());
    jsonnet_max_stack(vm.get(), 200);
    jsonnet_native_callback(vm.get(), "decimalAdd", nativeAdd, vm.get(), kTwoParams);
    jsonnet_native_callback(vm.get(), "decimalSub", nativeSub, vm.get(), kTwoParams);
    jsonnet_native_callback(vm.get(), "decimalCompare", nativeCompare, vm.get(), kTwoParams);
    jsonnet_native_callback(vm.get(), "decimalNormalise", nativeNormalise, vm.get(), kOneParam);
    jsonnet_native_callback(vm.get(), "decimalFixed", nativeFixed, vm.get(), kFixedParams);
    jsonnet_native_callback(vm.get(), "formatDate", nativeFormatDate, vm.get(), kDateParams);
    return vm;
}

QString pmLocal(const QString &now)
{
    return u"local pm = {add: std.native('decimalAdd'), sub: std.native('decimalSub'), "
           "cmp: std.native('decimalCompare'), normalise: std.native('decimalNormalise'), "
           "fixed: std.native('decimalFixed'), formatDate: std.native('formatDate'), now: '%1'}; "_s
               .arg(now);
}

/** "FILE:LINE: FIELD: jsonnet: <first line of the library's message>". */
Error jsonnetError(const QString &raw, const JsonnetSource &source)
{
    static const QRegularExpression where(u"(?:mapping|<mapping>):(\\d+):"_s);
    int line = source.line;
    auto m = where.match(raw);
    if (m.hasMatch())
        line = source.line + m.captured(1).toInt() - 1;
    QString first = raw.section(u'\n', 0, 0).trimmed();
    first.remove(QRegularExpression(u"mapping:\\d+:\\d+(-\\d+)?:?\\s*"_s));
    first.remove(QRegularExpression(u"mapping:\\(\\d+:\\d+\\)-\\(\\d+:\\d+\\):?\\s*"_s));
    return Error { 2001,
        u"%1:%2: %3: jsonnet: %4"_s.arg(source.file).arg(line).arg(source.field, first.trimmed()),
        raw };
}

} // namespace

Result<QString> decimalAdd(const QString &a, const QString &b)
{
    auto x = parseDecimal(a, u"pm.add"_s, 1);
    if (!x)
        return std::unexpected(x.error());
    auto y = parseDecimal(b, u"pm.add"_s, 2);
    if (!y)
        return std::unexpected(y.error());
    auto r = addDecimals(*x, *y);
    if (!r)
        return fail(2001, u"pm.add: "_s + r.error().message);
    return r->toString();
}

Result<QString> decimalSub(const QString &a, const QString &b)
{
    auto x = parseDecimal(a, u"pm.sub"_s, 1);
    if (!x)
        return std::unexpected(x.error());
    auto y = parseDecimal(b, u"pm.sub"_s, 2);
    if (!y)
        return std::unexpected(y.error());
    y->negative = !y->negative;
    auto r = addDecimals(*x, *y);
    if (!r)
        return fail(2001, u"pm.sub: "_s + r.error().message);
    return r->toString();
}

Result<int> decimalCompare(const QString &a, const QString &b)
{
    auto x = parseDecimal(a, u"pm.cmp"_s, 1);
    if (!x)
        return std::unexpected(x.error());
    auto y = parseDecimal(b, u"pm.cmp"_s, 2);
    if (!y)
        return std::unexpected(y.error());
    return compareDecimals(*x, *y);
}

Result<Json> evaluateJsonnet(
    const QString &expression, const Json &variables, const JsonnetSource &source)
{
    VmPtr vm = makeVm();
    QString program = pmLocal(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    if (variables.is_object()) {
        for (auto it = variables.begin(); it != variables.end(); ++it) {
            const std::string key = it.key();
            jsonnet_ext_code(vm.get(), key.c_str(), Fspiop::serializeJson(it.value()).constData());
            program += u"local %1 = std.extVar('%1'); "_s.arg(QString::fromStdString(key));
        }
    }
    program += expression;
    int error = 0;
    char *out = jsonnet_evaluate_snippet(vm.get(), "mapping", program.toUtf8().constData(), &error);
    const QByteArray text(out);
    jsonnet_realloc(vm.get(), out, 0);
    if (error)
        return std::unexpected(jsonnetError(QString::fromUtf8(text), source));
    auto json = Fspiop::parseJson(text);
    if (!json)
        return fail(2001,
            u"%1:%2: %3: jsonnet output is not JSON"_s.arg(source.file)
                .arg(source.line)
                .arg(source.field));
    return *json;
}

Result<void> checkJsonnet(
    const QString &expression, const QStringList &variables, const JsonnetSource &source)
{
    VmPtr vm = makeVm();
    QString program = pmLocal(u"1970-01-01T00:00:00.000Z"_s);
    for (const QString &v : variables)
        program += u"local %1 = null; "_s.arg(v);
    // Parsed and checked for unbound names, never called.
    program += u"local __mapping = function() ("_s + expression + u"\n); null"_s;
    int error = 0;
    char *out = jsonnet_evaluate_snippet(vm.get(), "mapping", program.toUtf8().constData(), &error);
    const QByteArray text(out);
    jsonnet_realloc(vm.get(), out, 0);
    if (error)
        return std::unexpected(jsonnetError(QString::fromUtf8(text), source));
    return {};
}

Result<void> checkJsonnetAll(const QList<JsonnetCheck> &checks)
{
    if (checks.isEmpty())
        return {};
    VmPtr vm = makeVm();
    QString program = pmLocal(u"1970-01-01T00:00:00.000Z"_s);
    for (qsizetype i = 0; i < checks.size(); ++i) {
        program
            += u"local __m%1 = function(%2) (\n"_s.arg(i).arg(checks[i].variables.join(u", "_s));
        program += checks[i].expression + u"\n); "_s;
    }
    program += u"null"_s;
    int error = 0;
    char *out = jsonnet_evaluate_snippet(vm.get(), "mapping", program.toUtf8().constData(), &error);
    const QByteArray text(out);
    jsonnet_realloc(vm.get(), out, 0);
    if (!error)
        return {};
    for (const JsonnetCheck &c : checks) {
        if (auto r = checkJsonnet(c.expression, c.variables, c.source); !r)
            return r;
    }
    return fail(2001,
        u"jsonnet: the template's mappings do not check together: %1"_s.arg(
            QString::fromUtf8(text).section(u'\n', 0, 0)));
}

} // namespace Pm::CoreConnector
