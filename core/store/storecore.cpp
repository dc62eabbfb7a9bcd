#include "core/store/storecore_p.h"

#include "core/store/connection_p.h"
#include "core/store/writer_p.h"

#include <QMetaObject>
#include <QObject>
#include <QSemaphore>
#include <QThread>

using namespace Qt::StringLiterals;

namespace Pm::Store::Internal {

namespace {

std::atomic<quint64> g_storeCounter{0};

/** One read connection of the current thread to one store. */
struct ReaderSlot
{
    quint64 storeId = 0;
    std::weak_ptr<StoreCore> core;
    std::unique_ptr<Connection> connection;
};

/**
 * The read connections of one thread. Destroyed when the thread ends, on that thread, which is
 * where a QSqlDatabase connection must be closed.
 */
thread_local std::vector<ReaderSlot> t_readers;
thread_local bool t_closeOnFinished = false;

void dropClosedReaders()
{
    std::erase_if(t_readers, [](const ReaderSlot &slot) {
        const std::shared_ptr<StoreCore> core = slot.core.lock();
        return !core || core->isClosed();
    });
}

} // namespace

quint64 ContextRegistry::track(QObject *context, QObject *guard)
{
    quint64 generation = 0;
    {
        std::lock_guard lock(m_mutex);
        if (const auto it = m_alive.constFind(context); it != m_alive.cend())
            return *it;
        generation = ++m_nextGeneration;
        m_alive.insert(context, generation);
    }
    // Direct: runs inside ~QObject on the context's thread, before its posted events are dropped.
    QObject::connect(
        context, &QObject::destroyed, guard,
        [weak = weak_from_this(), context, generation] {
            if (const auto self = weak.lock())
                self->forget(context, generation);
        },
        Qt::DirectConnection);
    return generation;
}

void ContextRegistry::forget(QObject *context, quint64 generation)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_alive.find(context);
    if (it != m_alive.end() && *it == generation)
        m_alive.erase(it);
}

StoreCore::StoreCore(StoreOptions options)
    : m_options(std::move(options))
    , m_id(g_storeCounter.fetch_add(1) + 1)
    , m_contexts(std::make_shared<ContextRegistry>())
{}

StoreCore::~StoreCore() = default;

void StoreCore::setGuard(std::unique_ptr<QObject> guard)
{
    m_guard = std::move(guard);
}

void StoreCore::resetGuard()
{
    m_guard.reset();
}

void StoreCore::submit(WriteBatch batch, QObject *context, Completion done)
{
    PendingUnit unit;
    unit.batch = std::move(batch);
    if (context && done) {
        Q_ASSERT(m_guard);
        unit.context = context;
        unit.contextGeneration = m_contexts->track(context, m_guard.get());
        unit.done = std::move(done);
    }
    submitted.fetch_add(1, std::memory_order_relaxed);
    enqueue(std::move(unit));
}

void StoreCore::detachWriter()
{
    std::lock_guard lock(m_queueMutex);
    m_writer = nullptr;
}

void StoreCore::enqueue(PendingUnit unit)
{
    Writer *wake = nullptr;
    {
        std::lock_guard lock(m_queueMutex);
        if (!m_writer) {
            qCWarning(lcStore, "write submitted after the store %s was closed; dropped",
                      qPrintable(m_options.path));
            failed.fetch_add(unit.flushed ? 0 : 1, std::memory_order_relaxed);
            if (unit.flushed)
                unit.flushed->release();
            return;
        }
        m_queue.push_back(std::move(unit));
        if (!m_wakePosted) {
            m_wakePosted = true;
            wake = m_writer;
        }
    }
    if (wake) // the writer lives until its thread has stopped, after detachWriter()
        QMetaObject::invokeMethod(wake, [wake] { wake->drain(); }, Qt::QueuedConnection);
}

std::vector<PendingUnit> StoreCore::take(std::size_t max, bool *more)
{
    std::vector<PendingUnit> units;
    std::lock_guard lock(m_queueMutex);
    const std::size_t n = std::min(max, m_queue.size());
    units.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        units.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
    }
    *more = !m_queue.empty();
    if (!*more)
        m_wakePosted = false;
    return units;
}

qint64 StoreCore::queued() const
{
    std::lock_guard lock(m_queueMutex);
    return qint64(m_queue.size());
}

std::shared_ptr<ContextRegistry> StoreCore::contexts() const
{
    return m_contexts;
}

Pm::Result<Connection *> StoreCore::reader()
{
    dropClosedReaders();
    for (const ReaderSlot &slot : t_readers) {
        if (slot.storeId == m_id)
            return slot.connection.get();
    }
    if (isClosed())
        return std::unexpected(storeError(u"the store %1 is closed"_s.arg(m_options.path)));
    auto connection = Connection::open(m_options, Connection::Role::Reader);
    if (!connection)
        return std::unexpected(connection.error());
    if (!t_closeOnFinished) {
        // A QThread emits finished() on itself before wait() returns: close the connections then,
        // so that they are gone when its owner continues. (thread_local destruction, the fallback
        // for other threads, only happens after that.)
        t_closeOnFinished = true;
        QThread *thread = QThread::currentThread();
        QObject::connect(
            thread, &QThread::finished, thread, [] { t_readers.clear(); }, Qt::DirectConnection);
    }
    t_readers.push_back(ReaderSlot{m_id, weak_from_this(), std::move(*connection)});
    return t_readers.back().connection.get();
}

void StoreCore::closeReaderOfThisThread()
{
    std::erase_if(t_readers, [this](const ReaderSlot &slot) { return slot.storeId == m_id; });
}

} // namespace Pm::Store::Internal
