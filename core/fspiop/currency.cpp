#include "core/fspiop/currency.h"
