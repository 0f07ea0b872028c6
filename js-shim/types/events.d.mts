// Events, rooms and tickets.

export type EventStatus = "draft" | "active" | "archive";

export interface Event {
  id: string;
  accountId: string;
  name: string;
  description: string | null;
  status: EventStatus;
  startsAt: number | null;
  endsAt: number | null;
  timezone: string | null;
  image: string | null;
  createdByUserId: string | null;
  createdAt: number;
  updatedAt: number;
}

export type RoomKind = "stage" | "session" | "breakout" | "backstage";

export interface Room {
  id: string;
  eventId: string;
  name: string;
  kind: RoomKind;
  position: number;
  capacity: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface Ticket {
  id: string;
  eventId: string;
  name: string;
  description: string | null;
  /** Minor units (cents) of currency. */
  price: number;
  currency: string;
  capacity: number | null;
  soldCount: number;
  createdAt: number;
  updatedAt: number;
}

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
