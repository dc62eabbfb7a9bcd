// The desktop portal over a large record: 1,000,000 transfers inserted through the store's API,
// then the time to open the transfers overview, to run a filtered search (first page on screen)
// and the UI thread's longest stall while transfers are written at 200/s and every page refreshes.
// Not a test: prints a Markdown table for docs/performance.md ("Portal").
//
//   bench_portal [--rows N] [--store PATH] [--seconds S] [--rate R]
// The store file is kept (default: bench_portal.sqlite in the working directory) and topped up to
// N rows, so a second run skips the insert.

#include "core/store/store.h"
#include "ui/data/portaldata.h"
#include "ui/data/storeaccess.h"
#include "ui/models/transfertablemodel.h"
#include "ui/widgets/findpage.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/overviewpage.h"
#include "ui/widgets/technicalpage.h"

#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QLineEdit>
#include <QTabWidget>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Pm;

namespace {

constexpr qint64 DayMs = 24 * 3600 * 1000LL;

quint64 nextRandom(quint64 &state)
{
    state += 0x9e3779b97f4a7c15ULL;
    quint64 z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

QString randomId(quint64 &state)
{
    const quint64 a = nextRandom(state), b = nextRandom(state);
    return u"%1-%2-4%3-a%4-%5"_s.arg(a >> 32, 8, 16, QChar(u'0'))
        .arg((a >> 16) & 0xffff, 4, 16, QChar(u'0'))
        .arg(a & 0xfff, 3, 16, QChar(u'0'))
        .arg((b >> 52) & 0xfff, 3, 16, QChar(u'0'))
        .arg(b & 0xffffffffffffULL, 12, 16, QChar(u'0'));
}

/** A plausible transfer initiated at `at`: 93 % successful, 5 % failed, 2 % pending. */
Store::TransferRecord makeTransfer(qint64 at, quint64 &state)
{
    static const QString currencies[] = { u"USD"_s, u"EUR"_s, u"XOF"_s };
    static const int codes[] = { 3204, 4001, 5104, 2004, 3303 };
    Store::TransferRecord t;
    t.id = randomId(state);
    const quint64 r = nextRandom(state);
    t.direction = r % 3 ? Store::Direction::Outbound : Store::Direction::Inbound;
    const int outcome = int((r >> 8) % 100);
    t.status = outcome < 93 ? Store::TransferStatus::Completed
        : outcome < 98      ? Store::TransferStatus::Failed
                            : Store::TransferStatus::Pending;
    t.state = t.status == Store::TransferStatus::Completed ? u"COMPLETED"_s
        : t.status == Store::TransferStatus::Failed        ? u"ERROR_OCCURRED"_s
                                                           : u"WAITING_FOR_FULFIL"_s;
    t.currency = currencies[(r >> 16) % 10 < 6 ? 0 : ((r >> 16) % 10 < 9 ? 1 : 2)];
    t.amountType = u"SEND"_s;
    t.amount
        = QString::number(1 + (r >> 24) % 5000) + (t.currency == u"XOF" ? QString() : u".25"_s);
    t.homeTransactionId = u"home-"_s + t.id.left(8);
    t.quoteId = randomId(state);
    t.transactionId = randomId(state);
    const QString peer = u"dfsp%1"_s.arg((r >> 40) % 12);
    t.payer = { u"MSISDN"_s, QString::number(2250000000 + (r >> 20) % 100000), {}, u"pmdfsp"_s,
        u"Payer"_s };
    t.payee
        = { u"MSISDN"_s, QString::number(2260000000 + (r >> 28) % 100000), {}, peer, u"Payee"_s };
    if (t.direction == Store::Direction::Inbound)
        std::swap(t.payer, t.payee);
    t.initiatedAt = at;
    t.updatedAt = at + 300 + qint64((r >> 48) % 2700);
    if (t.status != Store::TransferStatus::Pending)
        t.completedAt = t.updatedAt;
    if (t.status == Store::TransferStatus::Failed) {
        t.lastErrorCode = codes[(r >> 4) % 5];
        t.lastErrorDescription = u"error %1"_s.arg(*t.lastErrorCode);
    }
    return t;
}

/** Runs the event loop until `done` is true (or `timeoutMs`); returns the elapsed ms. */
template<class Done> double waitFor(Done done, int timeoutMs = 120000)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    return double(timer.nsecsElapsed()) / 1e6;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption rowsOption(
        u"rows"_s, u"transfers in the store"_s, u"n"_s, u"1000000"_s);
    const QCommandLineOption storeOption(
        u"store"_s, u"store file (kept)"_s, u"path"_s, u"bench_portal.sqlite"_s);
    const QCommandLineOption secondsOption(
        u"seconds"_s, u"length of the stall measurement"_s, u"s"_s, u"30"_s);
    const QCommandLineOption rateOption(
        u"rate"_s, u"transfers written per second meanwhile"_s, u"r"_s, u"200"_s);
    parser.addOptions({ rowsOption, storeOption, secondsOption, rateOption });
    parser.process(app);
    const qint64 rows = parser.value(rowsOption).toLongLong();
    const int seconds = parser.value(secondsOption).toInt();
    const int rate = parser.value(rateOption).toInt();

    Store::StoreOptions options;
    options.path = QFileInfo(parser.value(storeOption)).absoluteFilePath();
    auto opened = Store::Store::open(options);
    if (!opened) {
        std::fprintf(stderr, "bench_portal: %s\n", qPrintable(opened.error().message));
        return 1;
    }
    Store::Store *store = opened->get();

    // 1. Fill: rows spread over the 24 h before now (the overview's default window).
    auto existing = store->transfers().count({});
    if (!existing) {
        std::fprintf(stderr, "bench_portal: %s\n", qPrintable(existing.error().message));
        return 1;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    quint64 seed = quint64(now);
    if (*existing < rows) {
        QElapsedTimer insert;
        insert.start();
        const qint64 missing = rows - *existing;
        for (qint64 i = 0; i < missing; i += 1000) {
            Store::WriteBatch batch;
            for (qint64 k = i; k < std::min(missing, i + 1000); ++k)
                batch.upsertTransfer(makeTransfer(now - DayMs + DayMs * k / missing, seed));
            store->submit(std::move(batch));
            if ((i / 1000) % 50 == 49) {
                store->flush();
                std::fprintf(stderr, "\rinserted %lld / %lld", *existing + i + 1000, rows);
            }
        }
        store->flush();
        std::fprintf(stderr, "\n");
        std::printf("| insert %lld transfers through the store API | %.0f transfers/s |\n", missing,
            double(missing) * 1000.0 / double(insert.elapsed()));
    }

    // The overview's queries one by one, on this thread (before the UI exists).
    {
        const Ui::TimeWindow w
            = Ui::presetWindow(Ui::WindowPreset::LastDay, QDateTime::currentMSecsSinceEpoch());
        auto timed = [](auto call) {
            QElapsedTimer t;
            t.start();
            call();
            return double(t.nsecsElapsed()) / 1e6;
        };
        for (int run = 0; run < 2; ++run) {
            const double minutes
                = timed([&] { (void)store->transfers().minuteStats(w.fromMs, w.toMs); });
            Store::TransferFilter pending;
            pending.status = Store::TransferStatus::Pending;
            pending.initiatedFrom = w.fromMs;
            pending.initiatedTo = w.toMs;
            const double pendingMs = timed([&] { (void)store->transfers().count(pending); });
            const double errors
                = timed([&] { (void)store->transfers().errorCounts(w.fromMs, w.toMs); });
            Store::TransferQuery latest;
            latest.filter.status = Store::TransferStatus::Failed;
            latest.filter.initiatedFrom = w.fromMs;
            latest.filter.initiatedTo = w.toMs;
            latest.limit = 10;
            const double latestMs = timed([&] { (void)store->transfers().search(latest); });
            std::printf(
                "| overview queries (%s): minute statistics %.1f ms, pending count %.1f ms, error "
                "breakdown %.1f ms, latest errors %.1f ms |  |\n",
                run == 0 ? "cold" : "warm", minutes, pendingMs, errors, latestMs);
        }
    }

    // 2. Opening the overview (24 h, the default window): from handing the record to the window
    // until the overview's numbers and charts are on screen; then new overview pages, warm.
    Ui::MainWindow window;
    window.resize(1280, 820);
    window.show();
    QElapsedTimer cold;
    cold.start();
    window.setStoreAccess(std::make_unique<Ui::StoreAccess>(std::move(*opened)));
    Ui::StoreAccess *access = window.storeAccess();
    bool shown = false, complete = false;
    QObject::connect(window.overviewPage(), &Ui::OverviewPage::summaryShown, [&] {
        if (!shown)
            std::printf("| open the overview, 24 h, first time (cold cache): counts and charts "
                        "shown | %.1f ms |\n",
                double(cold.nsecsElapsed()) / 1e6);
        shown = true;
    });
    QObject::connect(window.overviewPage(), &Ui::OverviewPage::refreshed, [&] {
        if (!complete)
            std::printf(
                "| open the overview, 24 h, first time: error breakdown shown too | %.1f ms |\n",
                double(cold.nsecsElapsed()) / 1e6);
        complete = true;
    });
    waitFor([&] { return complete; });
    const Ui::OverviewData &first = window.overviewPage()->data();
    std::printf("|  its counts: %lld successful, %lld failed, %lld pending over %zu minutes; %zu "
                "error codes |  |\n",
        first.completed, first.failed, first.pending, first.minutes.size(), first.errors.size());
    window.overviewPage()->setRefreshInterval(0);
    window.technicalPage()->setRefreshInterval(0);
    access->waitForIdle();

    std::vector<double> summary, full;
    for (int run = 0; run < 6; ++run) {
        QElapsedTimer t;
        t.start();
        auto *page = new Ui::OverviewPage(access);
        page->setRefreshInterval(0);
        bool partDone = false, done = false;
        QObject::connect(page, &Ui::OverviewPage::summaryShown, page, [&] {
            if (!partDone)
                summary.push_back(double(t.nsecsElapsed()) / 1e6);
            partDone = true;
        });
        QObject::connect(page, &Ui::OverviewPage::refreshed, page, [&done] { done = true; });
        page->show();
        waitFor([&] { return done; });
        full.push_back(double(t.nsecsElapsed()) / 1e6);
        delete page;
    }
    std::printf("| open the overview, 24 h: counts and charts shown (median of 6) | %.1f ms |\n",
        median(summary));
    std::printf("| open the overview, 24 h: error breakdown shown too (median of 6) | %.1f ms |\n",
        median(full));

    // 3. A filtered search: last 24 h, successful, USD, amount 100..200, newest first: first page
    // shown.
    Ui::FindPage *find = window.findPage();
    window.pages()->setCurrentWidget(find);
    auto *preset = find->findChild<QComboBox *>(u"filterDatePreset"_s);
    preset->setCurrentIndex(preset->findData(int(Ui::FindPage::DatePreset::LastDay)));
    auto *status = find->findChild<QComboBox *>(u"filterStatus"_s);
    status->setCurrentIndex(status->findData(int(Store::TransferStatus::Completed)));
    find->findChild<QLineEdit *>(u"filterCurrency"_s)->setText(u"USD"_s);
    find->findChild<QLineEdit *>(u"filterAmountMin"_s)->setText(u"100"_s);
    find->findChild<QLineEdit *>(u"filterAmountMax"_s)->setText(u"200"_s);
    Ui::TransferTableModel *model = find->model();
    std::vector<double> firstPage, counted;
    for (int run = 0; run < 6; ++run) {
        int pages = 0;
        qint64 total = -1;
        auto c1
            = QObject::connect(model, &Ui::TransferTableModel::pageLoaded, [&pages] { ++pages; });
        auto c2 = QObject::connect(
            model, &Ui::TransferTableModel::totalCountChanged, [&total](qint64 n) { total = n; });
        QElapsedTimer t;
        t.start();
        find->search();
        firstPage.push_back(waitFor([&] { return pages > 0; }));
        waitFor([&] { return total >= 0; });
        counted.push_back(double(t.nsecsElapsed()) / 1e6);
        QObject::disconnect(c1);
        QObject::disconnect(c2);
        if (run == 0)
            std::printf("| filtered search, first page shown (first) | %.1f ms |\n|  %lld matching "
                        "transfers, counted after | %.0f ms |\n",
                firstPage[0], total, counted[0]);
    }
    firstPage.erase(firstPage.begin());
    counted.erase(counted.begin());
    std::printf(
        "| filtered search, first page shown (median of 5) | %.1f ms |\n", median(firstPage));
    std::printf(
        "| filtered search, total count shown (median of 5) | %.1f ms |\n", median(counted));

    // Scrolling: the next pages as the view asks for them.
    {
        std::vector<double> fetch;
        for (int run = 0; run < 10 && model->canFetchMore(); ++run) {
            const int before = model->rowCount();
            QElapsedTimer t;
            t.start();
            model->fetchMore({});
            waitFor([&] { return model->rowCount() > before; });
            fetch.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        std::printf("| next page of %d rows while scrolling (median of %zu) | %.1f ms |\n",
            Ui::TransferTableModel::PageSize, fetch.size(), median(fetch));
    }

    // 4. The UI thread's longest stall while transfers are written at `rate`/s from another thread
    // and every page refreshes every second.
    window.overviewPage()->setRefreshInterval(1000);
    window.technicalPage()->setRefreshInterval(1000);
    std::atomic_bool stop = false;
    std::atomic<qint64> written = 0;
    std::thread writer([&] {
        quint64 s = 42;
        const int perTick = std::max(1, rate / 20);
        while (!stop) {
            const qint64 t0 = QDateTime::currentMSecsSinceEpoch();
            Store::WriteBatch batch;
            for (int k = 0; k < perTick; ++k) {
                Store::TransferRecord t = makeTransfer(t0 - 2000, s);
                batch.upsertTransfer(std::move(t));
                Store::MetricSample m;
                m.at = t0;
                m.resource = u"transfers"_s;
                m.direction = Store::MessageDirection::Out;
                m.latencyMs = 40 + k;
                batch.addMetric(m);
            }
            store->submit(std::move(batch));
            written += perTick;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
    QTimer searchTimer;
    int tab = 0;
    QObject::connect(&searchTimer, &QTimer::timeout, [&] {
        find->search();
        window.pages()->setCurrentIndex(tab++ % 4);
    });
    searchTimer.start(2000);
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    double worst = 0, worstCpu = 0;
    std::vector<double> gaps;
    // CPU time the UI thread itself used between two ticks: its own work, whatever the machine's
    // load does to the wall clock.
    auto threadCpuMs = [] {
        timespec ts {};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
    };
    double lastCpu = threadCpuMs();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 t = clock.nsecsElapsed();
        const double gap = double(t - last) / 1e6 - 5.0;
        last = t;
        gaps.push_back(gap);
        worst = std::max(worst, gap);
        const double cpu = threadCpuMs();
        worstCpu = std::max(worstCpu, cpu - lastCpu);
        lastCpu = cpu;
    });
    probe.start(5);
    waitFor([] { return false; }, seconds * 1000);
    probe.stop();
    searchTimer.stop();
    stop = true;
    writer.join();
    std::sort(gaps.begin(), gaps.end());
    std::printf("| UI thread, longest stall over %d s while %lld transfers were written (%d/s) | "
                "%.1f ms |\n",
        seconds, written.load(), rate, worst);
    std::printf("| UI thread, 99th percentile delay of a 5 ms timer | %.1f ms |\n",
        gaps.empty() ? 0.0 : gaps[gaps.size() * 99 / 100]);
    std::printf(
        "| UI thread, longest CPU time it spent between two ticks (its own work) | %.1f ms |\n",
        worstCpu);
    double load[3] = { 0, 0, 0 };
    if (getloadavg(load, 3) > 0)
        std::printf("| machine load average at the end (2 cores shared) | %.1f |\n", load[0]);
    window.setStoreAccess(nullptr);
    return 0;
}
