/**
 * Correlation rules over a file of events (`warden scan`): nothing stored, no suppression.
 * REAL_TIME rules hit per line; SCHEDULED rules aggregate in memory and, at the end, report the
 * rows of each tumbling window of `search_window` (by event time) that has events.
 */
import type { AggregateState } from "../../domain/correlations/aggregates.ts";
import { runPerEvent } from "../../domain/correlations/correlation-plan.ts";
import { rowOf } from "../../domain/correlations/row-stages.ts";
import type { EndpointEvent } from "../event-model.ts";
import type { RuleHit } from "../rule-hit.ts";
import { accumulate, type GroupState, mergeByGroup, resultRows } from "./aggregation.ts";
import type { CompiledCorrelation } from "./compiled-correlation.ts";
import { correlationAlert } from "./correlation-alert.ts";
import type { CompiledSet } from "./correlation-engine.ts";
import { pick } from "./correlation-index.ts";

export interface WindowHit {
  windowStart: number;
  windowEnd: number;
  hit: RuleHit;
}

function hitOf(compiled: CompiledCorrelation, row: Record<string, unknown>, at: number): RuleHit {
  const { source, ruleId, name, severity, field, value } = correlationAlert(compiled, row, at);
  return { source, ruleId, name, severity, field, value };
}

export class OfflineCorrelations {
  private readonly states = new Map<CompiledCorrelation, Map<string, GroupState>>();

  constructor(
    private readonly rules: CompiledSet,
    private readonly startedAt: number,
  ) {}

  get size(): number {
    return this.rules.realTime.rules.length + this.rules.scheduled.rules.length;
  }

  /** Lines of NDJSON from `firstLine`: REAL_TIME hits by line; SCHEDULED rules fold the events in. */
  add(lines: readonly string[], firstLine: number): { line: number; hit: RuleHit }[] {
    if (this.size === 0) return [];
    const events: { line: number; event: EndpointEvent }[] = [];
    lines.forEach((text, i) => {
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value === "object" && value !== null && !Array.isArray(value))
          events.push({ line: firstLine + i, event: value as EndpointEvent });
      } catch {
        // the matcher reports malformed lines
      }
    });
    const hits: { line: number; hit: RuleHit }[] = [];
    const plain = events.map((e) => e.event);
    for (const [compiled, indexes] of this.rules.realTime.route(plain))
      for (const index of indexes) {
        const { line, event } = events[index] as { line: number; event: EndpointEvent };
        const scope = runPerEvent(compiled.plan, event);
        if (scope) hits.push({ line, hit: hitOf(compiled, rowOf(scope), this.startedAt) });
      }
    hits.sort((a, b) => a.line - b.line || a.hit.ruleId - b.hit.ruleId);
    for (const [compiled, indexes] of this.rules.scheduled.route(plain))
      this.states.set(compiled, accumulate(compiled, pick(plain, indexes), this.startedAt, this.states.get(compiled)));
    return hits;
  }

  /** Each window's result rows, window by window in time order. */
  finish(): WindowHit[] {
    const hits: WindowHit[] = [];
    for (const [compiled, groups] of this.states) {
      const windowMs = Math.max(compiled.windowMs, compiled.bucketMs);
      const windows = new Map<number, { groupKey: string; states: AggregateState[] }[]>();
      for (const group of groups.values()) {
        const start = Math.floor(group.bucket / windowMs) * windowMs;
        const list = windows.get(start);
        if (list) list.push(group);
        else windows.set(start, [group]);
      }
      for (const start of [...windows.keys()].sort((a, b) => a - b)) {
        const rows = resultRows(compiled, mergeByGroup(compiled, windows.get(start) ?? []));
        for (const row of rows)
          hits.push({ windowStart: start, windowEnd: start + windowMs, hit: hitOf(compiled, row, start + windowMs) });
      }
    }
    return hits;
  }
}
