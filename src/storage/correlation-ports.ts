/**
 * What correlation rules need of a store: the rules (upsert by rule id, names unique in the
 * tenant), and the state their execution keeps, shared by every node on the same store.
 */
import type { ChangeContext } from "../domain/audit/audit-model.ts";
import type { CorrelationDraft, CorrelationRule } from "../domain/correlations/correlation-model.ts";
import type { RuleFilter, RulePage } from "../domain/filters/filter-model.ts";
import type { RulePageResult, UpsertOutcome, WriteContext } from "./ports.ts";

/** One batch's aggregate states for one rule, time bucket and group key. */
export interface CorrelationPartial {
  ruleId: number;
  /** Start of the time bucket, epoch ms. */
  bucket: number;
  /** The group-by values, as JSON text. */
  groupKey: string;
  /** The aggregate states, as JSON text. */
  state: string;
}

/** The rules themselves. */
export interface CorrelationRuleStore {
  /**
   * In request order, in one transaction. Without a rule id: creates a rule unless the name is
   * taken (`name_exists`). With a rule id: overwrites that rule of this tenant (keeping its
   * insert time and hits), or creates it under that id when the tenant has none (docs/correlations.md);
   * `name_exists` when another rule holds the name. A changed query forgets the rule's state.
   */
  upsertCorrelations(
    tenantId: number,
    drafts: readonly CorrelationDraft[],
    ctx: WriteContext,
  ): Promise<UpsertOutcome[]>;
  findCorrelations(
    tenantId: number,
    filters: readonly RuleFilter[],
    page: RulePage,
  ): Promise<RulePageResult<CorrelationRule>>;
  /** Deletes the matching rules and their state; answers their ids ascending. */
  deleteCorrelations(tenantId: number, filters: readonly RuleFilter[], ctx: ChangeContext): Promise<number[]>;
  /** The tenant's enabled rules, by rule id. */
  listEnabledCorrelations(tenantId: number): Promise<CorrelationRule[]>;
}

/** What the rules leave between batches and ticks: partial states, claimed ticks, suppressions. */
export interface CorrelationStateStore {
  addCorrelationPartials(tenantId: number, partials: readonly CorrelationPartial[]): Promise<void>;
  /** Partials of buckets in [from, to). */
  readCorrelationPartials(tenantId: number, ruleId: number, from: number, to: number): Promise<CorrelationPartial[]>;
  /** Drops partials of buckets before `before` (no window can reach them any more). */
  forgetCorrelationPartials(tenantId: number, ruleId: number, before: number): Promise<void>;
  /** True for exactly one caller per (rule, tick), across every node on the store. */
  claimCorrelationTick(tenantId: number, ruleId: number, tick: number, now: number): Promise<boolean>;
  /**
   * True when no suppression of this key is in force at `now`; then one is, until `until`.
   * Atomic: of two nodes asking at once, one is told true. A `claimant` (a stream alert's key) is
   * told true again while the suppression it claimed is in force: the same alert, redelivered.
   */
  claimSuppression(
    tenantId: number,
    ruleId: number,
    key: string,
    now: number,
    until: number,
    claimant?: string,
  ): Promise<boolean>;
}

export interface CorrelationStore extends CorrelationRuleStore, CorrelationStateStore {}
