/**
 * What correlation rules make of one piece of an ingested body, computed where the piece is parsed
 * (on a matching thread, beside the IOC and BIOC matcher) so the body is parsed once: each
 * REAL_TIME rule's matching rows, and each SCHEDULED rule's folded group states. The caller joins
 * the pieces in body order and stores the result (CorrelationEngine.storeCorrelated).
 */

import { runPerEvent } from "../../domain/correlations/correlation-plan.ts";
import type { Row } from "../../domain/correlations/row-stages.ts";
import { rowOf } from "../../domain/correlations/row-stages.ts";
import type { EndpointEvent } from "../event-model.ts";
import { accumulate, type GroupState } from "./aggregation.ts";
import type { CompiledSet } from "./correlation-engine.ts";
import { pick } from "./correlation-index.ts";

export interface CorrelatedEvents {
  /**
   * REAL_TIME rules in the order the events first reached them, each with its rows in event order
   * and, when the caller gave the events' lines (scan reports hits by line), each row's line beside
   * it; ingest gives none, so its messages from the workers carry no more than the rows.
   */
  realTime: { ruleId: number; rows: Row[]; lines?: number[] }[];
  /** SCHEDULED rules in the same order, each with its states in the order their groups first came. */
  scheduled: { ruleId: number; groups: GroupState[] }[];
}

export function hasRules(rules: CompiledSet): boolean {
  return rules.realTime.rules.length > 0 || rules.scheduled.rules.length > 0;
}

/** Runs the rules on a run of consecutive events (`lines`, if given, numbers each event). */
export function correlateEvents(
  rules: CompiledSet,
  events: readonly EndpointEvent[],
  arrived: number,
  lines?: readonly number[],
): CorrelatedEvents {
  const realTime: CorrelatedEvents["realTime"] = [];
  for (const [compiled, indexes] of rules.realTime.route(events)) {
    const rows: Row[] = [];
    const rowLines: number[] = [];
    for (const index of indexes) {
      const scope = runPerEvent(compiled.plan, events[index] as EndpointEvent);
      if (!scope) continue;
      rows.push(rowOf(scope));
      if (lines) rowLines.push(lines[index] as number);
    }
    realTime.push(
      lines ? { ruleId: compiled.rule.ruleId, rows, lines: rowLines } : { ruleId: compiled.rule.ruleId, rows },
    );
  }
  const scheduled: CorrelatedEvents["scheduled"] = [];
  for (const [compiled, indexes] of rules.scheduled.route(events)) {
    const groups = [...accumulate(compiled, pick(events, indexes), arrived).values()];
    scheduled.push({ ruleId: compiled.rule.ruleId, groups });
  }
  return { realTime, scheduled };
}

/**
 * Joins the results of consecutive runs of events, as if all were one run: a rule keeps the place
 * where it first appears (so the first events to reach it decide, as in one run), its rows and
 * groups follow in run order. Groups of one bucket and key are merged later, by the rule's own
 * aggregate functions.
 */
export function joinCorrelated(parts: readonly CorrelatedEvents[]): CorrelatedEvents {
  const realTime = new Map<number, CorrelatedEvents["realTime"][number]>();
  const scheduled = new Map<number, GroupState[]>();
  for (const part of parts) {
    for (const { ruleId, rows, lines } of part.realTime) {
      const have = realTime.get(ruleId);
      if (!have)
        realTime.set(ruleId, lines ? { ruleId, rows: [...rows], lines: [...lines] } : { ruleId, rows: [...rows] });
      else {
        have.rows.push(...rows);
        if (lines) have.lines?.push(...lines);
      }
    }
    for (const { ruleId, groups } of part.scheduled) {
      const have = scheduled.get(ruleId);
      if (have) have.push(...groups);
      else scheduled.set(ruleId, [...groups]);
    }
  }
  return {
    realTime: [...realTime.values()],
    scheduled: [...scheduled].map(([ruleId, groups]) => ({ ruleId, groups })),
  };
}
