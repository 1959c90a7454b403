import type { ChangeContext } from "../../domain/audit/audit-model.ts";
import { type AuditRow, auditOrderBy, toAuditEntry } from "../audit-rows.ts";
import { AUDIT_FILTER_COLUMNS } from "../filter-columns.ts";
import type { AuditStore } from "../ports.ts";
import { whereClause } from "../sql-filters.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { statementCache } from "./sqlite-statement-cache.ts";

/** Runs `work` (inside a write transaction) with the audit triggers told who is making its changes. */
export type Audited = <R>(ctx: ChangeContext, work: () => R) => R;

/**
 * The audit triggers read the actor from the single audit_context row. A write transaction fills
 * it in first and resets it last, so a change made outside `audited` is logged as 'unknown'
 * rather than under the previous writer's name.
 */
export function sqliteAudited(db: SqliteDb): Audited {
  const set = db.prepare("UPDATE audit_context SET actor = ?, address = ?, at = ? WHERE id = 1");
  return (ctx, work) => {
    if (!db.inTransaction) throw new Error("audited() must run inside a write transaction");
    set.run(ctx.actor.name, ctx.actor.address, ctx.now);
    try {
      return work();
    } finally {
      set.run("unknown", null, 0);
    }
  };
}

export function sqliteAuditStore(db: SqliteDb): AuditStore {
  const prepare = statementCache(db);
  const find = db.transaction((tenantId: number | null, where: { sql: string; params: unknown[] }, page, order) => {
    const scope = tenantId === null ? "1 = 1" : "tenant_id = ?";
    const params = tenantId === null ? where.params : [tenantId, ...where.params];
    const count = prepare(`SELECT count(*) FROM audit_log WHERE ${scope} AND ${where.sql}`).pluck();
    const select = prepare(
      `SELECT * FROM audit_log WHERE ${scope} AND ${where.sql} ORDER BY ${auditOrderBy(order)} LIMIT ? OFFSET ?`,
    );
    const total = count.get(...params) as number;
    const rows = select.all(...params, page.to - page.from, page.from) as AuditRow[];
    return { total, rules: rows.map(toAuditEntry) };
  });
  return {
    findAudit: async (tenantId, filters, page, order) =>
      find(tenantId, whereClause(filters, AUDIT_FILTER_COLUMNS), page, order),
  };
}
