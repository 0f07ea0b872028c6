#pragma once
// Every operation has this shape: it reads its JSON input, asks for as few
// atomic batches as the data allows (one is the target), and returns JSON or
// an Error with a stable code.

#include <string_view>

#include "common/json.h"
#include "runtime/context.h"
#include "runtime/execution.h"

namespace eventuall::ops {

using runtime::Context;
using runtime::OperationTask;

using OperationFn = OperationTask (*)(Context& ctx, Json input);

struct OperationInfo {
  std::string_view name;
  OperationFn run;
};

// The registry, in a stable order: every area's list (declared in its own
// <area>/<area>_operations.h) concatenated. The JS shim derives its methods
// from these names (sign_up -> signUp).
const std::vector<OperationInfo>& operations();
const OperationInfo* find_operation(std::string_view name);

// Largest JSON input an operation accepts, in bytes.
inline constexpr std::size_t kMaxInputBytes = 1 << 20;

// The root task of an Execution: checks the name and the JSON text, then runs
// the operation. Every failure comes back as an Error, never an abort.
OperationTask dispatch(Context& ctx, std::string name, std::string input_text);

// Each area lists its operations; one file per area, so areas grow apart.
std::vector<OperationInfo> identity_operations();
std::vector<OperationInfo> accounts_operations();
std::vector<OperationInfo> events_operations();
std::vector<OperationInfo> rbac_operations();
std::vector<OperationInfo> orders_operations();
std::vector<OperationInfo> recording_operations();

}  // namespace eventuall::ops
