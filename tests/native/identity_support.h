#pragma once
// Helpers shared by identity_test.cpp and accounts_test.cpp: raw SQL set-up of
// rows no identity operation writes (events, roles, invitations, grants), and
// many executions of one operation interleaved batch by batch.

#include <memory>
#include <string>
#include <vector>

#include "ops/operation.h"
#include "runtime/execution.h"
#include "test_support.h"

namespace eventuall::testing {

inline void exec(sqlite::SqliteDatabase& db, const std::string& sql) {
  auto status = db.exec_script(sql);
  if (!status.ok()) FAIL(sql << ": " << status.error().message());
}

inline sql::Value scalar(sqlite::SqliteDatabase& db, const std::string& sql,
                         const std::vector<sql::Value>& params = {}) {
  auto rows = db.query(sql, params);
  REQUIRE(rows.ok());
  REQUIRE(rows->rows.size() == 1);
  return rows->rows[0][0];
}

// An event of the seeded Eventuall account with one room, and a role.
struct EventSetup {
  std::string account = "seedaccounteventuall0001";
  std::string event = "eventclaimaaaaaaaaaaaaaa";
  std::string room = "roomclaimaaaaaaaaaaaaaaa";
  std::string role = "roleattendeeaaaaaaaaaaaa";
  std::string other_role = "rolespeakeraaaaaaaaaaaaa";
};

inline EventSetup make_event(sqlite::SqliteDatabase& db) {
  EventSetup s;
  exec(db, "INSERT INTO events (id, account_id, name) VALUES ('" + s.event + "', '" + s.account +
               "', 'Claim Event');"
               "INSERT INTO rooms (id, event_id, name) VALUES ('" +
               s.room + "', '" + s.event +
               "', 'Main');"
               "INSERT INTO roles (id, name) VALUES ('" +
               s.role + "', 'claim attendee'), ('" + s.other_role + "', 'claim speaker');");
  return s;
}

// A pending profile for email on the event, with one invitation per entry:
// {invitation id, room or "", role, status, expires_at or -1, order or ""}.
struct InvitationRow {
  std::string id;
  std::string room;
  std::string role;
  std::string status = "pending";
  std::int64_t expires_at = -1;
  std::string order;
};

inline std::string sql_or_null(const std::string& v) {
  return v.empty() ? "NULL" : "'" + v + "'";
}

inline void invite(sqlite::SqliteDatabase& db, const EventSetup& s, const std::string& profile_id,
                   const std::string& email, const std::vector<InvitationRow>& rows) {
  exec(db, "INSERT INTO pending_profiles (id, event_id, email, invited_by_user_id) VALUES ('" +
               profile_id + "', '" + s.event + "', '" + email + "', 'seedusereventuall0000001')");
  for (const auto& r : rows) {
    exec(db,
         "INSERT INTO invitations (id, pending_profile_id, event_id, room_id, role_id, "
         "order_id, status, invited_by_user_id, expires_at) VALUES ('" +
             r.id + "', '" + profile_id + "', '" + s.event + "', " + sql_or_null(r.room) + ", '" +
             r.role + "', " + sql_or_null(r.order) + ", '" + r.status +
             "', 'seedusereventuall0000001', " +
             (r.expires_at < 0 ? std::string("NULL") : std::to_string(r.expires_at)) + ")");
  }
}

// Starts every call before running any batch, then runs their batches
// round-robin (last started first), one batch at a time: the interleaving a
// Worker produces when many requests await D1 at once.
inline std::vector<Result<Json>> run_interleaved(TestDatabases& db, const std::string& op,
                                                 const std::vector<Json>& inputs,
                                                 std::int64_t now_ms) {
  runtime::InstanceState instance;
  std::vector<std::unique_ptr<runtime::Execution>> executions;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    crypto::Seed seed{};
    seed[0] = static_cast<std::uint8_t>(i);
    seed[1] = static_cast<std::uint8_t>(i >> 8);
    seed[2] = 0x5a;
    executions.push_back(std::make_unique<runtime::Execution>(instance, seed, now_ms));
    executions.back()->start(ops::dispatch(executions.back()->context(), op, dump_json(inputs[i])));
  }
  for (bool progressed = true; progressed;) {
    progressed = false;
    for (auto it = executions.rbegin(); it != executions.rend(); ++it) {
      auto& e = **it;
      if (!e.waiting()) continue;
      auto& target =
          e.pending_batch().database == sql::Database::kWebapp ? *db.webapp : *db.workers;
      e.resume(target.run_batch(e.pending_batch().statements));
      progressed = true;
    }
  }
  std::vector<Result<Json>> outcomes;
  for (auto& e : executions) {
    REQUIRE(e->done());
    outcomes.push_back(e->take_outcome());
  }
  return outcomes;
}

// sign_up, then verify_email with its token: a user who owns their email. The
// sign_up result, with the verified user and the claim count.
inline Json verified_sign_up(TestDatabases& db, const Json& input) {
  Json up = db.ok("sign_up", input);
  Json verified = db.ok("verify_email", {{"token", up["verification"]["token"]}});
  up["user"] = verified["user"];
  up["claimedGrants"] = verified["claimedGrants"];
  return up;
}

inline std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace eventuall::testing
