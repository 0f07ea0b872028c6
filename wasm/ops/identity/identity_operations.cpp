#include "ops/identity/identity_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> identity_operations() {
  // name, function, who may run it (ops/operation.h: Policy).
  return {
      {"sign_up", sign_up, policy::open()},
      {"get_user", get_user, policy::self("id", "profile:read")},
      {"sign_in_with_provider", sign_in_with_provider, policy::trusted()},
      {"link_provider", link_provider, policy::trusted()},
      {"unlink_provider", unlink_provider, policy::self("userId", "profile:write")},
      {"create_session", create_session, policy::self("userId", "sessions:write")},
      {"validate_session", validate_session, policy::open()},
      {"extend_session", extend_session, policy::open()},
      {"revoke_session", revoke_session, policy::self("userId", "sessions:write", false)},
      {"revoke_user_sessions", revoke_user_sessions, policy::self("userId", "sessions:write")},
      {"issue_login_token", issue_login_token, policy::self("userId", "sessions:write")},
      {"consume_login_token", consume_login_token, policy::open()},
      {"create_api_key", create_api_key,
       policy::reading_key_scopes(policy::self("userId", "keys:write"))},
      {"list_api_keys", list_api_keys, policy::self("userId", "keys:read")},
      {"revoke_api_key", revoke_api_key, policy::self("userId", "keys:write")},
      {"authenticate_api_key", authenticate_api_key, policy::open()},
      {"issue_email_verification", issue_email_verification, policy::trusted()},
      {"verify_email", verify_email, policy::open()},
  };
}

}  // namespace eventuall::ops
