/** What XQL string literals mean (spec/API.md section 9, docs/xql.md), token by token. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tokenize, XqlSyntaxError } from "./xql-lexer.ts";

const strings = (query: string) => tokenize(query).flatMap((t) => (t.kind === "string" ? [t.value] : []));

describe("XQL string literals", () => {
  it('takes "..." literally: no escape processing', () => {
    assert.deepEqual(strings('a contains "\\rundll32.exe"'), ["\\rundll32.exe"]);
    assert.deepEqual(strings('a = "\\test\\n\\t"'), ["\\test\\n\\t"]);
    assert.deepEqual(strings('a ~= ".*?\\.(?:pdf|docx)\\.exe"'), [".*?\\.(?:pdf|docx)\\.exe"]);
    assert.deepEqual(strings('a = "C:\\\\share\\\\x"'), ["C:\\\\share\\\\x"]);
  });

  it('reads \\" as a quote, except where the string ends', () => {
    assert.deepEqual(strings('regextract(x, "\\"(.*)\\"")'), ['"(.*)"']);
    assert.deepEqual(strings('a = "say \\"hi\\" now"'), ['say "hi" now']);
    assert.deepEqual(strings('a contains "C:\\Users\\"'), ["C:\\Users\\"]);
    assert.deepEqual(strings('a contains "C:\\Users\\" and b = "x"'), ["C:\\Users\\", "x"]);
    assert.deepEqual(strings('a in ("C:\\Temp\\", "D:\\Data\\")'), ["C:\\Temp\\", "D:\\Data\\"]);
    assert.deepEqual(strings('not (a contains "\\AppData\\")\n| fields a'), ["\\AppData\\"]);
    assert.deepEqual(strings('a = "\\test\\" OR b = 1'), ["\\test\\"]);
  });

  it('reads a \\" again as a quote when the string cannot end there', () => {
    assert.deepEqual(strings('split(x, "\\",\\"")'), ['","']);
    assert.deepEqual(strings('regextract(x, "\\"(\\w+)\\",\\"") | filter y = "C:\\Temp\\"'), [
      '"(\\w+)","',
      "C:\\Temp\\",
    ]);
  });

  it('reads many \\" again as quotes in regex classes such as [^\\"] (up to 64 readings)', () => {
    const pair = '\\"([^\\"]*)\\"=\\"([^\\"]*)\\"';
    const query = `alter kv = regextract(x, "${Array(6).fill(pair).join(",")}") | filter y = "C:\\Temp\\"`;
    const meant = '"([^"]*)"="([^"]*)"';
    assert.deepEqual(strings(query), [Array(6).fill(meant).join(","), "C:\\Temp\\"]);
  });

  it('processes escapes in """...""", keeping unknown ones', () => {
    assert.deepEqual(strings('a = """\\\\test\\\\"""'), ["\\test\\"]);
    assert.deepEqual(strings('a = """line\\nnext\\ttab \\"q\\""""'.replace('\\""""', '\\" """')), [
      'line\nnext\ttab "q" ',
    ]);
    assert.deepEqual(strings('a ~= """\\d+\\.exe"""'), ["\\d+\\.exe"]);
  });

  it('ends """...""" at its first unescaped """, so an escaped quote may stand last', () => {
    assert.deepEqual(strings('arraycreate("""\\"user\\"=\\"admin\\"""", """a\\\\""")'), ['"user"="admin"', "a\\"]);
    assert.deepEqual(strings('a = """\\""""'), ['"']);
  });

  it('falls back to the first """ when the escaped reading cannot be read', () => {
    assert.deepEqual(strings('a = """C:\\Temp\\""" and b = 1'), ["C:\\Temp\\"]);
    assert.deepEqual(strings('a = """C:\\Temp\\""" or b = """x"""'), ["C:\\Temp\\", "x"]);
  });

  it("reads backtick-quoted names and the new symbols", () => {
    const tokens = tokenize('comp count() as `Failed Logins` | filter a !~= "x" | alter j = b->c{}');
    const quoted = tokens.find((t) => t.quoted);
    assert.equal(quoted?.text, "Failed Logins");
    assert.ok(tokens.some((t) => t.kind === "symbol" && t.text === "!~="));
    assert.ok(tokens.some((t) => t.kind === "symbol" && t.text === "{"));
  });

  it("still refuses an unterminated string at its start", () => {
    assert.throws(
      () => tokenize('a = "C:\\Users\\'),
      (e: unknown) => e instanceof XqlSyntaxError && e.detail.column === 4,
    );
  });
});
