import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkFilterTree, parseRange, SEARCH_TYPES } from "./bioc-tree.ts";

const LIMITS = { maxDepth: 32, maxNodes: 10_000, maxStringLength: 1000 };
const leaf = (extra: Record<string, unknown> = {}) => ({
  SEARCH_FIELD: "action_file_name",
  SEARCH_TYPE: "EQ",
  SEARCH_VALUE: "x",
  ...extra,
});
const tree = (filter: unknown, type = "FILE_EVENT") => ({
  runOnCGO: true,
  investigationType: type,
  investigation: { [type]: { filter } },
});
const check = (filter: unknown) => checkFilterTree(tree(filter), LIMITS);

function nested(depth: number): unknown {
  let node: unknown = leaf();
  for (let i = 1; i < depth; i++) node = { OR: [node] };
  return node;
}

describe("checkFilterTree", () => {
  it("accepts the seed's tree with EXTRA_FIELDS and isExtended", () => {
    const filter = {
      AND: [
        { OR: ["1", "2"].map((v) => leaf({ SEARCH_FIELD: "event_sub_type", SEARCH_VALUE: v, isExtended: false })) },
        leaf({ EXTRA_FIELDS: ["causality_actor_process_image_name"], isExtended: false, node: "xdr_actor" }),
      ],
    };
    assert.equal(check(filter), undefined);
  });

  it("accepts a good value for every SEARCH_TYPE", () => {
    const good: Record<string, string> = {
      GTE: "10",
      LTE: "-2.5",
      RANGE: "1-5",
      REGEX: "^evil\\d+\\.exe$",
      COMPLEX_EQ: '{"a":1}',
      WILDCARD: "*.exe",
    };
    for (const type of SEARCH_TYPES) {
      assert.equal(check(leaf({ SEARCH_TYPE: type, SEARCH_VALUE: good[type] ?? "v" })), undefined, type);
    }
    assert.equal(check(leaf({ SEARCH_TYPE: "IS_EMPTY", SEARCH_VALUE: null })), undefined);
    assert.equal(check({ SEARCH_FIELD: "action_file_name", SEARCH_TYPE: "NIS_EMPTY" }), undefined);
  });

  it("rejects values that do not fit their SEARCH_TYPE, naming where", () => {
    assert.match(check(leaf({ SEARCH_TYPE: "GTE", SEARCH_VALUE: "ten" })) ?? "", /filter: GTE needs a number/);
    assert.match(check(leaf({ SEARCH_TYPE: "RANGE", SEARCH_VALUE: "5-1" })) ?? "", /RANGE needs/);
    assert.match(check(leaf({ SEARCH_TYPE: "REGEX", SEARCH_VALUE: "(" })) ?? "", /REGEX does not compile/);
    assert.match(check(leaf({ SEARCH_TYPE: "REGEX", SEARCH_VALUE: "(?=a)b" })) ?? "", /REGEX does not compile/);
    assert.match(check(leaf({ SEARCH_TYPE: "REGEX", SEARCH_VALUE: "(a)\\1" })) ?? "", /REGEX does not compile/);
    assert.match(check(leaf({ SEARCH_TYPE: "COMPLEX_EQ", SEARCH_VALUE: "{" })) ?? "", /COMPLEX_EQ/);
    assert.match(check(leaf({ SEARCH_VALUE: 5 })) ?? "", /SEARCH_VALUE must be a string/);
    assert.match(
      check({ AND: [leaf(), leaf({ SEARCH_TYPE: "FOO" })] }) ?? "",
      /filter\.AND\[1\]: unknown SEARCH_TYPE "FOO"/,
    );
  });

  it("rejects malformed nodes and unknown keys", () => {
    assert.match(check({ AND: [] }) ?? "", /filter\.AND is empty/);
    assert.match(check({ AND: leaf() }) ?? "", /must be an array/);
    assert.match(check({ AND: [leaf()], OR: [leaf()] }) ?? "", /exactly one of AND, OR/);
    assert.match(check({ AND: [leaf()], SEARCH_FIELD: "x" }) ?? "", /exactly one of AND, OR/);
    assert.match(check({ AND: [null] }) ?? "", /filter\.AND\[0\]: a node must be an object/);
    assert.match(check(leaf({ colour: "red" })) ?? "", /unknown fields colour/);
    assert.match(check(leaf({ SEARCH_FIELD: "bad field" })) ?? "", /SEARCH_FIELD/);
    assert.match(check(leaf({ EXTRA_FIELDS: "x" })) ?? "", /EXTRA_FIELDS/);
    assert.match(checkFilterTree({ ...tree(leaf()), extra: 1 }, LIMITS) ?? "", /unknown fields extra/);
    assert.match(checkFilterTree({ ...tree(leaf()), runOnCGO: "yes" }, LIMITS) ?? "", /runOnCGO/);
  });

  it("needs investigation keyed by investigationType", () => {
    const mismatch = {
      investigationType: "FILE_EVENT",
      investigation: { PROCESS_EXECUTION_EVENT: { filter: leaf() } },
    };
    assert.match(checkFilterTree(mismatch, LIMITS) ?? "", /must hold exactly the key FILE_EVENT/);
    assert.match(checkFilterTree(tree(leaf(), "file_event"), LIMITS) ?? "", /upper-case event type/);
    assert.match(
      checkFilterTree({ investigationType: "FILE_EVENT", investigation: { FILE_EVENT: {} } }, LIMITS) ?? "",
      /only 'filter'/,
    );
  });

  it("rejects what is not a tree object at all, without throwing", () => {
    for (const value of [null, undefined, 5, "tree", [], [tree(leaf())], true]) {
      assert.equal(typeof checkFilterTree(value, LIMITS), "string", JSON.stringify(value));
    }
    const poisoned = JSON.parse(
      '{"investigationType":"FILE_EVENT","investigation":{"FILE_EVENT":{"filter":{"__proto__":{"AND":[]}}}}}',
    );
    assert.equal(typeof checkFilterTree(poisoned, LIMITS), "string");
  });

  it("caps depth and size exactly at the limits", () => {
    assert.equal(check(nested(32)), undefined);
    assert.match(check(nested(33)) ?? "", /deeper than 32 levels/);
    assert.equal(check({ OR: Array.from({ length: 9_999 }, () => leaf()) }), undefined);
    assert.match(check({ OR: Array.from({ length: 10_000 }, () => leaf()) }) ?? "", /more than 10000 nodes/);
    assert.match(check(leaf({ SEARCH_VALUE: "x".repeat(1001) })) ?? "", /longer than 1000/);
  });

  it("returns quickly on a 100,000-deep body instead of overflowing the stack", () => {
    assert.match(check(nested(100_000)) ?? "", /deeper than 32/);
  });
});

describe("parseRange", () => {
  it("reads the three spellings and refuses reversed bounds", () => {
    assert.deepEqual(parseRange("1-5"), [1, 5]);
    assert.deepEqual(parseRange("1,5"), [1, 5]);
    assert.deepEqual(parseRange("[1, 5]"), [1, 5]);
    assert.deepEqual(parseRange("-5,-1"), [-5, -1]);
    assert.equal(parseRange("5-1"), undefined);
    assert.equal(parseRange("a-b"), undefined);
  });
});
