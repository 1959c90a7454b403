import type pg from "pg";
import { DAY_MS, type ExpiryDefaults, type IocType } from "../../domain/ioc/ioc-model.ts";
import { linksOfOutcomes } from "../draft-links.ts";
import { iocFilterColumns } from "../filter-columns.ts";
import { type IocRow, toRule } from "../ioc-rows.ts";
import type { IocChange, IocStore } from "../ports.ts";
import { orderBy, POSTGRES_FILTERS, whereClause } from "../sql-filters.ts";
import { auditedTransaction } from "./postgres-audit.ts";
import { transaction } from "./postgres-database.ts";
import { saveIntelLinksPg } from "./postgres-intel-links.ts";
import { iocChangePagePg } from "./postgres-ioc-change-page.ts";
import { upsertIocsPg } from "./postgres-ioc-upsert.ts";

/** `$1` is the tenant and `$2` the current time in every filtered statement below. */
const FILTER_COLUMNS = iocFilterColumns(
  "(CASE WHEN NOT enabled THEN 'DISABLED' WHEN expiration_date >= 0 AND expiration_date <= $2 THEN 'EXPIRED' ELSE 'ENABLED' END)",
);

async function bury(client: pg.PoolClient, tenantId: number, rows: IocRow[], now: number): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO ioc_tombstones (tenant_id, rule_id, deleted_at, rule)
     SELECT $1, r.rule_id, $2, r.doc FROM unnest($3::bigint[], $4::jsonb[]) AS r(rule_id, doc)`,
    [tenantId, now, rows.map((r) => r.rule_id), rows.map((r) => JSON.stringify(r))],
  );
  await client.query("UPDATE tenants SET rules_version = rules_version + 1 WHERE id = $1", [tenantId]);
}

async function changesSince(pool: pg.Pool, tenantId: number, since: number, now: number): Promise<IocChange[]> {
  const live = await pool.query<IocRow & { change_time: number }>(
    `SELECT *, GREATEST(modification_time,
        CASE WHEN expiration_date >= 0 AND expiration_date <= $3 THEN expiration_date ELSE 0 END) AS change_time
     FROM ioc_rules WHERE tenant_id = $1 AND (modification_time > $2 OR (expiration_date > $2 AND expiration_date <= $3))`,
    [tenantId, since, now],
  );
  const dead = await pool.query<{ rule: IocRow; deleted_at: number }>(
    "SELECT rule, deleted_at FROM ioc_tombstones WHERE tenant_id = $1 AND deleted_at > $2 ORDER BY deleted_at, rule_id",
    [tenantId, since],
  );
  const changes = [
    ...live.rows.map((row) => ({ rule: toRule(row), changeTime: row.change_time, deleted: false })),
    ...dead.rows.map((row) => ({ rule: toRule(row.rule), changeTime: row.deleted_at, deleted: true })),
  ];
  return changes.sort((a, b) => a.changeTime - b.changeTime || a.rule.ruleId - b.rule.ruleId);
}

export function postgresIocStore(pool: pg.Pool): IocStore {
  return {
    upsertIocs: (tenantId, drafts, ctx) =>
      auditedTransaction(pool, ctx, async (client) => {
        const outcomes = await upsertIocsPg(client, tenantId, drafts, ctx);
        // the intel links (WriteContext.links) in the same transaction: no rule without its link
        await saveIntelLinksPg(client, tenantId, linksOfOutcomes(outcomes, ctx.links));
        return outcomes;
      }),

    findIocs: async (tenantId, filters, page, now) => {
      const where = whereClause(filters, FILTER_COLUMNS, POSTGRES_FILTERS, 3);
      const params = [tenantId, now, ...where.params];
      return transaction(pool, async (client) => {
        const count = await client.query<{ n: number }>(
          `SELECT count(*)::bigint AS n FROM ioc_rules WHERE tenant_id = $1 AND $2::bigint IS NOT NULL AND ${where.sql}`,
          params,
        );
        const rows = await client.query<IocRow>(
          `SELECT * FROM ioc_rules WHERE tenant_id = $1 AND $2::bigint IS NOT NULL AND ${where.sql}
           ORDER BY ${orderBy(page.sort, FILTER_COLUMNS, "rule_id")} LIMIT ${page.to - page.from} OFFSET ${page.from}`,
          params,
        );
        return { total: count.rows[0]?.n ?? 0, rules: rows.rows.map(toRule) };
      });
    },

    deleteIocs: (tenantId, filters, ctx) =>
      auditedTransaction(pool, ctx, async (client) => {
        const where = whereClause(filters, FILTER_COLUMNS, POSTGRES_FILTERS, 3);
        const { rows } = await client.query<IocRow>(
          `DELETE FROM ioc_rules WHERE tenant_id = $1 AND $2::bigint IS NOT NULL AND ${where.sql} RETURNING *`,
          [tenantId, ctx.now, ...where.params],
        );
        await bury(client, tenantId, rows, ctx.now);
        return rows.map((row) => row.rule_id).sort((a, b) => a - b);
      }),

    replaceIocsOfSource: (tenantId, drafts, ctx) =>
      auditedTransaction(pool, ctx, async (client) => {
        await client.query("SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE", [tenantId]);
        const { rows } = await client.query<IocRow>(
          `DELETE FROM ioc_rules WHERE tenant_id = $1 AND source = $2 AND NOT (canonical = ANY($3::text[])) RETURNING *`,
          [tenantId, ctx.source, drafts.map((d) => d.canonical)],
        );
        await bury(client, tenantId, rows, ctx.now);
        return { outcomes: await upsertIocsPg(client, tenantId, drafts, ctx), deleted: rows.length };
      }),

    setIocsEnabled: (tenantId, canonicals, enabled, ctx) =>
      auditedTransaction(pool, ctx, async (client) => {
        const { rows } = await client.query<{ rule_id: number }>(
          `UPDATE ioc_rules SET enabled = $3, modification_time = $4
           WHERE tenant_id = $1 AND canonical = ANY($2::text[]) RETURNING rule_id`,
          [tenantId, canonicals, enabled, ctx.now],
        );
        if (rows.length > 0)
          await client.query("UPDATE tenants SET rules_version = rules_version + 1 WHERE id = $1", [tenantId]);
        return rows.map((row) => row.rule_id).sort((a, b) => a - b);
      }),

    iocChanges: (tenantId, since, now) => changesSince(pool, tenantId, since, now),
    iocChangePage: (tenantId, after, now, limit) => iocChangePagePg(pool, tenantId, after, now, limit),

    getExpiryDefaults: async (tenantId) => {
      const { rows } = await pool.query<{ ioc_type: IocType; days: number }>(
        "SELECT ioc_type, days FROM tenant_ioc_expiry WHERE tenant_id = $1",
        [tenantId],
      );
      return Object.fromEntries(rows.map((row) => [row.ioc_type, row.days])) as ExpiryDefaults;
    },

    setExpiryDefault: (tenantId, type, days, ctx) =>
      auditedTransaction(pool, ctx, async (client) => {
        if (days === null)
          await client.query("DELETE FROM tenant_ioc_expiry WHERE tenant_id = $1 AND ioc_type = $2", [tenantId, type]);
        else {
          await client.query(
            `INSERT INTO tenant_ioc_expiry (tenant_id, ioc_type, days) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id, ioc_type) DO UPDATE SET days = excluded.days`,
            [tenantId, type, days],
          );
        }
        await client.query("UPDATE tenants SET rules_version = rules_version + 1 WHERE id = $1", [tenantId]);
        const redated = await client.query(
          `UPDATE ioc_rules SET expiration_date = CASE WHEN $3::int IS NULL THEN -1 ELSE expiry_base + $3::bigint * ${DAY_MS} END,
             modification_time = $4
           WHERE tenant_id = $1 AND type = $2 AND default_expiration_enabled`,
          [tenantId, type, days, ctx.now],
        );
        return redated.rowCount ?? 0;
      }),
  };
}
