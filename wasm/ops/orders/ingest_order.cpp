// Ingest order: a retailer's order payload for one event becomes one internal
// order, in ONE atomic batch:
//
//   [0]   what the caller may do, [1] whether an item maps to a ticket priced
//         in another currency (reads, for the error when nothing was written)
//   [2]   INSERT the order ... ON CONFLICT (retailer, external_order_id) DO
//         NOTHING, guarded by the caller's right and by those currencies
//   [3..] one INSERT per line item, each resolved through the event's SKU
//         mappings and checked against its ticket's capacity at that moment
//         (earlier items of the same order included): issued, sold_out, or
//         unmapped (kept and reported, never dropped)
//   then  sold_count += the issued quantities; the buyer's pending profile (no
//         verified user yet); room access tickets; access grants (buyer has a
//         user whose email is verified) or pending invitations (claimed, as
//         source 'order', when the email is verified: an unverified user with
//         the buyer's email may be anyone, user_creation.h)
//   last  the stored order, read back by (retailer, external_order_id)
//
// Every statement after [2] is guarded by the new order's id. A replay (the
// same webhook delivered again, even concurrently: SQLite and D1 run batches
// one at a time) finds the order already there, so its id is never inserted,
// all its statements are no-ops, and it reports the stored order with
// created:false. Capacity is taken by guarded SQL, never by a CHECK failure
// (which would abort the paid order's whole batch): an item that does not fit
// is recorded as sold_out and gives no access.
#include "ops/input.h"
#include "ops/orders/normalized_order.h"
#include "ops/orders/order_sql.h"
#include "ops/orders/order_view.h"
#include "ops/orders/orders_operations.h"
#include "ops/rbac/actor_facts.h"
#include "schema/queries.h"

namespace eventuall::ops {

namespace {

// The payload is the retailer's JSON: an object, or its raw text (what a
// webhook route has; parsed here so 64-bit ids stay exact).
Json read_payload(Input& in, const Json& json) {
  const auto it = json.is_object() ? json.find("payload") : json.end();
  if (!in.ok()) return Json();
  if (it == json.end() || it->is_null()) {
    in.reject("payload", "is required");
    return Json();
  }
  if (it->is_string()) {
    auto parsed = parse_json(it->get_ref<const std::string&>());
    if (!parsed.ok()) {
      in.reject("payload", "is not valid JSON");
      return Json();
    }
    return std::move(parsed).value();
  }
  return *it;
}

std::string keys_json(const orders::NormalizedLineItem& item) {
  return dump_json(Json(orders::match_keys(item)));
}

// The rooms an order's issued items open: each ticket's rooms, or every room of
// the event for a ticket that names none. One row per (line item, room), n
// numbering them in (line item, room) order.
constexpr const char* kOpenedRoomsCte =
    "WITH opened AS (SELECT li.id AS line_item_id, li.ticket_id AS ticket_id, rm.id AS room_id "
    "FROM order_line_items li JOIN tickets t ON t.id = li.ticket_id "
    "JOIN rooms rm ON rm.event_id = t.event_id "
    "WHERE li.order_id = ? AND li.fulfilment = 'issued' AND (NOT EXISTS (SELECT 1 FROM "
    "ticket_rooms tr WHERE tr.ticket_id = li.ticket_id) OR rm.id IN (SELECT tr.room_id FROM "
    "ticket_rooms tr WHERE tr.ticket_id = li.ticket_id))), "
    "numbered AS (SELECT line_item_id, ticket_id, room_id, row_number() OVER (ORDER BY "
    "line_item_id, room_id) - 1 AS n FROM opened) ";

// The scopes the buyer's role is granted on: each room a ticket opens, and the
// whole event (room NULL) for a ticket that names no rooms. n numbers them.
constexpr const char* kScopesCte =
    "WITH scopes(room_id) AS (SELECT tr.room_id FROM order_line_items li JOIN ticket_rooms tr "
    "ON tr.ticket_id = li.ticket_id WHERE li.order_id = ? AND li.fulfilment = 'issued' "
    "UNION SELECT NULL FROM order_line_items li WHERE li.order_id = ? AND li.fulfilment = "
    "'issued' AND NOT EXISTS (SELECT 1 FROM ticket_rooms tr WHERE tr.ticket_id = li.ticket_id)), "
    "numbered AS (SELECT room_id, row_number() OVER (ORDER BY room_id) - 1 AS n FROM scopes) ";

// INSERT INTO <into> one row per scope: a derived id, then <values> (which
// bind the role and the time, in that order) FROM orders o <from> (which
// binds the order id).
sql::Statement buyer_role_insert(Context& ctx, const std::string& order_id, std::int64_t now,
                                 const std::string& into, const std::string& values,
                                 const std::string& from) {
  return {std::string(kScopesCte) + "INSERT INTO " + into + " SELECT " +
              orders::derived_id_sql("?", "s.n") + ", " + values + " FROM orders o " + from,
          {order_id, order_id, ctx.new_id(), orders::kBuyerRoleId, now, order_id}};
}

}  // namespace

OperationTask ingest_order(Context& ctx, Json json) {
  Input in(json);
  const auto actor = in.optional_id("actorUserId");
  const std::string event_id = in.id("eventId");
  const auto& schema = schema::webapp_schema();
  const std::string retailer =
      in.required_one_of("retailer", schema.table("orders").allowed_values("retailer"));
  const Json payload = read_payload(in, json);
  if (!in.ok()) co_return in.error();
  auto normalized = orders::normalize_order(retailer, payload);
  if (!normalized.ok()) co_return normalized.take_error();
  const orders::NormalizedOrder& order = *normalized;
  const bool manual = retailer == "manual";

  const std::int64_t now = ctx.now_seconds();
  const std::string order_id = ctx.new_id();
  const rbac::EventRef event = rbac::EventRef::value(event_id);
  std::vector<sql::Statement> statements;

  // [0] the caller's rights; [1] whether an item resolves to a ticket priced in
  // another currency (an order must be in its tickets' currency).
  const std::size_t facts_at = statements.size();
  statements.push_back(rbac::actor_facts(actor, event, rbac::permission::kOrderManage, now));
  Json all_keys = Json::array();
  for (const auto& item : order.line_items) all_keys.push_back(orders::match_keys(item));
  const std::string mismatch =
      "EXISTS (SELECT 1 FROM json_each(?) item JOIN tickets mt ON mt.id = " +
      orders::resolved_ticket_sql(manual, "item.value", "?", "?") + " WHERE mt.currency <> ?)";
  const std::vector<sql::Value> mismatch_params = {dump_json(all_keys), event_id, retailer,
                                                   order.currency};
  sql::Statement currency_check{"SELECT " + mismatch + " AS currency_mismatch", mismatch_params};
  statements.push_back(std::move(currency_check));

  // [2] the order.
  rbac::Condition may = rbac::may_act(actor, rbac::permission::kOrderManage, event, now);
  sql::Statement insert_order{
      "INSERT INTO orders (id, event_id, retailer, external_order_id, buyer_email, buyer_name, "
      "user_id, status, total, currency, placed_at, created_at, updated_at) SELECT ?, ?, ?, ?, ?, "
      "?, (SELECT id FROM users WHERE email = ? AND email_verified_at IS NOT NULL), 'paid', ?, ?, "
      "?, ?, ? WHERE " +
          may.sql + " AND NOT " + mismatch +
          " ON CONFLICT (retailer, external_order_id) DO NOTHING RETURNING id AS id",
      {order_id, event_id, retailer, order.external_order_id, order.buyer_email, order.buyer_name,
       order.buyer_email, order.total, order.currency, order.placed_at, now, now}};
  sql::append_params(insert_order.params, may.params);
  sql::append_params(insert_order.params, mismatch_params);
  const std::size_t order_at = statements.size();
  statements.push_back(std::move(insert_order));

  // One statement per line item, in payload order (ids sort the same way).
  const std::string item_sql =
      "INSERT INTO order_line_items (id, order_id, external_product_id, external_variant_id, "
      "external_sku, title, quantity, unit_price, ticket_id, resolution, fulfilment, created_at) "
      "SELECT ?, o.id, ?, ?, ?, ?, ?, ?, t.id, CASE WHEN t.id IS NULL THEN 'unmapped' ELSE "
      "'mapped' END, CASE WHEN t.id IS NULL THEN 'none' WHEN t.capacity IS NULL OR t.sold_count + "
      "? + (SELECT coalesce(sum(x.quantity), 0) FROM order_line_items x WHERE x.order_id = o.id "
      "AND x.ticket_id = t.id AND x.fulfilment = 'issued') <= t.capacity THEN 'issued' ELSE "
      "'sold_out' END, ? FROM orders o LEFT JOIN tickets t ON t.id = " +
      orders::resolved_ticket_sql(manual, "?", "o.event_id", "o.retailer") + " WHERE o.id = ?";
  for (std::size_t i = 0; i < order.line_items.size(); ++i) {
    const auto& item = order.line_items[i];
    sql::Statement insert_item{
        item_sql,
        {orders::derived_id(order_id, i), item.external_product_id, item.external_variant_id,
         item.external_sku, item.title, item.quantity, item.unit_price, item.quantity, now,
         keys_json(item), order_id}};
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

  // A buyer without a user gets a pending profile (one per event and email).
  statements.push_back(
      {"INSERT INTO pending_profiles (id, event_id, email, name, created_at) SELECT ?, "
       "o.event_id, o.buyer_email, o.buyer_name, ? FROM orders o WHERE o.id = ? AND NOT EXISTS "
       "(SELECT 1 FROM users u WHERE u.email = o.buyer_email AND u.email_verified_at IS NOT NULL) "
       "AND EXISTS (SELECT 1 FROM "
       "order_line_items li WHERE li.order_id = o.id AND li.fulfilment = 'issued') "
       "ON CONFLICT (event_id, email) DO NOTHING",
       {ctx.new_id(), now, order_id}});

  // Room access tickets: one per issued item and room it opens.
  statements.push_back(
      {std::string(kOpenedRoomsCte) +
           "INSERT INTO room_access_tickets (id, order_id, order_line_item_id, ticket_id, "
           "room_id, user_id, pending_profile_id, status, created_at) SELECT " +
           orders::derived_id_sql("?", "a.n") +
           ", o.id, a.line_item_id, a.ticket_id, a.room_id, u.id, CASE WHEN u.id IS NULL THEN "
           "p.id END, 'active', ? FROM orders o JOIN numbered a LEFT JOIN users u ON u.email = "
           "o.buyer_email AND u.email_verified_at IS NOT NULL LEFT JOIN pending_profiles p ON "
           "p.event_id = o.event_id AND p.email = "
           "o.buyer_email WHERE o.id = ?",
       {order_id, ctx.new_id(), now, order_id}});

  // The buyer's role on each scope: a grant now (verified buyer), or an
  // invitation claimed when the email is verified.
  statements.push_back(buyer_role_insert(
      ctx, order_id, now,
      "access_grants (id, user_id, event_id, room_id, role_id, source, order_id, created_at)",
      "u.id, o.event_id, s.room_id, ?, 'order', o.id, ?",
      "JOIN users u ON u.email = o.buyer_email AND u.email_verified_at IS NOT NULL JOIN numbered s "
      "WHERE o.id = ? ON CONFLICT DO "
      "NOTHING"));
  statements.push_back(buyer_role_insert(
      ctx, order_id, now,
      "invitations (id, pending_profile_id, event_id, room_id, role_id, order_id, status, "
      "created_at)",
      "p.id, o.event_id, s.room_id, ?, o.id, 'pending', ?",
      "JOIN pending_profiles p ON p.event_id = o.event_id AND p.email = o.buyer_email JOIN "
      "numbered s WHERE o.id = ? AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email = "
      "o.buyer_email AND u.email_verified_at IS NOT NULL)"));

  const std::size_t read_at = statements.size();
  statements.push_back(orders::order_read("o.retailer = ? AND o.external_order_id = ?",
                                          {retailer, order.external_order_id}));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  const bool created = !(*done)[order_at].empty();
  if (!created) {
    if (auto refusal = rbac::actor_refusal((*done)[facts_at], "event " + event_id,
                                           rbac::permission::kOrderManage)) {
      co_return *refusal;
    }
    if ((*done)[read_at].empty()) {
      if (sql::Row((*done)[facts_at + 1], 0).integer("currency_mismatch")) {
        co_return Error::invalid_input("payload: currency " + order.currency +
                                       " is not the currency of the tickets its items map to");
      }
      co_return Error::internal("order not stored and no reason found");
    }
  }
  Json out = orders::order_json((*done)[read_at]);
  // The same external order id, already ingested for another event.
  if (out["order"].value("eventId", std::string()) != event_id) {
    co_return Error::conflict(retailer + " order " + order.external_order_id +
                              " was already ingested for another event");
  }
  out["created"] = created;
  co_return out;
}

}  // namespace eventuall::ops
