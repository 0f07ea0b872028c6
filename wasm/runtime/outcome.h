#pragma once
// The JSON text an operation's outcome crosses a boundary as, on both paths:
//   {"ok":true,"value":...}  or  {"ok":false,"error":{"code":"...","message":"..."}}

#include <string>

#include "common/json.h"
#include "common/status.h"

namespace eventuall::runtime {

std::string outcome_text(const Result<Json>& outcome);

}  // namespace eventuall::runtime
