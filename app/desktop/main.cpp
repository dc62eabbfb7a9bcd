#include "ui/data/storeaccess.h"
#include "ui/widgets/healthpage.h"
#include "ui/widgets/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QLocale>
#include <QMessageBox>
#include <QProcess>
#include <QSettings>
#include <QTranslator>

#ifdef PM_HAVE_SERVICES
#include "core/services/servicehost.h"
#endif

using namespace Qt::StringLiterals;

namespace {

/** The translation context of the application's own texts. */
class Desktop
{
    Q_DECLARE_TR_FUNCTIONS(Desktop)
};

#ifdef PM_HAVE_SERVICES
QString stateText(Pm::Services::EnvironmentState state)
{
    switch (state) {
    case Pm::Services::EnvironmentState::Stopped:
        return Desktop::tr("stopped");
    case Pm::Services::EnvironmentState::Starting:
        return Desktop::tr("starting");
    case Pm::Services::EnvironmentState::Running:
        return Desktop::tr("running");
    case Pm::Services::EnvironmentState::Stopping:
        return Desktop::tr("stopping");
    case Pm::Services::EnvironmentState::Failed:
        return Desktop::tr("failed");
    }
    return {};
}

/** Shows the Sandbox in the window: environment text, health rows, and its store once it runs. */
void bindSandbox(Pm::Services::ServiceHost &host, Pm::Ui::MainWindow &window)
{
    using Pm::Services::EnvironmentState;
    using Pm::Ui::HealthState;
    auto environmentText = [&host] {
        const Pm::Services::TransferCounters c = host.counters();
        QString text = Desktop::tr("Sandbox: %1").arg(stateText(host.state()));
        if (host.state() == EnvironmentState::Running) {
            const QLocale locale;
            text += Desktop::tr(" — %1 transfers, %2 successful, %3 failed, %4/s")
                        .arg(locale.toString(c.started), locale.toString(c.ok),
                            locale.toString(c.failed), locale.toString(c.ratePerSecond, 'f', 1));
        }
        return text;
    };
    QObject::connect(&host, &Pm::Services::ServiceHost::stateChanged, &window,
        [&host, &window, environmentText](EnvironmentState state, const QString &detail) {
            window.setEnvironmentText(environmentText());
            const QDateTime now = QDateTime::currentDateTime();
            Pm::Ui::HealthPage *health = window.healthPage();
            if (state == EnvironmentState::Failed) {
                health->setService({ Desktop::tr("Environment"), HealthState::Failed,
                    host.lastError().isEmpty() ? detail : host.lastError(), now });
            } else if (state == EnvironmentState::Running) {
                health->setService({ Desktop::tr("Environment"), HealthState::Ok,
                    Desktop::tr("Sandbox running"), now });
                health->setService({ Desktop::tr("JWS keys"), HealthState::Ok,
                    QDir(host.dataDir()).filePath(u"jwskeys"_s), now });
                health->setService({ Desktop::tr("Certificates"), HealthState::NotConfigured,
                    Desktop::tr("the Sandbox runs without TLS"), now });
                window.setJwsKeysDirectory(QDir(host.dataDir()).filePath(u"jwskeys"_s));
            } else {
                health->setService(
                    { Desktop::tr("Environment"), HealthState::Warning, stateText(state), now });
            }
        });
    QObject::connect(&host, &Pm::Services::ServiceHost::countersChanged, &window,
        [&window, environmentText] { window.setEnvironmentText(environmentText()); });
    QObject::connect(&host, &Pm::Services::ServiceHost::listenersChanged, &window,
        [&host, &window](const QList<Pm::Services::Listener> &listeners) {
            const QString us = host.ourFspId();
            const QList<std::pair<QString, QString>> rows = { { u"hub"_s, Desktop::tr("Hub") },
                { us + u".inbound"_s, Desktop::tr("Inbound server") },
                { us + u".outbound"_s, Desktop::tr("Outbound server") },
                { us + u".backend"_s, Desktop::tr("Core connector") },
                { us + u".corebank"_s, Desktop::tr("Core banking system") } };
            for (const auto &[name, title] : rows) {
                auto it = std::ranges::find(listeners, name, &Pm::Services::Listener::name);
                if (it == listeners.end())
                    continue;
                window.healthPage()->setService({ title, Pm::Ui::HealthState::Ok,
                    Desktop::tr("listening on %1:%2").arg(it->host).arg(it->port),
                    QDateTime::currentDateTime() });
            }
        });
    QObject::connect(&host, &Pm::Services::ServiceHost::storePathsChanged, &window,
        [&window](const QStringList &paths) {
            if (!paths.isEmpty() && !window.storeAccess())
                window.openStore(paths.first());
        });
}
#endif

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"Payment Manager"_s);
    QApplication::setOrganizationName(u"PaymentManager"_s);
    QApplication::setApplicationVersion(QStringLiteral(PM_VERSION));

    // Language: the setting wins, else the system locale. Translations are compiled in.
    const QSettings settings;
    const QString language = settings.value(u"ui/language"_s).toString();
    const QLocale locale = language.isEmpty() ? QLocale() : QLocale(language);
    QTranslator translator;
    if (translator.load(locale, u"paymentmanager"_s, u"_"_s, u":/i18n"_s))
        QApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        Desktop::tr("Payment Manager: monitors and inspects the transfers of a DFSP."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption storeOption(u"store"_s,
        Desktop::tr(
            "Show the transfer record (SQLite file) <path> instead of starting the Sandbox."),
        u"path"_s);
    const QCommandLineOption noSandboxOption(
        u"no-sandbox"_s, Desktop::tr("Do not start the Sandbox."));
    const QCommandLineOption rateOption(u"rate"_s,
        Desktop::tr("Sandbox transfers per second (default 2)."), u"perSecond"_s, u"2"_s);
    parser.addOption(storeOption);
    parser.addOption(noSandboxOption);
    parser.addOption(rateOption);
    parser.process(app);
    bool rateOk = false;
    const double rate = parser.value(rateOption).toDouble(&rateOk);
    if (!rateOk || rate < 0) {
        fprintf(stderr, "%s\n",
            qPrintable(Desktop::tr("--rate: '%1' is not a number of transfers per second")
                           .arg(parser.value(rateOption))));
        return 2;
    }

    Pm::Ui::MainWindow window;
    QObject::connect(&window, &Pm::Ui::MainWindow::languageChanged, &window, [&window] {
        const auto answer = QMessageBox::question(&window, Pm::Ui::MainWindow::tr("Language"),
            Pm::Ui::MainWindow::tr("Restart Payment Manager now to use the new language?"));
        if (answer != QMessageBox::Yes)
            return;
        QProcess::startDetached(
            QApplication::applicationFilePath(), QApplication::arguments().mid(1));
        QApplication::quit();
    });

#ifdef PM_HAVE_SERVICES
    Pm::Services::ServiceHost host;
#endif
    if (parser.isSet(storeOption)) {
        window.openStore(parser.value(storeOption));
    } else if (!parser.isSet(noSandboxOption)) {
#ifdef PM_HAVE_SERVICES
        bindSandbox(host, window);
        Pm::Services::SandboxOptions options;
        options.rate = rate;
        host.startSandbox(options);
#endif
    }
    window.show();
    const int code = QApplication::exec();
#ifdef PM_HAVE_SERVICES
    // The window (and its store readers) goes before the environment stops.
    window.setStoreAccess(nullptr);
    host.stopAndWait();
#endif
    return code;
}
