#include "ops/credentials.h"

#include <optional>

#include "common/for_size.h"
#include "id/cuid2.h"
#include "ops/identity/identity_operations.h"
#include "ops/identity/secrets.h"

EVENTUALL_FOR_SIZE_BEGIN

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

const Json* string_field(const Json& auth, const char* name) {
  const Json* field = auth.is_object() ? single_field(auth, name) : nullptr;
  return field && field->is_string() ? field : nullptr;
}

// What op's Policy refuses `credential`, in the order callers see: nothing
// here changes the input.
Status policy_refusal(const OperationInfo& op, const runtime::Credential& credential,
                      const Json& input) {
  const Policy& policy = op.policy;
  const std::string name(op.name);
  if (policy.access == Access::kPublic) return Status::ok_status();
  if (credential.kind == Kind::kAnonymous) {
    return Error::unauthenticated(name + " needs a session token or an API key");
  }
  if (policy.access == Access::kTrusted) return Error::forbidden(name + " is administrative");
  if (credential.kind == Kind::kApiKey && !credential.has_scope(policy.scope)) {
    return Error::forbidden("API key lacks the scope " + std::string(policy.scope) + " that " +
                            name + " needs");
  }
  if (policy.access == Access::kSelf && input.is_object()) {
    const std::string field(policy.self_field);
    auto named = input.find(field);
    if (named != input.end() && !named->is_null() &&
        (!named->is_string() || named->get<std::string>() != credential.user_id)) {
      return Error::forbidden(name + ": " + field + " must be your own user id");
    }
  }
  return Status::ok_status();
}

// Rewrites input for a credential the policy admits: only the trusted caller
// names the actor; the authenticated user becomes it (and the self field).
void act_as(const OperationInfo& op, const runtime::Credential& credential, Json& input) {
  if (!input.is_object()) return;
  input.erase("actorUserId");
  const Policy& policy = op.policy;
  if (policy.access == Access::kPublic) return;
  input["actorUserId"] = credential.user_id;
  if (policy.access == Access::kSelf && policy.fill) {
    const std::string field(policy.self_field);
    auto named = input.find(field);
    if (named == input.end() || named->is_null()) input[field] = credential.user_id;
  }
}

// The slow path: the identity operations check the credential (hash, expiry,
// revocation) in a batch of their own and answer unauthenticated for
// anything that is not a live credential. With a scope, a live key without it
// is forbidden, and its use is not stamped.
runtime::Task<Result<runtime::Credential>> check_credential(Context& ctx, const Json* token,
                                                            const Json* key,
                                                            std::string_view scope = {}) {
  // (An if, not ?: — g++ 12 mishandles co_await inside a conditional.)
  Json check = Json::object();
  Result<Json> checked = Error::internal("not authenticated");
  if (token) {
    check["token"] = *token;
    checked = co_await validate_session(ctx, std::move(check));
  } else {
    check["key"] = *key;
    if (!scope.empty()) check["scope"] = std::string(scope);
    checked = co_await authenticate_api_key(ctx, std::move(check));
  }
  if (!checked.ok()) {
    if (checked.error().code() == ErrorCode::kInvalidInput) {
      co_return Error::unauthenticated(checked.error().message());
    }
    co_return checked.take_error();
  }
  runtime::Credential credential;
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
  co_return credential;
}

// The credential guard (runtime/context.h): fails its batch unless exactly
// one live row has the secret's hash and the named user (and, for a key, the
// scope), then stamps the use. The failing branch reads c.n, a column, so
// SQLite cannot evaluate it ahead of the CASE.
std::vector<sql::Statement> credential_guard(const runtime::Credential& credential,
                                             const std::string& secret, std::string_view scope,
                                             std::int64_t now) {
  const std::string hash = secrets::hash_secret(secret);
  const std::string fail =
      "SELECT CASE WHEN c.n = 1 THEN 1 ELSE json_extract('{}', 'eventuall unauthenticated: ' || "
      "c.n || ' live credentials match') END AS credential_ok FROM (SELECT count(*) AS n FROM ";
  std::vector<sql::Statement> statements;
  if (credential.kind == Kind::kSession) {
    statements.push_back({fail + "sessions WHERE token_hash = ? AND user_id = ? AND " +
                              secrets::kLiveSession + ") c",
                          {hash, credential.user_id, now}});
    statements.push_back(
        {"UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", {now, hash}});
  } else {
    std::optional<std::string> needed;
    if (!scope.empty()) needed = std::string(scope);
    statements.push_back({fail + "mcp_api_keys WHERE key_hash = ? AND user_id = ? AND " +
                              secrets::kLiveApiKey + " AND " + secrets::kApiKeyHoldsScope + ") c",
                          {hash, credential.user_id, now, needed, needed}});
    statements.push_back(
        {"UPDATE mcp_api_keys SET last_used_at = ? WHERE key_hash = ?", {now, hash}});
  }
  return statements;
}

// The fast path's credential: the user a current-shape secret names, or
// nullopt (an older shape, or an operation that reads a key's own scopes).
std::optional<runtime::Credential> claimed_credential(const OperationInfo& op, const Json* token,
                                           const Json* key) {
  runtime::Credential credential;
  if (token) {
    credential.kind = Kind::kSession;
    credential.user_id =
        secrets::named_user(token->get_ref<const std::string&>(), secrets::kSessionTokenPrefix);
  } else if (key && !op.policy.key_scopes) {
    credential.kind = Kind::kApiKey;
    credential.user_id =
        secrets::named_user(key->get_ref<const std::string&>(), secrets::kApiKeyPrefix);
    if (!op.policy.scope.empty()) credential.scopes.emplace_back(op.policy.scope);
  }
  if (credential.user_id.empty()) return std::nullopt;
  return credential;
}

}  // namespace

runtime::Task<Status> act_for_credential(Context& ctx, const OperationInfo& op, Json auth,
                                         Json& input) {
  if (!auth.is_object()) {
    co_return Error::invalid_input(kAuthShapes);
  }
  runtime::Credential credential;
  const Json* anonymous = single_field(auth, "anonymous");
  const Json* token = string_field(auth, "sessionToken");
  const Json* key = string_field(auth, "apiKey");
  const Json* asserted = single_field(auth, "user");
  if (anonymous && anonymous->is_boolean() && anonymous->get<bool>()) {
    credential.kind = Kind::kAnonymous;
  } else if (asserted && asserted->is_string() && id::is_our_id(asserted->get<std::string>())) {
    // A user the trusted caller authenticated itself (an RPC caller's backend):
    // the policy applies as for a session.
    credential.kind = Kind::kAsserted;
    credential.user_id = asserted->get<std::string>();
  } else if (token || key) {
    if (auto fast = claimed_credential(op, token, key); fast && policy_refusal(op, *fast, input).ok()) {
      const std::string& secret = (token ? token : key)->get_ref<const std::string&>();
      ctx.arm_credential_guard(credential_guard(*fast, secret, op.policy.scope, ctx.now_seconds()));
      act_as(op, *fast, input);
      ctx.set_credential(std::move(*fast));
      co_return Status::ok_status();
    }
    auto checked = co_await check_credential(ctx, token, key);
    if (!checked.ok()) co_return checked.take_error();
    credential = std::move(checked).value();
  } else {
    co_return Error::invalid_input(kAuthShapes);
  }

  if (Status refused = policy_refusal(op, credential, input); !refused.ok()) co_return refused;
  act_as(op, credential, input);
  ctx.set_credential(std::move(credential));
  co_return Status::ok_status();
}

runtime::Task<Result<Json>> settle_credential(Context& ctx, const OperationInfo& op, Json auth,
                                              Result<Json> outcome) {
  if (!ctx.credential_guard_armed() || ctx.credential_confirmed()) co_return outcome;
  ctx.disarm_credential_guard();
  const Json* token = string_field(auth, "sessionToken");
  const Json* key = string_field(auth, "apiKey");
  // The scope the guard checked (none for a public operation): a live key
  // without it is forbidden, and nothing, not even its stamp, is written.
  const std::string_view scope = op.policy.access == Access::kPublic ? "" : op.policy.scope;
  auto checked = co_await check_credential(ctx, token, key, scope);
  if (!checked.ok()) co_return checked.take_error();
  // The hash covers the user id, so a live credential names its own user.
  if (checked->user_id != ctx.credential().user_id) {
    co_return Error::unauthenticated("credential names another user");
  }
  co_return outcome;
}

}  // namespace eventuall::ops

EVENTUALL_FOR_SIZE_END
