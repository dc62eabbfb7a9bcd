#include "ui/services/sandboxbinding.h"

#include "core/services/servicehost.h"
#include "ui/data/storeaccess.h"
#include "ui/widgets/healthpage.h"
#include "ui/widgets/mainwindow.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QLocale>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pm::Ui {

namespace {

/** The translation context of the environment's texts. */
class SandboxTexts
{
    Q_DECLARE_TR_FUNCTIONS(Pm::Ui::SandboxTexts)
};

} // namespace

QString environmentStateText(Services::EnvironmentState state)
{
    switch (state) {
    case Pm::Services::EnvironmentState::Stopped:
        return SandboxTexts::tr("stopped");
    case Pm::Services::EnvironmentState::Starting:
        return SandboxTexts::tr("starting");
    case Pm::Services::EnvironmentState::Running:
        return SandboxTexts::tr("running");
    case Pm::Services::EnvironmentState::Stopping:
        return SandboxTexts::tr("stopping");
    case Pm::Services::EnvironmentState::Failed:
        return SandboxTexts::tr("failed");
    }
    return {};
}

void bindEnvironment(Services::ServiceHost &host, MainWindow &window)
{
    using Pm::Services::EnvironmentState;
    auto environmentText = [&host] {
        const Pm::Services::TransferCounters c = host.counters();
        QString text = SandboxTexts::tr("Sandbox: %1").arg(environmentStateText(host.state()));
        if (host.state() == EnvironmentState::Running) {
            const QLocale locale;
            text += SandboxTexts::tr(" — %1 transfers, %2 successful, %3 failed, %4/s")
                        .arg(locale.toString(c.started), locale.toString(c.ok),
                            locale.toString(c.failed), locale.toString(c.ratePerSecond, 'f', 1));
        }
        return text;
    };
    QObject::connect(&host, &Pm::Services::ServiceHost::stateChanged, &window,
        [&host, &window, environmentText](EnvironmentState state, const QString &detail) {
            window.setEnvironmentText(environmentText());
            const QDateTime now = QDateTime::currentDateTime();
            HealthPage *health = window.healthPage();
            if (state == EnvironmentState::Failed) {
                health->setService({ SandboxTexts::tr("Environment"), HealthState::Failed,
                    host.lastError().isEmpty() ? detail : host.lastError(), now });
            } else if (state == EnvironmentState::Running) {
                health->setService({ SandboxTexts::tr("Environment"), HealthState::Ok,
                    SandboxTexts::tr("Sandbox running"), now });
                health->setService({ SandboxTexts::tr("JWS keys"), HealthState::Ok,
                    QDir(host.dataDir()).filePath(u"jwskeys"_s), now });
                health->setService({ SandboxTexts::tr("Certificates"), HealthState::NotConfigured,
                    SandboxTexts::tr("the Sandbox runs without TLS"), now });
                window.setJwsKeysDirectory(QDir(host.dataDir()).filePath(u"jwskeys"_s));
            } else {
                health->setService({ SandboxTexts::tr("Environment"), HealthState::Warning,
                    environmentStateText(state), now });
            }
        });
    QObject::connect(&host, &Pm::Services::ServiceHost::countersChanged, &window,
        [&window, environmentText] { window.setEnvironmentText(environmentText()); });
    QObject::connect(&host, &Pm::Services::ServiceHost::listenersChanged, &window,
        [&host, &window](const QList<Pm::Services::Listener> &listeners) {
            const QString us = host.ourFspId();
            const QList<std::pair<QString, QString>> rows = { { u"hub"_s, SandboxTexts::tr("Hub") },
                { us + u".inbound"_s, SandboxTexts::tr("Inbound server") },
                { us + u".outbound"_s, SandboxTexts::tr("Outbound server") },
                { us + u".backend"_s, SandboxTexts::tr("Core connector") },
                { us + u".corebank"_s, SandboxTexts::tr("Core banking system") } };
            for (const auto &[name, title] : rows) {
                auto it = std::ranges::find(listeners, name, &Pm::Services::Listener::name);
                if (it == listeners.end())
                    continue;
                window.healthPage()->setService({ title, HealthState::Ok,
                    SandboxTexts::tr("listening on %1:%2").arg(it->host).arg(it->port),
                    QDateTime::currentDateTime() });
            }
        });
    QObject::connect(&host, &Pm::Services::ServiceHost::storePathsChanged, &window,
        [&window](const QStringList &paths) {
            if (!paths.isEmpty() && !window.storeAccess())
                window.openStore(paths.first());
        });
}

} // namespace Pm::Ui
