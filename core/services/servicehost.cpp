#include "core/services/servicehost.h"

#include "core/services/sandbox.h"

#include <QThread>

using namespace Qt::StringLiterals;

namespace Pm::Services {

QString environmentStateName(EnvironmentState state)
{
    switch (state) {
    case EnvironmentState::Stopped:
        return u"stopped"_s;
    case EnvironmentState::Starting:
        return u"starting"_s;
    case EnvironmentState::Running:
        return u"running"_s;
    case EnvironmentState::Stopping:
        return u"stopping"_s;
    case EnvironmentState::Failed:
        return u"failed"_s;
    }
    return {};
}

QString scenarioName(Scenario scenario)
{
    switch (scenario) {
    case Scenario::Success:
        return u"success"_s;
    case Scenario::UnknownParty:
        return u"unknown-party"_s;
    case Scenario::InsufficientFunds:
        return u"insufficient-funds"_s;
    case Scenario::PayerLimit:
        return u"payer-limit"_s;
    case Scenario::Expired:
        return u"expired"_s;
    case Scenario::PayeeRejection:
        return u"payee-rejection"_s;
    }
    return {};
}

QString Listener::toString() const
{
    return u"%1 %2:%3"_s.arg(name, host).arg(port);
}

/**
 * Lives on the service thread; owns the Sandbox there. Its signals reach the ServiceHost queued.
 */
class SandboxWorker : public QObject
{
    Q_OBJECT

public:
    void start(const SandboxOptions &options)
    {
        m_sandbox = std::make_unique<Sandbox>();
        connect(
            m_sandbox.get(), &Sandbox::transferFinished, this, &SandboxWorker::transferFinished);
        connect(m_sandbox.get(), &Sandbox::countersChanged, this, &SandboxWorker::countersChanged);
        connect(m_sandbox.get(), &Sandbox::trafficFinished, this, &SandboxWorker::trafficFinished);
        connect(m_sandbox.get(), &Sandbox::message, this, &SandboxWorker::message);
        connect(m_sandbox.get(), &Sandbox::failed, this, [this](const QString &why) {
            m_sandbox->stop();
            emit stopped(why);
        });
        auto r = m_sandbox->start(options);
        if (!r) {
            m_sandbox.reset();
            emit startFailed(r.error().message);
            return;
        }
        emit started(m_sandbox->listeners(), m_sandbox->storePaths(), m_sandbox->dataDir(),
            m_sandbox->dfsps().constFirst().fspId);
    }

    void stop()
    {
        if (m_sandbox)
            m_sandbox->stop();
        m_sandbox.reset();
        emit stopped({});
    }

    void setRate(double perSecond)
    {
        if (m_sandbox)
            m_sandbox->setRate(perSecond);
    }

    void restartPeer(const QString &fspId, int downMs)
    {
        if (!m_sandbox)
            return;
        if (auto r = m_sandbox->crashAndRestartConnector(fspId, downMs); !r)
            emit message(r.error().message);
    }

    QList<HubPosition> positions() const
    {
        return m_sandbox ? m_sandbox->hubPositions() : QList<HubPosition> {};
    }

signals:
    void started(const QList<Pm::Services::Listener> &listeners, const QStringList &stores,
        const QString &dataDir, const QString &ourFspId);
    void startFailed(const QString &why);
    void stopped(const QString &why);
    void transferFinished(const Pm::Services::TransferOutcome &outcome);
    void countersChanged(const Pm::Services::TransferCounters &counters);
    void trafficFinished(bool allExpected);
    void message(const QString &line);

private:
    std::unique_ptr<Sandbox> m_sandbox;
};

void ServiceHost::ThreadStopper::operator()(QThread *thread) const
{
    thread->quit();
    thread->wait();
    delete thread;
}

ServiceHost::ServiceHost(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Pm::Services::EnvironmentState>();
    qRegisterMetaType<Pm::Services::Listener>();
    qRegisterMetaType<QList<Pm::Services::Listener>>();
    qRegisterMetaType<Pm::Services::TransferCounters>();
    qRegisterMetaType<Pm::Services::TransferOutcome>();
    qRegisterMetaType<Pm::Services::HubPosition>();
}

ServiceHost::~ServiceHost()
{
    stopAndWait();
}

void ServiceHost::setState(EnvironmentState state, const QString &detail)
{
    m_state = state;
    emit stateChanged(state, detail);
}

void ServiceHost::startSandbox(const SandboxOptions &options)
{
    if (m_state != EnvironmentState::Stopped && m_state != EnvironmentState::Failed)
        return;
    m_thread.reset(new QThread);
    m_thread->setObjectName(u"pm-services"_s);
    m_worker = new SandboxWorker;
    m_worker->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);
    SandboxWorker *w = m_worker;
    connect(w, &SandboxWorker::started, this,
        [this](const QList<Listener> &listeners, const QStringList &stores, const QString &dataDir,
            const QString &ourFspId) {
            m_listeners = listeners;
            m_storePaths = stores;
            m_dataDir = dataDir;
            m_ourFspId = ourFspId;
            emit listenersChanged(m_listeners);
            emit storePathsChanged(m_storePaths);
            setState(EnvironmentState::Running, u"Sandbox running"_s);
        });
    connect(w, &SandboxWorker::startFailed, this, [this](const QString &why) {
        m_lastError = why;
        m_thread.reset();
        m_worker = nullptr;
        m_environment.clear();
        setState(EnvironmentState::Failed, why);
    });
    connect(w, &SandboxWorker::stopped, this, [this](const QString &why) {
        m_thread.reset();
        m_worker = nullptr;
        m_listeners.clear();
        emit listenersChanged(m_listeners);
        m_environment.clear();
        if (why.isEmpty()) {
            setState(EnvironmentState::Stopped, u"stopped"_s);
        } else {
            m_lastError = why;
            setState(EnvironmentState::Failed, why);
        }
    });
    connect(w, &SandboxWorker::transferFinished, this, &ServiceHost::transferFinished);
    connect(w, &SandboxWorker::countersChanged, this, [this](const TransferCounters &c) {
        m_counters = c;
        emit countersChanged(c);
    });
    connect(w, &SandboxWorker::trafficFinished, this, &ServiceHost::trafficFinished);
    connect(w, &SandboxWorker::message, this, &ServiceHost::message);
    m_thread->start();
    m_environment = u"Sandbox"_s;
    m_lastError.clear();
    m_counters = {};
    setState(EnvironmentState::Starting, u"starting the Sandbox"_s);
    QMetaObject::invokeMethod(w, [w, options] { w->start(options); });
}

void ServiceHost::stop()
{
    if (!m_worker || m_state == EnvironmentState::Stopping)
        return;
    setState(EnvironmentState::Stopping, u"stopping"_s);
    SandboxWorker *w = m_worker;
    QMetaObject::invokeMethod(w, [w] { w->stop(); });
}

void ServiceHost::stopAndWait()
{
    if (!m_worker)
        return;
    SandboxWorker *w = m_worker;
    // Stop on the service thread and wait for it; the worker's queued signals are dropped with it.
    QMetaObject::invokeMethod(
        w,
        [w] {
            w->blockSignals(true);
            w->stop();
        },
        Qt::BlockingQueuedConnection);
    m_thread.reset();
    m_worker = nullptr;
    m_listeners.clear();
    m_environment.clear();
    if (m_state != EnvironmentState::Failed)
        setState(EnvironmentState::Stopped, u"stopped"_s);
}

void ServiceHost::setRate(double perSecond)
{
    if (!m_worker)
        return;
    SandboxWorker *w = m_worker;
    QMetaObject::invokeMethod(w, [w, perSecond] { w->setRate(perSecond); });
}

void ServiceHost::restartPeerConnector(const QString &fspId, int downMs)
{
    if (!m_worker)
        return;
    SandboxWorker *w = m_worker;
    QMetaObject::invokeMethod(w, [w, fspId, downMs] { w->restartPeer(fspId, downMs); });
}

QList<HubPosition> ServiceHost::hubPositions() const
{
    if (!m_worker)
        return {};
    QList<HubPosition> out;
    SandboxWorker *w = m_worker;
    QMetaObject::invokeMethod(
        w, [w, &out] { out = w->positions(); }, Qt::BlockingQueuedConnection);
    return out;
}

} // namespace Pm::Services

#include "servicehost.moc"
