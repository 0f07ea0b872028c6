#pragma once
// What a pending batch and its results cross the wasm boundary as.
//
// batch (wasm -> JS), JSON text, read once by the shim:
//   {"db":"webapp","statements":[{"params":[...],"sql":"..."}]}
//   params are JSON null, numbers and strings; blobs are {"$blob":"<base64>"}.
//   With SqlIds (the wasm exports), a statement also has "id": its SQL text's
//   number in this instance; the text travels the first time only, after
//   that a statement is {"id":N,"params":[...]} and the shim looks it up.
//
// results (JS -> wasm), little-endian bytes, so that rows reach the core
// without JSON text being written and parsed (the largest cost per operation
// once it was) -- written by js-shim/eventuall.mjs (ResultWriter):
//   u8 1, u32 result count, then per statement's result:
//     f64 changes, u32 column count, text per column name,
//     u32 row count, then row count x column count values
//   or u8 0, text: the message D1 threw.
//   text:  u32 byte length, UTF-8 bytes
//   value: u8 tag, then 0 null | 1 integer: f64 | 2 real: f64 | 3 text | 4 blob: u32 length, bytes
// D1 hands every number to JS as a double; integral ones travel as integers.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "sql/statement.h"

namespace eventuall::d1 {

// The SQL texts sent to the shim so far, numbered 1, 2, ... Bounded: once
// full, new texts get no number and always travel.
class SqlIds {
 public:
  struct Id {
    std::uint32_t id;  // 0: not numbered
    bool known;        // the shim has the text already
  };
  Id id(const std::string& sql);

 private:
  static constexpr std::size_t kMaxTexts = 4096;
  static constexpr std::size_t kMaxBytes = std::size_t{1} << 20;
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::size_t bytes_ = 0;
};

std::string encode_batch(const sql::Batch& batch, SqlIds* ids = nullptr);

enum class WireTag : std::uint8_t { kNull = 0, kInteger = 1, kReal = 2, kText = 3, kBlob = 4 };

// A malformed or truncated buffer is reported as a db_error outcome, never an
// abort.
Result<sql::BatchResult> decode_batch_result(const std::uint8_t* bytes, std::size_t size);

}  // namespace eventuall::d1
