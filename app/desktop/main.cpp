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
#include "ui/services/sandboxbinding.h"
#endif

using namespace Qt::StringLiterals;

namespace {

/** The translation context of the application's own texts. */
class Desktop
{
    Q_DECLARE_TR_FUNCTIONS(Desktop)
};

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
        Pm::Ui::bindEnvironment(host, window);
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
