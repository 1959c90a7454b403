/**
 * The IOC upsert on PostgreSQL: the tenant row is locked, the values and ids the request names
 * are read in two queries, the contract's four paths are played out in memory in request order,
 * and the result is written with one INSERT and one UPDATE over unnest()ed arrays, so 40,000
 * items cost a handful of round trips.
 */
import type pg from "pg";
import type { IocDraft } from "../../domain/ioc/ioc-model.ts";
import type { UpsertOutcome, WriteContext } from "../ports.ts";

interface Write {
  draft: IocDraft;
  isNew: boolean;
  enabled: boolean | undefined;
}

interface Plan {
  outcomes: UpsertOutcome[];
  writes: Map<number, Write>;
  next: number;
}

async function known(client: pg.PoolClient, tenantId: number, drafts: readonly IocDraft[]) {
  const values = [...new Set(drafts.map((d) => d.canonical))];
  const ids = [...new Set(drafts.flatMap((d) => (d.ruleId === undefined ? [] : [d.ruleId])))];
  const byValue = new Map<string, number>();
  const valueOfRule = new Map<number, string>();
  const add = (row: { rule_id: number; canonical: string }) => {
    byValue.set(row.canonical, row.rule_id);
    valueOfRule.set(row.rule_id, row.canonical);
  };
  const select = "SELECT rule_id, canonical FROM ioc_rules WHERE tenant_id = $1 AND";
  (await client.query(`${select} canonical = ANY($2::text[])`, [tenantId, values])).rows.forEach(add);
  if (ids.length > 0) (await client.query(`${select} rule_id = ANY($2::bigint[])`, [tenantId, ids])).rows.forEach(add);
  return { byValue, valueOfRule };
}

/** Plays the drafts in order against what the tenant holds, as the SQLite store does statement by statement. */
function plan(
  drafts: readonly IocDraft[],
  byValue: Map<string, number>,
  valueOfRule: Map<number, string>,
  next: number,
): Plan {
  const writes = new Map<number, Write>();
  const record = (ruleId: number, draft: IocDraft, isNew: boolean) => {
    writes.set(ruleId, { draft, isNew, enabled: draft.enabled ?? writes.get(ruleId)?.enabled });
    const old = valueOfRule.get(ruleId);
    if (old !== undefined && old !== draft.canonical) byValue.delete(old);
    byValue.set(draft.canonical, ruleId);
    valueOfRule.set(ruleId, draft.canonical);
  };
  const outcomes = drafts.map((draft): UpsertOutcome => {
    if (draft.ruleId === undefined) {
      const holder = byValue.get(draft.canonical);
      if (holder !== undefined) {
        record(holder, draft, writes.get(holder)?.isNew ?? false);
        return { kind: "updated", ruleId: holder };
      }
      const ruleId = next++;
      record(ruleId, draft, true);
      return { kind: "created", ruleId };
    }
    const { ruleId } = draft;
    if (!valueOfRule.has(ruleId)) return { kind: "failed", reason: "rule_not_found" };
    const holder = byValue.get(draft.canonical);
    if (holder !== undefined && holder !== ruleId) return { kind: "failed", reason: "indicator_exists" };
    record(ruleId, draft, writes.get(ruleId)?.isNew ?? false);
    return { kind: "updated", ruleId };
  });
  return { outcomes, writes, next };
}

const COLUMNS: [string, string, (w: Write, id: number, ctx: WriteContext) => unknown][] = [
  ["rule_id", "bigint", (_w, id) => id],
  ["indicator", "text", (w) => w.draft.indicator],
  ["canonical", "text", (w) => w.draft.canonical],
  ["type", "text", (w) => w.draft.type],
  ["severity", "text", (w) => w.draft.severity],
  ["expiration_date", "bigint", (w) => w.draft.expirationDate],
  ["default_expiration_enabled", "boolean", (w) => w.draft.defaultExpirationEnabled],
  ["comment", "text", (w) => w.draft.comment],
  ["reputation", "text", (w) => w.draft.reputation],
  ["reliability", "text", (w) => w.draft.reliability],
  ["vendors", "text", (w) => (w.draft.vendors === null ? null : JSON.stringify(w.draft.vendors))],
  ["klass", "text", (w) => w.draft.klass],
  ["enabled", "boolean", (w) => w.enabled ?? null],
  ["modification_time", "bigint", (_w, _id, ctx) => ctx.now],
  ["source", "text", (_w, _id, ctx) => ctx.source],
];

function arrays(rows: [number, Write][], ctx: WriteContext): unknown[][] {
  return COLUMNS.map(([, , read]) => rows.map(([id, write]) => read(write, id, ctx)));
}

const UNNEST = COLUMNS.map(([, type], i) => `$${i + 2}::${type}[]`).join(", ");
const NAMES = COLUMNS.map(([name]) => name).join(", ");

async function insertNew(client: pg.PoolClient, tenantId: number, rows: [number, Write][], ctx: WriteContext) {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO ioc_rules (tenant_id, ${NAMES}, creation_time, expiry_base)
     SELECT $1, rule_id, indicator, canonical, type, severity, expiration_date, default_expiration_enabled, comment,
       reputation, reliability, vendors::jsonb, klass, COALESCE(enabled, TRUE), modification_time, source,
       modification_time, modification_time
     FROM unnest(${UNNEST}) AS v(${NAMES})`,
    [tenantId, ...arrays(rows, ctx)],
  );
}

async function updateExisting(client: pg.PoolClient, tenantId: number, rows: [number, Write][], ctx: WriteContext) {
  if (rows.length === 0) return;
  await client.query(
    `UPDATE ioc_rules AS r SET indicator = v.indicator, canonical = v.canonical, type = v.type, severity = v.severity,
       expiration_date = v.expiration_date, default_expiration_enabled = v.default_expiration_enabled,
       comment = v.comment, reputation = v.reputation, reliability = v.reliability, vendors = v.vendors::jsonb,
       klass = v.klass, enabled = COALESCE(v.enabled, r.enabled), modification_time = v.modification_time,
       source = v.source, expiry_base = v.modification_time
     FROM unnest(${UNNEST}) AS v(${NAMES})
     WHERE r.tenant_id = $1 AND r.rule_id = v.rule_id`,
    [tenantId, ...arrays(rows, ctx)],
  );
}

/** Runs inside the caller's transaction. */
export async function upsertIocsPg(
  client: pg.PoolClient,
  tenantId: number,
  drafts: readonly IocDraft[],
  ctx: WriteContext,
): Promise<UpsertOutcome[]> {
  const locked = await client.query<{ next: number }>(
    "SELECT next_ioc_rule_id AS next FROM tenants WHERE id = $1 FOR UPDATE",
    [tenantId],
  );
  const { byValue, valueOfRule } = await known(client, tenantId, drafts);
  const result = plan(drafts, byValue, valueOfRule, locked.rows[0]?.next ?? 1);
  const rows = [...result.writes.entries()];
  await insertNew(
    client,
    tenantId,
    rows.filter(([, w]) => w.isNew),
    ctx,
  );
  await updateExisting(
    client,
    tenantId,
    rows.filter(([, w]) => !w.isNew),
    ctx,
  );
  await client.query("UPDATE tenants SET next_ioc_rule_id = $2, rules_version = rules_version + 1 WHERE id = $1", [
    tenantId,
    result.next,
  ]);
  return result.outcomes;
}
