#include "ops/identity/identity_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> identity_operations() {
  return {
      {"sign_up", sign_up},
      {"get_user", get_user},
      {"sign_in_with_provider", sign_in_with_provider},
      {"link_provider", link_provider},
      {"unlink_provider", unlink_provider},
      {"create_session", create_session},
      {"validate_session", validate_session},
      {"extend_session", extend_session},
      {"revoke_session", revoke_session},
      {"revoke_user_sessions", revoke_user_sessions},
      {"issue_login_token", issue_login_token},
      {"consume_login_token", consume_login_token},
      {"create_api_key", create_api_key},
      {"list_api_keys", list_api_keys},
      {"revoke_api_key", revoke_api_key},
      {"authenticate_api_key", authenticate_api_key},
      {"issue_email_verification", issue_email_verification},
      {"verify_email", verify_email},
  };
}

}  // namespace eventuall::ops
