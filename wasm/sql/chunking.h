#pragma once
// Bulk writes are split so that no statement exceeds D1's per-statement limits
// (100 bound parameters, 100,000 bytes of SQL).

#include <cstddef>
#include <vector>

namespace eventuall::sql {

struct ChunkShape {
  std::size_t params_per_row = 0;
  std::size_t fixed_params = 0;      // parameters outside the rows (e.g. a guard)
  std::size_t fixed_sql_bytes = 0;   // SQL text outside the rows
  std::size_t sql_bytes_per_row = 0; // e.g. "(?, ?, ?), "
};

// Row counts of consecutive chunks covering row_count rows, each as large as
// the limits allow. Empty when row_count is 0 or when not even one row fits.
std::vector<std::size_t> chunk_row_counts(std::size_t row_count, const ChunkShape& shape);

}  // namespace eventuall::sql
