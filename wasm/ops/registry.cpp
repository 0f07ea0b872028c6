#include <string>
#include <vector>

#include "ops/operation.h"

namespace eventuall::ops {

const std::vector<OperationInfo>& operations() {
  static const std::vector<OperationInfo> registry = {
      {"sign_up", sign_up},
      {"get_user", get_user},
      {"create_event", create_event},
      {"get_event", get_event},
      {"list_account_events", list_account_events},
  };
  return registry;
}

const OperationInfo* find_operation(std::string_view name) {
  for (const auto& op : operations()) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

OperationTask dispatch(Context& ctx, std::string name, std::string input_text) {
  const OperationInfo* op = find_operation(name);
  if (!op) {
    co_return Error::invalid_input("unknown operation '" + name.substr(0, 64) + "'");
  }
  if (input_text.size() > kMaxInputBytes) {
    co_return Error::invalid_input("input larger than " + std::to_string(kMaxInputBytes) +
                                   " bytes");
  }
  auto input = parse_json(input_text.empty() ? std::string_view("{}") : input_text);
  if (!input.ok()) co_return input.take_error();
  co_return co_await op->run(ctx, std::move(input).value());
}

}  // namespace eventuall::ops
