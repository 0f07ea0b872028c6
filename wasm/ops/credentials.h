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
//
// A session token or API key that names its user (secrets.h) takes the fast
// path when the policy admits that user: no batch here; the operation runs
// for the named user and a credential guard rides its first webapp batch,
// failing it unless the credential's hash is live, belongs to that user and
// (a key) holds the operation's scope; the last-seen stamp rides with it.
// settle_credential decides afterwards. Every other credential, and any the
// policy would refuse, is checked first in a batch of its own (the slow path).
runtime::Task<Status> act_for_credential(Context& ctx, const OperationInfo& op, Json auth,
                                         Json& input);

// After the operation, when the credential guard never rode a batch that
// succeeded (the guard failed its batch, another statement did, or the
// operation ran no batch): checks the credential the slow way, one batch.
// Its refusal (unauthenticated, forbidden) replaces the outcome; a credential
// that holds leaves the operation's own outcome.
runtime::Task<Result<Json>> settle_credential(Context& ctx, const OperationInfo& op, Json auth,
                                              Result<Json> outcome);

}  // namespace eventuall::ops
