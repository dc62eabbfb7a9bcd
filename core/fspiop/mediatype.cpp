#include "core/fspiop/mediatype.h"
