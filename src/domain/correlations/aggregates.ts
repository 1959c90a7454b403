/**
 * The aggregate functions of `comp`, each as a small state that merges: a scheduled rule keeps
 * one state per time bucket and group key, made from one batch of events on one node, and merges
 * them when its schedule ticks. Every state is plain JSON (it is stored) and bounded in size.
 */
import { isNull, number, text, type XqlValue } from "../xql/xql-values.ts";

/** Distinct values a count_distinct or values() keeps per state; more are not told apart. */
export const MAX_DISTINCT = 10_000;
/** Items list() keeps per state. */
export const MAX_LIST = 100;

export type AggregateState = unknown;

export interface Aggregate {
  /** The state of no events. */
  empty(): AggregateState;
  /** Adds one event's value (and its time, for earliest/latest). */
  add(state: AggregateState, value: XqlValue, time: number): AggregateState;
  merge(a: AggregateState, b: AggregateState): AggregateState;
  /** The value the result row holds. */
  result(state: AggregateState): XqlValue;
}

const present = (value: XqlValue) => !isNull(value);

const count: Aggregate = {
  empty: () => 0,
  add: (n, value) => (n as number) + (value === undefined || present(value) ? 1 : 0),
  merge: (a, b) => (a as number) + (b as number),
  result: (n) => n,
};

function distinctInto(into: string[], values: readonly string[], cap: number): string[] {
  for (const v of values) if (into.length < cap && !into.includes(v)) into.push(v);
  return into;
}

/** Distinct values as text; the small arrays stay cheap to store and merge. */
function distinct(cap: number, finish: (values: string[]) => XqlValue): Aggregate {
  return {
    empty: () => [],
    add: (s, value) => (present(value) ? distinctInto(s as string[], [text(value) ?? ""], cap) : s),
    merge: (a, b) => distinctInto([...(a as string[])], b as string[], cap),
    result: (s) => finish(s as string[]),
  };
}

const sum: Aggregate = {
  empty: () => 0,
  add: (s, value) => (s as number) + (number(value) ?? 0),
  merge: (a, b) => (a as number) + (b as number),
  result: (s) => s,
};

type Mean = [total: number, seen: number];

const avg: Aggregate = {
  empty: (): Mean => [0, 0],
  add: (s, value) => {
    const n = number(value);
    const [total, seen] = s as Mean;
    return n === undefined ? s : [total + n, seen + 1];
  },
  merge: (a, b) => {
    const [[ta, sa], [tb, sb]] = [a as Mean, b as Mean];
    return [ta + tb, sa + sb];
  },
  result: (s) => {
    const [total, seen] = s as Mean;
    return seen === 0 ? null : total / seen;
  },
};

function extreme(pick: (order: number) => boolean): Aggregate {
  const better = (a: XqlValue, b: XqlValue) => {
    if (isNull(a)) return b;
    if (isNull(b)) return a;
    const [x, y] = [number(a), number(b)];
    const order = x !== undefined && y !== undefined ? x - y : String(a).localeCompare(String(b));
    return pick(order) ? a : b;
  };
  return {
    empty: () => null,
    add: (s, value) => (present(value) ? better(s, value) : s),
    merge: better,
    result: (s) => s,
  };
}

/** earliest / latest: the value of the event with the least / greatest time. */
function byTime(latest: boolean): Aggregate {
  const better = (a: XqlValue, b: XqlValue) => {
    if (a === null) return b;
    if (b === null) return a;
    const [ta, tb] = [(a as [number, unknown])[0], (b as [number, unknown])[0]];
    return latest === ta >= tb ? a : b;
  };
  return {
    empty: () => null,
    add: (s, value, time) => (present(value) ? better(s, [time, value]) : s),
    merge: better,
    result: (s) => (s === null ? null : (s as [number, XqlValue])[1]),
  };
}

const list: Aggregate = {
  empty: () => [],
  add: (s, value) => {
    const items = s as unknown[];
    if (present(value) && items.length < MAX_LIST) items.push(value);
    return items;
  },
  merge: (a, b) => [...(a as unknown[]), ...(b as unknown[])].slice(0, MAX_LIST),
  result: (s) => s,
};

/** The functions comp runs; `count_distinct` counts at most MAX_DISTINCT values per group. */
export const AGGREGATES: Readonly<Record<string, Aggregate>> = {
  count,
  count_distinct: distinct(MAX_DISTINCT, (values) => values.length),
  approx_count: distinct(MAX_DISTINCT, (values) => values.length),
  values: distinct(MAX_LIST * 10, (values) => [...values].sort()),
  list,
  sum,
  avg,
  min: extreme((order) => order <= 0),
  max: extreme((order) => order >= 0),
  earliest: byTime(false),
  first: byTime(false),
  latest: byTime(true),
  last: byTime(true),
};
