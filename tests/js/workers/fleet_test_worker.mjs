// A Worker whose webapp data is a fleet of three D1 databases (js-shim/fleet.mjs): each call
// goes to the database of the account its input names.
import wasm from "../../../build/wasm/eventuall_testing.wasm";
import { createEventuall } from "../../../js-shim/eventuall.mjs";
import { defineFleet } from "../../../js-shim/fleet.mjs";

export const fleet = defineFleet({
  databases: ["DB", "DB_2", "DB_3"],
  accounts: { seedaccountmomentus00001: "DB_2", seedaccountsgblaise00001: "DB_3" },
  fallback: "DB",
});

export default {
  async fetch(request, env) {
    const { op, input, accountId } = await request.json();
    const account = accountId ?? input?.accountId;
    const ev = createEventuall(
      { webapp: fleet.webappFor(env, account), workers: env.WORKERS_DB },
      { module: wasm, names: fleet.namesFor(account) },
    );
    return Response.json({ binding: fleet.bindingFor(account), outcome: await ev.outcome(op, input) });
  },
};
