import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { readLines } from "./line-reader.ts";

async function lines(chunks: (string | Buffer)[], max = 10) {
  const out = [];
  for await (const line of readLines(Readable.from(chunks), max)) out.push(line);
  return out;
}

describe("readLines", () => {
  it("splits across chunk boundaries and keeps a last line without newline", async () => {
    assert.deepEqual(await lines(["ab", "c\nde", "f\n", "g"]), [
      { line: 1, text: "abc" },
      { line: 2, text: "def" },
      { line: 3, text: "g" },
    ]);
  });

  it("drops an over-long line but counts it, and goes on", async () => {
    assert.deepEqual(await lines(["0123456789", "0123\nok\n"], 10), [
      { line: 1, tooLong: 14 },
      { line: 2, text: "ok" },
    ]);
  });

  it("decodes multi-byte characters split between chunks", async () => {
    const bytes = Buffer.from("é\n", "utf8");
    assert.deepEqual(await lines([bytes.subarray(0, 1), bytes.subarray(1)]), [{ line: 1, text: "é" }]);
  });
});
