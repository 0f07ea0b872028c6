#include "runtime/outcome.h"

namespace eventuall::runtime {

std::string outcome_text(const Result<Json>& outcome) {
  if (outcome.ok()) return dump_json(Json{{"ok", true}, {"value", outcome.value()}});
  return dump_json(Json{{"ok", false},
                        {"error",
                         {{"code", std::string(outcome.error().code_name())},
                          {"message", outcome.error().message()}}}});
}

}  // namespace eventuall::runtime
