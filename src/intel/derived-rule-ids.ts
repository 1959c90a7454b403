/**
 * Which rule a derived indicator id names. A rule written here (not imported whole) is served
 * under `indicator--` + uuidV5 of its tenant and rule id (stix-writer.ts `indicatorId`), which
 * cannot be reversed; so `objects/<id>/` read the tenant's whole change feed to find one object:
 * 1.5 s a request on a 100,000-rule tenant. Rule ids are handed out 1, 2, 3... per tenant, so
 * this hashes each id once (about 3 µs each, in turns) and keeps, per tenant, the first 32 bits
 * of every derived id sorted beside its rule id: 8 bytes a rule, looked up by binary search.
 * Two rules may share those bits; the caller checks the whole id of what it is given.
 */
import { nextTurn } from "../lib/next-turn.ts";
import { uuidV5 } from "./uuid-v5.ts";

/** Ids hashed between two turns of the event loop: about 15 ms of work. */
const HASHED_PER_TURN = 5_000;

interface TenantIds {
  /** Rule ids 1..covered are in `keys`. */
  covered: number;
  /** The first 32 bits of each derived id (as a signed integer), ascending. */
  keys: Int32Array;
  /** The rule id beside each key. */
  ruleIds: Int32Array;
}

const EMPTY: TenantIds = { covered: 0, keys: new Int32Array(0), ruleIds: new Int32Array(0) };

/** The id `indicatorId` derives for a rule that no whole imported object names. */
export function derivedIndicatorId(tenantId: number, ruleId: number): string {
  return `indicator--${uuidV5(`ioc-rule/${tenantId}/${ruleId}`)}`;
}

/** The bits an id is filed under: its UUID's first eight hex digits. */
function keyOf(indicatorId: string): number {
  return Number.parseInt(indicatorId.slice("indicator--".length, "indicator--".length + 8), 16) | 0;
}

export class DerivedRuleIds {
  private readonly tenants = new Map<number, TenantIds>();
  /** One extension at a time per tenant: a second caller waits for the first. */
  private readonly extending = new Map<number, Promise<TenantIds>>();

  /** The rule ids (up to `highestRuleId`) whose derived id may be `indicatorId`; usually one, or none. */
  async candidates(tenantId: number, indicatorId: string, highestRuleId: number): Promise<number[]> {
    const ids = await this.covering(tenantId, highestRuleId);
    const key = keyOf(indicatorId);
    const found: number[] = [];
    for (let i = lowerBound(ids.keys, key); i < ids.keys.length && ids.keys[i] === key; i++)
      found.push(ids.ruleIds[i] as number);
    return found;
  }

  private async covering(tenantId: number, highestRuleId: number): Promise<TenantIds> {
    for (;;) {
      const held = this.tenants.get(tenantId) ?? EMPTY;
      if (held.covered >= highestRuleId) return held;
      const running = this.extending.get(tenantId);
      if (running) {
        await running;
        continue;
      }
      const extension = extended(tenantId, held, highestRuleId).finally(() => this.extending.delete(tenantId));
      this.extending.set(tenantId, extension);
      this.tenants.set(tenantId, await extension);
    }
  }
}

/** `held` with the derived ids of rules covered+1..upTo merged in. */
async function extended(tenantId: number, held: TenantIds, upTo: number): Promise<TenantIds> {
  const added: [number, number][] = [];
  for (let ruleId = held.covered + 1; ruleId <= upTo; ruleId++) {
    added.push([keyOf(derivedIndicatorId(tenantId, ruleId)), ruleId]);
    if (added.length % HASHED_PER_TURN === 0) await nextTurn();
  }
  added.sort((a, b) => a[0] - b[0]);
  const size = held.keys.length + added.length;
  const keys = new Int32Array(size);
  const ruleIds = new Int32Array(size);
  let old = 0;
  let fresh = 0;
  for (let at = 0; at < size; at++) {
    const next = added[fresh];
    if (next && (old >= held.keys.length || next[0] < (held.keys[old] as number))) {
      [keys[at], ruleIds[at]] = next;
      fresh++;
    } else {
      keys[at] = held.keys[old] as number;
      ruleIds[at] = held.ruleIds[old] as number;
      old++;
    }
  }
  return { covered: upTo, keys, ruleIds };
}

/** The first place in ascending `keys` whose key is not below `key`. */
function lowerBound(keys: Int32Array, key: number): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((keys[middle] as number) < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
