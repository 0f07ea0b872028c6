#include "ops/orders/order_sql.h"

#include "common/for_size.h"
#include "schema/schema.h"

EVENTUALL_FOR_SIZE_BEGIN

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

std::string OrderKey::where(std::string_view alias) const {
  const std::string prefix = alias.empty() ? std::string() : std::string(alias) + ".";
  std::string out;
  for (const auto& [column, value] : conditions) {
    if (!out.empty()) out += " AND ";
    out += prefix + column + " = " + value;
  }
  return out;
}

sql::Statement OrderKey::id_subquery() const {
  return {"(SELECT id FROM orders WHERE " + where() + " ORDER BY id LIMIT 1)", params};
}

rbac::EventRef OrderKey::event() const {
  return rbac::EventRef::subquery(
      "SELECT event_id FROM orders WHERE " + where() + " ORDER BY id LIMIT 1", params);
}

Result<OrderKey> read_order_key(const contract::Args& args) {
  OrderKey key;
  if (auto id = args.optional_text("orderId")) {
    key.conditions = {{"id", "?"}};
    key.params = {*id};
    key.description = "order " + *id;
    return key;
  }
  const auto retailer = args.optional_text("retailer");
  const auto external = args.optional_text("externalOrderId");
  const auto event = args.optional_text("eventId");
  const auto connection = event ? std::nullopt : args.optional_text("connectionId");
  if (!retailer || !external) {
    return Error::invalid_input("orderId is required (or retailer and externalOrderId)");
  }
  if (!event && !connection) {
    return Error::invalid_input("eventId is required with externalOrderId (or connectionId)");
  }
  key.conditions = {{"retailer", "?"},
                    {"external_order_id", "?"},
                    {connection ? "connection_id" : "event_id", "?"}};
  key.params = {*retailer, *external, connection ? *connection : *event};
  key.description = *retailer + " order " + *external;
  return key;
}

sql::Statement IngestTarget::scope() const {
  if (through_connection()) return {"?", {connection_id}};
  if (retailer == "manual") return {"?", {event_id}};
  return {"(SELECT se.account_id FROM events se WHERE se.id = ?)", {event_id}};
}

sql::Statement IngestTarget::resolved_ticket(const sql::Statement& keys, std::int64_t at) const {
  sql::Statement out;
  if (retailer == "manual") {
    out.sql = "(SELECT rt.id FROM json_each(" + keys.sql +
              ") rk JOIN tickets rt ON rt.id = rk.value WHERE rt.event_id = ? ORDER BY rk.key "
              "LIMIT 1)";
    out.params = keys.params;
    out.params.push_back(event_id);
    return out;
  }
  if (!through_connection()) {
    out.sql = "(SELECT rm.ticket_id FROM json_each(" + keys.sql +
              ") rk JOIN external_sku_mappings rm ON rm.external_id = rk.value WHERE rm.event_id "
              "= ? AND rm.retailer = ? ORDER BY rk.key LIMIT 1)";
    out.params = keys.params;
    out.params.insert(out.params.end(), {event_id, retailer});
    return out;
  }
  // The first key with any mapping selling at `at` decides: exactly one
  // mapping (one event) resolves, several are ambiguous (NULL).
  out.sql = "(SELECT CASE WHEN count(*) = 1 THEN min(rm.ticket_id) END FROM json_each(" + keys.sql +
            ") rk JOIN external_sku_mappings rm ON rm.external_id = rk.value JOIN events re ON "
            "re.id = rm.event_id WHERE re.account_id = (SELECT rc.account_id FROM "
            "retailer_connections rc WHERE rc.id = ?) AND rm.retailer = ? AND "
            "(rm.sales_starts_at IS NULL OR rm.sales_starts_at <= ?) AND (rm.sales_ends_at IS "
            "NULL OR ? < rm.sales_ends_at) GROUP BY rk.key ORDER BY rk.key LIMIT 1)";
  out.params = keys.params;
  out.params.insert(out.params.end(), {connection_id, retailer, at, at});
  return out;
}

}  // namespace eventuall::ops::orders

EVENTUALL_FOR_SIZE_END
