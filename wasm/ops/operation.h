#pragma once
// Every operation has this shape: it reads its JSON input, asks for as few
// atomic batches as the data allows (one is the target), and returns JSON or
// an Error with a stable code.

#include <string_view>

#include "common/json.h"
#include "ops/contract.h"
#include "runtime/context.h"
#include "runtime/execution.h"

namespace eventuall::ops {

using runtime::Context;
using runtime::OperationTask;

using OperationFn = OperationTask (*)(Context& ctx, Json input);

// Largest JSON input an operation accepts, in bytes, unless it says otherwise.
inline constexpr std::size_t kMaxInputBytes = 1 << 20;
// The bulk writes' (append_logs, append_stage_events): 10,000 items of about
// 200 bytes. What bounds it is memory, not D1 (each statement stays within
// D1's 100 parameters and 100 KB, each value within its 2 MB): the text, its
// parsed JSON, the rows and the batch are held at once, so a call grows the
// wasm instance's linear memory to 10-20 times its input (measured: 1.5 MB ->
// 28 MiB, 4 MB -> 46 MiB), never given back, and the instance is shared by
// every request of the isolate (128 MB for a Worker).
inline constexpr std::size_t kMaxBulkInputBytes = 2 << 20;

// Who may run an operation, declared once beside it in its area's list and
// enforced by dispatch for every caller that passes a credential (`auth`).
//   kTrusted  administrative: only a caller with no credential (its backend)
//   kPublic   anyone, credentials or not (the body may carry its own secret)
//   kActor    an authenticated user, who becomes actorUserId; the operation
//             checks what that actor may do (ownership, grants)
//   kSelf     a user acting on themselves: input[self_field] must be their id
//             (filled in when absent, if fill)
// scope: what an API key must hold to run it (kActor and kSelf).
// declared: made by one of the policy:: helpers (an entry without a policy is
// refused, by name, by tests/native/authorization_matrix_test.cpp).
// key_scopes: the operation reads an API key's own scopes (ctx.credential()),
// so a key is authenticated in a batch of its own before it runs
// (ops/credentials.h: the slow path).
struct Policy {
  enum class Access { kTrusted, kPublic, kActor, kSelf };
  Access access = Access::kTrusted;
  std::string_view scope;
  std::string_view self_field;
  bool fill = true;
  bool declared = false;
  bool key_scopes = false;
};

namespace policy {
constexpr Policy trusted() { return {Policy::Access::kTrusted, {}, {}, true, true}; }
constexpr Policy open() { return {Policy::Access::kPublic, {}, {}, true, true}; }
constexpr Policy actor(std::string_view scope) {
  return {Policy::Access::kActor, scope, {}, true, true};
}
constexpr Policy self(std::string_view field, std::string_view scope, bool fill = true) {
  return {Policy::Access::kSelf, scope, field, fill, true};
}
constexpr Policy reading_key_scopes(Policy policy) {
  policy.key_scopes = true;
  return policy;
}
}  // namespace policy

// contract: the shapes of its input and answer, declared at the top of the
// operation's file (ops/contract.h); an entry without one is refused, by
// name, by tests/native/contract_test.cpp.
struct OperationInfo {
  std::string_view name;
  OperationFn run;
  Policy policy;
  contract::ContractFn contract = nullptr;
  std::size_t max_input_bytes = kMaxInputBytes;
};

// The registry, in a stable order: every area's list (declared in its own
// <area>/<area>_operations.h) concatenated. The JS shim derives its methods
// from these names (sign_up -> signUp).
const std::vector<OperationInfo>& operations();
const OperationInfo* find_operation(std::string_view name);
// The input cap of `name`; kMaxInputBytes for a name that is no operation.
std::size_t max_input_bytes(std::string_view name);

// The root task of an Execution: checks the name and the JSON text, then runs
// the operation. Every failure comes back as an Error, never an abort.
//
// An input carrying `auth` — {"sessionToken": t}, {"apiKey": k}, {"user": id}
// (a user the trusted caller authenticated itself) or {"anonymous": true} — is
// run for that credential: dispatch authenticates it (inside the operation's
// first batch, or in one of its own: ops/credentials.h), applies the
// operation's Policy (a key's scope included), sets actorUserId to the
// authenticated user (replacing any given) and records the credential on the
// Context. Without `auth` the caller is trusted.
//
// Every batch also carries the schema guard until the instance has seen it
// hold (runtime/schema_guard.h): a database whose d1_migrations differs from
// this build's migrations answers schema_mismatch.
OperationTask dispatch(Context& ctx, std::string name, std::string input_text);

// Each area lists its operations; one file per area, so areas grow apart.
std::vector<OperationInfo> identity_operations();
std::vector<OperationInfo> accounts_operations();
std::vector<OperationInfo> events_operations();
std::vector<OperationInfo> rbac_operations();
std::vector<OperationInfo> orders_operations();
std::vector<OperationInfo> recording_operations();

}  // namespace eventuall::ops
