#include "sql/chunking.h"

#include <algorithm>

#include "sql/statement.h"

namespace eventuall::sql {

std::vector<std::size_t> chunk_row_counts(std::size_t row_count, const ChunkShape& shape) {
  std::vector<std::size_t> chunks;
  if (row_count == 0 || shape.fixed_params > kMaxParamsPerStatement ||
      shape.fixed_sql_bytes > kMaxStatementBytes) {
    return chunks;
  }
  std::size_t by_params = row_count;
  if (shape.params_per_row > 0) {
    by_params = (kMaxParamsPerStatement - shape.fixed_params) / shape.params_per_row;
  }
  std::size_t by_bytes = row_count;
  if (shape.sql_bytes_per_row > 0) {
    by_bytes = (kMaxStatementBytes - shape.fixed_sql_bytes) / shape.sql_bytes_per_row;
  }
  const std::size_t per_chunk = std::min({by_params, by_bytes, row_count});
  if (per_chunk == 0) return chunks;
  for (std::size_t done = 0; done < row_count; done += per_chunk) {
    chunks.push_back(std::min(per_chunk, row_count - done));
  }
  return chunks;
}

}  // namespace eventuall::sql
