// List an account's events, newest first, a page at a time: all of them for
// its owners, for anyone else those they hold event.view on. The account check
// and the page are two statements of one batch: one round trip.

#include "common/encoding.h"
#include "ops/events/events_operations.h"
#include "ops/input.h"
#include "ops/rbac/permission_sql.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

namespace {

// Keyset cursor: the (created_at, id) of the last event of the previous page,
// opaque to callers.
struct Cursor {
  std::int64_t created_at = 0;
  std::string id;
};

std::string encode_cursor(std::int64_t created_at, const std::string& id) {
  return base64url_encode(std::to_string(created_at) + ":" + id);
}

std::optional<Cursor> decode_cursor(const std::string& text) {
  std::string decoded;
  if (!base64url_decode(text, decoded)) return std::nullopt;
  const auto colon = decoded.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 18) return std::nullopt;
  Cursor cursor;
  for (std::size_t i = 0; i < colon; ++i) {
    if (decoded[i] < '0' || decoded[i] > '9') return std::nullopt;
    cursor.created_at = cursor.created_at * 10 + (decoded[i] - '0');
  }
  cursor.id = decoded.substr(colon + 1);
  return cursor;
}

}  // namespace

OperationTask list_account_events(Context& ctx, Json json) {
  Input in(json);
  const std::string actor = in.id("actorUserId");
  const std::string account_id = in.id("accountId");
  const auto& events = schema::webapp_schema().table("events");
  const auto status = in.optional_one_of("status", events.allowed_values("status"));
  const std::int64_t limit = in.optional_integer("limit", {.min = 1, .max = 100}).value_or(50);
  const auto cursor_text = in.optional_text("cursor", {.max_length = 200});
  std::optional<Cursor> cursor;
  if (cursor_text) {
    cursor = decode_cursor(*cursor_text);
    if (!cursor) in.reject("cursor", "is not a cursor returned by this operation");
  }
  if (!in.ok()) co_return in.error();

  rbac::Condition visible =
      rbac::holds_permission(actor, rbac::permission::kEventView,
                             rbac::EventRef::column_of("events.id"), {}, ctx.now_seconds());
  std::string page_sql = "SELECT " + schema::select_list(events) +
                         " FROM events WHERE account_id = ? AND " + visible.sql;
  std::vector<sql::Value> params = {account_id};
  params.insert(params.end(), visible.params.begin(), visible.params.end());
  if (status) {
    page_sql += " AND status = ?";
    params.emplace_back(*status);
  }
  if (cursor) {
    page_sql += " AND (created_at, id) < (?, ?)";
    params.emplace_back(cursor->created_at);
    params.emplace_back(cursor->id);
  }
  // One row beyond the page says whether another page exists.
  page_sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
  params.emplace_back(limit + 1);

  std::vector<sql::Statement> statements;
  statements.push_back({"SELECT 1 AS found FROM accounts WHERE id = ?", {account_id}});
  statements.push_back({std::move(page_sql), std::move(params)});
  auto read = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!read.ok()) co_return read.take_error();
  if ((*read)[0].empty()) co_return Error::not_found("account " + account_id + " not found");

  sql::ResultSet& page = (*read)[1];
  Json next_cursor = nullptr;
  if (page.size() > static_cast<std::size_t>(limit)) {
    page.rows.resize(static_cast<std::size_t>(limit));
    const sql::Row last(page, page.size() - 1);
    next_cursor = encode_cursor(last.integer("created_at"), last.text("id"));
  }
  co_return Json{{"events", schema::rows_json(events, page)}, {"nextCursor", next_cursor}};
}

}  // namespace eventuall::ops
