#include "ops/recording/session_states.h"

namespace eventuall::ops::recording {

std::vector<std::string> sources_of(std::string_view to) {
  std::vector<std::string> out;
  for (const auto& t : kTransitions) {
    if (t.to == to) out.emplace_back(t.from);
  }
  return out;
}

bool is_legal(std::string_view from, std::string_view to) {
  for (const auto& t : kTransitions) {
    if (t.from == from && t.to == to) return true;
  }
  return false;
}

bool ends_recording(std::string_view to) {
  return to == "processing" || to == "failed";
}

}  // namespace eventuall::ops::recording
