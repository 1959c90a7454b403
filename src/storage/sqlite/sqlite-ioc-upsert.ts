/**
 * The IOC upsert of SQLite (the contract's four paths, ports.ts `upsertIocs`) as steps: a bulk
 * write on its own connection yields to the event loop between steps (sqlite-bulk-writes.ts)
 * while a small one runs its steps at once. Drafts go in batches: one query reads the rules the
 * batch names by value (the audit's "before"), new rules go in with multi-row INSERTs, and the
 * few drafts that need the rules as the batch left them (a value twice, a rule named by id, a
 * state to set) are written one by one (issue 13).
 */
import type { IocDraft } from "../../domain/ioc/ioc-model.ts";
import { DETAIL_COLUMNS, pushDetailsOf, pushValuesOf, VALUE_COLUMNS, valuesOf } from "../ioc-rows.ts";
import type { UpsertOutcome, WriteContext } from "../ports.ts";
import { sqliteAuditPackOf } from "./sqlite-audit.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { IOC_RECORD_COLUMNS, IocRecordAfter, iocCreatedAudit } from "./sqlite-ioc-audit.ts";
import { insertUnlessTaken, MAX_ROWS_AT_ONCE, multiRowInsert } from "./sqlite-multi-row-insert.ts";
import { sqliteRuleVersion } from "./sqlite-rule-version.ts";

/** Drafts planned together: one all-or-nothing INSERT, or one lookup and then multi-row INSERTs. */
const BATCH = MAX_ROWS_AT_ONCE;

/** A stepped write yields once a step has run this long: short next to a health check's 200 ms budget, even on a loaded machine. */
export const STEP_MS = 15;

/** Rows a chunked delete removes between two yields. */
export const DELETE_CHUNK = 2_000;

const SET_VALUES = `indicator = ?, canonical = ?, type = ?, severity = ?, expiration_date = ?,
  default_expiration_enabled = ?, comment = ?, reputation = ?, reliability = ?, vendors = ?, klass = ?,
  modification_time = ?, source = ?, expiry_base = ?`;

/**
 * SET_VALUES without the two indexed columns, for a rule that keeps its value and type (an update
 * by value nearly always does): SQLite rewrites the entries of every index whose column an UPDATE
 * sets, changed or not, so setting them cost two index deletes and inserts per rule (issue 13).
 */
const SET_UNINDEXED_VALUES = `indicator = ?, severity = ?, ${DETAIL_COLUMNS.split(", ")
  .map((column) => `${column} = ?`)
  .join(", ")}, modification_time = ?, source = ?, expiry_base = ?`;

/** Where a stored record (IOC_RECORD_COLUMNS) holds the value's type. */
const RECORD_TYPE = 2;

const INSERT_COLUMNS = [
  "tenant_id",
  "rule_id",
  ...VALUE_COLUMNS.split(", "),
  "creation_time",
  "modification_time",
  "source",
  "expiry_base",
];

/**
 * Whether the next batch is tried as all new values (one INSERT, no lookup), as a big insert of a
 * new feed is; a batch that had stored values makes the following ones look theirs up first.
 */
interface Guess {
  allNew: boolean;
}

export interface IocUpserter {
  /** Applies drafts in order inside the caller's transaction, yielding after each step of `stepMs`; returns the outcomes. */
  steps(
    tenantId: number,
    drafts: readonly IocDraft[],
    ctx: WriteContext,
    stepMs?: number,
  ): Generator<void, UpsertOutcome[]>;
}

/** Runs every step at once (a write that need not yield). */
export function drain<R>(steps: Generator<void, R>): R {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export function sqliteIocUpserter(db: SqliteDb): IocUpserter {
  const version = sqliteRuleVersion(db);
  const pack = sqliteAuditPackOf(db);
  const createdAudit = iocCreatedAudit(db);
  const nextId = db.prepare("SELECT next_ioc_rule_id FROM tenants WHERE id = ?").pluck();
  const saveNextId = db.prepare("UPDATE tenants SET next_ioc_rule_id = ? WHERE id = ?");
  const idOfValue = db.prepare("SELECT rule_id FROM ioc_rules WHERE tenant_id = ? AND canonical = ?").pluck();
  // the rule as it was, for the audit record of the change (an upsert would return only the new row)
  const recordOfValue = db
    .prepare(`SELECT ${IOC_RECORD_COLUMNS} FROM ioc_rules WHERE tenant_id = ? AND canonical = ?`)
    .raw();
  const recordOfId = db
    .prepare(`SELECT ${IOC_RECORD_COLUMNS} FROM ioc_rules WHERE tenant_id = ? AND rule_id = ?`)
    .raw();
  // The rule was read first, so each write is a plain INSERT or UPDATE: cheaper than an upsert
  // with RETURNING, and the transaction holds the write lock throughout.
  const recordsOfValues = db
    .prepare(
      `SELECT canonical, ${IOC_RECORD_COLUMNS} FROM ioc_rules
       WHERE tenant_id = ? AND canonical IN (SELECT value FROM json_each(?))`,
    )
    .raw();
  const insert = db.prepare(
    `INSERT INTO ioc_rules (${INSERT_COLUMNS.join(", ")}) VALUES (${INSERT_COLUMNS.map(() => "?").join(", ")})`,
  );
  const insertMany = multiRowInsert(db, "ioc_rules", INSERT_COLUMNS);
  const insertAllNew = insertUnlessTaken(db, "ioc_rules", {
    shared: ["tenant_id", "creation_time", "modification_time", "source", "expiry_base"],
    perRow: ["rule_id", ...VALUE_COLUMNS.split(", ")],
  });
  const update = db.prepare(`UPDATE ioc_rules SET ${SET_VALUES} WHERE tenant_id = ? AND rule_id = ?`);
  const updateUnindexed = db.prepare(
    `UPDATE ioc_rules SET ${SET_UNINDEXED_VALUES} WHERE tenant_id = ? AND rule_id = ?`,
  );
  // Only when the flag changes: an item that says "enabled" of an enabled rule is no change to audit.
  const setEnabled = db.prepare(
    "UPDATE ioc_rules SET enabled = @enabled WHERE tenant_id = @tenantId AND rule_id = @ruleId AND enabled <> @enabled",
  );

  function upsertOne(tenantId: number, draft: IocDraft, ctx: WriteContext, next: number): UpsertOutcome {
    if (draft.ruleId === undefined) {
      const before = recordOfValue.get(tenantId, draft.canonical) as unknown[] | undefined;
      if (before !== undefined) return rewrite(tenantId, before[0] as number, draft, ctx, before, true);
      insert.run(tenantId, next, ...valuesOf(draft, ctx.now, ctx.now, ctx.source, ctx.now));
      recordChange(tenantId, next, draft, ctx, undefined);
      return { kind: "created", ruleId: next };
    }
    const { ruleId } = draft;
    const before = recordOfId.get(tenantId, ruleId) as unknown[] | undefined;
    if (before === undefined) return { kind: "failed", reason: "rule_not_found" };
    const holder = idOfValue.get(tenantId, draft.canonical) as number | undefined;
    if (holder !== undefined && holder !== ruleId) return { kind: "failed", reason: "indicator_exists" };
    return rewrite(tenantId, ruleId, draft, ctx, before, holder === ruleId);
  }

  /** `sameValue`: the rule holds the draft's canonical value already (it was found by it). */
  function rewrite(
    tenantId: number,
    ruleId: number,
    draft: IocDraft,
    ctx: WriteContext,
    before: unknown[],
    sameValue: boolean,
  ) {
    if (sameValue && before[RECORD_TYPE] === draft.type) {
      const values: unknown[] = [draft.indicator, draft.severity];
      pushDetailsOf(values, draft);
      updateUnindexed.run(...values, ctx.now, ctx.source, ctx.now, tenantId, ruleId);
    } else update.run(...valuesOf(draft, ctx.now, ctx.source, ctx.now, tenantId, ruleId));
    recordChange(tenantId, ruleId, draft, ctx, before);
    return { kind: "updated", ruleId } as const;
  }

  function recordChange(tenantId: number, ruleId: number, draft: IocDraft, ctx: WriteContext, before?: unknown[]) {
    const after = new IocRecordAfter(ruleId, draft, ctx.source, ctx.now, before);
    pack.record(tenantId, "IOC_RULES", before ? "Edit" : "Create", ruleId, before ?? null, after);
  }

  /** What each draft's value names now, read in one query: canonical -> the rule's record. */
  function recordsByValue(tenantId: number, batch: readonly IocDraft[]): Map<string, unknown[]> {
    const rows = recordsOfValues.all(tenantId, JSON.stringify(batch.map((d) => d.canonical))) as unknown[][];
    return new Map(rows.map((row) => [row[0] as string, row.slice(1)]));
  }

  /** Sets a rule's enabled flag when the draft gives one; the triggers describe that change. */
  function applyEnabled(tenantId: number, draft: IocDraft, outcome: UpsertOutcome): void {
    if (outcome.kind === "failed" || draft.enabled === undefined) return;
    const change = { enabled: Number(draft.enabled), tenantId, ruleId: outcome.ruleId };
    pack.byTriggers(() => setEnabled.run(change));
  }

  /**
   * A batch of new values, each new rule created in one statement without looking them up first;
   * false when a value was taken (in the store, or twice in the batch), and then nothing was written.
   */
  function createAll(
    tenantId: number,
    batch: readonly IocDraft[],
    ctx: WriteContext,
    first: number,
    outcomes: UpsertOutcome[],
  ): boolean {
    const values: unknown[] = [];
    batch.forEach((draft, i) => {
      values.push(first + i);
      pushValuesOf(values, draft);
    });
    if (!insertAllNew([tenantId, ctx.now, ctx.now, ctx.source, ctx.now], values)) return false;
    pack.writeNow(ctx, batch.length, (who) => createdAudit(tenantId, who, first, batch.length));
    for (let i = 0; i < batch.length; i++) outcomes.push({ kind: "created", ruleId: first + i });
    return true;
  }

  /** One batch, in order; returns the next free rule id. */
  function writeBatch(
    tenantId: number,
    batch: readonly IocDraft[],
    ctx: WriteContext,
    first: number,
    outcomes: UpsertOutcome[],
    guess: Guess,
  ): number {
    let next = first;
    const one = (draft: IocDraft) => {
      const outcome = upsertOne(tenantId, draft, ctx, next);
      if (outcome.kind === "created") next += 1;
      applyEnabled(tenantId, draft, outcome);
      outcomes.push(outcome);
    };
    // a rule named by id may change what a value names: the batch is written as it reads
    if (batch.some((d) => d.ruleId !== undefined)) {
      for (const draft of batch) one(draft);
      return next;
    }
    // a new rule is created enabled, so only a draft that disables one needs more than the insert
    const creatable = batch.every((d) => d.enabled !== false);
    if (guess.allNew && creatable && createAll(tenantId, batch, ctx, first, outcomes)) return first + batch.length;
    const found = recordsByValue(tenantId, batch);
    // once a batch's values turn out all new, the next batch is tried as new again
    guess.allNew = found.size === 0;
    const seen = new Set<string>();
    let fresh: unknown[] = [];
    const insertFresh = () => {
      if (fresh.length > 0) insertMany(fresh);
      fresh = [];
    };
    for (const draft of batch) {
      const before = found.get(draft.canonical);
      // a value met again, or a state to set on a rule, needs the rows as the batch left them
      if (seen.has(draft.canonical) || (draft.enabled !== undefined && (before || !draft.enabled))) {
        insertFresh();
        one(draft);
      } else if (before) outcomes.push(rewrite(tenantId, before[0] as number, draft, ctx, before, true));
      else {
        fresh.push(tenantId, next, ...valuesOf(draft, ctx.now, ctx.now, ctx.source, ctx.now));
        recordChange(tenantId, next, draft, ctx, undefined);
        outcomes.push({ kind: "created", ruleId: next });
        next += 1;
      }
      seen.add(draft.canonical);
    }
    insertFresh();
    return next;
  }

  return {
    *steps(tenantId, drafts, ctx, stepMs = Number.POSITIVE_INFINITY) {
      let next = nextId.get(tenantId) as number;
      const outcomes: UpsertOutcome[] = [];
      const guess: Guess = { allNew: true };
      let stepStarted = performance.now();
      for (let from = 0; from < drafts.length; from += BATCH) {
        if (from > 0 && performance.now() - stepStarted >= stepMs) {
          yield;
          stepStarted = performance.now();
        }
        const batch = drafts.slice(from, from + BATCH);
        next = pack.recordedByStore(() => writeBatch(tenantId, batch, ctx, next, outcomes, guess));
      }
      saveNextId.run(next, tenantId);
      version.bump(tenantId);
      return outcomes;
    },
  };
}
