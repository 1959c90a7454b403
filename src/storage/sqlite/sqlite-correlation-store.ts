import type { ChangeContext } from "../../domain/audit/audit-model.ts";
import type { CorrelationDraft, CorrelationRule } from "../../domain/correlations/correlation-model.ts";
import type { CorrelationPartial, CorrelationStateStore, CorrelationStore } from "../correlation-ports.ts";
import { correlationFilterColumns } from "../filter-columns.ts";
import type { UpsertOutcome, WriteContext } from "../ports.ts";
import { orderBy, whereClause } from "../sql-filters.ts";
import { sqliteAuditedWrites } from "./sqlite-audit.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { sqliteRuleVersion } from "./sqlite-rule-version.ts";
import { statementCache } from "./sqlite-statement-cache.ts";

interface CorrelationRow {
  rule_id: number;
  definition: string;
  created_by: string;
  insert_time: number;
  modify_time: number;
  hits: number;
}

const FILTER_COLUMNS = correlationFilterColumns({
  json: (f) => `json_extract(definition, '$.${f}')`,
  jsonBool: (f) => `json_extract(definition, '$.${f}')`,
  jsonArray: (f) => `coalesce(json_extract(definition, '$.${f}'), '[]')`,
});

function toRule(row: CorrelationRow): CorrelationRule {
  return {
    ruleId: row.rule_id,
    definition: JSON.parse(row.definition),
    createdBy: row.created_by,
    insertTime: row.insert_time,
    modifyTime: row.modify_time,
    hits: row.hits,
  };
}

const columnsOf = (d: CorrelationDraft) => [
  d.definition.name,
  d.definition.severity,
  Number(d.definition.is_enabled),
  d.definition.execution_mode,
  JSON.stringify(d.definition),
];

/** Forgets what a rule's execution kept (its query changed, or it is gone). */
function stateForgetting(db: SqliteDb) {
  const partials = db.prepare("DELETE FROM correlation_partials WHERE tenant_id = ? AND rule_id = ?");
  const suppressions = db.prepare("DELETE FROM correlation_suppressions WHERE tenant_id = ? AND rule_id = ?");
  const runs = db.prepare("DELETE FROM correlation_runs WHERE tenant_id = ? AND rule_id = ?");
  return (tenantId: number, ruleId: number, everything: boolean) => {
    partials.run(tenantId, ruleId);
    if (!everything) return;
    suppressions.run(tenantId, ruleId);
    runs.run(tenantId, ruleId);
  };
}

function sqliteCorrelationRules(db: SqliteDb) {
  const version = sqliteRuleVersion(db);
  const write = sqliteAuditedWrites(db);
  const forget = stateForgetting(db);
  const nextId = db.prepare("SELECT next_correlation_rule_id FROM tenants WHERE id = ?").pluck();
  const saveNextId = db.prepare("UPDATE tenants SET next_correlation_rule_id = ? WHERE id = ?");
  const byName = db.prepare("SELECT rule_id FROM correlation_rules WHERE tenant_id = ? AND name = ?").pluck();
  const query = db
    .prepare(
      "SELECT json_extract(definition, '$.xql_query') FROM correlation_rules WHERE tenant_id = ? AND rule_id = ?",
    )
    .pluck();
  const insert = db.prepare(
    `INSERT INTO correlation_rules (tenant_id, rule_id, name, severity, is_enabled, execution_mode, definition,
       created_by, insert_time, modify_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const overwrite = db.prepare(
    `UPDATE correlation_rules SET name = ?, severity = ?, is_enabled = ?, execution_mode = ?, definition = ?,
       created_by = ?, modify_time = ? WHERE tenant_id = ? AND rule_id = ?`,
  );

  const upsertOne = (tenantId: number, draft: CorrelationDraft, ctx: WriteContext, next: number) => {
    const holder = byName.get(tenantId, draft.definition.name) as number | undefined;
    const id = draft.ruleId ?? next;
    if (holder !== undefined && holder !== draft.ruleId) return { kind: "failed", reason: "name_exists" } as const;
    const oldQuery = query.get(tenantId, id) as string | undefined;
    if (oldQuery === undefined) {
      insert.run(tenantId, id, ...columnsOf(draft), ctx.source, ctx.now, ctx.now);
      return { kind: "created", ruleId: id } as const;
    }
    overwrite.run(...columnsOf(draft), ctx.source, ctx.now, tenantId, id);
    if (oldQuery !== draft.definition.xql_query) forget(tenantId, id, false);
    return { kind: "updated", ruleId: id } as const;
  };

  const upsert = write((ctx: WriteContext, tenantId: number, drafts: readonly CorrelationDraft[]) => {
    let next = nextId.get(tenantId) as number;
    const outcomes = drafts.map((draft): UpsertOutcome => {
      const outcome = upsertOne(tenantId, draft, ctx, next);
      if (outcome.kind === "created") next = Math.max(next, outcome.ruleId + 1);
      return outcome;
    });
    saveNextId.run(next, tenantId);
    version.bump(tenantId);
    return outcomes;
  });

  const prepare = statementCache(db);
  const find = db.transaction((tenantId: number, where: { sql: string; params: unknown[] }, page) => {
    const count = prepare(`SELECT count(*) FROM correlation_rules WHERE tenant_id = ? AND ${where.sql}`).pluck();
    const select = prepare(
      `SELECT * FROM correlation_rules WHERE tenant_id = ? AND ${where.sql} ORDER BY ${orderBy(page.sort, FILTER_COLUMNS, "rule_id")} LIMIT ? OFFSET ?`,
    );
    const total = count.get(tenantId, ...where.params) as number;
    const rows = select.all(tenantId, ...where.params, page.to - page.from, page.from) as CorrelationRow[];
    return { total, rules: rows.map(toRule) };
  });

  const remove = write((_ctx: ChangeContext, tenantId: number, where: { sql: string; params: unknown[] }) => {
    const sql = `DELETE FROM correlation_rules WHERE tenant_id = ? AND ${where.sql} RETURNING rule_id`;
    const ids = prepare(sql)
      .pluck()
      .all(tenantId, ...where.params) as number[];
    for (const id of ids) forget(tenantId, id, true);
    if (ids.length > 0) version.bump(tenantId);
    return ids.sort((a, b) => a - b);
  });

  const enabled = db.prepare("SELECT * FROM correlation_rules WHERE tenant_id = ? AND is_enabled = 1 ORDER BY rule_id");
  return {
    upsertCorrelations: async (tenantId: number, drafts: readonly CorrelationDraft[], ctx: WriteContext) =>
      upsert(ctx, tenantId, drafts),
    findCorrelations: async (tenantId: number, filters: Parameters<CorrelationStore["findCorrelations"]>[1], page) =>
      find(tenantId, whereClause(filters, FILTER_COLUMNS), page),
    deleteCorrelations: async (tenantId: number, filters, ctx) =>
      remove(ctx, tenantId, whereClause(filters, FILTER_COLUMNS)),
    listEnabledCorrelations: async (tenantId: number) => (enabled.all(tenantId) as CorrelationRow[]).map(toRule),
  } satisfies Pick<
    CorrelationStore,
    "upsertCorrelations" | "findCorrelations" | "deleteCorrelations" | "listEnabledCorrelations"
  >;
}

/** Adds partials inside the caller's transaction. */
export function sqlitePartialsAdder(db: SqliteDb): (tenantId: number, partials: readonly CorrelationPartial[]) => void {
  const add = db.prepare(
    "INSERT INTO correlation_partials (tenant_id, rule_id, bucket, group_key, state) VALUES (?, ?, ?, ?, ?)",
  );
  return (tenantId, partials) => {
    for (const p of partials) add.run(tenantId, p.ruleId, p.bucket, p.groupKey, p.state);
  };
}

function sqliteCorrelationState(db: SqliteDb): CorrelationStateStore {
  const addAll = db.transaction(sqlitePartialsAdder(db));
  const read = db.prepare(
    `SELECT rule_id AS ruleId, bucket, group_key AS groupKey, state FROM correlation_partials
     WHERE tenant_id = ? AND rule_id = ? AND bucket >= ? AND bucket < ?`,
  );
  const prune = db.prepare("DELETE FROM correlation_partials WHERE tenant_id = ? AND rule_id = ? AND bucket < ?");
  const claimTick = db.prepare(
    "INSERT INTO correlation_runs (tenant_id, rule_id, tick, ran_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
  );
  const suppress = db.prepare(
    `INSERT INTO correlation_suppressions (tenant_id, rule_id, suppression_key, until, claimant) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, rule_id, suppression_key) DO UPDATE SET until = excluded.until, claimant = excluded.claimant
     WHERE correlation_suppressions.until <= ? OR correlation_suppressions.claimant = excluded.claimant`,
  );
  return {
    addCorrelationPartials: async (tenantId, partials) => {
      if (partials.length > 0) addAll.immediate(tenantId, partials);
    },
    readCorrelationPartials: async (tenantId, ruleId, from, to) =>
      read.all(tenantId, ruleId, from, to) as CorrelationPartial[],
    forgetCorrelationPartials: async (tenantId, ruleId, before) => {
      prune.run(tenantId, ruleId, before);
    },
    claimCorrelationTick: async (tenantId, ruleId, tick, now) =>
      claimTick.run(tenantId, ruleId, tick, now).changes === 1,
    claimSuppression: async (tenantId, ruleId, key, now, until, claimant) =>
      suppress.run(tenantId, ruleId, key, until, claimant ?? null, now).changes === 1,
  };
}

export function sqliteCorrelationStore(db: SqliteDb): CorrelationStore {
  return { ...sqliteCorrelationRules(db), ...sqliteCorrelationState(db) };
}
