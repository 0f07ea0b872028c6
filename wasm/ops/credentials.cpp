#include "ops/credentials.h"

#include "id/cuid2.h"
#include "ops/identity/identity_operations.h"

namespace eventuall::ops {

namespace {

using Access = Policy::Access;

constexpr const char* kAuthShapes =
    "auth must be {\"sessionToken\": ...}, {\"apiKey\": ...}, {\"user\": id} or "
    "{\"anonymous\": true}";
using Kind = runtime::Credential::Kind;

// The one secret field of an auth object, or nullptr when it is not exactly
// one of the known shapes.
const Json* single_field(const Json& auth, const char* name) {
  if (auth.size() != 1) return nullptr;
  auto found = auth.find(name);
  return found == auth.end() ? nullptr : &*found;
}

std::string user_of(const Json& value) {
  auto user = value.find("user");
  if (user == value.end() || !user->is_object()) return {};
  auto id = user->find("id");
  return id != user->end() && id->is_string() ? id->get<std::string>() : std::string();
}

}  // namespace

runtime::Task<Status> act_for_credential(Context& ctx, const OperationInfo& op, Json auth,
                                         Json& input) {
  const std::string name(op.name);
  if (!auth.is_object()) {
    co_return Error::invalid_input(kAuthShapes);
  }
  runtime::Credential credential;
  const Json* anonymous = single_field(auth, "anonymous");
  const Json* token = single_field(auth, "sessionToken");
  const Json* key = single_field(auth, "apiKey");
  const Json* asserted = single_field(auth, "user");
  if (anonymous && anonymous->is_boolean() && anonymous->get<bool>()) {
    credential.kind = Kind::kAnonymous;
  } else if (asserted && asserted->is_string() && id::is_our_id(asserted->get<std::string>())) {
    // A user the trusted caller authenticated itself (an RPC caller's backend):
    // the policy applies as for a session.
    credential.kind = Kind::kAsserted;
    credential.user_id = asserted->get<std::string>();
  } else if ((token && token->is_string()) || (key && key->is_string())) {
    // The identity operations do the checking (hash, expiry, revocation) and
    // answer unauthenticated for anything that is not a live credential.
    // (An if, not ?: — g++ 12 mishandles co_await inside a conditional.)
    Json check = Json::object();
    Result<Json> checked = Error::internal("not authenticated");
    if (token) {
      check["token"] = *token;
      checked = co_await validate_session(ctx, std::move(check));
    } else {
      check["key"] = *key;
      checked = co_await authenticate_api_key(ctx, std::move(check));
    }
    if (!checked.ok()) {
      if (checked.error().code() == ErrorCode::kInvalidInput) {
        co_return Error::unauthenticated(checked.error().message());
      }
      co_return checked.take_error();
    }
    credential.kind = token ? Kind::kSession : Kind::kApiKey;
    credential.user_id = user_of(*checked);
    if (key) {
      auto api_key = checked->find("apiKey");
      if (api_key != checked->end() && api_key->is_object()) {
        auto scopes = api_key->find("scopes");
        if (scopes != api_key->end() && scopes->is_array()) {
          for (const auto& s : *scopes) {
            if (s.is_string()) credential.scopes.push_back(s.get<std::string>());
          }
        }
      }
    }
  } else {
    co_return Error::invalid_input(kAuthShapes);
  }

  const Policy& policy = op.policy;
  // Only the trusted caller names the actor.
  if (input.is_object()) input.erase("actorUserId");
  if (policy.access == Access::kPublic) {
    ctx.set_credential(std::move(credential));
    co_return Status::ok_status();
  }
  if (credential.kind == Kind::kAnonymous) {
    co_return Error::unauthenticated(name + " needs a session token or an API key");
  }
  if (policy.access == Access::kTrusted) {
    co_return Error::forbidden(name + " is administrative");
  }
  if (credential.kind == Kind::kApiKey && !credential.has_scope(policy.scope)) {
    co_return Error::forbidden("API key lacks the scope " + std::string(policy.scope) + " that " +
                               name + " needs");
  }
  if (input.is_object()) {
    input["actorUserId"] = credential.user_id;
    if (policy.access == Access::kSelf) {
      const std::string field(policy.self_field);
      auto named = input.find(field);
      if (named == input.end() || named->is_null()) {
        if (policy.fill) input[field] = credential.user_id;
      } else if (!named->is_string() || named->get<std::string>() != credential.user_id) {
        co_return Error::forbidden(name + ": " + field + " must be your own user id");
      }
    }
  }
  ctx.set_credential(std::move(credential));
  co_return Status::ok_status();
}

}  // namespace eventuall::ops
