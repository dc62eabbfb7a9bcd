#include "core/fspiop/errors.h"
