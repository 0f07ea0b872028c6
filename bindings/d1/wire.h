#pragma once
// The JSON text a pending batch and its results cross the wasm boundary as.
//
// batch (wasm -> JS):  {"db":"webapp","statements":[{"sql":"...","params":[...]}]}
// result (JS -> wasm): {"ok":true,"results":[{"columns":[...],"rows":[[...]],"changes":n}]}
//                      {"ok":false,"error":"<message D1 threw>"}
// Values are JSON null, numbers and strings; blobs are {"$blob":"<base64>"}
// one way and D1's arrays of byte values the other.

#include <string>
#include <string_view>

#include "common/status.h"
#include "sql/statement.h"

namespace eventuall::d1 {

std::string encode_batch(const sql::Batch& batch);
// A malformed result is reported as a db_error outcome, never an abort.
Result<sql::BatchResult> decode_batch_result(std::string_view text);

}  // namespace eventuall::d1
