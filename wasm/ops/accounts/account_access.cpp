#include "ops/accounts/account_access.h"

namespace eventuall::ops::accounts {

sql::Statement access_statement(const std::string& actor_id, const std::string& account_id,
                                const std::string& target_id, std::int64_t now) {
  return {
      "SELECT "
      "EXISTS (SELECT 1 FROM account_ownership WHERE account_id = ? AND user_id = ?) AS is_owner, "
      "EXISTS (SELECT 1 FROM access_grants g JOIN events e ON e.id = g.event_id "
      "WHERE e.account_id = ? AND g.user_id = ? AND (g.expires_at IS NULL OR g.expires_at > ?)) "
      "AS can_see, "
      "EXISTS (SELECT 1 FROM users WHERE id = ?) AS target_exists, "
      "EXISTS (SELECT 1 FROM account_ownership WHERE account_id = ? AND user_id = ?) "
      "AS target_is_owner, "
      "(SELECT count(*) FROM account_ownership WHERE account_id = ?) AS owner_count",
      {account_id, actor_id, account_id, actor_id, now, target_id, account_id, target_id,
       account_id}};
}

std::string owner_guard_sql() {
  return "EXISTS (SELECT 1 FROM account_ownership WHERE account_id = ? AND user_id = ?)";
}

Access read_access(const sql::ResultSet& rows) {
  Access access;
  if (rows.empty()) return access;
  const sql::Row row(rows, 0);
  access.is_owner = row.integer("is_owner") != 0;
  access.can_see = row.integer("can_see") != 0;
  access.target_exists = row.integer("target_exists") != 0;
  access.target_is_owner = row.integer("target_is_owner") != 0;
  access.owner_count = row.integer("owner_count");
  return access;
}

Error refused(const Access& access, const std::string& account_id) {
  if (access.can_see)
    return Error::forbidden("only an owner of account " + account_id + " may do this");
  return Error::not_found("account " + account_id + " not found");
}

}  // namespace eventuall::ops::accounts
