// Store benchmarks: 1,000,000 transfers inserted through the store's API, then the portal's
// queries on them (targets: each under 200 ms), then a connector-like write mix.
//   bench_store [--benchmark_filter=...]      (PM_BENCH_STORE_ROWS overrides the 1,000,000)
// The benchmarks share one store and must run in order (the insert fills it).

#include "core/store/store.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Pm::Store;

namespace {

constexpr qint64 DayMs = 24 * 3600 * 1000;

struct Shared
{
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<Store> store;
    qint64 rows = 1'000'000;
    qint64 endMs = 0; ///< initiated_at of the newest row
};

Shared &shared()
{
    static Shared s;
    return s;
}

quint64 splitmix(quint64 &x)
{
    quint64 z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

QString uuidLike(quint64 &seed)
{
    const QString hex = (QString::number(splitmix(seed), 16).rightJustified(16, u'0')
                         + QString::number(splitmix(seed), 16).rightJustified(16, u'0'));
    return hex.mid(0, 8) + u'-' + hex.mid(8, 4) + u'-' + hex.mid(12, 4) + u'-' + hex.mid(16, 4)
           + u'-' + hex.mid(20, 12);
}

const QString Currencies[] = {u"USD"_s, u"EUR"_s, u"XOF"_s};

/** Row i of the data set: initiated over the 24 h before endMs, in order. */
TransferRecord makeRow(qint64 i, qint64 rows, qint64 endMs, quint64 &seed)
{
    TransferRecord t;
    t.id = uuidLike(seed);
    const quint64 r = splitmix(seed);
    t.direction = r % 2 ? Direction::Outbound : Direction::Inbound;
    const int outcome = int((r >> 8) % 100);
    t.status = outcome < 93 ? TransferStatus::Completed
                            : (outcome < 98 ? TransferStatus::Failed : TransferStatus::Pending);
    t.state = t.status == TransferStatus::Completed
                  ? u"COMPLETED"_s
                  : (t.status == TransferStatus::Failed ? u"ERROR_OCCURRED"_s : u"WAITING_FOR_FULFIL"_s);
    t.homeTransactionId = u"home-%1"_s.arg(i);
    t.quoteId = uuidLike(seed);
    t.transactionId = uuidLike(seed);
    const int c = int((r >> 16) % 10);
    t.currency = Currencies[c < 5 ? 0 : (c < 8 ? 1 : 2)];
    t.amountType = u"SEND"_s;
    t.amount = QString::number(1 + (r >> 24) % 5000) + (t.currency == u"XOF" ? QString() : u".5"_s);
    const QString fsp = u"dfsp-%1"_s.arg((r >> 40) % 20);
    t.payer = {u"MSISDN"_s, QString::number(2250000000 + (r >> 20) % 100000), {}, u"ourfsp"_s,
               u"Payer Name"_s};
    t.payee = {u"MSISDN"_s, QString::number(2260000000 + (r >> 28) % 100000), {}, fsp,
               u"Payee Name"_s};
    if (t.direction == Direction::Inbound)
        std::swap(t.payer, t.payee);
    t.initiatedAt = endMs - DayMs + (DayMs * i) / rows;
    t.updatedAt = t.initiatedAt + 200 + qint64((r >> 48) % 2800);
    if (t.status != TransferStatus::Pending)
        t.completedAt = t.updatedAt;
    t.ilpCondition = u"GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM"_s;
    if (t.status == TransferStatus::Completed)
        t.ilpFulfilment = u"UNlJ98hZTY_dsw0cAqw4i_UN3v4utt7CZFB4yfLbVFA"_s;
    t.model = QByteArray(R"({"currentState":")") + t.state.toUtf8()
              + R"(","transferId":")" + t.id.toUtf8()
              + R"(","amount":{"amount":")" + t.amount.toUtf8() + R"(","currency":")"
              + t.currency.toUtf8() + R"("},"quoteResponse":{"transferAmount":{"amount":")"
              + t.amount.toUtf8() + R"("},"expiration":"2030-01-01T00:00:00.000Z"}})";
    return t;
}

void BM_Insert(benchmark::State &state)
{
    Shared &s = shared();
    for (auto _ : state) {
        s.dir = std::make_unique<QTemporaryDir>();
        StoreOptions options{s.dir->filePath(u"bench.db"_s)};
        if (const QByteArray mib = qgetenv("PM_BENCH_STORE_CACHE_MIB"); !mib.isEmpty())
            options.writerCacheMiB = mib.toInt();
        auto opened = Store::open(options);
        if (!opened) {
            state.SkipWithError(qPrintable(Pm::toOneLine(opened.error())));
            return;
        }
        s.store = std::move(*opened);
        s.endMs = QDateTime::currentMSecsSinceEpoch();
        quint64 seed = 42;
        QElapsedTimer total;
        total.start();
        qint64 submitNs = 0;
        QElapsedTimer t;
        for (qint64 i = 0; i < s.rows; ++i) {
            TransferRecord row = makeRow(i, s.rows, s.endMs, seed);
            t.start();
            s.store->transfers().upsert(std::move(row));
            submitNs += t.nsecsElapsed();
            // Keep the queue (and memory) bounded as a connector's back-pressure would.
            if (i % 10'000 == 0 && s.store->stats().queued > 50'000)
                s.store->flush();
        }
        s.store->flush();
        const double seconds = double(total.nsecsElapsed()) / 1e9;
        const StoreStats stats = s.store->stats();
        state.counters["rows"] = double(s.rows);
        state.counters["inserts_per_s"] = double(s.rows) / seconds;
        state.counters["submit_ns"] = double(submitNs) / double(s.rows);
        state.counters["transactions"] = double(stats.transactions);
        state.counters["failed"] = double(stats.failed);
        const qint64 fileBytes = QFileInfo(s.store->path()).size();
        state.counters["file_MiB"] = double(fileBytes) / 1048576.0;
        std::printf("inserted %lld transfers in %.1f s: %.0f inserts/s, %.0f ns per submit() on the "
                    "caller's thread, %lld transactions (largest %lld units), file %.0f MiB\n",
                    static_cast<long long>(s.rows), seconds, double(s.rows) / seconds,
                    double(submitNs) / double(s.rows), static_cast<long long>(stats.transactions),
                    static_cast<long long>(stats.largestBatch), double(fileBytes) / 1048576.0);
    }
}
BENCHMARK(BM_Insert)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

/** First page (50) sorted by initiated_at desc, with a date range, status and currency. */
void BM_SearchFirstPage(benchmark::State &state)
{
    Shared &s = shared();
    if (!s.store) {
        state.SkipWithError("no data (run BM_Insert first)");
        return;
    }
    TransferQuery q;
    q.filter.initiatedFrom = s.endMs - DayMs / 2;
    q.filter.initiatedTo = s.endMs;
    // range(0): 0 = common (COMPLETED, EUR: ~28 %), 1 = rare (FAILED, XOF: ~1 %), 2 = none (PENDING, EUR in an hour)
    switch (state.range(0)) {
    case 0:
        q.filter.status = TransferStatus::Completed;
        q.filter.currency = u"EUR"_s;
        break;
    case 1:
        q.filter.status = TransferStatus::Failed;
        q.filter.currency = u"XOF"_s;
        break;
    default:
        q.filter.initiatedFrom = s.endMs - 3600'000;
        q.filter.status = TransferStatus::Pending;
        q.filter.currency = u"EUR"_s;
        break;
    }
    q.limit = 50;
    std::size_t found = 0;
    for (auto _ : state) {
        auto page = s.store->transfers().search(q);
        if (!page) {
            state.SkipWithError(qPrintable(Pm::toOneLine(page.error())));
            return;
        }
        found = page->size();
        benchmark::DoNotOptimize(page);
    }
    state.counters["rows"] = double(found);
}
BENCHMARK(BM_SearchFirstPage)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

/** A deep page (offset 10,000) and a partial-id search: for information. */
void BM_SearchOther(benchmark::State &state)
{
    Shared &s = shared();
    if (!s.store) {
        state.SkipWithError("no data");
        return;
    }
    TransferQuery q;
    if (state.range(0) == 0) {
        q.filter.initiatedFrom = s.endMs - DayMs;
        q.filter.initiatedTo = s.endMs;
        q.offset = 10'000;
    } else if (state.range(0) == 1) {
        q.filter.idContains = u"abc12"_s; // substring: scans the ids
    } else if (state.range(0) == 2) {
        q.filter.idPrefix = u"abc12"_s; // prefix: a primary-key range
    } else {
        q.filter.payeeIdValue = u"2260012345"_s; // alias lookup
    }
    q.limit = 50;
    for (auto _ : state) {
        auto page = s.store->transfers().search(q);
        benchmark::DoNotOptimize(page);
    }
}
BENCHMARK(BM_SearchOther)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MinuteStats24h(benchmark::State &state)
{
    Shared &s = shared();
    if (!s.store) {
        state.SkipWithError("no data");
        return;
    }
    std::size_t minutes = 0;
    for (auto _ : state) {
        auto stats = s.store->transfers().minuteStats(s.endMs - DayMs, s.endMs + 60'000);
        if (!stats) {
            state.SkipWithError(qPrintable(Pm::toOneLine(stats.error())));
            return;
        }
        minutes = stats->size();
        benchmark::DoNotOptimize(stats);
    }
    state.counters["minutes"] = double(minutes);
}
BENCHMARK(BM_MinuteStats24h)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CountByState24h(benchmark::State &state)
{
    Shared &s = shared();
    if (!s.store) {
        state.SkipWithError("no data");
        return;
    }
    for (auto _ : state) {
        auto counts = s.store->transfers().countByState(s.endMs - DayMs, s.endMs + 1);
        benchmark::DoNotOptimize(counts);
    }
}
BENCHMARK(BM_CountByState24h)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_GetById(benchmark::State &state)
{
    Shared &s = shared();
    if (!s.store) {
        state.SkipWithError("no data");
        return;
    }
    quint64 seed = 42;
    const QString id = makeRow(123'456, s.rows, s.endMs, seed).id;
    for (auto _ : state) {
        auto t = s.store->transfers().get(id);
        benchmark::DoNotOptimize(t);
    }
}
BENCHMARK(BM_GetById)->Unit(benchmark::kMicrosecond)->UseRealTime();

/**
 * What the connector writes per transfer, each as its own unit like a state machine would:
 * create; three state changes each with a step marker; six messages; completion with a metric.
 * On top of the 1,000,000 rows. Reports transfers/s with everything committed.
 */
void BM_ConnectorMix(benchmark::State &state)
{
    Shared &s = shared();
    if (!s.store) {
        state.SkipWithError("no data");
        return;
    }
    constexpr int Transfers = 20'000;
    quint64 seed = 7;
    const qint64 base = s.endMs + 1000;
    for (auto _ : state) {
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < Transfers; ++i) {
            TransferRecord t = makeRow(i, Transfers, base + DayMs, seed);
            t.status = TransferStatus::Pending;
            t.state = u"RECEIVED"_s;
            t.completedAt.reset();
            const QString id = t.id;
            const qint64 at = t.initiatedAt;
            s.store->transfers().upsert(std::move(t));
            for (int m = 0; m < 6; ++m) {
                MessageRecord msg;
                msg.transferId = id;
                msg.correlationId = id;
                msg.direction = m % 2 ? MessageDirection::Out : MessageDirection::In;
                msg.kind = m % 3 == 0 ? MessageKind::Request
                                      : (m % 3 == 1 ? MessageKind::Response : MessageKind::Callback);
                msg.method = u"PUT"_s;
                msg.url = u"/transfers/"_s + id;
                msg.headers = {{"Content-Type", "application/vnd.interoperability.transfers+json;version=1.1"},
                               {"Date", "Tue, 01 Jan 2030 00:00:00 GMT"},
                               {"FSPIOP-Source", "payerfsp"},
                               {"FSPIOP-Destination", "payeefsp"}};
                msg.body = QByteArray(600, 'x');
                msg.at = at + m;
                s.store->messages().append(std::move(msg));
            }
            const QString states[] = {u"RESERVED"_s, u"BACKEND_CALLED"_s, u"FULFILLED"_s};
            for (int k = 0; k < 3; ++k) {
                TransferUpdate u;
                u.id = id;
                u.updatedAt = at + 10 + k;
                u.state = states[k];
                WriteBatch batch;
                batch.updateTransfer(std::move(u))
                    .markStep(StepRecord{id, states[k], StepStatus::Done, at + 10 + k, {}});
                s.store->submit(std::move(batch));
            }
            TransferUpdate done;
            done.id = id;
            done.updatedAt = at + 500;
            done.state = u"COMPLETED"_s;
            done.status = TransferStatus::Completed;
            WriteBatch last;
            last.updateTransfer(std::move(done))
                .addMetric(MetricSample{at + 500, u"transfers"_s, MessageDirection::In, 500, false});
            s.store->submit(std::move(last));
            if (i % 1000 == 0 && s.store->stats().queued > 50'000)
                s.store->flush();
        }
        s.store->flush();
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        state.counters["transfers_per_s"] = double(Transfers) / seconds;
        state.counters["units_per_s"] = double(Transfers) * 11 / seconds;
        std::printf("connector mix: %d transfers (11 units each) in %.2f s: %.0f transfers/s\n",
                    Transfers, seconds, double(Transfers) / seconds);
    }
}
BENCHMARK(BM_ConnectorMix)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (const QByteArray rows = qgetenv("PM_BENCH_STORE_ROWS"); !rows.isEmpty())
        shared().rows = qMax(1000LL, rows.toLongLong());
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    shared().store.reset();
    shared().dir.reset();
    return 0;
}
