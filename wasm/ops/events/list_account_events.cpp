// List an account's events, newest first, a page at a time: all of them for
// its owners, for anyone else those they see. An account the actor neither
// owns nor sees an event of is not_found, like a missing one. The account
// check and the page are two statements of one batch: one round trip.

#include "ops/events/events_operations.h"
#include "ops/input.h"
#include "ops/keyset_cursor.h"
#include "ops/rbac/actor_facts.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What list_account_events takes and answers (ops/contract.h).
const contract::Contract& list_account_events_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("accountId", "accounts"), one_of("status", "events.status").optional(),
                integer("limit", {.min = 1, .max = 100}).optional(),
                text("cursor").max(200).optional()},
      .output = {array("events", of::row("events")), text("nextCursor").nullable()},
      .summary = "An account's events, newest first, a page at a time.",
  };
  return kContract;
}

OperationTask list_account_events(Context& ctx, Json json) {
  auto args = contract::read(list_account_events_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string account_id = args->text("accountId");
  const auto status = args->optional_text("status");
  const std::int64_t limit = args->optional_integer("limit").value_or(50);
  // Keyset: the (created_at, id) of the last event of the previous page.
  const auto after = read_cursor(*args, "cursor", "is");
  if (!after.ok()) co_return after.error();
  const std::optional<Json>& cursor = *after;
  const auto& events = schema::webapp_schema().table("events");

  rbac::Condition visible =
      rbac::sees_event(actor, rbac::EventRef::column_of("events.id"), ctx.now_seconds());
  std::string page_sql = "SELECT " + schema::select_list(events) +
                         " FROM events WHERE account_id = ? AND " + visible.sql;
  std::vector<sql::Value> params = {account_id};
  sql::append_params(params, visible.params);
  if (status) {
    page_sql += " AND status = ?";
    params.emplace_back(*status);
  }
  if (cursor) {
    page_sql += " AND (created_at, id) < (?, ?)";
    params.emplace_back((*cursor)[0].get<std::int64_t>());
    params.emplace_back((*cursor)[1].get<std::string>());
  }
  // One row beyond the page says whether another page exists.
  page_sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
  params.emplace_back(limit + 1);

  std::vector<sql::Statement> statements;
  // An account the actor neither owns nor sees an event of reads like a
  // missing one: the same not_found, whether it exists or not.
  const rbac::Condition owner = rbac::owns_account(actor, account_id);
  const rbac::Condition sees_one = rbac::sees_event(actor, rbac::EventRef::column_of("e.id"),
                                                    ctx.now_seconds());
  sql::Statement found{"SELECT 1 AS found FROM accounts a WHERE a.id = ? AND (" + owner.sql +
                           " OR EXISTS (SELECT 1 FROM events e WHERE e.account_id = a.id AND " +
                           sees_one.sql + "))",
                       {account_id}};
  sql::append_params(found.params, owner.params);
  sql::append_params(found.params, sees_one.params);
  statements.push_back(std::move(found));
  // SQLite writes the page as JSON (keyset_cursor.h): its rows are never decoded here.
  static const std::string kObject = schema::json_object_sql(events, "p");
  statements.push_back(
      json_page({std::move(page_sql), std::move(params)}, kObject, limit, {"created_at", "id"}));
  auto read = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!read.ok()) co_return read.take_error();
  if ((*read)[0].empty()) co_return Error::not_found("account " + account_id + " not found");

  const sql::ResultSet& page = (*read)[1];
  const Json next_cursor = json_page_cursor(page, limit, [](const sql::Row& last) {
    return Json::array({last.integer("created_at"), last.text("id")});
  });
  co_return Json{{"events", json_page_items(page)}, {"nextCursor", next_cursor}};
}

}  // namespace eventuall::ops
