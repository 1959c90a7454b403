/**
 * Applies what a reader made of a file to a tenant's rules, through the same bulk upsert as
 * `indicators/insert` (so the audit log records every change), in chunks so a progress bar moves.
 * Each object keeps its link to the rule it made: an unchanged object writes nothing, a changed one
 * overwrites its rule in place, a revoked or deleted one deletes it.
 */
import type { IocDraft } from "../domain/ioc/ioc-model.ts";
import type { IntelLink, IntelLinkStore, IocStore, WriteContext } from "../storage/ports.ts";
import { intelFingerprint } from "./intel-fingerprint.ts";
import type { ImportSummary, IntelBatch, IntelRecord, IntelRuleRecord } from "./intel-model.ts";

export type IntelImportStore = Pick<IocStore, "upsertIocs" | "deleteIocs"> & IntelLinkStore;

const CHUNK = 10_000;

type LiveLink = IntelLink & { live: boolean };

/** Told of each rule an object made or kept: `ref` is the object (and `#part`), as in `rejected`. */
export type OnRule = (ref: string, ruleId: number, outcome: "created" | "updated" | "unchanged") => void;

const refOf = (record: IntelRuleRecord) =>
  record.part === "" ? record.externalId : `${record.externalId}#${record.part}`;

export async function importIntel(
  store: IntelImportStore,
  tenantId: number,
  batch: IntelBatch,
  ctx: WriteContext,
  onProgress: (done: number, total: number) => void = () => {},
  onRule: OnRule = () => {},
): Promise<ImportSummary> {
  const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, deleted: 0, rejected: [...batch.rejected] };
  const objects = groupByObject(batch.records);
  for (let start = 0; start < objects.length; start += CHUNK) {
    const chunk = objects.slice(start, start + CHUNK);
    await importChunk(store, tenantId, chunk, ctx, summary, onRule);
    onProgress(Math.min(start + CHUNK, objects.length), objects.length);
  }
  return summary;
}

/** One entry per object; when an object appears twice (several files, versions), the later wins. */
function groupByObject(records: readonly IntelRecord[]): IntelRecord[][] {
  const byObject = new Map<string, IntelRecord[]>();
  let previous: string | undefined;
  for (const record of records) {
    // the parts of one object arrive together; a repeat of the object starts its list afresh
    if (record.externalId !== previous) byObject.delete(record.externalId);
    byObject.set(record.externalId, [...(byObject.get(record.externalId) ?? []), record]);
    previous = record.externalId;
  }
  return [...byObject.values()];
}

interface ChunkPlan {
  drafts: IocDraft[];
  /** The link each draft will make, in draft order. */
  pending: { record: IntelRuleRecord; fingerprint: string }[];
  /** Rules to delete, and the links that go with them. */
  doomed: IntelLink[];
  /**
   * Rules to delete whose links stay: those of an object the source revoked or deleted whole. Like
   * a rule deleted through the API, the rule still reads as that object (TAXII serves it revoked
   * under the object's own id), and a later import of the object makes it again.
   */
  retired: IntelLink[];
}

async function importChunk(
  store: IntelImportStore,
  tenantId: number,
  objects: IntelRecord[][],
  ctx: WriteContext,
  summary: ImportSummary,
  onRule: OnRule,
): Promise<void> {
  const ids = objects.map((records) => (records[0] as IntelRecord).externalId);
  const links = groupLinks(await store.findIntelLinks(tenantId, ids));
  const plan: ChunkPlan = { drafts: [], pending: [], doomed: [], retired: [] };
  for (const records of objects)
    planObject(records, links.get((records[0] as IntelRecord).externalId) ?? [], plan, summary, onRule);
  await applyPlan(store, tenantId, plan, ctx, summary, onRule);
}

function groupLinks(links: LiveLink[]): Map<string, LiveLink[]> {
  const grouped = new Map<string, LiveLink[]>();
  for (const link of links) grouped.set(link.externalId, [...(grouped.get(link.externalId) ?? []), link]);
  return grouped;
}

function planObject(
  records: IntelRecord[],
  links: LiveLink[],
  plan: ChunkPlan,
  summary: ImportSummary,
  onRule: OnRule,
): void {
  const rules = records.filter((r): r is IntelRuleRecord => r.kind === "rule");
  const parts = new Set(rules.map((r) => r.part));
  // a deleted object takes all its rules; an updated one those of parts it no longer has
  const gone = rules.length === 0 ? plan.retired : plan.doomed;
  for (const link of links) if (!parts.has(link.part)) gone.push(link);
  for (const record of rules) {
    const link = links.find((l) => l.part === record.part);
    const fingerprint = intelFingerprint(record.draft);
    if (link?.live && link.fingerprint === fingerprint) {
      summary.unchanged += 1;
      onRule(refOf(record), link.ruleId, "unchanged");
      continue;
    }
    // overwrite the linked rule in place, so a changed value moves the rule instead of adding one
    plan.drafts.push(link?.live ? { ...record.draft, ruleId: link.ruleId } : record.draft);
    plan.pending.push({ record, fingerprint });
  }
}

async function applyPlan(
  store: IntelImportStore,
  tenantId: number,
  plan: ChunkPlan,
  ctx: WriteContext,
  summary: ImportSummary,
  onRule: OnRule,
): Promise<void> {
  const kept = await upsertPlan(store, tenantId, plan, ctx, summary, onRule);
  // a rule another part of the object (or another object) now holds stays; only the link goes
  await deleteDoomed(store, tenantId, plan, kept, ctx, summary);
}

/** Writes the drafts and their links (one transaction); answers the rules they hold. */
async function upsertPlan(
  store: IntelImportStore,
  tenantId: number,
  plan: ChunkPlan,
  ctx: WriteContext,
  summary: ImportSummary,
  onRule: OnRule,
): Promise<Set<number>> {
  const saved: IntelLink[] = [];
  if (plan.drafts.length > 0) {
    // the links go in the upsert's own transaction: a crash cannot leave a rule without its link
    const links = plan.pending.map(({ record, fingerprint }) => ({
      externalId: record.externalId,
      part: record.part,
      fingerprint,
    }));
    const outcomes = await store.upsertIocs(tenantId, plan.drafts, { ...ctx, links });
    for (const [index, outcome] of outcomes.entries()) {
      const { record, fingerprint } = plan.pending[index] as ChunkPlan["pending"][number];
      if (outcome.kind === "failed") {
        const ref = refOf(record);
        const why = outcome.reason === "indicator_exists" ? "another rule holds that value" : "its rule is gone";
        summary.rejected.push({ ref, reason: `not updated: ${why}` });
        continue;
      }
      summary[outcome.kind] += 1;
      onRule(refOf(record), outcome.ruleId, outcome.kind);
      saved.push({ externalId: record.externalId, part: record.part, ruleId: outcome.ruleId, fingerprint });
    }
  }
  return new Set(saved.map((link) => link.ruleId));
}

async function deleteDoomed(
  store: IntelImportStore,
  tenantId: number,
  plan: ChunkPlan,
  kept: ReadonlySet<number>,
  ctx: WriteContext,
  summary: ImportSummary,
): Promise<void> {
  const gone = [...plan.doomed, ...plan.retired];
  if (gone.length === 0) return;
  const ruleIds = [...new Set(gone.map((link) => link.ruleId))].filter((id) => !kept.has(id));
  if (ruleIds.length > 0) {
    const filter = { field: "rule_id", operator: "IN" as const, values: ruleIds };
    summary.deleted += (await store.deleteIocs(tenantId, [filter], ctx)).length;
  }
  const unlinked = [...plan.doomed, ...plan.retired.filter((link) => kept.has(link.ruleId))];
  if (unlinked.length > 0) await store.removeIntelLinks(tenantId, unlinked);
}
