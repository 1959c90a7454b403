/**
 * Which rule a derived indicator id names. A rule written here (not imported whole) is served
 * under `indicator--` + uuidV5 of its tenant and rule id (stix-writer.ts `indicatorId`), which
 * cannot be reversed; so `objects/<id>/` read the tenant's whole change feed to find one object:
 * 1.5 s a request on a 100,000-rule tenant. Rule ids are handed out 1, 2, 3... per tenant, so
 * this hashes each id once (about 3 µs each, in turns) and keeps, per tenant, a hash table from
 * the first 32 bits of each derived id to its rule id (open addressing in two typed arrays, about
 * 16 bytes a rule). Two rules may share those bits; the caller checks the whole id of what it is
 * given.
 */
import { nextTurn } from "../lib/next-turn.ts";
import { uuidV5 } from "./uuid-v5.ts";

/** Ids hashed between two turns of the event loop: about 15 ms of work. */
const HASHED_PER_TURN = 5_000;

/** Grows the table once it is this full: probes stay short. */
const MAX_LOAD = 0.6;

/** One tenant's table: slot i holds a rule id (0: empty) and the bits its derived id is filed under. */
class TenantIds {
  /** Rule ids 1..covered are in the table. */
  covered = 0;
  private size = 0;
  private keys = new Int32Array(1024);
  private ruleIds = new Int32Array(1024);

  add(key: number, ruleId: number): void {
    if (this.size + 1 > this.ruleIds.length * MAX_LOAD) this.grow();
    this.place(key, ruleId);
    this.size++;
  }

  /** Every rule id filed under `key`. */
  find(key: number): number[] {
    const found: number[] = [];
    const mask = this.ruleIds.length - 1;
    for (let slot = key & mask; this.ruleIds[slot] !== 0; slot = (slot + 1) & mask)
      if (this.keys[slot] === key) found.push(this.ruleIds[slot] as number);
    return found;
  }

  private place(key: number, ruleId: number): void {
    const mask = this.ruleIds.length - 1;
    let slot = key & mask;
    while (this.ruleIds[slot] !== 0) slot = (slot + 1) & mask;
    this.keys[slot] = key;
    this.ruleIds[slot] = ruleId;
  }

  private grow(): void {
    const { keys, ruleIds } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.ruleIds = new Int32Array(ruleIds.length * 2);
    for (let slot = 0; slot < ruleIds.length; slot++)
      if (ruleIds[slot] !== 0) this.place(keys[slot] as number, ruleIds[slot] as number);
  }
}

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
  private readonly extending = new Map<number, Promise<void>>();

  /** The rule ids (up to `highestRuleId`) whose derived id may be `indicatorId`; usually one, or none. */
  async candidates(tenantId: number, indicatorId: string, highestRuleId: number): Promise<number[]> {
    const ids = await this.covering(tenantId, highestRuleId);
    return ids.find(keyOf(indicatorId));
  }

  private async covering(tenantId: number, highestRuleId: number): Promise<TenantIds> {
    let ids = this.tenants.get(tenantId);
    if (!ids) {
      ids = new TenantIds();
      this.tenants.set(tenantId, ids);
    }
    while (ids.covered < highestRuleId) {
      const running = this.extending.get(tenantId);
      if (running) await running;
      else {
        const extension = extend(tenantId, ids, highestRuleId).finally(() => this.extending.delete(tenantId));
        this.extending.set(tenantId, extension);
        await extension;
      }
    }
    return ids;
  }
}

/** Files the derived ids of rules covered+1..upTo, a turn of the event loop every HASHED_PER_TURN. */
async function extend(tenantId: number, ids: TenantIds, upTo: number): Promise<void> {
  while (ids.covered < upTo) {
    const ruleId = ids.covered + 1;
    ids.add(keyOf(derivedIndicatorId(tenantId, ruleId)), ruleId);
    ids.covered = ruleId;
    if (ruleId % HASHED_PER_TURN === 0) await nextTurn();
  }
}
