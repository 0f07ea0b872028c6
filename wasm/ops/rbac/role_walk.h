#pragma once
// Shortest inheritance chains, for messages that name one (explain_permission,
// the cycle a refused edge would close).

#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sql/statement.h"

namespace eventuall::ops::rbac {

// Roles read with set semantics (id, name, and whether each is a target, e.g.
// confers the permission asked about) and the inheritance edges among them,
// walked breadth-first in C++: the SQL returns one row per role and per edge,
// never one per path.
class RoleWalk {
 public:
  RoleWalk(const sql::ResultSet& roles, const sql::ResultSet& edges) {
    for (const auto& row : roles.rows) {
      names_[row[0].as_text()] = row[1].as_text();
      if (row[2].as_integer()) confers_.insert(row[0].as_text());
    }
    for (const auto& row : edges.rows) parents_[row[0].as_text()].push_back(row[1].as_text());
  }

  // Role names from `start` up to the nearest target role; empty when no
  // target is reached.
  std::vector<std::string> shortest_chain(const std::string& start) const {
    std::map<std::string, std::string> came_from{{start, ""}};
    std::deque<std::string> queue{start};
    while (!queue.empty()) {
      const std::string role = queue.front();
      queue.pop_front();
      if (confers_.count(role)) {
        std::vector<std::string> chain;
        for (std::string at = role; !at.empty(); at = came_from.find(at)->second) chain.push_back(name(at));
        return {chain.rbegin(), chain.rend()};
      }
      auto parents = parents_.find(role);
      if (parents == parents_.end()) continue;
      for (const auto& parent : parents->second) {
        if (came_from.emplace(parent, role).second) queue.push_back(parent);
      }
    }
    return {};
  }

 private:
  std::string name(const std::string& role) const {
    auto found = names_.find(role);
    return found == names_.end() ? role : found->second;
  }
  std::map<std::string, std::string> names_;
  std::set<std::string> confers_;
  std::map<std::string, std::vector<std::string>> parents_;
};


}  // namespace eventuall::ops::rbac
