#include "core/fspiop/jws.h"
