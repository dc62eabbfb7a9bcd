#pragma once

#include "core/base/result.h"

#include <QStringView>

#include <span>

namespace Pm::Store {
enum class Durability;
}

namespace Pm::Store::Internal {

class Connection;

/** One schema step: the statements that take the schema from version-1 to version. */
struct Migration
{
    int version = 0;
    QStringView description;
    std::span<const QStringView> statements;
};

/** The migrations of this program, in order (version 1, 2, ...). */
std::span<const Migration> migrations();

/** The version the last migration reaches. */
int latestSchemaVersion();

/**
 * Prepares a freshly opened writer connection: reads PRAGMA user_version, refuses a version newer
 * than the last of `steps` without changing anything, then switches to WAL with the synchronous
 * level of `durability`, and applies each missing migration in its own transaction (its
 * statements and the new user_version commit together). Returns the version reached.
 */
Pm::Result<int> prepareSchema(Connection &connection, Durability durability,
                              std::span<const Migration> steps);

} // namespace Pm::Store::Internal
