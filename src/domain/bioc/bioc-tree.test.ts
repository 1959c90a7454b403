import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkFilterTree, type FilterTree, parseDecimal, parseRange, SEARCH_TYPES } from "./bioc-tree.ts";

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
const top = (indicator: unknown) => checkFilterTree(indicator, LIMITS);
const check = (filter: unknown) => top(tree(filter));
const typed = (type: string, value?: unknown) =>
  check(value === undefined ? leaf({ SEARCH_TYPE: type }) : leaf({ SEARCH_TYPE: type, SEARCH_VALUE: value }));

/** A chain of `depth` nodes: depth - 1 ORs around one leaf. */
function nested(depth: number): unknown {
  let node: unknown = leaf();
  for (let i = 1; i < depth; i++) node = { OR: [node] };
  return node;
}

/** The seed's example indicator (spec/001_e649974dd3390dc5.txt), as a client sends it. */
const SEED_INDICATOR = `{
  "runOnCGO": true,
  "investigationType": "FILE_EVENT",
  "investigation": {"FILE_EVENT": {"filter": {"AND": [
    {"OR": [
      {"SEARCH_FIELD": "event_sub_type", "SEARCH_TYPE": "EQ", "SEARCH_VALUE": "1", "isExtended": false},
      {"SEARCH_FIELD": "event_sub_type", "SEARCH_TYPE": "EQ", "SEARCH_VALUE": "2", "isExtended": false},
      {"SEARCH_FIELD": "event_sub_type", "SEARCH_TYPE": "EQ", "SEARCH_VALUE": "3", "isExtended": false},
      {"SEARCH_FIELD": "event_sub_type", "SEARCH_TYPE": "EQ", "SEARCH_VALUE": "5", "isExtended": false},
      {"SEARCH_FIELD": "event_sub_type", "SEARCH_TYPE": "EQ", "SEARCH_VALUE": "6", "isExtended": false}
    ]},
    {"SEARCH_FIELD": "action_file_name", "SEARCH_TYPE": "EQ", "SEARCH_VALUE": "aaaaaa",
     "EXTRA_FIELDS": [], "isExtended": false}
  ]}}}
}`;

describe("checkFilterTree: valid trees", () => {
  it("accepts the seed's example tree", () => {
    assert.equal(top(JSON.parse(SEED_INDICATOR)), undefined);
  });

  it("accepts optional leaf keys and other upper-case investigation types", () => {
    const fields = ["causality_actor.name", "os_actor"];
    const extended = leaf({ EXTRA_FIELDS: fields, isExtended: true, node: "xdr_actor" });
    assert.equal(check({ OR: [leaf(), extended] }), undefined);
    assert.equal(top(tree(leaf(), "PROCESS_EXECUTION_EVENT")), undefined);
    const { runOnCGO: _, ...withoutRun } = tree(leaf(), "REGISTRY_EVENT2");
    assert.equal(top(withoutRun), undefined);
  });

  it("describes a valid tree with the exported types", () => {
    const valid: FilterTree = {
      investigationType: "FILE_EVENT",
      investigation: {
        FILE_EVENT: {
          filter: { AND: [{ SEARCH_FIELD: "a", SEARCH_TYPE: "IS_EMPTY" }, { OR: [leaf() as never] }] },
        },
      },
    };
    assert.equal(top(valid), undefined);
  });
});

describe("checkFilterTree: SEARCH_TYPE values", () => {
  it("accepts a plain string for the string comparisons", () => {
    for (const type of ["EQ", "NEQ", "CONTAINS", "NCONTAINS", "WILDCARD"]) {
      assert.equal(typed(type, "evil*.exe"), undefined, type);
      assert.equal(typed(type, ""), undefined, type);
      assert.match(typed(type, 5) ?? "", /SEARCH_VALUE must be a string/, type);
      assert.match(typed(type, null) ?? "", /SEARCH_VALUE must be a string .*got null/, type);
    }
  });

  it("lets IS_EMPTY and NIS_EMPTY go without a value", () => {
    for (const type of ["IS_EMPTY", "NIS_EMPTY"]) {
      assert.equal(check({ SEARCH_FIELD: "f", SEARCH_TYPE: type }), undefined, type);
      assert.equal(typed(type, null), undefined, type);
      assert.equal(typed(type, ""), undefined, type);
      assert.match(typed(type, false) ?? "", /SEARCH_VALUE must be a string/, type);
    }
  });

  it("needs a decimal number for GTE and LTE", () => {
    for (const type of ["GTE", "LTE"]) {
      for (const good of ["10", "-2.5", "+3", ".5", "0"]) assert.equal(typed(type, good), undefined, good);
      for (const bad of ["ten", "", "1e3", " 1", "1.2.3", "0x10", "Infinity", "9".repeat(400)]) {
        assert.match(typed(type, bad) ?? "", new RegExp(`${type} needs a decimal number`), bad);
      }
      assert.match(typed(type, 10) ?? "", /SEARCH_VALUE must be a string/);
    }
  });

  it("reads RANGE as low-high, low,high or a JSON array, low <= high", () => {
    for (const good of ["1-5", "1,5", "[1,5]", "[1, 5]", '["1", "5"]', "-5--1", "2 - 2", "0.5,1.5"]) {
      assert.equal(typed("RANGE", good), undefined, good);
    }
    for (const bad of ["5-1", "[5,1]", "1", "1-", "a-b", "[1]", "[1,2,3]", "[1,", "{}", "1 5", "[null,1]"]) {
      assert.match(typed("RANGE", bad) ?? "", /RANGE needs two numbers/, bad);
    }
  });

  it("compiles REGEX under RE2 and rejects what RE2 cannot run", () => {
    for (const good of ["^evil\\d+\\.exe$", "(?i)cmd", "a{2,5}", "[a-z]+|x", ""]) {
      assert.equal(typed("REGEX", good), undefined, good);
    }
    for (const bad of ["(", "(?=a)", "a(?!b)", "(?<=a)b", "(a)\\1", "[z-a]", "x**"]) {
      assert.match(typed("REGEX", bad) ?? "", /filter: REGEX does not compile under RE2 syntax/, bad);
    }
  });

  it("needs JSON text for COMPLEX_EQ", () => {
    for (const good of ['{"a":1}', "[1,2]", '"s"', "3", "null"]) {
      assert.equal(typed("COMPLEX_EQ", good), undefined, good);
    }
    for (const bad of ["{", "{a:1}", "", "'s'"]) {
      assert.match(typed("COMPLEX_EQ", bad) ?? "", /COMPLEX_EQ needs a JSON text/, bad);
    }
  });

  it("covers every SEARCH_TYPE with a good value", () => {
    const good: Record<string, string> = { GTE: "1", LTE: "1", RANGE: "1-2", COMPLEX_EQ: "{}" };
    for (const type of SEARCH_TYPES) assert.equal(typed(type, good[type] ?? "v"), undefined, type);
  });

  it("names an unknown SEARCH_TYPE with its path", () => {
    const filter = { AND: [leaf(), { OR: [leaf({ SEARCH_TYPE: "FOO" })] }] };
    assert.match(check(filter) ?? "", /^filter\.AND\[1\]\.OR\[0\]: unknown SEARCH_TYPE 'FOO'/);
    assert.match(typed("eq", "x") ?? "", /unknown SEARCH_TYPE 'eq'/);
    assert.match(typed("EQ ", "x") ?? "", /unknown SEARCH_TYPE 'EQ '/);
    assert.match(check(leaf({ SEARCH_TYPE: 3 })) ?? "", /unknown SEARCH_TYPE the number 3/);
    assert.match(check({ SEARCH_FIELD: "f", SEARCH_VALUE: "x" }) ?? "", /SEARCH_TYPE is missing/);
  });
});

describe("checkFilterTree: malformed nodes and unknown keys", () => {
  it("rejects empty AND / OR and non-array children", () => {
    assert.match(check({ AND: [] }) ?? "", /^filter\.AND: empty tree/);
    assert.match(check({ AND: [leaf(), { OR: [] }] }) ?? "", /^filter\.AND\[1\]\.OR: empty tree/);
    assert.match(check({ AND: leaf() }) ?? "", /^filter\.AND: must be an array of nodes, got an object/);
    assert.match(check({}) ?? "", /^filter: empty node/);
  });

  it("rejects nodes mixing AND, OR and leaf keys", () => {
    assert.match(check({ AND: [leaf()], OR: [leaf()] }) ?? "", /exactly one of AND, OR .*'AND', 'OR'/);
    assert.match(check({ OR: [leaf()], SEARCH_FIELD: "f" }) ?? "", /exactly one of AND, OR/);
    assert.match(check({ ...leaf(), AND: [leaf()] }) ?? "", /exactly one of AND, OR/);
  });

  it("rejects children that are not objects", () => {
    for (const child of [null, 5, "leaf", [leaf()], true]) {
      assert.match(check({ AND: [leaf(), child] }) ?? "", /^filter\.AND\[1\]: a node must be an object/);
    }
  });

  it("names unknown keys wherever they are", () => {
    assert.match(check(leaf({ colour: "red" })) ?? "", /^filter: unknown key 'colour'/);
    assert.match(check({ OR: [leaf()], and: [] }) ?? "", /^filter: unknown key 'and'/);
    assert.match(check(leaf({ a: 1, b: 2 })) ?? "", /unknown keys 'a', 'b'/);
    assert.match(top({ ...tree(leaf()), extra: 1 }) ?? "", /^indicator: unknown key 'extra'/);
    const holder = tree(leaf());
    Object.assign(holder.investigation.FILE_EVENT ?? {}, { x: 1 });
    assert.match(top(holder) ?? "", /^indicator\.investigation\.FILE_EVENT: unknown key 'x'/);
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    assert.match(check(leaf(many)) ?? "", /'k4' and 45 more/);
  });

  it("checks the leaf's own keys", () => {
    assert.match(check({ SEARCH_TYPE: "EQ", SEARCH_VALUE: "x" }) ?? "", /SEARCH_FIELD is missing/);
    for (const bad of ["", "bad field", "1abc", "a-b"]) {
      assert.match(check(leaf({ SEARCH_FIELD: bad })) ?? "", /SEARCH_FIELD '.*' is not a field name/, bad);
    }
    assert.match(check(leaf({ SEARCH_FIELD: 7 })) ?? "", /SEARCH_FIELD must be a field name string/);
    assert.match(check(leaf({ EXTRA_FIELDS: "x" })) ?? "", /EXTRA_FIELDS must be an array/);
    assert.match(check(leaf({ EXTRA_FIELDS: null })) ?? "", /EXTRA_FIELDS must be an array/);
    assert.match(check(leaf({ EXTRA_FIELDS: ["ok", 3] })) ?? "", /EXTRA_FIELDS\[1\] must be a field name/);
    assert.match(check(leaf({ isExtended: "no" })) ?? "", /isExtended must be true or false/);
    assert.match(check(leaf({ node: 1 })) ?? "", /node must be a string/);
  });

  it("ignores own __proto__ keys no further than naming them", () => {
    const poisoned = JSON.parse(
      '{"investigationType":"FILE_EVENT","investigation":{"FILE_EVENT":{"filter":{"__proto__":{"AND":[]}}}}}',
    );
    assert.match(top(poisoned) ?? "", /^filter: unknown key '__proto__'/);
    const topProto = JSON.parse(`{"__proto__": {"investigationType": "X"}, ${SEED_INDICATOR.slice(1)}`);
    assert.match(top(topProto) ?? "", /^indicator: unknown key '__proto__'/);
    const leafProto = JSON.parse('{"__proto__":{"SEARCH_FIELD":"f","SEARCH_TYPE":"EQ","SEARCH_VALUE":"x"}}');
    assert.match(check(leafProto) ?? "", /unknown key '__proto__'/);
  });
});

describe("checkFilterTree: the indicator around the filter", () => {
  it("rejects what is not a tree object, without throwing", () => {
    for (const value of [null, undefined, 0, 5, "tree", [], [tree(leaf())], true, new Date(0)]) {
      assert.match(top(value) ?? "", /^indicator: must be a filter tree object/, String(value));
    }
  });

  it("needs investigation keyed by investigationType", () => {
    const mismatch = { investigationType: "FILE_EVENT", investigation: { PROCESS_EXECUTION_EVENT: {} } };
    const expected = /must hold exactly the key 'FILE_EVENT' .*got 'PROCESS_EXECUTION_EVENT'/;
    assert.match(top(mismatch) ?? "", expected);
    const two = { investigationType: "FILE_EVENT", investigation: { FILE_EVENT: {}, REGISTRY_EVENT: {} } };
    assert.match(top(two) ?? "", /exactly the key 'FILE_EVENT'/);
    const none = { investigationType: "FILE_EVENT", investigation: {} };
    assert.match(top(none) ?? "", /got no keys/);
    const array = { investigationType: "FILE_EVENT", investigation: [] };
    assert.match(top(array) ?? "", /^indicator\.investigation: must be an object/);
    const noFilter = { investigationType: "FILE_EVENT", investigation: { FILE_EVENT: {} } };
    assert.match(top(noFilter) ?? "", /FILE_EVENT: missing 'filter'/);
    const notHolder = { investigationType: "FILE_EVENT", investigation: { FILE_EVENT: [leaf()] } };
    assert.match(top(notHolder) ?? "", /FILE_EVENT: must be an object holding 'filter'/);
  });

  it("needs an upper-case investigationType and a boolean runOnCGO", () => {
    for (const bad of ["file_event", "", "1EVENT", "FILE-EVENT", "_X"]) {
      assert.match(top(tree(leaf(), bad)) ?? "", /investigationType: .* is not an upper-case/);
    }
    const missing = { investigation: { FILE_EVENT: { filter: leaf() } } };
    assert.match(top(missing) ?? "", /investigationType: missing/);
    const numeric = { investigationType: 1, investigation: {} };
    assert.match(top(numeric) ?? "", /investigationType: must be a string/);
    assert.match(top({ ...tree(leaf()), runOnCGO: "yes" }) ?? "", /runOnCGO: must be true/);
    assert.match(top({ ...tree(leaf()), runOnCGO: null }) ?? "", /runOnCGO: must be true/);
  });
});

describe("checkFilterTree: limits", () => {
  it("accepts depth exactly maxDepth and rejects one more", () => {
    assert.equal(check(nested(32)), undefined);
    assert.match(check(nested(33)) ?? "", /^filter(\.OR\[0\]){31}: the tree is nested deeper than 32 levels/);
    assert.equal(checkFilterTree(tree(nested(3)), { ...LIMITS, maxDepth: 3 }), undefined);
    assert.match(checkFilterTree(tree(nested(4)), { ...LIMITS, maxDepth: 3 }) ?? "", /deeper than 3/);
  });

  it("accepts maxNodes nodes and rejects one more, counting AND/OR nodes too", () => {
    const leaves = (n: number) => Array.from({ length: n }, () => leaf());
    assert.equal(check({ OR: leaves(9_999) }), undefined);
    assert.match(check({ OR: leaves(10_000) }) ?? "", /^filter: the tree has more than 10000 nodes/);
    const split = { AND: [{ OR: leaves(4_999) }, { OR: leaves(4_998) }] };
    assert.equal(check(split), undefined);
    split.AND[1]?.OR.push(leaf());
    assert.match(check(split) ?? "", /more than 10000 nodes/);
  });

  it("rejects a huge child list without walking it", () => {
    const huge = { OR: new Array(1_000_000).fill(leaf({ SEARCH_TYPE: "BAD" })) };
    assert.match(check(huge) ?? "", /more than 10000 nodes/);
  });

  it("caps every string at maxStringLength", () => {
    const long = "a".repeat(1001);
    assert.equal(check(leaf({ SEARCH_VALUE: "a".repeat(1000) })), undefined);
    assert.match(check(leaf({ SEARCH_VALUE: long })) ?? "", /SEARCH_VALUE is longer than 1000/);
    assert.match(check(leaf({ SEARCH_FIELD: long })) ?? "", /SEARCH_FIELD is longer than 1000/);
    assert.match(check(leaf({ EXTRA_FIELDS: [long] })) ?? "", /EXTRA_FIELDS\[0\] is longer than 1000/);
    assert.match(check(leaf({ node: long })) ?? "", /node is longer than 1000/);
    const upper = "A".repeat(1001);
    assert.match(top(tree(leaf(), upper)) ?? "", /investigationType: longer than 1000/);
  });

  it("keeps echoed input short and on one line", () => {
    const reason = typed("GTE", `x\n${"y".repeat(5000)}`) ?? "";
    assert.ok(reason.length < 200 && !reason.includes("\n"), reason);
    const regex = typed("REGEX", `(${"z".repeat(900)}`) ?? "";
    assert.ok(regex.length < 250, regex);
  });

  it("returns an error for a 100,000-deep body instead of overflowing the stack", () => {
    assert.match(check(nested(100_000)) ?? "", /deeper than 32/);
    const depth = 100_000;
    const body = `${'{"AND":['.repeat(depth)}{}${"]}".repeat(depth)}`;
    assert.match(check(JSON.parse(body)) ?? "", /deeper than 32/);
    let objects: unknown = {};
    for (let i = 0; i < depth; i++) objects = { filter: objects };
    assert.equal(typeof top({ investigationType: "X", investigation: { X: objects } }), "string");
  });
});

describe("parseDecimal and parseRange", () => {
  it("read what the checks accept, for the matching engine", () => {
    assert.equal(parseDecimal("-2.5"), -2.5);
    assert.equal(parseDecimal("1e3"), undefined);
    assert.deepEqual(parseRange("1-5"), [1, 5]);
    assert.deepEqual(parseRange("1, 5"), [1, 5]);
    assert.deepEqual(parseRange("[1, 5]"), [1, 5]);
    assert.deepEqual(parseRange('["-5", -1]'), [-5, -1]);
    assert.deepEqual(parseRange("-5--1"), [-5, -1]);
    assert.equal(parseRange("5-1"), undefined);
    assert.equal(parseRange("a-b"), undefined);
  });
});
