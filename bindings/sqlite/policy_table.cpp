#include "policy_table.h"

#include "ops/operation.h"

namespace eventuall::sqlite {

std::string policy_table_markdown() {
  using Access = ops::Policy::Access;
  std::string out =
      "| operation | who may call it | API key scope |\n|---|---|---|\n";
  for (const auto& op : ops::operations()) {
    const ops::Policy& p = op.policy;
    std::string who;
    switch (p.access) {
      case Access::kTrusted: who = "administrative (trusted caller only)"; break;
      case Access::kPublic: who = "public"; break;
      case Access::kActor: who = "actor (the core checks ownership or grants)"; break;
      case Access::kSelf:
        who = "self: `" + std::string(p.self_field) + "` is the caller" +
              (p.fill ? " (filled in when absent)" : "");
        break;
    }
    const std::string scope = p.scope.empty() ? "—" : "`" + std::string(p.scope) + "`";
    out += "| `" + std::string(op.name) + "` | " + who + " | " + scope + " |\n";
  }
  return out;
}

}  // namespace eventuall::sqlite
