// Events, rooms and tickets. Inputs and answers are the operations' contracts
// (contracts.d.mts, generated); this file names them and documents the methods.

import type { EventsRow, OperationInput, OperationOutput, RoomsRow, TicketsRow } from "./contracts.d.mts";

export type EventStatus = EventsRow["status"];

export type Event = EventsRow;

export type RoomKind = RoomsRow["kind"];

export type Room = RoomsRow;

export type Ticket = TicketsRow;

/** actorUserId must own the account. */
export type CreateEventInput = OperationInput<"create_event">;

/** Owners see every event, others those they hold event.view on; limit 1..100 (default 50), cursor: the previous page's nextCursor. */
export type ListAccountEventsInput = OperationInput<"list_account_events">;

export type GetEventInput = OperationInput<"get_event">;

export interface EventsOperations {
  createEvent(input: CreateEventInput): Promise<OperationOutput<"create_event">>;
  /** The actor must hold event.view (or own the account); otherwise not_found. */
  getEvent(input: GetEventInput): Promise<OperationOutput<"get_event">>;
  listAccountEvents(input: ListAccountEventsInput): Promise<OperationOutput<"list_account_events">>;
}
