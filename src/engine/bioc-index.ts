/**
 * The BIOC half of a compiled matcher: rules grouped by the event type they watch, and within a
 * type looked up by a required EQ value where the tree has one, so an event only meets the rules
 * that could match it.
 */

import type { FilterTree } from "../domain/bioc/bioc-tree.ts";
import type { Severity } from "../domain/ioc/ioc-model.ts";
import type { BiocQueryPlan } from "../domain/xql/xql-bioc.ts";
import { compileQuery } from "../domain/xql/xql-eval.ts";
import { getOrCreate } from "../lib/maps.ts";
import { compileNode, type Predicate, type RequiredEq, requiredEq } from "./bioc-predicate.ts";
import { type EndpointEvent, eventTypeOf, eventTypeOfInvestigation, fieldValue } from "./event-model.ts";
import { type RuleHit, valueText } from "./rule-hit.ts";

/** What the index needs of a stored, enabled BIOC rule: its filter tree, or its checked XQL query. */
export type BiocEntry = { ruleId: number; name: string; severity: Severity } & (
  | { tree: FilterTree }
  | { xql: BiocQueryPlan }
);

/** XQL rules whose query names no event type are tried on events of every type. */
export const ANY_EVENT_TYPE = "*";

export interface CompiledBioc {
  ruleId: number;
  name: string;
  severity: Severity;
  eventType: string;
  predicate: Predicate;
  required: RequiredEq | undefined;
}

function compileXqlBioc(entry: BiocEntry & { xql: BiocQueryPlan }): CompiledBioc {
  const { ruleId, name, severity, xql } = entry;
  return {
    ruleId,
    name,
    severity,
    eventType: xql.eventType ?? ANY_EVENT_TYPE,
    predicate: compileQuery(xql.query),
    required: xql.required,
  };
}

export function compileBioc(entry: BiocEntry): CompiledBioc {
  if ("xql" in entry) return compileXqlBioc(entry);
  const { investigationType, investigation } = entry.tree;
  const filter = investigation[investigationType]?.filter;
  if (!filter) throw new Error(`BIOC rule ${entry.ruleId} has no filter for ${investigationType}`);
  return {
    ruleId: entry.ruleId,
    name: entry.name,
    severity: entry.severity,
    eventType: eventTypeOfInvestigation(investigationType),
    predicate: compileNode(filter),
    required: requiredEq(filter),
  };
}

/** Runs one rule on one event. */
export function biocHit(rule: CompiledBioc, event: EndpointEvent): RuleHit | undefined {
  const match = rule.predicate(event);
  if (!match) return undefined;
  const { ruleId, name, severity } = rule;
  return { source: "BIOC", ruleId, name, severity, field: match.field, value: valueText(match.value) };
}

interface TypeGroup {
  /** field -> lower-cased value -> rules that need that value there */
  byValue: Map<string, Map<string, CompiledBioc[]>>;
  /** rules with no required EQ: tried on every event of the type */
  always: CompiledBioc[];
}

const byRuleId = (a: CompiledBioc, b: CompiledBioc) => a.ruleId - b.ruleId;
const byHitRule = (a: RuleHit, b: RuleHit) => a.ruleId - b.ruleId;

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === undefined || value === null || value === "") return [];
  return [valueText(value).toLowerCase()];
}

export class BiocIndex {
  private constructor(
    private readonly groups: ReadonlyMap<string, TypeGroup>,
    readonly size: number,
  ) {}

  static build(rules: readonly CompiledBioc[]): BiocIndex {
    const groups = new Map<string, TypeGroup>();
    for (const rule of rules) {
      const group = getOrCreate(groups, rule.eventType, (): TypeGroup => ({ byValue: new Map(), always: [] }));
      if (!rule.required) {
        group.always.push(rule);
        continue;
      }
      const byValue = getOrCreate(group.byValue, rule.required.field, () => new Map<string, CompiledBioc[]>());
      for (const value of new Set(rule.required.values)) getOrCreate(byValue, value, () => []).push(rule);
    }
    for (const group of groups.values()) group.always.sort(byRuleId);
    return new BiocIndex(groups, rules.length);
  }

  /** Appends this event's BIOC hits to `hits`, by rule id. */
  match(event: EndpointEvent, hits: RuleHit[]): void {
    const type = eventTypeOf(event);
    const typed = type === undefined ? undefined : this.groups.get(type);
    const any = this.groups.get(ANY_EVENT_TYPE);
    if (typed && any) {
      const found: RuleHit[] = [];
      this.matchGroup(typed, event, found);
      this.matchGroup(any, event, found);
      hits.push(...found.sort(byHitRule));
    } else if (typed ?? any) this.matchGroup((typed ?? any) as TypeGroup, event, hits);
  }

  private matchGroup(group: TypeGroup, event: EndpointEvent, hits: RuleHit[]): void {
    const candidates = new Set(group.always);
    for (const [field, byValue] of group.byValue) {
      for (const key of keysOf(fieldValue(event, field)))
        for (const rule of byValue.get(key) ?? []) candidates.add(rule);
    }
    const ordered = [...candidates].sort((a, b) => a.ruleId - b.ruleId);
    for (const rule of ordered) {
      const hit = biocHit(rule, event);
      if (hit) hits.push(hit);
    }
  }
}
