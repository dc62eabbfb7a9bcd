#include "core/fspiop/json.h"
