/**
 * What a BIOC tree cannot match without, so the matcher can look rules up by an event's values
 * instead of trying each one: a set of alternatives ("needs"), each a field that must hold a value
 * equal to, or containing, a lower-cased text. EQ and COMPLEX_EQ strings give equalities;
 * CONTAINS gives its text; WILDCARD gives its longest run between stars (or an equality when it
 * has none); EQ on an enum field gives an equality in the enums' one spelling (enum-forms.ts).
 * An AND needs what its most selective child needs; an OR what all its children together need
 * (so every child must have some). EXTRA_FIELDS add one alternative per field.
 * Needs only narrow: every candidate is still run in full, so an index miss is never a wrong hit.
 */
import type { FilterLeaf, FilterNode } from "../domain/bioc/bioc-tree.ts";
import { ENUM_FIELDS, enumRuleText } from "./enum-forms.ts";
import { valueText } from "./rule-hit.ts";

export interface Need {
  field: string;
  /** eq: a lower-cased value; enum: an enum field's value as enumEventText gives it; contains: a run of it. */
  kind: "eq" | "enum" | "contains";
  text: string;
}

function longestLiteral(pattern: string): string {
  return pattern.split("*").reduce((best, part) => (part.length > best.length ? part : best), "");
}

function complexEqText(json: string): string | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "string" ? value.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

function leafNeed(leaf: FilterLeaf): Omit<Need, "field"> | undefined {
  if (leaf.SEARCH_TYPE === "IS_EMPTY" || leaf.SEARCH_TYPE === "NIS_EMPTY") return undefined;
  const wanted = (leaf.SEARCH_VALUE ?? "").toLowerCase();
  switch (leaf.SEARCH_TYPE) {
    case "EQ":
      return { kind: "eq", text: wanted };
    case "CONTAINS":
      return wanted === "" ? undefined : { kind: "contains", text: wanted };
    case "WILDCARD": {
      if (!wanted.includes("*")) return { kind: "eq", text: wanted };
      const literal = longestLiteral(wanted);
      return literal === "" ? undefined : { kind: "contains", text: literal };
    }
    case "COMPLEX_EQ": {
      const text = complexEqText(leaf.SEARCH_VALUE ?? "");
      return text === undefined ? undefined : { kind: "eq", text };
    }
    default:
      return undefined;
  }
}

/** Lower is better: equalities over substrings, fewer alternatives, longer texts. */
function cost(needs: readonly Need[]): number {
  const substrings = needs.filter((n) => n.kind === "contains");
  const shortest = Math.min(...substrings.map((n) => n.text.length), 64);
  return needs.length + substrings.length * (4 + 64 / Math.max(shortest, 1));
}

/** The alternatives one of which every match of `node` satisfies, or undefined when there is no such set. */
export function requiredNeeds(node: FilterNode): Need[] | undefined {
  if ("AND" in node) {
    let best: Need[] | undefined;
    for (const child of node.AND) {
      const needs = requiredNeeds(child);
      if (needs && (!best || cost(needs) < cost(best))) best = needs;
    }
    return best;
  }
  if ("OR" in node) {
    const all: Need[] = [];
    for (const child of node.OR) {
      const needs = requiredNeeds(child);
      if (!needs) return undefined;
      all.push(...needs);
    }
    return all;
  }
  const fields = [node.SEARCH_FIELD, ...(node.EXTRA_FIELDS ?? [])];
  const plain = leafNeed(node);
  const needs: Need[] = [];
  for (const field of fields) {
    // EQ and NEQ on an enum field compare in the enums' one spelling (bioc-predicate.ts enumTest).
    const enumCompared = ENUM_FIELDS.has(field) && (node.SEARCH_TYPE === "EQ" || node.SEARCH_TYPE === "NEQ");
    if (enumCompared && node.SEARCH_TYPE === "EQ")
      needs.push({ field, kind: "enum", text: enumRuleText(field, node.SEARCH_VALUE) });
    else if (plain && !enumCompared) needs.push({ field, ...plain });
    else return undefined;
  }
  return needs;
}

/** As the predicate's IS_EMPTY: absent, null, "" or []. */
export function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

/**
 * The lower-cased texts a leaf may compare a field's value as: the value itself, or each element
 * of an array (an element that is itself an array both as JSON text and element by element, so
 * the equalities XQL rules are indexed by are covered too).
 */
export function eventTexts(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const element of value) {
      if (Array.isArray(element)) {
        if (element.length > 0) into.push(valueText(element).toLowerCase());
        eventTexts(element, into);
      } else if (!isEmptyValue(element)) into.push(valueText(element).toLowerCase());
    }
  } else if (!isEmptyValue(value)) into.push(valueText(value).toLowerCase());
  return into;
}

const GRAM = 3;

/** A three-character run as a small integer: exact below U+0400 (all of ASCII and Latin), a hash above. */
function gramKey(a: number, b: number, c: number): number {
  return ((a << 20) ^ (b << 10) ^ c) & 0x3fffffff;
}

/** Where a run's bit is in the 65,536-bit map of the runs needles are filed under. */
function gramBit(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> 16;
}

interface Needle<T> {
  needle: string;
  items: T[];
}

function pushAll<T>(into: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) into.push(items[i] as T);
}

/**
 * Finds which of many needles a text contains without trying each: every needle is filed under
 * one of its three-character runs (the rarest among the needles), and a text looks up each of
 * its own runs, rolled along it one character at a time. A bit map of the filed runs answers
 * most of those look-ups without the hash map. Run keys may collide above U+0400: a needle found
 * through a run is always confirmed with `includes`. Needles shorter than a run are tried one by one.
 */
export class SubstringIndex<T> {
  private readonly byGram = new Map<number, Needle<T>[]>();
  private readonly bits = new Uint32Array(65536 / 32);
  private readonly short: Needle<T>[] = [];

  constructor(entries: ReadonlyMap<string, T[]>) {
    const counts = new Map<number, number>();
    for (const needle of entries.keys())
      for (const gram of new Set(grams(needle))) counts.set(gram, (counts.get(gram) ?? 0) + 1);
    for (const [needle, items] of entries) {
      if (needle.length < GRAM) {
        this.short.push({ needle, items });
        continue;
      }
      const all = grams(needle);
      let rarest = all[0] as number;
      for (const gram of all) if ((counts.get(gram) ?? 0) < (counts.get(rarest) ?? 0)) rarest = gram;
      const list = this.byGram.get(rarest) ?? [];
      list.push({ needle, items });
      this.byGram.set(rarest, list);
      const bit = gramBit(rarest);
      this.bits[bit >>> 5] = (this.bits[bit >>> 5] as number) | (1 << (bit & 31));
    }
  }

  /** Appends to `found` the items of every needle `text` contains (an item may come more than once). */
  find(text: string, found: T[]): void {
    for (const { needle, items } of this.short) if (text.includes(needle)) pushAll(found, items);
    const n = text.length;
    if (this.byGram.size === 0 || n < GRAM) return;
    let a = text.charCodeAt(0);
    let b = text.charCodeAt(1);
    for (let at = GRAM - 1; at < n; at++) {
      const c = text.charCodeAt(at);
      const key = gramKey(a, b, c);
      a = b;
      b = c;
      const bit = gramBit(key);
      if (((this.bits[bit >>> 5] as number) & (1 << (bit & 31))) === 0) continue;
      const list = this.byGram.get(key);
      if (list) for (const { needle, items } of list) if (text.includes(needle)) pushAll(found, items);
    }
  }
}

function grams(text: string): number[] {
  const all: number[] = [];
  for (let at = 0; at + GRAM <= text.length; at++)
    all.push(gramKey(text.charCodeAt(at), text.charCodeAt(at + 1), text.charCodeAt(at + 2)));
  return all;
}
