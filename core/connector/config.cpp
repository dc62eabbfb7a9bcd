#include "core/connector/config.h"
