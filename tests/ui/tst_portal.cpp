// The desktop portal against a store filled by real traffic: two in-process connectors peering
// directly (JWS on every leg, CHECK_ILP on), each with its own test backend. The payer's store is
// what the portal shows; every number on screen is checked against the store's own answers.

#include "core/connector/connector.h"
#include "core/store/store.h"
#include "tests/integration/connectorkit.h"
#include "tests/support/testbackend.h"
#include "tests/support/testpki.h"
#include "ui/data/portaldata.h"
#include "ui/data/storeaccess.h"
#include "ui/data/transferexport.h"
#include "ui/models/transfertablemodel.h"
#include "ui/widgets/chartpanel.h"
#include "ui/widgets/detailsdialog.h"
#include "ui/widgets/findpage.h"
#include "ui/widgets/healthpage.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/overviewpage.h"
#include "ui/widgets/technicalpage.h"

#include <QAbstractButton>
#include <QAbstractItemModel>
#include <QAbstractScrollArea>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QDateTimeEdit>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Test;

namespace {

/** The cells of the first worksheet of an XLSX file, row by row (shared or inline strings). */
QList<QStringList> readXlsx(const QString &path, QString *problem)
{
    auto unzip = [&](const QString &member) {
        QProcess p;
        p.start(u"unzip"_s, { u"-p"_s, path, member });
        if (!p.waitForFinished(30000) || p.exitCode() != 0) {
            *problem = u"unzip -p %1 %2 failed: %3"_s.arg(
                path, member, QString::fromUtf8(p.readAllStandardError()));
            return QByteArray();
        }
        return p.readAllStandardOutput();
    };
    QStringList shared;
    const QByteArray sharedXml = unzip(u"xl/sharedStrings.xml"_s);
    problem->clear(); // a workbook of inline strings has no shared strings
    {
        QXmlStreamReader xml(sharedXml);
        QString current;
        bool inSi = false;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == u"si") {
                inSi = true;
                current.clear();
            } else if (xml.isStartElement() && xml.name() == u"t" && inSi) {
                current += xml.readElementText();
            } else if (xml.isEndElement() && xml.name() == u"si") {
                inSi = false;
                shared << current;
            }
        }
    }
    const QByteArray sheet = unzip(u"xl/worksheets/sheet1.xml"_s);
    if (!problem->isEmpty())
        return {};
    QList<QStringList> rows;
    QXmlStreamReader xml(sheet);
    QString type;
    int column = 0;
    auto columnOf = [](QStringView ref) {
        int c = 0;
        for (QChar ch : ref) {
            if (!ch.isLetter())
                break;
            c = c * 26 + (ch.unicode() - 'A' + 1);
        }
        return c - 1;
    };
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == u"row") {
            rows.append(QStringList());
        } else if (xml.isStartElement() && xml.name() == u"c") {
            type = xml.attributes().value(u"t"_s).toString();
            column = columnOf(xml.attributes().value(u"r"_s));
        } else if (xml.isStartElement() && (xml.name() == u"v" || xml.name() == u"t")) {
            const QString text = xml.readElementText();
            QString value = type == u"s" ? shared.value(text.toInt()) : text;
            QStringList &row = rows.last();
            while (row.size() < column)
                row << QString();
            row << value;
        }
    }
    if (xml.hasError())
        *problem = xml.errorString();
    return rows;
}

/** RFC 4180 CSV parse (quoted fields, CRLF). */
QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row << field;
            field.clear();
        } else if (c == u'\n') {
            row << field;
            field.clear();
            rows << row;
            row.clear();
        } else if (c != u'\r') {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty()) {
        row << field;
        rows << row;
    }
    return rows;
}

/** Distinct colours of an image, sampled: a blank grab has one or two. */
int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    return int(colours.size());
}

QString label(QWidget *root, const QString &name)
{
    auto *l = root->findChild<QLabel *>(name);
    return l ? l->text() : u"<no label %1>"_s.arg(name);
}

} // namespace

class TestPortal : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void overviewMatchesTheStore();
    void findFilters();
    void findSortsAndLoadsLazily();
    void detailsTabs();
    void exportsReadBack();
    void liveUpdate();
    void technicalDashboard();
    void healthLight();
    void screenshots();
    void everyControlIsNamedAndReachable();

private:
    void startPair();
    QString postTransfer(const QString &idValue, const QString &amount, int expectStatus);
    std::unique_ptr<Ui::StoreAccess> openPayerStore();
    void showWindow(Ui::MainWindow &window);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_payerKey, m_payeeKey, m_keysDir, m_payerStorePath;
    std::unique_ptr<TestPki> m_pki;
    std::unique_ptr<TestBackend> m_payerBackend, m_payeeBackend;
    std::unique_ptr<Connector::Connector> m_payer, m_payee;
    std::unique_ptr<Net::HttpClient> m_client;
    QStringList m_completed, m_failed;
};

void TestPortal::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto pki = TestPki::create(m_dir->path(), TestKeyType::Rsa2048);
    QVERIFY2(pki, qPrintable(pki ? QString() : pki.error().message));
    m_pki = std::make_unique<TestPki>(std::move(*pki));
    auto payer = m_pki->issueClient(u"payerfsp"_s);
    auto payee = m_pki->issueClient(u"payeefsp"_s);
    QVERIFY(payer && payee);
    m_payerKey = payer->privateKeyPath;
    m_payeeKey = payee->privateKeyPath;
    m_keysDir = m_dir->filePath(u"jwskeys"_s);
    QVERIFY(QDir().mkpath(m_keysDir));
    for (const auto &[name, path] :
        { std::pair { u"payerfsp"_s, m_payerKey }, std::pair { u"payeefsp"_s, m_payeeKey } }) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto key = Fspiop::Jws::SigningKey::fromPem(f.readAll());
        QVERIFY(key);
        QVERIFY(writeFile(m_keysDir + u'/' + name + u".pem"_s, key->publicKeyPem()));
    }
    startPair();

    // Real traffic: successful transfers of several amounts, and some the payee's backend refuses.
    for (const QString &amount : { u"10"_s, u"20.5"_s, u"30"_s, u"45.25"_s, u"60"_s, u"75"_s }) {
        const QString id = postTransfer(u"25612345678"_s, amount, 200);
        QVERIFY(!id.isEmpty());
        m_completed << id;
    }
    m_payeeBackend->setAnswer("POST", u"/quoterequests"_s,
        { 400, R"({"statusCode":"5103","message":"Payee FSP rejected the quote"})"_ba, 0 });
    for (const QString &amount : { u"15"_s, u"25"_s }) {
        postTransfer(u"25612345678"_s, amount, 500);
    }
    m_payeeBackend->clearAnswers();
    m_payer->store()->flush();
    Store::TransferQuery failedQuery;
    failedQuery.filter.status = Store::TransferStatus::Failed;
    auto failed = m_payer->store()->transfers().search(failedQuery);
    QVERIFY(failed);
    for (const auto &t : *failed)
        m_failed << t.id;
    QCOMPARE(m_failed.size(), 2);
    m_payerStorePath = m_payer->store()->path();
}

void TestPortal::cleanupTestCase()
{
    if (m_payer)
        m_payer->stop();
    if (m_payee)
        m_payee->stop();
    m_payer.reset();
    m_payee.reset();
    m_client.reset();
    m_payerBackend.reset();
    m_payeeBackend.reset();
}

void TestPortal::startPair()
{
    m_payerBackend = std::make_unique<TestBackend>();
    m_payeeBackend = std::make_unique<TestBackend>();
    QVERIFY(m_payerBackend->start());
    QVERIFY(m_payeeBackend->start());
    m_payeeBackend->addParty(
        Json { { "idType", "MSISDN" }, { "idValue", "25612345678" }, { "displayName", "Ana Pérez" },
            { "firstName", "Ana" }, { "lastName", "Pérez" }, { "dateOfBirth", "1970-01-01" } });
    m_client = Net::createHttpClient();
    const quint16 payerIn = freePort(), payeeIn = freePort();
    QVERIFY(payerIn && payeeIn);
    auto payerCfg = testConfig(
        u"payerfsp"_s, payerIn, payeeIn, m_payerBackend->port(), m_payerKey, m_keysDir);
    auto payeeCfg = testConfig(
        u"payeefsp"_s, payeeIn, payerIn, m_payeeBackend->port(), m_payeeKey, m_keysDir);
    payeeCfg.http.retries = 0;
    payerCfg.outboundPort = freePort();
    m_payer = std::make_unique<Connector::Connector>(payerCfg, m_dir->filePath(u"payer"_s));
    m_payee = std::make_unique<Connector::Connector>(payeeCfg, m_dir->filePath(u"payee"_s));
    auto a = m_payee->start();
    QVERIFY2(a, qPrintable(a ? QString() : a.error().message));
    auto b = m_payer->start();
    QVERIFY2(b, qPrintable(b ? QString() : b.error().message));
}

QString TestPortal::postTransfer(const QString &idValue, const QString &amount, int expectStatus)
{
    Json req = Json::object();
    req["homeTransactionId"] = "home-" + amount.toStdString();
    req["from"] = Json { { "idType", "MSISDN" }, { "idValue", "25644444444" },
        { "displayName", "Payer Person" }, { "fspId", "payerfsp" } };
    req["to"] = Json { { "idType", "MSISDN" }, { "idValue", idValue.toStdString() } };
    req["amountType"] = "SEND";
    req["currency"] = "USD";
    req["amount"] = amount.toStdString();
    req["transactionType"] = "TRANSFER";
    const QUrl url(u"http://127.0.0.1:%1/transfers"_s.arg(m_payer->ports().outbound));
    auto r = call(*m_client, "POST", url, Fspiop::serializeJson(req));
    if (!r) {
        qWarning("POST /transfers got no answer");
        return {};
    }
    if (r->status != expectStatus)
        qWarning(
            "POST /transfers: %d, expected %d: %s", r->status, expectStatus, r->body.constData());
    const Json body = parse(r->body);
    QString id = qs(body, "transferId");
    if (id.isEmpty() && body.contains("transferState"))
        id = qs(body["transferState"], "transferId");
    return id;
}

std::unique_ptr<Ui::StoreAccess> TestPortal::openPayerStore()
{
    auto access = Ui::StoreAccess::open(m_payerStorePath);
    if (!access) {
        qWarning("%s", qPrintable(access.error().message));
        return {};
    }
    return std::move(*access);
}

void TestPortal::showWindow(Ui::MainWindow &window)
{
    window.resize(1280, 820);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
}

void TestPortal::overviewMatchesTheStore()
{
    Ui::MainWindow window;
    window.setStoreAccess(openPayerStore());
    QVERIFY(window.overviewPage());
    showWindow(window);
    Ui::OverviewPage *overview = window.overviewPage();
    overview->setRefreshInterval(0);
    QSignalSpy refreshed(overview, &Ui::OverviewPage::refreshed);
    overview->setPreset(Ui::WindowPreset::LastHour);
    QTRY_VERIFY_WITH_TIMEOUT(!refreshed.isEmpty(), 20000);
    refreshed.clear();
    overview->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!refreshed.isEmpty(), 20000);

    // The store's own answers for the same window.
    const Ui::TimeWindow w = overview->data().window;
    Store::Store &store = *m_payer->store();
    auto minuteRows = store.transfers().minuteStats(w.fromMs, w.toMs);
    QVERIFY(minuteRows);
    qint64 completed = 0, failed = 0;
    for (const auto &m : *minuteRows) {
        completed += m.completed;
        failed += m.failed;
    }
    Store::TransferFilter pendingFilter;
    pendingFilter.status = Store::TransferStatus::Pending;
    pendingFilter.initiatedFrom = w.fromMs;
    pendingFilter.initiatedTo = w.toMs;
    auto pendingCount = store.transfers().count(pendingFilter);
    QVERIFY(pendingCount);
    const qint64 pending = *pendingCount;
    // The same as the counts by state: every transfer here was initiated and finished in the
    // window.
    auto states = store.transfers().countByState(w.fromMs, w.toMs);
    QVERIFY(states);
    qint64 byState[3] = { 0, 0, 0 };
    for (const auto &c : *states)
        byState[int(c.status)] += c.count;
    QCOMPARE(byState[int(Store::TransferStatus::Completed)], completed);
    QCOMPARE(byState[int(Store::TransferStatus::Failed)], failed);
    QCOMPARE(byState[int(Store::TransferStatus::Pending)], pending);
    QCOMPARE(completed, qint64(m_completed.size()));
    QCOMPARE(failed, qint64(m_failed.size()));
    const QLocale locale;
    QCOMPARE(label(overview, u"countSuccessful"_s), locale.toString(completed));
    QCOMPARE(label(overview, u"countPending"_s), locale.toString(pending));
    QCOMPARE(label(overview, u"countFailed"_s), locale.toString(failed));
    QCOMPARE(label(overview, u"successRate"_s),
        locale.toString(100.0 * double(completed) / double(completed + failed), 'f', 1) + u" %"_s);

    // Error breakdown: one row per code, with the store's counts.
    auto errors = store.transfers().errorCounts(w.fromMs, w.toMs);
    QVERIFY(errors);
    auto *breakdown = overview->findChild<QTableWidget *>(u"errorBreakdown"_s);
    QVERIFY(breakdown);
    QCOMPARE(breakdown->rowCount(), int(errors->size()));
    QVERIFY(!errors->empty());
    for (int i = 0; i < int(errors->size()); ++i) {
        const auto &e = (*errors)[size_t(i)];
        QVERIFY(e.code.has_value());
        QVERIFY2(breakdown->item(i, 0)->text().startsWith(QString::number(*e.code)),
            qPrintable(breakdown->item(i, 0)->text()));
        QCOMPARE(breakdown->item(i, 1)->text(), locale.toString(e.count));
    }

    // Latest errors: the failed transfers, newest first.
    auto *latest = overview->findChild<QTableWidget *>(u"latestErrors"_s);
    QVERIFY(latest);
    QCOMPARE(latest->rowCount(), m_failed.size());
    QSet<QString> shownIds;
    for (int i = 0; i < latest->rowCount(); ++i)
        shownIds.insert(latest->item(i, 1)->text());
    QCOMPARE(shownIds, QSet<QString>(m_failed.begin(), m_failed.end()));

    // Charts: one point per minute with a final transfer; the rate is the store's.
    auto minutes = store.transfers().minuteStats(w.fromMs, w.toMs);
    QVERIFY(minutes && !minutes->empty());
    auto *rateSeries
        = qobject_cast<QLineSeries *>(overview->successChart()->chart()->series().value(0));
    QVERIFY(rateSeries);
    QCOMPARE(rateSeries->count(), int(minutes->size()));
    for (int i = 0; i < rateSeries->count(); ++i) {
        QCOMPARE(qint64(rateSeries->at(i).x()), (*minutes)[size_t(i)].minuteStartMs);
        QCOMPARE(rateSeries->at(i).y(), 100.0 * (*minutes)[size_t(i)].successRate());
    }
    auto *e2eSeries
        = qobject_cast<QLineSeries *>(overview->endToEndChart()->chart()->series().value(0));
    QVERIFY(e2eSeries && e2eSeries->count() >= 1);
    QVERIFY(e2eSeries->at(0).y() > 0);

    // Chart exports: PNG, SVG and CSV files with the data.
    const QString base = m_dir->filePath(u"chart"_s);
    QVERIFY(overview->successChart()->exportPng(base + u".png"_s));
    QVERIFY(overview->successChart()->exportSvg(base + u".svg"_s));
    QVERIFY(overview->successChart()->exportCsv(base + u".csv"_s));
    QImage png(base + u".png"_s);
    QVERIFY(!png.isNull());
    QVERIFY(distinctColours(png) > 4);
    QFile svg(base + u".svg"_s);
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(svg.readAll().contains("<svg"));
    QFile csv(base + u".csv"_s);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QStringList> csvRows = parseCsv(QString::fromUtf8(csv.readAll()));
    QCOMPARE(csvRows.size(), int(minutes->size()) + 1);
    QCOMPARE(csvRows[1][0], Ui::isoTime((*minutes)[0].minuteStartMs));
    QCOMPARE(csvRows[1][1].toDouble(), 100.0 * (*minutes)[0].successRate());

    // Keyboard zoom and pan on the chart, then reset: the x axis is back to the window.
    QChartView *view = overview->successChart()->chartView();
    auto *xAxis = qobject_cast<QDateTimeAxis *>(
        overview->successChart()->chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(xAxis);
    const qint64 spanBefore = xAxis->min().msecsTo(xAxis->max());
    QCOMPARE(xAxis->min().toMSecsSinceEpoch(), w.fromMs);
    QTest::keyClick(view, Qt::Key_Plus);
    const qint64 spanZoomed = xAxis->min().msecsTo(xAxis->max());
    QVERIFY2(
        spanZoomed < spanBefore * 3 / 4, qPrintable(u"%1 -> %2"_s.arg(spanBefore).arg(spanZoomed)));
    const QDateTime minZoomed = xAxis->min();
    QTest::keyClick(view, Qt::Key_Left);
    QVERIFY(xAxis->min() < minZoomed);
    QVERIFY(
        qAbs(xAxis->min().msecsTo(xAxis->max()) - spanZoomed) <= 1000); // panning keeps the span
    QTest::keyClick(view, Qt::Key_Home);
    QCOMPARE(xAxis->min().toMSecsSinceEpoch(), w.fromMs);
    QCOMPARE(xAxis->max().toMSecsSinceEpoch(), w.toMs);

    // "View all" of the latest errors opens Find with every failed transfer of the window.
    auto *viewAll = overview->findChild<QPushButton *>(u"viewAllErrors"_s);
    QVERIFY(viewAll);
    viewAll->click();
    QCOMPARE(window.pages()->currentWidget(), window.findPage());
    QTRY_COMPARE_WITH_TIMEOUT(window.findPage()->model()->rowCount(), int(m_failed.size()), 20000);
    for (int r = 0; r < window.findPage()->model()->rowCount(); ++r)
        QVERIFY(m_failed.contains(window.findPage()->model()->transfer(r).id));
}

void TestPortal::findFilters()
{
    Ui::MainWindow window;
    window.setStoreAccess(openPayerStore());
    showWindow(window);
    Ui::FindPage *find = window.findPage();
    Ui::TransferTableModel *model = find->model();
    Store::Store &store = *m_payer->store();

    auto runSearch = [&]() -> Store::TransferFilter {
        auto filter = find->filterFromForm();
        if (!filter) {
            qWarning("%s", qPrintable(filter.error().message));
            return {};
        }
        QSignalSpy total(model, &Ui::TransferTableModel::totalCountChanged);
        find->search();
        if (!QTest::qWaitFor([&] { return !total.isEmpty() && !model->isLoading(); }, 20000))
            qWarning("search did not finish");
        return *filter;
    };
    auto expectStore = [&](const Store::TransferFilter &filter) {
        auto count = store.transfers().count(filter);
        Store::TransferQuery query;
        query.filter = filter;
        query.limit = 1000;
        auto rows = store.transfers().search(query);
        QVERIFY(count && rows);
        QCOMPARE(model->totalCount(), *count);
        QCOMPARE(model->rowCount(), int(rows->size()));
        for (int r = 0; r < model->rowCount(); ++r)
            QCOMPARE(model->transfer(r).id, (*rows)[size_t(r)].id);
    };

    // Partial id: the middle of one transfer's id.
    const QString id = m_completed[2];
    find->findChild<QLineEdit *>(u"filterId"_s)->setText(id.mid(9, 9));
    Store::TransferFilter f = runSearch();
    QCOMPARE(f.idContains, id.mid(9, 9));
    expectStore(f);
    QVERIFY(model->rowCount() >= 1);
    QCOMPARE(model->transfer(0).id, id);

    // Status: failed only.
    find->clearFilters();
    auto *status = find->findChild<QComboBox *>(u"filterStatus"_s);
    status->setCurrentIndex(status->findData(int(Store::TransferStatus::Failed)));
    f = runSearch();
    QCOMPARE(f.status, Store::TransferStatus::Failed);
    expectStore(f);
    QCOMPARE(model->rowCount(), m_failed.size());

    // Amount range in USD: 20.5 .. 45.25 takes 20.5, 25 (failed), 30 and 45.25.
    find->clearFilters();
    find->findChild<QLineEdit *>(u"filterCurrency"_s)->setText(u"usd"_s);
    find->findChild<QLineEdit *>(u"filterAmountMin"_s)->setText(u"20.5"_s);
    find->findChild<QLineEdit *>(u"filterAmountMax"_s)->setText(u"45.25"_s);
    f = runSearch();
    QCOMPARE(f.currency, u"USD"_s);
    QCOMPARE(f.amountMinorMin, 2050);
    QCOMPARE(f.amountMinorMax, 4525);
    expectStore(f);
    QCOMPARE(model->rowCount(), 4);

    // Direction, payee alias, counterparty and date preset together.
    find->clearFilters();
    auto *direction = find->findChild<QComboBox *>(u"filterDirection"_s);
    direction->setCurrentIndex(direction->findData(int(Store::Direction::Outbound)));
    auto *aliasType = find->findChild<QComboBox *>(u"filterAliasType"_s);
    aliasType->setCurrentText(u"MSISDN"_s);
    find->findChild<QLineEdit *>(u"filterAliasValue"_s)->setText(u"25612345678"_s);
    find->findChild<QLineEdit *>(u"filterCounterparty"_s)->setText(u"payeefsp"_s);
    auto *preset = find->findChild<QComboBox *>(u"filterDatePreset"_s);
    preset->setCurrentIndex(preset->findData(int(Ui::FindPage::DatePreset::LastHour)));
    f = runSearch();
    QCOMPARE(f.direction, Store::Direction::Outbound);
    QCOMPARE(f.payeeIdType, u"MSISDN"_s);
    QCOMPARE(f.payeeIdValue, u"25612345678"_s);
    QCOMPARE(f.counterpartyFspId, u"payeefsp"_s);
    QVERIFY(f.initiatedFrom.has_value());
    expectStore(f);
    QVERIFY(model->rowCount() >= m_completed.size() + m_failed.size());

    // Inbound: none in the payer's record.
    direction->setCurrentIndex(direction->findData(int(Store::Direction::Inbound)));
    f = runSearch();
    expectStore(f);
    QCOMPARE(model->rowCount(), 0);

    // A bad amount is refused with a message naming the field; the results stay.
    find->clearFilters();
    find->findChild<QLineEdit *>(u"filterCurrency"_s)->setText(u"USD"_s);
    find->findChild<QLineEdit *>(u"filterAmountMin"_s)->setText(u"ten"_s);
    auto bad = find->filterFromForm();
    QVERIFY(!bad);
    QVERIFY2(bad.error().message.startsWith(u"Amount"_s), qPrintable(bad.error().message));
    find->search();
    QVERIFY(label(find, u"resultSummary"_s).startsWith(u"Amount"_s));
}

void TestPortal::findSortsAndLoadsLazily()
{
    Ui::MainWindow window;
    window.setStoreAccess(openPayerStore());
    showWindow(window);
    Ui::FindPage *find = window.findPage();
    Ui::TransferTableModel *model = find->model();
    find->findChild<QLineEdit *>(u"filterCurrency"_s)->setText(u"USD"_s);
    find->search();
    QTRY_VERIFY_WITH_TIMEOUT(model->totalCount() >= 0 && !model->isLoading(), 20000);
    // Sort by amount, ascending, through the header as a user would.
    find->view()->sortByColumn(Ui::TransferTableModel::AmountColumn, Qt::AscendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() > 0
            && model->query().sortKey == Store::TransferSortKey::AmountMinor,
        20000);
    QCOMPARE(model->query().order, Qt::AscendingOrder);
    qint64 previous = -1;
    for (int r = 0; r < model->rowCount(); ++r) {
        const qint64 amount = model->transfer(r).amountMinor.value_or(-1);
        QVERIFY(amount >= previous);
        previous = amount;
    }
    QCOMPARE(model->transfer(0).amount, u"10"_s);
    QCOMPARE(
        model->data(model->index(0, Ui::TransferTableModel::CurrencyColumn)).toString(), u"USD"_s);
    QVERIFY(!model->canFetchMore()); // fewer than a page: everything is loaded
}

void TestPortal::detailsTabs()
{
    auto access = openPayerStore();
    QVERIFY(access);
    const QString id = m_completed[0];
    Ui::TransferDetailsDialog dialog(access.get(), id, m_keysDir);
    dialog.show();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isLoaded(), 20000);
    const auto stored = m_payer->store()->transfers().get(id);
    QVERIFY(stored && stored->has_value());
    const Store::TransferRecord &t = **stored;
    QCOMPARE(dialog.tabs()->count(), 4);
    // Details, terms, parties: the copy text holds the stored values.
    QVERIFY(dialog.tabText(0).contains(u"Transfer ID: "_s + id));
    QVERIFY(dialog.tabText(0).contains(t.state));
    QVERIFY2(dialog.tabText(1).contains(u"Amount: "_s + t.amount + u" USD"_s),
        qPrintable(dialog.tabText(1)));
    QVERIFY(!t.transferAmount.isEmpty());
    QVERIFY(dialog.tabText(1).contains(t.transferAmount));
    QVERIFY(dialog.tabText(1).contains(t.expiration));
    QVERIFY2(
        dialog.tabText(2).contains(u"Payer name: Payer Person"_s), qPrintable(dialog.tabText(2)));
    QVERIFY(dialog.tabText(2).contains(u"Payee name: "_s + t.payee.displayName));
    QVERIFY(dialog.tabText(2).contains(u"payeefsp"_s));
    QVERIFY(dialog.tabText(2).contains(u"25644444444"_s));
    // Technical: every id, the decoded ILP packet, every message of the record.
    const QString technical = dialog.tabText(3);
    QVERIFY(technical.contains(t.quoteId));
    QVERIFY(technical.contains(t.transactionId));
    QVERIFY(technical.contains(t.ilpCondition));
    QVERIFY2(technical.contains(u"Amount (minor units): 1000"_s), qPrintable(technical));
    QVERIFY(technical.contains(u"\"transactionId\""_s));
    auto messages = m_payer->store()->messages().ofTransfer(id);
    QVERIFY(messages && !messages->empty());
    auto *list = dialog.findChild<QListWidget *>(u"messageList"_s);
    QCOMPARE(list->count(), int(messages->size()));
    // Every signed message received from the payee verifies with its key.
    int verified = 0;
    for (int i = 0; i < list->count(); ++i) {
        list->setCurrentRow(i);
        const QString text = dialog.findChild<QPlainTextEdit *>(u"messageText"_s)->toPlainText();
        const auto &m = (*messages)[size_t(i)];
        for (const auto &[name, value] : m.headers)
            QVERIFY2(text.contains(QString::fromUtf8(name)), qPrintable(QString::fromUtf8(name)));
        if (text.contains(u"Valid signature"_s))
            ++verified;
        QVERIFY(!text.contains(u"Invalid signature"_s));
    }
    QVERIFY(verified >= 1);

    // A failed transfer shows its FSPIOP code and description.
    Ui::TransferDetailsDialog failed(access.get(), m_failed[0], m_keysDir);
    QTRY_VERIFY_WITH_TIMEOUT(failed.isLoaded(), 20000);
    const QString state = failed.findChild<QLabel *>(u"detailsState"_s)->text();
    QVERIFY2(state.contains(u"5103"_s), qPrintable(state));
    QVERIFY(failed.tabText(0).contains(u"Error code: 5103"_s));

    // An unknown id says so.
    Ui::TransferDetailsDialog missing(access.get(), u"no-such-transfer"_s, {});
    QTRY_VERIFY_WITH_TIMEOUT(missing.isLoaded(), 20000);
    QVERIFY(missing.findChild<QLabel *>(u"detailsState"_s)->text().contains(u"no-such-transfer"_s));
}

void TestPortal::exportsReadBack()
{
    Ui::MainWindow window;
    window.setStoreAccess(openPayerStore());
    showWindow(window);
    Ui::FindPage *find = window.findPage();
    find->search();
    QTRY_VERIFY_WITH_TIMEOUT(
        find->model()->totalCount() >= 0 && !find->model()->isLoading(), 20000);
    auto rows = m_payer->store()->transfers().search(find->model()->query());
    QVERIFY(rows);
    QVERIFY(rows->size() >= size_t(m_completed.size() + m_failed.size()));

    QSignalSpy finished(find, &Ui::FindPage::exportFinished);
    const QString csvPath = m_dir->filePath(u"transfers.csv"_s);
    find->exportTo(csvPath, Ui::ExportFormat::Csv);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 30000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(2).toString()));
    QCOMPARE(finished.at(0).at(1).toLongLong(), qint64(rows->size()));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QStringList> csvRows = parseCsv(QString::fromUtf8(csv.readAll()));
    QCOMPARE(csvRows.size(), int(rows->size()) + 1);
    QCOMPARE(csvRows[0], Ui::exportColumnTitles());
    for (size_t i = 0; i < rows->size(); ++i) {
        const Store::TransferRecord &t = (*rows)[i];
        QCOMPARE(csvRows[int(i) + 1], Ui::exportCells(t));
        QCOMPARE(csvRows[int(i) + 1][0], t.id);
        QCOMPARE(csvRows[int(i) + 1][6], t.amount);
    }

    finished.clear();
    const QString xlsxPath = m_dir->filePath(u"transfers.xlsx"_s);
    find->exportTo(xlsxPath, Ui::ExportFormat::Xlsx);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 30000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(2).toString()));
    QString problem;
    const QList<QStringList> xlsx = readXlsx(xlsxPath, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(xlsx.size(), int(rows->size()) + 1);
    QCOMPARE(xlsx[0], Ui::exportColumnTitles());
    for (size_t i = 0; i < rows->size(); ++i) {
        QStringList expected = Ui::exportCells((*rows)[i]);
        QStringList got = xlsx[int(i) + 1];
        while (got.size() < expected.size()) // trailing empty cells are not written
            got << QString();
        QCOMPARE(got, expected);
    }
}

void TestPortal::liveUpdate()
{
    Ui::MainWindow window;
    window.setStoreAccess(openPayerStore());
    showWindow(window);
    Ui::OverviewPage *overview = window.overviewPage();
    overview->setPreset(Ui::WindowPreset::LastHour);
    QSignalSpy refreshed(overview, &Ui::OverviewPage::refreshed);
    QTRY_VERIFY_WITH_TIMEOUT(!refreshed.isEmpty(), 20000);
    const qint64 before = overview->data().completed;
    overview->setRefreshInterval(200);
    // A new transfer completes while the window is open: the count follows without a click.
    const QString id = postTransfer(u"25612345678"_s, u"99.99"_s, 200);
    QVERIFY(!id.isEmpty());
    m_completed << id;
    QTRY_COMPARE_WITH_TIMEOUT(overview->data().completed, before + 1, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(
        label(overview, u"countSuccessful"_s), QLocale().toString(before + 1), 10000);
}

void TestPortal::technicalDashboard()
{
    // The connector does not write metrics samples yet: a store of samples written through the
    // store's API stands in for them.
    const QString path = m_dir->filePath(u"metrics.sqlite"_s);
    Store::StoreOptions options;
    options.path = path;
    auto store = Store::Store::open(options);
    QVERIFY(store);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 minute = (now / 60'000 - 2) * 60'000;
    for (int i = 0; i < 120; ++i)
        (*store)->metrics().add({ minute + 1000 + i * 100, u"transfers"_s,
            Store::MessageDirection::Out, 40 + i % 20, i % 10 == 0 });
    for (int i = 0; i < 30; ++i)
        (*store)->metrics().add(
            { minute + 61'000 + i * 100, u"quotes"_s, Store::MessageDirection::In, 12, false });
    (*store)->flush();
    auto access = std::make_unique<Ui::StoreAccess>(std::move(*store));
    Ui::TechnicalPage page(access.get());
    page.resize(1280, 820);
    page.show();
    page.setRefreshInterval(0);
    QSignalSpy refreshed(&page, &Ui::TechnicalPage::refreshed);
    page.setPreset(Ui::WindowPreset::LastHour);
    QTRY_VERIFY_WITH_TIMEOUT(!refreshed.isEmpty(), 20000);
    const Ui::MetricsData &data = page.data();
    QCOMPARE(int(data.series.size()), 6);
    const Ui::MetricSeries &transfersOut = data.series[5];
    QCOMPARE(transfersOut.resource, u"transfers"_s);
    QCOMPARE(transfersOut.requests, 120);
    QCOMPARE(transfersOut.errors, 12);
    qint64 sum = 0;
    for (int i = 0; i < 120; ++i)
        sum += 40 + i % 20;
    QCOMPARE(transfersOut.latencySumMs, sum);
    QCOMPARE(transfersOut.requestsPerSec.value(0), 2.0);
    const Ui::MetricSeries &quotesIn = data.series[2];
    QCOMPARE(quotesIn.requests, 30);
    QCOMPARE(quotesIn.averageLatencyMs.value(0), 12.0);
    // The summary table shows the same numbers (row 5: transfers, outbound).
    QTableWidget *summary = page.summary();
    QCOMPARE(summary->rowCount(), 6);
    const QLocale locale;
    QCOMPARE(summary->item(5, 0)->text(), Ui::resourceText(u"transfers"_s));
    QCOMPARE(summary->item(5, 2)->text(), locale.toString(120));
    QCOMPARE(summary->item(5, 3)->text(), locale.toString(12));
    QCOMPARE(summary->item(5, 5)->text(), locale.toString(double(sum) / 120.0, 'f', 1));
    QCOMPARE(summary->item(5, 6)->text(), locale.toString(59));
    QCOMPARE(summary->item(2, 2)->text(), locale.toString(30));
    QCOMPARE(summary->item(0, 2)->text(), locale.toString(0));
    auto *requests = qobject_cast<QLineSeries *>(page.requestsChart()->chart()->series().value(5));
    QVERIFY(requests);
    QCOMPARE(requests->count(), 1);
    QCOMPARE(requests->at(0).y(), 2.0);
}

void TestPortal::healthLight()
{
    Ui::MainWindow window;
    showWindow(window);
    Ui::HealthPage *health = window.healthPage();
    QCOMPARE(health->overall(), Ui::HealthState::NotConfigured);
    health->setService({ u"Inbound server"_s, Ui::HealthState::Ok, u"127.0.0.1:4000"_s,
        QDateTime::currentDateTime() });
    QCOMPARE(health->overall(), Ui::HealthState::Ok);
    QVERIFY(window.healthLight()->text().contains(Ui::HealthPage::stateText(Ui::HealthState::Ok)));
    health->setService({ u"Hub"_s, Ui::HealthState::Failed, u"connection refused"_s,
        QDateTime::currentDateTime() });
    QCOMPARE(health->overall(), Ui::HealthState::Failed);
    QVERIFY(
        window.healthLight()->text().contains(Ui::HealthPage::stateText(Ui::HealthState::Failed)));
    // The store's own line appears once a store is open.
    window.setStoreAccess(openPayerStore());
    QTRY_VERIFY_WITH_TIMEOUT(std::ranges::any_of(health->services(),
                                 [](const Ui::ServiceHealth &s) {
                                     return s.state == Ui::HealthState::Ok
                                         && s.detail.contains(u"connector.sqlite"_s);
                                 }),
        20000);
}

void TestPortal::screenshots()
{
    const QString dir = QStringLiteral(PM_BINARY_DIR) + u"/screenshots"_s;
    QVERIFY(QDir().mkpath(dir));
    Ui::MainWindow window;
    window.setStoreAccess(openPayerStore());
    window.healthPage()->setService(
        { u"Inbound server"_s, Ui::HealthState::Ok, u"127.0.0.1"_s, QDateTime::currentDateTime() });
    showWindow(window);
    QSignalSpy refreshed(window.overviewPage(), &Ui::OverviewPage::refreshed);
    window.overviewPage()->setPreset(Ui::WindowPreset::LastHour);
    QTRY_VERIFY_WITH_TIMEOUT(!refreshed.isEmpty(), 20000);
    window.findPage()->search();
    QTRY_VERIFY_WITH_TIMEOUT(window.findPage()->model()->rowCount() > 0, 20000);
    auto shoot = [&](QWidget *widget, const QString &name) {
        QApplication::processEvents();
        const QImage image = widget->grab().toImage();
        QVERIFY(!image.isNull());
        // One set per platform (offscreen in the plain run, xcb under Xvfb): both may run at once.
        QVERIFY(image.save(dir + u'/' + QGuiApplication::platformName() + u'-' + name + u".png"_s));
        QVERIFY2(distinctColours(image) > 8, qPrintable(name));
    };
    const QList<std::pair<QWidget *, QString>> pages
        = { { window.overviewPage(), u"overview"_s }, { window.findPage(), u"find"_s },
              { window.technicalPage(), u"technical"_s }, { window.healthPage(), u"health"_s } };
    for (const auto &[page, name] : pages) {
        window.pages()->setCurrentWidget(page);
        shoot(&window, name);
    }
    window.showTransfer(m_completed[0]);
    Ui::TransferDetailsDialog *dialog = window.findChild<Ui::TransferDetailsDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->isLoaded(), 20000);
    for (int i = 0; i < dialog->tabs()->count(); ++i) {
        dialog->tabs()->setCurrentIndex(i);
        shoot(dialog, u"details-%1"_s.arg(i));
    }
    dialog->close();
}

void TestPortal::everyControlIsNamedAndReachable()
{
    Ui::MainWindow window;
    window.setStoreAccess(openPayerStore());
    showWindow(window);
    window.showTransfer(m_completed[0]);
    auto *dialog = window.findChild<Ui::TransferDetailsDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->isLoaded(), 20000);
    QSet<QWidget *> buddies;
    const QList<QLabel *> labels = window.findChildren<QLabel *>();
    for (QLabel *l : labels) {
        if (l->buddy())
            buddies.insert(l->buddy());
    }
    // Every control that takes focus has a name a screen reader can say: its accessible name, its
    // own text (buttons) or a label bound to it.
    QStringList unnamed;
    const QList<QWidget *> widgets = window.findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (w->focusPolicy() == Qt::NoFocus || !w->isEnabled())
            continue;
        const bool partOfAnother = w->inherits("QLineEdit") && w->parentWidget()
            && (w->parentWidget()->inherits("QComboBox")
                || w->parentWidget()->inherits("QAbstractSpinBox"));
        const auto *area
            = w->parentWidget() ? qobject_cast<QAbstractScrollArea *>(w->parentWidget()) : nullptr;
        const bool viewport = area && area->viewport() == w;
        if (w->inherits("QScrollBar") || w->inherits("QTabBar") || w->inherits("QComboBoxListView")
            || partOfAnother || viewport)
            continue; // parts of a named control
        const auto *button = qobject_cast<QAbstractButton *>(w);
        const bool named = !w->accessibleName().isEmpty() || (button && !button->text().isEmpty())
            || buddies.contains(w);
        if (!named)
            unnamed << u"%1 (%2 in %3)"_s.arg(w->objectName(),
                QString::fromLatin1(w->metaObject()->className()),
                w->parentWidget()
                    ? QString::fromLatin1(w->parentWidget()->metaObject()->className())
                    : QString());
    }
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u", "_s)));
    dialog->close();

    // Tab walks the Find page's filters in reading order and reaches the results.
    window.pages()->setCurrentWidget(window.findPage());
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto *id = window.findPage()->findChild<QLineEdit *>(u"filterId"_s);
    id->setFocus();
    QTRY_VERIFY(id->hasFocus());
    QStringList visited;
    for (int i = 0; i < 30 && !window.findPage()->view()->hasFocus(); ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        if (QWidget *f = QApplication::focusWidget())
            visited << f->objectName();
    }
    QVERIFY2(window.findPage()->view()->hasFocus(), qPrintable(visited.join(u' ')));
    QVERIFY(visited.indexOf(u"filterDatePreset"_s) >= 0);
    QVERIFY(visited.indexOf(u"filterAmountMax"_s) > visited.indexOf(u"filterAmountMin"_s));
    // Ctrl+1 shows the overview.
    QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(window.pages()->currentWidget(), window.overviewPage());
}

QTEST_MAIN(TestPortal)
#include "tst_portal.moc"
