#pragma once
// Who may change an account: its owners, and nobody else.
//
// Tenant rule for the error a refused actor gets (GitHub's 404-vs-403 rule):
//   - not_found, exactly as for an account that does not exist, unless the
//     actor can already see the account — so probing ids never tells a
//     stranger that another tenant's account exists;
//   - forbidden when the actor can see it: they hold an unexpired access grant
//     on one of its events (so they know it exists) but do not own it. A grant
//     that is over shows nothing, as everywhere: its holder is a stranger.

#include <string>

#include "common/status.h"
#include "sql/statement.h"

namespace eventuall::ops::accounts {

// One row, read at the start of the caller's batch (before its guarded write):
//   is_owner (actor owns account), can_see (actor holds a grant on one of its
//   events, unexpired at `now`), target_exists (user `target_id` exists), target_is_owner,
//   owner_count. Pass the actor as target when there is no other user.
sql::Statement access_statement(const std::string& actor_id, const std::string& account_id,
                                const std::string& target_id, std::int64_t now);

// "EXISTS (owner row)" with its two params (account, actor), for guards.
std::string owner_guard_sql();

struct Access {
  bool is_owner = false;
  bool can_see = false;
  bool target_exists = false;
  bool target_is_owner = false;
  std::int64_t owner_count = 0;
};
Access read_access(const sql::ResultSet& rows);

// The refusal for an actor that does not own the account (see the rule above).
Error refused(const Access& access, const std::string& account_id);

}  // namespace eventuall::ops::accounts
