#include "runtime/outcome.h"

namespace eventuall::runtime {

// Written straight into the text (the value is not copied into a wrapper
// object first), with the keys in the order nlohmann's sorted objects give.
std::string outcome_text(const Result<Json>& outcome) {
  std::string text;
  text.reserve(256);  // most outcomes fit: no regrowth while appending
  if (outcome.ok()) {
    text = "{\"ok\":true,\"value\":";
    append_json(text, outcome.value());
    text += '}';
    return text;
  }
  text = "{\"error\":{\"code\":";
  append_json_string(text, outcome.error().code_name());
  text += ",\"message\":";
  append_json_string(text, outcome.error().message());
  text += "},\"ok\":false}";
  return text;
}

}  // namespace eventuall::runtime
