#include "core/store/store.h"

#include "core/store/connection_p.h"
#include "core/store/schema_p.h"
#include "core/store/storecore_p.h"
#include "core/store/writer_p.h"

#include <QDir>
#include <QFileInfo>
#include <QMetaObject>
#include <QSemaphore>
#include <QThread>

using namespace Qt::StringLiterals;

namespace Pm::Store {

void Internal::ThreadStopper::operator()(QThread *thread) const
{
    thread->quit();
    thread->wait();
    delete thread;
}

Pm::Result<std::unique_ptr<Store>> Store::open(const StoreOptions &options)
{
    if (options.path.isEmpty())
        return std::unexpected(Internal::storeError(u"no database file given"_s));
    StoreOptions resolved = options;
    const QFileInfo file(options.path);
    resolved.path = file.absoluteFilePath();
    if (!QDir().mkpath(file.absolutePath())) {
        return std::unexpected(Internal::storeError(
            u"cannot create the directory %1 for the database"_s.arg(file.absolutePath())));
    }
    resolved.maxBatchUnits = qMax(1, resolved.maxBatchUnits);
    resolved.busyTimeoutMs = qMax(0, resolved.busyTimeoutMs);
    resolved.writerCacheMiB = qMax(1, resolved.writerCacheMiB);
    resolved.readerCacheMiB = qMax(1, resolved.readerCacheMiB);

    std::unique_ptr<Store> store(new Store(std::make_shared<Internal::StoreCore>(resolved)));
    if (auto started = store->start(); !started)
        return std::unexpected(started.error());
    return store;
}

int Store::latestSchemaVersion()
{
    return Internal::latestSchemaVersion();
}

Store::Store(std::shared_ptr<Internal::StoreCore> core)
    : m_core(std::move(core))
    , m_transfers(m_core.get())
    , m_messages(m_core.get())
    , m_quotes(m_core.get())
    , m_metrics(m_core.get())
    , m_admin(m_core.get())
{
    m_core->setGuard(std::make_unique<QObject>());
}

Store::~Store()
{
    stop();
}

Pm::Result<void> Store::start()
{
    m_thread.reset(new QThread);
    m_thread->setObjectName(u"pm-store-writer"_s);
    m_writer = new Internal::Writer(m_core);
    m_writer->moveToThread(m_thread.get());
    QObject::connect(m_thread.get(), &QThread::finished, m_writer, &QObject::deleteLater);
    m_core->setWriter(m_writer);
    m_thread->start();

    Pm::Result<void> opened;
    QMetaObject::invokeMethod(
        m_writer, [&opened, writer = m_writer] { opened = writer->open(); },
        Qt::BlockingQueuedConnection);
    m_open = opened.has_value();
    return opened;
}

void Store::stop()
{
    if (m_thread) {
        if (m_open)
            flush();
        // Writes anything queued meanwhile and closes the connection on its own thread.
        QMetaObject::invokeMethod(m_writer, [writer = m_writer] { writer->close(); },
                                  Qt::BlockingQueuedConnection);
        m_core->detachWriter();
        m_thread.reset(); // quit + wait; the writer is deleted as the thread finishes
        m_writer = nullptr;
    }
    m_core->closeReaderOfThisThread();
    m_core->markClosed();
    m_core->resetGuard();
}

QString Store::path() const
{
    return m_core->options().path;
}

void Store::submit(WriteBatch batch)
{
    m_core->submit(std::move(batch), nullptr, {});
}

void Store::submit(WriteBatch batch, QObject *context, Completion done)
{
    m_core->submit(std::move(batch), context, std::move(done));
}

void Store::flush()
{
    Q_ASSERT_X(QThread::currentThread() != m_thread.get(), "Store::flush",
               "called on the writer thread");
    QSemaphore flushed;
    Internal::PendingUnit marker;
    marker.flushed = &flushed;
    m_core->enqueue(std::move(marker));
    flushed.acquire();
}

StoreStats Store::stats() const
{
    StoreStats s;
    s.submitted = m_core->submitted.load();
    s.committed = m_core->committed.load();
    s.failed = m_core->failed.load();
    s.transactions = m_core->transactions.load();
    s.queued = m_core->queued();
    s.largestBatch = m_core->largestBatch.load();
    return s;
}

} // namespace Pm::Store
