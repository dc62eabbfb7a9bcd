#include "core/store/writer_p.h"

#include "core/fspiop/amount.h"
#include "core/store/connection_p.h"
#include "core/store/schema_p.h"
#include "core/store/sql_p.h"

#include <QMetaObject>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <limits>
#include <variant>

using namespace Qt::StringLiterals;

namespace Pm::Store::Internal {

namespace {

/** amount_minor of a record: the caller's value, else computed from amount and currency. */
std::optional<qint64> amountMinorOf(const TransferRecord &r)
{
    if (r.amountMinor)
        return r.amountMinor;
    if (r.amount.isEmpty() || r.currency.isEmpty())
        return std::nullopt;
    const auto amount = Pm::Fspiop::Amount::parseLenient(r.amount, u"amount");
    if (!amount)
        return std::nullopt;
    const auto minor = amount->toMinorUnits(QStringView(r.currency), u"amount");
    if (!minor || *minor > std::uint64_t(std::numeric_limits<qint64>::max()))
        return std::nullopt;
    return qint64(*minor);
}

Pm::Result<void> required(const QString &value, const QString &what)
{
    if (value.isEmpty())
        return std::unexpected(storeError(u"cannot store %1"_s.arg(what)));
    return {};
}

} // namespace

Writer::Writer(std::shared_ptr<StoreCore> core) : m_core(std::move(core)) {}

Writer::~Writer()
{
    // close() runs on the writer thread before the thread stops; this is the fallback.
    Q_ASSERT(!m_connection);
}

Pm::Result<void> Writer::open()
{
    auto connection = Connection::open(m_core->options(), Connection::Role::Writer);
    if (!connection)
        return std::unexpected(connection.error());
    auto version = prepareSchema(**connection, m_core->options().durability, migrations());
    if (!version)
        return std::unexpected(version.error());
    m_connection = std::move(*connection);
    return {};
}

void Writer::close()
{
    for (;;) {
        bool more = false;
        std::vector<PendingUnit> units = m_core->take(std::numeric_limits<std::size_t>::max(), &more);
        if (units.empty())
            break;
        process(units);
    }
    if (m_connection) {
        // Lets SQLite refresh the planner statistics it finds stale (cheap when nothing changed).
        (void)m_connection->exec(u"PRAGMA optimize"_s);
        m_connection.reset();
    }
}

void Writer::drain()
{
    bool more = false;
    const int cap = qMax(1, m_core->options().maxBatchUnits);
    std::vector<PendingUnit> units = m_core->take(std::size_t(cap), &more);
    if (!units.empty())
        process(units);
    if (more)
        QMetaObject::invokeMethod(this, [this] { drain(); }, Qt::QueuedConnection);
}

void Writer::process(std::vector<PendingUnit> &units)
{
    std::vector<Pm::Result<void>> results(units.size());
    const bool anyWrite = std::any_of(units.cbegin(), units.cend(),
                                      [](const PendingUnit &u) { return !u.batch.isEmpty(); });
    if (anyWrite) {
        if (!m_connection) {
            const Pm::Error closed = storeError(u"the store is closed"_s);
            for (std::size_t i = 0; i < units.size(); ++i) {
                if (!units[i].batch.isEmpty())
                    results[i] = std::unexpected(closed);
            }
        } else if (!runTransaction(units, results, false)) {
            // A unit failed: apply them again, each under a savepoint, so that only it is lost.
            runTransaction(units, results, true);
        }
    }

    qint64 ok = 0;
    qint64 bad = 0;
    for (std::size_t i = 0; i < units.size(); ++i) {
        if (units[i].flushed)
            continue;
        if (results[i]) {
            ++ok;
        } else {
            ++bad;
            if (!units[i].done) {
                qCWarning(lcStore, "write failed: %s",
                          qPrintable(Pm::toOneLine(results[i].error())));
            }
        }
    }
    m_core->committed.fetch_add(ok, std::memory_order_relaxed);
    m_core->failed.fetch_add(bad, std::memory_order_relaxed);
    if (ok + bad > m_core->largestBatch.load(std::memory_order_relaxed))
        m_core->largestBatch.store(ok + bad, std::memory_order_relaxed);

    deliver(units, results);
    for (PendingUnit &unit : units) {
        if (unit.flushed)
            unit.flushed->release();
    }
}

bool Writer::runTransaction(std::vector<PendingUnit> &units, std::vector<Pm::Result<void>> &results,
                            bool isolateUnits)
{
    m_core->transactions.fetch_add(1, std::memory_order_relaxed);
    auto failAll = [&](const Pm::Error &error) {
        for (std::size_t i = 0; i < units.size(); ++i) {
            if (!units[i].batch.isEmpty())
                results[i] = std::unexpected(error);
        }
    };
    if (auto begun = execStatement(Begin, u"begin a transaction"_s); !begun) {
        failAll(begun.error());
        return true;
    }
    for (std::size_t i = 0; i < units.size(); ++i) {
        if (units[i].batch.isEmpty()) {
            results[i] = {};
            continue;
        }
        if (isolateUnits) {
            if (auto r = m_connection->exec(u"SAVEPOINT unit"_s); !r) {
                results[i] = std::unexpected(r.error());
                continue;
            }
        }
        Pm::Result<void> applied = applyUnit(units[i].batch);
        if (!applied && !isolateUnits) {
            (void)execStatement(Rollback, u"roll back"_s);
            return false;
        }
        if (isolateUnits) {
            if (!applied)
                (void)m_connection->exec(u"ROLLBACK TO unit"_s);
            (void)m_connection->exec(u"RELEASE unit"_s);
        }
        results[i] = std::move(applied);
    }
    if (auto committed = execStatement(Commit, u"commit"_s); !committed) {
        (void)execStatement(Rollback, u"roll back"_s);
        failAll(committed.error());
    }
    return true;
}

Pm::Result<void> Writer::execStatement(int statement, const QString &what)
{
    auto q = m_connection->statement(statement, sql(Statement(statement)));
    if (!q)
        return std::unexpected(q.error());
    if (!(*q)->exec())
        return std::unexpected(storeError(u"cannot %1 in %2"_s.arg(what, m_connection->path()),
                                          (*q)->lastError()));
    return {};
}

Pm::Result<void> Writer::applyUnit(const WriteBatch &batch)
{
    for (const WriteBatch::Op &op : batch.m_ops) {
        Pm::Result<void> r = std::visit([this](const auto &value) { return apply(value); }, op);
        if (!r)
            return r;
    }
    return {};
}

Pm::Result<void> Writer::apply(const TransferRecord &record)
{
    if (auto r = required(record.id, u"a transfer without id"_s); !r)
        return r;
    if (auto r = required(record.state, u"transfer %1 without a state"_s.arg(record.id)); !r)
        return r;
    auto q = m_connection->statement(UpsertTransfer, sql(UpsertTransfer));
    if (!q)
        return std::unexpected(q.error());
    bindTransfer(**q, record, amountMinorOf(record));
    if (!(*q)->exec())
        return std::unexpected(storeError(u"cannot store transfer %1"_s.arg(record.id),
                                          (*q)->lastError()));
    return {};
}

Pm::Result<void> Writer::apply(const TransferUpdate &update)
{
    if (auto r = required(update.id, u"a transfer update without id"_s); !r)
        return r;
    auto q = m_connection->statement(UpdateTransfer, sql(UpdateTransfer));
    if (!q)
        return std::unexpected(q.error());
    bindTransferUpdate(**q, update);
    if (!(*q)->exec())
        return std::unexpected(storeError(u"cannot update transfer %1"_s.arg(update.id),
                                          (*q)->lastError()));
    if ((*q)->numRowsAffected() != 1)
        return std::unexpected(storeError(u"cannot update transfer %1: it is not stored"_s
                                              .arg(update.id)));
    return {};
}

Pm::Result<void> Writer::apply(const StepRecord &step)
{
    if (auto r = required(step.transferId, u"a step marker without transfer id"_s); !r)
        return r;
    if (auto r = required(step.step, u"a step marker without step name"_s); !r)
        return r;
    auto q = m_connection->statement(UpsertStep, sql(UpsertStep));
    if (!q)
        return std::unexpected(q.error());
    QSqlQuery &query = **q;
    bindAt(query, 0, step.transferId);
    bindAt(query, 1, step.step);
    bindAt(query, 2, storedName(step.status));
    bindAt(query, 3, step.at);
    bindAt(query, 4, nullableText(step.detail));
    if (!query.exec()) {
        return std::unexpected(storeError(u"cannot store step %1 of transfer %2 (is the transfer "
                                          u"stored?)"_s.arg(step.step, step.transferId),
                                          query.lastError()));
    }
    return {};
}

Pm::Result<void> Writer::apply(const MessageRecord &message)
{
    auto q = m_connection->statement(InsertMessage, sql(InsertMessage));
    if (!q)
        return std::unexpected(q.error());
    QSqlQuery &query = **q;
    bindAt(query, 0, nullableText(message.transferId));
    bindAt(query, 1, nullableText(message.correlationId));
    bindAt(query, 2, storedName(message.direction));
    bindAt(query, 3, storedName(message.kind));
    bindAt(query, 4, nullableText(message.method));
    bindAt(query, 5, nullableText(message.url));
    bindAt(query, 6, nullableInt(message.status ? std::optional<qint64>(*message.status)
                                                  : std::nullopt));
    bindAt(query, 7, headersToJson(message.headers));
    // A null QByteArray binds NULL; keep an empty body an empty BLOB.
    bindAt(query, 8, message.body.isNull() ? QByteArray("") : message.body);
    bindAt(query, 9, message.at);
    if (!query.exec())
        return std::unexpected(storeError(u"cannot store a message"_s, query.lastError()));
    return {};
}

Pm::Result<void> Writer::apply(const QuoteRecord &quote)
{
    if (auto r = required(quote.quoteId, u"a quote without id"_s); !r)
        return r;
    auto q = m_connection->statement(UpsertQuote, sql(UpsertQuote));
    if (!q)
        return std::unexpected(q.error());
    QSqlQuery &query = **q;
    bindAt(query, 0, quote.quoteId);
    bindAt(query, 1, storedName(quote.direction));
    bindAt(query, 2, nullableText(quote.transactionId));
    bindAt(query, 3, nullableText(quote.transferId));
    bindAt(query, 4, nullableText(quote.requestHash));
    bindAt(query, 5, nullableText(quote.ilpCondition));
    bindAt(query, 6, nullableText(quote.ilpFulfilment));
    bindAt(query, 7, nullableText(quote.ilpPacket));
    bindAt(query, 8, nullableText(quote.expiration));
    bindAt(query, 9, quote.responseBody.isNull() ? QByteArray("") : quote.responseBody);
    bindAt(query, 10, quote.createdAt);
    bindAt(query, 11, quote.updatedAt);
    if (!query.exec())
        return std::unexpected(storeError(u"cannot store quote %1"_s.arg(quote.quoteId),
                                          query.lastError()));
    return {};
}

Pm::Result<void> Writer::apply(const MetricSample &sample)
{
    if (auto r = required(sample.resource, u"a metric sample without resource"_s); !r)
        return r;
    auto q = m_connection->statement(AddMetric, sql(AddMetric));
    if (!q)
        return std::unexpected(q.error());
    QSqlQuery &query = **q;
    const qint64 latency = qMax<qint64>(0, sample.latencyMs);
    int i = 0;
    bindAt(query, i++, sample.at / 60000);
    bindAt(query, i++, sample.resource);
    bindAt(query, i++, storedName(sample.direction));
    bindAt(query, i++, sample.error ? 1 : 0);
    bindAt(query, i++, latency);
    bindAt(query, i++, latency);
    const int bucket = latencyBucket(latency);
    for (int b = 0; b < LatencyBucketCount; ++b)
        bindAt(query, i++, b == bucket ? 1 : 0);
    if (!query.exec())
        return std::unexpected(storeError(u"cannot store a metric sample"_s, query.lastError()));
    return {};
}

Pm::Result<void> Writer::apply(const AuditRecord &record)
{
    if (auto r = required(record.action, u"an audit record without action"_s); !r)
        return r;
    auto q = m_connection->statement(InsertAudit, sql(InsertAudit));
    if (!q)
        return std::unexpected(q.error());
    QSqlQuery &query = **q;
    bindAt(query, 0, record.at);
    bindAt(query, 1, record.actor.isNull() ? u""_s : record.actor);
    bindAt(query, 2, record.action);
    bindAt(query, 3, nullableText(record.target));
    bindAt(query, 4, nullableText(record.detail));
    if (!query.exec())
        return std::unexpected(storeError(u"cannot store an audit record"_s, query.lastError()));
    return {};
}

Pm::Result<void> Writer::apply(const SettingRecord &setting)
{
    if (auto r = required(setting.key, u"a setting without key"_s); !r)
        return r;
    auto q = m_connection->statement(UpsertSetting, sql(UpsertSetting));
    if (!q)
        return std::unexpected(q.error());
    QSqlQuery &query = **q;
    bindAt(query, 0, setting.scope.isNull() ? u""_s : setting.scope);
    bindAt(query, 1, setting.key);
    bindAt(query, 2, setting.value.isNull() ? u""_s : setting.value);
    bindAt(query, 3, setting.updatedAt);
    if (!query.exec())
        return std::unexpected(storeError(u"cannot store setting %1"_s.arg(setting.key),
                                          query.lastError()));
    return {};
}

Pm::Result<void> Writer::apply(const SettingRemoval &removal)
{
    auto q = m_connection->statement(DeleteSetting, sql(DeleteSetting));
    if (!q)
        return std::unexpected(q.error());
    QSqlQuery &query = **q;
    bindAt(query, 0, removal.scope.isNull() ? u""_s : removal.scope);
    bindAt(query, 1, removal.key);
    if (!query.exec())
        return std::unexpected(storeError(u"cannot remove setting %1"_s.arg(removal.key),
                                          query.lastError()));
    return {};
}

void Writer::deliver(std::vector<PendingUnit> &units, std::vector<Pm::Result<void>> &results)
{
    using Delivery = std::vector<std::pair<Completion, Pm::Result<void>>>;
    const std::shared_ptr<ContextRegistry> registry = m_core->contexts();
    std::size_t i = 0;
    while (i < units.size()) {
        if (!units[i].done) {
            ++i;
            continue;
        }
        // One posted event per run of units with the same context.
        QObject *const context = units[i].context;
        const quint64 generation = units[i].contextGeneration;
        Delivery delivery;
        while (i < units.size() && (!units[i].done
                                    || (units[i].context == context
                                        && units[i].contextGeneration == generation))) {
            if (units[i].done)
                delivery.emplace_back(std::move(units[i].done), std::move(results[i]));
            ++i;
        }
        registry->ifAlive(context, generation, [&] {
            QMetaObject::invokeMethod(
                context,
                [delivery = std::move(delivery)] {
                    for (const auto &[done, result] : delivery)
                        done(result);
                },
                Qt::QueuedConnection);
        });
    }
}

} // namespace Pm::Store::Internal
