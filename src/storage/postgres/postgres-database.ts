import pg from "pg";
import type { Migration } from "../sqlite/sqlite-migrations.ts";
import { POSTGRES_MIGRATIONS } from "./postgres-migrations.ts";

export type PgClient = pg.PoolClient | pg.Pool;

/** BIGINT columns hold ids and epoch milliseconds, all well inside JavaScript's safe integers. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

// Any fixed number: every Warden node takes this lock, so only one applies migrations at a time.
const MIGRATION_LOCK = 7_261_998;

export async function openPostgres(url: string): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, types, max: 10, connectionTimeoutMillis: 5000 });
  // A dropped idle connection is replaced by the pool; without a listener it would crash the process.
  pool.on("error", () => undefined);
  await migrate(pool, POSTGRES_MIGRATIONS);
  return pool;
}

async function migrate(pool: pg.Pool, migrations: readonly Migration[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    );
    const { rows } = await client.query<{ v: number | null }>("SELECT max(version) AS v FROM schema_migrations");
    const current = rows[0]?.v ?? 0;
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await inTransaction(client, async () => {
        await client.query(migration.sql);
        await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
          migration.version,
          migration.name,
          Date.now(),
        ]);
      });
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

async function inTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await work();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** Runs `work` in one transaction on one pooled connection: all of it is written, or none. */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTransaction(client, () => work(client));
  } finally {
    client.release();
  }
}
