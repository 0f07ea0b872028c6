// Recording on the workers database, natively: the clip pairing rules as a
// pure function, the session state machine, the cross-database start workflow
// under injected faults, and the chunk counts of bulk writes.
#include <algorithm>
#include <map>
#include <optional>
#include <random>

#include "ops/operation.h"
#include "ops/recording/clip_pairing.h"
#include "ops/recording/session_states.h"
#include "test_support.h"

namespace eventuall {
namespace {

using testing::kEventuallAdmin;
using testing::kMomentusAdmin;

using ops::recording::Clip;
using ops::recording::pair_stage_events;
using ops::recording::StageEvent;
using ops::recording::StageKind;

constexpr StageKind kIn = StageKind::kEnter;
constexpr StageKind kOut = StageKind::kExit;

ops::recording::PairingResult pair(std::vector<StageEvent> events, std::int64_t close_at = 1000,
                                   std::int64_t gap = 0) {
  return pair_stage_events(std::move(events), {close_at, gap});
}

TEST_CASE("pairing: enter/exit pairs per participant, in any stored order") {
  auto r = pair({{"b", kOut, 50}, {"a", kIn, 10}, {"b", kIn, 5}, {"a", kOut, 20}});
  CHECK(r.clips == std::vector<Clip>{{"a", 10, 20}, {"b", 5, 50}});
  CHECK(r.report.unmatched_exits == 0);
  CHECK(r.report.repeated_enters == 0);
}

TEST_CASE("pairing: a missing exit closes at the recording end, or at its own start") {
  auto r = pair({{"a", kIn, 10}, {"b", kIn, 2000}}, 900);
  CHECK(r.clips == std::vector<Clip>{{"a", 10, 900}});
  CHECK(r.report.closed_at_end == 2);
  CHECK(r.report.zero_length_dropped == 1);  // b entered after the end
}

TEST_CASE("pairing: a repeated enter keeps the first start; an exit without enter is ignored") {
  auto r = pair({{"a", kOut, 5}, {"a", kIn, 10}, {"a", kIn, 15}, {"a", kOut, 30}, {"a", kOut, 40}});
  CHECK(r.clips == std::vector<Clip>{{"a", 10, 30}});
  CHECK(r.report.repeated_enters == 1);
  CHECK(r.report.unmatched_exits == 2);
}

TEST_CASE("pairing: at one offset an enter wins, in whatever order the events came") {
  // On stage: exit+enter at 20 is a reconnect, joined back into one clip.
  auto on = pair({{"a", kIn, 10}, {"a", kIn, 20}, {"a", kOut, 20}, {"a", kOut, 30}});
  CHECK(on.clips == std::vector<Clip>{{"a", 10, 30}});
  CHECK(on.report.merged == 1);
  // Only exits at one offset take the participant off stage.
  auto off = pair({{"a", kIn, 10}, {"a", kOut, 20}, {"a", kOut, 20}});
  CHECK(off.clips == std::vector<Clip>{{"a", 10, 20}});
  CHECK(off.report.unmatched_exits == 1);
}

// Issue 21: the exit went first while off stage, so the enter was paired with
// it into a zero-length span and dropped, though the participant ended on stage.
TEST_CASE("pairing: [exit@t, enter@t] while off stage keeps the participant on stage") {
  auto r = pair({{"a", kOut, 20}, {"a", kIn, 20}});
  CHECK(r.clips == std::vector<Clip>{{"a", 20, 1000}});
  CHECK(r.report.unmatched_exits == 1);
  CHECK(r.report.closed_at_end == 1);
  CHECK(r.report.zero_length_dropped == 0);
  // Later events still count: an exit at 300 closes the span there.
  auto closed = pair({{"a", kOut, 20}, {"a", kIn, 20}, {"a", kOut, 300}});
  CHECK(closed.clips == std::vector<Clip>{{"a", 20, 300}});
}

TEST_CASE("pairing: [enter@t, enter@t, exit@t] while off stage is on stage from t") {
  auto r = pair({{"a", kIn, 20}, {"a", kIn, 20}, {"a", kOut, 20}, {"a", kOut, 400}});
  CHECK(r.clips == std::vector<Clip>{{"a", 20, 400}});
  CHECK(r.report.repeated_enters == 1);
  CHECK(r.report.unmatched_exits == 1);
}

TEST_CASE("pairing: the clips never depend on the order events of one offset were stored in") {
  // Every order of every mix of up to 2 enters and 2 exits at 20, from off
  // stage (nothing before) and from on stage (an enter at 10).
  for (bool was_on : {false, true}) {
    for (int enters = 0; enters <= 2; ++enters) {
      for (int exits = 0; exits <= 2; ++exits) {
        std::vector<int> kinds;  // 0 enter, 1 exit: permuted in order
        for (int i = 0; i < enters; ++i) kinds.push_back(0);
        for (int i = 0; i < exits; ++i) kinds.push_back(1);
        std::optional<ops::recording::PairingResult> first;
        do {
          std::vector<StageEvent> events;
          if (was_on) events.push_back({"a", kIn, 10});
          for (int k : kinds) events.push_back({"a", k == 0 ? kIn : kOut, 20});
          events.push_back({"a", kOut, 500});
          auto r = pair(events);
          if (!first) {
            first = r;
            // The rule itself: on stage after 20 exactly when an enter is at 20.
            const bool on_after = enters > 0 || (was_on && exits == 0);
            std::vector<Clip> expected;
            if (was_on && !on_after) expected.push_back({"a", 10, 20});
            if (on_after) expected.push_back({"a", was_on ? 10 : 20, 500});
            CHECK(r.clips == expected);
          }
          CHECK(r.clips == first->clips);
          CHECK(r.report.repeated_enters == first->report.repeated_enters);
          CHECK(r.report.unmatched_exits == first->report.unmatched_exits);
        } while (std::next_permutation(kinds.begin(), kinds.end()));
      }
    }
  }
}

TEST_CASE("pairing: cut at the recording's end, spans past it are dropped") {
  const ops::recording::PairingOptions ended{.close_at_ms = 900, .cut_at_close = true};
  auto r = pair_stage_events({{"a", kIn, 10},
                              {"a", kOut, 1500},  // exits after the end: cut at 900
                              {"b", kIn, 950},    // enters after the end: no footage
                              {"b", kOut, 990},
                              {"c", kIn, 900},  // enters at the end, never exits
                              {"d", kIn, 100}},
                             ended);
  CHECK(r.clips == std::vector<Clip>{{"a", 10, 900}, {"d", 100, 900}});
  CHECK(r.report.cut_at_end == 1);
  CHECK(r.report.past_end_dropped == 2);
  CHECK(r.report.closed_at_end == 2);
  // Without cut_at_close (still recording) an exit after close_at is kept.
  CHECK(pair({{"a", kIn, 10}, {"a", kOut, 1500}}, 900).clips == std::vector<Clip>{{"a", 10, 1500}});
}

// An oracle written from README's rules, not from the code: per participant,
// the state after each offset is on when an enter is there, off when only
// exits are; a clip is a maximal time on stage, open at the end closes at
// close_at (or its start), is cut at close_at when the recording has ended,
// and clips within the gap merge.
std::vector<Clip> oracle(const std::vector<StageEvent>& events,
                         const ops::recording::PairingOptions& o) {
  std::map<std::string, std::map<std::int64_t, std::pair<bool, bool>>> moments;
  for (const auto& e : events) {
    auto& m = moments[e.participant_id][e.offset_ms];
    (e.kind == kIn ? m.first : m.second) = true;
  }
  std::vector<Clip> out;
  for (const auto& [who, at] : moments) {
    std::vector<Clip> spans;
    bool on = false;
    std::int64_t from = 0;
    for (const auto& [t, m] : at) {
      const bool next = m.first || (on && !m.second);
      if (!on && next) from = t;
      if (on && !next) spans.push_back({who, from, t});
      on = next;
    }
    if (on) spans.push_back({who, from, std::max(from, o.close_at_ms)});
    std::vector<Clip> kept;
    for (auto c : spans) {
      if (o.cut_at_close && c.start_ms >= o.close_at_ms) continue;
      if (o.cut_at_close) c.end_ms = std::min(c.end_ms, o.close_at_ms);
      if (c.end_ms == c.start_ms) continue;
      if (!kept.empty() && c.start_ms - kept.back().end_ms <= o.merge_gap_ms) {
        kept.back().end_ms = c.end_ms;
      } else {
        kept.push_back(c);
      }
    }
    out.insert(out.end(), kept.begin(), kept.end());
  }
  return out;
}

TEST_CASE("pairing: 2,000 random sequences with many ties agree with the oracle, in any order") {
  std::mt19937 random(21);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  for (int round = 0; round < 2000; ++round) {
    std::vector<StageEvent> events;
    const int count = pick(14);
    for (int i = 0; i < count; ++i) {
      events.push_back({std::string(1, static_cast<char>('a' + pick(3))), pick(2) ? kIn : kOut,
                        static_cast<std::int64_t>(pick(8) * 10)});
    }
    ops::recording::PairingOptions options{
        .close_at_ms = pick(10) * 10, .merge_gap_ms = pick(3) * 5, .cut_at_close = pick(2) == 1};
    // As generate_clips calls it: an end that is not the recording's is never
    // before the last event.
    for (const auto& e : events) {
      if (!options.cut_at_close) options.close_at_ms = std::max(options.close_at_ms, e.offset_ms);
    }
    const auto expected = oracle(events, options);
    auto got = pair_stage_events(events, options);
    REQUIRE_MESSAGE(got.clips == expected, "round " << round);
    std::shuffle(events.begin(), events.end(), random);
    CHECK(pair_stage_events(events, options).clips == expected);
    for (const auto& c : got.clips) {
      CHECK(c.end_ms > c.start_ms);
      if (options.cut_at_close) CHECK(c.end_ms <= options.close_at_ms);
    }
  }
}

TEST_CASE("pairing: the merge gap joins spans at most that far apart") {
  std::vector<StageEvent> events = {{"a", kIn, 0},    {"a", kOut, 100}, {"a", kIn, 150},
                                    {"a", kOut, 200}, {"a", kIn, 400},  {"a", kOut, 500}};
  CHECK(pair(events, 1000, 0).clips.size() == 3);
  auto r = pair(events, 1000, 50);
  CHECK(r.clips == std::vector<Clip>{{"a", 0, 200}, {"a", 400, 500}});
  CHECK(r.report.merged == 1);
  CHECK(pair(events, 1000, 200).clips == std::vector<Clip>{{"a", 0, 500}});
}

TEST_CASE("merging: overlapping and contained spans become one") {
  std::size_t merged = 0;
  auto out = ops::recording::merge_spans(
      {{"a", 30, 60}, {"a", 0, 40}, {"a", 10, 20}, {"a", 70, 80}}, 0, &merged);
  CHECK(out == std::vector<Clip>{{"a", 0, 60}, {"a", 70, 80}});
  CHECK(merged == 2);
}

TEST_CASE("the state machine lists each legal edge once; terminal states lead nowhere") {
  using ops::recording::is_legal;
  CHECK(is_legal("pending", "recording"));
  CHECK(is_legal("processing", "ready"));
  CHECK_FALSE(is_legal("pending", "ready"));
  CHECK_FALSE(is_legal("ready", "failed"));
  CHECK_FALSE(is_legal("failed", "recording"));
  CHECK(ops::recording::sources_of("pending").empty());
  CHECK(ops::recording::sources_of("failed").size() == 3);
}

// An event of the seed account with two rooms; the owner holds every permission.
struct RecordingSetup {
  testing::TestDatabases db;
  std::string event_id;
  std::string room_id;
  std::string other_room_id;

  RecordingSetup() {
    auto created =
        db.ok("create_event", {{"actorUserId", kEventuallAdmin},
                               {"accountId", "seedaccounteventuall0001"},
                               {"name", "Live"},
                               {"rooms", Json::array({{{"name", "Main"}}, {{"name", "B"}}})}});
    event_id = created["event"]["id"];
    room_id = created["rooms"][0]["id"];
    other_room_id = created["rooms"][1]["id"];
  }

  Json start_input(const std::string& key, std::size_t enters = 3) {
    Json events = Json::array();
    for (std::size_t i = 0; i < enters; ++i) {
      events.push_back({{"participantId", "p" + std::to_string(i)}, {"offsetMs", i * 10}});
    }
    return {{"actorUserId", kEventuallAdmin}, {"eventId", event_id},    {"roomId", room_id},
            {"idempotencyKey", key},          {"muxStreamId", "mux-1"}, {"stageEvents", events}};
  }
  std::int64_t workers_count(const std::string& table) { return db.count(*db.workers, table); }
  // Every stored clip as "participant:start-end", sorted.
  std::vector<std::string> clips() {
    auto rows = db.workers->query(
        "SELECT participant_id || ':' || start_offset_ms || '-' || end_offset_ms FROM "
        "participant_clips ORDER BY 1");
    REQUIRE(rows.ok());
    std::vector<std::string> out;
    for (const auto& r : rows->rows) out.push_back(r[0].as_text());
    return out;
  }
};

TEST_CASE("start recording: creates session, first stage events and a log line at once") {
  RecordingSetup s;
  auto first = s.db.ok("start_recording", s.start_input("k1"));
  CHECK(first["created"] == true);
  CHECK(first["session"]["status"] == "pending");
  CHECK(first["stageEvents"] == 3);
  CHECK(s.workers_count("stage_events") == 3);
  CHECK(s.workers_count("cloudcaster_logs") == 1);

  // A retry (e.g. the reply was lost) returns the same session, writes nothing.
  const std::string before = s.db.dump(*s.db.workers);
  auto again = s.db.ok("start_recording", s.start_input("k1"));
  CHECK(again["created"] == false);
  CHECK(again["session"]["id"] == first["session"]["id"]);
  CHECK(s.db.dump(*s.db.workers) == before);

  // The key reused for another recording is a conflict.
  Json other = s.start_input("k1");
  other["roomId"] = s.other_room_id;
  CHECK(s.db.error_code("start_recording", other) == "conflict");
  other = s.start_input("k1");
  other["muxStreamId"] = "mux-2";
  CHECK(s.db.error_code("start_recording", other) == "conflict");
  CHECK(s.db.dump(*s.db.workers) == before);
}

TEST_CASE("start recording: refused callers and foreign rooms write nothing") {
  RecordingSetup s;
  const std::string before = s.db.dump(*s.db.workers);
  Json stranger = s.start_input("k");
  stranger["actorUserId"] = kMomentusAdmin;
  CHECK(s.db.error_code("start_recording", stranger) == "not_found");
  Json foreign_room = s.start_input("k");
  foreign_room["roomId"] = "roomnotofthiseventaaaaaa";
  CHECK(s.db.error_code("start_recording", foreign_room) == "not_found");
  Json negative = s.start_input("k");
  negative["stageEvents"][1]["offsetMs"] = -5;
  CHECK(s.db.error_code("start_recording", negative) == "invalid_input");
  Json early = s.start_input("k");
  early["stageEvents"][0]["occurredAt"] = 1000;
  CHECK(s.db.error_code("start_recording", early) == "invalid_input");
  CHECK(s.db.dump(*s.db.workers) == before);
}

// Regression (issue 21, item 1): an organizer granted on one room only got
// not_found, because the event-wide visibility check ran first (fixed in
// rbac::sees_event: a grant on any room of the event counts).
TEST_CASE("start recording: an organizer of one room starts and reads that room's recording") {
  RecordingSetup s;
  const std::string organizer =
      s.db.ok("sign_up", {{"email", "room-organizer@example.com"}, {"name", "Ro"}})["user"]["id"];
  s.db.ok("grant_access", {{"actorUserId", kEventuallAdmin},
                           {"userId", organizer},
                           {"eventId", s.event_id},
                           {"roomId", s.room_id},
                           {"roleId", "roleorganizer00000000000"}});
  Json start = s.start_input("room-scoped");
  start["actorUserId"] = organizer;
  auto started = s.db.call("start_recording", start);
  REQUIRE_MESSAGE(started.ok(), started.error().message());
  const std::string id = started.value()["session"]["id"];
  CHECK(s.db.call("get_recording", {{"actorUserId", organizer}, {"sessionId", id}}).ok());
  auto listed = s.db.call("list_recordings", {{"actorUserId", organizer},
                                              {"eventId", s.event_id},
                                              {"roomId", s.room_id}});
  REQUIRE(listed.ok());
  CHECK(listed.value()["sessions"].size() == 1);
  CHECK(s.db.call("list_clips", {{"actorUserId", organizer}, {"sessionId", id}}).ok());
  // The other room of the event stays closed to them.
  Json other = s.start_input("other-room");
  other["actorUserId"] = organizer;
  other["roomId"] = s.other_room_id;
  const std::string refused = s.db.error_code("start_recording", other);
  CHECK((refused == "forbidden" || refused == "not_found"));
}

TEST_CASE("start recording: a fault at every step, then a retry, leaves exactly one session") {
  // Workers batch: session insert, 1 stage-event chunk (13 rows of 7 values
  // fit with the guard), log insert, read-back = 4 statements; plus the
  // webapp check. A fault at any of them fails the call and writes nothing;
  // the retry with the same key then makes the one session.
  for (std::size_t k = 0; k < 5; ++k) {
    INFO("failing step " << k);
    RecordingSetup s;
    const std::string before = s.db.dump(*s.db.workers);
    auto& failing = k == 0 ? *s.db.webapp : *s.db.workers;
    failing.fail_statement_for_testing(k == 0 ? 0 : k - 1);
    CHECK(s.db.error_code("start_recording", s.start_input("retry-key", 12)) == "db_error");
    failing.fail_statement_for_testing(std::nullopt);
    CHECK(s.db.dump(*s.db.workers) == before);

    auto retried = s.db.ok("start_recording", s.start_input("retry-key", 12));
    CHECK(retried["created"] == true);
    CHECK(s.db.ok("start_recording", s.start_input("retry-key", 12))["created"] == false);
    CHECK(s.workers_count("cloudcaster_sessions") == 1);
    CHECK(s.workers_count("stage_events") == 12);
    CHECK(s.workers_count("cloudcaster_logs") == 1);
    // No child row points at anything but the one session.
    auto orphans = s.db.workers->query(
        "SELECT (SELECT count(*) FROM stage_events WHERE session_id <> ?) + (SELECT count(*) FROM "
        "cloudcaster_logs WHERE session_id <> ?) AS n",
        {retried["session"]["id"].get<std::string>(), retried["session"]["id"].get<std::string>()});
    REQUIRE(orphans.ok());
    CHECK(orphans->rows[0][0].as_integer() == 0);
  }
}

TEST_CASE("transitions follow the table; illegal or stale ones are conflicts and write nothing") {
  RecordingSetup s;
  const std::string id = s.db.ok("start_recording", s.start_input("k"))["session"]["id"];
  auto to = [&](const std::string& state, Json extra = Json::object()) {
    extra["sessionId"] = id;
    extra["to"] = state;
    return extra;
  };
  CHECK(s.db.error_code("transition_recording", to("ready", {{"playbackUrl", "https://x/y"}})) ==
        "conflict");
  auto recording = s.db.ok("transition_recording", to("recording", {{"expectedVersion", 0}}));
  CHECK(recording["session"]["version"] == 1);
  const std::string before = s.db.dump(*s.db.workers);
  CHECK(s.db.error_code("transition_recording", to("processing", {{"expectedVersion", 0}})) ==
        "conflict");
  CHECK(s.db.error_code("transition_recording", to("pending")) == "conflict");
  CHECK(s.db.error_code("transition_recording", to("ready")) == "invalid_input");
  CHECK(s.db.error_code("transition_recording", to("failed")) == "invalid_input");
  CHECK(s.db.dump(*s.db.workers) == before);
  auto processing = s.db.ok("transition_recording", to("processing"));
  CHECK_FALSE(processing["session"]["recordingEndedAt"].is_null());
  auto ready = s.db.ok("transition_recording",
                       to("ready", {{"playbackUrl", "https://stream.mux.com/abc.m3u8"}}));
  CHECK(ready["session"]["playbackUrl"] == "https://stream.mux.com/abc.m3u8");
  CHECK(s.db.error_code("transition_recording", to("failed", {{"errorMessage", "too late"}})) ==
        "conflict");
  Json unknown = to("recording");
  unknown["sessionId"] = "nosuchsessionaaaaaaaaaaa";
  CHECK(s.db.error_code("transition_recording", unknown) == "not_found");
}

TEST_CASE("generate clips twice gives the same clips, and chunks its inserts") {
  RecordingSetup s;
  const std::string id = s.db.ok("start_recording", s.start_input("k", 0))["session"]["id"];
  // 40 participants, each on stage twice, 10 ms apart (merged with a 20 ms gap).
  Json events = Json::array();
  for (int p = 0; p < 40; ++p) {
    const std::string who = "p" + std::to_string(p);
    for (int t : {0, 100, 110, 200}) {
      events.push_back({{"participantId", who},
                        {"kind", t == 0 || t == 110 ? "enter" : "exit"},
                        {"offsetMs", t + p}});
    }
  }
  auto appended = s.db.ok("append_stage_events", {{"sessionId", id}, {"events", events}});
  CHECK(appended["appended"] == 160);
  CHECK(appended["statements"] == 13);  // 13 rows of 7 values + a 3-value guard

  auto first = s.db.ok("generate_clips", {{"sessionId", id}});
  CHECK(first["clips"] == 80);
  CHECK(first["statements"] == 1 + 5);  // delete + 80 clips at 16 (6 values + the guard)
  const auto clips = s.clips();
  auto second = s.db.ok("generate_clips", {{"sessionId", id}});
  CHECK(second["clips"] == 80);
  CHECK(s.clips() == clips);
  CHECK(s.workers_count("participant_clips") == 80);

  auto merged = s.db.ok("generate_clips", {{"sessionId", id}, {"mergeGapMs", 20}});
  CHECK(merged["clips"] == 40);
  CHECK(merged["report"]["merged"] == 40);
  CHECK(s.workers_count("participant_clips") == 40);

  // A fault in the middle of the replacement keeps the previous clips.
  const std::string before = s.db.dump(*s.db.workers);
  s.db.workers->fail_statement_for_testing(2);
  CHECK(s.db.error_code("generate_clips", {{"sessionId", id}}) == "db_error");
  s.db.workers->fail_statement_for_testing(std::nullopt);
  CHECK(s.db.dump(*s.db.workers) == before);
}

// Issue 21: while recording, open spans closed at the session's last event,
// so a participant who entered last (or alone) had no clip at all.
TEST_CASE("generate clips while recording: open spans close at now, or at the last event if later") {
  RecordingSetup s;
  s.db.client.set_deterministic_for_testing(crypto::Seed{}, 1767225600000);  // 1 s an operation
  const std::string id = s.db.ok("start_recording", s.start_input("live", 1))["session"]["id"];
  auto enter = [&](const std::string& who, std::int64_t at) {
    Json events = Json::array({{{"participantId", who}, {"kind", "enter"}, {"offsetMs", at}}});
    s.db.ok("append_stage_events", {{"sessionId", id}, {"events", events}});
  };
  enter("p1", 1500);  // started at 0 s, this at 1 s
  auto live = s.db.ok("generate_clips", {{"sessionId", id}});  // at 2 s
  CHECK(live["closeAtMs"] == 2000);
  CHECK(s.clips() == std::vector<std::string>{"p0:0-2000", "p1:1500-2000"});
  enter("p2", 9000);                                      // at 3 s: ahead of the clock
  live = s.db.ok("generate_clips", {{"sessionId", id}});  // at 4 s
  CHECK(live["closeAtMs"] == 9000);
  CHECK(s.clips() == std::vector<std::string>{"p0:0-9000", "p1:1500-9000"});
  CHECK(live["report"]["zeroLengthDropped"] == 1);  // p2 entered at the last event
  // Ended at 6 s: cut there, p2's span starts past the end.
  s.db.ok("transition_recording", {{"sessionId", id}, {"to", "recording"}});
  s.db.ok("transition_recording", {{"sessionId", id}, {"to", "processing"}});
  auto ended = s.db.ok("generate_clips", {{"sessionId", id}});
  CHECK(ended["closeAtMs"] == 6000);
  CHECK(ended["report"]["pastEndDropped"] == 1);
  CHECK(s.clips() == std::vector<std::string>{"p0:0-6000", "p1:1500-6000"});
}

TEST_CASE("bad stage events write nothing") {
  RecordingSetup s;
  const std::string id = s.db.ok("start_recording", s.start_input("k", 0))["session"]["id"];
  const std::string before = s.db.dump(*s.db.workers);
  Json good = {{"participantId", "a"}, {"kind", "enter"}, {"offsetMs", 5}};
  Json negative = {{"participantId", "a"}, {"kind", "exit"}, {"offsetMs", -1}};
  // Started at the first fixture second; an exit timed before that is refused.
  Json early = {{"participantId", "a"}, {"kind", "exit"}, {"offsetMs", 1}, {"occurredAt", 1}};
  CHECK(s.db.error_code("append_stage_events",
                        {{"sessionId", id}, {"events", Json::array({good, negative})}}) ==
        "invalid_input");
  CHECK(s.db.error_code("append_stage_events",
                        {{"sessionId", id}, {"events", Json::array({good, early})}}) ==
        "invalid_input");
  CHECK(s.db.error_code("append_stage_events", {{"sessionId", "nosuchsessionaaaaaaaaaaa"},
                                                {"events", Json::array({good})}}) == "not_found");
  CHECK(s.db.error_code("generate_clips", {{"sessionId", "nosuchsessionaaaaaaaaaaa"}}) ==
        "not_found");
  CHECK(s.db.dump(*s.db.workers) == before);
}

// Issue 21: README promised 10,000 lines a call; 10,000 lines of about 150
// bytes were over the 1 MiB every operation took.
TEST_CASE("logs: 10,000 lines of about 150 bytes in one call; the bulk cap is 2 MiB") {
  RecordingSetup s;
  const std::string id = s.db.ok("start_recording", s.start_input("k", 0))["session"]["id"];
  auto lines_of = [](std::size_t pad) {
    Json lines = Json::array();
    for (int i = 0; i < 10'000; ++i) {
      lines.push_back({{"layer", "workflow"},
                       {"level", "info"},
                       {"message", "egress " + std::to_string(i) + " " + std::string(pad, 'x')},
                       {"context", {{"i", i}}}});
    }
    return lines;
  };
  Json input = {{"sessionId", id}, {"lines", lines_of(70)}};
  const std::size_t bytes = dump_json(input).size();
  CHECK(bytes > ops::kMaxInputBytes);
  CHECK(bytes / 10'000 >= 140);
  auto appended = s.db.ok("append_logs", input);
  CHECK(appended["appended"] == 10'000);
  CHECK(appended["statements"] == 834);
  CHECK(s.workers_count("cloudcaster_logs") == 10'001);

  const std::string before = s.db.dump(*s.db.workers);
  Json over = {{"sessionId", id}, {"lines", lines_of(420)}};
  REQUIRE(dump_json(over).size() > ops::kMaxBulkInputBytes);
  auto refused = s.db.call("append_logs", over);
  REQUIRE(!refused.ok());
  CHECK(refused.error().code_name() == "invalid_input");
  CHECK(refused.error().message() == "input larger than 2097152 bytes");
  CHECK(s.db.dump(*s.db.workers) == before);
  CHECK(ops::max_input_bytes("append_logs") == ops::kMaxBulkInputBytes);
  CHECK(ops::max_input_bytes("append_stage_events") == ops::kMaxBulkInputBytes);
  CHECK(ops::max_input_bytes("sign_up") == ops::kMaxInputBytes);
  CHECK(ops::max_input_bytes("no_such_operation") == ops::kMaxInputBytes);
}

TEST_CASE("logs: bulk append is chunked and atomic; query pages; prune honours retention") {
  RecordingSetup s;
  const std::string id = s.db.ok("start_recording", s.start_input("k", 0))["session"]["id"];
  Json lines = Json::array();
  for (int i = 0; i < 1000; ++i) {
    lines.push_back({{"level", i % 10 == 0 ? "error" : "info"},
                     {"layer", "service"},
                     {"message", "line " + std::to_string(i)},
                     {"context", {{"i", i}}},
                     {"loggedAt", 1000 + i}});
  }
  auto appended = s.db.ok("append_logs", {{"sessionId", id}, {"lines", lines}});
  CHECK(appended["statements"] == 84);  // 12 lines of 8 values + the guard
  CHECK(s.workers_count("cloudcaster_logs") == 1001);

  const std::string before = s.db.dump(*s.db.workers);
  Json bad = lines;
  bad[500]["context"] = "not an object";
  CHECK(s.db.error_code("append_logs", {{"sessionId", id}, {"lines", bad}}) == "invalid_input");
  CHECK(s.db.error_code("append_logs", {{"sessionId", "nosuchsessionaaaaaaaaaaa"},
                                        {"lines", lines}}) == "not_found");
  s.db.workers->fail_statement_for_testing(83);
  CHECK(s.db.error_code("append_logs", {{"sessionId", id}, {"lines", lines}}) == "db_error");
  s.db.workers->fail_statement_for_testing(std::nullopt);
  CHECK(s.db.dump(*s.db.workers) == before);

  // Errors only, oldest first, 40 a page: 100 errors in 3 pages.
  std::vector<std::string> seen;
  Json input = {{"sessionId", id}, {"level", "error"}, {"limit", 40}};
  for (int page = 0; page < 5; ++page) {
    auto got = s.db.ok("query_logs", input);
    for (const auto& line : got["logs"]) seen.push_back(line["message"]);
    if (got["nextCursor"].is_null()) break;
    input["cursor"] = got["nextCursor"];
  }
  CHECK(seen.size() == 100);
  CHECK(seen.front() == "line 0");
  CHECK(seen.back() == "line 990");
  auto window = s.db.ok("query_logs", {{"sessionId", id}, {"since", 1100}, {"until", 1110}});
  CHECK(window["logs"].size() == 10);

  // The lines are from 1970; everything older than now goes.
  auto pruned = s.db.ok("prune_logs", {{"retentionSeconds", 0}, {"maxRows", 600}});
  CHECK(pruned["deleted"] == 600);
  CHECK(pruned["more"] == true);
  pruned = s.db.ok("prune_logs", {{"retentionSeconds", 0}});
  CHECK(pruned["more"] == false);
  auto left = s.db.workers->query("SELECT count(*) FROM cloudcaster_logs WHERE logged_at < 2000");
  REQUIRE(left.ok());
  CHECK(left->rows[0][0].as_integer() == 0);
}

}  // namespace
}  // namespace eventuall
