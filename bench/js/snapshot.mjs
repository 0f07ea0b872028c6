// The newest committed webapp migration snapshot: what the Drizzle schema is derived from.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const MIGRATIONS = path.join(ROOT, "migrations");

export function latestSnapshotPath() {
  const dir = path.join(MIGRATIONS, "webapp/meta");
  const files = readdirSync(dir).filter((f) => /^\d+_snapshot\.json$/.test(f)).sort();
  return path.join(dir, files.at(-1));
}

export const latestSnapshot = () => JSON.parse(readFileSync(latestSnapshotPath(), "utf8"));
