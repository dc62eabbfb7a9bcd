#pragma once

#include "core/fspiop/json.h"
#include "core/net/httpheaders.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace Pm::Connector {

/** A callback that arrived for a waiting outbound request, or the news that none came. */
struct CallbackMessage
{
    bool timedOut = false;
    bool isError = false;       ///< a PUT .../error callback, or the request could not be sent
    Fspiop::Json body;          ///< the parsed callback body
    Net::HttpHeaders headers;   ///< the callback's headers
    QString source;             ///< its FSPIOP-Source
};

/**
 * In-process stand-in for the reference's Redis channels: outbound requests register a waiter under
 * a key (`parties-{type}-{id}-{subId|undefined}`, `qt_{quoteId}`, `tf_{transferId}`,
 * `participants-...`) BEFORE they send, and inbound callbacks publish to the key. Every waiter of a
 * key receives the message, so concurrent lookups of one party all get the answer. A waiter that
 * hears nothing within its timeout is told so (CallbackMessage::timedOut) and removed.
 *
 * Service thread only.
 */
class WaiterRegistry : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const CallbackMessage &)>;

    explicit WaiterRegistry(QObject *parent = nullptr);
    ~WaiterRegistry() override;

    /** Registers a waiter; returns its id. `callback` runs at most once. */
    quint64 wait(const QString &key, int timeoutMs, Callback callback);
    /** Removes a waiter without calling it. */
    void cancel(quint64 id);
    /** Delivers `message` to every waiter of `key` (which are removed); returns how many. */
    int publish(const QString &key, const CallbackMessage &message);
    /** Waiters registered under `key` now. */
    int waiting(const QString &key) const;
    /** Every waiter now. */
    int size() const { return int(m_waiters.size()); }

    /** `parties-{type}-{id}-{subId or "undefined"}`, the reference's channel name. */
    static QString partiesKey(const QString &type, const QString &id, const QString &subId);

private:
    struct Waiter
    {
        QString key;
        Callback callback;
        QTimer *timer = nullptr;
    };
    QHash<quint64, Waiter> m_waiters;
    QMultiHash<QString, quint64> m_byKey;
    quint64 m_next = 1;
};

} // namespace Pm::Connector
