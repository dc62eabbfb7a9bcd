#include "ui/widgets/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QMessageBox>
#include <QProcess>
#include <QSettings>
#include <QTranslator>

using namespace Qt::StringLiterals;

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
    parser.setApplicationDescription(QApplication::translate(
        "main", "Payment Manager: monitors and inspects the transfers of a DFSP."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption storeOption(u"store"_s,
        QApplication::translate("main", "Show the transfer record (SQLite file) <path>."),
        u"path"_s);
    parser.addOption(storeOption);
    parser.process(app);

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
    if (parser.isSet(storeOption))
        window.openStore(parser.value(storeOption));
    window.show();
    return QApplication::exec();
}
