#pragma once

#include "core/base/result.h"

#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <memory>
#include <utility>

namespace Pm::Store {
class Store;
}

namespace Pm::Ui {

/**
 * The portal's access to the durable record. Owns the Store and a small thread pool: every query
 * runs on a pool thread (each with its own reader connection) and its result comes back on the
 * thread of a context object, so the UI thread never runs SQL. Created and destroyed on the UI
 * thread; the destructor waits for running queries (each is bounded) before closing the store.
 */
class StoreAccess : public QObject
{
    Q_OBJECT

public:
    /**
     * Opens an existing store file. A missing file is refused rather than created: the portal
     * only reads what the connector recorded.
     */
    static Pm::Result<std::unique_ptr<StoreAccess>> open(const QString &path);

    /** Takes an open store (tests and benchmarks that fill it first). */
    explicit StoreAccess(std::unique_ptr<Store::Store> store, QObject *parent = nullptr);
    ~StoreAccess() override;

    QString path() const;

    /**
     * Runs `work(Store &)` on a pool thread, then `done(result)` on `context`'s thread. `done` is
     * dropped if `context` is destroyed first.
     */
    template<class Work, class Done> void run(QObject *context, Work work, Done done)
    {
        Store::Store *store = m_store.get();
        QtConcurrent::run(&m_pool, [store, work = std::move(work)]() {
            return work(*store);
        }).then(context, std::move(done));
    }

    /** Runs `work(Store &)` on a pool thread with no answer (exports report through their own
     * signals). */
    template<class Work> void runDetached(Work work)
    {
        Store::Store *store = m_store.get();
        QtConcurrent::run(&m_pool, [store, work = std::move(work)]() { work(*store); });
    }

    /** Blocks until every query started so far has finished (tests). */
    void waitForIdle();

private:
    std::unique_ptr<Store::Store> m_store;
    QThreadPool m_pool; ///< declared after m_store: destroyed (threads joined) before the store
};

} // namespace Pm::Ui
