#include "core/fspiop/headers.h"
