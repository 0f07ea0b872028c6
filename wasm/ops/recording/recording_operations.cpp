#include "ops/recording/recording_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> recording_operations() {
  // name, function, who may run it (ops/operation.h: Policy).
  return {
      {"start_recording", start_recording, policy::actor("recording:write")},
      {"transition_recording", transition_recording, policy::trusted()},
      {"get_recording", get_recording, policy::actor("recording:read")},
      {"list_recordings", list_recordings, policy::actor("recording:read")},
      {"append_logs", append_logs, policy::trusted(), kMaxBulkInputBytes},
      {"query_logs", query_logs, policy::trusted()},
      {"prune_logs", prune_logs, policy::trusted()},
      {"append_stage_events", append_stage_events, policy::trusted(), kMaxBulkInputBytes},
      {"generate_clips", generate_clips, policy::trusted()},
      {"list_clips", list_clips, policy::actor("recording:read")},
  };
}

}  // namespace eventuall::ops
