/**
 * The IOC upsert of SQLite (the contract's four paths, ports.ts `upsertIocs`) as steps: each step
 * writes a chunk of drafts, so a bulk write on its own connection can yield to the event loop
 * between chunks (sqlite-bulk-writes.ts) while a small one runs its steps at once.
 */
import type { IocDraft } from "../../domain/ioc/ioc-model.ts";
import { VALUE_COLUMNS, valuesOf } from "../ioc-rows.ts";
import type { UpsertOutcome, WriteContext } from "../ports.ts";
import { sqliteAuditPackOf } from "./sqlite-audit.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { IOC_RECORD_COLUMNS, iocRecordAfter } from "./sqlite-ioc-audit.ts";
import { sqliteRuleVersion } from "./sqlite-rule-version.ts";

/** Drafts written between two yields of a chunked write: a few milliseconds of work. */
export const UPSERT_CHUNK = 2_000;

const SET_VALUES = `indicator = ?, canonical = ?, type = ?, severity = ?, expiration_date = ?,
  default_expiration_enabled = ?, comment = ?, reputation = ?, reliability = ?, vendors = ?, klass = ?,
  modification_time = ?, source = ?, expiry_base = ?`;

export interface IocUpserter {
  /** Applies drafts in order inside the caller's transaction, yielding after each chunk; returns the outcomes. */
  steps(
    tenantId: number,
    drafts: readonly IocDraft[],
    ctx: WriteContext,
    chunk?: number,
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
  const columns = `tenant_id, rule_id, ${VALUE_COLUMNS}, creation_time, modification_time, source, expiry_base`;
  const insert = db.prepare(`INSERT INTO ioc_rules (${columns}) VALUES (${columns.replace(/[a-z_]+/g, "?")})`);
  const update = db.prepare(`UPDATE ioc_rules SET ${SET_VALUES} WHERE tenant_id = ? AND rule_id = ?`);
  // Only when the flag changes: an item that says "enabled" of an enabled rule is no change to audit.
  const setEnabled = db.prepare(
    "UPDATE ioc_rules SET enabled = @enabled WHERE tenant_id = @tenantId AND rule_id = @ruleId AND enabled <> @enabled",
  );

  function upsertOne(tenantId: number, draft: IocDraft, ctx: WriteContext, next: number): UpsertOutcome {
    if (draft.ruleId === undefined) {
      const before = recordOfValue.get(tenantId, draft.canonical) as unknown[] | undefined;
      if (before !== undefined) return rewrite(tenantId, before[0] as number, draft, ctx, before);
      insert.run(tenantId, next, ...valuesOf(draft, ctx.now, ctx.now, ctx.source, ctx.now));
      recordChange(tenantId, next, draft, ctx, undefined);
      return { kind: "created", ruleId: next };
    }
    const { ruleId } = draft;
    const before = recordOfId.get(tenantId, ruleId) as unknown[] | undefined;
    if (before === undefined) return { kind: "failed", reason: "rule_not_found" };
    const holder = idOfValue.get(tenantId, draft.canonical) as number | undefined;
    if (holder !== undefined && holder !== ruleId) return { kind: "failed", reason: "indicator_exists" };
    return rewrite(tenantId, ruleId, draft, ctx, before);
  }

  function rewrite(tenantId: number, ruleId: number, draft: IocDraft, ctx: WriteContext, before: unknown[]) {
    update.run(...valuesOf(draft, ctx.now, ctx.source, ctx.now, tenantId, ruleId));
    recordChange(tenantId, ruleId, draft, ctx, before);
    return { kind: "updated", ruleId } as const;
  }

  function recordChange(tenantId: number, ruleId: number, draft: IocDraft, ctx: WriteContext, before?: unknown[]) {
    const after = iocRecordAfter(ruleId, draft, ctx.source, ctx.now, before);
    pack.record(tenantId, "IOC_RULES", before ? "Edit" : "Create", ruleId, before ?? null, after);
  }

  return {
    *steps(tenantId, drafts, ctx, chunk = drafts.length) {
      let next = nextId.get(tenantId) as number;
      const outcomes: UpsertOutcome[] = [];
      for (let from = 0; from < drafts.length; from += chunk) {
        if (from > 0) yield;
        pack.recordedByStore(() => {
          for (const draft of drafts.slice(from, from + chunk)) {
            const outcome = upsertOne(tenantId, draft, ctx, next);
            if (outcome.kind === "created") next += 1;
            if (outcome.kind !== "failed" && draft.enabled !== undefined) {
              const change = { enabled: Number(draft.enabled), tenantId, ruleId: outcome.ruleId };
              pack.byTriggers(() => setEnabled.run(change));
            }
            outcomes.push(outcome);
          }
        });
      }
      saveNextId.run(next, tenantId);
      version.bump(tenantId);
      return outcomes;
    },
  };
}
