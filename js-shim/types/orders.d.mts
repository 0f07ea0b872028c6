// Tickets, external SKU mappings and orders from retailers.

import type { ExternalSkuMappingsRow, OrderLineItemsRow, OrdersRow, RetailerConnectionsRow, RoomAccessTicketsRow } from "./contracts.d.mts";

import type { Ticket } from "./events.d.mts";
import type { AccessGrant, Invitation } from "./rbac.d.mts";

export type Retailer = OrdersRow["retailer"];
export type OrderStatus = OrdersRow["status"];
/** Retailers that deliver by webhook to a store connection. */
export type StoreRetailer = RetailerConnectionsRow["retailer"];

/** A ticket with the rooms it opens (none: the whole event). */
export interface TicketWithRooms extends Ticket {
  roomIds: string[];
}

export interface TicketFields {
  name?: string;
  description?: string;
  /** Minor units (cents); never negative. */
  price?: number;
  /** ISO 4217, three letters (upper-cased). Default USD. */
  currency?: string;
  /** At least 1; absent: unlimited. Never below soldCount. */
  capacity?: number;
  /** Rooms of the same event; replaces the set on update. */
  roomIds?: string[];
}

export interface CreateTicketInput extends TicketFields {
  /** Needs event.manage (omitted only by trusted callers). */
  actorUserId?: string;
  eventId: string;
  name: string;
  price: number;
}

export interface UpdateTicketInput extends TicketFields {
  actorUserId?: string;
  id: string;
}

export type SkuMapping = ExternalSkuMappingsRow;

export interface CreateSkuMappingInput {
  actorUserId?: string;
  eventId: string;
  retailer: Retailer;
  /** Shopify variant/product id or SKU, Stripe price/product id, Eventbrite ticket class id. */
  externalId: string;
  ticketId: string;
  /**
   * Through a store connection, a product mapped in several events of the
   * account resolves to the one mapping whose window holds the order's time;
   * none or several: unmapped.
   */
  salesStartsAt?: number;
  salesEndsAt?: number;
}

export type Order = OrdersRow;

export type OrderLineItem = OrderLineItemsRow;

export type RoomAccessTicket = RoomAccessTicketsRow;

export interface OrderView {
  order: Order;
  /** In payload order. */
  lineItems: OrderLineItem[];
  /** Line items no SKU mapping of the event matched: kept and reported. */
  unmapped: OrderLineItem[];
  /** Mapped line items whose ticket had no capacity left: no access given. */
  soldOut: OrderLineItem[];
  roomAccessTickets: RoomAccessTicket[];
  /** Grants the order gave a buyer who has a user (source "order"). */
  accessGrants: AccessGrant[];
  /** Pending access of a buyer without a verified user, claimed when the email is verified. */
  invitations: Invitation[];
}

/** A manual order entered by an organiser (retailer "manual"). */
export interface ManualOrderPayload {
  /** The organiser's reference: the idempotency key. */
  reference: string;
  email: string;
  name?: string;
  currency: string;
  placedAt?: number;
  items: Array<{ ticketId: string; quantity: number; unitPrice: number; title?: string }>;
}

export interface IngestOrderInput {
  /** Omitted by trusted callers (the Worker's verified webhook routes); otherwise needs order.manage. */
  actorUserId?: string;
  eventId: string;
  retailer: Retailer;
  /**
   * The retailer's payload: Shopify orders/create body, Eventbrite order with
   * attendees, Stripe checkout.session.completed event with line_items, or a
   * ManualOrderPayload. Pass the raw text to keep 64-bit ids exact: an
   * object holding a number beyond 2^53 is invalid_input.
   */
  payload: string | ManualOrderPayload | Record<string, unknown>;
}

/** An order by id, or by the retailer's id within an event or a store connection. */
export type OrderKeyInput = { actorUserId?: string } & (
  | { orderId: string }
  | { retailer: Retailer; externalOrderId: string; eventId: string }
  | { retailer: Retailer; externalOrderId: string; connectionId: string }
);

export interface RetailerConnection {
  id: string;
  accountId: string;
  retailer: StoreRetailer;
  /** The store as the retailer names it: shop domain, Stripe account id, Eventbrite organization id. */
  externalAccountId: string;
  name: string | null;
  /** Until when the rotated-out secret still verifies. */
  previousSecretExpiresAt: number | null;
  createdByUserId: string | null;
  createdAt: number;
  updatedAt: number;
  /** Where the retailer delivers: /webhooks/<retailer>/<id>. */
  webhookPath: string;
}

export interface CreateRetailerConnectionInput {
  /** An owner of the account. */
  actorUserId: string;
  accountId: string;
  retailer: StoreRetailer;
  externalAccountId: string;
  name?: string;
  /** The signing secret sealed by the Worker (AES-GCM); never the secret in clear. */
  secretCiphertext: string;
}

/** What receive_webhook did with a delivery. */
export type WebhookOutcome =
  | { action: "ignored"; kind: string; recorded: false }
  | (OrderView & { action: "order"; recorded: true; created: boolean; replay?: boolean })
  | { action: "order"; recorded: false; created: false; order: null; unmapped: Array<Record<string, unknown>>; replay?: boolean }
  | (OrderView & { action: "cancel" | "refund"; recorded: true; changed: boolean; revokedGrants: number; replay?: boolean })
  | { action: "cancel" | "refund"; recorded: false; order: null; changed: false; replay?: undefined };

export interface ReceiveWebhookInput {
  /** The store connection the delivery came to (or, without one, an event). */
  connectionId?: string;
  eventId?: string;
  retailer: StoreRetailer;
  /** The raw, verified body text. */
  payload: string;
  /** X-Shopify-Webhook-Id (Stripe's event id is read from the signed body). */
  deliveryId?: string;
}

export interface OrdersOperations {
  createTicket(input: CreateTicketInput): Promise<{ ticket: TicketWithRooms }>;
  /** A capacity below soldCount is conflict. */
  updateTicket(input: UpdateTicketInput): Promise<{ ticket: TicketWithRooms }>;
  /** A ticket that has been sold is conflict. */
  deleteTicket(input: { actorUserId?: string; id: string }): Promise<{ deleted: Ticket }>;
  /** Ordered by price; needs event.view. */
  listTickets(input: { actorUserId?: string; eventId: string }): Promise<{ tickets: TicketWithRooms[] }>;
  /** The same mapping again: created false; the external id mapped to another ticket: conflict. */
  createSkuMapping(input: CreateSkuMappingInput): Promise<{ mapping: SkuMapping; created: boolean }>;
  listSkuMappings(input: { actorUserId?: string; eventId: string; retailer?: Retailer }): Promise<{
    mappings: SkuMapping[];
  }>;
  deleteSkuMapping(input: { actorUserId?: string; id: string }): Promise<{ deleted: SkuMapping }>;
  /** Idempotent on (retailer, external order id): a replay returns the stored order with created false. */
  ingestOrder(input: IngestOrderInput): Promise<OrderView & { created: boolean }>;
  getOrder(input: OrderKeyInput): Promise<OrderView>;
  /** Revokes exactly the access the order gave; a repeat answers changed false. */
  refundOrder(input: OrderKeyInput): Promise<OrderView & { changed: boolean; revokedGrants: number }>;
  cancelOrder(input: OrderKeyInput): Promise<OrderView & { changed: boolean; revokedGrants: number }>;
  /** Trusted callers only (after verifying the signature): the action from the signed body. */
  receiveWebhook(input: ReceiveWebhookInput): Promise<WebhookOutcome>;
  /** Owners of the account only; the same store again is conflict. */
  createRetailerConnection(input: CreateRetailerConnectionInput): Promise<{ connection: RetailerConnection }>;
  listRetailerConnections(input: { actorUserId: string; accountId: string }): Promise<{
    connections: RetailerConnection[];
  }>;
  deleteRetailerConnection(input: { actorUserId: string; id: string }): Promise<{ deleted: RetailerConnection }>;
  /** The replaced secret stays valid for previousValidSeconds (default 86,400, at most 604,800). */
  rotateRetailerConnectionSecret(input: {
    actorUserId: string;
    id: string;
    secretCiphertext: string;
    previousValidSeconds?: number;
  }): Promise<{ connection: RetailerConnection }>;
  /** Trusted callers only: the sealed secrets that currently verify (newest first). */
  getRetailerConnectionSecrets(input: { id: string }): Promise<{
    connection: RetailerConnection;
    secretCiphertexts: string[];
  }>;
}
