#pragma once
// The lifecycle of a recording session, as one table of legal edges:
//
//   pending -> recording -> processing -> ready
//   pending, recording, processing -> failed
//
// ready and failed are terminal. Everything else is a conflict. The UPDATE of
// a transition is guarded by this table (status IN (<sources>)), so the check
// and the write are one statement: racing transitions apply one at a time, and
// each wins whose edge is legal from the state it finds. Of racers with one
// expectedVersion, or one target, exactly one wins; racers with different
// targets and no version can both win in turn (pending -> recording -> failed).

#include <string>
#include <string_view>
#include <vector>

namespace eventuall::ops::recording {

struct Transition {
  std::string_view from;
  std::string_view to;
};

inline constexpr Transition kTransitions[] = {
    {"pending", "recording"}, {"pending", "failed"},   {"recording", "processing"},
    {"recording", "failed"},  {"processing", "ready"}, {"processing", "failed"},
};

// The states a session may be in to move to `to` (empty: nothing leads there).
std::vector<std::string> sources_of(std::string_view to);
bool is_legal(std::string_view from, std::string_view to);
// Entering these stops the recording clock (recording_ended_at is set).
bool ends_recording(std::string_view to);

}  // namespace eventuall::ops::recording
