// Guards: statements the runtime puts in front of an operation's batches.
// The schema guard fails a batch when d1_migrations is not exactly this
// build's migrations; the credential guard fails it when the session token or
// API key that names its user is not live (or lacks the scope). Either way
// nothing of the batch is written, and the success path costs no batch.
#include <chrono>
#include <string>
#include <vector>

#include "common/encoding.h"
#include "crypto/sha256.h"
#include "ops/operation.h"
#include "runtime/execution.h"
#include "runtime/schema_guard.h"
#include "test_support.h"

namespace eventuall {
namespace {

using testing::kEventuallAccount;
using testing::kEventuallAdmin;
using testing::kMomentusAdmin;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One call driven by hand, as sqlite::Client does, keeping every batch the
// databases were asked to run: the round trips of the call.
struct Traced {
  Result<Json> outcome = Error::internal("not run");
  std::vector<sql::Batch> batches;
  std::string error() const { return outcome.ok() ? "" : outcome.error().message(); }
  bool mentions(std::size_t batch, const std::string& text) const {
    for (const auto& s : batches[batch].statements) {
      if (s.sql.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

Traced traced(testing::TestDatabases& db, const std::string& op, const Json& input) {
  Traced out;
  runtime::Execution execution(db.client.instance_state_for_testing(), crypto::Seed{}, now_ms());
  execution.start(ops::dispatch(execution.context(), op, dump_json(input)));
  while (execution.waiting()) {
    const sql::Batch& batch = execution.pending_batch();
    out.batches.push_back(batch);
    sqlite::SqliteDatabase& target = batch.database == sql::Database::kWebapp ? *db.webapp : *db.workers;
    execution.resume(target.run_batch(batch.statements));
  }
  out.outcome = execution.take_outcome();
  return out;
}

void exec(sqlite::SqliteDatabase& db, const std::string& sql) {
  auto done = db.query(sql);
  REQUIRE_MESSAGE(done.ok(), sql);
}

Json new_event(const std::string& name) {
  return {{"actorUserId", kEventuallAdmin}, {"accountId", kEventuallAccount}, {"name", name},
          {"rooms", Json::array({{{"name", "Main"}}})}};
}

Json with_auth(Json input, const Json& auth) {
  input["auth"] = auth;
  return input;
}

// --- The schema guard -------------------------------------------------------------

TEST_CASE("schema guard: this build's migrations are the folders' files, hashes included") {
  for (auto [database, folder] : {std::pair{sql::Database::kWebapp, "webapp"},
                                  std::pair{sql::Database::kWorkers, "workers"}}) {
    auto files = sqlite::list_migration_files(testing::source_path(std::string("migrations/") + folder));
    REQUIRE(files.ok());
    const auto& known = runtime::known_migrations(database);
    REQUIRE(known.size() == files->size());
    for (std::size_t i = 0; i < known.size(); ++i) {
      const std::string name((*files)[i].name);
      const std::string known_name(known[i].name);
      CHECK(known_name == name);
      auto text = sqlite::read_file((*files)[i].path);
      REQUIRE(text.ok());
      const std::string sha(known[i].sha256);
      CHECK(sha == to_hex(crypto::sha256(*text)));
    }
  }
}

TEST_CASE("schema guard: a database behind answers schema_mismatch naming the missing migration, nothing written") {
  testing::TestDatabases db;
  exec(*db.webapp, "DELETE FROM d1_migrations WHERE name = '0004_retailer_connections.sql'");
  const std::string before = db.dump(*db.webapp);
  for (int attempt = 0; attempt < 2; ++attempt) {  // it stays refused: no success confirmed it
    Traced run = traced(db, "create_event", new_event("Behind"));
    REQUIRE_FALSE(run.outcome.ok());
    const std::string code(run.outcome.error().code_name());
    const std::string message = run.outcome.error().message();
    CHECK(code == "schema_mismatch");
    CHECK(message.find("missing 0004_retailer_connections.sql") != std::string::npos);
    CHECK(message.find("behind") != std::string::npos);
    CHECK(message.find("unknown") == std::string::npos);
    // The operation's batch with the guard, then the read naming the difference.
    CHECK(run.batches.size() == 2);
  }
  CHECK(db.dump(*db.webapp) == before);
}

TEST_CASE("schema guard: a database ahead answers schema_mismatch naming the unknown migration, nothing written") {
  testing::TestDatabases db;
  exec(*db.workers, "INSERT INTO d1_migrations (name) VALUES ('0002_from_a_later_build.sql')");
  const std::string before = db.dump(*db.workers);
  Traced run = traced(db, "append_logs",
                      {{"lines", Json::array({{{"level", "info"}, {"layer", "service"}, {"message", "m"}}})}});
  REQUIRE_FALSE(run.outcome.ok());
  const std::string code(run.outcome.error().code_name());
  const std::string message = run.outcome.error().message();
  CHECK(code == "schema_mismatch");
  CHECK(message.find("workers database") != std::string::npos);
  CHECK(message.find("unknown 0002_from_a_later_build.sql") != std::string::npos);
  CHECK(message.find("missing") == std::string::npos);
  CHECK(db.dump(*db.workers) == before);
}

TEST_CASE("schema guard: a database without d1_migrations misses every migration") {
  testing::TestDatabases db;
  exec(*db.webapp, "DROP TABLE d1_migrations");
  const std::string before = db.dump(*db.webapp);
  auto result = db.call("create_event", new_event("Unmigrated"));
  REQUIRE_FALSE(result.ok());
  const std::string code(result.error().code_name());
  CHECK(code == "schema_mismatch");
  CHECK(result.error().message().find("missing 0000_initial.sql, 0001_rbac_defaults.sql") !=
        std::string::npos);
  CHECK(db.dump(*db.webapp) == before);
}

TEST_CASE("schema guard: a matching database pays no batch, and the guard rides only the first") {
  testing::TestDatabases db;
  Traced first = traced(db, "create_event", new_event("First"));
  REQUIRE(first.outcome.ok());
  REQUIRE(first.batches.size() == 1);
  CHECK(first.mentions(0, "d1_migrations"));
  // The operation saw only its own results: the event came back.
  CHECK(first.outcome.value()["event"]["name"] == "First");
  Traced second = traced(db, "create_event", new_event("Second"));
  REQUIRE(second.outcome.ok());
  REQUIRE(second.batches.size() == 1);
  CHECK_FALSE(second.mentions(0, "d1_migrations"));
  // An operation's own failure on the first batch costs one read, once, and
  // keeps its own error.
  testing::TestDatabases other;
  other.webapp->fail_statement_for_testing(1);  // the operation's first statement, after the guard
  Traced failed = traced(other, "create_event", new_event("Failing"));
  other.webapp->fail_statement_for_testing(std::nullopt);
  REQUIRE_FALSE(failed.outcome.ok());
  CHECK(std::string(failed.outcome.error().code_name()) == "db_error");
  CHECK(failed.batches.size() == 2);
  Traced after = traced(other, "create_event", new_event("After"));
  REQUIRE(after.outcome.ok());
  REQUIRE(after.batches.size() == 1);
  CHECK_FALSE(after.mentions(0, "d1_migrations"));
}

// --- The credential guard ---------------------------------------------------------

std::string session_of(testing::TestDatabases& db, const std::string& user) {
  return db.ok("create_session", {{"userId", user}})["token"];
}

std::string key_of(testing::TestDatabases& db, const std::string& user, Json scopes) {
  return db.ok("create_api_key", {{"userId", user}, {"name", "k"}, {"scopes", std::move(scopes)}})["key"];
}

TEST_CASE("credential guard: tokens and keys name their user after the secret") {
  testing::TestDatabases db;
  const std::string token = session_of(db, kEventuallAdmin);
  CHECK(token.rfind("evs_", 0) == 0);
  CHECK(token.size() == 4 + 43 + 1 + 24);
  CHECK(token.substr(token.size() - 25) == "." + kEventuallAdmin);
  const std::string key = key_of(db, kEventuallAdmin, {"events:read"});
  CHECK(key.rfind("evk_", 0) == 0);
  CHECK(key.substr(key.size() - 25) == "." + kEventuallAdmin);
}

TEST_CASE("credential guard: a session naming its user runs the operation in one batch and stamps it") {
  testing::TestDatabases db;
  const std::string token = session_of(db, kEventuallAdmin);
  Traced run = traced(db, "create_event", with_auth(new_event("One trip"), {{"sessionToken", token}}));
  REQUIRE_MESSAGE(run.outcome.ok(), run.error());
  CHECK(run.outcome.value()["event"]["name"] == "One trip");
  REQUIRE(run.batches.size() == 1);
  CHECK(run.mentions(0, "FROM sessions WHERE token_hash"));
  CHECK(run.mentions(0, "UPDATE sessions SET last_seen_at"));
  CHECK(db.webapp_count("sessions WHERE last_seen_at IS NOT NULL") == 1);
  // An API key with the scope: the same.
  const std::string key = key_of(db, kEventuallAdmin, {"events:write"});
  Traced keyed = traced(db, "create_event", with_auth(new_event("Keyed"), {{"apiKey", key}}));
  REQUIRE(keyed.outcome.ok());
  CHECK(keyed.batches.size() == 1);
  CHECK(db.webapp_count("mcp_api_keys WHERE last_used_at IS NOT NULL") == 1);
}

TEST_CASE("credential guard: an invalid credential writes nothing and answers as the slow path does") {
  testing::TestDatabases db;
  const std::string token = session_of(db, kEventuallAdmin);
  const std::string expired = session_of(db, kEventuallAdmin);
  const std::string revoked = session_of(db, kEventuallAdmin);
  const std::string revoked_key = key_of(db, kEventuallAdmin, {"events:write"});
  const std::string narrow_key = key_of(db, kEventuallAdmin, {"events:read"});
  const auto hash_of = [](const std::string& secret) { return to_hex(crypto::sha256(secret)); };
  exec(*db.webapp, "UPDATE sessions SET expires_at = 1 WHERE token_hash = '" + hash_of(expired) + "'");
  exec(*db.webapp, "UPDATE sessions SET revoked_at = 1 WHERE token_hash = '" + hash_of(revoked) + "'");
  exec(*db.webapp, "UPDATE mcp_api_keys SET revoked_at = 1 WHERE key_hash = '" + hash_of(revoked_key) + "'");
  // Token of the admin, naming another user: the hash covers the name.
  const std::string tampered = token.substr(0, token.size() - 24) + kMomentusAdmin;

  const std::vector<std::pair<Json, std::string>> cases = {
      {{{"sessionToken", expired}}, "unauthenticated"},
      {{{"sessionToken", revoked}}, "unauthenticated"},
      {{{"apiKey", revoked_key}}, "unauthenticated"},
      {{{"apiKey", narrow_key}}, "forbidden"},
      {{{"sessionToken", tampered}}, "unauthenticated"},
  };
  for (const auto& [auth, expected] : cases) {
    const Json auth_copy = auth;
    const std::string expected_code = expected;
    INFO(dump_json(auth_copy));
    const std::string webapp_before = db.dump(*db.webapp);
    const std::string workers_before = db.dump(*db.workers);
    Traced run = traced(db, "create_event", with_auth(new_event("Never"), auth_copy));
    REQUIRE_FALSE(run.outcome.ok());
    CHECK(std::string(run.outcome.error().code_name()) == expected_code);
    // The guarded batch, then the slow check that names the refusal.
    CHECK(run.batches.size() == 2);
    CHECK(db.dump(*db.webapp) == webapp_before);
    CHECK(db.dump(*db.workers) == workers_before);
  }
  CHECK(db.webapp_count("events") == 0);
  // The valid token still works, in one batch.
  Traced ok = traced(db, "create_event", with_auth(new_event("Valid"), {{"sessionToken", token}}));
  CHECK(ok.outcome.ok());
  CHECK(ok.batches.size() == 1);
}

TEST_CASE("credential guard: an older-shape token still authenticates, in a batch of its own") {
  testing::TestDatabases db;
  const std::string old_token(43, 'A');
  exec(*db.webapp,
       "INSERT INTO sessions (id, user_id, token_hash, expires_at, created_at) VALUES "
       "('sessionoldshape000000001', '" + kEventuallAdmin + "', '" + to_hex(crypto::sha256(old_token)) +
           "', 4000000000, 1)");
  Traced run = traced(db, "create_event", with_auth(new_event("Old"), {{"sessionToken", old_token}}));
  REQUIRE(run.outcome.ok());
  CHECK(run.batches.size() == 2);
  CHECK_FALSE(run.mentions(1, "FROM sessions WHERE token_hash"));
}

// A made-up operation whose only batch writes the workers database.
runtime::OperationTask workers_write(runtime::Context& ctx) {
  sql::Statement insert{"CREATE TABLE IF NOT EXISTS guard_probe (x INTEGER)", {}};
  auto done = co_await ctx.run(sql::Database::kWorkers, std::move(insert));
  if (!done.ok()) co_return done.take_error();
  co_return Json(done->size());
}

TEST_CASE("credential guard: a workers batch waits behind a webapp batch of the guard alone") {
  testing::TestDatabases db;
  const std::string token = session_of(db, kEventuallAdmin);
  for (const bool live : {false, true}) {
    if (!live) exec(*db.webapp, "UPDATE sessions SET revoked_at = 1");
    if (live) exec(*db.webapp, "UPDATE sessions SET revoked_at = NULL");
    runtime::Execution execution(db.client.instance_state_for_testing(), crypto::Seed{}, now_ms());
    runtime::Credential claimed;
    claimed.kind = runtime::Credential::Kind::kSession;
    claimed.user_id = kEventuallAdmin;
    std::vector<sql::Statement> guard;
    guard.push_back({"SELECT CASE WHEN c.n = 1 THEN 1 ELSE json_extract('{}', 'x' || c.n) END AS ok FROM "
                     "(SELECT count(*) AS n FROM sessions WHERE revoked_at IS NULL) c",
                     {}});
    execution.context().arm_credential_guard(std::move(guard));
    execution.start(workers_write(execution.context()));
    std::vector<sql::Database> order;
    while (execution.waiting()) {
      const sql::Batch& batch = execution.pending_batch();
      order.push_back(batch.database);
      sqlite::SqliteDatabase& target = batch.database == sql::Database::kWebapp ? *db.webapp : *db.workers;
      execution.resume(target.run_batch(batch.statements));
    }
    auto outcome = execution.take_outcome();
    const std::int64_t probes =
        db.count(*db.workers, "sqlite_master WHERE name = 'guard_probe'");
    if (live) {
      REQUIRE(outcome.ok());
      CHECK(outcome.value() == Json(1));  // the operation saw its own one result
      CHECK(order == std::vector<sql::Database>{sql::Database::kWebapp, sql::Database::kWorkers});
      CHECK(probes == 1);
    } else {
      CHECK_FALSE(outcome.ok());
      CHECK(order == std::vector<sql::Database>{sql::Database::kWebapp});
      CHECK(probes == 0);
    }
  }
}

}  // namespace
}  // namespace eventuall
