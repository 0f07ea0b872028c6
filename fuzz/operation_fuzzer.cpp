// libFuzzer target over the operation boundary, natively: the input's first
// line is an operation name, the rest is its JSON input text (no newline:
// the whole input is the name, the input "{}"). Each run goes through the
// native Client against in-memory migrated and seeded databases that are
// reused across runs (and rebuilt every kRunsPerEnvironment runs so they stay
// small). Any outcome other than ok or a caller's error (invalid_input,
// not_found, conflict, forbidden, unauthenticated) is a crash: internal is our
// bug and db_error a statement the database refused, neither an answer to an
// input. So is any sanitizer report, and an ok answer off the shape its
// operation's contract declares (ops/contract.h).
//
//   build/sanitize/eventuall_operation_fuzzer build/sanitize/fuzz_corpus fuzz/corpus
// (fuzz/make_corpus.mjs writes the seed corpus from the fixtures.)
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "ops/operation.h"
#include "sqlite/fixture.h"

namespace {

using namespace eventuall;

constexpr std::size_t kRunsPerEnvironment = 20000;

std::optional<sqlite::FixtureEnvironment> environment;
std::size_t runs = 0;

sqlite::FixtureEnvironment& fresh_environment() {
  if (!environment || runs++ % kRunsPerEnvironment == 0) {
    environment.reset();
    auto opened = sqlite::open_fixture_environment(
        Json::object(), std::string(EVENTUALL_SOURCE_DIR) + "/migrations");
    if (!opened.ok()) {
      std::fprintf(stderr, "cannot open databases: %s\n", opened.error().message().c_str());
      __builtin_trap();
    }
    environment.emplace(std::move(opened).value());
  }
  return *environment;
}

// ok with a value, or not ok with a caller's error code and a message.
bool well_formed(const std::string& outcome_text) {
  static const std::set<std::string> codes = {"invalid_input", "not_found", "conflict",
                                              "forbidden", "unauthenticated"};
  auto outcome = parse_json(outcome_text);
  if (!outcome.ok() || !outcome->is_object()) return false;
  auto ok = outcome->find("ok");
  if (ok == outcome->end() || !ok->is_boolean()) return false;
  if (ok->get<bool>()) return outcome->contains("value");
  auto error = outcome->find("error");
  if (error == outcome->end() || !error->is_object()) return false;
  auto code = error->find("code");
  auto message = error->find("message");
  return code != error->end() && code->is_string() && codes.count(code->get<std::string>()) &&
         message != error->end() && message->is_string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = text.find('\n');
  const std::string_view name = text.substr(0, newline);
  const std::string_view input =
      newline == std::string_view::npos ? "{}" : text.substr(newline + 1);
  const std::string outcome = fresh_environment().client->call_text(name, input);
  if (!well_formed(outcome)) {
    std::fprintf(stderr, "malformed outcome for %.*s: %s\n", static_cast<int>(name.size()),
                 name.data(), outcome.c_str());
    __builtin_trap();
  }
  // An answer is shaped as its operation's contract declares (ops/contract.h).
  if (const auto* op = ops::find_operation(name); op && op->contract) {
    auto parsed = parse_json(outcome);
    if (parsed->value("ok", false)) {
      if (auto problem = ops::contract::check_output(op->contract().output, (*parsed)["value"])) {
        std::fprintf(stderr, "%.*s answered off its contract: %s\n", static_cast<int>(name.size()),
                     name.data(), problem->c_str());
        __builtin_trap();
      }
    }
  }
  return 0;
}
