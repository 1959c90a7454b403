import { ITEMS_PER_TURN, nextTurn } from "../../lib/next-turn.ts";
import type { UpsertOutcome } from "../../storage/ports.ts";

/** The answer of a bulk insert (spec/API.md 4.1): each item lands in exactly one list. */
export interface InsertReport {
  added_objects: { id: number; status: string }[];
  updated_objects: { id: number; status: string }[];
  errors: { index: number; status: string }[];
}

export function emptyReport(): InsertReport {
  return { added_objects: [], updated_objects: [], errors: [] };
}

/** How each rule kind words its outcomes. */
export interface OutcomeTexts {
  created(ruleId: number): string;
  updated(ruleId: number, index: number): string;
  failed(reason: string): string;
  storeFailure(reason: Extract<UpsertOutcome, { kind: "failed" }>["reason"], index: number): string;
}

/** Merges store outcomes (for the items that passed checks) with the items that did not. */
export function buildReport(
  itemCount: number,
  rejected: ReadonlyMap<number, string>,
  stored: readonly UpsertOutcome[],
  texts: OutcomeTexts,
): InsertReport {
  const report = emptyReport();
  let next = 0;
  for (let index = 0; index < itemCount; index++) {
    const reason = rejected.get(index);
    if (reason !== undefined) {
      report.errors.push({ index, status: texts.failed(reason) });
      continue;
    }
    const outcome = stored[next++] as UpsertOutcome;
    if (outcome.kind === "created")
      report.added_objects.push({ id: outcome.ruleId, status: texts.created(outcome.ruleId) });
    else if (outcome.kind === "updated") {
      report.updated_objects.push({ id: outcome.ruleId, status: texts.updated(outcome.ruleId, index) });
    } else report.errors.push({ index, status: texts.failed(texts.storeFailure(outcome.reason, index)) });
  }
  return report;
}

/** Parses every item; the good ones go on as drafts, the bad ones are kept by index with their reason. */
export function splitItems<D>(
  items: readonly unknown[],
  parse: (item: unknown) => { ok: true; value: D } | { ok: false; error: string },
): { drafts: D[]; rejected: Map<number, string> } {
  const drafts: D[] = [];
  const rejected = new Map<number, string>();
  for (const [index, item] of items.entries()) {
    const parsed = parse(item);
    if (parsed.ok) drafts.push(parsed.value);
    else rejected.set(index, parsed.error);
  }
  return { drafts, rejected };
}

/**
 * splitItems for a body of any size: between every ITEMS_PER_TURN items it lets the event loop
 * answer other requests, so checking 100,000 items does not hold them (issue 18, item 8).
 */
export async function splitItemsInTurns<D>(
  items: readonly unknown[],
  parse: (item: unknown) => { ok: true; value: D } | { ok: false; error: string },
): Promise<{ drafts: D[]; rejected: Map<number, string> }> {
  const drafts: D[] = [];
  const rejected = new Map<number, string>();
  for (let index = 0; index < items.length; index++) {
    if (index > 0 && index % ITEMS_PER_TURN === 0) await nextTurn();
    const parsed = parse(items[index]);
    if (parsed.ok) drafts.push(parsed.value);
    else rejected.set(index, parsed.error);
  }
  return { drafts, rejected };
}
