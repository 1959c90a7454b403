import type { IocDraft, IocRule, IocType, Reliability, Reputation, Severity } from "../../domain/ioc/ioc-model.ts";
import type { IocStore, UpsertOutcome, WriteContext } from "../ports.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { type ColumnSpec, whereClause } from "./sqlite-filters.ts";
import { statementCache } from "./sqlite-statement-cache.ts";

interface IocRow {
  rule_id: number;
  indicator: string;
  canonical: string;
  type: IocType;
  severity: Severity;
  expiration_date: number;
  default_expiration_enabled: number;
  comment: string;
  reputation: Reputation;
  reliability: Reliability | null;
  enabled: number;
  creation_time: number;
  modification_time: number;
  source: string;
  number_of_issues: number;
}

const STATUS_SQL = `(CASE WHEN enabled = 0 THEN 'DISABLED'
  WHEN expiration_date >= 0 AND expiration_date <= @now THEN 'EXPIRED' ELSE 'ENABLED' END)`;

const FILTER_COLUMNS: Record<string, ColumnSpec> = {
  rule_id: { sql: "rule_id" },
  indicator: { sql: "canonical" },
  type: { sql: "type" },
  severity: { sql: "severity" },
  expiration_date: { sql: "expiration_date" },
  default_expiration_enabled: { sql: "default_expiration_enabled" },
  comment: { sql: "comment" },
  reputation: { sql: "reputation" },
  reliability: { sql: "reliability" },
  status: { sql: STATUS_SQL },
  creation_time: { sql: "creation_time" },
  modification_time: { sql: "modification_time" },
  number_of_issues: { sql: "number_of_issues" },
};

const VALUE_COLUMNS =
  "indicator, canonical, type, severity, expiration_date, default_expiration_enabled, comment, reputation, reliability";

function toRule(row: IocRow): IocRule {
  return {
    ruleId: row.rule_id,
    indicator: row.indicator,
    canonical: row.canonical,
    type: row.type,
    severity: row.severity,
    expirationDate: row.expiration_date,
    defaultExpirationEnabled: row.default_expiration_enabled === 1,
    comment: row.comment,
    reputation: row.reputation,
    reliability: row.reliability,
    enabled: row.enabled === 1,
    creationTime: row.creation_time,
    modificationTime: row.modification_time,
    source: row.source,
    numberOfIssues: row.number_of_issues,
  };
}

/** The bound values of one rule, in VALUE_COLUMNS order, followed by `rest`. */
function valuesOf(d: IocDraft, ...rest: unknown[]): unknown[] {
  return [
    d.indicator,
    d.canonical,
    d.type,
    d.severity,
    d.expirationDate,
    Number(d.defaultExpirationEnabled),
    d.comment,
    d.reputation,
    d.reliability,
    ...rest,
  ];
}

export function sqliteIocStore(db: SqliteDb): IocStore {
  const prepare = statementCache(db);
  const nextId = db.prepare("SELECT next_ioc_rule_id FROM tenants WHERE id = ?").pluck();
  const saveNextId = db.prepare("UPDATE tenants SET next_ioc_rule_id = ? WHERE id = ?");
  const idOfValue = db.prepare("SELECT rule_id FROM ioc_rules WHERE tenant_id = ? AND canonical = ?").pluck();
  const exists = db.prepare("SELECT 1 FROM ioc_rules WHERE tenant_id = ? AND rule_id = ?").pluck();
  // One statement per new-or-known value: the returned id tells which happened (ours means created).
  const upsertByValue = db
    .prepare(
      `INSERT INTO ioc_rules (tenant_id, rule_id, ${VALUE_COLUMNS}, creation_time, modification_time, source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, canonical) DO UPDATE SET
         indicator = excluded.indicator, type = excluded.type, severity = excluded.severity,
         expiration_date = excluded.expiration_date,
         default_expiration_enabled = excluded.default_expiration_enabled, comment = excluded.comment,
         reputation = excluded.reputation, reliability = excluded.reliability,
         modification_time = excluded.modification_time, source = excluded.source
       RETURNING rule_id`,
    )
    .pluck();
  const overwrite = db.prepare(
    `UPDATE ioc_rules SET indicator = ?, canonical = ?, type = ?, severity = ?, expiration_date = ?,
       default_expiration_enabled = ?, comment = ?, reputation = ?, reliability = ?,
       modification_time = ?, source = ?
     WHERE tenant_id = ? AND rule_id = ?`,
  );

  const upsert = db.transaction((tenantId: number, drafts: readonly IocDraft[], ctx: WriteContext) => {
    let next = nextId.get(tenantId) as number;
    const outcomes = drafts.map((draft): UpsertOutcome => {
      if (draft.ruleId === undefined) {
        const ruleId = upsertByValue.get(tenantId, next, valuesOf(draft, ctx.now, ctx.now, ctx.source)) as number;
        if (ruleId !== next) return { kind: "updated", ruleId };
        next += 1;
        return { kind: "created", ruleId };
      }
      const { ruleId } = draft;
      if (exists.get(tenantId, ruleId) === undefined) return { kind: "failed", reason: "rule_not_found" };
      const holder = idOfValue.get(tenantId, draft.canonical) as number | undefined;
      if (holder !== undefined && holder !== ruleId) return { kind: "failed", reason: "indicator_exists" };
      overwrite.run(valuesOf(draft, ctx.now, ctx.source, tenantId, ruleId));
      return { kind: "updated", ruleId };
    });
    saveNextId.run(next, tenantId);
    return outcomes;
  });

  const find = db.transaction((tenantId: number, where: { sql: string; params: unknown[] }, page, now: number) => {
    const count = prepare(`SELECT count(*) FROM ioc_rules WHERE tenant_id = ? AND ${where.sql}`).pluck();
    const select = prepare(
      `SELECT * FROM ioc_rules WHERE tenant_id = ? AND ${where.sql} ORDER BY rule_id LIMIT ? OFFSET ?`,
    );
    const total = count.get(tenantId, ...where.params, { now }) as number;
    const rows = select.all(tenantId, ...where.params, page.to - page.from, page.from, { now }) as IocRow[];
    return { total, rules: rows.map(toRule) };
  });

  return {
    upsertIocs: async (tenantId, drafts, ctx) => upsert.immediate(tenantId, drafts, ctx),
    findIocs: async (tenantId, filters, page, now) => find(tenantId, whereClause(filters, FILTER_COLUMNS), page, now),
    deleteIocs: async (tenantId, filters, now) => {
      const where = whereClause(filters, FILTER_COLUMNS);
      const sql = `DELETE FROM ioc_rules WHERE tenant_id = ? AND ${where.sql} RETURNING rule_id`;
      const ids = prepare(sql)
        .pluck()
        .all(tenantId, ...where.params, { now }) as number[];
      return ids.sort((a, b) => a - b);
    },
  };
}
