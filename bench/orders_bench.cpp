// Order ingestion cost: one Shopify orders/create payload (3 line items: two
// mapped tickets opening 1 and 2 rooms, one unmapped) through the whole
// operation path (raw JSON text in, normalisation, one batch, the order read
// back as JSON), natively on an in-memory SQLite database migrated like
// production. Reports first deliveries, replays (the idempotent no-op path)
// and refunds, as the number of statements in the batch.
//
//   build/native/eventuall_bench_orders [orders]
//
// A program, not a test: figures go to BENCHMARKS.md; nothing asserts time.
#include <chrono>
#include <cstdio>
#include <string>

#include "client.h"
#include "migrations.h"

namespace {

using namespace eventuall;
using Clock = std::chrono::steady_clock;

const char* kAdmin = "seedusereventuall0000001";

std::string body(int order) {
  return R"({"id":)" + std::to_string(820982911946000000LL + order) + R"(,"email":"buyer)" +
         std::to_string(order % 500) +
         R"(@example.com","currency":"USD","total_price":"76.00","created_at":"2026-11-27T10:00:00-05:00","line_items":[)"
         R"({"id":1,"product_id":632910392,"variant_id":39072856,"sku":"VIP","title":"VIP","quantity":1,"price":"50.00"},)"
         R"({"id":2,"product_id":632910393,"variant_id":null,"sku":"GA","title":"GA","quantity":1,"price":"25.00"},)"
         R"({"id":3,"product_id":999,"variant_id":998,"sku":"","title":"Poster","quantity":2,"price":"0.50"}]})";
}

double per_call_us(Clock::time_point start, int n) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / n;
}

}  // namespace

int main(int argc, char** argv) {
  // --smoke (what scripts/bench.sh passes for CI): a few orders, quickly.
  const bool smoke = argc > 1 && std::string(argv[1]) == "--smoke";
  const int orders = smoke ? 50 : argc > 1 ? std::atoi(argv[1]) : 5000;
  if (orders < 1) {
    std::fprintf(stderr, "usage: %s [orders >= 1 | --smoke]\n", argv[0]);
    return 2;
  }
  const std::string root = EVENTUALL_SOURCE_DIR;
  auto webapp = sqlite::SqliteDatabase::open(":memory:");
  auto workers = sqlite::SqliteDatabase::open(":memory:");
  if (!sqlite::apply_migrations(**webapp, root + "/migrations/webapp").ok()) return 1;
  if (!sqlite::apply_sql_file(**webapp, root + "/migrations/seeds/account_user.sql").ok()) return 1;
  sqlite::Client client(**webapp, **workers);
  auto call = [&](const std::string& op, const Json& input) {
    auto result = client.call(op, dump_json(input));
    if (!result.ok()) {
      std::fprintf(stderr, "%s: %s\n", op.c_str(), result.error().message().c_str());
      std::exit(1);
    }
    return std::move(result).value();
  };
  auto event = call("create_event", {{"actorUserId", kAdmin},
                                     {"accountId", "seedaccounteventuall0001"},
                                     {"name", "Bench"},
                                     {"rooms", {{{"name", "Stage"}}, {{"name", "Hall"}}}}});
  const std::string event_id = event["event"]["id"];
  auto vip = call("create_ticket", {{"actorUserId", kAdmin},
                                    {"eventId", event_id},
                                    {"name", "VIP"},
                                    {"price", 5000},
                                    {"roomIds", {event["rooms"][0]["id"]}}});
  auto ga = call("create_ticket",
                 {{"actorUserId", kAdmin}, {"eventId", event_id}, {"name", "GA"}, {"price", 2500}});
  call("create_sku_mapping", {{"actorUserId", kAdmin},
                              {"eventId", event_id},
                              {"retailer", "shopify"},
                              {"externalId", "39072856"},
                              {"ticketId", vip["ticket"]["id"]}});
  call("create_sku_mapping", {{"actorUserId", kAdmin},
                              {"eventId", event_id},
                              {"retailer", "shopify"},
                              {"externalId", "GA"},
                              {"ticketId", ga["ticket"]["id"]}});
  // Half the buyers have verified accounts (grants), half do not (pending invitations).
  for (int i = 0; i < 250; ++i) {
    auto up = call("sign_up",
                   {{"email", "buyer" + std::to_string(i) + "@example.com"}, {"name", "Buyer"}});
    call("verify_email", {{"token", up["verification"]["token"]}});  // orders grant verified emails
  }

  std::vector<std::string> ids;
  auto start = Clock::now();
  for (int i = 0; i < orders; ++i) {
    auto out = call("ingest_order",
                    {{"eventId", event_id}, {"retailer", "shopify"}, {"payload", body(i)}});
    ids.push_back(out["order"]["id"]);
  }
  const double ingest_us = per_call_us(start, orders);
  start = Clock::now();
  for (int i = 0; i < orders; ++i) {
    call("ingest_order", {{"eventId", event_id}, {"retailer", "shopify"}, {"payload", body(i)}});
  }
  const double replay_us = per_call_us(start, orders);
  start = Clock::now();
  for (const auto& id : ids) call("refund_order", {{"orderId", id}});
  const double refund_us = per_call_us(start, orders);

  std::printf(
      "| orders in the database | ingest (µs) | replay (µs) | refund (µs) | statements per ingest "
      "|\n");
  std::printf("|---|---|---|---|---|\n");
  std::printf("| %d | %.1f | %.1f | %.1f | %d (9 + one per line item) |\n", orders, ingest_us,
              replay_us, refund_us, 9 + 3);
  return 0;
}
