/**
 * Runs a tenant's enabled correlation rules: REAL_TIME rules on each ingested event, SCHEDULED
 * rules by folding events into stored aggregate states and, at each schedule tick, merging the
 * states of the window into result rows. All state lives in the store, so every node on one
 * PostgreSQL adds to the same aggregates, and a tick runs on whichever node claims it first.
 */
import type { NewAlert } from "../../domain/alerts/alert-model.ts";
import type { CorrelationRule } from "../../domain/correlations/correlation-model.ts";
import { runPerEvent } from "../../domain/correlations/correlation-plan.ts";
import { type Row, rowOf } from "../../domain/correlations/row-stages.ts";
import type { Clock } from "../../lib/clock.ts";
import type { CorrelationPartial, CorrelationStore } from "../../storage/correlation-ports.ts";
import type { AlertStore, RuleSetStore, TenantStore } from "../../storage/ports.ts";
import type { EndpointEvent } from "../event-model.ts";
import { accumulate, mergeByGroup, mergeSlots, resultRows, toPartials } from "./aggregation.ts";
import { type CompiledCorrelation, compileCorrelation } from "./compiled-correlation.ts";
import { correlationAlert, suppressionKey } from "./correlation-alert.ts";
import { type CorrelatedEvents, correlateEvents, hasRules } from "./correlation-batch.ts";
import { CorrelationIndex, pick } from "./correlation-index.ts";

/** How old a rule set ingest may use (as for IOC and BIOC rules): one store read a second at most. */
const INGEST_STALENESS_MS = 1000;

export type CorrelationEngineStore = CorrelationStore &
  Pick<RuleSetStore, "ruleSetVersion"> &
  Pick<AlertStore, "recordAlerts"> &
  Pick<TenantStore, "listTenants">;

export interface CompiledSet {
  realTime: CorrelationIndex;
  scheduled: CorrelationIndex;
}

/** What one scheduled run did. */
export interface RunReport {
  tenantId: number;
  ruleId: number;
  name: string;
  tick: number;
  windowStart: number;
  groups: number;
  rows: number;
  alerts: number;
}

/** One hit of rules/evaluate: nothing stored, no suppression. */
export interface CorrelationHit {
  /** The event's index (REAL_TIME), or -1 for a row aggregated from many events (SCHEDULED). */
  eventIndex: number;
  alert: NewAlert;
}

function compiledById(rules: CompiledSet): Map<number, CompiledCorrelation> {
  return new Map([...rules.realTime.rules, ...rules.scheduled.rules].map((c) => [c.rule.ruleId, c] as const));
}

/** A tenant's enabled rules compiled and indexed (here, and on each matching thread from the same rules). */
export function compileSet(enabled: readonly CorrelationRule[]): CompiledSet {
  const compiled = enabled.map(compileCorrelation).filter((c): c is CompiledCorrelation => c !== undefined);
  return {
    realTime: new CorrelationIndex(compiled.filter((c) => c.rule.definition.execution_mode === "REAL_TIME")),
    scheduled: new CorrelationIndex(compiled.filter((c) => c.rule.definition.execution_mode === "SCHEDULED")),
  };
}

export class CorrelationEngine {
  private readonly cache = new Map<number, { version: number; checkedAt: number; rules: CompiledSet }>();

  constructor(
    private readonly store: CorrelationEngineStore,
    private readonly clock: Clock,
  ) {}

  /**
   * The tenant's enabled rules, compiled once per rule-set version. `maxStaleMs` > 0 lets ingest
   * skip asking the store for the version that often (as IOC and BIOC ingest does): rule changes
   * then reach ingest within that time.
   */
  async rulesFor(tenantId: number, maxStaleMs = 0): Promise<CompiledSet> {
    const cached = this.cache.get(tenantId);
    const checkedAt = performance.now();
    if (cached && checkedAt - cached.checkedAt < maxStaleMs) return cached.rules;
    const version = await this.store.ruleSetVersion(tenantId);
    if (cached?.version === version) {
      cached.checkedAt = checkedAt;
      return cached.rules;
    }
    const rules = compileSet(await this.store.listEnabledCorrelations(tenantId));
    this.cache.set(tenantId, { version, checkedAt, rules });
    return rules;
  }

  /**
   * Ingested events (parsed only if the tenant has rules): REAL_TIME alerts stored, SCHEDULED
   * states appended. Answers how many alerts were raised. (Ingest over HTTP runs the rules where
   * it parses, with the matcher, and stores through storeCorrelated.)
   */
  async ingest(tenantId: number, events: () => readonly EndpointEvent[], arrived: number): Promise<number> {
    const rules = await this.rulesFor(tenantId, INGEST_STALENESS_MS);
    if (!hasRules(rules)) return 0;
    const alerts = await this.storeCorrelated(tenantId, correlateEvents(rules, events(), arrived), arrived);
    await this.store.recordAlerts(tenantId, alerts);
    return alerts.length;
  }

  /**
   * What the rules made of a batch: SCHEDULED states merged and stored, REAL_TIME rows past
   * suppression answered as alerts, for the caller to store with the batch's other alerts.
   */
  async storeCorrelated(tenantId: number, correlated: CorrelatedEvents, arrived: number): Promise<NewAlert[]> {
    const { partials, alerts } = await this.settleCorrelated(tenantId, correlated, arrived);
    await this.store.addCorrelationPartials(tenantId, partials);
    return alerts.map(({ alert }) => alert);
  }

  /**
   * What the rules made of a batch, nothing of it stored yet: SCHEDULED states merged into
   * partials, REAL_TIME rows past suppression as alerts. The batch may have run on a matching
   * thread's copy of the rules, newer than this one's: then the rules are read again; a rule gone
   * since is skipped. `keyOf` names each REAL_TIME row for good (the stream's message, rule and
   * row): its suppression claim is then its own, so the same row met again may claim it again.
   */
  async settleCorrelated(
    tenantId: number,
    correlated: CorrelatedEvents,
    arrived: number,
    keyOf?: (ruleId: number, row: number) => string,
  ): Promise<{ partials: CorrelationPartial[]; alerts: { alert: NewAlert; key?: string }[] }> {
    const used = [...correlated.realTime, ...correlated.scheduled].map((r) => r.ruleId);
    let byId = compiledById(await this.rulesFor(tenantId, INGEST_STALENESS_MS));
    if (used.some((id) => !byId.has(id))) byId = compiledById(await this.rulesFor(tenantId));
    const partials: CorrelationPartial[] = [];
    for (const { ruleId, groups } of correlated.scheduled) {
      const compiled = byId.get(ruleId);
      if (compiled) partials.push(...toPartials(ruleId, mergeSlots(compiled, groups)));
    }
    const alerts: { alert: NewAlert; key?: string }[] = [];
    for (const { ruleId, rows } of correlated.realTime) {
      const compiled = byId.get(ruleId);
      if (!compiled) continue;
      for (const [i, row] of rows.entries()) {
        const key = keyOf?.(ruleId, i);
        if (await this.admit(tenantId, compiled, row, arrived, key))
          alerts.push({ alert: correlationAlert(compiled, row, arrived), ...(key === undefined ? {} : { key }) });
      }
    }
    return { partials, alerts };
  }

  /** Suppression: the first alert of a key within the duration passes, across nodes. */
  private async admit(
    tenantId: number,
    compiled: CompiledCorrelation,
    row: Row,
    at: number,
    claimant?: string,
  ): Promise<boolean> {
    if (compiled.suppressionMs === undefined) return true;
    const key = suppressionKey(compiled, row);
    const until = at + compiled.suppressionMs;
    return this.store.claimSuppression(tenantId, compiled.rule.ruleId, key, at, until, claimant);
  }

  /** Runs every scheduled rule of the tenant whose latest tick at or before `at` has not run yet. */
  async runDue(tenantId: number, at: number): Promise<RunReport[]> {
    const reports: RunReport[] = [];
    for (const compiled of (await this.rulesFor(tenantId)).scheduled.rules) {
      const tick = compiled.latestTick(at);
      if (tick === undefined) continue;
      const claimed = await this.store.claimCorrelationTick(tenantId, compiled.rule.ruleId, tick, this.clock.now());
      if (claimed) reports.push(await this.runTick(tenantId, compiled, tick));
    }
    return reports;
  }

  async runAllTenants(at: number): Promise<RunReport[]> {
    const reports: RunReport[] = [];
    for (const tenant of await this.store.listTenants()) reports.push(...(await this.runDue(tenant.id, at)));
    return reports;
  }

  private async runTick(tenantId: number, compiled: CompiledCorrelation, tick: number): Promise<RunReport> {
    const ruleId = compiled.rule.ruleId;
    const from = tick - compiled.windowMs;
    const partials = await this.store.readCorrelationPartials(tenantId, ruleId, from, tick);
    const merged = mergeByGroup(
      compiled,
      partials.map((p) => ({ groupKey: p.groupKey, states: JSON.parse(p.state) as unknown[] })),
    );
    const rows = resultRows(compiled, merged);
    const alerts: NewAlert[] = [];
    for (const row of rows)
      if (await this.admit(tenantId, compiled, row, tick))
        alerts.push(correlationAlert(compiled, row, tick, [from, tick]));
    await this.store.recordAlerts(tenantId, alerts);
    // No later tick's window starts before this one's.
    await this.store.forgetCorrelationPartials(tenantId, ruleId, from);
    const name = compiled.rule.definition.name;
    return {
      tenantId,
      ruleId,
      name,
      tick,
      windowStart: from,
      groups: merged.size,
      rows: rows.length,
      alerts: alerts.length,
    };
  }

  /** rules/evaluate: what the rules would raise on these events, all taken as one window; nothing stored. */
  async evaluate(tenantId: number, events: readonly EndpointEvent[], now: number): Promise<CorrelationHit[]> {
    const rules = await this.rulesFor(tenantId);
    const hits: CorrelationHit[] = [];
    for (const [compiled, indexes] of rules.realTime.route(events))
      for (const eventIndex of indexes) {
        const scope = runPerEvent(compiled.plan, events[eventIndex] as EndpointEvent);
        if (scope) hits.push({ eventIndex, alert: correlationAlert(compiled, rowOf(scope), now) });
      }
    hits.sort((a, b) => a.eventIndex - b.eventIndex || a.alert.ruleId - b.alert.ruleId);
    for (const [compiled, indexes] of rules.scheduled.route(events)) {
      const groups = [...accumulate(compiled, pick(events, indexes), now).values()];
      for (const row of resultRows(compiled, mergeByGroup(compiled, groups)))
        hits.push({ eventIndex: -1, alert: correlationAlert(compiled, row, now) });
    }
    return hits;
  }
}
