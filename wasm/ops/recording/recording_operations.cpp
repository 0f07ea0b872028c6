#include "ops/recording/recording_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> recording_operations() {
  return {
      {"start_recording", start_recording},
      {"transition_recording", transition_recording},
      {"get_recording", get_recording},
      {"list_recordings", list_recordings},
      {"append_logs", append_logs, kMaxBulkInputBytes},
      {"query_logs", query_logs},
      {"prune_logs", prune_logs},
      {"append_stage_events", append_stage_events, kMaxBulkInputBytes},
      {"generate_clips", generate_clips},
      {"list_clips", list_clips},
  };
}

}  // namespace eventuall::ops
