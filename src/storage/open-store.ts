import type { Store } from "./ports.ts";
import { openPostgresStore } from "./postgres/postgres-store.ts";
import { openSqliteStore } from "./sqlite/sqlite-store.ts";

/** Picks the backend from the database setting: a `postgres://` URL, or else a SQLite file path. */
export async function openStore(database: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(database)) return openPostgresStore(database);
  return openSqliteStore(database);
}
