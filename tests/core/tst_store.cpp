#include "core/store/connection_p.h"
#include "core/store/schema_p.h"
#include "core/store/sql_p.h"
#include "core/store/store.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <functional>
#include <memory>
#include <set>

using namespace Qt::StringLiterals;
using namespace Pm::Store;

// QCOMPARE failure output for the store's types (found by argument-dependent lookup).
namespace Pm::Store {
char *toString(Direction v) { return qstrdup(qPrintable(storedName(v))); }
char *toString(TransferStatus v) { return qstrdup(qPrintable(storedName(v))); }
char *toString(MessageDirection v) { return qstrdup(qPrintable(storedName(v))); }
char *toString(MessageKind v) { return qstrdup(qPrintable(storedName(v))); }
char *toString(StepStatus v) { return qstrdup(qPrintable(storedName(v))); }
char *toString(const TransferRecord &t)
{
    return qstrdup(qPrintable(
        u"%1 %2 %3 %4 amount=%5/%6 %7 init=%8 upd=%9 done=%10 err=%11 %12 model=%13"_s
            .arg(t.id, storedName(t.direction), storedName(t.status), t.state, t.amount,
                 t.amountMinor ? QString::number(*t.amountMinor) : u"-"_s, t.currency)
            .arg(t.initiatedAt)
            .arg(t.updatedAt)
            .arg(t.completedAt ? QString::number(*t.completedAt) : u"-"_s)
            .arg(t.lastErrorCode ? QString::number(*t.lastErrorCode) : u"-"_s)
            .arg(t.payee.displayName + u"/"_s + t.ilpFulfilment + u"/"_s + t.expiration,
                 QString::fromUtf8(t.model))));
}
} // namespace Pm::Store

namespace {

constexpr qint64 T0 = 1'700'000'040'000; // a minute boundary (ms)

/** A plain connection of the test's own, to look at the file beside the store. */
class RawDb
{
public:
    explicit RawDb(const QString &path)
    {
        m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        m_db.setDatabaseName(path);
        if (!m_db.open())
            qFatal("cannot open %s", qPrintable(path));
    }
    ~RawDb()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    QVariant scalar(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql))
            qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return q.next() ? q.value(0) : QVariant();
    }
    bool exec(const QString &sql)
    {
        QSqlQuery q(m_db);
        return q.exec(sql);
    }
    QStringList column(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql))
            qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        QStringList out;
        while (q.next())
            out.append(q.value(0).toString());
        return out;
    }
    QSqlDatabase &db() { return m_db; }

private:
    QString m_name = u"tst-store-raw"_s;
    QSqlDatabase m_db;
};

TransferRecord makeTransfer(const QString &id, qint64 initiatedAt = T0)
{
    TransferRecord t;
    t.id = id;
    t.direction = Direction::Outbound;
    t.status = TransferStatus::Pending;
    t.state = u"WAITING_FOR_QUOTE"_s;
    t.homeTransactionId = u"home-"_s + id;
    t.quoteId = u"quote-"_s + id;
    t.transactionId = u"tx-"_s + id;
    t.payer = {u"MSISDN"_s, u"123456"_s, {}, u"payerfsp"_s, u"Alice"_s};
    t.payee = {u"MSISDN"_s, u"987654"_s, u"wallet"_s, u"payeefsp"_s, u"Bob"_s};
    t.amountType = u"SEND"_s;
    t.amount = u"100.5"_s;
    t.currency = u"USD"_s;
    t.initiatedAt = initiatedAt;
    t.updatedAt = initiatedAt;
    t.model = R"({"currentState":"WAITING_FOR_QUOTE","n":1})";
    return t;
}

QStringList ids(const std::vector<TransferRecord> &records)
{
    QStringList out;
    for (const TransferRecord &r : records)
        out.append(r.id);
    return out;
}

/** Collects completion results on the thread of the receiving object. */
struct Completions
{
    std::vector<int> order;
    std::vector<Pm::Result<void>> results;
    std::vector<QThread *> threads;

    Completion make(int index)
    {
        return [this, index](const Pm::Result<void> &r) {
            order.push_back(index);
            results.push_back(r);
            threads.push_back(QThread::currentThread());
        };
    }
};

} // namespace

class TestStore : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;

    std::unique_ptr<Store> open()
    {
        auto store = Store::open(StoreOptions{m_path});
        if (!store)
            qFatal("open: %s", qPrintable(Pm::toOneLine(store.error())));
        return std::move(*store);
    }

    /** The search data: 40 transfers with varied fields, initiated one minute apart. */
    std::vector<TransferRecord> seed(Store &store)
    {
        std::vector<TransferRecord> all;
        const QString currencies[] = {u"USD"_s, u"EUR"_s, u"XOF"_s};
        const QString fsps[] = {u"fsp-a"_s, u"fsp-b"_s, u"fsp-c"_s, u"fsp-d"_s};
        for (int i = 0; i < 40; ++i) {
            TransferRecord t = makeTransfer(u"%1-%2"_s.arg(i % 2 ? u"aa"_s : u"bb"_s)
                                                .arg(i, 4, 10, QChar(u'0')),
                                            T0 + i * 60'000);
            t.direction = i % 3 == 0 ? Direction::Inbound : Direction::Outbound;
            t.status = i % 5 == 0 ? TransferStatus::Failed
                                  : (i % 5 == 1 ? TransferStatus::Pending : TransferStatus::Completed);
            t.state = t.status == TransferStatus::Pending ? u"WAITING"_s : u"DONE"_s;
            if (t.status != TransferStatus::Pending)
                t.completedAt = t.initiatedAt + 1000 + i;
            t.currency = currencies[i % 3];
            t.amount = QString::number(10 + i * 7) + (i % 4 == 0 ? u".25"_s : QString());
            t.payee.idType = i % 4 == 3 ? u"EMAIL"_s : u"MSISDN"_s;
            t.payee.idValue = u"party-%1"_s.arg(i % 6);
            t.payee.subId = i % 2 ? u"wallet"_s : QString();
            const QString fsp = fsps[i % 4];
            if (t.direction == Direction::Outbound)
                t.payee.fspId = fsp;
            else
                t.payer.fspId = fsp;
            store.transfers().upsert(t);
            all.push_back(t);
        }
        store.flush();
        return all;
    }

    static bool matches(const TransferRecord &t, const TransferFilter &f)
    {
        const auto minor = [&]() -> qint64 {
            // the seed's amounts: currency decimals USD/EUR 2, XOF 0
            const int decimals = t.currency == u"XOF" ? 0 : 2;
            const qsizetype dot = t.amount.indexOf(u'.');
            qint64 integer = t.amount.left(dot < 0 ? t.amount.size() : dot).toLongLong();
            qint64 fraction = dot < 0 ? 0 : t.amount.mid(dot + 1).leftJustified(2, u'0').toLongLong();
            qint64 scale = 1;
            for (int i = 0; i < decimals; ++i)
                scale *= 10;
            return integer * scale + (decimals ? fraction : 0);
        };
        if (!f.idContains.isEmpty() && !t.id.contains(f.idContains, Qt::CaseInsensitive))
            return false;
        if (!f.idPrefix.isEmpty() && !t.id.startsWith(f.idPrefix))
            return false;
        if (f.initiatedFrom && t.initiatedAt < *f.initiatedFrom)
            return false;
        if (f.initiatedTo && t.initiatedAt >= *f.initiatedTo)
            return false;
        if (f.direction && t.direction != *f.direction)
            return false;
        if (!f.payeeIdType.isEmpty() && t.payee.idType != f.payeeIdType)
            return false;
        if (!f.payeeIdValue.isEmpty() && t.payee.idValue != f.payeeIdValue)
            return false;
        if (!f.payeeSubId.isEmpty() && t.payee.subId != f.payeeSubId)
            return false;
        if (!f.counterpartyFspId.isEmpty() && t.counterpartyFspId() != f.counterpartyFspId)
            return false;
        if (f.status && t.status != *f.status)
            return false;
        if (!f.state.isEmpty() && t.state != f.state)
            return false;
        if (!f.currency.isEmpty() && t.currency != f.currency)
            return false;
        if (f.amountMinorMin && minor() < *f.amountMinorMin)
            return false;
        if (f.amountMinorMax && minor() > *f.amountMinorMax)
            return false;
        return true;
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_path = m_dir->filePath(u"nested/dir/store.db"_s);
    }

    void cleanup() { m_dir.reset(); }

    void migratesAnEmptyFile()
    {
        {
            auto store = open();
            QCOMPARE(store->path(), m_path);
        }
        QVERIFY(QFile::exists(m_path));
        RawDb raw(m_path);
        QCOMPARE(raw.scalar(u"PRAGMA user_version"_s).toInt(), Store::latestSchemaVersion());
        QCOMPARE(raw.scalar(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        const QStringList tables = raw.column(
            u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s);
        for (const QString &table : {u"audit_log"_s, u"messages"_s, u"metrics_samples"_s,
                                     u"quotes"_s, u"settings_kv"_s, u"transfer_minute_stats"_s,
                                     u"transfer_steps"_s, u"transfers"_s})
            QVERIFY2(tables.contains(table), qPrintable(table));
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"_s).toInt(), 3);
    }

    void reopenKeepsData()
    {
        const TransferRecord t = makeTransfer(u"keep-1"_s);
        {
            auto store = open();
            store->transfers().upsert(t);
            store->messages().append(MessageRecord{0, t.id, {}, MessageDirection::Out,
                                                   MessageKind::Request, u"POST"_s, u"/transfers"_s,
                                                   {}, {}, "{}", T0});
        } // destruction writes what is queued
        auto store = open();
        auto got = store->transfers().get(t.id);
        QVERIFY(got.has_value());
        QVERIFY(got->has_value());
        TransferRecord expected = t;
        expected.amountMinor = 10050;
        QCOMPARE(**got, expected);
        auto messages = store->messages().ofTransfer(t.id);
        QVERIFY(messages.has_value());
        QCOMPARE(int(messages->size()), 1);
    }

    void refusesANewerSchemaUntouched()
    {
        QVERIFY(QDir().mkpath(QFileInfo(m_path).absolutePath()));
        {
            RawDb raw(m_path);
            QVERIFY(raw.exec(u"CREATE TABLE future (x INTEGER)"_s));
            QVERIFY(raw.exec(u"PRAGMA user_version = 99"_s));
        }
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray before = file.readAll();
        file.close();

        auto store = Store::open(StoreOptions{m_path});
        QVERIFY(!store.has_value());
        QCOMPARE(store.error().code, StoreErrorCode);
        QVERIFY2(store.error().message.contains(u"99"_s), qPrintable(store.error().message));
        QVERIFY(store.error().message.contains(u"newer"_s));

        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), before);
        QVERIFY(!QFile::exists(m_path + u"-wal"_s));
        RawDb raw(m_path);
        QCOMPARE(raw.scalar(u"PRAGMA journal_mode"_s).toString(), u"delete"_s);
    }

    void failedMigrationLeavesTheVersion()
    {
        using namespace Pm::Store::Internal;
        static constexpr QStringView good[] = {u"CREATE TABLE a (x INTEGER)"};
        static constexpr QStringView bad[] = {u"CREATE TABLE b (x INTEGER)", u"CREATE TABLE oops ("};
        const Migration steps[] = {{1, u"good", good}, {2, u"bad", bad}};
        QVERIFY(QDir().mkpath(QFileInfo(m_path).absolutePath()));
        {
            auto connection = Connection::open(StoreOptions{m_path}, Connection::Role::Writer);
            QVERIFY(connection.has_value());
            auto reached = prepareSchema(**connection, Durability::Normal, steps);
            QVERIFY(!reached.has_value());
            QVERIFY(reached.error().message.contains(u"version 2"_s));
        }
        RawDb raw(m_path);
        QCOMPARE(raw.scalar(u"PRAGMA user_version"_s).toInt(), 1);
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM sqlite_master WHERE name = 'a'"_s).toInt(), 1);
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM sqlite_master WHERE name = 'b'"_s).toInt(), 0);
    }

    void upsertAndPartialUpdate()
    {
        auto store = open();
        TransferRecord t = makeTransfer(u"t-1"_s);
        t.lastErrorCode = 3100;
        t.lastErrorDescription = u"bad"_s;
        t.expiration = u"2024-01-01T00:00:00.000Z"_s;
        store->transfers().upsert(t);
        store->flush();
        auto got = store->transfers().get(t.id);
        QVERIFY(got && *got);
        QCOMPARE((*got)->amountMinor, std::optional<qint64>(10050));
        QCOMPARE((*got)->counterpartyFspId(), u"payeefsp"_s);
        QCOMPARE((*got)->completedAt, std::nullopt);

        // Partial: state and status change, fulfilment appears, the rest stays.
        TransferUpdate u;
        u.id = t.id;
        u.updatedAt = T0 + 5000;
        u.state = u"COMPLETED"_s;
        u.status = TransferStatus::Completed;
        u.ilpFulfilment = u"fulfil"_s;
        u.payee.displayName = u"Robert"_s;
        u.model = R"({"currentState":"COMPLETED"})";
        Completions c;
        store->transfers().update(u, this, c.make(0));
        TransferUpdate missing;
        missing.id = u"nope"_s;
        missing.updatedAt = T0;
        missing.state = u"X"_s;
        store->transfers().update(missing, this, c.make(1));
        QTRY_COMPARE(int(c.results.size()), 2);
        QVERIFY(c.results[0].has_value());
        QVERIFY(!c.results[1].has_value());
        QVERIFY2(c.results[1].error().message.contains(u"nope"_s),
                 qPrintable(c.results[1].error().message));

        got = store->transfers().get(t.id);
        QVERIFY(got && *got);
        TransferRecord expected = t;
        expected.amountMinor = 10050;
        expected.state = u"COMPLETED"_s;
        expected.status = TransferStatus::Completed;
        expected.updatedAt = T0 + 5000;
        expected.completedAt = T0 + 5000;
        expected.ilpFulfilment = u"fulfil"_s;
        expected.payee.displayName = u"Robert"_s;
        expected.model = R"({"currentState":"COMPLETED"})";
        QCOMPARE(**got, expected);

        // Full upsert replaces everything (fields cleared), amountMinor given explicitly wins.
        TransferRecord replaced = makeTransfer(t.id);
        replaced.amountMinor = 7;
        replaced.status = TransferStatus::Failed;
        replaced.updatedAt = T0 + 9000;
        store->transfers().upsert(replaced);
        store->flush();
        got = store->transfers().get(t.id);
        QVERIFY(got && *got);
        replaced.completedAt = T0 + 9000; // final without completedAt: updatedAt
        QCOMPARE(**got, replaced);

        // Lookups by the other ids.
        QCOMPARE(store->transfers().findByQuoteId(t.quoteId).value()->id, t.id);
        QCOMPARE(store->transfers().findByTransactionId(t.transactionId).value()->id, t.id);
        QCOMPARE(store->transfers().findByHomeTransactionId(t.homeTransactionId).value()->id, t.id);
        QVERIFY(!store->transfers().get(u"absent"_s).value().has_value());
    }

    void queuedWritesAreAppliedInOrder()
    {
        auto store = open();
        store->transfers().upsert(makeTransfer(u"order"_s));
        Completions c;
        constexpr int N = 300;
        for (int i = 0; i < N; ++i) {
            TransferUpdate u;
            u.id = u"order"_s;
            u.updatedAt = T0 + i;
            u.state = u"s%1"_s.arg(i);
            WriteBatch batch;
            batch.updateTransfer(u).appendMessage(MessageRecord{
                0, u"order"_s, {}, MessageDirection::Out, MessageKind::Callback, u"PUT"_s,
                u"/transfers/order"_s, {}, {}, QByteArray::number(i), T0 + i});
            store->submit(std::move(batch), this, c.make(i));
        }
        store->flush();
        QTRY_COMPARE(int(c.order.size()), N);
        for (int i = 0; i < N; ++i)
            QCOMPARE(c.order[std::size_t(i)], i);
        QVERIFY(std::all_of(c.results.begin(), c.results.end(),
                            [](const auto &r) { return r.has_value(); }));
        QCOMPARE(store->transfers().get(u"order"_s).value()->state, u"s%1"_s.arg(N - 1));
        const auto messages = store->messages().ofTransfer(u"order"_s).value();
        QCOMPARE(int(messages.size()), N);
        for (int i = 0; i < N; ++i) {
            QCOMPARE(messages[std::size_t(i)].body, QByteArray::number(i));
            if (i > 0)
                QVERIFY(messages[std::size_t(i)].id > messages[std::size_t(i - 1)].id);
        }
        const StoreStats stats = store->stats();
        QCOMPARE(stats.submitted, qint64(N + 1));
        QCOMPARE(stats.committed, qint64(N + 1));
        QCOMPARE(stats.failed, 0);
        QVERIFY(stats.transactions <= stats.committed);
    }

    void completionRunsOnTheContextThread()
    {
        auto store = open();
        Completions mine;
        store->transfers().upsert(makeTransfer(u"c-1"_s), this, mine.make(0));
        QTRY_COMPARE(int(mine.threads.size()), 1);
        QCOMPARE(mine.threads[0], QThread::currentThread());

        // A context living on another thread gets its callback there.
        QThread other;
        other.start();
        auto *receiver = new QObject;
        receiver->moveToThread(&other);
        connect(&other, &QThread::finished, receiver, &QObject::deleteLater);
        std::atomic<QThread *> ranOn{nullptr};
        store->transfers().upsert(makeTransfer(u"c-2"_s), receiver,
                                  [&ranOn](const Pm::Result<void> &) {
                                      ranOn = QThread::currentThread();
                                  });
        QTRY_VERIFY(ranOn.load() != nullptr);
        QCOMPARE(ranOn.load(), &other);
        other.quit();
        QVERIFY(other.wait(10'000));
    }

    void destroyedContextDropsTheCallback()
    {
        auto store = open();
        bool called = false;
        for (int i = 0; i < 50; ++i) {
            auto context = std::make_unique<QObject>();
            store->transfers().upsert(makeTransfer(u"gone-%1"_s.arg(i)), context.get(),
                                      [&called](const Pm::Result<void> &) { called = true; });
        } // each context dies at once, before the writer commits
        store->flush();
        QCoreApplication::processEvents();
        QTest::qWait(20);
        QVERIFY(!called);
        QCOMPARE(store->transfers().count({}).value(), 50);
    }

    void contextsDestroyedWhileWritesAreInFlight()
    {
        // Contexts on another thread die while the writer posts to them (under ASan this would
        // show a use after free if a completion could reach a destroyed context).
        auto store = open();
        QThread worker;
        worker.start();
        auto *driver = new QObject;
        driver->moveToThread(&worker);
        connect(&worker, &QThread::finished, driver, &QObject::deleteLater);
        std::atomic<int> delivered{0};
        std::atomic<bool> submitted{false};
        constexpr int N = 3000;
        QMetaObject::invokeMethod(driver, [&, s = store.get()] {
            for (int i = 0; i < N; ++i) {
                auto *context = new QObject; // on the worker thread
                s->transfers().upsert(makeTransfer(u"x-%1"_s.arg(i)), context,
                                      [&delivered](const Pm::Result<void> &) { ++delivered; });
                if (i % 3 == 0)
                    delete context; // at once: never delivered
                else
                    context->deleteLater(); // races with the writer's post
                if (i % 100 == 0)
                    QCoreApplication::processEvents();
            }
            submitted = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(submitted.load(), 30'000);
        store->flush();
        QTest::qWait(50);
        worker.quit();
        QVERIFY(worker.wait(10'000));
        QVERIFY(delivered.load() <= N - N / 3);
        QCOMPARE(store->transfers().count({}).value(), qint64(N));
    }

    void aFailingBatchIsRolledBackAlone()
    {
        auto store = open();
        Completions c;
        WriteBatch good1;
        good1.upsertTransfer(makeTransfer(u"good-1"_s));
        WriteBatch bad;
        bad.upsertTransfer(makeTransfer(u"half"_s))
            .markStep(StepRecord{u"half"_s, u"backend"_s, StepStatus::Started, T0, {}})
            .markStep(StepRecord{u"not-stored"_s, u"backend"_s, StepStatus::Started, T0, {}});
        WriteBatch good2;
        good2.upsertTransfer(makeTransfer(u"good-2"_s))
            .markStep(StepRecord{u"good-2"_s, u"backend"_s, StepStatus::Done, T0, u"ok"_s});
        store->submit(std::move(good1), this, c.make(0));
        store->submit(std::move(bad), this, c.make(1));
        store->submit(std::move(good2), this, c.make(2));
        QTRY_COMPARE(int(c.results.size()), 3);
        QVERIFY(c.results[0].has_value());
        QVERIFY(!c.results[1].has_value());
        QVERIFY2(c.results[1].error().message.contains(u"not-stored"_s),
                 qPrintable(c.results[1].error().message));
        QVERIFY(c.results[2].has_value());
        QVERIFY(store->transfers().get(u"good-1"_s).value().has_value());
        QVERIFY(store->transfers().get(u"good-2"_s).value().has_value());
        QVERIFY(!store->transfers().get(u"half"_s).value().has_value()); // nothing of the batch
        QCOMPARE(int(store->transfers().steps(u"half"_s).value().size()), 0);
        const auto step = store->transfers().step(u"good-2"_s, u"backend"_s).value();
        QVERIFY(step.has_value());
        QCOMPARE(step->status, StepStatus::Done);
        QCOMPARE(step->detail, u"ok"_s);
        QCOMPARE(store->stats().failed, 1);
    }

    void messagesRoundTripByteForByte()
    {
        auto store = open();
        QByteArray allBytes;
        for (int b = 0; b < 256; ++b)
            allBytes.append(char(b));
        allBytes.append(allBytes); // includes NULs and invalid UTF-8 (0xC0, 0xFF...)
        MessageRecord in;
        in.transferId = u"m-1"_s;
        in.correlationId = u"m-1"_s;
        in.direction = MessageDirection::In;
        in.kind = MessageKind::Request;
        in.method = u"POST"_s;
        in.url = u"/transfers"_s;
        in.headers = {{"Content-Type", "application/vnd.interoperability.transfers+json;version=1.1"},
                      {"FSPIOP-Source", "payerfsp"},
                      {"X-Latin1", QByteArray("caf\xe9\x00\xff", 6)},
                      {"X-Dup", "1"},
                      {"X-Dup", "2"}};
        in.body = allBytes;
        in.at = T0;
        MessageRecord response;
        response.transferId = u"m-1"_s;
        response.direction = MessageDirection::Out;
        response.kind = MessageKind::Response;
        response.status = 202;
        response.at = T0 + 1;
        response.body = QByteArray(); // empty
        store->messages().append(in);
        store->messages().append(response);
        store->flush();
        const auto messages = store->messages().ofTransfer(u"m-1"_s).value();
        QCOMPARE(int(messages.size()), 2);
        MessageRecord expected = in;
        expected.id = messages[0].id;
        QCOMPARE(messages[0], expected);
        QCOMPARE(messages[0].body.size(), 512);
        QCOMPARE(messages[0].body, allBytes);
        QCOMPARE(messages[1].status, std::optional<int>(202));
        QVERIFY(messages[1].body.isEmpty());
        QCOMPARE(messages[1].kind, MessageKind::Response);
        QCOMPARE(int(store->messages().byCorrelationId(u"m-1"_s).value().size()), 1);
    }

    void searchFilters_data()
    {
        QTest::addColumn<int>("which");
        for (int i = 0; i < 18; ++i)
            QTest::newRow(qPrintable(u"filter %1"_s.arg(i))) << i;
    }

    void searchFilters()
    {
        QFETCH(int, which);
        auto store = open();
        const std::vector<TransferRecord> all = seed(*store);

        TransferFilter f;
        switch (which) {
        case 0: break; // no filter
        case 1: f.idContains = u"aa-00"_s; break;
        case 2: f.idContains = u"AA-001"_s; break; // case-insensitive, partial
        case 3: f.initiatedFrom = T0 + 10 * 60'000; f.initiatedTo = T0 + 20 * 60'000; break;
        case 4: f.direction = Direction::Inbound; break;
        case 5: f.payeeIdType = u"EMAIL"_s; break;
        case 6: f.payeeIdValue = u"party-2"_s; break;
        case 7: f.payeeIdValue = u"party-1"_s; f.payeeSubId = u"wallet"_s; f.payeeIdType = u"MSISDN"_s; break;
        case 8: f.counterpartyFspId = u"fsp-b"_s; break;
        case 9: f.status = TransferStatus::Failed; break;
        case 10: f.currency = u"XOF"_s; break;
        case 11: f.currency = u"USD"_s; f.amountMinorMin = 10000; f.amountMinorMax = 20025; break;
        case 12: f.state = u"WAITING"_s; break;
        case 13:
            f.status = TransferStatus::Completed;
            f.currency = u"EUR"_s;
            f.initiatedFrom = T0 + 5 * 60'000;
            f.initiatedTo = T0 + 35 * 60'000;
            break;
        case 14:
            f.direction = Direction::Outbound;
            f.counterpartyFspId = u"fsp-c"_s;
            f.idContains = u"bb"_s;
            break;
        case 15: f.idContains = u"%"_s; break; // LIKE wildcards are taken literally
        case 16: f.idPrefix = u"aa-001"_s; break;
        case 17: f.idPrefix = u"bb-0"_s; f.status = TransferStatus::Pending; break;
        }
        QStringList expected;
        for (auto it = all.rbegin(); it != all.rend(); ++it) { // initiated_at descending
            if (matches(*it, f))
                expected.append(it->id);
        }
        if (which == 0)
            QCOMPARE(expected.size(), 40);
        if (which != 15)
            QVERIFY2(!expected.isEmpty(), "the filter should match something");

        TransferQuery q;
        q.filter = f;
        q.limit = 100;
        const auto found = store->transfers().search(q);
        QVERIFY2(found.has_value(), found ? "" : qPrintable(Pm::toOneLine(found.error())));
        QCOMPARE(ids(*found), expected);
        QCOMPARE(store->transfers().count(f).value(), qint64(expected.size()));
        for (const TransferRecord &r : *found)
            QVERIFY(r.model.isEmpty()); // searches leave the model out

        // Paging in steps of 3 gives the same sequence.
        QStringList paged;
        q.limit = 3;
        for (q.offset = 0;; q.offset += 3) {
            const auto page = store->transfers().search(q).value();
            paged += ids(page);
            if (page.size() < 3)
                break;
        }
        QCOMPARE(paged, expected);

        // Ascending is the reverse.
        q.order = Qt::AscendingOrder;
        q.offset = 0;
        q.limit = 100;
        QStringList ascending = expected;
        std::reverse(ascending.begin(), ascending.end());
        QCOMPARE(ids(store->transfers().search(q).value()), ascending);
    }

    void searchSortsByAmount()
    {
        auto store = open();
        const std::vector<TransferRecord> all = seed(*store);
        TransferQuery q;
        q.filter.currency = u"USD"_s;
        q.sortKey = TransferSortKey::AmountMinor;
        q.order = Qt::AscendingOrder;
        q.limit = 100;
        const auto found = store->transfers().search(q).value();
        QVERIFY(found.size() > 5);
        for (std::size_t i = 1; i < found.size(); ++i)
            QVERIFY(*found[i - 1].amountMinor <= *found[i].amountMinor);
        // XOF has no decimals: "10.25" would not be a whole number of francs -> NULL minor units.
        TransferQuery x;
        x.filter.currency = u"XOF"_s;
        x.limit = 100;
        const auto francs = store->transfers().search(x).value();
        QVERIFY(!francs.empty());
        for (const TransferRecord &r : francs)
            QCOMPARE(r.amountMinor.has_value(), !r.amount.contains(u'.'));
    }

    void searchesUseIndexes()
    {
        auto store = open();
        seed(*store);
        RawDb raw(m_path);
        auto plan = [&](const TransferQuery &q) {
            const auto built = Pm::Store::Internal::buildSearch(q);
            QSqlQuery query(raw.db());
            query.prepare(u"EXPLAIN QUERY PLAN "_s + built.sql);
            for (qsizetype i = 0; i < built.values.size(); ++i)
                query.bindValue(Pm::Store::Internal::parameterName(int(i)), built.values.at(i));
            if (!query.exec())
                qFatal("%s", qPrintable(query.lastError().text()));
            QStringList lines;
            while (query.next())
                lines.append(query.value(3).toString());
            return lines.join(u" | "_s);
        };
        TransferQuery q;
        q.filter.initiatedFrom = T0;
        q.filter.initiatedTo = T0 + 3600'000;
        q.filter.status = TransferStatus::Completed;
        q.filter.currency = u"USD"_s;
        const QString p1 = plan(q);
        QVERIFY2(p1.contains(u"USING INDEX"_s) && !p1.contains(u"TEMP B-TREE"_s), qPrintable(p1));
        TransferQuery alias;
        alias.filter.payeeIdValue = u"party-1"_s;
        QVERIFY2(plan(alias).contains(u"transfers_payee_alias"_s), qPrintable(plan(alias)));
        TransferQuery prefix;
        prefix.filter.idPrefix = u"aa-00"_s;
        QVERIFY2(plan(prefix).contains(u"sqlite_autoindex_transfers_1 (id>? AND id<?)"_s),
                 qPrintable(plan(prefix)));
        TransferQuery cp;
        cp.filter.counterpartyFspId = u"fsp-a"_s;
        QVERIFY2(plan(cp).contains(u"transfers_counterparty_initiated"_s), qPrintable(plan(cp)));
    }

    void minuteStatsMatchHandComputedValues()
    {
        auto store = open();
        const qint64 m0 = T0 + 60'000 * 10; // minute boundaries
        const qint64 m1 = m0 + 60'000;
        const qint64 m2 = m1 + 60'000;
        auto finished = [&](const QString &id, Direction d, TransferStatus s, qint64 initiated,
                            qint64 completed) {
            TransferRecord t = makeTransfer(id, initiated);
            t.direction = d;
            t.status = s;
            t.state = u"X"_s;
            t.updatedAt = completed;
            t.completedAt = completed;
            store->transfers().upsert(t);
        };
        // m0: outbound 2 completed (1000 ms, 3000 ms), 1 failed (500 ms); inbound 1 completed (200 ms).
        finished(u"a"_s, Direction::Outbound, TransferStatus::Completed, m0 - 1000, m0);
        finished(u"b"_s, Direction::Outbound, TransferStatus::Completed, m0 + 59'999 - 3000, m0 + 59'999);
        finished(u"c"_s, Direction::Outbound, TransferStatus::Failed, m0 + 10'000, m0 + 10'500);
        finished(u"d"_s, Direction::Inbound, TransferStatus::Completed, m0 + 100, m0 + 300);
        // m1: a pending transfer completes by a partial update (e2e 4000), another stays pending.
        store->transfers().upsert(makeTransfer(u"e"_s, m1 - 1000));
        store->transfers().upsert(makeTransfer(u"f"_s, m1));
        TransferUpdate u;
        u.id = u"e"_s;
        u.updatedAt = m1 + 3000;
        u.status = TransferStatus::Completed;
        store->transfers().update(u);
        // m2: "c" is re-recorded as completed in m2 (e2e from m0+10000): leaves m0, joins m2.
        finished(u"c"_s, Direction::Outbound, TransferStatus::Completed, m0 + 10'000, m2 + 5'000);
        // Re-writing a final record unchanged does not count it twice.
        finished(u"a"_s, Direction::Outbound, TransferStatus::Completed, m0 - 1000, m0);
        store->flush();

        const auto all = store->transfers().minuteStats(m0, m2 + 60'000).value();
        QCOMPARE(int(all.size()), 3);
        QCOMPARE(all[0].minuteStartMs, m0);
        QCOMPARE(all[0].completed, 3); // a, b, d
        QCOMPARE(all[0].failed, 0);    // c moved away
        QCOMPARE(all[0].completedEndToEndSumMs, 1000 + 3000 + 200);
        QCOMPARE(all[0].successRate(), 1.0);
        QCOMPARE(all[0].averageEndToEndMs(), 4200.0 / 3);
        QCOMPARE(all[1].minuteStartMs, m1);
        QCOMPARE(all[1].completed, 1);
        QCOMPARE(all[1].completedEndToEndSumMs, 4000);
        QCOMPARE(all[2].minuteStartMs, m2);
        QCOMPARE(all[2].completed, 1);
        QCOMPARE(all[2].completedEndToEndSumMs, m2 + 5000 - (m0 + 10'000));

        const auto outbound = store->transfers().minuteStats(m0, m1, Direction::Outbound).value();
        QCOMPARE(int(outbound.size()), 1);
        QCOMPARE(outbound[0].completed, 2);
        QCOMPARE(outbound[0].averageEndToEndMs(), 2000.0);

        // Now fail "b": m0 outbound has 1 completed (a, 1000 ms), 1 failed (b): 50 %.
        finished(u"b"_s, Direction::Outbound, TransferStatus::Failed, m0 + 59'999 - 3000, m0 + 59'999);
        store->flush();
        const auto after = store->transfers().minuteStats(m0, m0 + 1, Direction::Outbound).value();
        QCOMPARE(int(after.size()), 1);
        QCOMPARE(after[0].completed, 1);
        QCOMPARE(after[0].failed, 1);
        QCOMPARE(after[0].successRate(), 0.5);
        QCOMPARE(after[0].averageEndToEndMs(), 1000.0);
        QCOMPARE(after[0].failedEndToEndSumMs, 3000);
        // A window starting inside a minute leaves that minute out.
        QCOMPARE(int(store->transfers().minuteStats(m0 + 1, m1).value().size()), 0);

        // The triggers agree with a direct aggregate over the table.
        RawDb raw(m_path);
        QCOMPARE(raw.scalar(u"SELECT sum(completed) FROM transfer_minute_stats"_s).toLongLong(),
                 raw.scalar(u"SELECT count(*) FROM transfers WHERE status = 'COMPLETED'"_s)
                     .toLongLong());
        QCOMPARE(raw.scalar(u"SELECT sum(completed_e2e_sum_ms) FROM transfer_minute_stats"_s)
                     .toLongLong(),
                 raw.scalar(u"SELECT sum(completed_at - initiated_at) FROM transfers "
                            u"WHERE status = 'COMPLETED'"_s)
                     .toLongLong());
    }

    void countByStateInAWindow()
    {
        auto store = open();
        seed(*store);
        const auto counts = store->transfers().countByState(T0, T0 + 20 * 60'000).value();
        // i in 0..19: i%5==1 pending (WAITING, 4), i%5==0 failed (DONE, 4), else completed (DONE, 12)
        const std::vector<StateCount> expected = {
            {u"DONE"_s, TransferStatus::Completed, 12},
            {u"DONE"_s, TransferStatus::Failed, 4},
            {u"WAITING"_s, TransferStatus::Pending, 4},
        };
        QCOMPARE(counts, expected);
    }

    void errorCountsGroupFailuresByCode()
    {
        auto store = open();
        // Failed transfers in the window: 3 x 5104, 2 x 3204, 1 without a code; outside the
        // window, a 2001; a completed transfer with a stale error code is not counted.
        const struct
        {
            qint64 at;
            TransferStatus status;
            std::optional<int> code;
            QString description;
        } rows[] = {
            {T0, TransferStatus::Failed, 5104, u"Transfer rejected by payee"_s},
            {T0 + 1, TransferStatus::Failed, 3204, u"Party not found"_s},
            {T0 + 2, TransferStatus::Failed, 5104, u"Transfer rejected by payee"_s},
            {T0 + 3, TransferStatus::Failed, std::nullopt, QString()},
            {T0 + 4, TransferStatus::Failed, 3204, u"Party not found"_s},
            {T0 + 5, TransferStatus::Failed, 5104, u"Rejected"_s},
            {T0 + 6, TransferStatus::Completed, 2001, u"stale"_s},
            {T0 + 60'000, TransferStatus::Failed, 2001, u"Internal server error"_s},
        };
        int n = 0;
        for (const auto &row : rows) {
            TransferRecord t = makeTransfer(u"err-%1"_s.arg(n++), row.at);
            t.status = row.status;
            t.state = u"DONE"_s;
            t.completedAt = row.at + 10;
            t.lastErrorCode = row.code;
            t.lastErrorDescription = row.description;
            store->transfers().upsert(t);
        }
        store->flush();
        const auto counts = store->transfers().errorCounts(T0, T0 + 60'000).value();
        const std::vector<ErrorCount> expected = {
            {5104, u"Rejected"_s, 3},
            {3204, u"Party not found"_s, 2},
            {std::nullopt, QString(), 1},
        };
        QCOMPARE(counts, expected);
        QCOMPARE(int(store->transfers().errorCounts(T0 + 60'000, T0 + 120'000).value().size()), 1);
        QVERIFY(store->transfers().errorCounts(T0 + 120'000, T0 + 180'000).value().empty());
    }

    void recoveryListsUnfinishedTransfers()
    {
        auto store = open();
        const auto all = seed(*store);
        const auto pending = store->transfers().unfinished().value();
        QStringList expected;
        for (const TransferRecord &t : all) {
            if (t.status == TransferStatus::Pending)
                expected.append(t.id);
        }
        QCOMPARE(ids(pending), expected); // oldest first
        for (const TransferRecord &t : pending)
            QVERIFY(!t.model.isEmpty());
        const auto inbound = store->transfers().unfinished(Direction::Inbound).value();
        for (const TransferRecord &t : inbound)
            QCOMPARE(t.direction, Direction::Inbound);
        QVERIFY(inbound.size() < pending.size());
    }

    void quotesMetricsAuditSettings()
    {
        auto store = open();
        QuoteRecord q{u"q-1"_s, Direction::Inbound, u"tx-1"_s, {}, u"hash"_s, u"cond"_s,
                      u"ful"_s, u"packet"_s, u"2030-01-01T00:00:00.000Z"_s,
                      QByteArray("{\"a\":1}\xff", 8), T0, T0};
        store->quotes().upsert(q);
        QuoteRecord q2 = q;
        q2.createdAt = T0 + 5;
        q2.updatedAt = T0 + 5;
        q2.transferId = u"t-9"_s;
        store->quotes().upsert(q2);

        store->metrics().add(MetricSample{T0 + 1000, u"transfers"_s, MessageDirection::In, 5, false});
        store->metrics().add(MetricSample{T0 + 2000, u"transfers"_s, MessageDirection::In, 700, true});
        store->metrics().add(MetricSample{T0 + 3000, u"transfers"_s, MessageDirection::In, 9000, false});
        store->metrics().add(MetricSample{T0 + 61'000, u"quotes"_s, MessageDirection::Out, 50, false});

        store->admin().appendAudit(AuditRecord{0, T0, u"alice"_s, u"certificate.import"_s, u"hub"_s, {}});
        store->admin().appendAudit(AuditRecord{0, T0 + 1, u"bob"_s, u"settings.change"_s, {}, u"{}"_s});
        store->admin().setSetting(SettingRecord{u"dev"_s, u"hub.url"_s, u"https://hub"_s, T0});
        store->admin().setSetting(SettingRecord{u"dev"_s, u"a.key"_s, u"1"_s, T0});
        store->admin().setSetting(SettingRecord{u"dev"_s, u"hub.url"_s, u"https://hub2"_s, T0 + 1});
        store->admin().setSetting(SettingRecord{u"prod"_s, u"gone"_s, u"x"_s, T0});
        store->admin().removeSetting(u"prod"_s, u"gone"_s);
        store->flush();

        QuoteRecord expected = q2;
        expected.createdAt = T0; // kept
        QCOMPARE(store->quotes().get(u"q-1"_s).value(), std::optional<QuoteRecord>(expected));
        QVERIFY(!store->quotes().get(u"q-2"_s).value().has_value());

        const auto rows = store->metrics().rows(T0, T0 + 120'000).value();
        QCOMPARE(int(rows.size()), 2);
        QCOMPARE(rows[0].resource, u"transfers"_s);
        QCOMPARE(rows[0].minuteStartMs, T0);
        QCOMPARE(rows[0].count, 3);
        QCOMPARE(rows[0].errorCount, 1);
        QCOMPARE(rows[0].latencySumMs, 9705);
        QCOMPARE(rows[0].latencyMaxMs, 9000);
        const std::array<qint64, LatencyBucketCount> buckets = {1, 0, 0, 0, 0, 1, 0, 1};
        QCOMPARE(rows[0].latencyBuckets, buckets);
        QCOMPARE(rows[1].resource, u"quotes"_s);
        QCOMPARE(rows[1].direction, MessageDirection::Out);
        QCOMPARE(int(store->metrics().rows(T0, T0 + 120'000, u"quotes"_s).value().size()), 1);

        const auto audit = store->admin().auditLog(T0, T0 + 10).value();
        QCOMPARE(int(audit.size()), 2);
        QCOMPARE(audit[0].actor, u"bob"_s); // newest first
        QCOMPARE(audit[1].action, u"certificate.import"_s);
        QCOMPARE(int(store->admin().auditLog(T0, T0 + 10, 1).value().size()), 1);

        const auto dev = store->admin().settings(u"dev"_s).value();
        QCOMPARE(int(dev.size()), 2);
        QCOMPARE(dev[0].key, u"a.key"_s);
        QCOMPARE(dev[1].value, u"https://hub2"_s);
        QVERIFY(!store->admin().setting(u"prod"_s, u"gone"_s).value().has_value());
        QCOMPARE(store->admin().setting(u"dev"_s, u"hub.url"_s).value()->updatedAt, T0 + 1);
    }

    void readsOnAnotherThread()
    {
        auto store = open();
        store->transfers().upsert(makeTransfer(u"r-1"_s));
        store->flush();
        std::optional<TransferRecord> seen;
        bool ok = false;
        QThread *reader = QThread::create([&] {
            auto got = store->transfers().get(u"r-1"_s);
            ok = got.has_value();
            if (got)
                seen = *got;
        });
        reader->start();
        QVERIFY(reader->wait(10'000));
        delete reader; // its connection was closed as the thread ended
        QVERIFY(ok);
        QVERIFY(seen.has_value());
        QCOMPARE(seen->id, u"r-1"_s);
        QCOMPARE(QSqlDatabase::connectionNames().size(), 1); // the writer's only (this thread has none)
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
