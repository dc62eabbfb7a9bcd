#pragma once

#include "core/base/result.h"
#include "core/store/connection_p.h"
#include "core/store/sql_p.h"
#include "core/store/storecore_p.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariantList>

#include <optional>
#include <type_traits>
#include <vector>

namespace Pm::Store::Internal {

/**
 * Runs a SELECT on the calling thread's connection and maps each row with `map`. The statement
 * is reset before returning, so no read transaction stays open. `sqlText` is a fixed statement's
 * text when `statement` >= 0, else a dynamic one.
 */
template<class Map>
auto selectRows(StoreCore &core, int statement, const QString &sqlText, const QVariantList &values,
                Map map) -> Pm::Result<std::vector<std::invoke_result_t<Map, const QSqlQuery &>>>
{
    using Row = std::invoke_result_t<Map, const QSqlQuery &>;
    auto connection = core.reader();
    if (!connection)
        return std::unexpected(connection.error());
    auto prepared = statement >= 0 ? (*connection)->statement(statement, sqlText)
                                   : (*connection)->dynamicStatement(sqlText);
    if (!prepared)
        return std::unexpected(prepared.error());
    QSqlQuery &query = **prepared;
    for (qsizetype i = 0; i < values.size(); ++i)
        bindAt(query, int(i), values.at(i));
    QueryFinisher finisher(&query);
    if (!query.exec()) {
        return std::unexpected(storeError(
            QStringLiteral("cannot read from the database %1").arg(core.options().path),
            query.lastError()));
    }
    std::vector<Row> rows;
    while (query.next())
        rows.push_back(map(query));
    if (query.lastError().isValid()) {
        return std::unexpected(storeError(
            QStringLiteral("cannot read from the database %1").arg(core.options().path),
            query.lastError()));
    }
    return rows;
}

/** Same for a fixed statement. */
template<class Map>
auto selectRows(StoreCore &core, Statement statement, const QVariantList &values, Map map)
{
    return selectRows(core, int(statement), sql(statement), values, std::move(map));
}

/** The first row of a result, or nullopt. */
template<class T>
Pm::Result<std::optional<T>> firstRow(Pm::Result<std::vector<T>> rows)
{
    if (!rows)
        return std::unexpected(rows.error());
    if (rows->empty())
        return std::optional<T>();
    return std::optional<T>(std::move(rows->front()));
}

} // namespace Pm::Store::Internal
