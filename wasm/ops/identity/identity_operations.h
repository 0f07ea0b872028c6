#pragma once
#include "ops/operation.h"

namespace eventuall::ops {

// Users and provider identities.
OperationTask sign_up(Context& ctx, Json input);
const contract::Contract& sign_up_contract();
OperationTask get_user(Context& ctx, Json input);
const contract::Contract& get_user_contract();
OperationTask sign_in_with_provider(Context& ctx, Json input);
const contract::Contract& sign_in_with_provider_contract();
OperationTask link_provider(Context& ctx, Json input);
const contract::Contract& link_provider_contract();
OperationTask unlink_provider(Context& ctx, Json input);
const contract::Contract& unlink_provider_contract();
// Login sessions.
OperationTask create_session(Context& ctx, Json input);
const contract::Contract& create_session_contract();
OperationTask validate_session(Context& ctx, Json input);
const contract::Contract& validate_session_contract();
OperationTask extend_session(Context& ctx, Json input);
const contract::Contract& extend_session_contract();
OperationTask revoke_session(Context& ctx, Json input);
const contract::Contract& revoke_session_contract();
OperationTask revoke_user_sessions(Context& ctx, Json input);
const contract::Contract& revoke_user_sessions_contract();
// MCP one-time login tokens.
OperationTask issue_login_token(Context& ctx, Json input);
const contract::Contract& issue_login_token_contract();
OperationTask consume_login_token(Context& ctx, Json input);
const contract::Contract& consume_login_token_contract();
// MCP API keys.
OperationTask create_api_key(Context& ctx, Json input);
const contract::Contract& create_api_key_contract();
OperationTask list_api_keys(Context& ctx, Json input);
const contract::Contract& list_api_keys_contract();
OperationTask revoke_api_key(Context& ctx, Json input);
const contract::Contract& revoke_api_key_contract();
OperationTask authenticate_api_key(Context& ctx, Json input);
const contract::Contract& authenticate_api_key_contract();
// Email verification: claims wait for a verified email.
OperationTask issue_email_verification(Context& ctx, Json input);
const contract::Contract& issue_email_verification_contract();
OperationTask verify_email(Context& ctx, Json input);
const contract::Contract& verify_email_contract();

}  // namespace eventuall::ops
