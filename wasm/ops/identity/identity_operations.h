#pragma once
#include "ops/operation.h"

namespace eventuall::ops {

// Users and provider identities.
OperationTask sign_up(Context& ctx, Json input);
OperationTask get_user(Context& ctx, Json input);
OperationTask sign_in_with_provider(Context& ctx, Json input);
OperationTask link_provider(Context& ctx, Json input);
OperationTask unlink_provider(Context& ctx, Json input);
// Login sessions.
OperationTask create_session(Context& ctx, Json input);
OperationTask validate_session(Context& ctx, Json input);
OperationTask extend_session(Context& ctx, Json input);
OperationTask revoke_session(Context& ctx, Json input);
OperationTask revoke_user_sessions(Context& ctx, Json input);
// MCP one-time login tokens.
OperationTask issue_login_token(Context& ctx, Json input);
OperationTask consume_login_token(Context& ctx, Json input);
// MCP API keys.
OperationTask create_api_key(Context& ctx, Json input);
OperationTask list_api_keys(Context& ctx, Json input);
OperationTask revoke_api_key(Context& ctx, Json input);
OperationTask authenticate_api_key(Context& ctx, Json input);
// Email verification: claims wait for a verified email.
OperationTask issue_email_verification(Context& ctx, Json input);
OperationTask verify_email(Context& ctx, Json input);

}  // namespace eventuall::ops
