#include "ops/identity/identity_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> identity_operations() {
  // name, function, who may run it (ops/operation.h: Policy), its contract
  // (ops/contract.h, declared at the top of the operation's file).
  return {
      {"sign_up", sign_up, policy::open(), sign_up_contract},
      {"get_user", get_user, policy::self("id", "profile:read"), get_user_contract},
      {"sign_in_with_provider", sign_in_with_provider, policy::trusted(),
       sign_in_with_provider_contract},
      {"link_provider", link_provider, policy::trusted(), link_provider_contract},
      {"unlink_provider", unlink_provider, policy::self("userId", "profile:write"),
       unlink_provider_contract},
      {"create_session", create_session, policy::self("userId", "sessions:write"),
       create_session_contract},
      {"validate_session", validate_session, policy::open(), validate_session_contract},
      {"extend_session", extend_session, policy::open(), extend_session_contract},
      {"revoke_session", revoke_session, policy::self("userId", "sessions:write", false),
       revoke_session_contract},
      {"revoke_user_sessions", revoke_user_sessions, policy::self("userId", "sessions:write"),
       revoke_user_sessions_contract},
      {"issue_login_token", issue_login_token, policy::self("userId", "sessions:write"),
       issue_login_token_contract},
      {"consume_login_token", consume_login_token, policy::open(), consume_login_token_contract},
      {"create_api_key", create_api_key,
       policy::reading_key_scopes(policy::self("userId", "keys:write")),
       create_api_key_contract},
      {"list_api_keys", list_api_keys, policy::self("userId", "keys:read"), list_api_keys_contract},
      {"revoke_api_key", revoke_api_key, policy::self("userId", "keys:write"),
       revoke_api_key_contract},
      {"authenticate_api_key", authenticate_api_key, policy::open(), authenticate_api_key_contract},
      {"issue_email_verification", issue_email_verification, policy::trusted(),
       issue_email_verification_contract},
      {"verify_email", verify_email, policy::open(), verify_email_contract},
  };
}

}  // namespace eventuall::ops
