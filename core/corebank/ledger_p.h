#pragma once

// Internal: the simulated core bank's ledger on its own SQLite file.

#include "core/base/result.h"
#include "core/fspiop/json.h"

#include <QString>
#include <functional>
#include <memory>

namespace Pm::CoreBank {

/** An answer of the core bank's API: HTTP status and JSON body. */
struct ApiAnswer
{
    int status = 200;
    Fspiop::Json body;
};

/** Builds the core bank's error body {"errorCode","errorMessage"}. */
ApiAnswer bankError(int status, const char *code, const QString &message);

/**
 * The ledger: one SQLite connection (WAL, synchronous FULL) used on one thread. Each mutating call
 * is one transaction including its idempotency record.
 */
class Ledger
{
public:
    ~Ledger();
    static Result<std::unique_ptr<Ledger>> open(const QString &path, const QByteArray &seedJson);

    ApiAnswer customerByAlias(const QString &type, const QString &value);
    ApiAnswer customer(const QString &customerId);
    ApiAnswer account(const QString &accountNo);
    ApiAnswer closeAccount(const QString &accountNo);
    ApiAnswer createHold(
        const QString &accountNo, const Fspiop::Json &body, const QString &idempotencyKey);
    ApiAnswer hold(const QString &holdId);
    ApiAnswer commitHold(const QString &holdId, const Fspiop::Json &body);
    ApiAnswer releaseHold(const QString &holdId);
    ApiAnswer createPosting(const Fspiop::Json &body, const QString &idempotencyKey);
    ApiAnswer posting(const QString &postingId);

    Result<qint64> ledgerMinor(const QString &accountNo, QString *currency) const;
    Result<qint64> heldMinor(const QString &accountNo) const;
    Result<int> postingCount() const;
    /** Adds settlement accounts and customers (the seed document's shape) in one transaction. */
    Result<void> seed(const QByteArray &seedJson);

private:
    Ledger() = default;
    Result<void> createSchema();
    ApiAnswer inTransaction(const std::function<ApiAnswer()> &work);
    ApiAnswer idempotent(const QString &scope, const QString &key, const Fspiop::Json &body,
        const std::function<ApiAnswer()> &work);
    Fspiop::Json accountJson(const QString &accountNo, bool *found);

    QString m_connection;
};

/** Formats signed minor units with the currency's decimals, always showing them: "1000.50". */
QString formatMinor(qint64 minor, const QString &currency);

} // namespace Pm::CoreBank
