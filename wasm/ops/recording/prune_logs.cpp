// Prune logs older than a retention window (logged_at < now - retention),
// oldest first and at most maxRows per call, so one call stays well inside
// D1's per-query time limit; `more` says whether to call again. One round
// trip. A maintenance job (cron) calls it: no actor.
#include "ops/input.h"
#include "ops/recording/recording_operations.h"

namespace eventuall::ops {

OperationTask prune_logs(Context& ctx, Json json) {
  Input in(json);
  const std::int64_t retention =
      in.integer("retentionSeconds", {.min = 0, .max = 10LL * 365 * 24 * 3600});
  const std::int64_t max_rows =
      in.optional_integer("maxRows", {.min = 1, .max = 50'000}).value_or(10'000);
  if (!in.ok()) co_return in.error();

  const std::int64_t cutoff = ctx.now_seconds() - retention;
  std::vector<sql::Statement> statements;
  statements.push_back(
      {"DELETE FROM cloudcaster_logs WHERE id IN (SELECT id FROM cloudcaster_logs WHERE "
       "logged_at < ? ORDER BY logged_at LIMIT ?)",
       {cutoff, max_rows}});
  statements.push_back(
      {"SELECT EXISTS (SELECT 1 FROM cloudcaster_logs WHERE logged_at < ?) AS more", {cutoff}});
  auto written = co_await ctx.run(sql::Database::kWorkers, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  co_return Json{{"deleted", (*written)[0].changes},
                 {"cutoff", cutoff},
                 {"more", sql::Row((*written)[1], 0).integer("more") != 0}};
}

}  // namespace eventuall::ops
