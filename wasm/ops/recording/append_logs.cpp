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
                array(
                    "lines",
                    of::object({one_of("level", "cloudcaster_logs.level").defaults_to("info"),
                                one_of("layer", "cloudcaster_logs.layer"),
                                text("message").max(4000), object("context", {}).open().optional(),
                                integer("loggedAt").optional()}),
                    kMaxLinesPerCall)
                    .non_empty()},
      .output = {integer("appended"), integer("statements")},
      .summary = "Appends log lines in bulk.",
  };
  return kContract;
}

OperationTask append_logs(Context& ctx, Json json) {
  auto args = contract::read(append_logs_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto session_id = args->optional_text("sessionId");
  const auto lines = args->objects("lines");
  const std::int64_t now = ctx.now_seconds();
  std::vector<std::vector<sql::Value>> rows;
  rows.reserve(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& line = lines[i];
    // A context (a JSON object, as declared) is a bounded one.
    std::string context = "{}";
    if (auto given = line.json().find("context"); given != line.json().end()) {
      if ((context = dump_json(*given)).size() > kMaxContextBytes) {
        co_return Error::invalid_input("lines[" + std::to_string(i) + "].context must be at most " +
                                       std::to_string(kMaxContextBytes) + " bytes");
      }
    }
    rows.push_back({ctx.new_id(), session_id, line.text("level"), line.text("layer"),
                    line.text("message"), context, line.optional_integer("loggedAt").value_or(now),
                    now});
  }
  const auto& logs = schema::workers_schema().table("cloudcaster_logs");

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
