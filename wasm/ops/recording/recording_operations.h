#pragma once
#include "ops/operation.h"

namespace eventuall::ops {

// Sessions: start (cross-database workflow), lifecycle, reads.
OperationTask start_recording(Context& ctx, Json input);
const contract::Contract& start_recording_contract();
OperationTask transition_recording(Context& ctx, Json input);
const contract::Contract& transition_recording_contract();
OperationTask get_recording(Context& ctx, Json input);
const contract::Contract& get_recording_contract();
OperationTask list_recordings(Context& ctx, Json input);
const contract::Contract& list_recordings_contract();
// Structured logs.
OperationTask append_logs(Context& ctx, Json input);
const contract::Contract& append_logs_contract();
OperationTask query_logs(Context& ctx, Json input);
const contract::Contract& query_logs_contract();
OperationTask prune_logs(Context& ctx, Json input);
const contract::Contract& prune_logs_contract();
// Stage events and the clips paired from them.
OperationTask append_stage_events(Context& ctx, Json input);
const contract::Contract& append_stage_events_contract();
OperationTask generate_clips(Context& ctx, Json input);
const contract::Contract& generate_clips_contract();
OperationTask list_clips(Context& ctx, Json input);
const contract::Contract& list_clips_contract();

}  // namespace eventuall::ops
