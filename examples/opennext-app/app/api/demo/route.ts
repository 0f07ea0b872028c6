// A Next.js route on OpenNext calling EventuallService over the EVENTUALL service binding.
// The app's backend decides who each call acts for (here it signs the users up itself, as
// it would after its OAuth callback), never the browser.
import { getCloudflareContext } from "@opennextjs/cloudflare";
import type { EventuallCaller, EventuallServiceMethods } from "eventuall-data/service";
import type { Outcome } from "eventuall-data";

// Next.js type-checks with the DOM library, which @cloudflare/workers-types conflicts with,
// so the binding is typed by the service's methods rather than workers-types' Service<>.
interface AppEnv {
  EVENTUALL: EventuallServiceMethods;
}

function value<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value;
}

export async function POST(request: Request): Promise<Response> {
  const { env } = getCloudflareContext() as unknown as { env: AppEnv };
  const tag = new URL(request.url).searchParams.get("tag") ?? crypto.randomUUID();
  const backend: EventuallCaller = { admin: true };
  const { user, account } = value(await env.EVENTUALL.signUp(backend, { email: `next-${tag}@example.com`, name: "Next" }));
  const asUser: EventuallCaller = { userId: user.id };
  const { event } = value(await env.EVENTUALL.createEvent(asUser, { accountId: account.id, name: "From Next.js", rooms: [{ name: "Main", kind: "stage" }] }));
  const seen = value(await env.EVENTUALL.getEvent(asUser, { id: event.id }));
  return Response.json({ userId: user.id, eventId: event.id, eventName: seen.event.name, rooms: seen.rooms.length });
}
