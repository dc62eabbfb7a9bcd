#include "app/cli/cli.h"

using namespace Qt::StringLiterals;

namespace Pm::Cli {

int runJws(const QStringList &args, Io io)
{
    Q_UNUSED(args);
    return failWith(io, ExitBadUsage, u"jws: not built yet"_s);
}

} // namespace Pm::Cli
