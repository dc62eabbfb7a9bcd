#pragma once

#include "core/base/result.h"
#include "core/fspiop/json.h"
#include "core/net/httpserver.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>

namespace Pm::Test {

/**
 * A DFSP backend (core connector) for tests and benchmarks: an HTTP server on 127.0.0.1 serving
 * the reference SDK's backend API with configurable answers.
 *
 * Defaults: GET /parties/{Type}/{ID}[/{SubId}] answers the party added with addParty() (else 404
 * {"statusCode":"3204","message":"Party not found"}); POST /quoterequests quotes the requested
 * amount with zero fees; POST /transfers answers {"homeTransactionId": "..."}; PUT /transfers/{id}
 * answers 200. setAnswer() overrides any method and path prefix. Every call is recorded.
 *
 * Create, use and destroy it on one thread with an event loop.
 */
class TestBackend : public QObject
{
    Q_OBJECT
public:
    /** A canned answer, optionally after a delay. */
    struct Answer
    {
        int status = 200;
        QByteArray body;
        int delayMs = 0;
    };

    /** One request the backend received. */
    struct Call
    {
        QByteArray method;
        QString path;
        QByteArray body;
        Fspiop::Json json; ///< the parsed body, null if none
    };

    explicit TestBackend(QObject *parent = nullptr);
    ~TestBackend() override;

    /** Listens on 127.0.0.1, a free port. */
    Pm::Result<quint16> start();
    quint16 port() const;
    /** "127.0.0.1:<port>", the form of BACKEND_ENDPOINT. */
    QString endpoint() const;

    /** Serves `party` (backend shape: idType, idValue, idSubValue?, firstName...) for its ids. */
    void addParty(const Fspiop::Json &party);
    /** Answers requests whose method is `method` and whose path starts with `pathPrefix`. */
    void setAnswer(const QByteArray &method, const QString &pathPrefix, Answer answer);
    void clearAnswers();

    const QList<Call> &calls() const { return m_calls; }
    /** How many calls had `method` and a path starting with `pathPrefix`. */
    int count(const QByteArray &method, const QString &pathPrefix) const;
    /** The last such call (an empty Call if none). */
    Call last(const QByteArray &method, const QString &pathPrefix) const;

signals:
    void called();

private:
    void handle(Net::HttpRequest request, Net::HttpResponder responder);

    std::unique_ptr<Net::HttpServer> m_server;
    QHash<QString, Fspiop::Json> m_parties;
    QList<std::pair<QString, Answer>> m_answers; ///< "METHOD path-prefix" → answer
    QList<Call> m_calls;
    int m_transfers = 0;
};

} // namespace Pm::Test
