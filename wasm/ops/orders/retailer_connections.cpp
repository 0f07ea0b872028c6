// Store connections, per account: a Shopify shop, a Stripe account (its
// webhook endpoint) or an Eventbrite organization, each with one webhook URL
// (/webhooks/<retailer>/<connection id>) and its own signing secret. Account
// owners create, list, rotate and delete them (owners are exempt from the
// delegation rule, and nobody else may; a non-owner who can see the account
// is forbidden, anyone else gets not_found). The core never sees a secret in
// clear: the Worker seals it (AES-GCM) and passes secretCiphertext.
//
// Rotation keeps two secrets valid: the new one, and the one it replaces until
// previousValidSeconds (default kDefaultOverlapSeconds) have passed, so
// deliveries signed before the store switched still verify.
// get_retailer_connection_secrets is for trusted callers only (the Worker's
// webhook route, which decrypts and verifies): it refuses any actor.
#include "ops/accounts/account_access.h"
#include "ops/input.h"
#include "ops/orders/orders_operations.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

namespace {

constexpr std::int64_t kDefaultOverlapSeconds = 24 * 3600;
constexpr std::int64_t kMaxOverlapSeconds = 7 * 24 * 3600;
// A sealed secret: base64 of a 12-byte IV and an AES-GCM ciphertext.
constexpr TextRule kCiphertextRule{.max_length = 1000};

const schema::Table& connections_table() {
  return schema::webapp_schema().table("retailer_connections");
}

Json connection_json(const sql::Row& row) {
  Json out = schema::row_json(connections_table(), row);
  out["webhookPath"] = "/webhooks/" + row.text("retailer") + "/" + row.text("id");
  return out;
}

// Facts about the actor and connection `id` (bound twice): found, is_owner,
// can_see, for the refusal when a guarded write did nothing.
sql::Statement connection_facts(const std::string& actor, const std::string& id) {
  const std::string account = "(SELECT account_id FROM retailer_connections WHERE id = ?)";
  return {
      "SELECT EXISTS (SELECT 1 FROM retailer_connections WHERE id = ?) AS found, EXISTS "
      "(SELECT 1 FROM account_ownership WHERE account_id = " +
          account +
          " AND user_id = ?) AS is_owner, EXISTS (SELECT 1 FROM access_grants g JOIN events e "
          "ON e.id = g.event_id WHERE e.account_id = " +
          account + " AND g.user_id = ?) AS can_see",
      {id, id, actor, id, actor}};
}

Error connection_refusal(const sql::ResultSet& facts, const std::string& id) {
  const sql::Row row(facts, 0);
  if (row.integer("found") && row.integer("can_see")) {
    return Error::forbidden("only an owner of the connection's account may do this");
  }
  return Error::not_found("connection " + id + " not found");
}

// "the actor owns connection id's account", params (id, actor).
constexpr const char* kOwnsConnection =
    "EXISTS (SELECT 1 FROM account_ownership WHERE account_id = (SELECT account_id FROM "
    "retailer_connections WHERE id = ?) AND user_id = ?)";

}  // namespace

// What create_retailer_connection takes and answers (ops/contract.h).
const contract::Contract& create_retailer_connection_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("accountId", "accounts"),
                one_of("retailer", "retailer_connections.retailer"), text("externalAccountId"),
                text("name").optional(), text("secretCiphertext", kCiphertextRule)},
      .output = {row("connection", "retailer_connections", {text("webhookPath")})},
      .summary = "Connects a retailer store to an account (its webhook secret encrypted).",
  };
  return kContract;
}

OperationTask create_retailer_connection(Context& ctx, Json json) {
  auto args = contract::read(create_retailer_connection_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string account_id = args->text("accountId");
  const auto& table = connections_table();
  const std::string retailer = args->text("retailer");
  const std::string external = args->text("externalAccountId");
  const auto name = args->optional_text("name");
  const std::string ciphertext = args->text("secretCiphertext");

  const std::int64_t now = ctx.now_seconds();
  std::vector<sql::Statement> statements;
  statements.push_back(accounts::access_statement(actor, account_id, actor, ctx.now_seconds()));
  const std::size_t insert_at = statements.size();
  statements.push_back(schema::Insert(table)
                           .set("id", ctx.new_id())
                           .set("account_id", account_id)
                           .set("retailer", retailer)
                           .set("external_account_id", external)
                           .set("name", name)
                           .set("secret_ciphertext", ciphertext)
                           .set("created_by_user_id", actor)
                           .set("created_at", now)
                           .set("updated_at", now)
                           .only_if({accounts::owner_guard_sql(), {account_id, actor}})
                           .ignore_conflicts()
                           .returning_row()
                           .build());
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[insert_at].empty()) {
    const auto access = accounts::read_access((*done)[0]);
    if (!access.is_owner) co_return accounts::refused(access, account_id);
    co_return Error::conflict(retailer + " " + external + " is already connected to account " +
                              account_id);
  }
  co_return Json{{"connection", connection_json(sql::Row((*done)[insert_at], 0))}};
}

// What list_retailer_connections takes and answers (ops/contract.h).
const contract::Contract& list_retailer_connections_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("accountId", "accounts")},
      .output = {array("connections", of::row("retailer_connections", {text("webhookPath")}))},
      .summary = "An account's retailer connections.",
  };
  return kContract;
}

OperationTask list_retailer_connections(Context& ctx, Json json) {
  auto args = contract::read(list_retailer_connections_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string account_id = args->text("accountId");

  std::vector<sql::Statement> statements;
  statements.push_back(accounts::access_statement(actor, account_id, actor, ctx.now_seconds()));
  statements.push_back({"SELECT " + schema::select_list(connections_table()) +
                            " FROM retailer_connections WHERE account_id = ? AND " +
                            accounts::owner_guard_sql() +
                            " ORDER BY retailer, external_account_id, id",
                        {account_id, account_id, actor}});
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  const auto access = accounts::read_access((*done)[0]);
  if (!access.is_owner) co_return accounts::refused(access, account_id);
  Json list = Json::array();
  for (std::size_t i = 0; i < (*done)[1].size(); ++i)
    list.push_back(connection_json(sql::Row((*done)[1], i)));
  co_return Json{{"connections", std::move(list)}};
}

// What delete_retailer_connection takes and answers (ops/contract.h).
const contract::Contract& delete_retailer_connection_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("id", "retailer_connections")},
      .output = {row("deleted", "retailer_connections", {text("webhookPath")})},
      .summary = "Deletes a retailer connection.",
  };
  return kContract;
}

OperationTask delete_retailer_connection(Context& ctx, Json json) {
  auto args = contract::read(delete_retailer_connection_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string id = args->text("id");

  std::vector<sql::Statement> statements;
  statements.push_back(connection_facts(actor, id));
  statements.push_back({"DELETE FROM retailer_connections WHERE id = ? AND " +
                            std::string(kOwnsConnection) + " RETURNING " +
                            schema::select_list(connections_table()),
                        {id, id, actor}});
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[1].empty()) co_return connection_refusal((*done)[0], id);
  co_return Json{{"deleted", connection_json(sql::Row((*done)[1], 0))}};
}

// What rotate_retailer_connection_secret takes and answers (ops/contract.h).
const contract::Contract& rotate_retailer_connection_secret_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("id", "retailer_connections"),
                text("secretCiphertext", kCiphertextRule),
                integer("previousValidSeconds", {.min = 0, .max = kMaxOverlapSeconds}).optional()},
      .output = {row("connection", "retailer_connections", {text("webhookPath")})},
      .summary = "Replaces a connection's secret, keeping the old one valid for a while.",
  };
  return kContract;
}

OperationTask rotate_retailer_connection_secret(Context& ctx, Json json) {
  auto args = contract::read(rotate_retailer_connection_secret_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string id = args->text("id");
  const std::string ciphertext = args->text("secretCiphertext");
  const std::int64_t overlap =
      args->optional_integer("previousValidSeconds").value_or(kDefaultOverlapSeconds);

  const std::int64_t now = ctx.now_seconds();
  std::vector<sql::Statement> statements;
  statements.push_back(connection_facts(actor, id));
  statements.push_back(
      {"UPDATE retailer_connections SET previous_secret_ciphertext = "
       "secret_ciphertext, previous_secret_expires_at = ?, secret_ciphertext = "
       "?, updated_at = ? WHERE id = ? AND " +
           std::string(kOwnsConnection) + " RETURNING " + schema::select_list(connections_table()),
       {now + overlap, ciphertext, now, id, id, actor}});
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[1].empty()) co_return connection_refusal((*done)[0], id);
  co_return Json{{"connection", connection_json(sql::Row((*done)[1], 0))}};
}

// What get_retailer_connection_secrets takes and answers (ops/contract.h).
const contract::Contract& get_retailer_connection_secrets_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("id", "retailer_connections")},
      .output = {row("connection", "retailer_connections", {text("webhookPath")}),
                 array("secretCiphertexts", of::text())},
      .summary = "A connection's secret ciphertexts (trusted callers only).",
  };
  return kContract;
}

OperationTask get_retailer_connection_secrets(Context& ctx, Json json) {
  auto args = contract::read(get_retailer_connection_secrets_contract().input, json);
  if (!args.ok()) co_return args.take_error();
  const std::string id = args->text("id");
  if (json.contains("actorUserId")) {
    co_return Error::invalid_input(
        "actorUserId must be absent: connection secrets are for trusted callers only");
  }

  const std::int64_t now = ctx.now_seconds();
  std::vector<sql::Statement> statements;
  // A rotated-out secret is returned only while it is still valid.
  statements.push_back({"SELECT " + schema::select_list(connections_table()) +
                            ", secret_ciphertext AS secret_ciphertext, CASE WHEN "
                            "previous_secret_expires_at > ? THEN previous_secret_ciphertext END "
                            "AS previous_secret_ciphertext FROM retailer_connections WHERE id = ?",
                        {now, id}});
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[0].empty()) co_return Error::not_found("connection " + id + " not found");
  const sql::Row row((*done)[0], 0);
  Json secrets = Json::array();
  secrets.push_back(row.text("secret_ciphertext"));
  if (!row.is_null("previous_secret_ciphertext"))
    secrets.push_back(row.text("previous_secret_ciphertext"));
  co_return Json{{"connection", connection_json(row)}, {"secretCiphertexts", std::move(secrets)}};
}

}  // namespace eventuall::ops
