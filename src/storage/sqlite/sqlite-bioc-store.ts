import type { ChangeContext } from "../../domain/audit/audit-model.ts";
import type { BiocDraft, BiocRule, BiocType } from "../../domain/bioc/bioc-model.ts";
import type { RulePage } from "../../domain/filters/filter-model.ts";
import type { Severity } from "../../domain/ioc/ioc-model.ts";
import { biocFilterColumns } from "../filter-columns.ts";
import type { BiocStore, UpsertOutcome, WriteContext } from "../ports.ts";
import { orderBy, whereClause } from "../sql-filters.ts";
import { sqliteAuditedWrites } from "./sqlite-audit.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { sqliteRuleVersion } from "./sqlite-rule-version.ts";
import { statementCache } from "./sqlite-statement-cache.ts";

interface BiocRow {
  rule_id: number;
  name: string;
  type: BiocType;
  severity: Severity;
  comment: string;
  status: string;
  is_xql: number;
  indicator: string;
  mitre_tactic_id_and_name: string;
  mitre_technique_id_and_name: string;
  creation_time: number;
  modification_time: number;
  source: string;
  number_of_issues: number;
}

const FILTER_COLUMNS = biocFilterColumns("indicator");

function toRule(row: BiocRow): BiocRule {
  return {
    ruleId: row.rule_id,
    name: row.name,
    type: row.type,
    severity: row.severity,
    comment: row.comment,
    status: row.status,
    isXql: row.is_xql === 1,
    indicator: JSON.parse(row.indicator),
    mitreTacticIdAndName: JSON.parse(row.mitre_tactic_id_and_name),
    mitreTechniqueIdAndName: JSON.parse(row.mitre_technique_id_and_name),
    creationTime: row.creation_time,
    modificationTime: row.modification_time,
    source: row.source,
    numberOfIssues: row.number_of_issues,
  };
}

function valuesOf(d: BiocDraft): unknown[] {
  return [
    d.name,
    d.type,
    d.severity,
    d.comment,
    d.status,
    Number(d.isXql),
    JSON.stringify(d.indicator),
    JSON.stringify(d.mitreTacticIdAndName),
    JSON.stringify(d.mitreTechniqueIdAndName),
  ];
}

const VALUE_COLUMNS =
  "name, type, severity, comment, status, is_xql, indicator, mitre_tactic_id_and_name, mitre_technique_id_and_name";

export function sqliteBiocStore(db: SqliteDb): BiocStore {
  const prepare = statementCache(db);
  const version = sqliteRuleVersion(db);
  const write = sqliteAuditedWrites(db);
  const nextId = db.prepare("SELECT next_bioc_rule_id FROM tenants WHERE id = ?").pluck();
  const saveNextId = db.prepare("UPDATE tenants SET next_bioc_rule_id = ? WHERE id = ?");
  const insert = db.prepare(
    `INSERT INTO bioc_rules (tenant_id, rule_id, ${VALUE_COLUMNS}, creation_time, modification_time, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const overwrite = db.prepare(
    `UPDATE bioc_rules SET name = ?, type = ?, severity = ?, comment = ?, status = ?, is_xql = ?, indicator = ?,
       mitre_tactic_id_and_name = ?, mitre_technique_id_and_name = ?, modification_time = ?, source = ?
     WHERE tenant_id = ? AND rule_id = ?`,
  );

  const upsert = write((ctx: WriteContext, tenantId: number, drafts: readonly BiocDraft[]) => {
    let next = nextId.get(tenantId) as number;
    const outcomes = drafts.map((draft): UpsertOutcome => {
      if (draft.ruleId === undefined) {
        insert.run(tenantId, next, ...valuesOf(draft), ctx.now, ctx.now, ctx.source);
        next += 1;
        return { kind: "created", ruleId: next - 1 };
      }
      const changed = overwrite.run(...valuesOf(draft), ctx.now, ctx.source, tenantId, draft.ruleId).changes;
      return changed === 1 ? { kind: "updated", ruleId: draft.ruleId } : { kind: "failed", reason: "rule_not_found" };
    });
    saveNextId.run(next, tenantId);
    version.bump(tenantId);
    return outcomes;
  });

  const find = db.transaction((tenantId: number, where: { sql: string; params: unknown[] }, page: RulePage) => {
    const count = prepare(`SELECT count(*) FROM bioc_rules WHERE tenant_id = ? AND ${where.sql}`).pluck();
    const select = prepare(
      `SELECT * FROM bioc_rules WHERE tenant_id = ? AND ${where.sql} ORDER BY ${orderBy(page.sort, FILTER_COLUMNS, "rule_id")} LIMIT ? OFFSET ?`,
    );
    const total = count.get(tenantId, ...where.params) as number;
    const rows = select.all(tenantId, ...where.params, page.to - page.from, page.from) as BiocRow[];
    return { total, rules: rows.map(toRule) };
  });

  const remove = write((_ctx: ChangeContext, tenantId: number, where: { sql: string; params: unknown[] }) => {
    const sql = `DELETE FROM bioc_rules WHERE tenant_id = ? AND ${where.sql} RETURNING rule_id`;
    const ids = prepare(sql)
      .pluck()
      .all(tenantId, ...where.params) as number[];
    if (ids.length > 0) version.bump(tenantId);
    return ids.sort((a, b) => a - b);
  });

  return {
    upsertBiocs: async (tenantId, drafts, ctx) => upsert(ctx, tenantId, drafts),
    findBiocs: async (tenantId, filters, page) => find(tenantId, whereClause(filters, FILTER_COLUMNS), page),
    deleteBiocs: async (tenantId, filters, ctx) => remove(ctx, tenantId, whereClause(filters, FILTER_COLUMNS)),
  };
}
