/**
 * What a BIOC tree cannot match without, so the matcher can look rules up by an event's values
 * instead of trying each one: a set of alternatives ("needs"), each a field that must hold a value
 * equal to, or containing, a lower-cased text. EQ and COMPLEX_EQ strings give equalities;
 * CONTAINS gives its text; WILDCARD gives its longest run between stars (or an equality when it
 * has none). An AND needs what its most selective child needs; an OR what all its children
 * together need (so every child must have some). EXTRA_FIELDS add one alternative per field.
 * Needs only narrow: every candidate is still run in full, so an index miss is never a wrong hit.
 */
import type { FilterLeaf, FilterNode } from "../domain/bioc/bioc-tree.ts";
import { ENUM_FIELDS } from "./enum-forms.ts";
import { valueText } from "./rule-hit.ts";

export interface Need {
  field: string;
  kind: "eq" | "contains";
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
  // Enum fields compare in a canonical spelling (enum-forms.ts) that the event's own text lacks.
  if (fields.some((field) => ENUM_FIELDS.has(field))) return undefined;
  const need = leafNeed(node);
  if (!need) return undefined;
  return fields.map((field) => ({ field, ...need }));
}

function isEmpty(value: unknown): boolean {
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
      } else if (!isEmpty(element)) into.push(valueText(element).toLowerCase());
    }
  } else if (!isEmpty(value)) into.push(valueText(value).toLowerCase());
  return into;
}

const GRAM = 3;

/**
 * Finds which of many needles a text contains without trying each: every needle is filed under
 * one of its three-character runs (the rarest among the needles), and a text looks up each of
 * its own runs. Needles shorter than that are tried one by one. A run is keyed by its three
 * UTF-16 code units as one number (48 bits), so looking one up allocates nothing.
 */
export class SubstringIndex<T> {
  private readonly byGram = new Map<number, { needle: string; items: T[] }[]>();
  private readonly short: { needle: string; items: T[] }[] = [];

  constructor(entries: ReadonlyMap<string, T[]>) {
    const counts = new Map<number, number>();
    for (const needle of entries.keys())
      for (const gram of new Set(grams(needle))) counts.set(gram, (counts.get(gram) ?? 0) + 1);
    for (const [needle, items] of entries) {
      if (needle.length < GRAM) {
        this.short.push({ needle, items });
        continue;
      }
      let rarest = gramAt(needle, 0);
      for (const gram of grams(needle)) if ((counts.get(gram) ?? 0) < (counts.get(rarest) ?? 0)) rarest = gram;
      const list = this.byGram.get(rarest) ?? [];
      list.push({ needle, items });
      this.byGram.set(rarest, list);
    }
  }

  /** Calls `found` with the items of every needle `text` contains (an item may come more than once). */
  find(text: string, found: (item: T) => void): void {
    for (const { needle, items } of this.short) if (text.includes(needle)) for (const item of items) found(item);
    if (this.byGram.size === 0) return;
    for (let at = 0; at + GRAM <= text.length; at++) {
      const list = this.byGram.get(gramAt(text, at));
      if (!list) continue;
      for (const { needle, items } of list) if (text.includes(needle)) for (const item of items) found(item);
    }
  }
}

function gramAt(text: string, at: number): number {
  return (text.charCodeAt(at) * 65536 + text.charCodeAt(at + 1)) * 65536 + text.charCodeAt(at + 2);
}

function grams(text: string): number[] {
  const all: number[] = [];
  for (let at = 0; at + GRAM <= text.length; at++) all.push(gramAt(text, at));
  return all;
}
