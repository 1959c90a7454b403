/**
 * The XQL front end on its corpora: every query in valid-queries*.xql (modelled on the vendor's
 * public XQL reference and BIOC examples) parses, and every query in broken-queries.json fails
 * at exactly the recorded line, column and message.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { XqlSyntaxError } from "../../src/domain/xql/xql-lexer.ts";
import { parseXql } from "../../src/domain/xql/xql-parser.ts";

const here = import.meta.dirname;

function errorOf(query: string) {
  try {
    parseXql(query);
    return undefined;
  } catch (error) {
    if (error instanceof XqlSyntaxError) return error.detail;
    throw error;
  }
}

describe("XQL syntax", () => {
  const valid = readdirSync(here)
    .filter((name) => /^valid-queries.*\.xql$/.test(name))
    .flatMap((name) => readFileSync(join(here, name), "utf8").split(/^---$/m))
    .map((q) => q.trim())
    .filter((q) => q !== "");

  it(`has a corpus of at least 150 valid queries (${valid.length})`, () => {
    assert.ok(valid.length >= 150);
  });

  it("parses every valid query", () => {
    const failures = valid.flatMap((query) => {
      const error = errorOf(query);
      return error ? [`${JSON.stringify(error)} in:\n${query}`] : [];
    });
    assert.deepEqual(failures, []);
  });

  const broken = JSON.parse(readFileSync(join(here, "broken-queries.json"), "utf8")) as [
    string,
    number,
    number,
    string,
  ][];

  it(`has at least 60 broken queries (${broken.length})`, () => {
    assert.ok(broken.length >= 60);
  });

  for (const [query, line, column, message] of broken) {
    it(`rejects ${JSON.stringify(query).slice(0, 70)}`, () => {
      assert.deepEqual(errorOf(query), { line, column, message });
    });
  }
});
