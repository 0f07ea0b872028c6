#include "sql/db_error.h"

#include <string>

namespace eventuall::sql {

namespace {

// "UNIQUE constraint failed: users.email" -> "users.email"
std::string constraint_target(std::string_view message, std::string_view marker) {
  auto at = message.find(marker);
  if (at == std::string_view::npos) return {};
  auto rest = message.substr(at + marker.size());
  auto end = rest.find(':');
  return std::string(rest.substr(0, end));
}

}  // namespace

Error classify_db_error(std::string_view message) {
  if (message.find("UNIQUE constraint failed") != std::string_view::npos) {
    return Error::conflict("already exists (" +
                           constraint_target(message, "UNIQUE constraint failed: ") + ")");
  }
  if (message.find("FOREIGN KEY constraint failed") != std::string_view::npos) {
    return Error::conflict("a referenced record is missing or still in use");
  }
  if (message.find("CHECK constraint failed") != std::string_view::npos) {
    return Error::invalid_input("value not allowed (" +
                                constraint_target(message, "CHECK constraint failed: ") + ")");
  }
  if (message.find("NOT NULL constraint failed") != std::string_view::npos) {
    return Error::invalid_input("missing value (" +
                                constraint_target(message, "NOT NULL constraint failed: ") + ")");
  }
  if (message.find("cannot store") != std::string_view::npos) {
    return Error::invalid_input("value of the wrong type");
  }
  return Error::db_error(std::string(message));
}

}  // namespace eventuall::sql
