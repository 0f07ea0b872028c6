#pragma once
// The native way to run operations: the same core as the wasm build, with each
// batch run synchronously as one SQLite transaction.

#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "runtime/context.h"
#include "sqlite_database.h"

namespace eventuall::sqlite {

class Client {
 public:
  Client(SqliteDatabase& webapp, SqliteDatabase& workers) : webapp_(webapp), workers_(workers) {}

  // The outcome's value decoded throughout (list pages SQLite wrote as JSON
  // text included: see raw_json in common/json.h).
  Result<Json> call(std::string_view operation, std::string_view input_json);
  // The outcome as the JSON text the wasm build returns for the same call.
  std::string call_text(std::string_view operation, std::string_view input_json);

  // Test-only: deterministic seeds and clock (see DeterministicForTesting).
  void set_deterministic_for_testing(const crypto::Seed& seed, std::int64_t start_ms) {
    instance_.testing.enable(seed, start_ms);
  }
  // Test-only: the id generator and deterministic streams, so a test can save
  // and restore them around a call it wants to repeat identically.
  runtime::InstanceState& instance_state_for_testing() { return instance_; }

 private:
  SqliteDatabase& webapp_;
  SqliteDatabase& workers_;
  crypto::Seed next_seed();
  // The outcome as the core returns it: list pages still raw JSON text.
  Result<Json> run(std::string_view operation, std::string_view input_json);

  runtime::InstanceState instance_;
  // Per-operation seeds come from this stream, keyed once from the OS: one
  // getrandom per client instead of several per operation.
  std::optional<crypto::Random> seeds_;
};

}  // namespace eventuall::sqlite
