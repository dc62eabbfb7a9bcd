#pragma once

#include <QLoggingCategory>

namespace Pm::Net::Internal {
Q_DECLARE_LOGGING_CATEGORY(lcNet)
}
