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

// The registry, in a stable order (the JS shim's typed methods follow it).
const std::vector<OperationInfo>& operations();
const OperationInfo* find_operation(std::string_view name);

// Largest JSON input an operation accepts, in bytes.
inline constexpr std::size_t kMaxInputBytes = 1 << 20;

// The root task of an Execution: checks the name and the JSON text, then runs
// the operation. Every failure comes back as an Error, never an abort.
OperationTask dispatch(Context& ctx, std::string name, std::string input_text);

// Identity
OperationTask sign_up(Context& ctx, Json input);
OperationTask get_user(Context& ctx, Json input);
// Events
OperationTask create_event(Context& ctx, Json input);
OperationTask get_event(Context& ctx, Json input);
OperationTask list_account_events(Context& ctx, Json input);

}  // namespace eventuall::ops
