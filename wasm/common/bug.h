#pragma once
// Our own bugs, as opposed to a caller's: a misspelled column, a Result read
// on the wrong side, a table the schema does not have. A caller's problem is
// an Error with a code; ours must never pass for one (a NULL read as 0 picks
// the wrong answer quietly), so it stops here, the same way everywhere:
// natively it prints the message and aborts; in wasm it traps, and the shim
// retires the instance (the message goes to stderr, the shim's console).

#include <string_view>

namespace eventuall {

[[noreturn]] void bug(std::string_view message);

}  // namespace eventuall
