#include "core/store/connection_p.h"

#include "core/store/store.h"

#include <QSqlError>
#include <QThread>
#include <QVariant>

#include <atomic>

using namespace Qt::StringLiterals;

namespace Pm::Store::Internal {

Q_LOGGING_CATEGORY(lcStore, "pm.store")

namespace {

std::atomic<quint64> g_connectionCounter{0};

constexpr qsizetype MaxDynamicStatements = 64;

} // namespace

Pm::Error storeError(const QString &message, const QSqlError &sqlError)
{
    QString detail = sqlError.text().trimmed();
    if (detail.isEmpty())
        detail = u"unknown SQLite error"_s;
    return Pm::Error{StoreErrorCode, message, detail};
}

Pm::Error storeError(const QString &message, const QString &detail)
{
    return Pm::Error{StoreErrorCode, message, detail};
}

Pm::Result<std::unique_ptr<Connection>> Connection::open(const StoreOptions &options, Role role)
{
    std::unique_ptr<Connection> c(new Connection);
    c->m_role = role;
    c->m_path = options.path;
    c->m_name = u"pm-store-%1-%2"_s.arg(role == Role::Writer ? u"w"_s : u"r"_s)
                    .arg(g_connectionCounter.fetch_add(1) + 1);
    if (!QSqlDatabase::isDriverAvailable(u"QSQLITE"_s))
        return std::unexpected(storeError(u"the Qt SQLite driver (QSQLITE) is not available"_s));
    c->m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, c->m_name);
    c->m_db.setDatabaseName(options.path);
    c->m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(options.busyTimeoutMs));
    if (!c->m_db.open())
        return std::unexpected(storeError(u"cannot open the database %1"_s.arg(options.path),
                                          c->m_db.lastError()));

    const QString busy = u"PRAGMA busy_timeout = %1"_s.arg(options.busyTimeoutMs);
    if (auto r = c->exec(busy); !r)
        return std::unexpected(r.error());
    if (role == Role::Writer) {
        for (const QString &pragma :
             {u"PRAGMA foreign_keys = ON"_s,
              u"PRAGMA cache_size = -%1"_s.arg(qMax(1, options.writerCacheMiB) * 1024),
              u"PRAGMA temp_store = MEMORY"_s}) {
            if (auto r = c->exec(pragma); !r)
                return std::unexpected(r.error());
        }
    } else {
        for (const QString &pragma :
             {u"PRAGMA query_only = ON"_s,
              u"PRAGMA cache_size = -%1"_s.arg(qMax(1, options.readerCacheMiB) * 1024),
              u"PRAGMA temp_store = MEMORY"_s}) {
            if (auto r = c->exec(pragma); !r)
                return std::unexpected(r.error());
        }
    }
    return c;
}

Connection::~Connection()
{
    clearStatements();
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    if (!m_name.isEmpty())
        QSqlDatabase::removeDatabase(m_name);
}

void Connection::clearStatements()
{
    for (auto &q : m_fixed)
        q.reset();
    m_dynamic.clear();
}

Pm::Result<QSqlQuery *> Connection::statement(int id, const QString &sql)
{
    Q_ASSERT(id >= 0 && id < FixedStatementCount);
    auto &slot = m_fixed[std::size_t(id)];
    if (!slot) {
        auto q = std::make_unique<QSqlQuery>(m_db);
        q->setForwardOnly(true);
        if (!q->prepare(sql))
            return std::unexpected(storeError(u"cannot prepare a statement"_s, q->lastError()));
        slot = std::move(q);
    }
    return slot.get();
}

Pm::Result<QSqlQuery *> Connection::dynamicStatement(const QString &sql)
{
    if (auto it = m_dynamic.constFind(sql); it != m_dynamic.cend())
        return it->get();
    if (m_dynamic.size() >= MaxDynamicStatements)
        m_dynamic.clear();
    auto q = std::make_shared<QSqlQuery>(m_db);
    q->setForwardOnly(true);
    if (!q->prepare(sql))
        return std::unexpected(storeError(u"cannot prepare a statement"_s, q->lastError()));
    m_dynamic.insert(sql, q);
    return q.get();
}

Pm::Result<void> Connection::exec(const QString &sql)
{
    QSqlQuery q(m_db);
    if (!q.exec(sql))
        return std::unexpected(storeError(u"database statement failed: %1"_s.arg(sql.left(60)),
                                          q.lastError()));
    return {};
}

Pm::Result<QVariant> Connection::scalar(const QString &sql)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(sql))
        return std::unexpected(storeError(u"database query failed: %1"_s.arg(sql.left(60)),
                                          q.lastError()));
    QVariant value;
    if (q.next())
        value = q.value(0);
    q.finish();
    return value;
}

} // namespace Pm::Store::Internal
