#include "core/corebank/ledger_p.h"
#include "core/fspiop/amount.h"
#include "core/fspiop/currency.h"

#include <QAtomicInt>
#include <QCryptographicHash>
#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <functional>
#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

namespace Pm::CoreBank {

using Fspiop::Json;

namespace {

QAtomicInt g_connectionCounter;

std::string s(const QString &text)
{
    return text.toStdString();
}

QString str(const Json &j, const char *key)
{
    if (!j.is_object() || !j.contains(key) || !j[key].is_string())
        return {};
    return QString::fromStdString(j[key].get<std::string>());
}

QString nowIso()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

} // namespace

ApiAnswer bankError(int status, const char *code, const QString &message)
{
    return ApiAnswer { status, Json { { "errorCode", code }, { "errorMessage", s(message) } } };
}

QString formatMinor(qint64 minor, const QString &currency)
{
    const int decimals = Fspiop::currencyMinorUnits(currency).value_or(2);
    const bool negative = minor < 0;
    const quint64 magnitude = negative ? quint64(0) - quint64(minor) : quint64(minor);
    quint64 scale = 1;
    for (int i = 0; i < decimals; ++i)
        scale *= 10;
    QString out = QString::number(magnitude / scale);
    if (decimals > 0)
        out += u'.' + QString::number(magnitude % scale).rightJustified(decimals, u'0');
    return negative ? u'-' + out : out;
}

namespace {

/** A decimal amount string of the API to minor units of `currency`; empty error = ok. */
std::optional<qint64> toMinor(const QString &text, const QString &currency, QString *problem)
{
    auto amount = Fspiop::Amount::parseLenient(text, u"amount"_s);
    if (!amount) {
        *problem = amount.error().message;
        return std::nullopt;
    }
    auto minor = amount->toMinorUnits(currency, u"amount"_s);
    if (!minor || *minor > quint64(std::numeric_limits<qint64>::max() / 4)) {
        *problem = minor ? u"amount: too large"_s : minor.error().message;
        return std::nullopt;
    }
    return qint64(*minor);
}

struct Sql
{
    QSqlDatabase db;
    QString error;

    std::optional<QSqlQuery> run(const QString &statement, const QVariantList &binds = {})
    {
        QSqlQuery q(db);
        if (!q.prepare(statement)) {
            error = q.lastError().text();
            return std::nullopt;
        }
        for (const QVariant &b : binds)
            q.addBindValue(b);
        if (!q.exec()) {
            error = q.lastError().text();
            return std::nullopt;
        }
        return q;
    }
};

ApiAnswer internalError(const QString &detail)
{
    return bankError(500, "INTERNAL_ERROR", u"ledger error: "_s + detail);
}

} // namespace

Ledger::~Ledger()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    if (!m_connection.isEmpty())
        QSqlDatabase::removeDatabase(m_connection);
}

Result<std::unique_ptr<Ledger>> Ledger::open(const QString &path, const QByteArray &seedJson)
{
    std::unique_ptr<Ledger> ledger(new Ledger);
    ledger->m_connection = u"pm-corebank-%1"_s.arg(g_connectionCounter.fetchAndAddRelaxed(1));
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, ledger->m_connection);
    db.setDatabaseName(path);
    if (!db.open())
        return fail(0, u"corebank: cannot open %1"_s.arg(path), db.lastError().text());
    Sql sql { db, {} };
    for (const QString &pragma : { u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=FULL"_s,
             u"PRAGMA foreign_keys=ON"_s, u"PRAGMA busy_timeout=5000"_s }) {
        if (!sql.run(pragma))
            return fail(0, u"corebank: %1 failed on %2"_s.arg(pragma, path), sql.error);
    }
    if (auto r = ledger->createSchema(); !r)
        return std::unexpected(r.error());
    auto count = sql.run(u"SELECT COUNT(*) FROM accounts"_s);
    if (!count || !count->next())
        return fail(0, u"corebank: cannot read %1"_s.arg(path), sql.error);
    if (count->value(0).toLongLong() == 0) {
        if (auto r = ledger->seed(seedJson); !r)
            return std::unexpected(r.error());
    }
    return ledger;
}

Result<void> Ledger::createSchema()
{
    Sql sql { QSqlDatabase::database(m_connection, false), {} };
    const QStringList statements = {
        u"CREATE TABLE IF NOT EXISTS customers (customer_id TEXT PRIMARY KEY, first_name TEXT, "
        "middle_name TEXT, last_name TEXT, birth_date TEXT, status TEXT NOT NULL DEFAULT 'ACTIVE')"_s,
        u"CREATE TABLE IF NOT EXISTS aliases (alias_type TEXT NOT NULL, alias_value TEXT NOT NULL, "
        "customer_id TEXT NOT NULL REFERENCES customers(customer_id), PRIMARY KEY (alias_type, alias_value))"_s,
        u"CREATE TABLE IF NOT EXISTS accounts (account_no TEXT PRIMARY KEY, customer_id TEXT "
        "REFERENCES customers(customer_id), currency TEXT NOT NULL, balance_minor INTEGER NOT "
        "NULL, "
        "status TEXT NOT NULL, kind TEXT NOT NULL)"_s,
        u"CREATE TABLE IF NOT EXISTS holds (hold_id TEXT PRIMARY KEY, account_no TEXT NOT NULL "
        "REFERENCES accounts(account_no), amount_minor INTEGER NOT NULL, currency TEXT NOT NULL, "
        "state TEXT NOT NULL, narrative TEXT, created_at TEXT NOT NULL, posting_id TEXT)"_s,
        u"CREATE TABLE IF NOT EXISTS postings (seq INTEGER PRIMARY KEY AUTOINCREMENT, posting_id "
        u"TEXT "
        "UNIQUE NOT NULL, debit_account TEXT NOT NULL, credit_account TEXT NOT NULL, amount_minor "
        "INTEGER NOT NULL, currency TEXT NOT NULL, narrative TEXT, hold_id TEXT, created_at TEXT NOT NULL)"_s,
        u"CREATE TABLE IF NOT EXISTS idempotency (scope_key TEXT PRIMARY KEY, request_hash TEXT "
        u"NOT "
        "NULL, status INTEGER NOT NULL, body BLOB NOT NULL)"_s,
    };
    for (const QString &st : statements) {
        if (!sql.run(st))
            return fail(0, u"corebank: cannot create the ledger schema"_s, sql.error);
    }
    return {};
}

Result<void> Ledger::seed(const QByteArray &seedJson)
{
    auto doc = Fspiop::parseJson(seedJson);
    if (!doc || !doc->is_object())
        return fail(
            0, u"corebank: seed: not a JSON object"_s, doc ? QString() : doc.error().message);
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    Sql sql { db, {} };
    if (!db.transaction())
        return fail(0, u"corebank: seed: cannot begin a transaction"_s, db.lastError().text());
    auto abort = [&](const QString &message) -> Result<void> {
        db.rollback();
        return fail(0, message, sql.error);
    };
    const Json &settlement
        = (*doc).contains("settlementAccounts") ? (*doc)["settlementAccounts"] : Json::object();
    if (!settlement.is_object())
        return abort(
            u"corebank: seed: settlementAccounts must be an object of currency: accountNo"_s);
    for (auto it = settlement.begin(); it != settlement.end(); ++it) {
        const QString currency = QString::fromStdString(it.key());
        if (!Fspiop::isKnownCurrency(currency) || !it.value().is_string())
            return abort(
                u"corebank: seed: settlementAccounts.%1: unknown currency or not a string"_s.arg(
                    currency));
        if (!sql.run(u"INSERT INTO accounts VALUES (?, NULL, ?, 0, 'ACTIVE', 'SETTLEMENT')"_s,
                { QString::fromStdString(it.value().get<std::string>()), currency }))
            return abort(u"corebank: seed: settlementAccounts.%1: cannot insert"_s.arg(currency));
    }
    const Json &customers = (*doc).contains("customers") ? (*doc)["customers"] : Json::array();
    if (!customers.is_array())
        return abort(u"corebank: seed: customers must be an array"_s);
    int i = 0;
    for (const Json &c : customers) {
        const QString where = u"corebank: seed: customers[%1]"_s.arg(i++);
        const QString id = str(c, "customerId");
        if (id.isEmpty())
            return abort(where + u".customerId: missing"_s);
        if (!sql.run(u"INSERT INTO customers VALUES (?, ?, ?, ?, ?, 'ACTIVE')"_s,
                { id, str(c, "firstName"), str(c, "middleName"), str(c, "lastName"),
                    str(c, "birthDate") }))
            return abort(where + u": cannot insert (duplicate customerId?)"_s);
        for (const Json &a : c.value("aliases", Json::array())) {
            if (!sql.run(u"INSERT INTO aliases VALUES (?, ?, ?)"_s,
                    { str(a, "type"), str(a, "value"), id }))
                return abort(where + u".aliases: cannot insert (duplicate alias?)"_s);
        }
        for (const Json &a : c.value("accounts", Json::array())) {
            const QString no = str(a, "accountNo");
            const QString currency = str(a, "currency");
            if (no.isEmpty() || !Fspiop::isKnownCurrency(currency))
                return abort(where + u".accounts: accountNo missing or currency unknown"_s);
            QString problem;
            auto minor = toMinor(
                str(a, "balance").isEmpty() ? u"0"_s : str(a, "balance"), currency, &problem);
            if (!minor)
                return abort(where + u".accounts." + no + u".balance: "_s + problem);
            const QString status = str(a, "status").isEmpty() ? u"ACTIVE"_s : str(a, "status");
            if (!sql.run(u"INSERT INTO accounts VALUES (?, ?, ?, ?, ?, 'CUSTOMER')"_s,
                    { no, id, currency, *minor, status }))
                return abort(where + u".accounts." + no + u": cannot insert"_s);
        }
    }
    if (!db.commit())
        return fail(0, u"corebank: seed: commit failed"_s, db.lastError().text());
    return {};
}

ApiAnswer Ledger::inTransaction(const std::function<ApiAnswer()> &work)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction())
        return internalError(db.lastError().text());
    ApiAnswer answer = work();
    if (answer.status >= 400) {
        db.rollback();
        return answer;
    }
    if (!db.commit()) {
        const QString e = db.lastError().text();
        db.rollback();
        return internalError(e);
    }
    return answer;
}

ApiAnswer Ledger::idempotent(const QString &scope, const QString &key, const Json &body,
    const std::function<ApiAnswer()> &work)
{
    if (key.isEmpty())
        return bankError(400, "IDEMPOTENCY_KEY_REQUIRED", u"header Idempotency-Key is required"_s);
    const QString scopeKey = scope + u':' + key;
    const QByteArray hash = QCryptographicHash::hash(
        Fspiop::serializeJson(body, Fspiop::JsonKeyOrder::Sorted), QCryptographicHash::Sha256)
                                .toHex();
    return inTransaction([&]() -> ApiAnswer {
        Sql sql { QSqlDatabase::database(m_connection, false), {} };
        auto q
            = sql.run(u"SELECT request_hash, status, body FROM idempotency WHERE scope_key = ?"_s,
                { scopeKey });
        if (!q)
            return internalError(sql.error);
        if (q->next()) {
            if (q->value(0).toByteArray() != hash)
                return bankError(409, "IDEMPOTENCY_KEY_REUSED",
                    u"Idempotency-Key %1 was used with a different request"_s.arg(key));
            auto stored = Fspiop::parseJson(q->value(2).toByteArray());
            return ApiAnswer { q->value(1).toInt(), stored ? *stored : Json::object() };
        }
        ApiAnswer answer = work();
        if (answer.status < 400) {
            if (!sql.run(u"INSERT INTO idempotency VALUES (?, ?, ?, ?)"_s,
                    { scopeKey, hash, answer.status, Fspiop::serializeJson(answer.body) }))
                return internalError(sql.error);
        }
        return answer;
    });
}

ApiAnswer Ledger::customer(const QString &customerId)
{
    Sql sql { QSqlDatabase::database(m_connection, false), {} };
    auto q = sql.run(u"SELECT customer_id, first_name, middle_name, last_name, birth_date, status "
                     "FROM customers WHERE customer_id = ?"_s,
        { customerId });
    if (!q)
        return internalError(sql.error);
    if (!q->next())
        return bankError(404, "CUSTOMER_NOT_FOUND", u"no customer %1"_s.arg(customerId));
    Json c = Json::object();
    c["customerId"] = s(q->value(0).toString());
    c["name"] = Json { { "given", s(q->value(1).toString()) },
        { "middle", s(q->value(2).toString()) }, { "family", s(q->value(3).toString()) } };
    c["birthDate"] = s(q->value(4).toString());
    c["customerStatus"] = s(q->value(5).toString());
    Json aliases = Json::array();
    auto a = sql.run(
        u"SELECT alias_type, alias_value FROM aliases WHERE customer_id = ? ORDER BY 1, 2"_s,
        { customerId });
    if (!a)
        return internalError(sql.error);
    while (a->next())
        aliases.push_back(
            Json { { "kind", s(a->value(0).toString()) }, { "value", s(a->value(1).toString()) } });
    c["aliases"] = aliases;
    Json accounts = Json::array();
    auto acc
        = sql.run(u"SELECT account_no FROM accounts WHERE customer_id = ? ORDER BY account_no"_s,
            { customerId });
    if (!acc)
        return internalError(sql.error);
    while (acc->next()) {
        bool found = false;
        accounts.push_back(accountJson(acc->value(0).toString(), &found));
    }
    c["accounts"] = accounts;
    return ApiAnswer { 200, c };
}

ApiAnswer Ledger::customerByAlias(const QString &type, const QString &value)
{
    Sql sql { QSqlDatabase::database(m_connection, false), {} };
    auto q = sql.run(u"SELECT customer_id FROM aliases WHERE alias_type = ? AND alias_value = ?"_s,
        { type, value });
    if (!q)
        return internalError(sql.error);
    if (!q->next())
        return bankError(
            404, "CUSTOMER_NOT_FOUND", u"no customer with alias %1 %2"_s.arg(type, value));
    return customer(q->value(0).toString());
}

Json Ledger::accountJson(const QString &accountNo, bool *found)
{
    *found = false;
    QString currency;
    auto ledger = ledgerMinor(accountNo, &currency);
    if (!ledger)
        return Json::object();
    Sql sql { QSqlDatabase::database(m_connection, false), {} };
    auto q = sql.run(
        u"SELECT customer_id, status, kind FROM accounts WHERE account_no = ?"_s, { accountNo });
    if (!q || !q->next())
        return Json::object();
    const qint64 held = heldMinor(accountNo).value_or(0);
    *found = true;
    Json a = Json::object();
    a["accountNo"] = s(accountNo);
    a["customerId"] = q->value(0).isNull() ? Json() : Json(s(q->value(0).toString()));
    a["currency"] = s(currency);
    a["ledgerBalance"] = s(formatMinor(*ledger, currency));
    a["availableBalance"] = s(formatMinor(*ledger - held, currency));
    a["accountStatus"] = s(q->value(1).toString());
    a["accountType"] = s(q->value(2).toString());
    return a;
}

ApiAnswer Ledger::account(const QString &accountNo)
{
    bool found = false;
    Json a = accountJson(accountNo, &found);
    if (!found)
        return bankError(404, "ACCOUNT_NOT_FOUND", u"no account %1"_s.arg(accountNo));
    return ApiAnswer { 200, a };
}

ApiAnswer Ledger::closeAccount(const QString &accountNo)
{
    return inTransaction([&]() -> ApiAnswer {
        Sql sql { QSqlDatabase::database(m_connection, false), {} };
        auto q = sql.run(
            u"UPDATE accounts SET status = 'CLOSED' WHERE account_no = ?"_s, { accountNo });
        if (!q)
            return internalError(sql.error);
        if (q->numRowsAffected() != 1)
            return bankError(404, "ACCOUNT_NOT_FOUND", u"no account %1"_s.arg(accountNo));
        return account(accountNo);
    });
}

Result<qint64> Ledger::ledgerMinor(const QString &accountNo, QString *currency) const
{
    Sql sql { QSqlDatabase::database(m_connection, false), {} };
    auto q = sql.run(
        u"SELECT balance_minor, currency FROM accounts WHERE account_no = ?"_s, { accountNo });
    if (!q)
        return fail(0, u"corebank: "_s + sql.error);
    if (!q->next())
        return fail(0, u"corebank: no account %1"_s.arg(accountNo));
    if (currency)
        *currency = q->value(1).toString();
    return q->value(0).toLongLong();
}

Result<qint64> Ledger::heldMinor(const QString &accountNo) const
{
    Sql sql { QSqlDatabase::database(m_connection, false), {} };
    auto q = sql.run(
        u"SELECT COALESCE(SUM(amount_minor), 0) FROM holds WHERE account_no = ? AND state = 'ACTIVE'"_s,
        { accountNo });
    if (!q || !q->next())
        return fail(0, u"corebank: "_s + sql.error);
    return q->value(0).toLongLong();
}

Result<int> Ledger::postingCount() const
{
    Sql sql { QSqlDatabase::database(m_connection, false), {} };
    auto q = sql.run(u"SELECT COUNT(*) FROM postings"_s);
    if (!q || !q->next())
        return fail(0, u"corebank: "_s + sql.error);
    return q->value(0).toInt();
}

namespace {

/** Checks an account can take part in a movement; returns an error answer or nullopt. */
std::optional<ApiAnswer> checkAccount(
    Sql &sql, const QString &accountNo, const QString &currency, QString *kind)
{
    auto q = sql.run(
        u"SELECT currency, status, kind FROM accounts WHERE account_no = ?"_s, { accountNo });
    if (!q)
        return internalError(sql.error);
    if (!q->next())
        return bankError(404, "ACCOUNT_NOT_FOUND", u"no account %1"_s.arg(accountNo));
    if (q->value(1).toString() != u"ACTIVE"_s)
        return bankError(409, "ACCOUNT_CLOSED", u"account %1 is closed"_s.arg(accountNo));
    if (q->value(0).toString() != currency)
        return bankError(422, "CURRENCY_MISMATCH",
            u"account %1 holds %2, not %3"_s.arg(accountNo, q->value(0).toString(), currency));
    if (kind)
        *kind = q->value(2).toString();
    return std::nullopt;
}

QString nextId(Sql &sql, const QString &table, const QString &prefix)
{
    auto q = sql.run(u"SELECT COUNT(*) FROM "_s + table);
    const qint64 n = q && q->next() ? q->value(0).toLongLong() + 1 : 1;
    return prefix + QString::number(n).rightJustified(8, u'0');
}

} // namespace

ApiAnswer Ledger::createHold(
    const QString &accountNo, const Json &body, const QString &idempotencyKey)
{
    Json keyed = body;
    keyed["__account"] = s(accountNo);
    return idempotent(u"hold"_s, idempotencyKey, keyed, [&]() -> ApiAnswer {
        Sql sql { QSqlDatabase::database(m_connection, false), {} };
        const QString currency = str(body, "currency");
        if (!Fspiop::isKnownCurrency(currency))
            return bankError(400, "VALIDATION_FAILED", u"currency: missing or unknown"_s);
        QString problem;
        auto minor = toMinor(str(body, "amount"), currency, &problem);
        if (!minor)
            return bankError(400, "INVALID_AMOUNT", problem);
        if (*minor <= 0)
            return bankError(400, "INVALID_AMOUNT", u"amount: must be positive"_s);
        QString kind;
        if (auto bad = checkAccount(sql, accountNo, currency, &kind))
            return *bad;
        auto ledger = ledgerMinor(accountNo, nullptr);
        auto held = heldMinor(accountNo);
        if (!ledger || !held)
            return internalError(u"balance"_s);
        if (kind == u"CUSTOMER"_s && *ledger - *held < *minor)
            return bankError(422, "INSUFFICIENT_FUNDS",
                u"available balance %1 of account %2 is below %3"_s.arg(
                    formatMinor(*ledger - *held, currency), accountNo,
                    formatMinor(*minor, currency)));
        const QString id = nextId(sql, u"holds"_s, u"HLD"_s);
        if (!sql.run(u"INSERT INTO holds VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?, NULL)"_s,
                { id, accountNo, *minor, currency, str(body, "narrative"), nowIso() }))
            return internalError(sql.error);
        return ApiAnswer { 201,
            Json { { "holdId", s(id) }, { "accountNo", s(accountNo) },
                { "amount", s(formatMinor(*minor, currency)) }, { "currency", s(currency) },
                { "holdStatus", "ACTIVE" } } };
    });
}

ApiAnswer Ledger::hold(const QString &holdId)
{
    Sql sql { QSqlDatabase::database(m_connection, false), {} };
    auto q = sql.run(
        u"SELECT account_no, amount_minor, currency, state, posting_id FROM holds WHERE hold_id = ?"_s,
        { holdId });
    if (!q)
        return internalError(sql.error);
    if (!q->next())
        return bankError(404, "HOLD_NOT_FOUND", u"no hold %1"_s.arg(holdId));
    const QString currency = q->value(2).toString();
    Json h { { "holdId", s(holdId) }, { "accountNo", s(q->value(0).toString()) },
        { "amount", s(formatMinor(q->value(1).toLongLong(), currency)) },
        { "currency", s(currency) }, { "holdStatus", s(q->value(3).toString()) } };
    if (!q->value(4).isNull())
        h["postingId"] = s(q->value(4).toString());
    return ApiAnswer { 200, h };
}

ApiAnswer Ledger::commitHold(const QString &holdId, const Json &body)
{
    return inTransaction([&]() -> ApiAnswer {
        Sql sql { QSqlDatabase::database(m_connection, false), {} };
        auto q = sql.run(
            u"SELECT account_no, amount_minor, currency, state FROM holds WHERE hold_id = ?"_s,
            { holdId });
        if (!q)
            return internalError(sql.error);
        if (!q->next())
            return bankError(404, "HOLD_NOT_FOUND", u"no hold %1"_s.arg(holdId));
        const QString account = q->value(0).toString();
        const qint64 minor = q->value(1).toLongLong();
        const QString currency = q->value(2).toString();
        const QString state = q->value(3).toString();
        if (state == u"COMMITTED"_s)
            return hold(holdId); // a re-sent commit: the same answer, nothing posted twice
        if (state != u"ACTIVE"_s)
            return bankError(409, "HOLD_NOT_ACTIVE", u"hold %1 is %2"_s.arg(holdId, state));
        QString credit = str(body, "creditAccountNo");
        if (credit.isEmpty()) {
            auto st = sql.run(
                u"SELECT account_no FROM accounts WHERE kind = 'SETTLEMENT' AND currency = ?"_s,
                { currency });
            if (!st || !st->next())
                return bankError(
                    422, "NO_SETTLEMENT_ACCOUNT", u"no settlement account for %1"_s.arg(currency));
            credit = st->value(0).toString();
        }
        if (auto bad = checkAccount(sql, credit, currency, nullptr))
            return *bad;
        const QString postingId = nextId(sql, u"postings"_s, u"PST"_s);
        if (!sql.run(
                u"UPDATE accounts SET balance_minor = balance_minor - ? WHERE account_no = ?"_s,
                { minor, account })
            || !sql.run(
                u"UPDATE accounts SET balance_minor = balance_minor + ? WHERE account_no = ?"_s,
                { minor, credit })
            || !sql.run(u"INSERT INTO postings (posting_id, debit_account, credit_account, "
                        u"amount_minor, currency, "
                        "narrative, hold_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s,
                { postingId, account, credit, minor, currency, str(body, "narrative"), holdId,
                    nowIso() })
            || !sql.run(u"UPDATE holds SET state = 'COMMITTED', posting_id = ? WHERE hold_id = ?"_s,
                { postingId, holdId }))
            return internalError(sql.error);
        return hold(holdId);
    });
}

ApiAnswer Ledger::releaseHold(const QString &holdId)
{
    return inTransaction([&]() -> ApiAnswer {
        Sql sql { QSqlDatabase::database(m_connection, false), {} };
        auto q = sql.run(u"SELECT state FROM holds WHERE hold_id = ?"_s, { holdId });
        if (!q)
            return internalError(sql.error);
        if (!q->next())
            return bankError(404, "HOLD_NOT_FOUND", u"no hold %1"_s.arg(holdId));
        const QString state = q->value(0).toString();
        if (state == u"RELEASED"_s)
            return hold(holdId);
        if (state != u"ACTIVE"_s)
            return bankError(409, "HOLD_NOT_ACTIVE", u"hold %1 is %2"_s.arg(holdId, state));
        if (!sql.run(u"UPDATE holds SET state = 'RELEASED' WHERE hold_id = ?"_s, { holdId }))
            return internalError(sql.error);
        return hold(holdId);
    });
}

ApiAnswer Ledger::createPosting(const Json &body, const QString &idempotencyKey)
{
    return idempotent(u"posting"_s, idempotencyKey, body, [&]() -> ApiAnswer {
        Sql sql { QSqlDatabase::database(m_connection, false), {} };
        const QString currency = str(body, "currency");
        const QString debit = str(body, "debitAccountNo");
        const QString credit = str(body, "creditAccountNo");
        if (!Fspiop::isKnownCurrency(currency))
            return bankError(400, "VALIDATION_FAILED", u"currency: missing or unknown"_s);
        if (debit.isEmpty() || credit.isEmpty() || debit == credit)
            return bankError(400, "VALIDATION_FAILED",
                u"debitAccountNo and creditAccountNo: two different accounts are required"_s);
        QString problem;
        auto minor = toMinor(str(body, "amount"), currency, &problem);
        if (!minor)
            return bankError(400, "INVALID_AMOUNT", problem);
        if (*minor <= 0)
            return bankError(400, "INVALID_AMOUNT", u"amount: must be positive"_s);
        QString debitKind;
        if (auto bad = checkAccount(sql, debit, currency, &debitKind))
            return *bad;
        if (auto bad = checkAccount(sql, credit, currency, nullptr))
            return *bad;
        if (debitKind == u"CUSTOMER"_s) {
            auto ledger = ledgerMinor(debit, nullptr);
            auto held = heldMinor(debit);
            if (!ledger || !held)
                return internalError(u"balance"_s);
            if (*ledger - *held < *minor)
                return bankError(422, "INSUFFICIENT_FUNDS",
                    u"available balance of account %1 is below %2"_s.arg(
                        debit, formatMinor(*minor, currency)));
        }
        const QString postingId = nextId(sql, u"postings"_s, u"PST"_s);
        if (!sql.run(
                u"UPDATE accounts SET balance_minor = balance_minor - ? WHERE account_no = ?"_s,
                { *minor, debit })
            || !sql.run(
                u"UPDATE accounts SET balance_minor = balance_minor + ? WHERE account_no = ?"_s,
                { *minor, credit })
            || !sql.run(u"INSERT INTO postings (posting_id, debit_account, credit_account, "
                        u"amount_minor, currency, "
                        "narrative, hold_id, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)"_s,
                { postingId, debit, credit, *minor, currency, str(body, "narrative"), nowIso() }))
            return internalError(sql.error);
        return ApiAnswer { 201,
            Json { { "postingId", s(postingId) }, { "debitAccountNo", s(debit) },
                { "creditAccountNo", s(credit) }, { "amount", s(formatMinor(*minor, currency)) },
                { "currency", s(currency) }, { "postingStatus", "POSTED" } } };
    });
}

ApiAnswer Ledger::posting(const QString &postingId)
{
    Sql sql { QSqlDatabase::database(m_connection, false), {} };
    auto q = sql.run(
        u"SELECT debit_account, credit_account, amount_minor, currency FROM postings WHERE posting_id = ?"_s,
        { postingId });
    if (!q)
        return internalError(sql.error);
    if (!q->next())
        return bankError(404, "POSTING_NOT_FOUND", u"no posting %1"_s.arg(postingId));
    const QString currency = q->value(3).toString();
    return ApiAnswer { 200,
        Json { { "postingId", s(postingId) }, { "debitAccountNo", s(q->value(0).toString()) },
            { "creditAccountNo", s(q->value(1).toString()) },
            { "amount", s(formatMinor(q->value(2).toLongLong(), currency)) },
            { "currency", s(currency) }, { "postingStatus", "POSTED" } } };
}

} // namespace Pm::CoreBank
