import type { AuditEntity, AuditEntry, ChangeContext } from "../../domain/audit/audit-model.ts";
import {
  AUDIT_FIELD_ORDER,
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
import { type AuditPack, sqliteAuditPack } from "./sqlite-audit-pack.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { statementCache } from "./sqlite-statement-cache.ts";

/** An audited write: `work` wrapped so that it runs as described at `sqliteAuditedWrites`. */
export type AuditedWrite = <C extends ChangeContext, A extends unknown[], R>(
  work: (ctx: C, ...args: A) => R,
) => (ctx: C, ...args: A) => R;

interface AuditState {
  ctx: ChangeContext | undefined;
  /** The rule changes of the audited write in progress (migration 9's triggers fill it). */
  pack: AuditPack;
}

const states = new WeakMap<SqliteDb, AuditState>();

/**
 * Defines the functions the audit triggers call for who and when. They answer from memory, so
 * naming the actor writes nothing; a connection runs one transaction at a time, synchronously,
 * so the context set around a transaction's work is the one its triggers see. A change made
 * outside an audited write is logged as 'unknown', now, never under another writer's name.
 */
export function defineAuditFunctions(db: SqliteDb): void {
  const state: AuditState = { ctx: undefined, pack: sqliteAuditPack(db) };
  states.set(db, state);
  // Rule changes are packed only inside an audited write, which stores the pack before committing;
  // outside one (0) each trigger writes its own row; 2: the store records them itself (migration 17).
  db.function("warden_audit_mode", { deterministic: false }, () => (state.ctx === undefined ? 0 : state.pack.mode()));
  // 1: collected into the pack; 0: no audited write in progress, so the trigger writes the row
  db.function("warden_audit_item", { deterministic: false }, (tenantId, entity, action, target, before, after) => {
    if (state.ctx === undefined) return 0;
    state.pack.collect(
      tenantId as number,
      entity as string,
      action as string,
      target as number,
      before as string | null,
      after as string | null,
    );
    return 1;
  });
  db.function("warden_audit_actor", { deterministic: false }, () => state.ctx?.actor.name ?? "unknown");
  db.function("warden_audit_address", { deterministic: false }, () => state.ctx?.actor.address ?? null);
  db.function("warden_audit_at", { deterministic: false }, () => state.ctx?.now ?? Date.now());
}

/**
 * Every write to rules, keys or tenants is made through this: `work` runs in one IMMEDIATE
 * transaction (the write lock first, so two processes never deadlock upgrading), with the audit
 * triggers told `ctx`'s actor and time for exactly that transaction. The rule changes its
 * triggers collected are stored as one row per tenant and entity before it commits.
 */
export function sqliteAuditedWrites(db: SqliteDb): AuditedWrite {
  const state = states.get(db);
  if (!state) throw new Error("the audit functions were not defined on this connection");
  return <C extends ChangeContext, A extends unknown[], R>(work: (ctx: C, ...args: A) => R) => {
    const transaction = db.transaction((ctx: C, ...args: A): R => {
      // a write made inside another belongs to the outer one's pack and context
      if (state.ctx !== undefined) return work(ctx, ...args);
      state.ctx = ctx;
      state.pack.clear();
      try {
        const result = work(ctx, ...args);
        state.pack.flush(ctx);
        return result;
      } finally {
        state.ctx = undefined;
        state.pack.clear();
      }
    });
    return (ctx: C, ...args: A): R => transaction.immediate(ctx, ...args);
  };
}

/**
 * One audited write made of steps, in one IMMEDIATE transaction on `db`, yielding to the event loop
 * between steps so other requests are answered meanwhile. Each step's rule changes are stored
 * (as a packed row) before the next; all of it commits, or none. `db` must be a connection of its
 * own, behind the write gate: its transaction stays open across the yields.
 */
export async function sqliteChunkedWrite<R>(db: SqliteDb, ctx: ChangeContext, steps: Generator<void, R>): Promise<R> {
  const state = states.get(db);
  if (!state) throw new Error("the audit functions were not defined on this connection");
  db.prepare("BEGIN IMMEDIATE").run();
  state.ctx = ctx;
  state.pack.clear();
  try {
    for (;;) {
      const step = steps.next();
      state.pack.flush(ctx);
      if (step.done) {
        db.prepare("COMMIT").run();
        return step.value;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    if (db.inTransaction) db.prepare("ROLLBACK").run();
    throw error;
  } finally {
    state.ctx = undefined;
    state.pack.clear();
  }
}

/** The pack of `db`'s audited write in progress, for a store that records its own changes. */
export function sqliteAuditPackOf(db: SqliteDb): AuditPack {
  const state = states.get(db);
  if (!state) throw new Error("the audit functions were not defined on this connection");
  return state.pack;
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
  const parsed = JSON.parse(doc) as Record<string, unknown> | unknown[];
  // a record the store described itself is positional (sqlite-audit-pack.ts)
  const record = Array.isArray(parsed) ? fieldsOf(parsed, entity) : parsed;
  const spec = STORED_AS[entity];
  if (!spec) return record;
  for (const field of spec.booleans) if (typeof record[field] === "number") record[field] = record[field] === 1;
  for (const field of spec.json) if (typeof record[field] === "string") record[field] = JSON.parse(record[field]);
  return record;
}

function fieldsOf(values: unknown[], entity: AuditEntity): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  AUDIT_FIELD_ORDER[entity].forEach((field, i) => {
    record[field] = values[i];
  });
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
