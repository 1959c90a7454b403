/**
 * The rule changes of one audited write, collected from the triggers (migration 9) and stored
 * as one audit row per tenant and entity before the transaction commits. One row instead of one
 * per rule is what lets a 40,000-rule insert cost close to the insert alone.
 */
import type { ChangeContext } from "../../domain/audit/audit-model.ts";
import type { SqliteDb } from "./sqlite-database.ts";

/** One change as the trigger gives it: before and after are JSON text, or null. */
type Change = [action: string, target: string | number, before: string | null, after: string | null];

interface Group {
  tenantId: number;
  entity: string;
  changes: Change[];
}

export interface AuditPack {
  /** What the rule triggers do now: 1 collect each change with its records, 2 only count it. */
  mode(): 1 | 2;
  /** A change handed over by a trigger, with its records as JSON text. */
  collect(tenantId: number, entity: string, ...change: Change): void;
  /** Counts a change a trigger saw while the store records its changes itself (mode 2). */
  seen(): void;
  /**
   * Runs `work`, which records each rule change it makes itself (`record`), with the triggers only
   * counting them: SQLite building each record as JSON was most of a bulk insert's audit cost.
   * A change made but not recorded throws, so the transaction rolls back rather than commit it unlogged.
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
    after: unknown[] | null,
  ): void;
  /** Writes what was collected under `ctx`, inside the transaction in progress, and starts afresh. */
  flush(ctx: ChangeContext): void;
  /** Forgets what was collected (the transaction is rolling back). */
  clear(): void;
}

/** `{"action":..,"target":..,"before":..,"after":..}` joined as text: the records already are JSON. */
function itemsJson(changes: Change[]): string {
  const items = changes.map(
    ([action, target, before, after]) =>
      `{"action":${JSON.stringify(action)},"target":${JSON.stringify(String(target))},"before":${before ?? "null"},"after":${after ?? "null"}}`,
  );
  return `[${items.join(",")}]`;
}

export function sqliteAuditPack(db: SqliteDb): AuditPack {
  let groups = new Map<string, Group>();
  let recording = false;
  let seen = 0;
  let recorded = 0;
  const add = (tenantId: number, entity: string, change: Change) => {
    const key = `${tenantId}:${entity}`;
    let group = groups.get(key);
    if (!group) {
      group = { tenantId, entity, changes: [] };
      groups.set(key, group);
    }
    group.changes.push(change);
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
    single: db.prepare(`INSERT INTO audit_log (${columns}, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    // a packed row's own action and target say what it is; readers see its items (audit_entries)
    packed: db.prepare(
      `INSERT INTO audit_log (${columns}, items, items_count) VALUES (?, ?, ?, ?, ?, 'Batch', ?, ?, ?)`,
    ),
  }));
  return {
    mode: () => (recording ? 2 : 1),
    collect(tenantId, entity, ...change) {
      add(tenantId, entity, change);
    },
    seen() {
      seen += 1;
    },
    record(tenantId, entity, action, target, before, after) {
      recorded += 1;
      add(tenantId, entity, [action, target, before && JSON.stringify(before), after && JSON.stringify(after)]);
    },
    recordedByStore(work) {
      [seen, recorded] = [0, 0];
      const result = switched(true, work);
      if (seen !== recorded) throw new Error(`audit: ${seen} rule changes made but ${recorded} recorded`);
      return result;
    },
    byTriggers: (work) => switched(false, work),
    flush(ctx) {
      if (groups.size === 0) return;
      const { single, packed } = statements();
      const who = [ctx.now, ctx.actor.name, ctx.actor.address] as const;
      for (const { tenantId, entity, changes } of groups.values()) {
        const [first] = changes;
        if (changes.length === 1 && first)
          single.run(tenantId, ...who, entity, first[0], String(first[1]), first[2], first[3]);
        else packed.run(tenantId, ...who, entity, `${changes.length} rules`, itemsJson(changes), changes.length);
      }
      groups = new Map();
    },
    clear() {
      groups = new Map();
      recording = false;
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
