#include "ops/recording/recording_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> recording_operations() {
  // name, function, who may run it (ops/operation.h: Policy), its contract
  // (ops/contract.h, declared at the top of the operation's file).
  return {
      {"start_recording", start_recording, policy::actor("recording:write"),
       start_recording_contract},
      {"transition_recording", transition_recording, policy::trusted(),
       transition_recording_contract},
      {"get_recording", get_recording, policy::actor("recording:read"), get_recording_contract},
      {"list_recordings", list_recordings, policy::actor("recording:read"),
       list_recordings_contract},
      {"append_logs", append_logs, policy::trusted(), append_logs_contract, kMaxBulkInputBytes},
      {"query_logs", query_logs, policy::trusted(), query_logs_contract},
      {"prune_logs", prune_logs, policy::trusted(), prune_logs_contract},
      {"append_stage_events", append_stage_events, policy::trusted(), append_stage_events_contract,
       kMaxBulkInputBytes},
      {"generate_clips", generate_clips, policy::trusted(), generate_clips_contract},
      {"list_clips", list_clips, policy::actor("recording:read"), list_clips_contract},
  };
}

}  // namespace eventuall::ops
