import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nestedDeeperThan, textNestedDeeperThan } from "./json-depth.ts";

const arrays = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("JSON nesting depth", () => {
  it("lets the cap through and refuses one more, parsed or as text", () => {
    for (const [text, deeper] of [
      [arrays(4), false],
      [arrays(5), true],
      ['{"a":[{"b":[1]}]}', false],
      ['{"a":[{"b":[[1]]}]}', true],
    ] as const) {
      assert.equal(nestedDeeperThan(JSON.parse(text), 4), deeper, text);
      assert.equal(textNestedDeeperThan(text, 4), deeper, text);
    }
  });

  it("counts no bracket inside a string, escaped quotes included, and each NDJSON line alone", () => {
    assert.equal(textNestedDeeperThan(JSON.stringify({ a: `"[[[[[[${"{".repeat(10)}` }), 2), false);
    assert.equal(textNestedDeeperThan(`${arrays(3)}\n${arrays(3)}\n${arrays(3)}`, 3), false);
    assert.equal(nestedDeeperThan("[[[[[[", 1), false);
  });
});
