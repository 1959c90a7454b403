import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseInTurns } from "../http/plugins/json-in-turns.ts";
import { arrayCuts } from "./json-array-cuts.ts";

const cutsOf = (text: string) => {
  const scan = arrayCuts(text, "request_data", 7);
  for (;;) {
    const step = scan.next();
    if (step.done) return step.value;
  }
};
const viaCuts = (text: string) => parseInTurns(text, async (t) => JSON.parse(t));

describe("a large body's request_data parsed in slices", () => {
  it("gives what JSON.parse gives, whatever the items and the text around them hold", async () => {
    const items = [
      { indicator: 'a "quoted" ] , } [ {', type: "FILENAME" },
      { nested: [[1, 2], { deep: [{}] }], escaped: "back\\slash\\", unicode: "\u00e9\\u0041" },
      "a string item, with a comma",
      42,
      null,
      true,
      [],
      {},
    ];
    for (const text of [
      JSON.stringify({ request_data: items }),
      JSON.stringify({ before: { request_data: [9] }, request_data: items, after: ["x", { y: "]" }] }, null, 2),
      ` { "request_data" : [ ${items.map((i) => JSON.stringify(i)).join(" ,\n ")} ] } `,
      JSON.stringify({ request_data: [] }),
    ])
      assert.deepEqual(await viaCuts(text), JSON.parse(text), text);
  });

  it("leaves to the ordinary parse whatever it cannot follow, so its errors read as before", () => {
    for (const text of [
      '{"request_data": [1,]}',
      '{"request_data": [,1]}',
      '{"request_data": [1,,2]}',
      '{"request_data": [1], "request_data": [2]}',
      '{"request_data": ["unterminated]}',
      '{"request_data": [1]}}',
      '{"other": [1]}',
      "[1, 2]",
    ])
      assert.equal(cutsOf(text), undefined, text);
  });
});
