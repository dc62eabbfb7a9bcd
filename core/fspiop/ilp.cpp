#include "core/fspiop/ilp.h"
