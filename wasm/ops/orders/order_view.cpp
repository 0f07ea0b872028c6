#include "ops/orders/order_view.h"

#include "schema/queries.h"
#include "schema/row_json.h"

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
      schema::children_json_sql(schema.table("access_grants"), orders, "o", "id") +
      " AS grants_json, " +
      schema::children_json_sql(schema.table("invitations"), orders, "o", "id") +
      " AS invitations_json FROM orders o WHERE ";
  return {kSelect + where_sql, std::move(params)};
}

Json order_json(const sql::ResultSet& rows, std::size_t index) {
  const auto& orders = schema::webapp_schema().table("orders");
  const sql::Row row(rows, index);
  Json items = schema::json_array_column(row, "line_items_json");
  Json out = Json::object();
  out["order"] = schema::row_json(orders, row);
  out["unmapped"] = items_where(items, "resolution", "unmapped");
  out["soldOut"] = items_where(items, "fulfilment", "sold_out");
  out["lineItems"] = std::move(items);
  out["roomAccessTickets"] = schema::json_array_column(row, "room_access_json");
  out["accessGrants"] = schema::json_array_column(row, "grants_json");
  out["invitations"] = schema::json_array_column(row, "invitations_json");
  return out;
}

contract::Fields order_view_output(contract::Fields extra, bool all_optional) {
  using namespace contract;
  Fields fields{row("order", "orders"),
                array("lineItems", of::row("order_line_items")),
                array("unmapped", of::json()),  // rows, or the payload's items when not recorded
                array("soldOut", of::row("order_line_items")),
                array("roomAccessTickets", of::row("room_access_tickets")),
                array("accessGrants", of::row("access_grants")),
                array("invitations", of::row("invitations"))};
  for (auto& f : extra) fields.push_back(std::move(f));
  if (all_optional) {
    for (auto& f : fields) f.is_optional = true;
    fields[0].node.nullable = true;
  }
  return fields;
}

}  // namespace eventuall::ops::orders
