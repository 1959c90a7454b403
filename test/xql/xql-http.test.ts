/**
 * XQL over the interfaces users use: `xql/validate`, `bioc/insert` and `warden xql check` (a real
 * process) say the same thing, at the same position, about the same query; the preset refusal says
 * what is wrong in err_msg; deep nesting and oversized regexes are 4xx or item errors; and random
 * and mutated queries never get a 5xx.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import fc from "fast-check";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "..", "..", "bin", "warden.js");
const VALIDATE = "/public_api/v1/xql/validate";
const INSERT = "/public_api/v1/bioc/insert";

const deep = (n: number) =>
  `dataset = xdr_data | filter event_type = ENUM.PROCESS and ${"(".repeat(n)}a = 1${")".repeat(n)}`;

/** Queries a BIOC refuses, each for a different reason. */
const REFUSED = [
  "preset=network_story | filter event_type = ENUM.NETWORK and (action_local_port = 135 or action_remote_port = 135)",
  "dataset = xdr_data |alter2 x = 1",
  "dataset = xdr_data | filter event_type = ENUM.PROCESS | comp count() as `Failed Logins` by agent_hostname",
  "dataset = xdr_data | filter event_type = ENUM.PROCESS\n| sort desc _time | limit 10",
  'dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_command_line ~= "(.*a){1000}"',
  'dataset = xdr_data | alter x = regextract(action_process_image_command_line, "(.*a){1000}") | filter event_type = ENUM.PROCESS',
  'dataset = xdr_data | filter event_type = ENUM.PROCESS and a = "unterminated',
  "dataset = xdr_data | filter event_type = ENUM.PROCESS and count() > 1",
  deep(1000),
  `dataset = xdr_data | filter event_type = ENUM.PROCESS and ${"not ".repeat(3000)}a = 1`,
  `dataset = xdr_data | filter event_type = ENUM.PROCESS and a = ${"1 + ".repeat(3000)}1`,
];

describe("XQL over HTTP and the CLI", () => {
  let t: TestApp;
  let key: TestKey;
  let dir: string;
  before(async () => {
    t = await startTestApp();
    key = await t.key("acme");
    dir = mkdtempSync(join(tmpdir(), "warden-xql-"));
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const validate = (query: string) => t.post(VALIDATE, { request_data: { query, bioc: true } }, key);
  const insert = async (query: string) => {
    const item = { name: "q", type: "EXECUTION", severity: "SEV_020_LOW", is_xql: true, indicator: query };
    const res = await t.post(INSERT, { request_data: [item] }, key);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { added_objects: unknown[]; errors: { status: string }[] };
  };
  const cli = async (query: string) => {
    const file = join(dir, "q.xql");
    writeFileSync(file, query);
    try {
      const { stdout } = await run(process.execPath, [BIN, "xql", "check", "--bioc", "--json", file]);
      return stdout.trim();
    } catch (error) {
      return (error as { stdout: string }).stdout.trim();
    }
  };

  it("says what is wrong with a preset in err_msg, not 'invalid JSON'", async () => {
    const res = await validate(REFUSED[0] as string);
    assert.equal(res.statusCode, 400);
    assert.match(res.json().err_msg, /xdr_ presets.*not preset 'network_story'/);
  });

  it("validate, insert and the CLI report the same position and message", async () => {
    for (const query of REFUSED) {
      const res = await validate(query);
      assert.equal(res.statusCode, 400, query);
      const { err_msg: message } = res.json() as { err_msg: string };
      assert.doesNotMatch(message, /invalid JSON/, query);
      const body = await insert(query);
      assert.equal(body.added_objects.length, 0, query);
      assert.equal(body.errors[0]?.status, `Failed to create bioc due to: ${message}`, query);
      const printed = JSON.parse(await cli(query)) as Record<string, unknown>;
      const expected = message.startsWith("{") ? JSON.parse(message) : { message };
      assert.deepEqual(printed, expected, query);
    }
  });

  it("refuses deep nesting and huge regexes with a clear message", async () => {
    const nested = await validate(deep(1000));
    assert.match(nested.json().err_extra.message, /nests deeper than 200 levels/);
    const regex = await validate(REFUSED[4] as string);
    assert.match(regex.json().err_extra.message, /compiles to 5002 instructions, more than the 1000 allowed/);
    const tree = {
      investigationType: "PROCESS_EXECUTION_EVENT",
      investigation: {
        PROCESS_EXECUTION_EVENT: {
          filter: {
            SEARCH_FIELD: "action_process_image_command_line",
            SEARCH_TYPE: "REGEX",
            SEARCH_VALUE: "(.*a){1000}",
          },
        },
      },
    };
    const item = { name: "t", type: "EXECUTION", severity: "SEV_020_LOW", is_xql: false, indicator: tree };
    const res = await t.post(INSERT, { request_data: [item] }, key);
    assert.match(res.json().errors[0].status, /REGEX compiles to 5002 instructions/);
  });

  it("never answers 5xx to random or mutated queries", async () => {
    const pieces = fc.constantFrom(
      "dataset = xdr_data",
      "preset = xdr_process",
      "|",
      " filter ",
      " alter x = ",
      " fields ",
      " comp count() by a",
      "(",
      ")",
      "[",
      "]",
      "{",
      "}",
      "->",
      " and ",
      " or ",
      " not ",
      " in ",
      " contains ",
      "~=",
      "!~=",
      "=",
      "!=",
      '"',
      '"""',
      "\\",
      "`",
      "'",
      "ENUM.",
      "event_type",
      "a",
      "1",
      "*",
      ",",
      "//",
      "/*",
      "\n",
      "regextract(",
      "incidr",
      "-",
      "+",
      ".",
    );
    const query = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(pieces, { maxLength: 60 }).map((p) => p.join("")),
    );
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const res = await t.post(VALIDATE, { request_data: { query: q, bioc: true } }, key);
        return res.statusCode < 500;
      }),
      { numRuns: Number(process.env.WARDEN_FUZZ_RUNS ?? 2000) > 1000 ? 1000 : 300, seed: 12 },
    );
  });
});
