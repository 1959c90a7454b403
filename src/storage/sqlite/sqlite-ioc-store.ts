import type { ChangeContext } from "../../domain/audit/audit-model.ts";
import type { IocDraft } from "../../domain/ioc/ioc-model.ts";
import { iocFilterColumns } from "../filter-columns.ts";
import { type IocRow, toRule, VALUE_COLUMNS, valuesOf } from "../ioc-rows.ts";
import type { IocStore, UpsertOutcome, WriteContext } from "../ports.ts";
import { whereClause } from "../sql-filters.ts";
import { sqliteAuditedWrites, sqliteAuditPackOf } from "./sqlite-audit.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { IOC_RECORD_COLUMNS, iocRecordAfter } from "./sqlite-ioc-audit.ts";
import { sqliteIocChanges } from "./sqlite-ioc-changes.ts";
import { sqliteIocExpiry } from "./sqlite-ioc-expiry.ts";
import { sqliteRuleVersion } from "./sqlite-rule-version.ts";
import { statementCache } from "./sqlite-statement-cache.ts";

const STATUS_SQL = `(CASE WHEN enabled = 0 THEN 'DISABLED'
  WHEN expiration_date >= 0 AND expiration_date <= @now THEN 'EXPIRED' ELSE 'ENABLED' END)`;

const FILTER_COLUMNS = iocFilterColumns(STATUS_SQL);

const SET_VALUES = `indicator = excluded.indicator, canonical = excluded.canonical, type = excluded.type,
  severity = excluded.severity, expiration_date = excluded.expiration_date,
  default_expiration_enabled = excluded.default_expiration_enabled, comment = excluded.comment,
  reputation = excluded.reputation, reliability = excluded.reliability, vendors = excluded.vendors,
  klass = excluded.klass, modification_time = excluded.modification_time, source = excluded.source,
  expiry_base = excluded.expiry_base`;

/** The IOC rule statements and transactions; the change feed and expiry defaults live beside it. */
export function sqliteIocStore(db: SqliteDb): IocStore {
  const prepare = statementCache(db);
  const changes = sqliteIocChanges(db);
  const version = sqliteRuleVersion(db);
  const write = sqliteAuditedWrites(db);
  const nextId = db.prepare("SELECT next_ioc_rule_id FROM tenants WHERE id = ?").pluck();
  const saveNextId = db.prepare("UPDATE tenants SET next_ioc_rule_id = ? WHERE id = ?");
  const pack = sqliteAuditPackOf(db);
  const idOfValue = db.prepare("SELECT rule_id FROM ioc_rules WHERE tenant_id = ? AND canonical = ?").pluck();
  // the rule as it was, for the audit record of the change (read first: an upsert returns only the new row)
  const recordOfValue = db
    .prepare(`SELECT ${IOC_RECORD_COLUMNS} FROM ioc_rules WHERE tenant_id = ? AND canonical = ?`)
    .raw();
  const recordOfId = db
    .prepare(`SELECT ${IOC_RECORD_COLUMNS} FROM ioc_rules WHERE tenant_id = ? AND rule_id = ?`)
    .raw();
  // The rule was read first (its audit record), so each write is a plain INSERT or UPDATE:
  // cheaper than an upsert with RETURNING, and the transaction holds the write lock throughout.
  const columns = `tenant_id, rule_id, ${VALUE_COLUMNS}, creation_time, modification_time, source, expiry_base`;
  const insert = db.prepare(`INSERT INTO ioc_rules (${columns}) VALUES (${columns.replace(/[a-z_]+/g, "?")})`);
  const update = db.prepare(
    `UPDATE ioc_rules SET ${SET_VALUES.replace(/excluded\.[a-z_]+/g, "?")} WHERE tenant_id = ? AND rule_id = ?`,
  );
  // Only when the flag changes: an item that says "enabled" of an enabled rule is no change to audit.
  const setEnabled = db.prepare(
    "UPDATE ioc_rules SET enabled = @enabled WHERE tenant_id = @tenantId AND rule_id = @ruleId AND enabled <> @enabled",
  );

  function upsertOne(tenantId: number, draft: IocDraft, ctx: WriteContext, next: number): UpsertOutcome {
    if (draft.ruleId === undefined) {
      const before = recordOfValue.get(tenantId, draft.canonical) as unknown[] | undefined;
      if (before === undefined) {
        insert.run(tenantId, next, ...valuesOf(draft, ctx.now, ctx.now, ctx.source, ctx.now));
        recordChange(tenantId, next, draft, ctx, before);
        return { kind: "created", ruleId: next };
      }
      return rewrite(tenantId, before[0] as number, draft, ctx, before);
    }
    const { ruleId } = draft;
    const before = recordOfId.get(tenantId, ruleId) as unknown[] | undefined;
    if (before === undefined) return { kind: "failed", reason: "rule_not_found" };
    const holder = idOfValue.get(tenantId, draft.canonical) as number | undefined;
    if (holder !== undefined && holder !== ruleId) return { kind: "failed", reason: "indicator_exists" };
    return rewrite(tenantId, ruleId, draft, ctx, before);
  }

  function rewrite(tenantId: number, ruleId: number, draft: IocDraft, ctx: WriteContext, before: unknown[]) {
    update.run(...valuesOf(draft, ctx.now, ctx.source, ctx.now, tenantId, ruleId));
    recordChange(tenantId, ruleId, draft, ctx, before);
    return { kind: "updated", ruleId } as const;
  }

  function recordChange(tenantId: number, ruleId: number, draft: IocDraft, ctx: WriteContext, before?: unknown[]) {
    const after = iocRecordAfter(ruleId, draft, ctx.source, ctx.now, before);
    pack.record(tenantId, "IOC_RULES", before ? "Edit" : "Create", ruleId, before ?? null, after);
  }

  /** Applies drafts in order inside the caller's transaction, describing each change to the audit log. */
  function upsertAll(tenantId: number, drafts: readonly IocDraft[], ctx: WriteContext): UpsertOutcome[] {
    let next = nextId.get(tenantId) as number;
    const outcomes = pack.recordedByStore(() =>
      drafts.map((draft) => {
        const outcome = upsertOne(tenantId, draft, ctx, next);
        if (outcome.kind === "created") next += 1;
        if (outcome.kind !== "failed" && draft.enabled !== undefined) {
          const change = { enabled: Number(draft.enabled), tenantId, ruleId: outcome.ruleId };
          pack.byTriggers(() => setEnabled.run(change));
        }
        return outcome;
      }),
    );
    saveNextId.run(next, tenantId);
    version.bump(tenantId);
    return outcomes;
  }

  const upsert = write((ctx: WriteContext, tenantId: number, drafts: readonly IocDraft[]) =>
    upsertAll(tenantId, drafts, ctx),
  );

  const find = db.transaction((tenantId: number, where: { sql: string; params: unknown[] }, page, now: number) => {
    const count = prepare(`SELECT count(*) FROM ioc_rules WHERE tenant_id = ? AND ${where.sql}`).pluck();
    const select = prepare(
      `SELECT * FROM ioc_rules WHERE tenant_id = ? AND ${where.sql} ORDER BY rule_id LIMIT ? OFFSET ?`,
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
    ...sqliteIocExpiry(db),
  };
}
