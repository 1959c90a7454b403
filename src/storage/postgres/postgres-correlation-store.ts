import type pg from "pg";
import type { CorrelationDraft, CorrelationRule } from "../../domain/correlations/correlation-model.ts";
import type { CorrelationPartial, CorrelationStateStore, CorrelationStore } from "../correlation-ports.ts";
import { correlationFilterColumns } from "../filter-columns.ts";
import type { UpsertOutcome, WriteContext } from "../ports.ts";
import { orderBy, POSTGRES_FILTERS, whereClause } from "../sql-filters.ts";
import { auditedTransaction } from "./postgres-audit.ts";
import { transaction } from "./postgres-database.ts";

const FILTER_COLUMNS = correlationFilterColumns({
  json: (f) => `(definition->>'${f}')`,
  jsonBool: (f) => `(definition->>'${f}')::boolean`,
  jsonArray: (f) => `COALESCE(NULLIF(definition->'${f}', 'null'::jsonb), '[]'::jsonb)`,
});

const SELECT = `SELECT rule_id AS "ruleId", definition, created_by AS "createdBy", insert_time AS "insertTime",
  modify_time AS "modifyTime", hits FROM correlation_rules`;

const columnsOf = (d: CorrelationDraft) => [
  d.definition.name,
  d.definition.severity,
  d.definition.is_enabled,
  d.definition.execution_mode,
  JSON.stringify(d.definition),
];

async function forget(client: pg.PoolClient, tenantId: number, ruleId: number, everything: boolean) {
  const tables = everything
    ? ["correlation_partials", "correlation_suppressions", "correlation_runs"]
    : ["correlation_partials"];
  for (const table of tables)
    await client.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND rule_id = $2`, [tenantId, ruleId]);
}

async function upsertOne(
  client: pg.PoolClient,
  tenantId: number,
  draft: CorrelationDraft,
  ctx: WriteContext,
  next: number,
): Promise<UpsertOutcome> {
  const holder = await client.query<{ id: number }>(
    "SELECT rule_id AS id FROM correlation_rules WHERE tenant_id = $1 AND name = $2",
    [tenantId, draft.definition.name],
  );
  const held = holder.rows[0]?.id;
  if (held !== undefined && held !== draft.ruleId) return { kind: "failed", reason: "name_exists" };
  const id = draft.ruleId ?? next;
  const old = await client.query<{ q: string }>(
    "SELECT definition->>'xql_query' AS q FROM correlation_rules WHERE tenant_id = $1 AND rule_id = $2 FOR UPDATE",
    [tenantId, id],
  );
  const oldQuery = old.rows[0]?.q;
  if (old.rowCount === 0) {
    await client.query(
      `INSERT INTO correlation_rules (tenant_id, rule_id, name, severity, is_enabled, execution_mode, definition,
         created_by, insert_time, modify_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
      [tenantId, id, ...columnsOf(draft), ctx.source, ctx.now],
    );
    return { kind: "created", ruleId: id };
  }
  await client.query(
    `UPDATE correlation_rules SET name = $3, severity = $4, is_enabled = $5, execution_mode = $6, definition = $7,
       created_by = $8, modify_time = $9 WHERE tenant_id = $1 AND rule_id = $2`,
    [tenantId, id, ...columnsOf(draft), ctx.source, ctx.now],
  );
  if (oldQuery !== draft.definition.xql_query) await forget(client, tenantId, id, false);
  return { kind: "updated", ruleId: id };
}

function postgresCorrelationRules(pool: pg.Pool) {
  return {
    upsertCorrelations: (tenantId: number, drafts: readonly CorrelationDraft[], ctx: WriteContext) =>
      auditedTransaction(pool, ctx, async (client) => {
        const locked = await client.query<{ next: number }>(
          "SELECT next_correlation_rule_id AS next FROM tenants WHERE id = $1 FOR UPDATE",
          [tenantId],
        );
        let next = locked.rows[0]?.next ?? 1;
        const outcomes: UpsertOutcome[] = [];
        for (const draft of drafts) {
          const outcome = await upsertOne(client, tenantId, draft, ctx, next);
          if (outcome.kind === "created") next = Math.max(next, outcome.ruleId + 1);
          outcomes.push(outcome);
        }
        await client.query(
          "UPDATE tenants SET next_correlation_rule_id = $2, rules_version = rules_version + 1 WHERE id = $1",
          [tenantId, next],
        );
        return outcomes;
      }),

    findCorrelations: (tenantId: number, filters: Parameters<CorrelationStore["findCorrelations"]>[1], page) =>
      transaction(pool, async (client) => {
        const where = whereClause(filters, FILTER_COLUMNS, POSTGRES_FILTERS, 2);
        const params = [tenantId, ...where.params];
        const count = await client.query<{ n: number }>(
          `SELECT count(*)::bigint AS n FROM correlation_rules WHERE tenant_id = $1 AND ${where.sql}`,
          params,
        );
        const rows = await client.query<CorrelationRule>(
          `${SELECT} WHERE tenant_id = $1 AND ${where.sql} ORDER BY ${orderBy(page.sort, FILTER_COLUMNS, "rule_id")} LIMIT ${page.to - page.from} OFFSET ${page.from}`,
          params,
        );
        return { total: count.rows[0]?.n ?? 0, rules: rows.rows };
      }),

    deleteCorrelations: (tenantId: number, filters: Parameters<CorrelationStore["deleteCorrelations"]>[1], ctx) =>
      auditedTransaction(pool, ctx, async (client) => {
        const where = whereClause(filters, FILTER_COLUMNS, POSTGRES_FILTERS, 2);
        const { rows } = await client.query<{ rule_id: number }>(
          `DELETE FROM correlation_rules WHERE tenant_id = $1 AND ${where.sql} RETURNING rule_id`,
          [tenantId, ...where.params],
        );
        for (const row of rows) await forget(client, tenantId, row.rule_id, true);
        if (rows.length > 0)
          await client.query("UPDATE tenants SET rules_version = rules_version + 1 WHERE id = $1", [tenantId]);
        return rows.map((row) => row.rule_id).sort((a, b) => a - b);
      }),

    listEnabledCorrelations: async (tenantId: number) =>
      (await pool.query<CorrelationRule>(`${SELECT} WHERE tenant_id = $1 AND is_enabled ORDER BY rule_id`, [tenantId]))
        .rows,
  } satisfies Pick<
    CorrelationStore,
    "upsertCorrelations" | "findCorrelations" | "deleteCorrelations" | "listEnabledCorrelations"
  >;
}

/** One INSERT for all of `partials`, on the pool or inside a transaction's client. */
export async function insertCorrelationPartials(
  db: pg.Pool | pg.PoolClient,
  tenantId: number,
  partials: readonly CorrelationPartial[],
): Promise<void> {
  if (partials.length === 0) return;
  await db.query(
    `INSERT INTO correlation_partials (tenant_id, rule_id, bucket, group_key, state)
     SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[])`,
    [
      tenantId,
      partials.map((p) => p.ruleId),
      partials.map((p) => p.bucket),
      partials.map((p) => p.groupKey),
      partials.map((p) => p.state),
    ],
  );
}

function postgresCorrelationState(pool: pg.Pool): CorrelationStateStore {
  return {
    addCorrelationPartials: (tenantId, partials) => insertCorrelationPartials(pool, tenantId, partials),
    readCorrelationPartials: async (tenantId, ruleId, from, to) =>
      (
        await pool.query<CorrelationPartial>(
          `SELECT rule_id AS "ruleId", bucket, group_key AS "groupKey", state FROM correlation_partials
           WHERE tenant_id = $1 AND rule_id = $2 AND bucket >= $3 AND bucket < $4`,
          [tenantId, ruleId, from, to],
        )
      ).rows,
    forgetCorrelationPartials: async (tenantId, ruleId, before) => {
      await pool.query("DELETE FROM correlation_partials WHERE tenant_id = $1 AND rule_id = $2 AND bucket < $3", [
        tenantId,
        ruleId,
        before,
      ]);
    },
    claimCorrelationTick: async (tenantId, ruleId, tick, now) =>
      (
        await pool.query(
          "INSERT INTO correlation_runs (tenant_id, rule_id, tick, ran_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
          [tenantId, ruleId, tick, now],
        )
      ).rowCount === 1,
    claimSuppression: async (tenantId, ruleId, key, now, until, claimant) =>
      (
        await pool.query(
          `INSERT INTO correlation_suppressions (tenant_id, rule_id, suppression_key, until, claimant) VALUES ($1, $2, $3, $4, $6)
           ON CONFLICT (tenant_id, rule_id, suppression_key) DO UPDATE SET until = excluded.until, claimant = excluded.claimant
           WHERE correlation_suppressions.until <= $5 OR correlation_suppressions.claimant = excluded.claimant`,
          [tenantId, ruleId, key, until, now, claimant ?? null],
        )
      ).rowCount === 1,
  };
}

export function postgresCorrelationStore(pool: pg.Pool): CorrelationStore {
  return { ...postgresCorrelationRules(pool), ...postgresCorrelationState(pool) };
}
