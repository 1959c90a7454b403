/**
 * The rule changes of one audited write, collected from the triggers (migrations 9 and 17) and
 * stored as one audit row per tenant and entity before the transaction commits. One row instead of
 * one per rule is what lets a 40,000-rule insert cost close to the insert alone. A batch of new
 * rules is described by SQL reading the rows back (`writeNow`), never as records in JavaScript.
 */
import type { ChangeContext } from "../../domain/audit/audit-model.ts";
import type { SqliteDb } from "./sqlite-database.ts";

/** One change as the trigger gives it: before and after are JSON text, or null. */
type Collected = [action: string, target: string | number, before: string | null, after: string | null];

/**
 * A record made only when the pack is written, by JSON.stringify calling its `toJSON`: a bulk
 * write's 40,000 records held until then were work for every garbage collection meanwhile (the
 * drafts they are made from are held anyway). An object rather than a closure: under tsx each
 * closure made per rule also cost a `__name` property definition (~4% of a 40,000-rule insert).
 */
export interface LateRecord {
  toJSON(): unknown[];
}

/** A record as the store gives it: a positional array, or one made when the pack is written. */
export type StoreRecord = unknown[] | null | LateRecord;

/** One change as the store describes it, kept as such until the pack is written. */
export interface Recorded {
  action: string;
  target: string;
  before: unknown[] | null;
  after: StoreRecord;
}

type Change = Collected | Recorded;

interface Group {
  tenantId: number;
  entity: string;
  changes: Change[];
}

export interface AuditPack {
  /** What the rule triggers do now: 1 collect each change with its records, 2 leave it to the store. */
  mode(): 1 | 2;
  /** A change handed over by a trigger, with its records as JSON text. */
  collect(tenantId: number, entity: string, ...change: Collected): void;
  /**
   * Runs `work`, which records each rule change it makes itself (`record`), with the triggers doing
   * nothing: SQLite building each record as JSON was most of a bulk insert's audit cost. SQLite's
   * count of the rows changed meanwhile (total_changes(), trigger programs included) must equal
   * the changes recorded plus those the triggers collected; otherwise it throws, so the
   * transaction rolls back rather than commit a change unlogged.
   */
  recordedByStore<T>(work: () => T): T;
  /** Runs `work` with the triggers collecting again (a change the store does not describe itself). */
  byTriggers<T>(work: () => T): T;
  /** A change described by the store: records as positional arrays (audit-rows.ts, FIELD_ORDER). */
  record(
    tenantId: number,
    entity: string,
    action: string,
    target: number,
    before: unknown[] | null,
    after: StoreRecord,
  ): void;
  /**
   * Changes already in the database that `write` describes itself, with SQL that reads them back
   * and stores their audit rows at once (as a batch of new rules: no record built in JavaScript).
   * What was collected before them is written first, so the log keeps the order of the changes.
   * `count` is how many changes `write` describes, in the one audit row it inserts.
   */
  writeNow(ctx: ChangeContext, count: number, write: (who: AuditWho) => void): void;
  /** Writes what was collected under `ctx`, inside the transaction in progress, and starts afresh. */
  flush(ctx: ChangeContext): void;
  /** Forgets what was collected (the transaction is rolling back). */
  clear(): void;
}

/** The columns `at, actor, address` of an audit row. */
export type AuditWho = readonly [at: number, actor: string, address: string | null];

const whoOf = (ctx: ChangeContext): AuditWho => [ctx.now, ctx.actor.name, ctx.actor.address];

/** `{"action":..,"target":..,"before":..,"after":..}`, a collected change's records already being JSON. */
function collectedJson([action, target, before, after]: Collected): string {
  return `{"action":${JSON.stringify(action)},"target":${JSON.stringify(String(target))},"before":${before ?? "null"},"after":${after ?? "null"}}`;
}

/**
 * The `items` of a packed row. A run of changes the store recorded is written with one
 * JSON.stringify: one call per record (and another per item) cost a bulk insert twice as much.
 */
function itemsJson(changes: readonly Change[]): string {
  const parts: string[] = [];
  let run: Recorded[] = [];
  const endRun = () => {
    if (run.length > 0) parts.push(JSON.stringify(run).slice(1, -1));
    run = [];
  };
  for (const change of changes) {
    if (Array.isArray(change)) {
      endRun();
      parts.push(collectedJson(change));
    } else run.push(change);
  }
  endRun();
  return `[${parts.join(",")}]`;
}

/** A single change's action, target and records as the columns of a row of its own. */
function singleColumns(change: Change): [string, string, string | null, string | null] {
  if (Array.isArray(change)) return [change[0], String(change[1]), change[2], change[3]];
  const { action, target, before, after } = change;
  return [action, target, before && JSON.stringify(before), after && JSON.stringify(after)];
}

export function sqliteAuditPack(db: SqliteDb): AuditPack {
  let groups = new Map<string, Group>();
  // a write's changes mostly come in long runs of one tenant and entity
  let last: Group | undefined;
  let recording = false;
  // changes described since the pack was cleared: by the store (record, writeNow) and by triggers (collect)
  let described = 0;
  // audit rows this pack wrote: SQLite counts them among the changes, and they describe none
  let auditRows = 0;
  const add = (tenantId: number, entity: string, change: Change) => {
    if (last?.tenantId !== tenantId || last.entity !== entity) {
      const key = `${tenantId}:${entity}`;
      last = groups.get(key);
      if (!last) {
        last = { tenantId, entity, changes: [] };
        groups.set(key, last);
      }
    }
    last.changes.push(change);
  };
  const switched = <T>(to: boolean, work: () => T): T => {
    const was = recording;
    recording = to;
    try {
      return work();
    } finally {
      recording = was;
    }
  };
  const columns = "tenant_id, at, actor, address, entity, action, target";
  // prepared at the first write: the functions that feed the pack exist before the schema does
  const statements = lazy(() => ({
    totalChanges: db.prepare("SELECT total_changes()").pluck(),
    single: db.prepare(`INSERT INTO audit_log (${columns}, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    // a packed row's own action and target say what it is; readers see its items (audit_entries)
    packed: db.prepare(
      `INSERT INTO audit_log (${columns}, items, items_count) VALUES (?, ?, ?, ?, ?, 'Batch', ?, ?, ?)`,
    ),
  }));
  const flush = (ctx: ChangeContext) => {
    if (groups.size === 0) return;
    const { single, packed } = statements();
    const who = whoOf(ctx);
    for (const { tenantId, entity, changes } of groups.values()) {
      const [first] = changes;
      const count = changes.length;
      if (count === 1 && first) single.run(tenantId, ...who, entity, ...singleColumns(first));
      else packed.run(tenantId, ...who, entity, `${count} rules`, itemsJson(changes), count);
      auditRows += 1;
    }
    groups = new Map();
    last = undefined;
  };
  return {
    mode: () => (recording ? 2 : 1),
    collect(tenantId, entity, ...change) {
      described += 1;
      add(tenantId, entity, change);
    },
    record(tenantId, entity, action, target, before, after) {
      described += 1;
      add(tenantId, entity, { action, target: String(target), before, after });
    },
    writeNow(ctx, count, write) {
      if (count === 0) return;
      flush(ctx);
      write(whoOf(ctx));
      auditRows += 1;
      described += count;
    },
    recordedByStore(work) {
      const { totalChanges } = statements();
      const [changesBefore, describedBefore, auditRowsBefore] = [totalChanges.get() as number, described, auditRows];
      const result = switched(true, work);
      const made = (totalChanges.get() as number) - changesBefore - (auditRows - auditRowsBefore);
      const recorded = described - describedBefore;
      if (made !== recorded) throw new Error(`audit: ${made} rows changed but ${recorded} changes recorded`);
      return result;
    },
    byTriggers: (work) => switched(false, work),
    flush,
    clear() {
      groups = new Map();
      last = undefined;
      recording = false;
      described = 0;
      auditRows = 0;
    },
  };
}

function lazy<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
}
