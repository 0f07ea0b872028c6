#include "ops/orders/order_view.h"

#include "common/for_size.h"
#include "schema/queries.h"
#include "schema/row_json.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops::orders {

namespace {

// The line items whose fulfilment (or resolution) is `value`.
Json items_where(const Json& items, const char* key, const char* value) {
  Json out = Json::array();
  for (const auto& item : items) {
    const auto it = item.find(key);
    if (it != item.end() && it->is_string() && it->get_ref<const std::string&>() == value) {
      out.push_back(item);
    }
  }
  return out;
}

// The access the order o confers, one element per holder and scope, the same
// whether the holder's email belongs to a verified user (a grant now) or not
// (a pending invitation, or the grant it became when claimed): the tenant
// must not learn from its orders which emails are registered. Revoked
// (refunded) access is gone either way: the grant deleted, the invitation
// revoked.
const std::string kAccessSql =
    "(SELECT json_group_array(" +
    schema::json_object_sql({{"email", "a.email"},
                             {"eventId", "a.event_id"},
                             {"roleId", "a.role_id"},
                             {"roomId", "a.room_id"}}) +
    ") FROM (SELECT DISTINCT email, event_id, room_id, role_id FROM (SELECT u.email AS email, "
    "g.event_id AS event_id, g.room_id AS room_id, g.role_id AS role_id FROM access_grants g "
    "JOIN users u ON u.id = g.user_id WHERE g.order_id = o.id UNION SELECT p.email, i.event_id, "
    "i.room_id, i.role_id FROM invitations i JOIN pending_profiles p ON p.id = "
    "i.pending_profile_id WHERE i.order_id = o.id AND i.status = 'pending') ORDER BY event_id, "
    "coalesce(room_id, ''), email, role_id) a)";

// The events the order's issued items gave access in (each item's ticket's
// event), kept after a refund: who must re-read those events' participants.
constexpr const char* kEventIdsSql =
    "(SELECT json_group_array(event_id) FROM (SELECT DISTINCT t.event_id AS event_id FROM "
    "order_line_items li JOIN tickets t ON t.id = li.ticket_id WHERE li.order_id = o.id AND "
    "li.fulfilment = 'issued' ORDER BY t.event_id))";

}  // namespace

sql::Statement order_read(const std::string& where_sql, std::vector<sql::Value> params) {
  const auto& schema = schema::webapp_schema();
  const auto& orders = schema.table("orders");
  static const std::string kSelect =
      "SELECT " + schema::select_list(orders, "o") + ", " +
      schema::children_json_sql(schema.table("order_line_items"), orders, "o", "id") +
      " AS line_items_json, " +
      schema::children_json_sql(schema.table("room_access_tickets"), orders, "o", "id") +
      " AS room_access_json, " +
      kAccessSql + " AS access_json, " + kEventIdsSql + " AS event_ids_json FROM orders o WHERE ";
  return {kSelect + where_sql, std::move(params)};
}

Json order_json(const sql::ResultSet& rows, std::size_t index) {
  const auto& orders = schema::webapp_schema().table("orders");
  const sql::Row row(rows, index);
  Json items = schema::json_array_column(row, "line_items_json");
  Json out = Json::object();
  // Whom the order's access went to is the holder's business, not the
  // tenant's: no user id (which only a registered email has), no pending
  // profile id (which only an unregistered one has).
  Json order = schema::row_json(orders, row);
  order["userId"] = nullptr;
  Json tickets = schema::json_array_column(row, "room_access_json");
  for (auto& t : tickets) {
    t["userId"] = nullptr;
    t["pendingProfileId"] = nullptr;
  }
  out["order"] = std::move(order);
  out["unmapped"] = items_where(items, "resolution", "unmapped");
  out["soldOut"] = items_where(items, "fulfilment", "sold_out");
  out["lineItems"] = std::move(items);
  out["roomAccessTickets"] = std::move(tickets);
  out["access"] = schema::json_array_column(row, "access_json");
  out["eventIds"] = schema::json_array_column(row, "event_ids_json");
  return out;
}

contract::Fields order_view_output(contract::Fields extra, bool all_optional) {
  using namespace contract;
  // Unmapped items: line item rows, or (an order not recorded) the payload's
  // items; both carry at least these keys.
  Node unmapped = of::shape("order_unmapped_item", of::object({text("externalProductId").nullable(),
                              text("externalVariantId").nullable(),
                              text("externalSku").nullable(), text("title").nullable(),
                              integer("quantity"), integer("unitPrice")}));
  unmapped.open = true;
  Fields fields{row("order", "orders").about("userId is always null: the buyer is not named"),
                array("lineItems", of::row("order_line_items")),
                array("unmapped", std::move(unmapped)),
                array("soldOut", of::row("order_line_items")),
                array("roomAccessTickets", of::row("room_access_tickets"))
                    .about("userId and pendingProfileId are always null"),
                array("access", of::shape("order_access", of::object({email("email"), id("eventId", "events"),
                                                                     id("roomId", "rooms").nullable(),
                                                                     id("roleId", "roles")})))
                    .about("What the order confers, per holder and scope, alike whether or not "
                           "the holder has a user"),
                array("eventIds", of::id("events"))
                    .about("The events its issued items gave access in (also once refunded)")};
  for (auto& f : extra) fields.push_back(std::move(f));
  if (all_optional) {
    for (auto& f : fields) f.is_optional = true;
    fields[0].node.nullable = true;
  }
  return fields;
}

}  // namespace eventuall::ops::orders

EVENTUALL_FOR_SIZE_END
