// Orders natively: retailer payloads normalised exactly, ingestion idempotent
// under concurrent duplicate deliveries, capacity never oversold under racing
// orders, every statement of the batch atomic, refunds revoking exactly what
// the order granted, and bad input refused with nothing written.
#include "identity_support.h"
#include "ops/orders/normalized_order.h"
#include "ops/orders/order_sql.h"
#include "ops/orders/payload_fields.h"

namespace eventuall {
namespace {

using testing::kEventuallAccount;
using testing::kEventuallAdmin;
using testing::kMomentusAdmin;

using testing::scalar;

// An event with two rooms, a VIP ticket opening the stage only (capacity as
// given) and a general ticket opening everything, mapped for Shopify.
struct Shop {
  std::string event;
  std::string stage;
  std::string hall;
  std::string vip;
  std::string general;
};

Shop make_shop(testing::TestDatabases& db, std::optional<std::int64_t> vip_capacity = 5) {
  Shop s;
  auto event = db.ok("create_event", {{"actorUserId", kEventuallAdmin},
                                      {"accountId", kEventuallAccount},
                                      {"name", "Concert"},
                                      {"rooms", {{{"name", "Stage"}}, {{"name", "Hall"}}}}});
  s.event = event["event"]["id"];
  s.stage = event["rooms"][0]["id"];
  s.hall = event["rooms"][1]["id"];
  Json vip{{"actorUserId", kEventuallAdmin},
           {"eventId", s.event},
           {"name", "VIP"},
           {"price", 5000},
           {"currency", "USD"},
           {"roomIds", {s.stage}}};
  if (vip_capacity) vip["capacity"] = *vip_capacity;
  s.vip = db.ok("create_ticket", vip)["ticket"]["id"];
  s.general = db.ok("create_ticket", {{"actorUserId", kEventuallAdmin},
                                      {"eventId", s.event},
                                      {"name", "General"},
                                      {"price", 2500},
                                      {"currency", "USD"}})["ticket"]["id"];
  db.ok("create_sku_mapping", {{"actorUserId", kEventuallAdmin},
                               {"eventId", s.event},
                               {"retailer", "shopify"},
                               {"externalId", "39072856"},
                               {"ticketId", s.vip}});
  db.ok("create_sku_mapping", {{"actorUserId", kEventuallAdmin},
                               {"eventId", s.event},
                               {"retailer", "shopify"},
                               {"externalId", "GA-2026"},
                               {"ticketId", s.general}});
  return s;
}

// A Shopify orders/create body as raw text (64-bit ids stay exact).
std::string shopify_body(const std::string& order_id, const std::string& email,
                         std::int64_t vip_quantity = 1) {
  return R"({"id":)" + order_id + R"(,"email":")" + email +
         R"(","currency":"USD","total_price":"75.00","created_at":"2026-11-27T10:00:00-05:00",
  "customer":{"first_name":"Ada","last_name":"Byron","email":")" +
         email + R"("},
  "line_items":[
   {"id":866550311766439020,"product_id":632910392,"variant_id":39072856,"sku":"VIP-2026","title":"VIP","quantity":)" +
         std::to_string(vip_quantity) + R"(,"price":"50.00"},
   {"id":141249953214522974,"product_id":632910393,"variant_id":null,"sku":"GA-2026","title":"General","quantity":1,"price":"25.00"},
   {"id":141249953214522975,"product_id":999,"variant_id":998,"sku":"","title":"Poster","quantity":2,"price":"0.50"}]})";
}

Json shopify(const Shop& s, const std::string& order_id, const std::string& email,
             std::int64_t vip_quantity = 1) {
  return {{"eventId", s.event},
          {"retailer", "shopify"},
          {"payload", shopify_body(order_id, email, vip_quantity)}};
}

TEST_CASE("money and timestamps are read exactly") {
  Json j{{"a", "25.00"},
         {"b", "0.1"},
         {"c", "19.999"},
         {"d", "2500"},
         {"e", "1.5"},
         {"f", "-1.00"},
         {"g", "1e3"},
         {"h", "25.000"},
         {"t", "2026-11-27T10:00:00-05:00"},
         {"u", "2026-02-30T00:00:00Z"},
         {"v", "2026-11-27T15:00:00.123Z"}};
  auto read = [&](const char* field, const std::string& currency) -> std::optional<std::int64_t> {
    ops::Input in(j);
    auto v = ops::orders::decimal_amount(in, j, field, currency, true);
    return in.ok() ? v : std::nullopt;
  };
  CHECK(read("a", "USD") == 2500);
  CHECK(read("b", "USD") == 10);
  CHECK(read("c", "USD") == std::nullopt);
  CHECK(read("c", "KWD") == 19999);
  CHECK(read("d", "JPY") == 2500);
  CHECK(read("e", "JPY") == std::nullopt);
  CHECK(read("f", "USD") == std::nullopt);
  CHECK(read("g", "USD") == std::nullopt);
  CHECK(read("h", "USD") == 2500);
  ops::Input in(j);
  CHECK(ops::orders::iso_timestamp(in, j, "t") == 1795791600);
  CHECK(ops::orders::iso_timestamp(in, j, "v") == 1795791600);
  CHECK(in.ok());
  ops::orders::iso_timestamp(in, j, "u");
  CHECK_FALSE(in.ok());
  CHECK(ops::orders::derived_id("abcdefghijklmnopqrstuvwx", 0) == "abcdefghijklmnopqrstu000");
  CHECK(ops::orders::derived_id("abcdefghijklmnopqrstuvwx", 46655) == "abcdefghijklmnopqrstuzzz");
}

TEST_CASE("a Shopify order resolves per mapping, keeps unmapped items and gives the buyer access to claim") {
  testing::TestDatabases db;
  auto s = make_shop(db);
  auto buyer = testing::verified_sign_up(db, {{"email", "ada@example.com"}, {"name", "Ada"}});
  auto out = db.ok("ingest_order", shopify(s, "820982911946154508", "Ada@Example.com"));
  CHECK(out["created"] == true);
  CHECK(out["order"]["externalOrderId"] == "820982911946154508");
  CHECK(out["order"]["buyerEmail"] == "ada@example.com");
  // Nothing names the buyer's user until they claim the order, so the tenant
  // cannot tell a verified user's address from an unknown one.
  CHECK(out["order"]["userId"].is_null());
  CHECK(scalar(*db.webapp, "SELECT user_id FROM orders", {}).is_null());
  CHECK(out["order"]["total"] == 7500);
  CHECK(out["order"]["placedAt"] == 1795791600);
  REQUIRE(out["lineItems"].size() == 3);
  CHECK(out["lineItems"][0]["ticketId"] == s.vip);  // by variant id
  CHECK(out["lineItems"][0]["fulfilment"] == "issued");
  CHECK(out["lineItems"][1]["ticketId"] == s.general);  // by SKU
  CHECK(out["lineItems"][2]["resolution"] == "unmapped");
  CHECK(out["lineItems"][2]["unitPrice"] == 50);
  REQUIRE(out["unmapped"].size() == 1);
  CHECK(out["unmapped"][0]["title"] == "Poster");
  // VIP opens the stage; General opens both rooms: three room access tickets.
  CHECK(out["roomAccessTickets"].size() == 3);
  // Access: the stage (VIP) and the whole event (General, no rooms named),
  // pending until the buyer claims it.
  CHECK(out["access"].size() == 2);
  for (const auto& a : out["access"]) CHECK(a["email"] == "ada@example.com");
  CHECK(db.webapp_count("access_grants") == 0);
  CHECK(scalar(*db.webapp, "SELECT sold_count FROM tickets WHERE id = ?", {s.vip}).as_integer() ==
        1);
  const Json may_join = {
      {"userId", buyer["user"]["id"]}, {"eventId", s.event}, {"permission", "room.join"}};
  CHECK(db.ok("can", may_join)["allowed"] == false);
  // The buyer, whose email is verified, claims it: grants of source 'order',
  // and the order and its room access now name them.
  CHECK(db.ok("accept_invitations", {{"actorUserId", buyer["user"]["id"]}})["claimedGrants"] == 2);
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM access_grants WHERE source = 'order' AND user_id = ?",
               {buyer["user"]["id"].get<std::string>()})
            .as_integer() == 2);
  CHECK(scalar(*db.webapp, "SELECT user_id FROM orders", {}).as_text() == buyer["user"]["id"]);
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM room_access_tickets WHERE user_id = ?",
               {buyer["user"]["id"].get<std::string>()})
            .as_integer() == 3);
  CHECK(db.ok("can", may_join)["allowed"] == true);
  // get_event lists the tickets by price.
  auto event = db.ok("get_event", {{"actorUserId", kEventuallAdmin}, {"id", s.event}});
  REQUIRE(event["tickets"].size() == 2);
  CHECK(event["tickets"][0]["name"] == "General");
  CHECK(event["tickets"][1]["soldCount"] == 1);
}

TEST_CASE("10 concurrent deliveries of one webhook make one order and one set of access") {
  testing::TestDatabases db;
  auto s = make_shop(db);
  testing::verified_sign_up(db, {{"email", "ada@example.com"}, {"name", "Ada"}});
  std::vector<Json> inputs(10, shopify(s, "820982911946154508", "ada@example.com"));
  auto outcomes = testing::run_interleaved(db, "ingest_order", inputs, testing::wall_ms());
  int created = 0;
  std::set<std::string> ids;
  for (auto& o : outcomes) {
    REQUIRE(o.ok());
    created += o.value()["created"].get<bool>() ? 1 : 0;
    ids.insert(o.value()["order"]["id"].get<std::string>());
    CHECK(o.value()["lineItems"].size() == 3);
  }
  CHECK(created == 1);
  CHECK(ids.size() == 1);
  CHECK(db.webapp_count("orders") == 1);
  CHECK(db.webapp_count("order_line_items") == 3);
  CHECK(db.webapp_count("room_access_tickets") == 3);
  CHECK(db.webapp_count("invitations") == 2);
  CHECK(scalar(*db.webapp, "SELECT sold_count FROM tickets WHERE id = ?", {s.vip}).as_integer() ==
        1);
  // A later replay changes nothing either.
  const std::string before = db.dump(*db.webapp);
  CHECK(db.ok("ingest_order", inputs[0])["created"] == false);
  CHECK(db.dump(*db.webapp) == before);
}

// The receive_webhook payload texts of tests/fixtures/orders_connections.json
// (real retailer shapes) holding `needle`.
std::string connection_payload(const std::string& needle) {
  auto text = sqlite::read_file(testing::source_path("tests/fixtures/orders_connections.json"));
  REQUIRE(text.ok());
  const Json fixture = parse_json(*text).value();
  for (const auto& step : fixture["steps"]) {
    const Json& payload = step["input"].value("payload", Json());
    if (step["op"] == "receive_webhook" && payload.is_string() &&
        payload.get<std::string>().find(needle) != std::string::npos) {
      return payload.get<std::string>();
    }
  }
  FAIL("no payload with " << needle);
  return {};
}

TEST_CASE("each store delivery 10 times at once, then replayed under another id: one effect") {
  testing::TestDatabases db;
  auto event = [&](const char* name) {
    return db
        .ok("create_event", {{"actorUserId", kEventuallAdmin},
                             {"accountId", kEventuallAccount},
                             {"name", name},
                             {"rooms", {{{"name", "Room"}}}}})["event"]["id"]
        .get<std::string>();
  };
  const std::string night1 = event("Night one"), night2 = event("Night two");
  auto ticket = [&](const std::string& e) {
    return db
        .ok("create_ticket", {{"actorUserId", kEventuallAdmin},
                              {"eventId", e},
                              {"name", "Pass"},
                              {"price", 3000},
                              {"currency", "USD"}})["ticket"]["id"]
        .get<std::string>();
  };
  const std::string t1 = ticket(night1), t2 = ticket(night2);
  auto map = [&](const std::string& e, const std::string& t, const char* retailer,
                 const char* external, Json window = Json::object()) {
    Json input{{"actorUserId", kEventuallAdmin},
               {"eventId", e},
               {"retailer", retailer},
               {"externalId", external},
               {"ticketId", t}};
    input.update(window);
    db.ok("create_sku_mapping", input);
  };
  map(night1, t1, "shopify", "39072856",
      {{"salesStartsAt", 1790000000}, {"salesEndsAt", 1795800000}});
  map(night2, t2, "shopify", "39072856", {{"salesStartsAt", 1795800000}});
  map(night2, t2, "shopify", "39072857");
  map(night1, t1, "stripe", "price_1QNightOne");
  map(night2, t2, "stripe", "price_1QNightTwo");
  map(night1, t1, "eventbrite", "1002003001");
  std::map<std::string, std::string> connection;
  for (const char* retailer : {"shopify", "stripe", "eventbrite"}) {
    connection[retailer] = db.ok("create_retailer_connection",
                                 {{"actorUserId", kEventuallAdmin},
                                  {"accountId", kEventuallAccount},
                                  {"retailer", retailer},
                                  {"externalAccountId", std::string("store-") + retailer},
                                  {"secretCiphertext", "sealed"}})["connection"]["id"];
  }

  // Delivers 10 at once: exactly one has the effect (`flag` true) and all name one order.
  auto deliver = [&](const std::string& retailer, const std::string& payload,
                     const char* flag) -> Json {
    Json input{{"connectionId", connection[retailer]},
               {"retailer", retailer},
               {"payload", payload},
               {"deliveryId", "delivery-1"}};
    auto outcomes = testing::run_interleaved(db, "receive_webhook", std::vector<Json>(10, input),
                                             testing::wall_ms());
    int effects = 0;
    std::set<std::string> orders;
    Json first;
    for (auto& o : outcomes) {
      REQUIRE(o.ok());
      if (o.value()[flag] == true) {
        ++effects;
        first = o.value();
      }
      orders.insert(o.value()["order"]["id"].get<std::string>());
    }
    CHECK(effects == 1);
    CHECK(orders.size() == 1);
    // Replayed under another delivery id (the headers swapped): no effect.
    const std::string before = db.dump(*db.webapp);
    const auto deliveries = db.webapp_count("retailer_deliveries");
    input["deliveryId"] = "delivery-2";
    auto replay = db.ok("receive_webhook", input);
    CHECK(replay[flag] == false);
    CHECK(db.webapp_count("retailer_deliveries") <= deliveries + 1);
    REQUIRE(
        db.webapp->exec_script("DELETE FROM retailer_deliveries WHERE delivery_id = 'delivery-2'")
            .ok());
    CHECK(db.dump(*db.webapp) == before);
    return first;
  };

  const Json shop = deliver("shopify", connection_payload("\"Tour poster\""), "created");
  CHECK(shop["order"]["eventId"] == night1);
  CHECK(shop["lineItems"][0]["ticketId"] == t1);
  CHECK(shop["lineItems"][1]["ticketId"] == t2);
  CHECK(shop["lineItems"][2]["resolution"] == "unmapped");
  const Json stripe =
      deliver("stripe", connection_payload("checkout.session.completed"), "created");
  CHECK(stripe["lineItems"][0]["ticketId"] == t1);
  CHECK(stripe["lineItems"][1]["ticketId"] == t2);
  const Json eventbrite = deliver("eventbrite", connection_payload("\"attendees\""), "created");
  CHECK(eventbrite["lineItems"].size() == 3);
  CHECK(eventbrite["access"].size() == 3);  // three attendees, none with a user yet
  const Json refund = deliver("shopify", connection_payload("refund_line_items"), "changed");
  CHECK(refund["order"]["id"] == shop["order"]["id"]);
  CHECK(refund["order"]["status"] == "refunded");
  const Json refunded = deliver("stripe", connection_payload("evt_3QRefunded0001"), "changed");
  CHECK(refunded["order"]["id"] == stripe["order"]["id"]);
  CHECK(db.webapp_count("orders") == 3);
  CHECK(scalar(*db.webapp, "SELECT sum(sold_count) FROM tickets", {}).as_integer() == 3);
}

TEST_CASE("racing orders never sell more than a ticket's capacity") {
  testing::TestDatabases db;
  auto s = make_shop(db, 5);
  std::vector<Json> inputs;
  for (int i = 0; i < 12; ++i) {
    inputs.push_back(
        shopify(s, std::to_string(1000 + i), "buyer" + std::to_string(i) + "@example.com"));
  }
  auto outcomes = testing::run_interleaved(db, "ingest_order", inputs, testing::wall_ms());
  int issued = 0, sold_out = 0;
  for (auto& o : outcomes) {
    REQUIRE(o.ok());
    const auto& vip = o.value()["lineItems"][0];
    issued += vip["fulfilment"] == "issued";
    sold_out += vip["fulfilment"] == "sold_out";
    if (vip["fulfilment"] == "sold_out") {
      CHECK(o.value()["soldOut"].size() == 1);
      CHECK(o.value()["order"]["status"] == "paid");  // the rest of the order stands
    }
  }
  CHECK(issued == 5);
  CHECK(sold_out == 7);
  CHECK(scalar(*db.webapp, "SELECT sold_count FROM tickets WHERE id = ?", {s.vip}).as_integer() ==
        5);
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM room_access_tickets WHERE ticket_id = ?", {s.vip})
            .as_integer() == 5);
  // One order asking for more than is left in one go gets none of it.
  testing::TestDatabases db2;
  auto s2 = make_shop(db2, 3);
  auto big = db2.ok("ingest_order", shopify(s2, "77", "big@example.com", 4));
  CHECK(big["lineItems"][0]["fulfilment"] == "sold_out");
  CHECK(scalar(*db2.webapp, "SELECT sold_count FROM tickets WHERE id = ?", {s2.vip}).as_integer() ==
        0);
}

TEST_CASE("a failure in any statement of an ingestion or refund leaves nothing behind") {
  testing::TestDatabases db;
  auto s = make_shop(db);
  const auto input = shopify(s, "4242", "pending@example.com");
  const std::string before = db.dump(*db.webapp);
  // order, why not (facts and currencies), 3 items, capacity, profile, access, invitations, read.
  for (std::size_t k = 0; k < 10; ++k) {
    INFO("failing statement " << k);
    db.webapp->fail_statement_for_testing(k);
    CHECK(db.error_code("ingest_order", input) == "db_error");
    db.webapp->fail_statement_for_testing(std::nullopt);
    CHECK(db.dump(*db.webapp) == before);
  }
  auto ok = db.ok("ingest_order", input);
  CHECK(ok["access"].size() == 2);
  const std::string paid = db.dump(*db.webapp);
  for (std::size_t k = 0; k < 7; ++k) {
    INFO("failing refund statement " << k);
    db.webapp->fail_statement_for_testing(k);
    CHECK(db.error_code("refund_order", {{"orderId", ok["order"]["id"]}}) == "db_error");
    db.webapp->fail_statement_for_testing(std::nullopt);
    CHECK(db.dump(*db.webapp) == paid);
  }
}

TEST_CASE("refunds revoke exactly the order's access, also after the buyer signs up") {
  testing::TestDatabases db;
  auto s = make_shop(db);
  // Bought before having an account: a pending profile and invitations.
  auto order = db.ok("ingest_order", shopify(s, "5150", "late@example.com"));
  CHECK(order["access"].size() == 2);
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM invitations WHERE status = 'pending'", {})
            .as_integer() == 2);
  CHECK(order["roomAccessTickets"][0]["userId"].is_null());
  auto user = testing::verified_sign_up(db, {{"email", "late@example.com"}, {"name", "Late"}});
  CHECK(user["claimedGrants"] == 2);
  const std::string user_id = user["user"]["id"];
  // A manual grant of the same role on the same event, independent of the order.
  db.ok("grant_access", {{"actorUserId", kEventuallAdmin},
                         {"userId", user_id},
                         {"eventId", s.event},
                         {"roleId", ops::orders::kBuyerRoleId}});
  auto seen =
      db.ok("get_order", {{"actorUserId", kEventuallAdmin}, {"orderId", order["order"]["id"]}});
  // Claimed: the same access as before, and still no user id for the tenant.
  CHECK(seen["access"] == order["access"]);
  CHECK(seen["order"]["userId"].is_null());
  for (const auto& t : seen["roomAccessTickets"]) CHECK(t["userId"].is_null());
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM access_grants WHERE source = 'order' AND user_id = ?",
               {user_id})
            .as_integer() == 2);
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM room_access_tickets WHERE user_id = ?", {user_id})
            .as_integer() == 3);

  auto refunded =
      db.ok("refund_order", {{"actorUserId", kEventuallAdmin}, {"orderId", order["order"]["id"]}});
  CHECK(refunded["changed"] == true);
  CHECK(refunded["revokedGrants"] == 2);
  CHECK(refunded["access"].empty());
  CHECK(refunded["order"]["status"] == "refunded");
  for (const auto& t : refunded["roomAccessTickets"]) CHECK(t["status"] == "revoked");
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM access_grants WHERE user_id = ?", {user_id})
            .as_integer() == 1);
  CHECK(scalar(*db.webapp, "SELECT source FROM access_grants WHERE user_id = ?", {user_id})
            .as_text() == "manual");
  CHECK(scalar(*db.webapp, "SELECT sold_count FROM tickets WHERE id = ?", {s.vip}).as_integer() ==
        0);
  // Replayed refund: nothing to do; cancelling a refunded order: conflict.
  const std::string before = db.dump(*db.webapp);
  auto again = db.ok("refund_order",
                     {{"retailer", "shopify"}, {"externalOrderId", "5150"}, {"eventId", s.event}});
  CHECK(again["changed"] == false);
  CHECK(db.error_code("cancel_order", {{"orderId", order["order"]["id"]}}) == "conflict");
  CHECK(db.dump(*db.webapp) == before);
}

// An answer as the caller sees it: the value, or the error's code and message
// (authorization_test.cpp's answer(), which a unity build may compile beside).
Json seen_answer(testing::TestDatabases& db, const std::string& op, const Json& input) {
  auto result = db.call(op, input);
  if (result.ok()) return {{"ok", true}, {"value", std::move(result).value()}};
  return {{"ok", false},
          {"code", std::string(result.error().code_name())},
          {"message", result.error().message()}};
}

TEST_CASE("regression: a tenant cannot tell from its orders whether the buyer is a verified user") {
  // Two worlds alike but for one thing: in the first, the buyer's email is a
  // verified user's (of no event of this tenant); in the second, nobody's.
  // Same seed and clock, so every answer must be byte for byte the same.
  const std::string kBuyer = "buyer@elsewhere.example";
  auto world = [&](bool registered, std::string& user_id) {
    testing::TestDatabases db;
    db.client.set_deterministic_for_testing(crypto::Seed{}, 1767225600000);
    auto s = make_shop(db);
    user_id = testing::verified_sign_up(
        db, {{"email", registered ? kBuyer : "someone@elsewhere.example"},
             {"name", "Buyer"}})["user"]["id"];
    std::vector<Json> answers;
    const Json manual{{"actorUserId", kEventuallAdmin},
                      {"eventId", s.event},
                      {"retailer", "manual"},
                      {"payload",
                       {{"reference", "m-1"},
                        {"email", kBuyer},
                        {"name", "Buyer"},
                        {"currency", "USD"},
                        {"items",
                         {{{"ticketId", s.vip}, {"quantity", 1}, {"unitPrice", 0}},
                          {{"ticketId", s.general}, {"quantity", 1}, {"unitPrice", 0}}}}}}};
    answers.push_back(seen_answer(db, "ingest_order", manual));
    answers.push_back(seen_answer(db, "ingest_order", manual));  // a replay
    const Json manual_id = answers[0]["value"]["order"]["id"];
    answers.push_back(seen_answer(db, "get_order", {{"actorUserId", kEventuallAdmin}, {"orderId", manual_id}}));
    answers.push_back(seen_answer(db, "get_order", {{"actorUserId", kMomentusAdmin}, {"orderId", manual_id}}));
    answers.push_back(seen_answer(db, "list_tickets", {{"actorUserId", kEventuallAdmin}, {"eventId", s.event}}));
    // The same buyer through a store's webhook, and an organiser's import.
    answers.push_back(seen_answer(db, "receive_webhook", {{"eventId", s.event},
                                                     {"retailer", "shopify"},
                                                     {"deliveryId", "d-1"},
                                                     {"payload", shopify_body("4242", kBuyer)}}));
    answers.push_back(seen_answer(db, "ingest_order", shopify(s, "4343", kBuyer)));
    answers.push_back(seen_answer(db, "get_order", {{"actorUserId", kEventuallAdmin},
                                               {"retailer", "shopify"},
                                               {"externalOrderId", "4242"},
                                               {"eventId", s.event}}));
    // Who holds access in the event: pending invitations in both worlds.
    answers.push_back(seen_answer(db, "list_participants", {{"actorUserId", kEventuallAdmin}, {"eventId", s.event}}));
    answers.push_back(seen_answer(db, "refund_order", {{"actorUserId", kEventuallAdmin}, {"orderId", manual_id}}));
    answers.push_back(seen_answer(db, "refund_order", {{"actorUserId", kEventuallAdmin}, {"orderId", manual_id}}));
    answers.push_back(seen_answer(db, "cancel_order", {{"actorUserId", kEventuallAdmin},
                                                  {"retailer", "shopify"},
                                                  {"externalOrderId", "4343"},
                                                  {"eventId", s.event}}));
    answers.push_back(seen_answer(db, "get_order", {{"actorUserId", kEventuallAdmin}, {"orderId", manual_id}}));
    answers.push_back(seen_answer(db, "list_tickets", {{"actorUserId", kEventuallAdmin}, {"eventId", s.event}}));
    return answers;
  };
  std::string known_id, other_id;
  const std::vector<Json> known = world(true, known_id);
  const std::vector<Json> unknown = world(false, other_id);
  REQUIRE(known.size() == unknown.size());
  for (std::size_t i = 0; i < known.size(); ++i) {
    const std::string known_text = dump_json(known[i]);
    const std::string unknown_text = dump_json(unknown[i]);
    INFO("answer " << i << ": " << known_text);
    CHECK(known_text.find(known_id) == std::string::npos);
    CHECK(known_text == unknown_text);
  }
  CHECK(known[0]["ok"] == true);
  CHECK(known[5]["value"]["created"] == true);
  CHECK(known[8]["value"]["participants"].size() == 6);  // 3 orders, 2 scopes each
  CHECK(known[9]["value"]["changed"] == true);
}

TEST_CASE("orders operations read their input through their contracts: same codes and messages") {
  testing::TestDatabases db;
  auto s = make_shop(db);
  const std::string before = db.dump(*db.webapp);
  auto message = [&](const std::string& op, const Json& input) {
    auto result = db.call(op, input);
    if (result.ok()) return std::string("ok");
    return std::string(result.error().code_name()) + ": " + result.error().message();
  };
  const Json admin{{"actorUserId", kEventuallAdmin}};
  auto with = [&](Json extra) {
    Json in = admin;
    in.update(extra);
    return in;
  };
  CHECK(message("get_order", admin) ==
        "invalid_input: orderId is required (or retailer and externalOrderId)");
  CHECK(message("refund_order", with({{"retailer", "shopify"}, {"externalOrderId", "1"}})) ==
        "invalid_input: eventId is required with externalOrderId (or connectionId)");
  CHECK(message("cancel_order", with({{"orderId", "not an id"}})).rfind("invalid_input: orderId", 0) == 0);
  CHECK(message("get_order", with({{"retailer", "amazon"}, {"externalOrderId", "1"}, {"eventId", s.event}}))
            .rfind("invalid_input: retailer must be one of", 0) == 0);
  CHECK(message("receive_webhook", {{"retailer", "shopify"}, {"payload", "{}"}}) ==
        "invalid_input: eventId is required");
  CHECK(message("receive_webhook", {{"eventId", s.event}, {"retailer", "manual"}, {"payload", "{}"}})
            .rfind("invalid_input: retailer must be one of", 0) == 0);
  CHECK(message("ingest_order", with({{"eventId", s.event}, {"retailer", "manual"}})) ==
        "invalid_input: payload is required");
  CHECK(message("create_sku_mapping", with({{"eventId", s.event},
                                            {"retailer", "shopify"},
                                            {"externalId", "X"},
                                            {"ticketId", s.vip},
                                            {"salesStartsAt", 10},
                                            {"salesEndsAt", 10}})) ==
        "invalid_input: salesEndsAt must be after salesStartsAt");
  CHECK(message("create_ticket", with({{"eventId", s.event}, {"price", 1}})) ==
        "invalid_input: name is required");
  CHECK(message("create_ticket", with({{"eventId", s.event}, {"name", "N"}})) ==
        "invalid_input: price is required");
  CHECK(message("create_ticket", with({{"eventId", s.event}, {"name", "N"}, {"price", 1}, {"currency", "U$D"}})) ==
        "invalid_input: currency must be a three-letter ISO 4217 currency code");
  CHECK(message("update_ticket", with({{"id", s.vip}, {"roomIds", {"nope"}}})).rfind("invalid_input: roomIds[0]", 0) == 0);
  CHECK(message("list_tickets", admin) == "invalid_input: eventId is required");
  CHECK(message("get_retailer_connection_secrets", {{"id", s.vip}, {"actorUserId", kEventuallAdmin}}) ==
        "invalid_input: actorUserId must be absent: connection secrets are for trusted callers only");
  CHECK(db.dump(*db.webapp) == before);
  // What the contract reads is what the operation uses: a lower-case currency
  // upper-cased, room ids sorted without repeats.
  Json ticket = db.ok("create_ticket", with({{"eventId", s.event},
                                              {"name", " Late "},
                                              {"price", 100},
                                              {"currency", "usd"},
                                              {"roomIds", {s.stage, s.hall, s.stage}}}))["ticket"];
  CHECK(ticket["name"] == "Late");
  CHECK(ticket["currency"] == "USD");
  std::vector<std::string> rooms = {s.stage, s.hall};
  std::sort(rooms.begin(), rooms.end());
  CHECK(ticket["roomIds"] == Json(rooms));
}

TEST_CASE("bad orders are refused with a clear error and nothing written") {
  testing::TestDatabases db;
  auto s = make_shop(db);
  const std::string before = db.dump(*db.webapp);
  auto code = [&](Json input) { return db.error_code("ingest_order", input); };
  CHECK(code(shopify(Shop{.event = "nosucheventaaaaaaaaaaaaa"}, "1", "a@example.com")) ==
        "not_found");
  CHECK(code({{"eventId", s.event}, {"retailer", "shopify"}, {"payload", "{not json"}}) ==
        "invalid_input");
  CHECK(code({{"eventId", s.event}, {"retailer", "amazon"}, {"payload", Json::object()}}) ==
        "invalid_input");
  CHECK(code({{"eventId", s.event}, {"retailer", "shopify"}}) == "invalid_input");
  Json negative = parse_json(shopify_body("9", "a@example.com")).value();
  negative["line_items"][0]["price"] = "-50.00";
  CHECK(code({{"eventId", s.event}, {"retailer", "shopify"}, {"payload", dump_json(negative)}}) ==
        "invalid_input");
  Json euros = parse_json(shopify_body("9", "a@example.com")).value();
  euros["currency"] = "EUR";  // the mapped tickets are priced in USD
  auto refused =
      db.call("ingest_order",
              {{"eventId", s.event}, {"retailer", "shopify"}, {"payload", dump_json(euros)}});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kInvalidInput);
  CHECK(refused.error().message().find("currency EUR") != std::string::npos);
  euros["currency"] = "EURO";
  CHECK(code({{"eventId", s.event}, {"retailer", "shopify"}, {"payload", dump_json(euros)}}) ==
        "invalid_input");
  Json no_items = parse_json(shopify_body("9", "a@example.com")).value();
  no_items["line_items"] = Json::array();
  CHECK(code({{"eventId", s.event}, {"retailer", "shopify"}, {"payload", dump_json(no_items)}}) ==
        "invalid_input");
  // Organisers need order.manage; strangers do not see the event at all.
  Json manual{{"actorUserId", kMomentusAdmin},
              {"eventId", s.event},
              {"retailer", "manual"},
              {"payload",
               {{"reference", "m-1"},
                {"email", "x@example.com"},
                {"currency", "USD"},
                {"items", {{{"ticketId", s.vip}, {"quantity", 1}, {"unitPrice", 0}}}}}}};
  CHECK(code(manual) == "not_found");
  CHECK(db.error_code("create_ticket", {{"actorUserId", kEventuallAdmin},
                                        {"eventId", s.event},
                                        {"name", "Neg"},
                                        {"price", -1}}) == "invalid_input");
  CHECK(db.error_code("create_ticket", {{"actorUserId", kEventuallAdmin},
                                        {"eventId", s.event},
                                        {"name", "Bad"},
                                        {"price", 1},
                                        {"currency", "US"}}) == "invalid_input");
  CHECK(db.dump(*db.webapp) == before);
  // The same external order for another event is a conflict, not a second order.
  db.ok("ingest_order", shopify(s, "31337", "a@example.com"));
  auto other = make_shop(db);
  CHECK(code(shopify(other, "31337", "a@example.com")) == "conflict");
}

}  // namespace
}  // namespace eventuall

namespace eventuall {
namespace {

// The JSON pointer of every value in a payload (containers included).
void collect_paths(const Json& node, std::vector<Json::json_pointer>& paths,
                   const Json::json_pointer& at = Json::json_pointer()) {
  paths.push_back(at);
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) collect_paths(*it, paths, at / it.key());
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) collect_paths(node[i], paths, at / i);
  }
}

// Every value of a payload, one at a time, replaced by each JSON type: the
// parsers answer ok or invalid_input, never anything else (and never abort).
TEST_CASE("payloads with any field of any type are answered, never aborted") {
  testing::TestDatabases db;
  auto s = make_shop(db);
  const std::vector<std::pair<std::string, Json>> samples = {
      // As an object the payload must hold only safe integers (ids above 2^53 are
      // refused: pass the raw text), so the sample's line item ids are small.
      {"shopify", [] {
         Json body = parse_json(shopify_body("123", "a@example.com")).value();
         for (auto& item : body["line_items"]) item["id"] = 7;
         return body;
       }()},
      {"stripe",
       Json{{"type", "checkout.session.completed"},
            {"data",
             {{"object",
               {{"id", "cs_1"},
                {"object", "checkout.session"},
                {"amount_total", 5000},
                {"currency", "usd"},
                {"payment_status", "paid"},
                {"created", 1},
                {"customer_details", {{"email", "a@example.com"}, {"name", "A"}}},
                {"line_items",
                 {{"data",
                   {{{"quantity", 1},
                     {"amount_subtotal", 5000},
                     {"currency", "usd"},
                     {"price",
                      {{"id", "price_1"}, {"product", "prod_1"}, {"unit_amount", 5000}}}}}}}}}}}}}},
      {"eventbrite", Json{{"id", "1"},
                          {"email", "a@example.com"},
                          {"created", "2026-01-01T00:00:00Z"},
                          {"status", "placed"},
                          {"costs", {{"gross", {{"currency", "USD"}, {"value", 100}}}}},
                          {"attendees",
                           {{{"ticket_class_id", "9"},
                             {"quantity", 1},
                             {"costs", {{"gross", {{"currency", "USD"}, {"value", 100}}}}}}}}}},
      {"manual", Json{{"reference", "r"},
                      {"email", "a@example.com"},
                      {"currency", "USD"},
                      {"items", {{{"ticketId", s.vip}, {"quantity", 1}, {"unitPrice", 100}}}}}},
  };
  const std::vector<Json> replacements = {nullptr,
                                          -1,
                                          1.5,
                                          "x",
                                          "",
                                          Json::array(),
                                          Json::object(),
                                          Json(std::uint64_t{18446744073709551615ULL}),
                                          true};
  int calls = 0;
  for (const auto& [retailer_name, sample] : samples) {
    // A named copy: clang 14 cannot capture a structured binding in INFO's lambda.
    const std::string retailer = retailer_name;
    auto first = db.call("ingest_order", {{"eventId", s.event}, {"retailer", retailer}, {"payload", sample}});
    CHECK_MESSAGE(first.ok(), retailer, ": ", first.ok() ? std::string() : first.error().message());
    std::vector<Json::json_pointer> paths;
    collect_paths(sample, paths);
    for (const auto& path : paths) {
      for (const auto& replacement : replacements) {
        Json payload = sample;
        payload[path] = replacement;
        auto result = db.call("ingest_order",
                              {{"eventId", s.event}, {"retailer", retailer}, {"payload", payload}});
        ++calls;
        if (!result.ok()) {
          INFO(retailer << " " << path.to_string() << " = " << dump_json(replacement) << ": "
                        << result.error().message());
          CHECK(result.error().code() == ErrorCode::kInvalidInput);
        }
      }
    }
  }
  CHECK(calls > 500);
}

}  // namespace
}  // namespace eventuall
