#include "client.h"

#include <chrono>
#include <random>

#include "ops/operation.h"
#include "runtime/execution.h"
#include "runtime/outcome.h"

namespace eventuall::sqlite {

namespace {

crypto::Seed os_seed() {
  std::random_device device;
  crypto::Seed seed;
  for (std::size_t i = 0; i < seed.size(); i += 4) {
    const std::uint32_t word = device();
    for (std::size_t b = 0; b < 4; ++b) seed[i + b] = static_cast<std::uint8_t>(word >> (8 * b));
  }
  return seed;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

crypto::Seed Client::next_seed() {
  if (!seeds_) seeds_.emplace(os_seed());
  crypto::Seed seed;
  seeds_->fill(seed.data(), seed.size());
  return seed;
}

Result<Json> Client::run(std::string_view operation, std::string_view input_json) {
  runtime::Execution execution(instance_, next_seed(), now_ms());
  execution.start(ops::dispatch(execution.context(), std::string(operation),
                                std::string(input_json)));
  while (execution.waiting()) {
    const sql::Batch& batch = execution.pending_batch();
    SqliteDatabase& db = batch.database == sql::Database::kWebapp ? webapp_ : workers_;
    execution.resume(db.run_batch(batch.statements));
  }
  return execution.take_outcome();
}

Result<Json> Client::call(std::string_view operation, std::string_view input_json) {
  Result<Json> outcome = run(operation, input_json);
  if (outcome.ok()) expand_raw_json(*outcome);
  return outcome;
}

std::string Client::call_text(std::string_view operation, std::string_view input_json) {
  return runtime::outcome_text(run(operation, input_json));
}

}  // namespace eventuall::sqlite
