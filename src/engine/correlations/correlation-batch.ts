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
  /** REAL_TIME rules in the order the events first reached them, each with its rows in event order. */
  realTime: { ruleId: number; rows: Row[] }[];
  /** SCHEDULED rules in the same order, each with its states in the order their groups first came. */
  scheduled: { ruleId: number; groups: GroupState[] }[];
}

export function hasRules(rules: CompiledSet): boolean {
  return rules.realTime.rules.length > 0 || rules.scheduled.rules.length > 0;
}

/** Runs the rules on a run of consecutive events. */
export function correlateEvents(
  rules: CompiledSet,
  events: readonly EndpointEvent[],
  arrived: number,
): CorrelatedEvents {
  const realTime: CorrelatedEvents["realTime"] = [];
  for (const [compiled, indexes] of rules.realTime.route(events)) {
    const rows: Row[] = [];
    for (const event of pick(events, indexes)) {
      const scope = runPerEvent(compiled.plan, event);
      if (scope) rows.push(rowOf(scope));
    }
    realTime.push({ ruleId: compiled.rule.ruleId, rows });
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
  const realTime = new Map<number, Row[]>();
  const scheduled = new Map<number, GroupState[]>();
  for (const part of parts) {
    for (const { ruleId, rows } of part.realTime) {
      const have = realTime.get(ruleId);
      if (have) have.push(...rows);
      else realTime.set(ruleId, [...rows]);
    }
    for (const { ruleId, groups } of part.scheduled) {
      const have = scheduled.get(ruleId);
      if (have) have.push(...groups);
      else scheduled.set(ruleId, [...groups]);
    }
  }
  return {
    realTime: [...realTime].map(([ruleId, rows]) => ({ ruleId, rows })),
    scheduled: [...scheduled].map(([ruleId, groups]) => ({ ruleId, groups })),
  };
}
