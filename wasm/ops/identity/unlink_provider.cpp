// Unlink a provider from a user: every link of that provider (or only the one
// with providerAccountId). Unlinking the last provider is allowed: a user
// without links is a normal state (users who signed up by email have none) and
// can still sign in by email, MCP login token or API key; refusing would also
// stop a user from removing an identity they no longer control.
#include "ops/identity/identity_operations.h"
#include "ops/identity/providers.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What unlink_provider takes and answers (ops/contract.h).
const contract::Contract& unlink_provider_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("userId", "users"), one_of("provider", "user_providers.provider"),
                text("providerAccountId").max(identity::kMaxProviderAccountIdLength).optional()},
      .output = {array("unlinked", of::row("user_providers"))},
      .summary = "Unlinks a user's provider account(s).",
  };
  return kContract;
}

OperationTask unlink_provider(Context& ctx, Json json) {
  auto args = contract::read(unlink_provider_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string user_id = args->text("userId");
  const std::string provider = args->text("provider");
  const auto account_id_at_provider = args->optional_text("providerAccountId");

  const auto& links = schema::webapp_schema().table("user_providers");
  sql::Statement unlink{
      "DELETE FROM user_providers WHERE user_id = ? AND provider = ? AND (? IS "
      "NULL OR provider_account_id = ?) RETURNING " +
          schema::select_list(links),
      {user_id, provider, account_id_at_provider, account_id_at_provider}};
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(unlink));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[0].empty()) {
    co_return Error::not_found("user " + user_id + " has no " + provider + " link" +
                               (account_id_at_provider ? " for " + *account_id_at_provider : ""));
  }
  co_return Json{{"unlinked", schema::rows_json(links, (*done)[0])}};
}

}  // namespace eventuall::ops
