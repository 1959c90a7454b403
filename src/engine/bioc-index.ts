/**
 * The BIOC half of a compiled matcher: rules grouped by the event type they watch, and within a
 * type looked up by what they need (an equal value, or a text the field contains: see
 * bioc-leaf-index.ts), so an event only meets the rules that could match it.
 */

import type { FilterTree } from "../domain/bioc/bioc-tree.ts";
import type { Severity } from "../domain/ioc/ioc-model.ts";
import type { BiocQueryPlan } from "../domain/xql/xql-bioc.ts";
import { compileQuery } from "../domain/xql/xql-eval.ts";
import { getOrCreate } from "../lib/maps.ts";
import { eventTexts, isEmptyValue, type Need, requiredNeeds, SubstringIndex } from "./bioc-leaf-index.ts";
import { compileNode, type Predicate } from "./bioc-predicate.ts";
import { enumEventText } from "./enum-forms.ts";
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
  /** One of these holds for every event the rule matches; undefined: tried on every event of its type. */
  needs: Need[] | undefined;
}

function compileXqlBioc(entry: BiocEntry & { xql: BiocQueryPlan }): CompiledBioc {
  const { ruleId, name, severity, xql } = entry;
  const required = xql.required;
  return {
    ruleId,
    name,
    severity,
    eventType: xql.eventType ?? ANY_EVENT_TYPE,
    predicate: compileQuery(xql.query),
    needs: required?.values.map((text) => ({ field: required.field, kind: "eq" as const, text })),
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
    needs: requiredNeeds(filter),
  };
}

/** Runs one rule on one event. */
export function biocHit(rule: CompiledBioc, event: EndpointEvent): RuleHit | undefined {
  const match = rule.predicate(event);
  if (!match) return undefined;
  const { ruleId, name, severity } = rule;
  return { source: "BIOC", ruleId, name, severity, field: match.field, value: valueText(match.value) };
}

interface FieldTexts {
  field: string;
  /** lower-cased value (or enum spelling) -> rules that need that value there */
  byText: Map<string, CompiledBioc[]>;
}

interface TypeGroup {
  equal: FieldTexts[];
  /** the same for EQ on enum fields, looked up by enumEventText */
  enumEqual: FieldTexts[];
  /** field -> the texts rules need that field to contain */
  containing: { field: string; index: SubstringIndex<CompiledBioc> }[];
  /** rules that need nothing indexable: tried on every event of the type, by rule id */
  always: CompiledBioc[];
}

const byRuleId = (a: CompiledBioc, b: CompiledBioc) => a.ruleId - b.ruleId;
const byHitRule = (a: RuleHit, b: RuleHit) => a.ruleId - b.ruleId;

function addUnique(list: CompiledBioc[], rule: CompiledBioc): void {
  if (list.at(-1) !== rule) list.push(rule);
}

function groupOf(rules: readonly CompiledBioc[]): TypeGroup {
  const byKind = { eq: new Map(), enum: new Map(), contains: new Map() } satisfies Record<
    Need["kind"],
    Map<string, Map<string, CompiledBioc[]>>
  >;
  const always: CompiledBioc[] = [];
  for (const rule of rules) {
    if (!rule.needs) {
      always.push(rule);
      continue;
    }
    for (const { field, kind, text } of rule.needs) {
      const byText = getOrCreate(byKind[kind], field, () => new Map<string, CompiledBioc[]>());
      addUnique(
        getOrCreate(byText, text, () => []),
        rule,
      );
    }
  }
  const listed = (map: Map<string, Map<string, CompiledBioc[]>>) =>
    [...map].map(([field, byText]) => ({ field, byText }));
  return {
    equal: listed(byKind.eq),
    enumEqual: listed(byKind.enum),
    containing: listed(byKind.contains).map(({ field, byText }) => ({ field, index: new SubstringIndex(byText) })),
    always: always.sort(byRuleId),
  };
}

function pushAll(into: CompiledBioc[], rules: readonly CompiledBioc[] | undefined): void {
  if (rules) for (let i = 0; i < rules.length; i++) into.push(rules[i] as CompiledBioc);
}

/**
 * The rules an event's values find in one group's maps (a rule may come more than once). A plain
 * string, the usual value, is looked up as it is; anything else through eventTexts.
 */
function candidates(group: TypeGroup, event: EndpointEvent): CompiledBioc[] {
  const found: CompiledBioc[] = [];
  for (const { field, byText } of group.equal) {
    const value = fieldValue(event, field);
    // "" too: an XQL rule may need `field = ""` (a filter tree's EQ "" never matches: its predicate says so)
    if (typeof value === "string") pushAll(found, byText.get(value.toLowerCase()));
    else for (const text of eventTexts(value)) pushAll(found, byText.get(text));
  }
  for (const { field, byText } of group.enumEqual) {
    const value = fieldValue(event, field);
    if (Array.isArray(value)) {
      for (const element of value)
        if (!isEmptyValue(element)) pushAll(found, byText.get(enumEventText(field, element)));
    } else if (!isEmptyValue(value)) pushAll(found, byText.get(enumEventText(field, value)));
  }
  for (const { field, index } of group.containing) {
    const value = fieldValue(event, field);
    if (typeof value === "string") {
      if (value !== "") index.find(value.toLowerCase(), found);
    } else for (const text of eventTexts(value)) index.find(text, found);
  }
  return found;
}

export class BiocIndex {
  private constructor(
    private readonly groups: ReadonlyMap<string, TypeGroup>,
    readonly size: number,
  ) {}

  static build(rules: readonly CompiledBioc[]): BiocIndex {
    const byType = new Map<string, CompiledBioc[]>();
    for (const rule of rules) getOrCreate(byType, rule.eventType, () => []).push(rule);
    const groups = new Map([...byType].map(([type, list]) => [type, groupOf(list)] as const));
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
    const found = candidates(group, event);
    const ordered = found.length === 0 ? group.always : [...new Set([...group.always, ...found])].sort(byRuleId);
    for (const rule of ordered) {
      const hit = biocHit(rule, event);
      if (hit) hits.push(hit);
    }
  }
}
