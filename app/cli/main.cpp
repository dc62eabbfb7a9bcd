#include "app/cli/cli.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pm-connector"));
    QCoreApplication::setOrganizationName(QStringLiteral("PaymentManager"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PM_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    return Pm::Cli::run(args, Pm::Cli::Io{out, err});
}
