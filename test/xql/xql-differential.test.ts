/**
 * Differential: a random BIOC filter tree and the XQL query that says the same thing fire on exactly
 * the same random events. The tree on the linear matcher is the oracle; the XQL rule runs on both
 * the linear and the compiled matcher. Values include backslashes, quotes and trailing backslashes,
 * so the XQL side only agrees if its literals mean what docs/xql.md says.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { FilterNode } from "../../src/domain/bioc/bioc-tree.ts";
import { checkBiocQuery } from "../../src/domain/xql/xql-bioc.ts";
import type { BiocEntry } from "../../src/engine/bioc-index.ts";
import { CompiledMatcher } from "../../src/engine/compiled-matcher.ts";
import { LinearMatcher } from "../../src/engine/linear-matcher.ts";

type Leaf = { SEARCH_FIELD: string; SEARCH_TYPE: string; SEARCH_VALUE?: string; EXTRA_FIELDS?: string[] };

const TEXT_FIELDS = ["action_process_image_path", "action_process_image_command_line", "actor_process_image_name"];
const NUMBER_FIELD = "action_remote_port";
const REGEXES = ["^a", "b$", "a.b", "\\\\", "\\\\$", 'a|"', "^[ab]+$", "A\\\\?b"];

/** A plain "..." literal: every character is itself, a quote is written \" (docs/xql.md). */
const lit = (value: string) => `"${value.replaceAll('"', '\\"')}"`;

function leafXql(leaf: Leaf): string {
  const fields = [leaf.SEARCH_FIELD, ...(leaf.EXTRA_FIELDS ?? [])];
  const v = leaf.SEARCH_VALUE ?? "";
  const one = (f: string): string => {
    switch (leaf.SEARCH_TYPE) {
      case "EQ":
      case "WILDCARD":
        return `${f} = ${lit(v)}`;
      case "NEQ":
        return `${f} != ${lit(v)}`;
      case "CONTAINS":
        return `${f} contains ${lit(v)}`;
      case "NCONTAINS":
        return `${f} not contains ${lit(v)}`;
      case "REGEX":
        return `${f} ~= ${lit(v)}`;
      case "GTE":
        return `${f} >= ${v}`;
      case "LTE":
        return `${f} <= ${v}`;
      case "IS_EMPTY":
        return `(${f} = null or ${f} = "")`;
      default:
        return `(${f} != null and ${f} != "")`;
    }
  };
  return fields.length === 1 ? one(fields[0] as string) : `(${fields.map(one).join(" or ")})`;
}

function toXql(node: FilterNode): string {
  if ("AND" in node) return `(${node.AND.map(toXql).join(" and ")})`;
  if ("OR" in node) return `(${node.OR.map(toXql).join(" or ")})`;
  return leafXql(node as Leaf);
}

const text = fc.string({ unit: fc.constantFrom("a", "b", "A", "\\", '"', " "), minLength: 1, maxLength: 4 });

const textLeaf = fc
  .record({
    field: fc.constantFrom(...TEXT_FIELDS),
    extra: fc.subarray(TEXT_FIELDS, { maxLength: 1 }),
    type: fc.constantFrom("EQ", "NEQ", "CONTAINS", "NCONTAINS", "WILDCARD", "REGEX", "IS_EMPTY", "NIS_EMPTY"),
    value: text,
    regex: fc.constantFrom(...REGEXES),
  })
  .map(({ field, extra, type, value, regex }): Leaf => {
    const v = type === "WILDCARD" ? `*${value}*`.replace(/^\*(.)/, "$1*") : type === "REGEX" ? regex : value;
    return {
      SEARCH_FIELD: field,
      SEARCH_TYPE: type,
      SEARCH_VALUE: v,
      ...(extra.length > 0 && extra[0] !== field ? { EXTRA_FIELDS: extra } : {}),
    };
  });
const numberLeaf = fc
  .record({ type: fc.constantFrom("GTE", "LTE"), bound: fc.integer({ min: 0, max: 10 }) })
  .map(({ type, bound }): Leaf => ({ SEARCH_FIELD: NUMBER_FIELD, SEARCH_TYPE: type, SEARCH_VALUE: String(bound) }));

const { node } = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(textLeaf, textLeaf, numberLeaf).map((l) => l as FilterNode),
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((children) => ({ AND: children }) as FilterNode),
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((children) => ({ OR: children }) as FilterNode),
  ),
}));

const event = fc.record(
  {
    event_type: fc.constantFrom("PROCESS", "ENUM.PROCESS", 1, "FILE"),
    action_process_image_path: text,
    action_process_image_command_line: text,
    actor_process_image_name: text,
    action_remote_port: fc.integer({ min: 0, max: 10 }),
  },
  { requiredKeys: ["event_type"] },
);

function entries(filter: FilterNode): BiocEntry[] {
  const plan = checkBiocQuery(`dataset = xdr_data | filter event_type = ENUM.PROCESS and ${toXql(filter)}`);
  if (!plan.ok) throw new Error(`${JSON.stringify(plan.error)} for ${toXql(filter)}`);
  const base = { name: "r", severity: "SEV_030_MEDIUM" as const };
  const investigation = { PROCESS_EXECUTION_EVENT: { filter } };
  return [
    { ruleId: 1, ...base, tree: { investigationType: "PROCESS_EXECUTION_EVENT", investigation } },
    { ruleId: 2, ...base, xql: plan.value },
  ];
}

describe("BIOC trees and their XQL twins", () => {
  it("fire on exactly the same random events", () => {
    fc.assert(
      fc.property(node, fc.array(event, { minLength: 1, maxLength: 12 }), (filter, events) => {
        const rules = entries(filter);
        const oracle = new LinearMatcher([], rules);
        const fast = CompiledMatcher.build([], rules);
        for (const e of events) {
          const fired = (m: LinearMatcher | CompiledMatcher) => m.match(e, 0).map((h) => h.ruleId);
          const tree = fired(oracle).includes(1);
          assert.equal(fired(oracle).includes(2), tree, `linear, XQL ${toXql(filter)} on ${JSON.stringify(e)}`);
          assert.equal(fired(fast).includes(2), tree, `compiled, XQL ${toXql(filter)} on ${JSON.stringify(e)}`);
        }
      }),
      { numRuns: 2000, seed: 1202 },
    );
  });
});

describe("the regex input cap", () => {
  it("reads only the first 65,536 characters of a field, in trees and XQL alike", () => {
    const filter = { SEARCH_FIELD: "action_process_image_command_line", SEARCH_TYPE: "REGEX", SEARCH_VALUE: "needle" };
    const matcher = new LinearMatcher([], entries(filter as FilterNode));
    const fired = (line: string) =>
      matcher.match({ event_type: "PROCESS", action_process_image_command_line: line }, 0).map((h) => h.ruleId);
    assert.deepEqual(fired(`${"x".repeat(65_530)}needle`), [1, 2]);
    assert.deepEqual(fired(`${"x".repeat(65_531)}needle`), []);
  });
});
