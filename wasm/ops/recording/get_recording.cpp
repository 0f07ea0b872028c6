// Get recording: a session with its counts of stage events and clips. Two
// round trips: the workers read says which event and room the session belongs
// to, then the webapp says whether the actor holds event.view there. A session
// the actor may not see is not_found, like one that does not exist.
#include "ops/input.h"
#include "ops/rbac/actor_facts.h"
#include "ops/rbac/permission_sql.h"
#include "ops/recording/recording_operations.h"
#include "ops/recording/sessions.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What get_recording takes and answers (ops/contract.h).
const contract::Contract& get_recording_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("sessionId", "cloudcaster_sessions")},
      .output = {row("session", "cloudcaster_sessions"), integer("stageEvents"), integer("clips")},
      .summary = "A recording session with its counts.",
  };
  return kContract;
}

OperationTask get_recording(Context& ctx, Json json) {
  auto args = contract::read(get_recording_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string session_id = args->text("sessionId");

  std::vector<sql::Statement> statements;
  statements.push_back(recording::select_session(session_id));
  statements.push_back(
      {"SELECT (SELECT count(*) FROM stage_events WHERE session_id = ?) AS stage_events, "
       "(SELECT count(*) FROM participant_clips WHERE session_id = ?) AS clips",
       {session_id, session_id}});
  auto read = co_await ctx.run(sql::Database::kWorkers, std::move(statements));
  if (!read.ok()) co_return read.take_error();
  const std::string what = "recording " + session_id;
  if ((*read)[0].empty()) co_return Error::not_found(what + " not found");
  const sql::Row session((*read)[0], 0);

  // Checked on the event, not the room: a session whose room has since been
  // deleted is still its event's.
  auto facts =
      co_await ctx.run(sql::Database::kWebapp,
                       rbac::actor_facts(actor, rbac::EventRef::value(session.text("event_id")),
                                         rbac::permission::kEventView, ctx.now_seconds()));
  if (!facts.ok()) co_return facts.take_error();
  if (auto refusal = rbac::actor_refusal((*facts)[0], what, rbac::permission::kEventView)) {
    co_return *refusal;
  }
  const sql::Row counts((*read)[1], 0);
  co_return Json{{"session", schema::row_json(recording::sessions_table(), session)},
                 {"stageEvents", counts.integer("stage_events")},
                 {"clips", counts.integer("clips")}};
}

}  // namespace eventuall::ops
