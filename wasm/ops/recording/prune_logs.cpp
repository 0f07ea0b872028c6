// Prune logs older than a retention window (logged_at < now - retention),
// oldest first and at most maxRows per call, so one call stays well inside
// D1's per-query time limit; `more` says whether to call again. One round
// trip. A maintenance job (cron) calls it: no actor.
#include "ops/input.h"
#include "ops/recording/recording_operations.h"

namespace eventuall::ops {

// What prune_logs takes and answers (ops/contract.h).
const contract::Contract& prune_logs_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {integer("retentionSeconds", {.min = 0, .max = 10LL * 365 * 24 * 3600}),
                integer("maxRows", {.min = 1, .max = 50'000}).optional()},
      .output = {integer("cutoff"), integer("deleted"), boolean("more")},
      .summary = "Deletes log lines older than a retention, a bounded number at a time.",
  };
  return kContract;
}

OperationTask prune_logs(Context& ctx, Json json) {
  auto args = contract::read(prune_logs_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::int64_t retention = args->integer("retentionSeconds");
  const std::int64_t max_rows = args->optional_integer("maxRows").value_or(10'000);

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
