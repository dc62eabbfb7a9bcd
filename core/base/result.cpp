#include "core/base/result.h"

namespace Pm {

QString toOneLine(const Error &error)
{
    if (error.detail.isEmpty())
        return error.message;
    return error.message + QStringLiteral(": ") + error.detail;
}

} // namespace Pm
