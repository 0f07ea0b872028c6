#pragma once
// Running an operation for a credential: dispatch's half of authorization.
// The core, not each Worker, decides who may call what: the operation's
// Policy (operation.h) and, for an API key, the scope that Policy names.

#include "common/json.h"
#include "ops/operation.h"
#include "runtime/task.h"

namespace eventuall::ops {

// Authenticates `auth` ({"sessionToken"}, {"apiKey"} or {"anonymous": true}),
// applies op's Policy and rewrites input for the authenticated user (its
// actorUserId, the self field). Records the credential on ctx. Errors:
// invalid_input (malformed auth), unauthenticated, forbidden.
runtime::Task<Status> act_for_credential(Context& ctx, const OperationInfo& op, Json auth,
                                         Json& input);

}  // namespace eventuall::ops
