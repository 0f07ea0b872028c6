// A fleet of webapp D1 databases: each account, and everything under it (events, rooms,
// grants, orders...), lives in one of several D1 databases, chosen by a declared map. One D1
// has one writer and a 10 GB cap; a fleet spreads both across databases. Every database of
// the fleet has the whole webapp schema (the same migrations), so the core runs unchanged
// against whichever one an account lives in.
//
//   // fleet.mjs in the Worker's project (the CLI reads the same module: --fleet fleet.mjs)
//   import { defineFleet } from "eventuall-data/fleet";
//   export default defineFleet({
//     databases: ["DB", "DB_2", "DB_3"],            // wrangler d1_databases bindings
//     accounts: { seedaccountmomentus00001: "DB_2" }, // where each listed account lives
//     fallback: "DB",                                // unlisted accounts, and new ones
//   });
//   // per request (names: each database of the fleet gets its own schema guard)
//   const ev = createEventuall(
//     { webapp: fleet.webappFor(env, accountId), workers: env.WORKERS_DB },
//     { module: wasm, names: fleet.namesFor(accountId) },
//   );
//
// What a fleet does not do: no query spans two databases. A user is a row of the database
// they act in: someone working in accounts on two databases signs up (or is provisioned) in
// each, and list_user_accounts answers per database. Moving an account is a copy of its rows
// and a change to the map (not automated here).

const BINDING = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * @param {{ databases: string[], accounts?: Record<string, string>, fallback?: string }} declaration
 */
export function defineFleet({ databases, accounts = {}, fallback } = {}) {
  if (!Array.isArray(databases) || databases.length === 0) throw new TypeError("defineFleet: databases must list at least one D1 binding");
  for (const name of databases) {
    if (typeof name !== "string" || !BINDING.test(name)) throw new TypeError(`defineFleet: ${JSON.stringify(name)} is not a binding name`);
  }
  if (new Set(databases).size !== databases.length) throw new TypeError("defineFleet: a binding is listed twice");
  const home = fallback ?? databases[0];
  if (!databases.includes(home)) throw new TypeError(`defineFleet: fallback ${JSON.stringify(home)} is not one of the databases`);
  if (accounts === null || typeof accounts !== "object" || Array.isArray(accounts)) throw new TypeError("defineFleet: accounts must map account ids to bindings");
  const map = new Map();
  for (const [account, binding] of Object.entries(accounts)) {
    if (!databases.includes(binding)) throw new TypeError(`defineFleet: account ${account} is mapped to ${JSON.stringify(binding)}, which is not one of the databases`);
    map.set(account, binding);
  }

  const bindingFor = (accountId) => {
    if (accountId !== undefined && accountId !== null && typeof accountId !== "string") {
      throw new TypeError("fleet: an account id is a string");
    }
    return (accountId && map.get(accountId)) || home;
  };
  const database = (env, binding) => {
    const db = env?.[binding];
    if (!db || typeof db.prepare !== "function" || typeof db.batch !== "function") {
      throw new TypeError(`fleet: env.${binding} is not a D1 binding (add it to d1_databases)`);
    }
    return db;
  };

  return Object.freeze({
    databases: Object.freeze([...databases]),
    fallback: home,
    /** The binding name of the database that holds `accountId` (the fallback for unlisted ones, or none). */
    bindingFor,
    /** createEventuall's `names` for `accountId`: its database by binding name. */
    namesFor: (accountId) => ({ webapp: bindingFor(accountId) }),
    /** The D1 binding in `env` for `accountId`. */
    webappFor: (env, accountId) => database(env, bindingFor(accountId)),
    /** Every database of the fleet: [{binding, db}]. */
    all: (env) => databases.map((binding) => ({ binding, db: database(env, binding) })),
  });
}
