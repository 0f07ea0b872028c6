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

OperationTask unlink_provider(Context& ctx, Json json) {
  Input in(json);
  const std::string user_id = in.id("userId");
  const std::string provider = in.required_one_of("provider", identity::provider_names());
  const auto account_id_at_provider =
      in.optional_text("providerAccountId", {.max_length = identity::kMaxProviderAccountIdLength});
  if (!in.ok()) co_return in.error();

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
