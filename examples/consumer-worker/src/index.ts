// A consumer's Worker: eventuall-data installed from its tarball, bound to two local D1s.
//   GET  /version  the package version and the migrations its wasm needs
//   POST /demo     an organiser signs up, creates an event with a room and a ticket, sells a
//                  ticket to an attendee (a manual order), and the attendee may then join the
//                  room (RBAC): identity, events, orders and RBAC in one request.
import wasm from "eventuall-data/eventuall.wasm";
import { createEventuall, EventuallError, requiredMigrations, version, type Eventuall } from "eventuall-data";

interface Env {
  DB: D1Database;
  WORKERS_DB: D1Database;
}

async function demo(ev: Eventuall, tag: string) {
  const { user: organiser, account } = await ev.signUp({ email: `organiser-${tag}@example.com`, name: "Organiser" });
  // A new email: the personal account is made with the user (absent only when an unverified
  // user already held the address).
  if (!account) throw new Error("sign-up of a new email made no personal account");
  const { event, rooms } = await ev.createEvent({
    actorUserId: organiser.id,
    accountId: account.id,
    name: "Launch",
    rooms: [{ name: "Main stage", kind: "stage" }],
  });
  const { ticket } = await ev.createTicket({
    actorUserId: organiser.id,
    eventId: event.id,
    name: "General",
    price: 2500,
    currency: "USD",
    capacity: 100,
    roomIds: [rooms[0].id],
  });
  const signedUp = await ev.signUp({ email: `attendee-${tag}@example.com`, name: "Attendee" });
  const attendee = signedUp.user;
  // Access sold to an email reaches its user only when they claim it with a verified email
  // (the verification token is mailed; accept_invitations claims what comes later).
  await ev.verifyEmail({ token: signedUp.verification.token });
  const before = await ev.can({ userId: attendee.id, eventId: event.id, roomId: rooms[0].id, permission: "room.join" });
  const sold = await ev.ingestOrder({
    actorUserId: organiser.id,
    eventId: event.id,
    retailer: "manual",
    payload: { reference: `door-${tag}`, email: attendee.email, currency: "USD", items: [{ ticketId: ticket.id, quantity: 1, unitPrice: 2500 }] },
  });
  await ev.acceptInvitations({ actorUserId: attendee.id });
  const after = await ev.can({ userId: attendee.id, eventId: event.id, roomId: rooms[0].id, permission: "room.join" });
  const order = await ev.getOrder({ actorUserId: organiser.id, orderId: sold.order.id });
  return {
    organiserId: organiser.id,
    eventId: event.id,
    orderStatus: order.order.status,
    attendeeCouldJoinBefore: before.allowed,
    attendeeCanJoinAfter: after.allowed,
  };
}

export default {
  async fetch(request, env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/version") return Response.json({ version, requiredMigrations });
    if (url.pathname !== "/demo" || request.method !== "POST") return new Response("not found", { status: 404 });
    // Per request: D1 bindings are never cached across requests.
    const ev = createEventuall({ webapp: env.DB, workers: env.WORKERS_DB }, { module: wasm });
    try {
      return Response.json(await demo(ev, url.searchParams.get("tag") ?? crypto.randomUUID()));
    } catch (e) {
      if (e instanceof EventuallError) return Response.json({ code: e.code, message: e.message }, { status: 400 });
      throw e;
    }
  },
} satisfies ExportedHandler<Env>;
