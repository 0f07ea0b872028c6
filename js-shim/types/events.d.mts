// Events, rooms and tickets.

import type { EventsRow, RoomsRow, TicketsRow } from "./contracts.d.mts";

export type EventStatus = EventsRow["status"];

export type Event = EventsRow;

export type RoomKind = RoomsRow["kind"];

export type Room = RoomsRow;

export type Ticket = TicketsRow;

export interface CreateEventInput {
  /** The acting user; must own the account. */
  actorUserId: string;
  accountId: string;
  name: string;
  description?: string;
  status?: EventStatus;
  startsAt?: number;
  endsAt?: number;
  timezone?: string;
  image?: string;
  rooms?: Array<{ name: string; kind?: RoomKind; capacity?: number }>;
}

export interface ListAccountEventsInput {
  /** Owners see every event; others those they hold event.view on. */
  actorUserId: string;
  accountId: string;
  status?: EventStatus;
  /** 1..100, default 50. */
  limit?: number;
  /** nextCursor of the previous page. */
  cursor?: string;
}

export interface EventsOperations {
  createEvent(input: CreateEventInput): Promise<{ event: Event; rooms: Room[] }>;
  /** The actor must hold event.view (or own the account); otherwise not_found. */
  getEvent(input: { actorUserId: string; id: string }): Promise<{ event: Event; rooms: Room[]; tickets: Ticket[] }>;
  listAccountEvents(input: ListAccountEventsInput): Promise<{ events: Event[]; nextCursor: string | null }>;
}
