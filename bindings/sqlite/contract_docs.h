#pragma once
// What is derived from the operations' contracts (wasm/ops/contract.h), by
// `eventuall contracts <ts|js|openapi|openapi-module|readme>`: the TypeScript declarations
// (js-shim/types/contracts.d.mts), the catalog's constants
// (js-shim/types/contracts.mjs), the example Worker's OpenAPI document
// (js-shim/example/openapi.mjs, a module so
// the Worker imports it without a module rule) and README's operation table. CI regenerates
// each and fails on any difference (scripts/contracts.sh check).

#include <string>

namespace eventuall::sqlite {

std::string contracts_typescript();
std::string contracts_module();
std::string contracts_openapi();
std::string contracts_readme();

}  // namespace eventuall::sqlite
