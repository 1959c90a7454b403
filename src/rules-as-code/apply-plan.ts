/**
 * Carries out a plan through the SDK, in batches. Every batch is an upsert (IOCs by value, named
 * rules by the rule id the plan found), so an apply cut short can be rerun: the new plan holds
 * only what is still missing.
 */
import type { WardenClient } from "../../packages/sdk/src/index.ts";
import type { Change, Plan } from "./plan.ts";
import { apiPath, type KindName } from "./rule-kinds.ts";

const API: Record<KindName, string> = { ioc: "indicators", bioc: "bioc", correlation: "correlations" };
const BATCH: Record<KindName, number> = { ioc: 2_000, bioc: 200, correlation: 100 };
const DELETE_BATCH = 1_000;

export interface ApplyResult {
  done: number;
  /** One line per item the server refused, with where the rule is in the repository. */
  failures: string[];
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function insertItem(change: Change): Record<string, unknown> {
  const { rule_id: _ignored, ...fields } = change.fields ?? {};
  // IOCs upsert by value; named rules are overwritten by the id the plan matched them to.
  return change.action === "update" && change.kind !== "ioc" ? { ...fields, rule_id: change.ruleId } : fields;
}

async function insertBatch(client: WardenClient, kind: KindName, batch: Change[], result: ApplyResult): Promise<void> {
  const { status, body } = await client.raw(apiPath(API[kind], "insert"), batch.map(insertItem));
  if (status !== 200) {
    result.failures.push(`${kind} insert failed with HTTP ${status}: ${JSON.stringify(body)}`);
    return;
  }
  for (const error of (body as { errors?: { index: number; status: string }[] }).errors ?? []) {
    const change = batch[error.index];
    const where = change?.at ? `${change.at.file}:${change.at.line}:${change.at.column}` : kind;
    result.failures.push(`${where}: ${error.status}`);
  }
  result.done += batch.length;
}

async function deleteBatch(client: WardenClient, kind: KindName, batch: Change[], result: ApplyResult): Promise<void> {
  const ids = batch.map((change) => change.ruleId);
  const filters = [{ field: "rule_id", operator: "IN", value: ids }];
  const { status, body } = await client.raw(apiPath(API[kind], "delete"), { filters });
  if (status === 200) result.done += batch.length;
  else result.failures.push(`${kind} delete failed with HTTP ${status}: ${JSON.stringify(body)}`);
}

export async function applyPlan(
  client: WardenClient,
  plan: Plan,
  progress: (done: number) => void = () => {},
): Promise<ApplyResult> {
  const result: ApplyResult = { done: 0, failures: [] };
  for (const kind of Object.keys(API) as KindName[]) {
    const writes = plan.changes.filter((c) => c.kind === kind && c.action !== "delete");
    for (const batch of batches(writes, BATCH[kind])) {
      await insertBatch(client, kind, batch, result);
      progress(result.done);
    }
  }
  // Deletes last, so a rule renamed in the repository exists under its new name before the old goes.
  for (const kind of Object.keys(API) as KindName[]) {
    const deletes = plan.changes.filter((c) => c.kind === kind && c.action === "delete");
    for (const batch of batches(deletes, DELETE_BATCH)) {
      await deleteBatch(client, kind, batch, result);
      progress(result.done);
    }
  }
  return result;
}
