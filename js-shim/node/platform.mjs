// Node local development over wrangler's getPlatformProxy: the same eventuall.wasm a Worker
// runs, driven from node (a Next.js `next dev` server, a script, a test) against the local D1
// databases of `wrangler dev` and `wrangler d1 migrations apply --local`: one .wrangler/state,
// so data written by either is read by the other. (js-shim/node/local.mjs is the other node
// path: its own sql.js files, no workerd.)
//
//   import { openPlatformEventuall } from "eventuall-data/node/platform";
//   const local = await openPlatformEventuall({ configPath: "wrangler.jsonc" });
//   const { user } = await local.ev.signUp({ email: "a@b.co", name: "A" });
//   await local.dispose();
//
// wrangler is the consumer's own (an optional peer dependency of this package).
import path from "node:path";

import { createEventuall, requiredMigrations } from "../eventuall.mjs";
import { loadEventuallModule } from "./load_module.mjs";

/**
 * The migrations of `database` the wasm needs that `db` has not recorded in d1_migrations.
 * @param {any} db a D1 binding
 * @param {"webapp" | "workers"} database
 */
export async function missingMigrations(db, database) {
  const { results } = await db
    .prepare("SELECT name AS name FROM sqlite_master WHERE type = 'table' AND name = 'd1_migrations'")
    .all();
  const applied = new Set();
  if (results.length) {
    for (const row of (await db.prepare("SELECT name AS name FROM d1_migrations").all()).results) applied.add(row.name);
  }
  return requiredMigrations[database].filter((name) => !applied.has(name));
}

/**
 * @param {{ configPath?: string, environment?: string, persist?: boolean | { path: string },
 *           bindings?: { webapp?: string, workers?: string }, module?: WebAssembly.Module }} [options]
 *   configPath, environment, persist: as getPlatformProxy takes them, except that with a
 *   configPath persist defaults to .wrangler/state/v3 beside the config, where `wrangler dev`
 *   and `wrangler d1 ... --local` keep it (getPlatformProxy's own default is relative to the
 *   current directory); bindings: the D1 binding names (default DB and WORKERS_DB).
 * @returns {Promise<{ ev: import("../eventuall.d.mts").Eventuall, env: Record<string, any>, dispose(): Promise<void> }>}
 */
export async function openPlatformEventuall({ configPath, environment, persist, bindings = {}, module } = {}) {
  let wrangler;
  try {
    wrangler = await import("wrangler");
  } catch (e) {
    throw new Error(`eventuall-data/node/platform needs wrangler (npm install -D wrangler): ${e.message}`, { cause: e });
  }
  const names = { webapp: bindings.webapp ?? "DB", workers: bindings.workers ?? "WORKERS_DB" };
  persist ??= configPath ? { path: path.join(path.dirname(path.resolve(configPath)), ".wrangler/state/v3") } : undefined;
  const proxy = await wrangler.getPlatformProxy({ configPath, environment, persist, remoteBindings: false });
  try {
    for (const [database, binding] of Object.entries(names)) {
      const db = proxy.env[binding];
      if (!db) throw new Error(`the wrangler config has no D1 binding ${binding} (the ${database} database)`);
      const missing = await missingMigrations(db, database);
      if (missing.length) {
        throw new Error(
          `${binding} lacks migrations ${missing.join(", ")}: npx eventuall-data migrations copy --config <wrangler config>, ` +
            `then npx wrangler d1 migrations apply ${binding} --local`,
        );
      }
    }
  } catch (e) {
    await proxy.dispose();
    throw e;
  }
  const ev = createEventuall(
    { webapp: proxy.env[names.webapp], workers: proxy.env[names.workers] },
    { module: module ?? loadEventuallModule() },
  );
  return { ev, env: proxy.env, dispose: () => proxy.dispose() };
}
