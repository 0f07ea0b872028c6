// Secrets are stored only as hashes: after issuing session tokens, login
// tokens, API keys and email verification tokens, no column of any table of either database holds a
// secret in clear, nor its decoded bytes in hex, base64 or raw form.
#include "ops/identity/secrets.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "common/encoding.h"
#include "test_support.h"

namespace eventuall {
namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// The forms a careless store could hold of a base64url secret.
std::vector<std::string> leaked_forms(const std::string& secret) {
  std::vector<std::string> forms = {secret};
  std::string token = secret;
  // "evk_" / "evs_" + token (+ "." + the user id, which is no secret).
  for (auto prefix : {ops::secrets::kApiKeyPrefix, ops::secrets::kSessionTokenPrefix}) {
    if (token.rfind(prefix, 0) == 0) {
      token = token.substr(prefix.size(), ops::secrets::kTokenLength);
      forms.push_back(token);
      forms.push_back(std::string(prefix) + token);
    }
  }
  std::string bytes;
  REQUIRE(base64url_decode(token, bytes));
  REQUIRE(bytes.size() == ops::secrets::kTokenBytes);
  const std::string padded = base64_encode(bytes);
  forms.insert(forms.end(), {bytes, to_hex(bytes), upper(to_hex(bytes)), padded,
                             padded.substr(0, padded.find('='))});
  return forms;
}

TEST_CASE("no table holds a session token, login token, API key or verification token in clear") {
  testing::TestDatabases db;
  auto signed_up = db.ok("sign_up", {{"email", "keys@example.com"}, {"name", "Keys"}});
  const std::string user = signed_up["user"]["id"];
  // Email verification tokens too (unused, so their hashes stay stored).
  std::vector<std::string> secrets = {
      signed_up["verification"]["token"],
      db.ok("issue_email_verification", {{"userId", user}})["token"]};
  for (int i = 0; i < 3; ++i) {
    secrets.push_back(db.ok("create_session", {{"userId", user}, {"userAgent", "UA"}})["token"]);
    secrets.push_back(db.ok("issue_login_token", {{"userId", user}})["token"]);
    secrets.push_back(db.ok("create_api_key", {{"userId", user},
                                               {"name", "key " + std::to_string(i)},
                                               {"scopes", {"events:read"}}})["key"]);
  }
  // Secrets in use are still usable (so they were really issued), and using
  // them writes only timestamps.
  db.ok("validate_session", {{"token", secrets[2]}});
  db.ok("consume_login_token", {{"token", secrets[3]}});
  db.ok("authenticate_api_key", {{"key", secrets[4]}});

  const std::string stored = db.dump(*db.webapp) + db.dump(*db.workers);
  std::size_t forms_checked = 0;
  for (const auto& secret : secrets) {
    INFO("secret " << secret);
    for (const auto& form : leaked_forms(secret)) {
      CHECK(stored.find(form) == std::string::npos);
      ++forms_checked;
    }
    // What is stored instead: its SHA-256, so the check above can see a column.
    CHECK(stored.find(ops::secrets::hash_secret(secret)) != std::string::npos);
  }
  CHECK(forms_checked >= secrets.size() * 6);
}

}  // namespace
}  // namespace eventuall
