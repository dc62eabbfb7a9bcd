#include "core/fspiop/amount.h"
