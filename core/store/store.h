#pragma once

#include "core/base/result.h"
#include "core/store/adminrepository.h"
#include "core/store/messagerepository.h"
#include "core/store/metricsrepository.h"
#include "core/store/quoterepository.h"
#include "core/store/records.h"
#include "core/store/transferrepository.h"
#include "core/store/writebatch.h"

#include <QString>
#include <QtGlobal>

#include <memory>

QT_BEGIN_NAMESPACE
class QObject;
class QThread;
QT_END_NAMESPACE

namespace Pm::Store {

namespace Internal {
class StoreCore;
class Writer;
/** Graceful deleter of the writer thread: quit, wait, delete. */
struct ThreadStopper
{
    void operator()(QThread *thread) const;
};
} // namespace Internal

/**
 * The Pm::Error code of every store failure: FSPIOP 2001 "Internal server error", which is what a
 * peer is told when the record cannot be kept.
 */
inline constexpr int StoreErrorCode = 2001;

/** How hard a commit tries to reach the disk. */
enum class Durability {
    /**
     * WAL with synchronous=NORMAL: a commit is a write() to the WAL, without fsync. Survives a
     * crash or kill of the process (the OS still holds the data); the last commits before a power
     * cut or kernel crash can be lost (the database stays consistent). The default.
     */
    Normal,
    /** WAL with synchronous=FULL: each commit is fsync'ed; survives power loss, slower. */
    Full,
};

/** Where and how to open the store. */
struct StoreOptions
{
    /** The SQLite file. Missing parent directories are created. Required. */
    QString path;
    Durability durability = Durability::Normal;
    /** Most write batches (WriteBatch units) the writer puts in one transaction. */
    int maxBatchUnits = 1000;
    /** How long a statement waits for a lock held by another connection or process. */
    int busyTimeoutMs = 5000;
    /**
     * Page cache of the writer connection. The random-key indexes (ids, aliases) touch pages all
     * over the file; the more of them stay cached, the faster large tables take inserts.
     */
    int writerCacheMiB = 128;
    /** Page cache of each reader connection. */
    int readerCacheMiB = 16;
};

/** Counters of the writer, for health pages and benchmarks. */
struct StoreStats
{
    qint64 submitted = 0;    ///< units submitted
    qint64 committed = 0;    ///< units committed
    qint64 failed = 0;       ///< units that failed (rolled back)
    qint64 transactions = 0; ///< transactions committed or rolled back
    qint64 queued = 0;       ///< units waiting for the writer now
    qint64 largestBatch = 0; ///< most units seen in one transaction
};

/**
 * The durable record: one SQLite file in WAL mode with a versioned schema, written by one writer
 * thread the store owns, read by any thread on a connection of its own.
 *
 * **Writes** are asynchronous. submit() only queues (a mutex and, when the writer is idle, one
 * posted event); the writer applies queued batches in submission order, all of those waiting when
 * it wakes (up to StoreOptions::maxBatchUnits) in one transaction. A completion callback runs on the
 * thread of its context object, after the commit, in submission order per context; it is dropped
 * if the context is destroyed first. Once it reports success the write survives a kill of the
 * process (see Durability). A failing batch is rolled back alone; the others of its transaction
 * are committed.
 *
 * **Reads** (the repositories' const methods) run on the calling thread, on a connection the store
 * opens lazily for that thread and closes when the thread ends or the store is destroyed. They
 * see committed data only: a write whose completion has not arrived yet may not be visible.
 *
 * Create and destroy the store on one thread; the repositories may be used from any thread while
 * it lives. Destruction writes everything still queued, then stops the writer. One process writes
 * a given file (a second one would get busy errors, not corruption).
 */
class Store
{
public:
    /**
     * Opens (creating if needed) the file and brings its schema up to the latest version, each
     * migration in its own transaction. A file whose schema is newer than this program knows is
     * refused untouched. Blocks until the writer is ready.
     */
    static Pm::Result<std::unique_ptr<Store>> open(const StoreOptions &options);

    /** The schema version this program creates and understands. */
    static int latestSchemaVersion();

    ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    /** The absolute path of the file. */
    QString path() const;

    /** Queues the batch; nobody is told how it went (a failure is logged). */
    void submit(WriteBatch batch);

    /**
     * Queues the batch; `done` runs on `context`'s thread (which needs an event loop) once it
     * is committed or has failed. Both may be null.
     */
    void submit(WriteBatch batch, QObject *context, Completion done);

    /**
     * Blocks the calling thread (no event loop runs) until everything submitted before the call is
     * committed or has failed, and its completions are posted. For shutdown and tests only: the
     * connector waits for completions, never for the store.
     */
    void flush();

    /** The writer's counters (any thread). */
    StoreStats stats() const;

    // The repositories: writes queue on the writer, reads run on the calling thread.
    TransferRepository &transfers() { return m_transfers; }
    MessageRepository &messages() { return m_messages; }
    QuoteRepository &quotes() { return m_quotes; }
    MetricsRepository &metrics() { return m_metrics; }
    AdminRepository &admin() { return m_admin; }

private:
    explicit Store(std::shared_ptr<Internal::StoreCore> core);
    Pm::Result<void> start();
    void stop();

    std::shared_ptr<Internal::StoreCore> m_core;
    std::unique_ptr<QThread, Internal::ThreadStopper> m_thread;
    Internal::Writer *m_writer = nullptr; ///< lives on m_thread
    bool m_open = false;
    TransferRepository m_transfers;
    MessageRepository m_messages;
    QuoteRepository m_quotes;
    MetricsRepository m_metrics;
    AdminRepository m_admin;
};

} // namespace Pm::Store
