/** A stored correlation rule made ready to run: its query planned, its window, buckets and schedule read. */
import type { CorrelationRule } from "../../domain/correlations/correlation-model.ts";
import { type CorrelationPlan, planCorrelation } from "../../domain/correlations/correlation-plan.ts";
import { parseDuration } from "../../domain/correlations/durations.ts";
import { type LatestTick, scheduleOf } from "./schedule.ts";

export interface CompiledCorrelation {
  rule: CorrelationRule;
  plan: CorrelationPlan;
  /** SCHEDULED rules: how far back each run looks. */
  windowMs: number;
  /** Width of the time buckets aggregate states are kept in. */
  bucketMs: number;
  /** When suppression is on: how long one alert silences its key. */
  suppressionMs: number | undefined;
  latestTick: LatestTick;
}

/**
 * A window is summed from whole buckets: one minute wide (ten for windows of a day or more),
 * a tenth of windows under ten minutes. Ticks on whole minutes then cut windows on bucket edges.
 */
export function bucketWidth(windowMs: number): number {
  if (windowMs >= 86_400_000) return 600_000;
  if (windowMs >= 600_000) return 60_000;
  return Math.max(1000, Math.floor(windowMs / 10_000) * 1000);
}

/** Undefined for a rule whose query no longer plans (it cannot be stored so; it is skipped, not fatal). */
export function compileCorrelation(rule: CorrelationRule): CompiledCorrelation | undefined {
  const d = rule.definition;
  const plan = planCorrelation(d.xql_query, d.execution_mode);
  if (!plan.ok) return undefined;
  const windowMs = d.search_window === null ? 0 : (parseDuration(d.search_window) ?? 0);
  return {
    rule,
    plan: plan.value,
    windowMs,
    bucketMs: bucketWidth(windowMs),
    suppressionMs:
      d.suppression_enabled && d.suppression_duration !== null ? parseDuration(d.suppression_duration) : undefined,
    latestTick: scheduleOf(d.simple_schedule, d.crontab, d.timezone),
  };
}
