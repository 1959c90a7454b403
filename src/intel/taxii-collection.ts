/**
 * A tenant's IOC rules as one read-only TAXII 2.1 collection (TAXII 2.1 section 5): each rule is
 * an indicator whose version is the time it last changed (a write, an expiry, a deletion), which
 * is also its date_added. Pages follow (date_added, rule id), so `next` never skips or repeats a
 * rule, even when many share one millisecond.
 */
import type { IntelLink, IntelLinkStore, IocChange, IocChangeKey, IocStore } from "../storage/ports.ts";
import type { LinkedRule } from "./intel-rules.ts";
import { indicatorId, stixIndicator } from "./stix-writer.ts";
import { uuidV5 } from "./uuid-v5.ts";

export type TaxiiStore = Pick<IocStore, "iocChangePage" | "findIocs"> &
  Pick<IntelLinkStore, "intelLinksOfRules" | "findIntelLinks">;

export const TAXII_MAX_PAGE = 10_000;

export interface TaxiiQuery {
  addedAfter: number | undefined;
  limit: number;
  next: string | undefined;
  /** match[id]: only these objects. */
  ids: ReadonlySet<string> | undefined;
  /** match[type]: this collection holds indicators only. */
  types: ReadonlySet<string> | undefined;
}

export interface TaxiiEntry {
  object: Record<string, unknown>;
  dateAdded: number;
}

export interface TaxiiPage {
  entries: TaxiiEntry[];
  /** The cursor of the next page, when there is one. */
  next: string | undefined;
}

export function collectionId(tenantId: number): string {
  return uuidV5(`taxii-collection/${tenantId}/iocs`);
}

interface Cursor {
  time: number;
  ruleId: number;
  /** The moment the first page was read: later pages see the rules as they were then (expiry included). */
  now: number;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.time, cursor.ruleId, cursor.now])).toString("base64url");
}

/** Undefined when the token is not one this server made. */
export function decodeCursor(token: string): Cursor | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    if (!Array.isArray(value) || value.length !== 3 || !value.every(Number.isSafeInteger)) return undefined;
    const [time, ruleId, now] = value as [number, number, number];
    return { time, ruleId, now };
  } catch {
    return undefined;
  }
}

/** The change feed is read in batches of at most this many rows, whatever the page size. */
const BATCH = 10_000;

export async function taxiiPage(
  store: TaxiiStore,
  tenantId: number,
  query: TaxiiQuery,
  now: number,
): Promise<TaxiiPage> {
  if (query.types && !query.types.has("indicator")) return { entries: [], next: undefined };
  const cursor = query.next === undefined ? undefined : decodeCursor(query.next);
  const asOf = cursor?.now ?? now;
  let after = startAfter(query.addedAfter, cursor);
  const entries: TaxiiEntry[] = [];
  for (;;) {
    const room = Math.min(query.limit - entries.length, BATCH);
    // one row more than there is room for tells whether anything follows
    const changes = await store.iocChangePage(tenantId, after, asOf, room + 1);
    const read = changes.slice(0, room);
    const objects = await toObjects(store, tenantId, read, asOf, query.ids);
    for (const [index, object] of objects.entries()) {
      const change = read[index] as IocChange;
      if (object && (!query.ids || query.ids.has(String(object.id))))
        entries.push({ object, dateAdded: change.changeTime });
    }
    const last = read.at(-1);
    if (changes.length <= room || !last) return { entries, next: undefined };
    after = { time: last.changeTime, ruleId: last.rule.ruleId };
    // rules with no STIX form (MIXED) or not matched leave room: read on until the page is full
    if (entries.length >= query.limit) return { entries, next: encodeCursor({ ...after, now: asOf }) };
  }
}

/** Where a page starts: after added_after (every rule of that millisecond) and after the cursor. */
function startAfter(addedAfter: number | undefined, cursor: Cursor | undefined): IocChangeKey {
  const since = { time: addedAfter ?? -1, ruleId: Number.MAX_SAFE_INTEGER };
  if (!cursor || cursor.time < since.time || (cursor.time === since.time && cursor.ruleId < since.ruleId)) return since;
  return { time: cursor.time, ruleId: cursor.ruleId };
}

/**
 * The indicators of these changes, in order; undefined where a rule has no STIX form (MIXED) or
 * its id is not among `ids` (match[id]: the id is cheap, the indicator is not, so it is not built).
 */
async function toObjects(
  store: TaxiiStore,
  tenantId: number,
  changes: IocChange[],
  now: number,
  ids: ReadonlySet<string> | undefined,
) {
  const links = await store.intelLinksOfRules(
    tenantId,
    changes.map((c) => c.rule.ruleId),
  );
  const byRule = wholeObjectLinks(links);
  return changes.map((change) => {
    const linked: LinkedRule = { rule: change.rule, link: byRule.get(change.rule.ruleId) };
    if (ids && !ids.has(indicatorId(linked, tenantId))) return undefined;
    return stixIndicator(linked, {
      tenantId,
      now,
      revokeExpired: true,
      versionTime: change.changeTime,
      deleted: change.deleted,
    });
  });
}

/** Each rule's link from a whole imported object (the last listed, if several), which names its indicator. */
export function wholeObjectLinks(links: readonly IntelLink[]): Map<number, IntelLink> {
  return new Map(links.filter((l) => l.part === "").map((l) => [l.ruleId, l]));
}

/** The one object with this id (its latest version), found by reading the collection. */
export async function scannedTaxiiObject(
  store: TaxiiStore,
  tenantId: number,
  id: string,
  now: number,
): Promise<TaxiiEntry | undefined> {
  const page = await taxiiPage(
    store,
    tenantId,
    { addedAfter: undefined, limit: Number.MAX_SAFE_INTEGER, next: undefined, ids: new Set([id]), types: undefined },
    now,
  );
  return page.entries.at(-1);
}
