// Tickets, external SKU mappings and orders from retailers. The shapes are the
// operations' contracts (contracts.d.mts, generated from wasm/ops/orders);
// this file names them, and adds only what a contract cannot say: the manual
// payload, the order key's alternatives and the webhook's outcomes.

import type {
  ExternalSkuMappingsRow,
  OperationInput,
  OperationOutput,
  OrderLineItemsRow,
  OrdersRow,
  RetailerConnectionsRow,
  RoomAccessTicketsRow,
} from "./contracts.d.mts";

export type Retailer = OrdersRow["retailer"];
export type OrderStatus = OrdersRow["status"];
/** Retailers that deliver by webhook to a store connection. */
export type StoreRetailer = RetailerConnectionsRow["retailer"];

/** A ticket with the rooms it opens (none: the whole event). */
export type TicketWithRooms = OperationOutput<"create_ticket">["ticket"];

/** A ticket's fields, as create_ticket and update_ticket take them. */
export type TicketFields = Omit<OperationInput<"update_ticket">, "actorUserId" | "id" | "auth">;
export type CreateTicketInput = OperationInput<"create_ticket">;
export type UpdateTicketInput = OperationInput<"update_ticket">;

export type SkuMapping = ExternalSkuMappingsRow;
export type CreateSkuMappingInput = OperationInput<"create_sku_mapping">;

/** An order as the tenant sees it: userId is always null (the buyer is not named). */
export type Order = OrdersRow;
export type OrderLineItem = OrderLineItemsRow;
/** userId and pendingProfileId are always null. */
export type RoomAccessTicket = RoomAccessTicketsRow;

/**
 * An order with what it issued; the same whether or not a holder's email
 * belongs to a verified user.
 */
export type OrderView = OperationOutput<"get_order">;
// Its entries, OrderAccess (what it confers, per holder and scope: a grant, or
// pending until the email is verified) and OrderUnmappedItem, are named shapes
// of the contracts (contracts.d.mts).

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

export type IngestOrderInput = Omit<OperationInput<"ingest_order">, "payload"> & {
  /**
   * The retailer's payload: Shopify orders/create body, Eventbrite order with
   * attendees, Stripe checkout.session.completed event with line_items, or a
   * ManualOrderPayload. Pass the raw text to keep 64-bit ids exact: an
   * object holding a number beyond 2^53 is invalid_input.
   */
  payload: string | ManualOrderPayload | Record<string, unknown>;
};

/** An order by id, or by the retailer's id within an event or a store connection. */
export type OrderKeyInput = Pick<OperationInput<"get_order">, "actorUserId" | "auth"> &
  (
    | { orderId: string }
    | { retailer: Retailer; externalOrderId: string; eventId: string }
    | { retailer: Retailer; externalOrderId: string; connectionId: string }
  );

export type RetailerConnection = OperationOutput<"create_retailer_connection">["connection"];
export type CreateRetailerConnectionInput = OperationInput<"create_retailer_connection">;

/** What receive_webhook did with a delivery. */
export type WebhookOutcome =
  | { action: "ignored"; kind: string; recorded: false }
  | (OrderView & { action: "order"; recorded: true; created: boolean; replay?: boolean })
  | { action: "order"; recorded: false; created: false; order: null; unmapped: OrderView["unmapped"]; replay?: boolean }
  | (OrderView & { action: "cancel" | "refund"; recorded: true; changed: boolean; revokedGrants: number; replay?: boolean })
  | { action: "cancel" | "refund"; recorded: false; order: null; changed: false; replay?: undefined };

export type ReceiveWebhookInput = Omit<OperationInput<"receive_webhook">, "payload"> & {
  /** The raw, verified body text. */
  payload: string;
};

export interface OrdersOperations {
  createTicket(input: CreateTicketInput): Promise<OperationOutput<"create_ticket">>;
  /** A capacity below soldCount is conflict. */
  updateTicket(input: UpdateTicketInput): Promise<OperationOutput<"update_ticket">>;
  /** A ticket that has been sold is conflict. */
  deleteTicket(input: OperationInput<"delete_ticket">): Promise<OperationOutput<"delete_ticket">>;
  /** Ordered by price; needs event.view. */
  listTickets(input: OperationInput<"list_tickets">): Promise<OperationOutput<"list_tickets">>;
  /** The same mapping again: created false; the external id mapped to another ticket: conflict. */
  createSkuMapping(input: CreateSkuMappingInput): Promise<OperationOutput<"create_sku_mapping">>;
  listSkuMappings(input: OperationInput<"list_sku_mappings">): Promise<OperationOutput<"list_sku_mappings">>;
  deleteSkuMapping(input: OperationInput<"delete_sku_mapping">): Promise<OperationOutput<"delete_sku_mapping">>;
  /** Idempotent on (retailer, external order id): a replay returns the stored order with created false. */
  ingestOrder(input: IngestOrderInput): Promise<OperationOutput<"ingest_order">>;
  getOrder(input: OrderKeyInput): Promise<OrderView>;
  /** Revokes exactly the access the order gave; a repeat answers changed false. */
  refundOrder(input: OrderKeyInput): Promise<OperationOutput<"refund_order">>;
  cancelOrder(input: OrderKeyInput): Promise<OperationOutput<"cancel_order">>;
  /** Trusted callers only (after verifying the signature): the action from the signed body. */
  receiveWebhook(input: ReceiveWebhookInput): Promise<WebhookOutcome>;
  /** Owners of the account only; the same store again is conflict. */
  createRetailerConnection(input: CreateRetailerConnectionInput): Promise<OperationOutput<"create_retailer_connection">>;
  listRetailerConnections(input: OperationInput<"list_retailer_connections">): Promise<OperationOutput<"list_retailer_connections">>;
  deleteRetailerConnection(input: OperationInput<"delete_retailer_connection">): Promise<OperationOutput<"delete_retailer_connection">>;
  /** The replaced secret stays valid for previousValidSeconds (default 86,400, at most 604,800). */
  rotateRetailerConnectionSecret(
    input: OperationInput<"rotate_retailer_connection_secret">,
  ): Promise<OperationOutput<"rotate_retailer_connection_secret">>;
  /** Trusted callers only: the sealed secrets that currently verify (newest first). */
  getRetailerConnectionSecrets(
    input: OperationInput<"get_retailer_connection_secrets">,
  ): Promise<OperationOutput<"get_retailer_connection_secrets">>;
}
