#include "core/store/schema_p.h"

#include "core/store/connection_p.h"
#include "core/store/store.h"

#include <QVariant>

using namespace Qt::StringLiterals;

namespace Pm::Store::Internal {

namespace {

// Version 1. Tables are STRICT (SQLite 3.37+): a column holds values of its declared type only.
// Times are INTEGER milliseconds since the epoch (UTC); amounts are exact decimal TEXT.
// docs/decisions/0006-store.md describes every table and index.
constexpr QStringView V1[] = {
    uR"(CREATE TABLE transfers (
    id TEXT NOT NULL PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('OUTBOUND', 'INBOUND')),
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED')),
    state TEXT NOT NULL,
    home_transaction_id TEXT,
    quote_id TEXT,
    transaction_id TEXT,
    payer_id_type TEXT,
    payer_id_value TEXT,
    payer_sub_id TEXT,
    payer_fsp_id TEXT,
    payer_name TEXT,
    payee_id_type TEXT,
    payee_id_value TEXT,
    payee_sub_id TEXT,
    payee_fsp_id TEXT,
    payee_name TEXT,
    counterparty_fsp_id TEXT GENERATED ALWAYS AS
        (CASE direction WHEN 'OUTBOUND' THEN payee_fsp_id ELSE payer_fsp_id END) VIRTUAL,
    amount_type TEXT CHECK (amount_type IN ('SEND', 'RECEIVE')),
    amount TEXT,
    amount_minor INTEGER,
    currency TEXT,
    payee_fsp_fee TEXT,
    payee_fsp_commission TEXT,
    payee_receive_amount TEXT,
    transfer_amount TEXT,
    ilp_condition TEXT,
    ilp_fulfilment TEXT,
    ilp_packet TEXT,
    expiration TEXT,
    initiated_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    completed_at INTEGER,
    last_error_code INTEGER,
    last_error_description TEXT,
    model TEXT,
    CHECK ((status = 'PENDING') = (completed_at IS NULL))
) STRICT)",
    // Date-range searches sorted by time; covers the per-state counts of a window.
    u"CREATE INDEX transfers_initiated ON transfers (initiated_at, status, state)",
    // Status filter sorted by time; the recovery list (status = 'PENDING').
    u"CREATE INDEX transfers_status_initiated ON transfers (status, initiated_at)",
    u"CREATE INDEX transfers_counterparty_initiated ON transfers (counterparty_fsp_id, initiated_at)",
    u"CREATE INDEX transfers_payee_alias ON transfers (payee_id_value, payee_id_type, payee_sub_id)",
    // Amount ranges and amount sorting within a currency.
    u"CREATE INDEX transfers_currency_amount ON transfers (currency, amount_minor)",
    u"CREATE INDEX transfers_quote ON transfers (quote_id) WHERE quote_id IS NOT NULL",
    u"CREATE INDEX transfers_transaction ON transfers (transaction_id) "
    u"WHERE transaction_id IS NOT NULL",
    u"CREATE INDEX transfers_home_transaction ON transfers (home_transaction_id) "
    u"WHERE home_transaction_id IS NOT NULL",

    uR"(CREATE TABLE transfer_steps (
    transfer_id TEXT NOT NULL REFERENCES transfers (id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('STARTED', 'DONE', 'FAILED')),
    at INTEGER NOT NULL,
    detail TEXT,
    PRIMARY KEY (transfer_id, step)
) STRICT, WITHOUT ROWID)",

    uR"(CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    transfer_id TEXT,
    correlation_id TEXT,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    kind TEXT NOT NULL CHECK (kind IN ('request', 'callback', 'response')),
    method TEXT,
    url TEXT,
    status INTEGER,
    headers TEXT NOT NULL,
    body BLOB,
    at INTEGER NOT NULL
) STRICT)",
    u"CREATE INDEX messages_transfer ON messages (transfer_id) WHERE transfer_id IS NOT NULL",
    u"CREATE INDEX messages_correlation ON messages (correlation_id) "
    u"WHERE correlation_id IS NOT NULL",
    u"CREATE INDEX messages_at ON messages (at)",

    uR"(CREATE TABLE quotes (
    quote_id TEXT NOT NULL PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('OUTBOUND', 'INBOUND')),
    transaction_id TEXT,
    transfer_id TEXT,
    request_hash TEXT,
    ilp_condition TEXT,
    ilp_fulfilment TEXT,
    ilp_packet TEXT,
    expiration TEXT,
    response_body BLOB,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT)",
    u"CREATE INDEX quotes_transaction ON quotes (transaction_id) WHERE transaction_id IS NOT NULL",

    uR"(CREATE TABLE metrics_samples (
    minute INTEGER NOT NULL,
    resource TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    count INTEGER NOT NULL,
    error_count INTEGER NOT NULL,
    latency_sum_ms INTEGER NOT NULL,
    latency_max_ms INTEGER NOT NULL,
    le_10ms INTEGER NOT NULL,
    le_50ms INTEGER NOT NULL,
    le_100ms INTEGER NOT NULL,
    le_250ms INTEGER NOT NULL,
    le_500ms INTEGER NOT NULL,
    le_1000ms INTEGER NOT NULL,
    le_5000ms INTEGER NOT NULL,
    gt_5000ms INTEGER NOT NULL,
    PRIMARY KEY (minute, resource, direction)
) STRICT, WITHOUT ROWID)",

    // Outcome of the transfers that became final in each minute, kept by the triggers below.
    uR"(CREATE TABLE transfer_minute_stats (
    minute INTEGER NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('OUTBOUND', 'INBOUND')),
    completed INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    completed_e2e_sum_ms INTEGER NOT NULL,
    failed_e2e_sum_ms INTEGER NOT NULL,
    PRIMARY KEY (minute, direction)
) STRICT, WITHOUT ROWID)",
    uR"(CREATE TRIGGER transfers_stats_insert AFTER INSERT ON transfers
WHEN NEW.status <> 'PENDING'
BEGIN
    INSERT INTO transfer_minute_stats
        (minute, direction, completed, failed, completed_e2e_sum_ms, failed_e2e_sum_ms)
    VALUES (NEW.completed_at / 60000, NEW.direction,
            NEW.status = 'COMPLETED', NEW.status = 'FAILED',
            iif(NEW.status = 'COMPLETED', max(NEW.completed_at - NEW.initiated_at, 0), 0),
            iif(NEW.status = 'FAILED', max(NEW.completed_at - NEW.initiated_at, 0), 0))
    ON CONFLICT (minute, direction) DO UPDATE SET
        completed = completed + excluded.completed,
        failed = failed + excluded.failed,
        completed_e2e_sum_ms = completed_e2e_sum_ms + excluded.completed_e2e_sum_ms,
        failed_e2e_sum_ms = failed_e2e_sum_ms + excluded.failed_e2e_sum_ms;
END)",
    uR"(CREATE TRIGGER transfers_stats_update_remove AFTER UPDATE ON transfers
WHEN OLD.status <> 'PENDING'
 AND (OLD.status, OLD.completed_at, OLD.initiated_at, OLD.direction)
     IS NOT (NEW.status, NEW.completed_at, NEW.initiated_at, NEW.direction)
BEGIN
    UPDATE transfer_minute_stats SET
        completed = completed - (OLD.status = 'COMPLETED'),
        failed = failed - (OLD.status = 'FAILED'),
        completed_e2e_sum_ms = completed_e2e_sum_ms
            - iif(OLD.status = 'COMPLETED', max(OLD.completed_at - OLD.initiated_at, 0), 0),
        failed_e2e_sum_ms = failed_e2e_sum_ms
            - iif(OLD.status = 'FAILED', max(OLD.completed_at - OLD.initiated_at, 0), 0)
    WHERE minute = OLD.completed_at / 60000 AND direction = OLD.direction;
END)",
    uR"(CREATE TRIGGER transfers_stats_update_add AFTER UPDATE ON transfers
WHEN NEW.status <> 'PENDING'
 AND (OLD.status, OLD.completed_at, OLD.initiated_at, OLD.direction)
     IS NOT (NEW.status, NEW.completed_at, NEW.initiated_at, NEW.direction)
BEGIN
    INSERT INTO transfer_minute_stats
        (minute, direction, completed, failed, completed_e2e_sum_ms, failed_e2e_sum_ms)
    VALUES (NEW.completed_at / 60000, NEW.direction,
            NEW.status = 'COMPLETED', NEW.status = 'FAILED',
            iif(NEW.status = 'COMPLETED', max(NEW.completed_at - NEW.initiated_at, 0), 0),
            iif(NEW.status = 'FAILED', max(NEW.completed_at - NEW.initiated_at, 0), 0))
    ON CONFLICT (minute, direction) DO UPDATE SET
        completed = completed + excluded.completed,
        failed = failed + excluded.failed,
        completed_e2e_sum_ms = completed_e2e_sum_ms + excluded.completed_e2e_sum_ms,
        failed_e2e_sum_ms = failed_e2e_sum_ms + excluded.failed_e2e_sum_ms;
END)",

    uR"(CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
) STRICT)",
    u"CREATE INDEX audit_log_at ON audit_log (at)",

    uR"(CREATE TABLE settings_kv (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) STRICT, WITHOUT ROWID)",
};

constexpr Migration Migrations[] = {
    {1, u"transfers, steps, messages, quotes, metrics, minute stats, audit log, settings", V1},
};

} // namespace

std::span<const Migration> migrations()
{
    return Migrations;
}

int latestSchemaVersion()
{
    return Migrations[std::size(Migrations) - 1].version;
}

Pm::Result<int> prepareSchema(Connection &connection, Durability durability,
                              std::span<const Migration> steps)
{
    const int latest = steps.empty() ? 0 : steps.back().version;
    auto current = connection.scalar(u"PRAGMA user_version"_s);
    if (!current)
        return std::unexpected(current.error());
    int version = current->toInt();
    if (version > latest) {
        return std::unexpected(storeError(
            u"the database %1 has schema version %2, newer than this program knows (%3); "
            u"use a newer Payment Manager"_s.arg(connection.path()).arg(version).arg(latest)));
    }

    // WAL is a property of the file; synchronous is per connection.
    auto mode = connection.scalar(u"PRAGMA journal_mode = WAL"_s);
    if (!mode)
        return std::unexpected(mode.error());
    if (mode->toString().compare(u"wal"_s, Qt::CaseInsensitive) != 0) {
        return std::unexpected(storeError(u"cannot switch the database %1 to WAL mode"_s
                                              .arg(connection.path()),
                                          mode->toString()));
    }
    const QString sync = durability == Durability::Full ? u"PRAGMA synchronous = FULL"_s
                                                        : u"PRAGMA synchronous = NORMAL"_s;
    if (auto r = connection.exec(sync); !r)
        return std::unexpected(r.error());
    // Keep the WAL file from staying large after a burst (it is truncated to this after a checkpoint).
    if (auto r = connection.exec(u"PRAGMA journal_size_limit = 67108864"_s); !r)
        return std::unexpected(r.error());

    for (const Migration &step : steps) {
        if (step.version <= version)
            continue;
        Q_ASSERT(step.version == version + 1);
        qCInfo(lcStore, "migrating %s to schema version %d (%s)", qPrintable(connection.path()),
               step.version, qPrintable(step.description.toString()));
        if (auto r = connection.exec(u"BEGIN IMMEDIATE"_s); !r)
            return std::unexpected(r.error());
        Pm::Result<void> applied;
        for (const QStringView sql : step.statements) {
            applied = connection.exec(sql.toString());
            if (!applied)
                break;
        }
        if (applied)
            applied = connection.exec(u"PRAGMA user_version = %1"_s.arg(step.version));
        if (applied)
            applied = connection.exec(u"COMMIT"_s);
        if (!applied) {
            (void)connection.exec(u"ROLLBACK"_s);
            return std::unexpected(storeError(
                u"cannot migrate the database %1 to schema version %2"_s.arg(connection.path())
                    .arg(step.version),
                applied.error().detail.isEmpty() ? applied.error().message
                                                 : applied.error().detail));
        }
        version = step.version;
    }
    return version;
}

} // namespace Pm::Store::Internal
