#pragma once
// The README's table of who may call each operation, rendered from the
// registry's declared policies (`eventuall policy`); a test keeps the README's
// copy equal to it.

#include <string>

namespace eventuall::sqlite {

std::string policy_table_markdown();

}  // namespace eventuall::sqlite
