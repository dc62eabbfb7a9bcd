#pragma once

#include "core/base/result.h"
#include "core/net/httpserver.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <memory>
#include <optional>

namespace Pm::CoreBank {

/** Where and how the simulated core bank runs. */
struct CoreBankOptions
{
    QString dataDir; ///< holds corebank.sqlite (created if missing)
    quint16 port = 0; ///< 0 picks a free port on 127.0.0.1
    /**
     * Seed document (JSON, see docs/corebank.md) applied when the ledger file is new; empty means
     * the built-in demo customers (defaultSeed()).
     */
    QByteArray seedJson;
};

/** The built-in demo customers and settlement accounts. */
QByteArray defaultSeed();

class Ledger;

/**
 * A simulated core banking system: customers with aliases, accounts with currency, balance and
 * status, holds (reserve / commit / release) and postings, persisted in its own SQLite file, served
 * over its own REST API (/api/v1/..., errors {"errorCode","errorMessage"}) on 127.0.0.1.
 *
 * Every change is one SQLite transaction together with its idempotency record, so a crash never
 * leaves half a posting and a re-sent request (same Idempotency-Key) is answered from the record.
 *
 * Create, use and destroy it on one thread with an event loop.
 */
class CoreBank : public QObject
{
    Q_OBJECT

public:
    explicit CoreBank(QObject *parent = nullptr);
    ~CoreBank() override;

    /** Opens (or creates and seeds) the ledger and listens. Fails with a one-line error. */
    Result<quint16> start(const CoreBankOptions &options);
    void stop();
    quint16 port() const;
    /** "http://127.0.0.1:PORT" */
    QString baseUrl() const;

    /** Ledger balance of an account as the API shows it ("1000.50"); for tests and the UI. */
    Result<QString> ledgerBalance(const QString &accountNo) const;
    /** Ledger balance minus active holds. */
    Result<QString> availableBalance(const QString &accountNo) const;
    /**
     * Adds customers (with aliases and accounts) and settlement accounts at run time: a document of
     * the seed's shape, applied in one transaction (all or nothing).
     */
    Result<void> addCustomers(const QByteArray &seedJson);
    /** Number of postings recorded (tests: a transfer credits exactly once). */
    Result<int> postingCount() const;

private:
    void handle(Net::HttpRequest request, Net::HttpResponder responder);

    std::unique_ptr<Ledger> m_ledger;
    std::unique_ptr<Net::HttpServer> m_server;
};

} // namespace Pm::CoreBank
