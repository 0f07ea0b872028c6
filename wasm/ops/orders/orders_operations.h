#pragma once
#include "ops/operation.h"

namespace eventuall::ops {}  // namespace eventuall::ops
