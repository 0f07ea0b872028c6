// The webapp database: identity, accounts, events, RBAC, orders.
#include "schema/schema.h"

namespace eventuall::schema {

namespace {

constexpr auto kCascade = OnDelete::kCascade;
constexpr auto kSetNull = OnDelete::kSetNull;

const char* const kRetailers[] = {"shopify", "eventbrite", "stripe", "manual"};
std::vector<std::string> retailers() { return {std::begin(kRetailers), std::end(kRetailers)}; }
// Retailers that deliver orders by webhook to a store connection.
std::vector<std::string> store_retailers() { return {"shopify", "eventbrite", "stripe"}; }

std::vector<Table> webapp_tables() {
  std::vector<Table> t;

  t.emplace_back(
      "users",
      std::vector<Column>{
          id_column(),
          text("name").required().checked("length(name) BETWEEN 1 AND 200"),
          text("email").required().checked("email = lower(email) AND instr(email, '@') > 1"),
          timestamp("email_verified_at"),
          text("image"),
          text("pronouns"),
          text("location"),
          // A calendar date, not an instant: ISO 'YYYY-MM-DD'.
          text("birthdate").checked("birthdate IS NULL OR date(birthdate) = birthdate"),
          created_at(),
          updated_at(),
      },
      std::vector<Index>{unique_index({"email"})});

  t.emplace_back("user_providers",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("user_id", "users", kCascade),
                     text("provider").required().one_of(
                         {"google", "github", "discord", "apple", "email", "livekit"}),
                     text("provider_account_id").required(),
                     created_at(),
                 },
                 std::vector<Index>{unique_index({"provider", "provider_account_id"}),
                                    index({"user_id"})});

  t.emplace_back("sessions",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("user_id", "users", kCascade),
                     text("token_hash").required().hidden(),
                     timestamp("expires_at").required(),
                     timestamp("revoked_at"),
                     timestamp("last_seen_at"),
                     text("user_agent"),
                     text("ip_address"),
                     created_at(),
                 },
                 std::vector<Index>{unique_index({"token_hash"}), index({"user_id"})});

  t.emplace_back("mcp_login_tokens",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("user_id", "users", kCascade),
                     text("token_hash").required().hidden(),
                     timestamp("expires_at").required(),
                     timestamp("consumed_at"),
                     created_at(),
                 },
                 std::vector<Index>{unique_index({"token_hash"}), index({"user_id"})});

  // One-time email verification tokens (sign_up, issue_email_verification),
  // stored as SHA-256 like login tokens. The profile columns hold what the
  // sign_up that issued the token asked for: consuming it on a user nobody had
  // verified yet gives the row that profile (the verified owner takes it over).
  t.emplace_back("email_verifications",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("user_id", "users", kCascade),
                     // The address the token proves: the user's email when issued.
                     text("email").required(),
                     text("token_hash").required().hidden(),
                     text("name"),
                     text("pronouns"),
                     text("location"),
                     text("birthdate"),
                     text("image"),
                     timestamp("expires_at").required(),
                     timestamp("consumed_at"),
                     created_at(),
                 },
                 std::vector<Index>{unique_index({"token_hash"}), index({"user_id"})});

  t.emplace_back("mcp_api_keys",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("user_id", "users", kCascade),
                     text("name").required(),
                     text("key_hash").required().hidden(),
                     // A few leading characters of the key, for display only.
                     text("key_prefix").required(),
                     json_text("scopes").required().defaults_to("'[]'"),
                     timestamp("last_used_at"),
                     timestamp("expires_at"),
                     timestamp("revoked_at"),
                     created_at(),
                 },
                 std::vector<Index>{unique_index({"key_hash"}), index({"user_id"})});

  t.emplace_back("accounts",
                 std::vector<Column>{
                     id_column(),
                     text("name").required().checked("length(name) BETWEEN 1 AND 200"),
                     text("kind").required().defaults_to("'organization'").one_of(
                         {"personal", "organization"}),
                     created_at(),
                     updated_at(),
                 });

  t.emplace_back("account_ownership",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("account_id", "accounts", kCascade),
                     foreign_id("user_id", "users", kCascade),
                     created_at(),
                 },
                 std::vector<Index>{unique_index({"account_id", "user_id"}), index({"user_id"})});

  t.emplace_back(
      "events",
      std::vector<Column>{
          id_column(),
          foreign_id("account_id", "accounts", kCascade),
          text("name").required().checked("length(name) BETWEEN 1 AND 200"),
          text("description"),
          text("status").required().defaults_to("'draft'").one_of({"draft", "active", "archive"}),
          timestamp("starts_at"),
          timestamp("ends_at"),
          text("timezone"),
          text("image"),
          optional_foreign_id("created_by_user_id", "users", kSetNull),
          created_at(),
          updated_at(),
      },
      std::vector<Index>{index({"account_id", "created_at"}), index({"status"})},
      std::vector<std::string>{"ends_at IS NULL OR starts_at IS NULL OR ends_at >= starts_at"});

  t.emplace_back("rooms",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("event_id", "events", kCascade),
                     text("name").required().checked("length(name) BETWEEN 1 AND 200"),
                     text("kind").required().defaults_to("'session'").one_of(
                         {"stage", "session", "breakout", "backstage"}),
                     integer("position").required().defaults_to("0"),
                     integer("capacity").checked("capacity IS NULL OR capacity > 0"),
                     created_at(),
                     updated_at(),
                 },
                 std::vector<Index>{index({"event_id", "position"})});

  t.emplace_back(
      "tickets",
      std::vector<Column>{
          id_column(),
          foreign_id("event_id", "events", kCascade),
          text("name").required().checked("length(name) BETWEEN 1 AND 200"),
          text("description"),
          // Minor units (cents) of currency: money is never a float.
          integer("price").required().defaults_to("0").checked("price >= 0"),
          text("currency").required().defaults_to("'USD'").checked(
              "length(currency) = 3 AND currency = upper(currency)"),
          integer("capacity").checked("capacity IS NULL OR capacity > 0"),
          // Kept beside capacity so a guarded UPDATE can enforce it atomically.
          integer("sold_count").required().defaults_to("0").checked("sold_count >= 0"),
          created_at(),
          updated_at(),
      },
      std::vector<Index>{index({"event_id", "price"})},
      std::vector<std::string>{"capacity IS NULL OR sold_count <= capacity"});

  // Which rooms a ticket opens.
  t.emplace_back("ticket_rooms",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("ticket_id", "tickets", kCascade),
                     foreign_id("room_id", "rooms", kCascade),
                     created_at(),
                 },
                 std::vector<Index>{unique_index({"ticket_id", "room_id"}), index({"room_id"})});

  t.emplace_back("permissions",
                 std::vector<Column>{
                     id_column(),
                     text("name").required().checked("length(name) BETWEEN 1 AND 100"),
                     text("description"),
                     created_at(),
                 },
                 std::vector<Index>{unique_index({"name"})});

  t.emplace_back("roles",
                 std::vector<Column>{
                     id_column(),
                     // NULL: a platform-wide role; otherwise owned by one account.
                     optional_foreign_id("account_id", "accounts", kCascade),
                     text("name").required().checked("length(name) BETWEEN 1 AND 100"),
                     text("description"),
                     created_at(),
                 },
                 std::vector<Index>{unique_index({"coalesce(account_id, '')", "name"})});

  t.emplace_back("role_to_permissions",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("role_id", "roles", kCascade),
                     foreign_id("permission_id", "permissions", kCascade),
                     created_at(),
                 },
                 std::vector<Index>{unique_index({"role_id", "permission_id"}),
                                    index({"permission_id"})});

  // role_id inherits every permission of parent_role_id (transitively).
  t.emplace_back("roles_inheritances",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("role_id", "roles", kCascade),
                     foreign_id("parent_role_id", "roles", kCascade),
                     created_at(),
                 },
                 std::vector<Index>{unique_index({"role_id", "parent_role_id"}),
                                    index({"parent_role_id"})},
                 std::vector<std::string>{"role_id <> parent_role_id"});

  // Derived, never written by hand: each permission a role reaches (directly,
  // or through the roles it inherits), the length of its shortest chain to a
  // role that confers it, and the next role on that chain (the parent with the
  // smallest id among the nearest; NULL at distance 0). Rewritten in the same
  // batch as every role write that changes it (rbac::refresh_reach) and
  // backfilled by migration 0005, so a check is one indexed probe per grant.
  // The id is role_id || ':' || permission_id (made in SQL, not a CUID2).
  t.emplace_back("role_reach",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("role_id", "roles", kCascade),
                     foreign_id("permission_id", "permissions", kCascade),
                     integer("distance").required().checked("distance >= 0"),
                     optional_foreign_id("via_role_id", "roles", kCascade),
                 },
                 std::vector<Index>{unique_index({"role_id", "permission_id"}),
                                    index({"role_id", "distance"}), index({"permission_id"}),
                                    index({"via_role_id"})});

  // A store an account sells through: a Shopify shop, a Stripe account (its
  // webhook endpoint), an Eventbrite organization. One webhook URL each. The
  // signing secret is sealed by the Worker (AES-GCM, key from a Worker secret):
  // only ciphertext is stored. A rotated-out secret stays valid until
  // previous_secret_expires_at.
  t.emplace_back("retailer_connections",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("account_id", "accounts", kCascade),
                     text("retailer").required().one_of(store_retailers()),
                     // The store as the retailer names it (shop domain, acct_..., organization id).
                     text("external_account_id")
                         .required()
                         .checked("length(external_account_id) BETWEEN 1 AND 200"),
                     text("name"),
                     text("secret_ciphertext").required().hidden(),
                     text("previous_secret_ciphertext").hidden(),
                     timestamp("previous_secret_expires_at"),
                     optional_foreign_id("created_by_user_id", "users", kSetNull),
                     created_at(),
                     updated_at(),
                 },
                 std::vector<Index>{unique_index({"account_id", "retailer", "external_account_id"})});

  // Orders are unique per (retailer, scope_id, external_order_id): scope_id is
  // the connection the order came through, else the event's account (an
  // organiser's import), and for manual orders the event. So one tenant's ids
  // never collide with another's. event_id is the event of the first mapped
  // line item (each item's own event is its ticket's).
  t.emplace_back("orders",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("event_id", "events", kCascade),
                     text("retailer").required().one_of(retailers()),
                     text("external_order_id").required(),
                     text("buyer_email").required(),
                     text("buyer_name"),
                     optional_foreign_id("user_id", "users", kSetNull),
                     text("status").required().defaults_to("'paid'").one_of(
                         {"paid", "refunded", "cancelled"}),
                     integer("total").required().defaults_to("0").checked("total >= 0"),
                     text("currency").required().checked(
                         "length(currency) = 3 AND currency = upper(currency)"),
                     timestamp("placed_at"),
                     created_at(),
                     updated_at(),
                     optional_foreign_id("connection_id", "retailer_connections", kSetNull),
                     text("scope_id").required().defaults_to("''"),
                     // What a refund names when it does not name the order (a Stripe payment intent).
                     text("external_payment_id"),
                 },
                 std::vector<Index>{unique_index({"retailer", "scope_id", "external_order_id"}),
                                    index({"event_id"}), index({"buyer_email"}),
                                    index({"connection_id"}), index({"external_payment_id"})});

  // Each delivery a store connection (or an event's account) received, by the
  // retailer's delivery id (X-Shopify-Webhook-Id, Stripe's event id): a
  // replayed delivery finds its row and does nothing.
  t.emplace_back("retailer_deliveries",
                 std::vector<Column>{
                     id_column(),
                     text("retailer").required().one_of(store_retailers()),
                     text("scope_id").required(),
                     text("delivery_id").required().checked("length(delivery_id) BETWEEN 1 AND 200"),
                     text("action").required().one_of({"order", "cancel", "refund", "ignored"}),
                     text("external_order_id"),
                     optional_foreign_id("order_id", "orders", kSetNull),
                     created_at(),
                 },
                 std::vector<Index>{unique_index({"retailer", "scope_id", "delivery_id"}),
                                    index({"order_id"})});

  t.emplace_back("order_line_items",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("order_id", "orders", kCascade),
                     text("external_product_id"),
                     text("external_variant_id"),
                     text("external_sku"),
                     text("title"),
                     integer("quantity").required().defaults_to("1").checked("quantity > 0"),
                     integer("unit_price").required().defaults_to("0").checked("unit_price >= 0"),
                     optional_foreign_id("ticket_id", "tickets", kSetNull),
                     // Unmapped items stay on the order so they can be reported.
                     text("resolution").required().defaults_to("'unmapped'").one_of(
                         {"mapped", "unmapped"}),
                     created_at(),
                     // Whether a mapped item was issued (capacity taken, access
                     // given) or found its ticket sold out; unmapped items: none.
                     // Kept apart from resolution so a paid order is never
                     // refused: what did not fit is recorded and reported.
                     text("fulfilment").required().defaults_to("'none'").one_of(
                         {"issued", "sold_out", "none"}),
                     // Who the item's access is for (an Eventbrite attendee); NULL: the buyer.
                     text("holder_email").checked(
                         "holder_email IS NULL OR (holder_email = lower(holder_email) AND "
                         "instr(holder_email, '@') > 1)"),
                     text("holder_name"),
                 },
                 std::vector<Index>{index({"order_id"})});

  // One external product maps to one internal ticket per event, so a product
  // reused across a recurring series resolves per event.
  t.emplace_back("external_sku_mappings",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("event_id", "events", kCascade),
                     text("retailer").required().one_of(retailers()),
                     text("external_id").required().checked("length(external_id) > 0"),
                     foreign_id("ticket_id", "tickets", kCascade),
                     created_at(),
                     // When the mapping sells: [sales_starts_at, sales_ends_at), NULL
                     // unbounded. An order through a store connection resolves a product
                     // mapped in several events of the account to the one mapping whose
                     // window holds the order's time.
                     timestamp("sales_starts_at"),
                     timestamp("sales_ends_at"),
                 },
                 std::vector<Index>{unique_index({"event_id", "retailer", "external_id"}),
                                    index({"ticket_id"})});

  // Someone invited or sold access before they have a verified user; claimed
  // when the email is verified (ops/identity/user_creation.h).
  t.emplace_back("pending_profiles",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("event_id", "events", kCascade),
                     text("email").required().checked(
                         "email = lower(email) AND instr(email, '@') > 1"),
                     text("name"),
                     optional_foreign_id("invited_by_user_id", "users", kSetNull),
                     optional_foreign_id("claimed_by_user_id", "users", kSetNull),
                     timestamp("claimed_at"),
                     created_at(),
                 },
                 std::vector<Index>{unique_index({"event_id", "email"}), index({"email"})});

  // A pending grant: becomes an access_grants row when the profile is claimed.
  t.emplace_back(
      "invitations",
      std::vector<Column>{
          id_column(),
          foreign_id("pending_profile_id", "pending_profiles", kCascade),
          foreign_id("event_id", "events", kCascade),
          optional_foreign_id("room_id", "rooms", kCascade),
          foreign_id("role_id", "roles", kCascade),
          optional_foreign_id("order_id", "orders", kCascade),
          text("status").required().defaults_to("'pending'").one_of(
              {"pending", "accepted", "revoked"}),
          optional_foreign_id("invited_by_user_id", "users", kSetNull),
          timestamp("expires_at"),
          timestamp("accepted_at"),
          created_at(),
      },
      std::vector<Index>{index({"pending_profile_id"}), index({"event_id", "status"}),
                         index({"order_id"})});

  // A user's role on a whole event (room_id NULL) or on one room. order_id
  // records the sale that granted it, so a refund revokes exactly that access.
  t.emplace_back(
      "access_grants",
      std::vector<Column>{
          id_column(),
          foreign_id("user_id", "users", kCascade),
          foreign_id("event_id", "events", kCascade),
          optional_foreign_id("room_id", "rooms", kCascade),
          foreign_id("role_id", "roles", kCascade),
          text("source").required().defaults_to("'manual'").one_of(
              {"manual", "invitation", "order"}),
          optional_foreign_id("order_id", "orders", kCascade),
          optional_foreign_id("granted_by_user_id", "users", kSetNull),
          timestamp("expires_at"),
          created_at(),
      },
      std::vector<Index>{
          unique_index({"user_id", "event_id", "coalesce(room_id, '')", "role_id",
                        "coalesce(order_id, '')"}),
          index({"event_id", "user_id"}), index({"role_id"}), index({"order_id"})});

  // Access issued to a buyer for one room by one order line item.
  t.emplace_back("room_access_tickets",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("order_id", "orders", kCascade),
                     foreign_id("order_line_item_id", "order_line_items", kCascade),
                     foreign_id("ticket_id", "tickets", kCascade),
                     foreign_id("room_id", "rooms", kCascade),
                     optional_foreign_id("user_id", "users", kSetNull),
                     optional_foreign_id("pending_profile_id", "pending_profiles", kSetNull),
                     text("status").required().defaults_to("'active'").one_of(
                         {"active", "revoked"}),
                     created_at(),
                 },
                 std::vector<Index>{unique_index({"order_line_item_id", "room_id"}),
                                    index({"order_id"}), index({"room_id", "status"})},
                 std::vector<std::string>{"user_id IS NOT NULL OR pending_profile_id IS NOT NULL"});

  return t;
}

// Users with their grants, and pending profiles with their open invitations:
// one list of who takes part in an event, with role and room.
constexpr const char* kEventParticipantsView = R"sql(SELECT
  'user' AS participant_kind,
  g.user_id AS participant_id,
  g.user_id AS user_id,
  NULL AS pending_profile_id,
  u.name AS name,
  u.email AS email,
  g.event_id AS event_id,
  g.room_id AS room_id,
  rm.name AS room_name,
  g.role_id AS role_id,
  r.name AS role_name,
  g.source AS source,
  g.created_at AS granted_at,
  g.expires_at AS expires_at
FROM access_grants g
JOIN users u ON u.id = g.user_id
JOIN roles r ON r.id = g.role_id
LEFT JOIN rooms rm ON rm.id = g.room_id
UNION ALL
SELECT
  'pending' AS participant_kind,
  p.id AS participant_id,
  NULL AS user_id,
  p.id AS pending_profile_id,
  p.name AS name,
  p.email AS email,
  i.event_id AS event_id,
  i.room_id AS room_id,
  rm.name AS room_name,
  i.role_id AS role_id,
  r.name AS role_name,
  'invitation' AS source,
  i.created_at AS granted_at,
  i.expires_at AS expires_at
FROM invitations i
JOIN pending_profiles p ON p.id = i.pending_profile_id
JOIN roles r ON r.id = i.role_id
LEFT JOIN rooms rm ON rm.id = i.room_id
WHERE i.status = 'pending')sql";

}  // namespace

const Schema& webapp_schema() {
  static const Schema schema(sql::Database::kWebapp, webapp_tables(),
                             {View{"event_participants_view", kEventParticipantsView}});
  return schema;
}

}  // namespace eventuall::schema
