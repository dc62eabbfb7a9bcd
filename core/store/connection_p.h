#pragma once

#include "core/base/result.h"

#include <QHash>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringView>

#include <array>
#include <memory>

QT_BEGIN_NAMESPACE
class QSqlError;
QT_END_NAMESPACE

namespace Pm::Store {
struct StoreOptions;
}

namespace Pm::Store::Internal {

Q_DECLARE_LOGGING_CATEGORY(lcStore)

/** A store error: code StoreErrorCode, `message` one line, the driver's text as detail. */
Pm::Error storeError(const QString &message, const QSqlError &sqlError);
Pm::Error storeError(const QString &message, const QString &detail = {});

/**
 * One SQLite connection used by one thread only, with its prepared statements. The writer has
 * one; every reading thread gets one per store (StoreCore::reader()).
 */
class Connection
{
public:
    enum class Role { Writer, Reader };

    /** Fixed statements, prepared once per connection (see sql_p.cpp for their text). */
    static constexpr int FixedStatementCount = 40;

    /**
     * Opens the file with the pragmas of `role` (busy timeout; the writer: foreign keys,
     * synchronous, larger cache; a reader: query_only). The schema is not touched here.
     */
    static Pm::Result<std::unique_ptr<Connection>> open(const StoreOptions &options, Role role);

    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    QSqlDatabase &database() { return m_db; }
    const QString &path() const { return m_path; }
    Role role() const { return m_role; }

    /** The fixed statement `id` (0..FixedStatementCount-1), prepared from `sql` the first time. */
    Pm::Result<QSqlQuery *> statement(int id, const QString &sql);

    /** A statement built at run time (searches), cached by its text. */
    Pm::Result<QSqlQuery *> dynamicStatement(const QString &sql);

    /** Runs one statement without results (PRAGMA, BEGIN, DDL...). */
    Pm::Result<void> exec(const QString &sql);

    /** Runs one statement and returns the first column of its first row (null if none). */
    Pm::Result<QVariant> scalar(const QString &sql);

    /** Drops every prepared statement (before closing, or after a schema change). */
    void clearStatements();

private:
    Connection() = default;

    QString m_name;
    QString m_path;
    Role m_role = Role::Reader;
    QSqlDatabase m_db;
    std::array<std::unique_ptr<QSqlQuery>, FixedStatementCount> m_fixed;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_dynamic;
};

/** Resets a SELECT when it goes out of scope, so that no read transaction stays open. */
class QueryFinisher
{
public:
    explicit QueryFinisher(QSqlQuery *query) : m_query(query) {}
    ~QueryFinisher() { m_query->finish(); }
    QueryFinisher(const QueryFinisher &) = delete;
    QueryFinisher &operator=(const QueryFinisher &) = delete;

private:
    QSqlQuery *m_query;
};

} // namespace Pm::Store::Internal
