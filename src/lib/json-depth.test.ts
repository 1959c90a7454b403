import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lineNestedDeeperThan, nestedDeeperThan, nestedDeeperThanInTurns, textNestedDeeperThan } from "./json-depth.ts";

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

  it("judges an NDJSON line as the text walk does, walking only a line that may nest", () => {
    for (const line of [
      '{"indicator":"a.exe","type":"FILENAME"}',
      '{"comment":"{ not [ nested"}',
      '{"vendors":[{"vendor_name":"v"}]}',
      `{"a":${arrays(3)}}`,
      `{"a":${arrays(4)}}`,
      arrays(5),
      "{}",
      "1",
    ])
      for (const max of [1, 2, 4])
        assert.equal(lineNestedDeeperThan(line, max), textNestedDeeperThan(line, max), `${line} at ${max}`);
  });

  it("counts no bracket inside a string, escaped quotes included, and each NDJSON line alone", () => {
    assert.equal(textNestedDeeperThan(JSON.stringify({ a: `"[[[[[[${"{".repeat(10)}` }), 2), false);
    assert.equal(textNestedDeeperThan(`${arrays(3)}\n${arrays(3)}\n${arrays(3)}`, 3), false);
    assert.equal(nestedDeeperThan("[[[[[[", 1), false);
  });

  it("walks a large parsed body in turns, with the same answers", async () => {
    assert.equal(await nestedDeeperThanInTurns(JSON.parse(arrays(5)), 4), true);
    assert.equal(await nestedDeeperThanInTurns(JSON.parse(arrays(4)), 4), false);
    const big = { request_data: Array.from({ length: 50_000 }, (_, i) => ({ indicator: `f${i}`, tags: [i] })) };
    let turns = 0;
    const counter = setInterval(() => {
      turns += 1;
    }, 0);
    try {
      assert.equal(await nestedDeeperThanInTurns(big, 4), false);
      assert.equal(await nestedDeeperThanInTurns(big, 2), true);
    } finally {
      clearInterval(counter);
    }
    assert.ok(turns > 0, "timers ran while the body was walked");
  });
});
