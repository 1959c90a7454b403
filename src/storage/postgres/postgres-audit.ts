import type pg from "pg";
import type { ChangeContext } from "../../domain/audit/audit-model.ts";
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
import { POSTGRES_FILTERS, whereClause } from "../sql-filters.ts";
import { transaction } from "./postgres-database.ts";

/**
 * One transaction whose changes the audit triggers record under `ctx`'s actor and time. The
 * settings are transaction-local, so a pooled connection never carries them into another's work.
 */
export function auditedTransaction<T>(
  pool: pg.Pool,
  ctx: ChangeContext,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return transaction(pool, async (client) => {
    await client.query(
      "SELECT set_config('warden.actor', $1, true), set_config('warden.address', $2, true), set_config('warden.at', $3, true)",
      [ctx.actor.name, ctx.actor.address ?? "", String(ctx.now)],
    );
    return work(client);
  });
}

export function postgresAuditStore(pool: pg.Pool): AuditStore {
  return {
    findAudit: (tenantId, filters, page, order) =>
      transaction(pool, async (client) => {
        const scoped = tenantId !== null;
        const where = whereClause(filters, AUDIT_FILTER_COLUMNS, POSTGRES_FILTERS, scoped ? 2 : 1);
        const scope = scoped ? "tenant_id = $1" : "TRUE";
        const params = scoped ? [tenantId, ...where.params] : where.params;
        const count = await client.query<{ n: number }>(
          `SELECT count(*)::bigint AS n FROM ${numberedAudit(scope)} WHERE ${where.sql}`,
          params,
        );
        const rows = await client.query<AuditRow>(
          `SELECT * FROM ${numberedAudit(scope)} WHERE ${where.sql} ORDER BY ${auditOrderBy(order)}
           LIMIT ${page.to - page.from} OFFSET ${page.from}`,
          params,
        );
        return { total: count.rows[0]?.n ?? 0, rules: rows.rows.map(toAuditEntry) };
      }),
    recordRefusal: async (tenantId, refusal) => {
      await pool.query(
        `INSERT INTO audit_log (${REFUSAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        refusalValues(tenantId, refusal),
      );
    },
  };
}
