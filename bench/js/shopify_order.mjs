// A Shopify orders/create body normalised in JS, as a Drizzle team writes it
// (and as the floor, which measures only the SQL, uses too): the same fields
// and checks as wasm/ops/orders/shopify_order.cpp, in the same internal shape.
// JSON.parse is exact here: Shopify's ids (about 10^13) are below 2^53.
const MAX_LINE_ITEMS = 40;
const MAX_QUANTITY = 10_000;

export class InvalidInput extends Error {
  code = "invalid_input";
}

const text = (v) => (typeof v === "string" && v !== "" ? v : null);
const idText = (v) => (v === null || v === undefined ? null : String(v));

/** "25.00" -> 2500 minor units (two-decimal currencies, all the bench uses). */
function minorUnits(value, field) {
  if (typeof value !== "string" || !/^\d+(\.\d{1,2})?$/.test(value)) throw new InvalidInput(`${field}: must be a decimal amount`);
  const [whole, fraction = ""] = value.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

/** The keys an item maps by, most specific first: variant, SKU, product. */
export const matchKeys = (item) => [item.externalVariantId, item.externalSku, item.externalProductId].filter((k) => k);

export function normalizeShopifyOrder(raw) {
  const p = typeof raw === "string" ? JSON.parse(raw) : raw;
  if (!p || typeof p !== "object") throw new InvalidInput("payload: must be an object");
  if (p.id === null || p.id === undefined) throw new InvalidInput("payload.id: is required");
  const currency = String(p.currency ?? "").toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new InvalidInput("payload.currency: must be an ISO 4217 code");
  const email = text(p.email) ?? text(p.contact_email) ?? text(p.customer?.email);
  if (!email || !email.includes("@")) throw new InvalidInput("payload.email: is required");
  const first = text(p.customer?.first_name);
  const last = text(p.customer?.last_name);
  const placed = p.created_at ? Date.parse(p.created_at) : NaN;
  const items = Array.isArray(p.line_items) ? p.line_items : [];
  if (items.length === 0 || items.length > MAX_LINE_ITEMS) throw new InvalidInput("payload.line_items: must have 1 to 40 items");
  return {
    externalOrderId: idText(p.id),
    buyerEmail: email.toLowerCase(),
    buyerName: first && last ? `${first} ${last}` : first ?? last ?? text(p.billing_address?.name),
    currency,
    total: minorUnits(p.total_price, "payload.total_price"),
    placedAt: Number.isNaN(placed) ? null : Math.floor(placed / 1000),
    lineItems: items.map((item, i) => {
      if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY) {
        throw new InvalidInput(`payload.line_items[${i}].quantity: must be 1 to ${MAX_QUANTITY}`);
      }
      return {
        externalProductId: idText(item.product_id),
        externalVariantId: idText(item.variant_id),
        externalSku: text(item.sku),
        title: text(item.title),
        quantity: item.quantity,
        unitPrice: minorUnits(item.price, `payload.line_items[${i}].price`),
      };
    }),
  };
}

/** Ids for rows one order fans out to, as the core derives them: base's first 21 characters + n in base 36. */
export const derivedId = (base, n) => base.slice(0, 21) + n.toString(36).padStart(3, "0");
