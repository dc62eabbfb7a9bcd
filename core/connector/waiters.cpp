#include "core/connector/waiters.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace Pm::Connector {

WaiterRegistry::WaiterRegistry(QObject *parent)
    : QObject(parent)
{
}

WaiterRegistry::~WaiterRegistry() = default;

QString WaiterRegistry::partiesKey(const QString &type, const QString &id, const QString &subId)
{
    return u"parties-%1-%2-%3"_s.arg(type, id, subId.isEmpty() ? u"undefined"_s : subId);
}

quint64 WaiterRegistry::wait(const QString &key, int timeoutMs, Callback callback)
{
    const quint64 id = m_next++;
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, id] {
        auto it = m_waiters.find(id);
        if (it == m_waiters.end())
            return;
        Waiter w = std::move(*it);
        m_waiters.erase(it);
        m_byKey.remove(w.key, id);
        w.timer->deleteLater();
        CallbackMessage timeout;
        timeout.timedOut = true;
        w.callback(timeout);
    });
    timer->start(timeoutMs);
    m_waiters.insert(id, Waiter{key, std::move(callback), timer});
    m_byKey.insert(key, id);
    return id;
}

void WaiterRegistry::cancel(quint64 id)
{
    auto it = m_waiters.find(id);
    if (it == m_waiters.end())
        return;
    m_byKey.remove(it->key, id);
    delete it->timer;
    m_waiters.erase(it);
}

int WaiterRegistry::publish(const QString &key, const CallbackMessage &message)
{
    const QList<quint64> ids = m_byKey.values(key);
    m_byKey.remove(key);
    QList<Callback> callbacks;
    for (quint64 id : ids) {
        auto it = m_waiters.find(id);
        if (it == m_waiters.end())
            continue;
        delete it->timer;
        callbacks.append(std::move(it->callback));
        m_waiters.erase(it);
    }
    // QMultiHash::values gives the newest first: call in registration order.
    for (auto it = callbacks.rbegin(); it != callbacks.rend(); ++it)
        (*it)(message);
    return int(callbacks.size());
}

int WaiterRegistry::waiting(const QString &key) const
{
    return int(m_byKey.count(key));
}

} // namespace Pm::Connector
