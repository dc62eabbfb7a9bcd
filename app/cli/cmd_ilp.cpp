#include "app/cli/cli.h"

using namespace Qt::StringLiterals;

namespace Pm::Cli {

int runIlp(const QStringList &args, Io io)
{
    Q_UNUSED(args);
    return failWith(io, ExitBadUsage, u"ilp: not built yet"_s);
}

} // namespace Pm::Cli
