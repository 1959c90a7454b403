import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileWildcard, wildcardMatch } from "./wildcard.ts";

describe("wildcards", () => {
  const cases: [string, string, boolean][] = [
    ["*.exe", "evil.exe", true],
    ["*.exe", "evil.exe.txt", false],
    ["power*", "powershell.exe", true],
    ["*shell*", "powershell.exe", true],
    ["exact", "exact", true],
    ["exact", "exactly", false],
    ["a*b*c", "aXXbYYc", true],
    ["a*b*c", "aXXcYYb", false],
    ["*", "", true],
    ["a**b", "ab", true],
    ["*a*a*a*a*a*b", "a".repeat(5000), false],
  ];
  for (const [pattern, value, expected] of cases) {
    it(`${pattern} ${expected ? "matches" : "does not match"} ${value.slice(0, 20)}`, () => {
      assert.equal(wildcardMatch(value, pattern), expected);
      assert.equal(compileWildcard(pattern)(value), expected);
    });
  }
});
