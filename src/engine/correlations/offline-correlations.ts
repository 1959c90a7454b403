/**
 * Correlation rules over a file of events (`warden scan`): nothing stored, no suppression.
 * REAL_TIME rules hit per line; SCHEDULED rules aggregate in memory and, at the end, report the
 * rows of each tumbling window of `search_window` (by event time) that has events. The rules run
 * where each piece of the file is parsed (the matching threads, correlation-batch.ts); this joins
 * what they made of the pieces, taken in file order.
 */
import type { AggregateState } from "../../domain/correlations/aggregates.ts";
import type { RuleHit } from "../rule-hit.ts";
import { foldSlots, type GroupState, mergeByGroup, resultRows } from "./aggregation.ts";
import type { CompiledCorrelation } from "./compiled-correlation.ts";
import { correlationAlert } from "./correlation-alert.ts";
import type { CorrelatedEvents } from "./correlation-batch.ts";
import type { CompiledSet } from "./correlation-engine.ts";

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
  private readonly byId: Map<number, CompiledCorrelation>;

  /** `startedAt`: when the events arrived, as the pieces were told (the time of events without one). */
  constructor(
    private readonly rules: CompiledSet,
    private readonly startedAt: number,
  ) {
    this.byId = new Map([...rules.realTime.rules, ...rules.scheduled.rules].map((c) => [c.rule.ruleId, c] as const));
  }

  get size(): number {
    return this.rules.realTime.rules.length + this.rules.scheduled.rules.length;
  }

  /**
   * What the rules made of the next piece (run with the rows' lines): its REAL_TIME hits by line,
   * and its SCHEDULED groups folded into those of the pieces before. A rule this set lacks (the
   * threads read the rules a moment later, and one was added in between) is left out.
   */
  add(correlated: CorrelatedEvents | undefined): { line: number; hit: RuleHit }[] {
    if (!correlated) return [];
    const hits: { line: number; hit: RuleHit }[] = [];
    for (const { ruleId, rows, lines } of correlated.realTime) {
      const compiled = this.byId.get(ruleId);
      if (!compiled) continue;
      if (lines?.length !== rows.length) throw new Error("correlation rows came back without their lines");
      for (const [i, row] of rows.entries())
        hits.push({ line: lines[i] as number, hit: hitOf(compiled, row, this.startedAt) });
    }
    hits.sort((a, b) => a.line - b.line || a.hit.ruleId - b.hit.ruleId);
    for (const { ruleId, groups } of correlated.scheduled) {
      const compiled = this.byId.get(ruleId);
      if (compiled) this.states.set(compiled, foldSlots(compiled, groups, this.states.get(compiled)));
    }
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
