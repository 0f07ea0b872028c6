// Append logs: structured lines from the coordinator, workflow and service
// layers ({level, layer, message, context?, loggedAt?}), optionally of one
// session, in bulk: one atomic batch of inserts chunked to D1's parameter
// limit (8 values a line, so 12 lines a statement with the session guard).
// context must be a JSON object; any malformed line refuses the whole call.
// An unknown session writes nothing (not_found). One round trip. Service
// layers call it: no actor.
#include "ops/input.h"
#include "ops/recording/recording_operations.h"
#include "ops/recording/sessions.h"

namespace eventuall::ops {

namespace {

inline constexpr std::size_t kMaxLinesPerCall = 10'000;
inline constexpr std::size_t kMaxContextBytes = 8'192;

}  // namespace

// What append_logs takes and answers (ops/contract.h).
const contract::Contract& append_logs_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("sessionId", "cloudcaster_sessions").optional(),
                array("lines",
                      of::object({one_of("level", "cloudcaster_logs.level").defaults_to("info"),
                                  one_of("layer", "cloudcaster_logs.layer"),
                                  text("message").max(4000), json("context").optional(),
                                  integer("loggedAt").optional()}),
                      kMaxLinesPerCall)
                    .non_empty()},
      .output = {integer("appended"), integer("statements")},
      .summary = "Appends log lines in bulk.",
  };
  return kContract;
}

OperationTask append_logs(Context& ctx, Json json) {
  Input in(json);
  const auto session_id = in.optional_id("sessionId");
  const auto& logs = schema::workers_schema().table("cloudcaster_logs");
  const auto& levels = logs.allowed_values("level");
  const auto& layers = logs.allowed_values("layer");
  const std::int64_t now = ctx.now_seconds();
  std::vector<std::vector<sql::Value>> rows;
  const auto lines = in.array("lines", kMaxLinesPerCall);
  if (in.ok() && lines.empty()) in.reject("lines", "must not be empty");
  rows.reserve(lines.size());
  for (std::size_t i = 0; i < lines.size() && in.ok(); ++i) {
    Input line(lines[i], "lines[" + std::to_string(i) + "]");
    const std::string level = line.one_of("level", levels, "info");
    const std::string layer = line.one_of("layer", layers, "");
    if (line.ok() && layer.empty()) line.reject("layer", "is required");
    const std::string message = line.text("message", {.max_length = 4000});
    std::string context = "{}";
    if (auto it = lines[i].find("context"); line.ok() && it != lines[i].end() && !it->is_null()) {
      if (!it->is_object()) {
        line.reject("context", "must be a JSON object");
      } else if ((context = dump_json(*it)).size() > kMaxContextBytes) {
        line.reject("context", "must be at most " + std::to_string(kMaxContextBytes) + " bytes");
      }
    }
    const std::int64_t logged_at = line.optional_integer("loggedAt").value_or(now);
    in.absorb(line);
    rows.push_back({ctx.new_id(), session_id, level, layer, message, context, logged_at, now});
  }
  if (!in.ok()) co_return in.error();

  std::optional<schema::Guard> guard;
  if (session_id) guard = recording::session_exists(*session_id);
  std::vector<sql::Statement> statements = schema::insert_rows(
      logs, {"id", "session_id", "level", "layer", "message", "context", "logged_at", "created_at"},
      std::move(rows), guard, /*returning=*/false);
  if (session_id) statements.push_back(recording::select_session(*session_id));
  const std::size_t inserts = statements.size() - (session_id ? 1 : 0);
  auto written = co_await ctx.run(sql::Database::kWorkers, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  if (session_id && written->back().empty()) {
    co_return Error::not_found("recording " + *session_id + " not found");
  }
  co_return Json{{"appended", lines.size()}, {"statements", inserts}};
}

}  // namespace eventuall::ops
