#include <string>
#include <vector>

#include "ops/credentials.h"
#include "ops/operation.h"
#include "runtime/schema_guard.h"

namespace eventuall::ops {

const std::vector<OperationInfo>& operations() {
  static const std::vector<OperationInfo> registry = [] {
    std::vector<OperationInfo> all;
    for (auto area : {identity_operations, accounts_operations, events_operations,
                      rbac_operations, orders_operations, recording_operations}) {
      for (const auto& op : area()) all.push_back(op);
    }
    return all;
  }();
  return registry;
}

const OperationInfo* find_operation(std::string_view name) {
  for (const auto& op : operations()) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

std::size_t max_input_bytes(std::string_view name) {
  const OperationInfo* op = find_operation(name);
  return op ? op->max_input_bytes : kMaxInputBytes;
}

namespace {

// schema_mismatch when a batch carrying the schema guard failed and
// d1_migrations differs from this build's; else outcome.
runtime::Task<Result<Json>> settle_schema(Context& ctx, Result<Json> outcome) {
  for (auto db : {sql::Database::kWebapp, sql::Database::kWorkers}) {
    if (!ctx.schema_unconfirmed(db)) continue;
    Status schema = co_await runtime::check_schema(ctx, db);
    if (!schema.ok()) co_return schema.error();
  }
  co_return outcome;
}

}  // namespace

OperationTask dispatch(Context& ctx, std::string name, std::string input_text) {
  const OperationInfo* op = find_operation(name);
  if (!op) {
    co_return Error::invalid_input("unknown operation '" + name.substr(0, 64) + "'");
  }
  if (input_text.size() > op->max_input_bytes) {
    co_return Error::invalid_input("input larger than " + std::to_string(op->max_input_bytes) +
                                   " bytes");
  }
  auto input = parse_json(input_text.empty() ? std::string_view("{}") : input_text);
  if (!input.ok()) co_return input.take_error();
  Json value = std::move(input).value();
  Json auth;
  if (auto it = value.is_object() ? value.find("auth") : value.end(); it != value.end()) {
    auth = std::move(*it);
    value.erase(it);
    Status acting = co_await act_for_credential(ctx, *op, auth, value);
    if (!acting.ok()) {
      Result<Json> refused = acting.error();
      co_return co_await settle_schema(ctx, std::move(refused));
    }
  }
  Result<Json> outcome = co_await op->run(ctx, std::move(value));
  // The guards' failure paths (one more batch each, only when a guard did
  // not see a batch of its own succeed): a schema mismatch answers first.
  outcome = co_await settle_schema(ctx, std::move(outcome));
  if (!outcome.ok() && outcome.error().code() == ErrorCode::kSchemaMismatch) co_return outcome;
  co_return co_await settle_credential(ctx, *op, std::move(auth), std::move(outcome));
}

}  // namespace eventuall::ops
