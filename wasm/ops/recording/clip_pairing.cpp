#include "ops/recording/clip_pairing.h"

#include <algorithm>

namespace eventuall::ops::recording {

namespace {

bool before(const StageEvent& a, const StageEvent& b) {
  if (a.participant_id != b.participant_id) return a.participant_id < b.participant_id;
  return a.offset_ms < b.offset_ms;
}

// One participant's state machine over events[begin, end), sorted by offset.
void pair_participant(const std::vector<StageEvent>& events, std::size_t begin, std::size_t end,
                      const PairingOptions& options, PairingResult& out) {
  const std::string& who = events[begin].participant_id;
  std::vector<Clip> spans;
  bool on = false;
  std::int64_t opened_at = 0;
  for (std::size_t i = begin; i < end;) {
    // A group of events at one offset: count each kind; an enter wins (see
    // the header), whatever order they came in.
    std::size_t j = i;
    std::size_t enters = 0;
    std::size_t exits = 0;
    for (; j < end && events[j].offset_ms == events[i].offset_ms; ++j) {
      (events[j].kind == StageKind::kEnter ? enters : exits)++;
    }
    const std::int64_t t = events[i].offset_ms;
    if (on && exits > 0) {  // closes, and reopens below for a reconnect
      --exits;
      on = false;
      spans.push_back({who, opened_at, t});
    }
    if (!on && enters > 0) {
      --enters;
      on = true;
      opened_at = t;
    }
    out.report.repeated_enters += enters;
    out.report.unmatched_exits += exits;
    i = j;
  }
  if (on) {
    ++out.report.closed_at_end;
    spans.push_back({who, opened_at, std::max(opened_at, options.close_at_ms)});
  }
  if (options.cut_at_close) {
    std::erase_if(spans, [&](const Clip& c) {
      const bool past = c.start_ms >= options.close_at_ms;
      out.report.past_end_dropped += past;
      return past;
    });
    for (auto& c : spans) {
      if (c.end_ms > options.close_at_ms) {
        c.end_ms = options.close_at_ms;
        ++out.report.cut_at_end;
      }
    }
  }
  std::erase_if(spans, [&](const Clip& c) {
    const bool empty = c.end_ms == c.start_ms;
    out.report.zero_length_dropped += empty;
    return empty;
  });
  for (auto& clip : merge_spans(std::move(spans), options.merge_gap_ms, &out.report.merged)) {
    out.clips.push_back(std::move(clip));
  }
}

}  // namespace

std::vector<Clip> merge_spans(std::vector<Clip> spans, std::int64_t gap_ms, std::size_t* merged) {
  std::sort(spans.begin(), spans.end(), [](const Clip& a, const Clip& b) {
    return a.start_ms != b.start_ms ? a.start_ms < b.start_ms : a.end_ms < b.end_ms;
  });
  std::vector<Clip> out;
  for (auto& span : spans) {
    if (!out.empty() && span.start_ms - out.back().end_ms <= gap_ms) {
      out.back().end_ms = std::max(out.back().end_ms, span.end_ms);
      if (merged) ++*merged;
    } else {
      out.push_back(std::move(span));
    }
  }
  return out;
}

PairingResult pair_stage_events(std::vector<StageEvent> events, const PairingOptions& options) {
  // The database hands them over sorted; sorting is only the fallback.
  if (!std::is_sorted(events.begin(), events.end(), before)) {
    std::stable_sort(events.begin(), events.end(), before);
  }
  PairingResult out;
  for (std::size_t i = 0; i < events.size();) {
    std::size_t j = i + 1;
    while (j < events.size() && events[j].participant_id == events[i].participant_id) ++j;
    pair_participant(events, i, j, options, out);
    i = j;
  }
  return out;
}

}  // namespace eventuall::ops::recording
