#pragma once
// The migration commands of the `eventuall` CLI (generate, snapshot, status,
// check, apply, migrate, seed); main.cpp only dispatches here.

#include <string>
#include <vector>

namespace eventuall::migrate {

// Usage lines for the commands handled here.
extern const char* const kMigrateUsage;

bool is_migrate_command(const std::string& command);
// args[0] is the command. Returns the process exit code.
int run_migrate_command(const std::vector<std::string>& args);

}  // namespace eventuall::migrate
