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

/** The list of an insert answer an item lands in. */
export type ReportList = keyof InsertReport;

/** Takes one worded entry: `key` is the rule id (added, updated) or the item's index (errors). */
export type EntrySink = (list: ReportList, key: number, status: string) => void;

/**
 * An insert's outcomes before they are worded: a small answer becomes an InsertReport, a large one
 * is written as JSON text straight from these (http/wire/insert-report-wire.ts), without 40,000
 * entry objects and their texts held until then, each copied by the garbage collector (issue 13).
 */
export class InsertOutcomes {
  constructor(
    readonly itemCount: number,
    private readonly rejected: ReadonlyMap<number, string>,
    private readonly stored: readonly UpsertOutcome[],
    private readonly texts: OutcomeTexts,
  ) {}

  /** A walk over the items in order, wording `count` of them a call; answers whether items remain. */
  wording(): (count: number, sink: EntrySink) => boolean {
    const { rejected, stored, texts, itemCount } = this;
    let index = 0;
    let next = 0;
    return (count, sink) => {
      for (const end = Math.min(itemCount, index + count); index < end; index++) {
        const reason = rejected.get(index);
        if (reason !== undefined) {
          sink("errors", index, texts.failed(reason));
          continue;
        }
        const outcome = stored[next++] as UpsertOutcome;
        if (outcome.kind === "created") sink("added_objects", outcome.ruleId, texts.created(outcome.ruleId));
        else if (outcome.kind === "updated")
          sink("updated_objects", outcome.ruleId, texts.updated(outcome.ruleId, index));
        else sink("errors", index, texts.failed(texts.storeFailure(outcome.reason, index)));
      }
      return index < itemCount;
    };
  }

  report(): InsertReport {
    const report = emptyReport();
    this.wording()(this.itemCount, (list, key, status) => {
      if (list === "errors") report.errors.push({ index: key, status });
      else report[list].push({ id: key, status });
    });
    return report;
  }

  /** How many items were refused, and the first one's status (the refusal audit's reason). */
  refusals(): { count: number; first: string | undefined } {
    let count = 0;
    let first: string | undefined;
    this.wording()(this.itemCount, (list, _key, status) => {
      if (list !== "errors") return;
      count += 1;
      first ??= status;
    });
    return { count, first };
  }
}

/** Merges store outcomes (for the items that passed checks) with the items that did not. */
export function buildReport(
  itemCount: number,
  rejected: ReadonlyMap<number, string>,
  stored: readonly UpsertOutcome[],
  texts: OutcomeTexts,
): InsertReport {
  return new InsertOutcomes(itemCount, rejected, stored, texts).report();
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
