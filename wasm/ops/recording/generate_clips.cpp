// Generate clips: pairs a session's stage events into participant clips (the
// rules are in clip_pairing.h) and replaces the session's clips with them.
// Two round trips:
//   1. read the session and its events, ordered by (participant, offset) so
//      the index serves the order and the pairing is one linear pass;
//   2. one atomic batch: delete the session's clips, insert the new ones
//      (chunked to D1's parameter limit, guarded on the session existing).
// Delete-and-insert in one batch makes regeneration idempotent: running it
// twice gives the same clips, never duplicates, and a reader sees the old set
// or the new one, never a mix. Open spans close at the recording's end when
// it has ended (and clips are cut there), otherwise at the later of now and
// the session's last event. The service layer calls it after the recording
// stops: no actor.
#include "ops/input.h"
#include "ops/recording/clip_pairing.h"
#include "ops/recording/recording_operations.h"
#include "ops/recording/sessions.h"

namespace eventuall::ops {

namespace {

// Where spans still open at the end close, in ms since the recording start:
// the recording's end once it has one (and no clip runs past it: cut), else,
// while it is still recording, where it has got to: the later of now and the
// session's last event (never before footage already reported).
recording::PairingOptions close_options(const sql::Row& session, const sql::ResultSet& events,
                                        std::int64_t now, std::int64_t merge_gap_ms) {
  std::int64_t last = 0;
  for (const auto& row : events.rows) last = std::max(last, row[2].as_integer());
  if (session.is_null("recording_started_at")) return {last, merge_gap_ms, false};
  const std::int64_t started = session.integer("recording_started_at");
  if (!session.is_null("recording_ended_at")) {
    return {(session.integer("recording_ended_at") - started) * 1000, merge_gap_ms, true};
  }
  return {std::max(last, (now - started) * 1000), merge_gap_ms, false};
}

Json report_json(const recording::PairingReport& r) {
  return Json{{"repeatedEnters", r.repeated_enters},
              {"unmatchedExits", r.unmatched_exits},
              {"closedAtEnd", r.closed_at_end},
              {"zeroLengthDropped", r.zero_length_dropped},
              {"merged", r.merged},
              {"cutAtEnd", r.cut_at_end},
              {"pastEndDropped", r.past_end_dropped}};
}

}  // namespace

// What generate_clips takes and answers (ops/contract.h).
const contract::Contract& generate_clips_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("sessionId", "cloudcaster_sessions"),
                integer("mergeGapMs", {.min = 0, .max = 3'600'000}).optional()},
      .output = {integer("clips"), integer("closeAtMs"), integer("stageEvents"),
                 integer("statements"),
                 object("report", {integer("closedAtEnd"), integer("cutAtEnd"), integer("merged"),
                                   integer("pastEndDropped"), integer("repeatedEnters"),
                                   integer("unmatchedExits"), integer("zeroLengthDropped")})},
      .summary = "Pairs a session's stage events into participant clips.",
  };
  return kContract;
}

OperationTask generate_clips(Context& ctx, Json json) {
  auto args = contract::read(generate_clips_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string session_id = args->text("sessionId");
  const std::int64_t merge_gap_ms = args->optional_integer("mergeGapMs").value_or(0);

  std::vector<sql::Statement> reads;
  reads.push_back(recording::select_session(session_id));
  reads.push_back(
      {"SELECT participant_id AS participant_id, kind AS kind, offset_ms AS offset_ms "
       "FROM stage_events WHERE session_id = ? ORDER BY participant_id, offset_ms",
       {session_id}});
  auto read = co_await ctx.run(sql::Database::kWorkers, std::move(reads));
  if (!read.ok()) co_return read.take_error();
  if ((*read)[0].empty()) co_return Error::not_found("recording " + session_id + " not found");
  const sql::ResultSet& event_rows = (*read)[1];

  std::vector<recording::StageEvent> events;
  events.reserve(event_rows.size());
  for (const auto& row : event_rows.rows) {
    events.push_back(
        {row[0].as_text(),
         row[1].as_text() == "exit" ? recording::StageKind::kExit : recording::StageKind::kEnter,
         row[2].as_integer()});
  }
  const std::int64_t now = ctx.now_seconds();
  const recording::PairingOptions options =
      close_options(sql::Row((*read)[0], 0), event_rows, now, merge_gap_ms);
  recording::PairingResult paired = recording::pair_stage_events(std::move(events), options);

  std::vector<std::vector<sql::Value>> rows;
  rows.reserve(paired.clips.size());
  for (auto& clip : paired.clips) {
    rows.push_back({ctx.new_id(), session_id, std::move(clip.participant_id), clip.start_ms,
                    clip.end_ms, now});
  }
  std::vector<sql::Statement> writes;
  writes.push_back({"DELETE FROM participant_clips WHERE session_id = ?", {session_id}});
  for (auto& s : schema::insert_rows(
           schema::workers_schema().table("participant_clips"),
           {"id", "session_id", "participant_id", "start_offset_ms", "end_offset_ms", "created_at"},
           std::move(rows), recording::session_exists(session_id), /*returning=*/false)) {
    writes.push_back(std::move(s));
  }
  const std::size_t statements = writes.size();
  // Deleted since the read: the guarded inserts wrote nothing.
  writes.push_back(recording::select_session(session_id));
  auto written = co_await ctx.run(sql::Database::kWorkers, std::move(writes));
  if (!written.ok()) co_return written.take_error();
  if (written->back().empty()) co_return Error::not_found("recording " + session_id + " not found");
  co_return Json{{"clips", paired.clips.size()},
                 {"stageEvents", event_rows.size()},
                 {"closeAtMs", options.close_at_ms},
                 {"report", report_json(paired.report)},
                 {"statements", statements}};
}

}  // namespace eventuall::ops
