import type pg from "pg";
import type { BiocDraft, BiocRule } from "../../domain/bioc/bioc-model.ts";
import { biocFilterColumns } from "../filter-columns.ts";
import type { BiocStore, UpsertOutcome } from "../ports.ts";
import { orderBy, POSTGRES_FILTERS, whereClause } from "../sql-filters.ts";
import { auditedTransaction } from "./postgres-audit.ts";
import { transaction } from "./postgres-database.ts";

const FILTER_COLUMNS = biocFilterColumns("indicator::text");

const SELECT = `SELECT rule_id AS "ruleId", name, type, severity, comment, status, is_xql AS "isXql", indicator,
  mitre_tactic_id_and_name AS "mitreTacticIdAndName", mitre_technique_id_and_name AS "mitreTechniqueIdAndName",
  creation_time AS "creationTime", modification_time AS "modificationTime", source, number_of_issues AS "numberOfIssues"
  FROM bioc_rules`;

function valuesOf(d: BiocDraft): unknown[] {
  return [
    d.name,
    d.type,
    d.severity,
    d.comment,
    d.status,
    d.isXql,
    JSON.stringify(d.indicator),
    JSON.stringify(d.mitreTacticIdAndName),
    JSON.stringify(d.mitreTechniqueIdAndName),
  ];
}

export function postgresBiocStore(pool: pg.Pool): BiocStore {
  return {
    upsertBiocs: (tenantId, drafts, ctx) =>
      auditedTransaction(pool, ctx, async (client) => {
        const locked = await client.query<{ next: number }>(
          "SELECT next_bioc_rule_id AS next FROM tenants WHERE id = $1 FOR UPDATE",
          [tenantId],
        );
        let next = locked.rows[0]?.next ?? 1;
        const outcomes: UpsertOutcome[] = [];
        for (const draft of drafts) {
          if (draft.ruleId === undefined) {
            await client.query(
              `INSERT INTO bioc_rules (tenant_id, rule_id, name, type, severity, comment, status, is_xql, indicator,
                 mitre_tactic_id_and_name, mitre_technique_id_and_name, creation_time, modification_time, source)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)`,
              [tenantId, next, ...valuesOf(draft), ctx.now, ctx.source],
            );
            outcomes.push({ kind: "created", ruleId: next++ });
            continue;
          }
          const updated = await client.query(
            `UPDATE bioc_rules SET name = $3, type = $4, severity = $5, comment = $6, status = $7, is_xql = $8, indicator = $9,
               mitre_tactic_id_and_name = $10, mitre_technique_id_and_name = $11, modification_time = $12, source = $13
             WHERE tenant_id = $1 AND rule_id = $2`,
            [tenantId, draft.ruleId, ...valuesOf(draft), ctx.now, ctx.source],
          );
          outcomes.push(
            updated.rowCount === 1
              ? { kind: "updated", ruleId: draft.ruleId }
              : { kind: "failed", reason: "rule_not_found" },
          );
        }
        await client.query(
          "UPDATE tenants SET next_bioc_rule_id = $2, rules_version = rules_version + 1 WHERE id = $1",
          [tenantId, next],
        );
        return outcomes;
      }),

    findBiocs: (tenantId, filters, page) =>
      transaction(pool, async (client) => {
        const where = whereClause(filters, FILTER_COLUMNS, POSTGRES_FILTERS, 2);
        const params = [tenantId, ...where.params];
        const count = await client.query<{ n: number }>(
          `SELECT count(*)::bigint AS n FROM bioc_rules WHERE tenant_id = $1 AND ${where.sql}`,
          params,
        );
        const rows = await client.query<BiocRule>(
          `${SELECT} WHERE tenant_id = $1 AND ${where.sql} ORDER BY ${orderBy(page.sort, FILTER_COLUMNS, "rule_id")} LIMIT ${page.to - page.from} OFFSET ${page.from}`,
          params,
        );
        return { total: count.rows[0]?.n ?? 0, rules: rows.rows };
      }),

    deleteBiocs: (tenantId, filters, ctx) =>
      auditedTransaction(pool, ctx, async (client) => {
        const where = whereClause(filters, FILTER_COLUMNS, POSTGRES_FILTERS, 2);
        const { rows } = await client.query<{ rule_id: number }>(
          `DELETE FROM bioc_rules WHERE tenant_id = $1 AND ${where.sql} RETURNING rule_id`,
          [tenantId, ...where.params],
        );
        if (rows.length > 0)
          await client.query("UPDATE tenants SET rules_version = rules_version + 1 WHERE id = $1", [tenantId]);
        return rows.map((row) => row.rule_id).sort((a, b) => a - b);
      }),
  };
}
