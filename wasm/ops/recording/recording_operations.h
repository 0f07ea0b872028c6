#pragma once
#include "ops/operation.h"

namespace eventuall::ops {

// Sessions: start (cross-database workflow), lifecycle, reads.
OperationTask start_recording(Context& ctx, Json input);
OperationTask transition_recording(Context& ctx, Json input);
OperationTask get_recording(Context& ctx, Json input);
OperationTask list_recordings(Context& ctx, Json input);
// Structured logs.
OperationTask append_logs(Context& ctx, Json input);
OperationTask query_logs(Context& ctx, Json input);
OperationTask prune_logs(Context& ctx, Json input);
// Stage events and the clips paired from them.
OperationTask append_stage_events(Context& ctx, Json input);
OperationTask generate_clips(Context& ctx, Json input);
OperationTask list_clips(Context& ctx, Json input);

}  // namespace eventuall::ops
