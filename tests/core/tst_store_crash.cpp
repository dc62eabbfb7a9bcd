// Kills a writing process with SIGKILL right after a write was acknowledged, then checks the file:
// every acknowledged write is there, nothing is duplicated, no write is half there.
//
// The test re-executes its own binary as the writer ("--writer <file> <in-flight>"). The writer
// resumes from what the file holds (the store's recovery list), then writes numbered units and
// prints "ACK n" when unit n's completion arrives. Unit n is one WriteBatch of several rows in
// three tables: transfer n/4 moves to state "P<n%4>" (created at phase 0, Completed at phase 3),
// two messages tagged n, and the step marker "phase-<n%4>".

#include "core/store/store.h"

#include <QCoreApplication>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <map>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Pm::Store;

namespace {

constexpr qint64 T0 = 1'700'000'000'000;
constexpr int PhasesPerTransfer = 4;

QString transferId(int j)
{
    return u"t%1"_s.arg(j, 6, 10, QChar(u'0'));
}

WriteBatch unitOf(int n)
{
    const int j = n / PhasesPerTransfer;
    const int phase = n % PhasesPerTransfer;
    const QString id = transferId(j);
    const QString state = u"P%1"_s.arg(phase);
    WriteBatch batch;
    if (phase == 0) {
        TransferRecord t;
        t.id = id;
        t.state = state;
        t.amount = u"1.5"_s;
        t.currency = u"USD"_s;
        t.initiatedAt = T0 + n;
        t.updatedAt = T0 + n;
        t.model = QByteArray(R"({"n":)") + QByteArray::number(n) + '}';
        batch.upsertTransfer(std::move(t));
    } else {
        TransferUpdate u;
        u.id = id;
        u.state = state;
        u.updatedAt = T0 + n;
        if (phase == PhasesPerTransfer - 1)
            u.status = TransferStatus::Completed;
        batch.updateTransfer(std::move(u));
    }
    for (const char *part : {"a", "b"}) {
        MessageRecord m;
        m.transferId = id;
        m.correlationId = QString::number(n);
        m.direction = MessageDirection::Out;
        m.kind = MessageKind::Request;
        m.body = QByteArray::number(n) + ':' + part;
        m.at = T0 + n;
        batch.appendMessage(std::move(m));
    }
    batch.markStep(StepRecord{id, u"phase-%1"_s.arg(phase), StepStatus::Done, T0 + n, {}});
    return batch;
}

/** The writer process: resumes, then writes units until killed. */
int runWriter(const QString &path, int inFlight)
{
    auto opened = Store::open(StoreOptions{path});
    if (!opened) {
        std::fprintf(stderr, "open: %s\n", qPrintable(Pm::toOneLine(opened.error())));
        return 2;
    }
    Store &store = **opened;

    // Where to resume: the unfinished transfer's next phase, else a new transfer.
    int next = 0;
    const auto unfinished = store.transfers().unfinished();
    const auto count = store.transfers().count({});
    if (!unfinished || !count)
        return 3;
    if (!unfinished->empty()) {
        const TransferRecord &t = unfinished->front();
        next = t.id.mid(1).toInt() * PhasesPerTransfer + t.state.mid(1).toInt() + 1;
    } else {
        next = int(*count) * PhasesPerTransfer;
    }
    std::printf("START %d\n", next);
    std::fflush(stdout);

    QObject context;
    const int limit = next + 1'000'000;
    std::function<void()> submitNext;
    submitNext = [&] {
        const int n = next++;
        if (n >= limit) {
            QCoreApplication::exit(0);
            return;
        }
        store.submit(unitOf(n), &context, [n, &submitNext](const Pm::Result<void> &r) {
            if (!r) {
                std::fprintf(stderr, "write %d failed: %s\n", n, qPrintable(Pm::toOneLine(r.error())));
                QCoreApplication::exit(4);
                return;
            }
            std::printf("ACK %d\n", n);
            std::fflush(stdout);
            submitNext();
        });
    };
    for (int i = 0; i < inFlight; ++i)
        submitNext();
    return QCoreApplication::exec();
}

} // namespace

class TestStoreCrash : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;

    struct Run
    {
        int start = -1;
        int lastAck = -1;
        QByteArray errors;
    };

    /** Starts a writer and kills it once it acknowledged `acks` writes. */
    Run killAfter(int acks, int inFlight)
    {
        Run run;
        QProcess child;
        QByteArray pending;
        int seen = 0;
        bool killed = false;
        connect(&child, &QProcess::readyReadStandardOutput, this, [&] {
            pending += child.readAllStandardOutput();
            qsizetype eol;
            while ((eol = pending.indexOf('\n')) >= 0) {
                const QByteArray line = pending.left(eol);
                pending.remove(0, eol + 1);
                if (line.startsWith("START "))
                    run.start = line.mid(6).toInt();
                else if (line.startsWith("ACK ")) {
                    const int n = line.mid(4).toInt();
                    if (n != run.lastAck + 1 && run.lastAck >= 0)
                        run.errors += "acks out of order\n";
                    run.lastAck = n;
                    ++seen;
                }
            }
            if (seen >= acks && !killed) {
                killed = true;
                child.kill(); // SIGKILL on Unix
            }
        });
        child.start(QCoreApplication::applicationFilePath(),
                    {u"--writer"_s, m_path, QString::number(inFlight)});
        if (!child.waitForStarted(10'000))
            run.errors += "writer did not start\n";
        QElapsedTimer timer;
        timer.start();
        while (!killed && child.state() != QProcess::NotRunning && timer.elapsed() < 60'000)
            QTest::qWait(1);
        child.waitForFinished(10'000);
        if (!killed)
            run.errors += "writer ended before the kill: " + child.readAllStandardError() + '\n';
        else if (child.exitStatus() != QProcess::CrashExit)
            run.errors += "writer exited normally\n";
        return run;
    }

    /** Checks the file after a kill; returns the number of units it holds. */
    int verify(int lastAcked)
    {
        // Reopening runs WAL recovery exactly as a restarted connector would.
        auto opened = Store::open(StoreOptions{m_path});
        if (!opened) {
            qWarning("reopen: %s", qPrintable(Pm::toOneLine(opened.error())));
            return -1;
        }
        Store &store = **opened;
        int units = -1;
        {
            const QString name = u"tst-store-crash-raw"_s;
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
                db.setDatabaseName(m_path);
                if (!db.open())
                    qFatal("raw open failed");
                QSqlQuery q(db);
                auto scalar = [&](const QString &sql) {
                    if (!q.exec(sql) || !q.next())
                        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
                    const QVariant v = q.value(0);
                    q.finish();
                    return v;
                };
                if (scalar(u"PRAGMA integrity_check"_s).toString() != u"ok"_s)
                    qFatal("integrity_check failed");

                // Step markers: exactly units 0..N-1 (writes are committed in order).
                std::map<int, int> markers;
                if (!q.exec(u"SELECT transfer_id, step FROM transfer_steps"_s))
                    qFatal("steps");
                while (q.next()) {
                    const int n = q.value(0).toString().mid(1).toInt() * PhasesPerTransfer
                                  + q.value(1).toString().mid(6).toInt();
                    ++markers[n];
                }
                q.finish();
                units = int(markers.size());
                for (int n = 0; n < units; ++n) {
                    if (!markers.contains(n)) {
                        qWarning("unit %d missing while later units are present", n);
                        return -1;
                    }
                }
                // Messages: two per unit, none duplicated, none of a unit that is not there.
                if (!q.exec(u"SELECT correlation_id, count(*) FROM messages GROUP BY correlation_id"_s))
                    qFatal("messages");
                int groups = 0;
                while (q.next()) {
                    ++groups;
                    const int n = q.value(0).toInt();
                    if (n >= units || q.value(1).toInt() != 2) {
                        qWarning("unit %d has %d messages (units stored: %d)", n,
                                 q.value(1).toInt(), units);
                        return -1;
                    }
                }
                q.finish();
                if (groups != units) {
                    qWarning("%d units with messages, %d stored", groups, units);
                    return -1;
                }
                // Transfers: one per started transfer, state of its last unit.
                const int transfers = (units + PhasesPerTransfer - 1) / PhasesPerTransfer;
                if (scalar(u"SELECT count(*) FROM transfers"_s).toInt() != transfers) {
                    qWarning("wrong transfer count");
                    return -1;
                }
            }
            QSqlDatabase::removeDatabase(name);
        }
        for (int j = 0; j * PhasesPerTransfer < units; ++j) {
            const auto t = store.transfers().get(transferId(j));
            if (!t || !*t) {
                qWarning("transfer %d missing", j);
                return -1;
            }
            const int lastPhase = qMin(units - 1 - j * PhasesPerTransfer, PhasesPerTransfer - 1);
            if ((*t)->state != u"P%1"_s.arg(lastPhase)
                || ((*t)->status == TransferStatus::Completed)
                       != (lastPhase == PhasesPerTransfer - 1)) {
                qWarning("transfer %d in state %s, expected P%d", j, qPrintable((*t)->state),
                         lastPhase);
                return -1;
            }
        }
        if (units - 1 < lastAcked) {
            qWarning("acknowledged unit %d lost (units stored: %d)", lastAcked, units);
            return -1;
        }
        return units;
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_path = m_dir->filePath(u"crash.db"_s);
    }

    void cleanup() { m_dir.reset(); }

    void killedWriterLosesNothingAcknowledged_data()
    {
        QTest::addColumn<QList<int>>("acks");
        QTest::addColumn<int>("inFlight");
        QTest::newRow("one at a time") << QList<int>{1, 3, 17} << 1;
        QTest::newRow("32 in flight") << QList<int>{1, 40, 250} << 32;
        QTest::newRow("2000 in flight (large batches)") << QList<int>{2, 500, 3000} << 2000;
    }

    void killedWriterLosesNothingAcknowledged()
    {
        QFETCH(QList<int>, acks);
        QFETCH(int, inFlight);
        int stored = 0;
        int lastAcked = -1;
        for (const int target : acks) {
            const Run run = killAfter(target, inFlight);
            QVERIFY2(run.errors.isEmpty(), run.errors.constData());
            QCOMPARE(run.start, stored); // resumed exactly after what the file holds
            QVERIFY(run.lastAck >= stored + target - 1);
            lastAcked = qMax(lastAcked, run.lastAck);
            const int units = verify(lastAcked);
            QVERIFY2(units >= 0, "the file after the kill is not as expected (see the warning)");
            qInfo("killed after ack %d; %d units stored (%d beyond the last ack seen)", run.lastAck,
                  units, units - 1 - run.lastAck);
            stored = units;
        }
    }
};

int main(int argc, char **argv)
{
    if (argc >= 4 && qstrcmp(argv[1], "--writer") == 0) {
        QCoreApplication app(argc, argv);
        return runWriter(QString::fromLocal8Bit(argv[2]), QByteArray(argv[3]).toInt());
    }
    // As QTEST_GUILESS_MAIN, plus the writer mode above.
    QCoreApplication app(argc, argv);
    TestStoreCrash test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_store_crash.moc"
