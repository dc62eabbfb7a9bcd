#include "ui/widgets/mainwindow.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Payment Manager"));
    QApplication::setOrganizationName(QStringLiteral("PaymentManager"));
    QApplication::setApplicationVersion(QStringLiteral(PM_VERSION));

    // Language: the setting wins, else the system locale. Translations are compiled in.
    const QSettings settings;
    const QString language = settings.value(QStringLiteral("ui/language")).toString();
    const QLocale locale = language.isEmpty() ? QLocale() : QLocale(language);
    QTranslator translator;
    if (translator.load(locale, QStringLiteral("paymentmanager"), QStringLiteral("_"),
                        QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    Pm::Ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
