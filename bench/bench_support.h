#pragma once
// What the native benchmarks share.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "client.h"
#include "common/json.h"

namespace eventuall::bench {

// The value of a call the benchmark needs to succeed; anything else ends it.
inline Json must(sqlite::Client& client, const std::string& op, const Json& input) {
  auto result = client.call(op, dump_json(input));
  if (!result.ok()) {
    std::fprintf(stderr, "%s: %s\n", op.c_str(), result.error().message().c_str());
    std::exit(1);
  }
  return std::move(result).value();
}

}  // namespace eventuall::bench
