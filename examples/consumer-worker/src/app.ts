// A caller Worker (app.wrangler.jsonc), as the backend of a Next.js app on OpenNext would be:
// it binds to the eventuall-service Worker and calls typed methods over Workers RPC, with no
// wasm in its own bundle (`import type` only). Who each call acts for is the first argument,
// set here by this backend after it authenticated the user, never read from the client.
//   POST /demo   the same story as src/index.ts, over the service binding
import type { EventuallCaller, EventuallService } from "eventuall-data/service";
import type { Outcome } from "eventuall-data";

interface Env {
  EVENTUALL: Service<EventuallService>;
}

class Refused extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

function value<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Refused(outcome.error.code, outcome.error.message);
  return outcome.value;
}

async function demo(env: Env, tag: string) {
  // The backend itself signs users up (after its OAuth callback, say): {admin: true}.
  const backend: EventuallCaller = { admin: true };
  const { user: organiser, account } = value(await env.EVENTUALL.signUp(backend, { email: `organiser-${tag}@example.com`, name: "Organiser" }));
  if (!account) throw new Error("sign-up of a new email made no personal account");
  const signedUp = value(await env.EVENTUALL.signUp(backend, { email: `attendee-${tag}@example.com`, name: "Attendee" }));
  const attendee = signedUp.user;
  // Access sold to an email reaches its user only when they claim it with a verified email
  // (the verification token is mailed; accept_invitations claims what comes later).
  value(await env.EVENTUALL.verifyEmail(backend, { token: signedUp.verification.token }));
  // Then acts for the user it authenticated: {userId}.
  const asOrganiser: EventuallCaller = { userId: organiser.id };
  const { event, rooms } = value(
    await env.EVENTUALL.createEvent(asOrganiser, { accountId: account.id, name: "Launch", rooms: [{ name: "Main stage", kind: "stage" }] }),
  );
  const { ticket } = value(
    await env.EVENTUALL.createTicket(asOrganiser, { eventId: event.id, name: "General", price: 2500, currency: "USD", roomIds: [rooms[0].id] }),
  );
  const sold = value(
    await env.EVENTUALL.ingestOrder(asOrganiser, {
      eventId: event.id,
      retailer: "manual",
      payload: { reference: `door-${tag}`, email: attendee.email, currency: "USD", items: [{ ticketId: ticket.id, quantity: 1, unitPrice: 2500 }] },
    }),
  );
  value(await env.EVENTUALL.acceptInvitations({ userId: attendee.id }, {}));
  const check = { eventId: event.id, roomId: rooms[0].id, permission: "room.join" as const }; // a PermissionName
  const canJoin = value(await env.EVENTUALL.can({ userId: attendee.id }, { userId: attendee.id, ...check }));
  return { eventId: event.id, orderStatus: sold.order.status, attendeeCanJoin: canJoin.allowed, service: (await env.EVENTUALL.info()).version };
}

export default {
  async fetch(request, env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== "/demo" || request.method !== "POST") return new Response("not found", { status: 404 });
    try {
      return Response.json(await demo(env, url.searchParams.get("tag") ?? crypto.randomUUID()));
    } catch (e) {
      if (e instanceof Refused) return Response.json({ code: e.code, message: e.message }, { status: 400 });
      throw e;
    }
  },
} satisfies ExportedHandler<Env>;
