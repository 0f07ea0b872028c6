// List pages that SQLite writes as JSON (json_group_array(json_object(...)),
// spliced into the outcome undecoded): the outcome's text must be, byte for
// byte, what the core writes for the same value decoded, whatever the strings
// hold. The JS suites compare native, sql.js and workerd outcomes on top.

#include "test_support.h"

namespace eventuall {
namespace {

using testing::kEventuallAccount;
using testing::kEventuallAdmin;
using testing::kMomentusAdmin;
using testing::TestDatabases;

// Quotes, backslashes, every escape JSON has, other controls, DEL, non-ASCII,
// astral plane, a line separator and markup.
const std::string kPagesHostile =
    "q\"uote \\ slash/ \b\f\n\r\t \x01\x1f \x7f \xc3\xa9 \xf0\x9f\x98\x80 \xe2\x80\xa8 </script>";
const std::string kPagesAttendee = "roleattendee000000000000";

// The outcome's text as the core writes it, and as it would write the value
// once decoded: equal when the spliced JSON is canonical.
void check_page_canonical(TestDatabases& db, const std::string& op, const Json& input) {
  const std::string text = db.client.call_text(op, dump_json(input));
  const std::string decoded = "{\"ok\":true,\"value\":" + dump_json(db.ok(op, input)) + "}";
  INFO(op);
  CHECK(text == decoded);
}

void store_raw(TestDatabases& db, const std::string& sql, std::vector<sql::Value> params) {
  REQUIRE(db.webapp->query(sql, params).ok());
}

TEST_CASE("list pages SQLite writes as JSON are the bytes of their decoded value") {
  TestDatabases db;
  const Json created = db.ok("create_event", {{"actorUserId", kEventuallAdmin},
                                               {"accountId", kEventuallAccount},
                                               {"name", "Plain"},
                                               {"rooms", Json::array({{{"name", "Stage"}}})}});
  const std::string event = created["event"]["id"];
  db.ok("create_event", {{"actorUserId", kEventuallAdmin},
                          {"accountId", kEventuallAccount},
                          {"name", "Second"}});
  db.ok("create_ticket", {{"actorUserId", kEventuallAdmin},
                          {"eventId", event},
                          {"name", "General"},
                          {"price", 2500},
                          {"currency", "USD"},
                          {"roomIds", Json::array({created["rooms"][0]["id"]})}});
  db.ok("grant_access", {{"actorUserId", kEventuallAdmin},
                         {"userId", kMomentusAdmin},
                         {"eventId", event},
                         {"roleId", kPagesAttendee}});
  db.ok("invite", {{"actorUserId", kEventuallAdmin},
                   {"eventId", event},
                   {"email", "invited@example.com"},
                   {"name", "Invited"},
                   {"roleId", kPagesAttendee}});
  // Stored as no input would be accepted: the strings SQLite must escape.
  store_raw(db, "UPDATE events SET name = ?, description = ? WHERE id = ?", {kPagesHostile, kPagesHostile, event});
  store_raw(db, "UPDATE rooms SET name = ? WHERE event_id = ?", {kPagesHostile, event});
  store_raw(db, "UPDATE tickets SET name = ?, description = ? WHERE event_id = ?",
      {kPagesHostile, kPagesHostile, event});
  store_raw(db, "UPDATE users SET name = ? WHERE id = ?", {kPagesHostile, kMomentusAdmin});
  store_raw(db, "UPDATE pending_profiles SET name = ? WHERE event_id = ?", {kPagesHostile, event});

  check_page_canonical(db, "get_event", {{"actorUserId", kEventuallAdmin}, {"id", event}});
  check_page_canonical(db, "list_tickets", {{"actorUserId", kEventuallAdmin}, {"eventId", event}});
  check_page_canonical(db, "list_participants", {{"actorUserId", kEventuallAdmin}, {"eventId", event}});
  // A page with more behind it, the last page, and an empty one.
  for (const int offset : {0, 1, 2, 50}) {
    check_page_canonical(db, "list_participants", {{"actorUserId", kEventuallAdmin},
                                              {"eventId", event},
                                              {"limit", 1},
                                              {"offset", offset}});
  }
  const Json first = db.ok("list_participants", {{"actorUserId", kEventuallAdmin},
                                                 {"eventId", event},
                                                 {"limit", 1}});
  CHECK(first["participants"].size() == 1);
  CHECK(first["nextOffset"] == 1);
  const Json all = db.ok("list_participants", {{"actorUserId", kEventuallAdmin},
                                               {"eventId", event},
                                               {"limit", 2}});
  CHECK(all["participants"].size() == 2);
  CHECK(all["nextOffset"].is_null());

  const Json events_input = {{"actorUserId", kEventuallAdmin},
                             {"accountId", kEventuallAccount},
                             {"limit", 1}};
  check_page_canonical(db, "list_account_events", events_input);
  const Json page = db.ok("list_account_events", events_input);
  REQUIRE(page["nextCursor"].is_string());
  Json next = events_input;
  next["cursor"] = page["nextCursor"];
  check_page_canonical(db, "list_account_events", next);
  const Json second = db.ok("list_account_events", next);
  CHECK(second["events"].size() == 1);
  CHECK(second["events"][0]["id"] != page["events"][0]["id"]);
}

TEST_CASE("a raw JSON node is written verbatim and decoded for native callers") {
  Json value = {{"b", raw_json("[{\"x\":1}]")}, {"a", 1}};
  CHECK(dump_json(value) == "{\"a\":1,\"b\":[{\"x\":1}]}");
  expand_raw_json(value);
  CHECK(value["b"][0]["x"] == 1);
  // Malformed raw text (never produced by SQLite) decodes to null, never traps.
  Json broken = {{"b", raw_json("[{")}};
  expand_raw_json(broken);
  CHECK(broken["b"].is_null());
}

}  // namespace
}  // namespace eventuall
