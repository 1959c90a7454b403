import type { ChangeContext } from "../../domain/audit/audit-model.ts";
import type { IocDraft } from "../../domain/ioc/ioc-model.ts";
import { iocFilterColumns } from "../filter-columns.ts";
import { type IocRow, toRule } from "../ioc-rows.ts";
import type { IocStore, WriteContext } from "../ports.ts";
import { orderBy, whereClause } from "../sql-filters.ts";
import { sqliteAuditedWrites } from "./sqlite-audit.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { sqliteDraftLinks } from "./sqlite-draft-links.ts";
import { sqliteIocChangePage } from "./sqlite-ioc-change-page.ts";
import { sqliteIocChanges } from "./sqlite-ioc-changes.ts";
import { sqliteIocExpiry } from "./sqlite-ioc-expiry.ts";
import { drain, sqliteIocUpserter } from "./sqlite-ioc-upsert.ts";
import { sqliteRuleVersion } from "./sqlite-rule-version.ts";
import { statementCache } from "./sqlite-statement-cache.ts";

const STATUS_SQL = `(CASE WHEN enabled = 0 THEN 'DISABLED'
  WHEN expiration_date >= 0 AND expiration_date <= @now THEN 'EXPIRED' ELSE 'ENABLED' END)`;

const FILTER_COLUMNS = iocFilterColumns(STATUS_SQL);

/** The IOC rule statements and transactions; the change feed and expiry defaults live beside it. */
export function sqliteIocStore(db: SqliteDb): IocStore {
  const prepare = statementCache(db);
  const changes = sqliteIocChanges(db);
  const changePage = sqliteIocChangePage(db);
  const version = sqliteRuleVersion(db);
  const write = sqliteAuditedWrites(db);
  const upserter = sqliteIocUpserter(db);
  const upsertAll = (tenantId: number, drafts: readonly IocDraft[], ctx: WriteContext) =>
    drain(upserter.steps(tenantId, drafts, ctx));
  const withLinks = sqliteDraftLinks(db);
  const upsert = write((ctx: WriteContext, tenantId: number, drafts: readonly IocDraft[]) =>
    drain(withLinks(tenantId, ctx, upserter.steps(tenantId, drafts, ctx))),
  );

  const find = db.transaction((tenantId: number, where: { sql: string; params: unknown[] }, page, now: number) => {
    const count = prepare(`SELECT count(*) FROM ioc_rules WHERE tenant_id = ? AND ${where.sql}`).pluck();
    const select = prepare(
      `SELECT * FROM ioc_rules WHERE tenant_id = ? AND ${where.sql} ORDER BY ${orderBy(page.sort, FILTER_COLUMNS, "rule_id")} LIMIT ? OFFSET ?`,
    );
    const total = count.get(tenantId, ...where.params, { now }) as number;
    const rows = select.all(tenantId, ...where.params, page.to - page.from, page.from, { now }) as IocRow[];
    return { total, rules: rows.map(toRule) };
  });

  const remove = write((ctx: ChangeContext, tenantId: number, where: { sql: string; params: unknown[] }) => {
    const sql = `DELETE FROM ioc_rules WHERE tenant_id = ? AND ${where.sql} RETURNING *`;
    const rows = prepare(sql).all(tenantId, ...where.params, { now: ctx.now }) as IocRow[];
    changes.bury(tenantId, rows, ctx.now);
    if (rows.length > 0) version.bump(tenantId);
    return rows.map((row) => row.rule_id).sort((a, b) => a - b);
  });

  const replaceSource = write((ctx: WriteContext, tenantId: number, drafts: readonly IocDraft[]) => {
    const kept = new Set(drafts.map((d) => d.canonical));
    const ofSource = prepare("SELECT * FROM ioc_rules WHERE tenant_id = ? AND source = ?").all(
      tenantId,
      ctx.source,
    ) as IocRow[];
    const gone = ofSource.filter((row) => !kept.has(row.canonical));
    const drop = prepare("DELETE FROM ioc_rules WHERE tenant_id = ? AND rule_id = ?");
    for (const row of gone) drop.run(tenantId, row.rule_id);
    changes.bury(tenantId, gone, ctx.now);
    return { outcomes: upsertAll(tenantId, drafts, ctx), deleted: gone.length };
  });

  const enable = write((ctx: ChangeContext, tenantId: number, canonicals: readonly string[], enabled: boolean) => {
    const update = prepare(
      "UPDATE ioc_rules SET enabled = ?, modification_time = ? WHERE tenant_id = ? AND canonical = ? RETURNING rule_id",
    ).pluck();
    const ids = canonicals.flatMap(
      (canonical) => update.all(Number(enabled), ctx.now, tenantId, canonical) as number[],
    );
    if (ids.length > 0) version.bump(tenantId);
    return [...new Set(ids)].sort((a, b) => a - b);
  });

  return {
    upsertIocs: async (tenantId, drafts, ctx) => upsert(ctx, tenantId, drafts),
    findIocs: async (tenantId, filters, page, now) => find(tenantId, whereClause(filters, FILTER_COLUMNS), page, now),
    deleteIocs: async (tenantId, filters, ctx) => remove(ctx, tenantId, whereClause(filters, FILTER_COLUMNS)),
    replaceIocsOfSource: async (tenantId, drafts, ctx) => replaceSource(ctx, tenantId, drafts),
    setIocsEnabled: async (tenantId, canonicals, enabled, ctx) => enable(ctx, tenantId, canonicals, enabled),
    iocChanges: async (tenantId, since, now) => changes.since(tenantId, since, now),
    iocChangePage: async (tenantId, after, now, limit) => changePage(tenantId, after, now, limit),
    ...sqliteIocExpiry(db),
  };
}
