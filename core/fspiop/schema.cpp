#include "core/fspiop/schema.h"
