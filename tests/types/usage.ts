// Compile-only check of the shim's declarations (tsc --noEmit): a Worker's use.
import { createEventuall, EventuallError, type Eventuall } from "../../js-shim/eventuall.mjs";

declare const wasm: WebAssembly.Module;
declare const env: { DB: any; WORKERS_DB: any };

export async function handler(): Promise<string> {
  const ev: Eventuall = createEventuall({ webapp: env.DB, workers: env.WORKERS_DB }, { module: wasm });
  const { user, account } = await ev.signUp({ email: "a@b.co", name: "A" });
  const { event, rooms } = await ev.createEvent({ accountId: account.id, name: "E", rooms: [{ name: "R", kind: "stage" }] });
  const full = await ev.getEvent({ id: event.id });
  const cheapest: number | undefined = full.tickets[0]?.price;
  const page = await ev.listAccountEvents({ accountId: account.id, limit: 10 });
  const outcome = await ev.outcome("get_user", { id: user.id });
  if (!outcome.ok) {
    const code: "invalid_input" | "not_found" | string = outcome.error.code;
    return code;
  }
  try {
    await ev.getUser({ id: "x" });
  } catch (e) {
    if (e instanceof EventuallError) return e.code;
  }
  return `${rooms.length} ${page.nextCursor ?? ""} ${cheapest ?? 0}`;
}
