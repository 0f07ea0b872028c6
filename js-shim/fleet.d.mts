// Types of eventuall-data/fleet: accounts routed to one of several webapp D1 databases.
export interface FleetDeclaration {
  /** The d1_databases bindings of the fleet. */
  databases: string[];
  /** Account id -> binding, for the accounts not on the fallback. */
  accounts?: Record<string, string>;
  /** Where unlisted (and new) accounts live; default: the first database. */
  fallback?: string;
}

export interface Fleet {
  readonly databases: readonly string[];
  readonly fallback: string;
  bindingFor(accountId: string | null | undefined): string;
  webappFor(env: Record<string, unknown>, accountId: string | null | undefined): D1Database;
  /** createEventuall's `names` option for `accountId`: its database's binding name. */
  namesFor(accountId: string | null | undefined): { webapp: string };
  all(env: Record<string, unknown>): Array<{ binding: string; db: D1Database }>;
}

export function defineFleet(declaration: FleetDeclaration): Fleet;
