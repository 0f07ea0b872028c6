// Transition recording: moves a session along the edges of session_states.h
// in one guarded UPDATE (status IN <sources>, and version = expectedVersion
// when given), then reads the session in the same batch to say why nothing
// changed: unknown session (not_found), an illegal edge or a stale version
// (conflict). One round trip. Called by the coordinator/service layers (Mux
// and LiveKit webhooks), so it takes no actor.
#include "ops/input.h"
#include "ops/recording/recording_operations.h"
#include "ops/recording/session_states.h"
#include "ops/recording/sessions.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What transition_recording takes and answers (ops/contract.h).
const contract::Contract& transition_recording_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("sessionId", "cloudcaster_sessions"),
                one_of("to", "cloudcaster_sessions.status"),
                text("playbackUrl").max(2048).optional(), text("errorMessage").max(2000).optional(),
                integer("expectedVersion").optional()},
      .output = {row("session", "cloudcaster_sessions")},
      .summary = "Moves a recording session to its next state.",
  };
  return kContract;
}

OperationTask transition_recording(Context& ctx, Json json) {
  auto args = contract::read(transition_recording_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string session_id = args->text("sessionId");
  const std::string to = args->text("to");
  const auto playback_url = args->optional_text("playbackUrl");
  const auto error_message = args->optional_text("errorMessage");
  const auto expected_version = args->optional_integer("expectedVersion");
  // A ready session must say where to watch it; a failed one why it failed.
  if (to == "ready" && !playback_url)
    co_return Error::invalid_input("playbackUrl is required when to is ready");
  if (to != "ready" && playback_url)
    co_return Error::invalid_input("playbackUrl is only allowed when to is ready");
  if (playback_url && playback_url->rfind("https://", 0) != 0)
    co_return Error::invalid_input("playbackUrl must be an https:// URL");
  if (to == "failed" && !error_message)
    co_return Error::invalid_input("errorMessage is required when to is failed");
  if (to != "failed" && error_message)
    co_return Error::invalid_input("errorMessage is only allowed when to is failed");
  const auto& sessions = recording::sessions_table();

  const std::int64_t now = ctx.now_seconds();
  const std::vector<std::string> sources = recording::sources_of(to);
  std::string update =
      "UPDATE cloudcaster_sessions SET status = ?, version = version + 1, updated_at = ?, "
      "playback_url = coalesce(?, playback_url), error_message = coalesce(?, error_message), "
      "recording_ended_at = CASE WHEN ? THEN coalesce(recording_ended_at, ?) ELSE "
      "recording_ended_at END WHERE id = ? AND (? IS NULL OR version = ?) AND status IN (";
  std::vector<sql::Value> params = {
      to,  now,        playback_url,     error_message,   recording::ends_recording(to),
      now, session_id, expected_version, expected_version};
  for (std::size_t i = 0; i < sources.size(); ++i) {
    update += i ? ", ?" : "?";
    params.emplace_back(sources[i]);
  }
  // `to` is pending: no source, so the guard is never true.
  if (sources.empty()) update += "NULL";
  update += ") RETURNING " + schema::select_list(sessions);
  std::vector<sql::Statement> statements;
  statements.push_back({std::move(update), std::move(params)});
  statements.push_back(recording::select_session(session_id));

  auto written = co_await ctx.run(sql::Database::kWorkers, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  if (!(*written)[0].empty()) {
    co_return Json{{"session", schema::row_json(sessions, sql::Row((*written)[0], 0))}};
  }
  if ((*written)[1].empty()) co_return Error::not_found("recording " + session_id + " not found");
  const sql::Row current((*written)[1], 0);
  const std::string from = current.text("status");
  if (!recording::is_legal(from, to)) {
    co_return Error::conflict("recording " + session_id + " cannot go from " + from + " to " + to);
  }
  co_return Error::conflict("recording " + session_id + " is at version " +
                            std::to_string(current.integer("version")) + ", not " +
                            std::to_string(expected_version.value_or(-1)));
}

}  // namespace eventuall::ops
