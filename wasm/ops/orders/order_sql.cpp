#include "ops/orders/order_sql.h"

#include "schema/schema.h"

namespace eventuall::ops::orders {

namespace {
constexpr std::string_view kDigits = "0123456789abcdefghijklmnopqrstuvwxyz";
}

std::string derived_id(std::string_view base, std::size_t n) {
  std::string id(base.substr(0, 21));
  id += kDigits[(n / 1296) % 36];
  id += kDigits[(n / 36) % 36];
  id += kDigits[n % 36];
  return id;
}

std::string derived_id_sql(std::string_view base_sql, std::string_view n_sql) {
  const std::string n(n_sql);
  const std::string digits = "'" + std::string(kDigits) + "'";
  return "(substr(" + std::string(base_sql) + ", 1, 21) || substr(" + digits + ", ((" + n +
         ") / 1296) % 36 + 1, 1) || substr(" + digits + ", ((" + n +
         ") / 36) % 36 + 1, 1) || substr(" + digits + ", (" + n + ") % 36 + 1, 1))";
}

std::string resolved_ticket_sql(bool manual, std::string_view keys_sql, std::string_view event_sql,
                                std::string_view retailer_sql) {
  if (manual) {
    return "(SELECT rt.id FROM json_each(" + std::string(keys_sql) +
           ") rk JOIN tickets rt ON rt.id = rk.value WHERE rt.event_id = " +
           std::string(event_sql) + " AND " + std::string(retailer_sql) +
           " = 'manual' ORDER BY rk.key LIMIT 1)";
  }
  return "(SELECT rm.ticket_id FROM json_each(" + std::string(keys_sql) +
         ") rk JOIN external_sku_mappings rm ON rm.external_id = rk.value WHERE rm.event_id = " +
         std::string(event_sql) + " AND rm.retailer = " + std::string(retailer_sql) +
         " ORDER BY rk.key LIMIT 1)";
}

sql::Statement OrderKey::id_subquery() const {
  return {"(SELECT id FROM orders WHERE " + where_sql + ")", params};
}

rbac::EventRef OrderKey::event() const {
  return rbac::EventRef::subquery("SELECT event_id FROM orders WHERE " + where_sql, params);
}

std::string OrderKey::where_over(std::string_view alias) const {
  const std::string a(alias);
  return params.size() == 1 ? a + ".id = ?"
                            : a + ".retailer = ? AND " + a + ".external_order_id = ?";
}

OrderKey read_order_key(Input& in) {
  OrderKey key;
  if (auto id = in.optional_id("orderId")) {
    key.where_sql = "id = ?";
    key.params = {*id};
    key.description = "order " + *id;
    return key;
  }
  const auto& retailers = schema::webapp_schema().table("orders").allowed_values("retailer");
  const auto retailer = in.optional_one_of("retailer", retailers);
  const auto external = in.optional_text("externalOrderId");
  if (in.ok() && (!retailer || !external)) {
    in.reject("orderId", "is required (or retailer and externalOrderId)");
  }
  key.where_sql = "retailer = ? AND external_order_id = ?";
  key.params = {retailer.value_or(""), external.value_or("")};
  key.description = retailer.value_or("") + " order " + external.value_or("");
  return key;
}

}  // namespace eventuall::ops::orders
