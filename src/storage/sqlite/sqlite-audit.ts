import type { AuditEntity, AuditEntry, ChangeContext } from "../../domain/audit/audit-model.ts";
import {
  type AuditRow,
  auditOrderBy,
  numberedAudit,
  REFUSAL_COLUMNS,
  refusalValues,
  toAuditEntry,
} from "../audit-rows.ts";
import { AUDIT_FILTER_COLUMNS } from "../filter-columns.ts";
import type { AuditStore } from "../ports.ts";
import { whereClause } from "../sql-filters.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { statementCache } from "./sqlite-statement-cache.ts";

/** An audited write: `work` wrapped so that it runs as described at `sqliteAuditedWrites`. */
export type AuditedWrite = <C extends ChangeContext, A extends unknown[], R>(
  work: (ctx: C, ...args: A) => R,
) => (ctx: C, ...args: A) => R;

interface AuditState {
  ctx: ChangeContext | undefined;
}

const states = new WeakMap<SqliteDb, AuditState>();

/**
 * Defines the functions the audit triggers call for who and when. They answer from memory, so
 * naming the actor writes nothing; a connection runs one transaction at a time, synchronously,
 * so the context set around a transaction's work is the one its triggers see. A change made
 * outside an audited write is logged as 'unknown', now, never under another writer's name.
 */
export function defineAuditFunctions(db: SqliteDb): void {
  const state: AuditState = { ctx: undefined };
  states.set(db, state);
  db.function("warden_audit_actor", { deterministic: false }, () => state.ctx?.actor.name ?? "unknown");
  db.function("warden_audit_address", { deterministic: false }, () => state.ctx?.actor.address ?? null);
  db.function("warden_audit_at", { deterministic: false }, () => state.ctx?.now ?? Date.now());
}

/**
 * Every write to rules, keys or tenants is made through this: `work` runs in one IMMEDIATE
 * transaction (the write lock first, so two processes never deadlock upgrading), with the audit
 * triggers told `ctx`'s actor and time for exactly that transaction.
 */
export function sqliteAuditedWrites(db: SqliteDb): AuditedWrite {
  const state = states.get(db);
  if (!state) throw new Error("the audit functions were not defined on this connection");
  return <C extends ChangeContext, A extends unknown[], R>(work: (ctx: C, ...args: A) => R) => {
    const transaction = db.transaction((ctx: C, ...args: A): R => {
      state.ctx = ctx;
      try {
        return work(ctx, ...args);
      } finally {
        state.ctx = undefined;
      }
    });
    return (ctx: C, ...args: A): R => transaction.immediate(ctx, ...args);
  };
}

/** Record fields the triggers store as SQLite holds them: 0/1 for booleans, JSON columns as text. */
const STORED_AS: Partial<Record<AuditEntity, { booleans: string[]; json: string[] }>> = {
  IOC_RULES: { booleans: ["default_expiration_enabled", "enabled"], json: ["vendors"] },
  BIOC_RULES: { booleans: ["is_xql"], json: ["indicator", "mitre_tactic_id_and_name", "mitre_technique_id_and_name"] },
  CORRELATION_RULES: { booleans: [], json: ["definition"] },
};

/** A record as the SQLite triggers stored it, with its booleans and JSON values as such again. */
export function restoreAuditRecord(doc: string | null, entity: AuditEntity): Record<string, unknown> | null {
  if (doc === null) return null;
  const record = JSON.parse(doc) as Record<string, unknown>;
  const spec = STORED_AS[entity];
  if (!spec) return record;
  for (const field of spec.booleans) if (typeof record[field] === "number") record[field] = record[field] === 1;
  for (const field of spec.json) if (typeof record[field] === "string") record[field] = JSON.parse(record[field]);
  return record;
}

/** An `audit_log` row as SQLite returns it: the records as JSON text. */
type SqliteAuditRow = Omit<AuditRow, "before" | "after"> & { before: string | null; after: string | null };

function fromRow(row: SqliteAuditRow): AuditEntry {
  return toAuditEntry({
    ...row,
    before: restoreAuditRecord(row.before, row.entity),
    after: restoreAuditRecord(row.after, row.entity),
  });
}

export function sqliteAuditStore(db: SqliteDb): AuditStore {
  const prepare = statementCache(db);
  const find = db.transaction((tenantId: number | null, where: { sql: string; params: unknown[] }, page, order) => {
    const scope = tenantId === null ? "1 = 1" : "tenant_id = ?";
    const params = tenantId === null ? where.params : [tenantId, ...where.params];
    const count = prepare(`SELECT count(*) FROM ${numberedAudit(scope)} WHERE ${where.sql}`).pluck();
    const select = prepare(
      `SELECT * FROM ${numberedAudit(scope)} WHERE ${where.sql} ORDER BY ${auditOrderBy(order)} LIMIT ? OFFSET ?`,
    );
    const total = count.get(...params) as number;
    const rows = select.all(...params, page.to - page.from, page.from) as SqliteAuditRow[];
    return { total, rules: rows.map(fromRow) };
  });
  const refuse = db.prepare(`INSERT INTO audit_log (${REFUSAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  return {
    findAudit: async (tenantId, filters, page, order) =>
      find(tenantId, whereClause(filters, AUDIT_FILTER_COLUMNS), page, order),
    recordRefusal: async (tenantId, refusal) => {
      refuse.run(...refusalValues(tenantId, refusal));
    },
  };
}
