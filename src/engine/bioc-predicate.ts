/**
 * Compiles a BIOC filter tree into a function over one event. Leaves compare text without regard
 * to case; numbers compare as numbers for GTE/LTE/RANGE; EXTRA_FIELDS are alternatives; a missing
 * field matches only IS_EMPTY. Regexes run on RE2 (linear time).
 */
import { type FilterLeaf, type FilterNode, parseDecimal, parseRange } from "../domain/bioc/bioc-tree.ts";
import { compileBoundedRegex, regexSubject } from "../lib/bounded-regex.ts";
import { ENUM_FIELDS, enumEventText, enumRuleText } from "./enum-forms.ts";
import { type EndpointEvent, fieldValue } from "./event-model.ts";
import { valueText } from "./rule-hit.ts";
import { compileWildcard } from "./wildcard.ts";

/** Where a tree matched: the first matching leaf's field and the event's value there. */
export interface LeafMatch {
  field: string;
  value: unknown;
}

export type Predicate = (event: EndpointEvent) => LeafMatch | undefined;
type ValueTest = (value: unknown) => boolean;

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** Arrays in events (e.g. lists of addresses) match when any element does. */
function anyElement(test: ValueTest): ValueTest {
  return (value) => (Array.isArray(value) ? value.some(test) : test(value));
}

/**
 * Many leaves read the same few fields of one event, so lower-casing is memoised. The memo is a
 * pure function of the text (safe to share) and is emptied when it grows, to stay small.
 */
const lowered = new Map<string, string>();
const LOWERED_MAX = 4096;

function lowerText(value: unknown): string {
  if (typeof value !== "string") return valueText(value).toLowerCase();
  let text = lowered.get(value);
  if (text === undefined) {
    if (lowered.size >= LOWERED_MAX) lowered.clear();
    text = value.toLowerCase();
    lowered.set(value, text);
  }
  return text;
}

function textTest(compare: (text: string) => boolean): ValueTest {
  return anyElement((value) => !isEmpty(value) && compare(lowerText(value)));
}

function numberTest(compare: (n: number) => boolean): ValueTest {
  return anyElement((value) => {
    const number = asNumber(value);
    return number !== undefined && compare(number);
  });
}

function complexEqTest(json: string): ValueTest {
  const expected: unknown = JSON.parse(json);
  if (typeof expected === "string") return textTest((text) => text === expected.toLowerCase());
  const canonical = JSON.stringify(expected);
  return (value) => !isEmpty(value) && JSON.stringify(value) === canonical;
}

function regexTest(pattern: string): ValueTest {
  const regex = compileBoundedRegex(pattern);
  // Stored trees were checked at insert; one that no longer compiles (older limits) matches nothing.
  if (typeof regex === "string") return () => false;
  return anyElement((value) => !isEmpty(value) && regex.matcher(regexSubject(valueText(value))).find());
}

/** EQ/NEQ on an enum field: `ENUM.X`, `X` and event_type's numbers are one value (enum-forms.ts). */
function enumTest(field: string, leaf: FilterLeaf): ValueTest | undefined {
  if (!ENUM_FIELDS.has(field) || (leaf.SEARCH_TYPE !== "EQ" && leaf.SEARCH_TYPE !== "NEQ")) return undefined;
  const wanted = enumRuleText(field, leaf.SEARCH_VALUE);
  const negate = leaf.SEARCH_TYPE === "NEQ";
  return anyElement((value) => !isEmpty(value) && (enumEventText(field, value) === wanted) !== negate);
}

/** The test one leaf applies to one field's value. */
export function leafTest(leaf: FilterLeaf): ValueTest {
  if (leaf.SEARCH_TYPE === "IS_EMPTY") return isEmpty;
  if (leaf.SEARCH_TYPE === "NIS_EMPTY") return (value) => !isEmpty(value);
  const raw = leaf.SEARCH_VALUE ?? "";
  const wanted = raw.toLowerCase();
  switch (leaf.SEARCH_TYPE) {
    case "EQ":
      return textTest((text) => text === wanted);
    case "NEQ":
      return textTest((text) => text !== wanted);
    case "CONTAINS":
      return textTest((text) => text.includes(wanted));
    case "NCONTAINS":
      return textTest((text) => !text.includes(wanted));
    case "WILDCARD": {
      const matches = compileWildcard(wanted);
      return textTest(matches);
    }
    case "REGEX":
      return regexTest(raw);
    case "GTE": {
      const bound = parseDecimal(raw) ?? Number.NaN;
      return numberTest((n) => n >= bound);
    }
    case "LTE": {
      const bound = parseDecimal(raw) ?? Number.NaN;
      return numberTest((n) => n <= bound);
    }
    case "RANGE": {
      const [low, high] = parseRange(raw) ?? [Number.NaN, Number.NaN];
      return numberTest((n) => n >= low && n <= high);
    }
    case "COMPLEX_EQ":
      return complexEqTest(raw);
  }
}

function compileLeaf(leaf: FilterLeaf): Predicate {
  const fields = [leaf.SEARCH_FIELD, ...(leaf.EXTRA_FIELDS ?? [])];
  const plain = leafTest(leaf);
  const tests = fields.map((field) => enumTest(field, leaf) ?? plain);
  return (event) => {
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as string;
      const value = fieldValue(event, field);
      if ((tests[i] as ValueTest)(value)) return { field, value };
    }
    return undefined;
  };
}

/** AND reports its first child's match, OR its first matching child's. */
export function compileNode(node: FilterNode): Predicate {
  if ("AND" in node) {
    const children = node.AND.map(compileNode);
    return (event) => {
      let first: LeafMatch | undefined;
      for (const child of children) {
        const match = child(event);
        if (!match) return undefined;
        first ??= match;
      }
      return first;
    };
  }
  if ("OR" in node) {
    const children = node.OR.map(compileNode);
    return (event) => {
      for (const child of children) {
        const match = child(event);
        if (match) return match;
      }
      return undefined;
    };
  }
  return compileLeaf(node);
}

/** An equality every match must satisfy (XQL rules' index key): the field and the lower-cased values it may hold. */
export interface RequiredEq {
  field: string;
  values: string[];
}
