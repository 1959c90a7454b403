/**
 * Copies a whole SQLite store into an empty PostgreSQL one, in one transaction, and checks every
 * table's row count before committing. Nonces are left behind: they live five minutes. The audit
 * log is copied as it stands, and the copy adds no entries of its own.
 */
import type pg from "pg";
import type { AuditEntity } from "../domain/audit/audit-model.ts";
import { openPostgres, transaction } from "./postgres/postgres-database.ts";
import { restoreAuditRecord } from "./sqlite/sqlite-audit.ts";
import { openSqlite, type SqliteDb } from "./sqlite/sqlite-database.ts";

interface TableCopy {
  table: string;
  booleans?: string[];
  json?: string[];
  bytes?: string[];
  /** The serial sequence to move past the copied ids. */
  sequence?: string;
  /** Any other change a row needs on its way. */
  transform?: (row: Record<string, unknown>) => Record<string, unknown>;
  /** Where the rows come from when not the table itself: a view or query of the same columns. */
  source?: { columns: string[]; from: string };
}

/** SQLite's audit records keep booleans as 0/1 and JSON columns as text; PostgreSQL's are typed. */
function auditRow(row: Record<string, unknown>): Record<string, unknown> {
  const entity = row.entity as AuditEntity;
  const record = (value: unknown) => restoreAuditRecord(value as string | null, entity);
  return { ...row, before: record(row.before), after: record(row.after) };
}

const AUDIT_COLUMNS = [
  "id",
  "tenant_id",
  "at",
  "actor",
  "address",
  "entity",
  "action",
  "target",
  "before",
  "after",
  "result",
  "reason",
];

const TABLES: TableCopy[] = [
  { table: "tenants", sequence: "tenants_id_seq" },
  { table: "api_keys", bytes: ["secret_hash", "sealed_secret"], sequence: "api_keys_id_seq" },
  // which key owns an x-iocs-source name: without it, the first key to write a source on the copy
  // would take it over from the key that wrote it before the move
  { table: "ioc_source_keys" },
  { table: "tenant_ioc_expiry" },
  { table: "tenant_retention" },
  { table: "ioc_rules", booleans: ["default_expiration_enabled", "enabled"], json: ["vendors"] },
  { table: "ioc_tombstones", json: ["rule"] },
  {
    table: "bioc_rules",
    booleans: ["is_xql"],
    json: ["indicator", "mitre_tactic_id_and_name", "mitre_technique_id_and_name"],
  },
  { table: "correlation_rules", booleans: ["is_enabled"], json: ["definition"] },
  { table: "correlation_partials" },
  { table: "correlation_runs" },
  { table: "correlation_suppressions" },
  // which stream messages' correlation states were folded (a redelivery folds nothing twice)
  { table: "stream_folds" },
  { table: "alerts" },
  // webhook and syslog targets with their sealed secrets, and what is still owed to them
  {
    table: "delivery_targets",
    bytes: ["sealed_secret", "sealed_previous_secret"],
    sequence: "delivery_targets_id_seq",
  },
  { table: "delivery_outbox", sequence: "delivery_outbox_id_seq" },
  { table: "intel_links" },
  { table: "intel_feeds", bytes: ["sealed_password"], sequence: "intel_feeds_id_seq" },
  // how many of each tenant's oldest entries were pruned: AUDIT_IDs count on from there
  { table: "audit_pruned" },
  // the history comes along as it was; the copy itself is not a change anyone made. SQLite's packed
  // rows (one write's rule changes) arrive one row per change, numbered afresh in the same order.
  {
    table: "audit_log",
    transform: auditRow,
    sequence: "audit_log_id_seq",
    source: {
      columns: AUDIT_COLUMNS,
      from: `(SELECT row_number() OVER (ORDER BY id, item) AS id, ${AUDIT_COLUMNS.slice(1).join(", ")}
        FROM audit_entries)`,
    },
  },
];

/**
 * Tables that stay behind on purpose: nonces live five minutes; PostgreSQL keeps its own migration
 * list; a prune window never outlives the prune's transaction.
 */
export const TABLES_LEFT_BEHIND = ["nonces", "schema_migrations", "audit_prune_windows"];

/** Every table the copy carries, so a test can tell when a new table was forgotten here. */
export const COPIED_TABLES = TABLES.map((copy) => copy.table);

const BATCH = 5_000;

const sourceOf = (copy: TableCopy) => copy.source?.from ?? copy.table;

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

/** A SQLite row as json_populate_recordset reads it for the PostgreSQL table. */
function convert(row: Record<string, unknown>, copy: TableCopy): Record<string, unknown> {
  const out = { ...row };
  for (const c of copy.booleans ?? []) out[c] = Boolean(out[c]);
  for (const c of copy.json ?? []) out[c] = typeof out[c] === "string" ? JSON.parse(out[c] as string) : out[c];
  for (const c of copy.bytes ?? [])
    out[c] = Buffer.isBuffer(out[c]) ? `\\x${(out[c] as Buffer).toString("hex")}` : out[c];
  return copy.transform ? copy.transform(out) : out;
}

async function copyTable(
  db: SqliteDb,
  client: pg.PoolClient,
  copy: TableCopy,
  onRows: (n: number) => void,
): Promise<void> {
  const columns =
    copy.source?.columns ??
    (db.prepare(`PRAGMA table_info(${copy.table})`).all() as { name: string }[]).map((c) => c.name);
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await client.query(
      `INSERT INTO ${copy.table} (${columns.join(", ")}) SELECT ${columns.join(", ")} FROM json_populate_recordset(NULL::${copy.table}, $1::json)`,
      [JSON.stringify(batch)],
    );
    onRows(batch.length);
    batch = [];
  };
  for (const row of db.prepare(`SELECT * FROM ${sourceOf(copy)}`).iterate()) {
    batch.push(convert(row as Record<string, unknown>, copy));
    if (batch.length === BATCH) await flush();
  }
  await flush();
  if (copy.sequence)
    await client.query(`SELECT setval('${copy.sequence}', GREATEST((SELECT max(id) FROM ${copy.table}), 1))`);
}

export async function migrateStore(
  from: string,
  to: string,
  onRows: (table: string, n: number) => void = () => {},
): Promise<TableCount[]> {
  const db = openSqlite(from);
  const pool = await openPostgres(to);
  try {
    return await transaction(pool, async (client) => {
      await client.query("SELECT set_config('warden.audit', 'off', true)");
      const existing = await client.query<{ n: number }>("SELECT count(*)::bigint AS n FROM tenants");
      if ((existing.rows[0]?.n ?? 0) > 0)
        throw new Error("the target database already holds tenants; migrate into an empty one");
      const counts: TableCount[] = [];
      for (const copy of TABLES) {
        await copyTable(db, client, copy, (n) => onRows(copy.table, n));
        const source = (db.prepare(`SELECT count(*) AS n FROM ${sourceOf(copy)}`).get() as { n: number }).n;
        const target =
          (await client.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${copy.table}`)).rows[0]?.n ?? 0;
        counts.push({ table: copy.table, source, target });
        if (source !== target)
          throw new Error(`${copy.table}: ${source} rows in SQLite but ${target} copied; nothing was committed`);
      }
      return counts;
    });
  } finally {
    db.close();
    await pool.end();
  }
}
