#pragma once

#include "core/base/result.h"
#include "core/store/store.h"
#include "core/store/writebatch.h"

#include <QHash>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

QT_BEGIN_NAMESPACE
class QObject;
class QSemaphore;
QT_END_NAMESPACE

namespace Pm::Store::Internal {

class Connection;
class Writer;

/** One submitted WriteBatch waiting for the writer, or a flush marker (`flushed` set). */
struct PendingUnit
{
    WriteBatch batch;
    QObject *context = nullptr;
    quint64 contextGeneration = 0;
    Completion done;
    QSemaphore *flushed = nullptr;
};

/**
 * Which completion contexts are still alive. A context is tracked on first use: its destroyed()
 * signal (emitted on its own thread, before Qt drops the events posted to it) removes it under
 * the same mutex the writer holds while posting to it, so the writer never posts to a context
 * being destroyed. A generation number tells a new object at a reused address from the old one.
 */
class ContextRegistry : public std::enable_shared_from_this<ContextRegistry>
{
public:
    /** Tracks `context` (alive on the calling thread) and returns its generation. */
    quint64 track(QObject *context, QObject *guard);

    /** Runs `fn` under the registry's mutex if `context` of `generation` is still alive. */
    template<class F>
    void ifAlive(QObject *context, quint64 generation, F &&fn)
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_alive.constFind(context);
        if (it != m_alive.cend() && *it == generation)
            fn();
    }

private:
    void forget(QObject *context, quint64 generation);

    std::mutex m_mutex;
    QHash<QObject *, quint64> m_alive;
    quint64 m_nextGeneration = 0;
};

/**
 * What the facade, the repositories, the writer and the reader connections share: options, the
 * write queue, the context registry and the counters.
 */
class StoreCore : public std::enable_shared_from_this<StoreCore>
{
public:
    explicit StoreCore(StoreOptions options);
    ~StoreCore();

    const StoreOptions &options() const { return m_options; }
    quint64 id() const { return m_id; }

    /** Queues a batch (any thread). */
    void submit(WriteBatch batch, QObject *context, Completion done);
    /** Queues a unit and wakes the writer if it is idle (any thread). */
    void enqueue(PendingUnit unit);
    /** Takes up to `max` units from the front (writer thread); `more` tells if any remain. */
    std::vector<PendingUnit> take(std::size_t max, bool *more);
    qint64 queued() const;
    std::shared_ptr<ContextRegistry> contexts() const;

    /** Set once before the writer thread starts. */
    void setWriter(Writer *writer) { m_writer = writer; }
    /**
     * Called when the writer has stopped: later submissions (a caller bug) are refused with an
     * error instead of being posted to a deleted writer.
     */
    void detachWriter();
    /** Owned by the Store; destroyed (on the store's thread) when it closes. */
    void setGuard(std::unique_ptr<QObject> guard);
    void resetGuard();

    /** The calling thread's read connection, opened on first use. */
    Pm::Result<Connection *> reader();
    /** Closes the calling thread's read connection to this store, if any. */
    void closeReaderOfThisThread();
    /** Marks the store closed; other threads drop their connections on their next read. */
    void markClosed() { m_closed.store(true); }
    bool isClosed() const { return m_closed.load(); }

    std::atomic<qint64> submitted{0};
    std::atomic<qint64> committed{0};
    std::atomic<qint64> failed{0};
    std::atomic<qint64> transactions{0};
    std::atomic<qint64> largestBatch{0};

private:
    const StoreOptions m_options;
    const quint64 m_id;
    std::atomic<bool> m_closed{false};
    std::shared_ptr<ContextRegistry> m_contexts;
    std::unique_ptr<QObject> m_guard;
    Writer *m_writer = nullptr;

    mutable std::mutex m_queueMutex;
    std::deque<PendingUnit> m_queue;
    bool m_wakePosted = false;
};

} // namespace Pm::Store::Internal
