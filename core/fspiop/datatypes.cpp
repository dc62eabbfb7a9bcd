#include "core/fspiop/datatypes.h"
