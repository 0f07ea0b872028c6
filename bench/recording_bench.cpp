// Recording at scale, natively: clip generation for one session of 100,000
// stage events, and one append of 10,000 log lines, through the whole
// operation path (JSON in, batches, JSON out) on SQLite databases migrated
// like production. Reports wall time, D1 round trips (batches) and statements.
// bench/recording_bench.mjs measures the same through the wasm over sql.js.
//
//   build/native/eventuall_bench_recording [participants | --smoke]
// (--smoke: 10 participants, 1,000 events and 1,000 log lines, for CI.)
//
// A program, not a test: figures go to BENCHMARKS.md; nothing asserts time.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "bench_support.h"
#include "client.h"
#include "migrations.h"

namespace {

using namespace eventuall;
using bench::must;
using Clock = std::chrono::steady_clock;

constexpr int kEventsPerParticipant = 100;
constexpr int kEventsPerCall = 10'000;

// Wall and CPU time: the machine is shared, so CPU time is the steadier figure.
struct Timer {
  Clock::time_point wall = Clock::now();
  std::clock_t cpu = std::clock();
  std::string str() const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f / %.0f",
                  std::chrono::duration<double, std::milli>(Clock::now() - wall).count(),
                  1000.0 * static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC);
    return buf;
  }
};

// Participant p's k-th event: alternating enter/exit every 5 s, with every
// 10th participant's 50th exit lost and every 7th repeating an enter, so the
// pairing's edge cases are on the measured path.
Json stage_event(int p, int k) {
  const bool enter = k % 2 == 0;
  const char* kind = enter ? "enter" : "exit";
  if (p % 10 == 0 && k == 49) kind = "enter";  // a lost exit: repeated enter
  return {{"participantId", "participant-" + std::to_string(p)},
          {"kind", kind},
          {"offsetMs", static_cast<std::int64_t>(k) * 5000 + p}};
}

}  // namespace

int main(int argc, char** argv) {
  const bool smoke = argc > 1 && std::string(argv[1]) == "--smoke";
  const int participants = smoke ? 10 : argc > 1 ? std::atoi(argv[1]) : 1000;
  const int log_lines = smoke ? 1'000 : 10'000;
  const char* log_lines_label = smoke ? "1,000" : "10,000";
  if (participants < 1) {
    std::fprintf(stderr, "usage: %s [participants >= 1 | --smoke]\n", argv[0]);
    return 2;
  }
  const std::string root = EVENTUALL_SOURCE_DIR;
  auto webapp = sqlite::SqliteDatabase::open(":memory:");
  auto workers = sqlite::SqliteDatabase::open(":memory:");
  if (!sqlite::apply_migrations(**webapp, root + "/migrations/webapp").ok() ||
      !sqlite::apply_migrations(**workers, root + "/migrations/workers").ok() ||
      !sqlite::apply_sql_file(**webapp, root + "/migrations/seeds/account_user.sql").ok()) {
    return 1;
  }
  sqlite::Client client(**webapp, **workers);
  const std::string owner = "seedusereventuall0000001";
  Json created = must(client, "create_event",
                      {{"actorUserId", owner},
                       {"accountId", "seedaccounteventuall0001"},
                       {"name", "Bench"},
                       {"rooms", Json::array({{{"name", "Stage"}}})}});
  Json started = must(client, "start_recording",
                      {{"actorUserId", owner},
                       {"eventId", created["event"]["id"]},
                       {"roomId", created["rooms"][0]["id"]},
                       {"idempotencyKey", "bench"}});
  const std::string session = started["session"]["id"];

  // Stage events, 10,000 per call (the operation's cap).
  const int total = participants * kEventsPerParticipant;
  std::vector<Json> calls;
  Json batch = Json::array();
  for (int k = 0; k < kEventsPerParticipant; ++k) {
    for (int p = 0; p < participants; ++p) {
      batch.push_back(stage_event(p, k));
      if (static_cast<int>(batch.size()) == kEventsPerCall)
        calls.push_back(std::exchange(batch, Json::array()));
    }
  }
  if (!batch.empty()) calls.push_back(batch);
  std::int64_t append_statements = 0;
  Timer append_timer;
  for (const auto& events : calls) {
    append_statements += must(client, "append_stage_events",
                              {{"sessionId", session}, {"events", events}})["statements"]
                             .get<std::int64_t>() +
                         1;
  }
  const std::string append_time = append_timer.str();

  std::printf(
      "| measurement (native, SQLite in memory) | wall / CPU (ms) | D1 round trips | statements "
      "|\n");
  std::printf("|---|---|---|---|\n");
  std::printf("| append %d stage events (%zu calls of <= %d) | %s | %zu | %lld |\n", total,
              calls.size(), kEventsPerCall, append_time.c_str(), calls.size(),
              static_cast<long long>(append_statements));
  for (int run = 0; run < 2; ++run) {
    Timer timer;
    Json clips = must(client, "generate_clips", {{"sessionId", session}, {"mergeGapMs", 1000}});
    const std::string time = timer.str();
    // Read batch: session + events (2); write batch: delete + inserts + read-back.
    std::printf("| generate_clips over %d events -> %lld clips (%s) | %s | 2 | %lld |\n", total,
                static_cast<long long>(clips["clips"].get<std::int64_t>()),
                run == 0 ? "first" : "regenerated", time.c_str(),
                static_cast<long long>(clips["statements"].get<std::int64_t>() + 3));
  }

  // About 95 bytes of JSON a line: 10,000 fit the 1 MiB input limit.
  Json lines = Json::array();
  for (int i = 0; i < log_lines; ++i) {
    lines.push_back({{"level", i % 50 ? "info" : "warn"},
                     {"layer", i % 3 == 0 ? "coordinator" : "service"},
                     {"message", "segment " + std::to_string(i) + " uploaded"},
                     {"context", {{"segment", i}}}});
  }
  for (int run = 0; run < 2; ++run) {
    Timer timer;
    Json logs = must(client, "append_logs", {{"sessionId", session}, {"lines", lines}});
    std::printf("| append_logs of %s lines (run %d) | %s | 1 | %lld |\n", log_lines_label, run + 1,
                timer.str().c_str(),
                static_cast<long long>(logs["statements"].get<std::int64_t>() + 1));
  }
  return 0;
}
