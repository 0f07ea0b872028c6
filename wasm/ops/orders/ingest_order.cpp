// Ingest order: a retailer's order payload becomes one internal order, unique
// per (retailer, scope, external order id) — the scope being the store
// connection, else the event's account, else for a manual order the event —
// so two tenants whose external ids collide both ingest. ONE atomic batch:
//
//   [0]   INSERT the order ... ON CONFLICT (retailer, scope_id,
//         external_order_id) DO NOTHING, guarded by the caller's right and
//         the currencies of the tickets its items resolve to; its event is
//         the target event, or through a connection the event of its first
//         resolved item (none resolved: nothing is recorded and the items are
//         reported as unmapped)
//   [1]   when nothing was written, why: what the caller may do (or, through
//         a connection, whether it exists for this retailer) and whether an
//         item resolves to a ticket priced in another currency (no row when
//         the order was written)
//   [2..] one INSERT per line item, resolved through the SKU mappings (see
//         IngestTarget) and checked against its ticket's capacity at that
//         moment (earlier items of the same order included): issued,
//         sold_out, or unmapped (kept and reported, never dropped)
//   then  sold_count += the issued quantities; for each issued item, its
//         holder (the attendee named on it, else the buyer) in its ticket's
//         event: a pending profile, room access tickets and pending
//         invitations, whatever account holds the email: the holder claims
//         them (as grants of source 'order') by verifying the email, by a
//         provider sign-in that vouches for it, or with accept_invitations.
//         Nothing here reads users, so what the tenant sees cannot tell a
//         verified user's address from an unknown one (list_participants
//         included)
//   then  the delivery noted (receive_webhook), the stored order read back
//         as order_view.h shows it to the tenant (no user ids; grants and
//         invitations both as the access the order confers)
//
// Every statement after [0] is guarded by the new order's id ([1] by its absence). A replay (the
// same order delivered again, even concurrently: SQLite and D1 run batches
// one at a time) finds the order already there, so its id is never inserted,
// all its statements are no-ops, and it reports the stored order with
// created:false. Capacity is taken by guarded SQL, never by a CHECK failure
// (which would abort the paid order's whole batch): an item that does not fit
// is recorded as sold_out and gives no access.
#include "common/for_size.h"
#include "ops/orders/order_ingest.h"
#include "ops/orders/order_view.h"
#include "ops/orders/orders_operations.h"
#include "ops/rbac/actor_facts.h"
#include "schema/queries.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops {

namespace orders {

namespace {

// The issued items of an order (bound: the order id), each with its ticket's
// event and its holder: the attendee named on the item, else the buyer.
constexpr const char* kIssuedCte =
    "WITH issued AS (SELECT li.id AS line_item_id, li.ticket_id AS ticket_id, t.event_id AS "
    "event_id, coalesce(li.holder_email, o.buyer_email) AS email, CASE WHEN li.holder_email IS "
    "NULL THEN o.buyer_name ELSE li.holder_name END AS name FROM order_line_items li JOIN orders o "
    "ON o.id = li.order_id JOIN tickets t ON t.id = li.ticket_id WHERE li.order_id = ? AND "
    "li.fulfilment = 'issued') ";

// The scopes each holder's role is granted on: each room a ticket opens, and
// the whole event (room NULL) for a ticket that names no rooms. n numbers them.
constexpr const char* kScopesCte =
    ", scopes AS (SELECT i.event_id AS event_id, i.email AS email, tr.room_id AS room_id FROM "
    "issued i JOIN ticket_rooms tr ON tr.ticket_id = i.ticket_id UNION SELECT i.event_id, i.email, "
    "NULL FROM issued i WHERE NOT EXISTS (SELECT 1 FROM ticket_rooms tr WHERE tr.ticket_id = "
    "i.ticket_id)), numbered AS (SELECT event_id, email, room_id, row_number() OVER (ORDER BY "
    "event_id, email, room_id) - 1 AS n FROM scopes) ";

Json unmapped_items_json(const NormalizedOrder& order) {
  Json out = Json::array();
  for (const auto& item : order.line_items) {
    Json j = Json::object();
    j["externalProductId"] = item.external_product_id ? Json(*item.external_product_id) : Json();
    j["externalVariantId"] = item.external_variant_id ? Json(*item.external_variant_id) : Json();
    j["externalSku"] = item.external_sku ? Json(*item.external_sku) : Json();
    j["title"] = item.title ? Json(*item.title) : Json();
    j["quantity"] = item.quantity;
    j["unitPrice"] = item.unit_price;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

OperationTask record_order(Context& ctx, IngestTarget target, NormalizedOrder order,
                           std::optional<DeliveryNote> note) {
  const std::int64_t now = ctx.now_seconds();
  const std::int64_t at = order.placed_at.value_or(now);
  const std::string order_id = ctx.new_id();
  const std::string& retailer = target.retailer;
  const sql::Statement scope = target.scope();
  std::vector<sql::Statement> statements;

  // The caller's rights on the event, or the connection's existence.
  rbac::Condition may;
  sql::Statement facts;
  if (target.through_connection()) {
    may = {"EXISTS (SELECT 1 FROM retailer_connections WHERE id = ? AND retailer = ?)",
           {target.connection_id, retailer}};
    facts = {"SELECT " + may.sql + " AS connection_ok", may.params};
  } else {
    const rbac::EventRef event = rbac::EventRef::value(target.event_id);
    may = rbac::may_act(target.actor, rbac::permission::kOrderManage, event, now);
    facts = rbac::actor_facts(target.actor, event, rbac::permission::kOrderManage, now);
  }

  // Whether an item resolves to a ticket priced in another currency (an
  // order must be in its tickets' currency).
  Json all_keys = Json::array();
  for (const auto& item : order.line_items) all_keys.push_back(match_keys(item));
  const sql::Statement each_item = target.resolved_ticket({"item.value", {}}, at);
  sql::Statement mismatch{"EXISTS (SELECT 1 FROM json_each(?) item JOIN tickets mt ON mt.id = " +
                              each_item.sql + " WHERE mt.currency <> ?)",
                          {dump_json(all_keys)}};
  sql::append_params(mismatch.params, each_item.params);
  mismatch.params.push_back(order.currency);

  // [0] the order, in its event: the target's, or its first resolved item's.
  sql::Statement event_of_order{"?", {target.event_id}};
  if (target.through_connection()) {
    event_of_order = {"(SELECT pt.event_id FROM json_each(?) item JOIN tickets pt ON pt.id = " +
                          each_item.sql + " ORDER BY item.key LIMIT 1)",
                      {dump_json(all_keys)}};
    sql::append_params(event_of_order.params, each_item.params);
  }
  sql::Statement insert_order{
      "INSERT INTO orders (id, event_id, retailer, external_order_id, buyer_email, buyer_name, "
      "user_id, status, total, currency, placed_at, created_at, updated_at, connection_id, "
      "scope_id, external_payment_id) SELECT ?, pe.event_id, ?, ?, ?, ?, NULL, 'paid', ?, ?, ?, ?, "
      "?, ?, " +
          scope.sql + ", ? FROM (SELECT " + event_of_order.sql +
          " AS event_id) pe WHERE pe.event_id IS NOT NULL AND " + may.sql + " AND NOT " +
          mismatch.sql +
          " ON CONFLICT (retailer, scope_id, external_order_id) DO NOTHING RETURNING id AS id",
      {order_id, retailer, order.external_order_id, order.buyer_email, order.buyer_name,
       order.total, order.currency, order.placed_at, now, now,
       target.through_connection() ? sql::Value(target.connection_id) : sql::Value()}};
  sql::append_params(insert_order.params, scope.params);
  insert_order.params.push_back(order.external_payment_id);
  sql::append_params(insert_order.params, event_of_order.params);
  sql::append_params(insert_order.params, may.params);
  sql::append_params(insert_order.params, mismatch.params);
  const std::size_t order_at = statements.size();
  statements.push_back(std::move(insert_order));

  // [1] why no order was written, in one statement: the facts above and the
  // currencies (what it reads, no statement of this batch writes), one row
  // only when none was (once the new order is in the table the row is
  // filtered out; SQLite still evaluates the uncorrelated checks).
  const std::size_t facts_at = statements.size();
  facts.sql += ", " + mismatch.sql +
               " AS currency_mismatch WHERE NOT EXISTS (SELECT 1 FROM orders WHERE id = ?)";
  sql::append_params(facts.params, mismatch.params);
  facts.params.emplace_back(order_id);
  statements.push_back(std::move(facts));

  // One statement per line item, in payload order (ids sort the same way).
  const sql::Statement bound_item = target.resolved_ticket({"?", {}}, at);
  const std::string item_sql =
      "INSERT INTO order_line_items (id, order_id, external_product_id, external_variant_id, "
      "external_sku, title, quantity, unit_price, holder_email, holder_name, ticket_id, "
      "resolution, fulfilment, created_at) SELECT ?, o.id, ?, ?, ?, ?, ?, ?, ?, ?, t.id, CASE WHEN "
      "t.id IS NULL THEN 'unmapped' ELSE 'mapped' END, CASE WHEN t.id IS NULL THEN 'none' WHEN "
      "t.capacity IS NULL OR t.sold_count + ? + (SELECT coalesce(sum(x.quantity), 0) FROM "
      "order_line_items x WHERE x.order_id = o.id AND x.ticket_id = t.id AND x.fulfilment = "
      "'issued') <= t.capacity THEN 'issued' ELSE 'sold_out' END, ? FROM orders o LEFT JOIN "
      "tickets t ON t.id = " +
      bound_item.sql + " WHERE o.id = ?";
  for (std::size_t i = 0; i < order.line_items.size(); ++i) {
    const auto& item = order.line_items[i];
    sql::Statement insert_item{
        item_sql,
        {derived_id(order_id, i), item.external_product_id, item.external_variant_id,
         item.external_sku, item.title, item.quantity, item.unit_price, item.holder_email,
         item.holder_name, item.quantity, now, dump_json(Json(match_keys(item)))}};
    sql::append_params(insert_item.params, bound_item.params);
    insert_item.params.push_back(order_id);
    statements.push_back(std::move(insert_item));
  }

  // Capacity: every issued item fitted when it was inserted, a moment ago in
  // this same batch, so this never breaks the sold_count <= capacity CHECK.
  statements.push_back(
      {"UPDATE tickets SET sold_count = sold_count + (SELECT sum(li.quantity) FROM "
       "order_line_items li WHERE li.order_id = ? AND li.ticket_id = tickets.id AND "
       "li.fulfilment = 'issued'), updated_at = ? WHERE id IN (SELECT li.ticket_id FROM "
       "order_line_items li WHERE li.order_id = ? AND li.fulfilment = 'issued')",
       {order_id, now, order_id}});

  // Each holder gets a pending profile (one per event and email).
  statements.push_back(
      {std::string(kIssuedCte) +
           ", people AS (SELECT event_id, email, max(name) AS name FROM issued GROUP BY event_id, "
           "email), "
           "numbered AS (SELECT event_id, email, name, row_number() OVER (ORDER BY event_id, "
           "email) - 1 AS n FROM people) INSERT INTO pending_profiles (id, event_id, email, name, "
           "created_at) SELECT " +
           derived_id_sql("?", "n") +
           ", event_id, email, name, ? FROM numbered WHERE true ON CONFLICT (event_id, email) DO "
           "NOTHING",
       {order_id, ctx.new_id(), now}});

  // Room access tickets: one per issued item and room it opens.
  statements.push_back(
      {std::string(kIssuedCte) +
           ", opened AS (SELECT i.line_item_id AS line_item_id, i.ticket_id AS ticket_id, rm.id AS "
           "room_id, i.event_id AS event_id, i.email AS email FROM issued i JOIN rooms rm ON "
           "rm.event_id = i.event_id WHERE NOT EXISTS (SELECT 1 FROM ticket_rooms tr WHERE "
           "tr.ticket_id = i.ticket_id) OR rm.id IN (SELECT tr.room_id FROM ticket_rooms tr WHERE "
           "tr.ticket_id = i.ticket_id)), numbered AS (SELECT line_item_id, ticket_id, room_id, "
           "event_id, email, row_number() OVER (ORDER BY line_item_id, room_id) - 1 AS n FROM "
           "opened) INSERT INTO room_access_tickets (id, order_id, order_line_item_id, ticket_id, "
           "room_id, user_id, pending_profile_id, status, created_at) SELECT " +
           derived_id_sql("?", "a.n") +
           ", ?, a.line_item_id, a.ticket_id, a.room_id, NULL, p.id, 'active', ? FROM numbered a "
           "JOIN pending_profiles p ON p.event_id = a.event_id AND p.email = a.email",
       {order_id, ctx.new_id(), order_id, now}});

  // Each holder's role on each scope: an invitation, claimed as a grant.
  statements.push_back(
      {std::string(kIssuedCte) + kScopesCte +
           "INSERT INTO invitations (id, pending_profile_id, event_id, room_id, role_id, order_id, "
           "status, created_at) SELECT " +
           derived_id_sql("?", "s.n") +
           ", p.id, s.event_id, s.room_id, ?, ?, 'pending', ? FROM numbered s JOIN "
           "pending_profiles p ON p.event_id = s.event_id AND p.email = s.email",
       {order_id, ctx.new_id(), kBuyerRoleId, order_id, now}});

  // The stored order (this batch's or an earlier one's).
  sql::Statement stored_where{
      "o.retailer = ? AND o.scope_id = " + scope.sql + " AND o.external_order_id = ?", {retailer}};
  sql::append_params(stored_where.params, scope.params);
  stored_where.params.push_back(order.external_order_id);

  // The delivery, noted beside the order it delivered (none: nothing noted,
  // so a later delivery after a mapping is made still records it).
  std::optional<std::size_t> note_at;
  if (note) {
    sql::Statement insert_note{
        "INSERT INTO retailer_deliveries (id, retailer, scope_id, delivery_id, action, "
        "external_order_id, order_id, created_at) SELECT ?, ?, " +
            note->scope.sql + ", ?, ?, ?, o.id, ? FROM orders o WHERE " + stored_where.sql +
            " ON CONFLICT DO NOTHING RETURNING id AS id",
        {ctx.new_id(), note->retailer}};
    sql::append_params(insert_note.params, note->scope.params);
    insert_note.params.insert(insert_note.params.end(),
                              {note->delivery_id, note->action, order.external_order_id, now});
    sql::append_params(insert_note.params, stored_where.params);
    note_at = statements.size();
    statements.push_back(std::move(insert_note));
  }
  const std::size_t read_at = statements.size();
  statements.push_back(order_read(stored_where.sql, stored_where.params));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  const bool created = !(*done)[order_at].empty();
  if (!created) {
    if ((*done)[facts_at].empty()) {
      co_return Error::internal("order " + order_id + " is stored but its insert returned nothing");
    }
    if (target.through_connection()) {
      if (!sql::Row((*done)[facts_at], 0).integer("connection_ok")) {
        co_return Error::not_found(retailer + " connection " + target.connection_id + " not found");
      }
    } else if (auto refusal = rbac::actor_refusal((*done)[facts_at], "event " + target.event_id,
                                                  rbac::permission::kOrderManage)) {
      co_return *refusal;
    }
    if ((*done)[read_at].empty()) {
      if (sql::Row((*done)[facts_at], 0).integer("currency_mismatch")) {
        co_return Error::invalid_input("payload: currency " + order.currency +
                                       " is not the currency of the tickets its items map to");
      }
      if (!target.through_connection()) {
        co_return Error::internal("order not stored and no reason found");
      }
      // Through a connection, no item resolved to an event of the account.
      Json out = Json::object();
      out["recorded"] = false;
      out["created"] = false;
      out["order"] = nullptr;
      out["unmapped"] = unmapped_items_json(order);
      if (note) out["replay"] = false;
      co_return out;
    }
  }
  Json out = order_json((*done)[read_at]);
  // The same external order id, already ingested for another event of the tenant.
  if (!target.through_connection() &&
      out["order"].value("eventId", std::string()) != target.event_id) {
    co_return Error::conflict(retailer + " order " + order.external_order_id +
                              " was already ingested for another event");
  }
  out["recorded"] = true;
  out["created"] = created;
  if (note_at) out["replay"] = !created && (*done)[*note_at].empty();
  co_return out;
}

}  // namespace orders

// What ingest_order takes and answers (ops/contract.h).
const contract::Contract& ingest_order_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor().optional(), id("eventId", "events"), one_of("retailer", "orders.retailer"),
                json("payload")},
      .output = {orders::order_view_output({boolean("recorded"), boolean("created")})},
      .summary = "Records a retailer's order and issues its room access.",
  };
  return kContract;
}

OperationTask ingest_order(Context& ctx, Json json) {
  auto args = contract::read(ingest_order_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto actor = args->optional_text("actorUserId");
  const std::string event_id = args->text("eventId");
  const std::string retailer = args->text("retailer");
  auto payload = orders::read_order_payload(args->json());
  if (!payload.ok()) co_return payload.take_error();
  auto normalized = orders::normalize_order(retailer, *payload);
  if (!normalized.ok()) co_return normalized.take_error();
  orders::IngestTarget target{retailer, actor, event_id, {}};
  co_return co_await orders::record_order(ctx, std::move(target), std::move(normalized).value(),
                                          std::nullopt);
}

}  // namespace eventuall::ops

EVENTUALL_FOR_SIZE_END
