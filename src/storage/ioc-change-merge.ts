import type { IocChange } from "./ports.ts";

const before = (a: IocChange, b: IocChange) =>
  a.changeTime < b.changeTime || (a.changeTime === b.changeTime && a.rule.ruleId < b.rule.ruleId);

/**
 * The first `limit` changes of lists each already in (change time, rule id) order: the change feed
 * is read as three keyset-paged streams (rules written, rules expired, rules deleted) and merged.
 */
export function mergeChanges(lists: readonly IocChange[][], limit: number): IocChange[] {
  const at = lists.map(() => 0);
  const merged: IocChange[] = [];
  while (merged.length < limit) {
    let best = -1;
    for (const [i, list] of lists.entries()) {
      const candidate = list[at[i] as number];
      if (candidate && (best < 0 || before(candidate, lists[best]?.[at[best] as number] as IocChange))) best = i;
    }
    if (best < 0) break;
    merged.push(lists[best]?.[at[best] as number] as IocChange);
    at[best] = (at[best] as number) + 1;
  }
  return merged;
}
