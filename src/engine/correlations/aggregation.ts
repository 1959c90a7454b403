/**
 * The incremental aggregation of SCHEDULED rules: events fold into one state per (time bucket,
 * group key) as they arrive; a run merges the buckets of its window per group key and turns each
 * group into a result row. Nothing of an event is kept but what its aggregates need.
 */
import type { AggregateState } from "../../domain/correlations/aggregates.ts";
import { runPerEvent } from "../../domain/correlations/correlation-plan.ts";
import type { Row } from "../../domain/correlations/row-stages.ts";
import type { CorrelationPartial } from "../../storage/correlation-ports.ts";
import type { EndpointEvent } from "../event-model.ts";
import type { CompiledCorrelation } from "./compiled-correlation.ts";
import { eventTime } from "./event-time.ts";

export interface GroupState {
  bucket: number;
  groupKey: string;
  states: AggregateState[];
}

/** Folds events into bucket/group states (into `into`, which may hold earlier events' states). */
export function accumulate(
  compiled: CompiledCorrelation,
  events: readonly EndpointEvent[],
  arrived: number,
  into = new Map<string, GroupState>(),
): Map<string, GroupState> {
  const comp = compiled.plan.comp;
  if (!comp) return into;
  const { columns, groupBy } = comp;
  for (const event of events) {
    const scope = runPerEvent(compiled.plan, event);
    if (!scope) continue;
    const time = eventTime(event, arrived);
    const bucket = Math.floor(time / compiled.bucketMs) * compiled.bucketMs;
    const groupKey = JSON.stringify(groupBy.map((g) => g.read(scope) ?? null));
    const slot = `${bucket}|${groupKey}`;
    let group = into.get(slot);
    if (!group) {
      group = { bucket, groupKey, states: columns.map((c) => c.fn.empty()) };
      into.set(slot, group);
    }
    const states = group.states;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as (typeof columns)[number];
      states[i] = column.fn.add(states[i], column.arg ? column.arg(scope) : undefined, time);
    }
  }
  return into;
}

/** Groups folded in separate runs, as one run would have folded them: one per bucket and key, merged. */
export function mergeSlots(compiled: CompiledCorrelation, groups: readonly GroupState[]): GroupState[] {
  return [...foldSlots(compiled, groups).values()];
}

/**
 * Merges groups folded in separate runs into `into` (keyed as accumulate keys them), so a later
 * run's groups add to an earlier run's as if one run had folded both; a slot keeps the place where
 * it first came.
 */
export function foldSlots(
  compiled: CompiledCorrelation,
  groups: readonly GroupState[],
  into = new Map<string, GroupState>(),
): Map<string, GroupState> {
  const columns = compiled.plan.comp?.columns ?? [];
  for (const group of groups) {
    const slot = `${group.bucket}|${group.groupKey}`;
    const have = into.get(slot);
    if (!have) into.set(slot, group);
    else
      for (let i = 0; i < columns.length; i++) have.states[i] = columns[i]?.fn.merge(have.states[i], group.states[i]);
  }
  return into;
}

export function toPartials(ruleId: number, groups: Iterable<GroupState>): CorrelationPartial[] {
  return [...groups].map((g) => ({ ruleId, bucket: g.bucket, groupKey: g.groupKey, state: JSON.stringify(g.states) }));
}

/** The states of each group key, merged over every bucket and batch given. */
export function mergeByGroup(
  compiled: CompiledCorrelation,
  partials: Iterable<{ groupKey: string; states: AggregateState[] }>,
): Map<string, AggregateState[]> {
  const columns = compiled.plan.comp?.columns ?? [];
  const merged = new Map<string, AggregateState[]>();
  for (const { groupKey, states } of partials) {
    const have = merged.get(groupKey);
    if (!have) merged.set(groupKey, states);
    else for (let i = 0; i < columns.length; i++) have[i] = columns[i]?.fn.merge(have[i], states[i]);
  }
  return merged;
}

/** One row per group (group fields, then aggregates by alias), through the stages after comp. */
export function resultRows(compiled: CompiledCorrelation, merged: Map<string, AggregateState[]>): Row[] {
  const comp = compiled.plan.comp;
  if (!comp) return [];
  let rows: Row[] = [];
  for (const [groupKey, states] of merged) {
    const row: Row = {};
    const values = JSON.parse(groupKey) as unknown[];
    comp.groupBy.forEach((g, i) => {
      row[g.name] = values[i] ?? null;
    });
    comp.columns.forEach((c, i) => {
      row[c.alias] = c.fn.result(states[i]);
    });
    rows.push(row);
  }
  for (const stage of compiled.plan.perRow) rows = stage(rows);
  return rows;
}
