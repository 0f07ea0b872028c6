// Types of eventuall-data/durable/storage-d1: D1's surface over a Durable Object's SQLite.
import type { D1Like } from "../eventuall.d.mts";

export function storageD1(storage: DurableObjectStorage): D1Like & {
  exec(sql: string): Promise<{ count: number; duration: number }>;
  readonly databaseSize: number;
};
