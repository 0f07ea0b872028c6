// Node local development without workerd: both databases as sql.js files,
// migrated (recorded in d1_migrations, as wrangler does) and seeded, driven by
// the same eventuall.wasm a Worker runs.
//
//   import { openLocalEventuall } from "./js-shim/node/local.mjs";
//   const local = await openLocalEventuall({ dir: ".eventuall-local" });
//   const { user } = await local.ev.signUp({ email: "a@b.co", name: "A" });
//   await local.save();
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { createEventuall } from "../eventuall.mjs";
import { createSqlJsD1 } from "./d1_sqljs.mjs";
import { loadEventuallModule } from "./load_module.mjs";
import { applyMigrations, applySeed } from "./migrations.mjs";

const MIGRATIONS = fileURLToPath(new URL("../../migrations", import.meta.url));

/**
 * @param {{ dir?: string, seed?: boolean, migrations?: string, module?: WebAssembly.Module }} [options]
 *   dir: where webapp.sqlite and workers.sqlite live (omit for in-memory databases).
 */
export async function openLocalEventuall({ dir, seed = true, migrations = MIGRATIONS, module } = {}) {
  if (dir) mkdirSync(dir, { recursive: true });
  const file = (name) => (dir ? path.join(dir, `${name}.sqlite`) : undefined);
  const webapp = await createSqlJsD1({ filename: file("webapp") });
  const workers = await createSqlJsD1({ filename: file("workers") });
  const applied = [
    ...(await applyMigrations(webapp, path.join(migrations, "webapp"))),
    ...(await applyMigrations(workers, path.join(migrations, "workers"))),
  ];
  if (seed) await applySeed(webapp, path.join(migrations, "seeds/account_user.sql"));
  const ev = createEventuall({ webapp, workers }, { module: module ?? loadEventuallModule() });
  return {
    ev,
    webapp,
    workers,
    applied,
    async save() {
      if (!dir) return;
      await webapp.save();
      await workers.save();
    },
  };
}
