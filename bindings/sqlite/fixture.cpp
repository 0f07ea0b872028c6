#include "fixture.h"

#include <filesystem>

#include "client.h"
#include "migrations.h"
#include "ops/operation.h"

namespace eventuall::sqlite {

namespace {

// "$2.value.user.id" -> outcomes[2]["value"]["user"]["id"]
const Json* lookup_reference(const std::string& text, const std::vector<Json>& outcomes) {
  std::size_t pos = 1, step = 0;
  if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') return nullptr;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') step = step * 10 + (text[pos++] - '0');
  if (step >= outcomes.size()) return nullptr;
  const Json* node = &outcomes[step];
  while (pos < text.size() && text[pos] == '.') {
    const std::size_t end = text.find('.', pos + 1);
    const std::string key = text.substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1);
    if (node->is_object()) {
      auto it = node->find(key);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array() && !key.empty() && key.find_first_not_of("0123456789") == std::string::npos) {
      const std::size_t index = std::stoul(key);
      if (index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else {
      return nullptr;
    }
    pos = end == std::string::npos ? text.size() : end;
  }
  return node;
}

crypto::Seed seed_from_hex(const std::string& hex) {
  crypto::Seed seed{};
  for (std::size_t i = 0; i < seed.size() && 2 * i + 1 < hex.size(); ++i) {
    seed[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  }
  return seed;
}

// Where outcome departs from the contract of `op`: an answer off its declared
// output, or an input the contract refuses that the operation did not refuse
// as invalid_input naming the same field (inputs with `auth` are left out:
// dispatch fills fields in). Operations that read with contract::read answer
// its very message; the others may word it their own way.
std::string contract_mismatch(const std::string& op, const Json& input, const Json& outcome) {
  const ops::OperationInfo* info = ops::find_operation(op);
  if (!info || !info->contract) return {};
  const auto& contract = info->contract();
  if (outcome.value("ok", false)) {
    auto problem = ops::contract::check_output(contract.output, outcome["value"]);
    if (problem) return "output " + *problem;
  }
  if (input.is_object() && input.contains("auth")) return {};
  auto read = ops::contract::read(contract.input, input);
  if (read.ok()) return {};
  const Json& error = outcome.value("error", Json::object());
  const std::string& expected = read.error().message();
  const std::string message = error.value("message", std::string());
  const std::string field = expected.substr(0, expected.find(' ') + 1);
  if (error.value("code", std::string()) == "invalid_input" && message.rfind(field, 0) == 0) {
    return {};
  }
  return "the contract refuses the input (" + read.error().message() +
         ") but the operation answered " + dump_json(outcome).substr(0, 300);
}

}  // namespace

Json resolve_references(const Json& value, const std::vector<Json>& outcomes) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text.size() > 1 && text[0] == '$') {
      if (const Json* found = lookup_reference(text, outcomes)) return *found;
    }
    return value;
  }
  if (value.is_object()) {
    Json out = Json::object();
    for (auto it = value.begin(); it != value.end(); ++it) out[it.key()] = resolve_references(*it, outcomes);
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const auto& item : value) out.push_back(resolve_references(item, outcomes));
    return out;
  }
  return value;
}

std::string subset_mismatch(const Json& expected, const Json& actual, const std::string& path) {
  const std::string where = path.empty() ? "outcome" : path;
  if (expected.is_object()) {
    if (!actual.is_object()) return where + ": expected an object, got " + dump_json(actual);
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      auto found = actual.find(it.key());
      if (found == actual.end()) return where + "." + it.key() + ": missing";
      std::string inner = subset_mismatch(*it, *found, where + "." + it.key());
      if (!inner.empty()) return inner;
    }
    return {};
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) {
      return where + ": expected " + std::to_string(expected.size()) + " items, got " + dump_json(actual);
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
      std::string inner = subset_mismatch(expected[i], actual[i], where + "[" + std::to_string(i) + "]");
      if (!inner.empty()) return inner;
    }
    return {};
  }
  if (expected != actual) return where + ": expected " + dump_json(expected) + ", got " + dump_json(actual);
  return {};
}

Result<FixtureEnvironment> open_fixture_environment(const Json& fixture,
                                                    const std::string& migrations_root) {
  auto webapp = SqliteDatabase::open(":memory:");
  auto workers = SqliteDatabase::open(":memory:");
  if (!webapp.ok()) return webapp.take_error();
  if (!workers.ok()) return workers.take_error();
  if (auto r = apply_migrations(**webapp, migrations_root + "/webapp"); !r.ok()) return r.take_error();
  if (auto r = apply_migrations(**workers, migrations_root + "/workers"); !r.ok()) return r.take_error();
  if (fixture.value("seed_data", true)) {
    if (Status s = apply_sql_file(**webapp, migrations_root + "/seeds/account_user.sql"); !s.ok()) {
      return s.error();
    }
  }
  FixtureEnvironment env{std::move(webapp).value(), std::move(workers).value(), nullptr};
  env.client = std::make_unique<Client>(*env.webapp, *env.workers);
  env.client->set_deterministic_for_testing(seed_from_hex(fixture.value("seed", std::string(64, '0'))),
                                            fixture.value("startMs", std::int64_t{1767225600000}));
  return env;
}

Json fixture_steps(const Json& fixture) { return fixture.value("steps", Json::array()); }

Json step_input(const Json& step, const std::vector<Json>& outcomes) {
  return resolve_references(step.value("input", Json::object()), outcomes);
}

Result<FixtureRun> run_fixture(const Json& fixture, const std::string& migrations_root) {
  auto env = open_fixture_environment(fixture, migrations_root);
  if (!env.ok()) return env.take_error();
  FixtureRun run;
  const Json steps = fixture_steps(fixture);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Json& step = steps[i];
    const std::string op = step.value("op", std::string());
    const Json input = step_input(step, run.outcomes);
    auto parsed = parse_json(env->client->call_text(op, dump_json(input)));
    if (!parsed.ok()) return parsed.take_error();
    run.outcomes.push_back(std::move(parsed).value());
    if (std::string m = contract_mismatch(op, input, run.outcomes.back()); !m.empty()) {
      run.failures.push_back("step " + std::to_string(i) + " (" + op + "): contract: " + m);
    }
    if (step.contains("expect")) {
      const Json expected = resolve_references(step["expect"], run.outcomes);
      std::string mismatch = subset_mismatch(expected, run.outcomes.back());
      if (!mismatch.empty()) {
        run.failures.push_back("step " + std::to_string(i) + " (" + op + "): " + mismatch);
      }
    }
  }
  auto webapp = env->webapp->snapshot_for_testing();
  if (!webapp.ok()) return webapp.take_error();
  auto workers = env->workers->snapshot_for_testing();
  if (!workers.ok()) return workers.take_error();
  run.webapp_image = std::move(webapp).value();
  run.workers_image = std::move(workers).value();
  return run;
}

}  // namespace eventuall::sqlite
