#pragma once
// Participant clips from stage events, as a pure function (no database), so
// every pairing rule is unit-tested on its own. Per participant, the events
// drive a two-state machine (off stage / on stage), one offset at a time:
//
//   enter while off  -> a span opens
//   exit while on    -> the span closes
//   enter while on   -> a repeated enter: ignored (the span keeps its first
//                       start; at-least-once delivery repeats events), counted
//   exit while off   -> an exit without enter: ignored, counted
//   still on at end  -> closed at close_at_ms (the recording's end, or where a
//                       live recording has got to), or at its own start if later
//
// Events of one participant at the same offset are one moment, and an enter
// wins it: after offset t the participant is on stage when any event at t is
// an enter, off stage when they are all exits (and unchanged without events).
// The order the events were sent or stored in never matters, and a tie never
// loses footage: a reconnect (exit+enter at t while on) keeps one clip, and an
// exit+enter at t while off opens one, in either order. The rest of a group is
// counted as above (an exit beside the enter that opens a span: without enter;
// enters beside the first: repeated).
//
// With cut_at_close (the recording has ended), no clip runs past close_at_ms:
// a span crossing it ends there, a span starting at or after it is dropped.
//
// Then, per participant: zero-length spans are dropped (no footage), and
// spans that overlap or whose gap is at most merge_gap_ms are merged.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace eventuall::ops::recording {

enum class StageKind { kEnter, kExit };

struct StageEvent {
  std::string participant_id;
  StageKind kind = StageKind::kEnter;
  std::int64_t offset_ms = 0;
};

struct Clip {
  std::string participant_id;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  bool operator==(const Clip&) const = default;
};

struct PairingOptions {
  // generate_clips passes the recording's end (cut_at_close) or a point no
  // earlier than the session's last event.
  std::int64_t close_at_ms = 0;
  std::int64_t merge_gap_ms = 0;
  // close_at_ms is the recording's end: no footage exists after it.
  bool cut_at_close = false;
};

// What the rules above ignored or changed, for the caller's report.
struct PairingReport {
  std::size_t repeated_enters = 0;
  std::size_t unmatched_exits = 0;
  std::size_t closed_at_end = 0;
  std::size_t zero_length_dropped = 0;
  std::size_t merged = 0;
  std::size_t cut_at_end = 0;        // spans that ran past the end, cut there
  std::size_t past_end_dropped = 0;  // spans that started at or after the end
};

struct PairingResult {
  std::vector<Clip> clips;  // by participant, then start
  PairingReport report;
};

// Events in any order (sorted by participant and offset is fastest).
PairingResult pair_stage_events(std::vector<StageEvent> events, const PairingOptions& options);

// One participant's spans, sorted by start, merged where they overlap or
// their gap is at most gap_ms; adds the number of merges to *merged.
std::vector<Clip> merge_spans(std::vector<Clip> spans, std::int64_t gap_ms, std::size_t* merged);

}  // namespace eventuall::ops::recording
