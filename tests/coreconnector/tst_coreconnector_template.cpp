// Loading and validating core connector templates: the shipped ones load, and each kind of broken
// template gives one precise "FILE:LINE: FIELD: problem" message, never a crash.

#include "core/coreconnector/template.h"

#include <QDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm;

namespace {

// A minimal valid template; the line numbers matter to the tests below.
const char *const kBase = R"yaml(name: minimal
config:
  baseUrl: http://127.0.0.1:1
core:
  baseUrl: "{config.baseUrl}"
  timeoutMs: 1000
errors:
  code: "std.get(response.body, 'code', '')"
  table:
    - code: NOPE
      fspiopCode: "3204"
      message: Not found
operations:
  getParties:
    steps:
      - name: customer
        call:
          method: GET
          url: /customers/{request.params.idValue}
    response: |
      {
        displayName: steps.customer.body.name,
      }
  postQuoteRequests:
    response: "{transferAmount: request.body.amount}"
  postTransfers:
    response: "{transferState: 'COMMITTED'}"
  putTransfers:
    response: "{}"
)yaml";

QByteArray replaced(const char *from, const char *to)
{
    QByteArray t(kBase);
    Q_ASSERT(t.contains(from));
    return t.replace(from, to);
}

} // namespace

class TestCoreConnectorTemplate : public QObject
{
    Q_OBJECT

private slots:
    void shippedTemplatesLoad_data();
    void shippedTemplatesLoad();
    void baseLoads();
    void lineNumbersOfMappings();
    void brokenTemplates_data();
    void brokenTemplates();
    void missingFile();
    void placeholders();
};

void TestCoreConnectorTemplate::shippedTemplatesLoad_data()
{
    QTest::addColumn<QString>("file");
    const QStringList files
        = QDir(QStringLiteral(PM_TEMPLATES_DIR)).entryList({ u"*.yaml"_s }, QDir::Files);
    QVERIFY(files.contains(u"corebank.yaml"_s));
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << QStringLiteral(PM_TEMPLATES_DIR) + u'/' + f;
}

void TestCoreConnectorTemplate::shippedTemplatesLoad()
{
    QFETCH(QString, file);
    auto t = CoreConnector::loadTemplate(file);
    QVERIFY2(t, qPrintable(t ? QString() : t.error().message));
    for (const QString &op :
        { u"getParties"_s, u"postQuoteRequests"_s, u"postTransfers"_s, u"putTransfers"_s })
        QVERIFY2(t->operation(op), qPrintable(op));
    QVERIFY(!t->errors.isEmpty());
}

void TestCoreConnectorTemplate::baseLoads()
{
    auto t = CoreConnector::parseTemplate(kBase, u"base.yaml"_s);
    QVERIFY2(t, qPrintable(t ? QString() : t.error().message));
    QCOMPARE(t->name, u"minimal"_s);
    QCOMPARE(t->core.timeoutMs, 1000);
    QCOMPARE(t->errors.size(), 1);
    QCOMPARE(t->errors[0].fspiopCode, u"3204"_s);
    QCOMPARE(t->errors[0].codes, QStringList { u"NOPE"_s });
    QCOMPARE(t->errors[0].line, 10);
    const CoreConnector::Operation *op = t->operation(u"getParties"_s);
    QVERIFY(op);
    QCOMPARE(op->steps.size(), 1);
    QCOMPARE(op->steps[0].method, QByteArray("GET"));
    QCOMPARE(op->steps[0].url.text, u"/customers/{request.params.idValue}"_s);
    QCOMPARE(op->steps[0].url.line, 19);
    QVERIFY(!t->operation(u"postSendMoney"_s));
}

void TestCoreConnectorTemplate::lineNumbersOfMappings()
{
    auto t = CoreConnector::parseTemplate(kBase, u"base.yaml"_s);
    QVERIFY(t);
    // A block scalar's text starts on the line after "response: |".
    QCOMPARE(t->operation(u"getParties"_s)->response.line, 21);
    QCOMPARE(t->operation(u"postQuoteRequests"_s)->response.line, 25);
    QCOMPARE(t->errorCode.line, 8);
}

void TestCoreConnectorTemplate::brokenTemplates_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("expected");

    QTest::newRow("YAML syntax") << replaced("  timeoutMs: 1000\n", "  timeoutMs: [1000\n")
                                 << u"t.yaml:7: YAML: end of sequence flow not found"_s;
    QTest::newRow("not a mapping") << QByteArray("- just\n- a list\n")
                                   << u"t.yaml:1: (template): a template is a YAML mapping"_s;
    QTest::newRow("unknown top-level field") << replaced("name: minimal\n",
        "name: minimal\ncolour: blue\n") << u"t.yaml:2: colour: unknown field"_s;
    QTest::newRow("missing operation") << replaced("  putTransfers:\n    response: \"{}\"\n",
        "") << u"t.yaml:13: operations: schema: Missing required property 'putTransfers'"_s;
    QTest::newRow("unknown operation")
        << replaced("  putTransfers:\n", "  getTransfer:\n    response: \"{}\"\n  putTransfers:\n")
        << u"t.yaml:28: operations.getTransfer: unknown operation"_s;
    QTest::newRow("wrong type")
        << replaced("timeoutMs: 1000", "timeoutMs: soon")
        << u"t.yaml:6: core.timeoutMs: schema: Value type not permitted by 'type'"_s;
    QTest::newRow("bad HTTP method")
        << replaced("method: GET", "method: FETCH")
        << u"t.yaml:18: operations.getParties.steps[0].call.method: schema: Failed to match against any enum"_s;
    QTest::newRow("bad FSPIOP code")
        << replaced("fspiopCode: \"3204\"", "fspiopCode: \"32040\"")
        << u"t.yaml:11: errors.table[0].fspiopCode: schema: Failed to match regex"_s;
    QTest::newRow("unknown step field")
        << replaced("      - name: customer\n", "      - name: customer\n        retry: 3\n")
        << u"t.yaml:17: operations.getParties.steps[0].retry: unknown field"_s;
    QTest::newRow("two step kinds")
        << replaced("      - name: customer\n", "      - name: customer\n        set: \"1\"\n")
        << u"t.yaml:16: operations.getParties.steps[0]: a step has exactly one of call, outbound, set, fail"_s;
    QTest::newRow("step without name") << replaced("      - name: customer\n        call:",
        "      - call:") << u"t.yaml:16: operations.getParties.steps[0]: name: required"_s;
    QTest::newRow("unknown placeholder root")
        << replaced("{request.params.idValue}", "{params.idValue}")
        << u"t.yaml:19: operations.getParties.steps[0].call.url: placeholder {params.idValue}: unknown root 'params'"_s;
    QTest::newRow("placeholder to a later step")
        << replaced("{request.params.idValue}", "{steps.customer.body.id}")
        << u"t.yaml:19: operations.getParties.steps[0].call.url: placeholder {steps.customer.body.id}: no earlier step named 'customer'"_s;
    QTest::newRow("undeclared config key")
        << replaced("\"{config.baseUrl}\"", "\"{config.baseURL}\"")
        << u"t.yaml:5: core.baseUrl: placeholder {config.baseURL}: config.baseURL is not declared under config"_s;
    QTest::newRow("bad placeholder path")
        << replaced("{request.params.idValue}", "{request..x}")
        << u"t.yaml:19: operations.getParties.steps[0].call.url: placeholder {request..x}: not a path"_s;
    QTest::newRow("unbalanced braces")
        << replaced("{request.params.idValue}", "{request.params.idValue")
        << u"t.yaml:19: operations.getParties.steps[0].call.url: unbalanced braces"_s;
    QTest::newRow("Jsonnet syntax error")
        << replaced("        displayName: steps.customer.body.name,\n",
               "        displayName: steps.customer.body.name +,\n")
        << u"t.yaml:22: operations.getParties.response: jsonnet: STATIC ERROR: unexpected: \",\""_s;
    QTest::newRow("Jsonnet unknown variable")
        << replaced("{transferAmount: request.body.amount}", "{transferAmount: quote.amount}")
        << u"t.yaml:25: operations.postQuoteRequests.response: jsonnet: STATIC ERROR: Unknown variable: quote"_s;
    QTest::newRow("Jsonnet in the error code")
        << replaced("std.get(response.body, 'code', '')", "std.get(request.body, 'code', '')")
        << u"t.yaml:8: errors.code: jsonnet: STATIC ERROR: Unknown variable: request"_s;
    QTest::newRow("duplicate step name")
        << replaced("    response: |\n      {\n        displayName",
               "      - name: customer\n        set: \"1\"\n    response: |\n      {\n        "
               "displayName")
        << u"t.yaml:20: operations.getParties.steps[1].name: step name 'customer' is used twice"_s;
    QTest::newRow("basic auth without password")
        << replaced("  timeoutMs: 1000\n",
               "  timeoutMs: 1000\n  auth:\n    type: basic\n    username: u\n")
        << u"t.yaml:7: core.auth.password: required for auth type basic"_s;
    QTest::newRow("missing name") << replaced("name: minimal\n",
        "") << u"t.yaml:1: (template): schema: Missing required property 'name'"_s;
}

void TestCoreConnectorTemplate::brokenTemplates()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, expected);
    auto t = CoreConnector::parseTemplate(yaml, u"t.yaml"_s);
    QVERIFY2(!t, "the broken template loaded");
    QVERIFY2(t.error().message.contains(expected), qPrintable(u"got: "_s + t.error().message));
    QVERIFY2(!t.error().message.contains(u'\n'), qPrintable(t.error().message));
    qInfo("%s", qPrintable(t.error().message));
}

void TestCoreConnectorTemplate::missingFile()
{
    auto t = CoreConnector::loadTemplate(u"/nonexistent/bank.yaml"_s);
    QVERIFY(!t);
    QVERIFY2(t.error().message.startsWith(u"/nonexistent/bank.yaml: cannot read the template"_s),
        qPrintable(t.error().message));
}

void TestCoreConnectorTemplate::placeholders()
{
    QCOMPARE(CoreConnector::placeholdersOf(u"/a/{x.y}/b/{steps.s.body.list[2].id}"_s),
        (QStringList { u"x.y"_s, u"steps.s.body.list[2].id"_s }));
    const Fspiop::Json ctx { { "steps",
        { { "s",
            { { "body", { { "list", { 1, 2, { { "id", "ID-3" } } } }, { "n", 42 } } } } } } } };
    QCOMPARE(CoreConnector::resolvePlaceholder(u"steps.s.body.list[2].id"_s, ctx).value_or(u"-"_s),
        u"ID-3"_s);
    QCOMPARE(CoreConnector::resolvePlaceholder(u"steps.s.body.n"_s, ctx).value_or(u"-"_s), u"42"_s);
    QVERIFY(!CoreConnector::resolvePlaceholder(u"steps.s.body.list[9]"_s, ctx));
    QVERIFY(!CoreConnector::resolvePlaceholder(u"steps.s.body"_s, ctx)); // an object is no text
}

QTEST_GUILESS_MAIN(TestCoreConnectorTemplate)
#include "tst_coreconnector_template.moc"
