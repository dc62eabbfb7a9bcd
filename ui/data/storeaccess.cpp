#include "ui/data/storeaccess.h"

#include "core/store/store.h"

#include <QFileInfo>

namespace Pm::Ui {

Pm::Result<std::unique_ptr<StoreAccess>> StoreAccess::open(const QString &path)
{
    if (path.isEmpty())
        return std::unexpected(Pm::Error { 0, QStringLiteral("no store file given"), {} });
    const QFileInfo info(path);
    if (!info.exists()) {
        return std::unexpected(Pm::Error {
            0, QStringLiteral("no store file at %1").arg(info.absoluteFilePath()), {} });
    }
    Store::StoreOptions options;
    options.path = info.absoluteFilePath();
    options.writerCacheMiB = 2; // the portal does not write
    auto store = Store::Store::open(options);
    if (!store)
        return std::unexpected(store.error());
    return std::make_unique<StoreAccess>(std::move(*store));
}

StoreAccess::StoreAccess(std::unique_ptr<Store::Store> store, QObject *parent)
    : QObject(parent)
    , m_store(std::move(store))
{
    // Two threads: the page queries and one long export can run side by side. Threads are kept
    // (no expiry) so each keeps its reader connection and prepared statements.
    m_pool.setMaxThreadCount(2);
    m_pool.setExpiryTimeout(-1);
}

StoreAccess::~StoreAccess()
{
    m_pool.waitForDone();
}

QString StoreAccess::path() const
{
    return m_store->path();
}

void StoreAccess::waitForIdle()
{
    m_pool.waitForDone();
}

} // namespace Pm::Ui
