/** `warden rules test` as a process on a rules repository: problems at file:line:column, JUnit a CI reads. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { XMLParser } from "fast-xml-parser";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "..", "bin", "warden.js");

const GOOD_XQL = `name: cmd spawned
type: EXECUTION
severity: SEV_030_MEDIUM
is_xql: true
indicator: |
  dataset = xdr_data
  | filter event_type = ENUM.PROCESS and action_process_image_name = "cmd.exe"
tests:
  fires:
    - {event_type: PROCESS, action_process_image_name: cmd.exe}
  does_not_fire: no-cmd.ndjson
`;

// The query's third line (file line 8) starts a stage where an expression was due.
const BROKEN_XQL = `name: broken query
type: EXECUTION
severity: SEV_030_MEDIUM
is_xql: true
indicator: |
  dataset = xdr_data
  | filter event_type = ENUM.PROCESS and
  |alter2 x = 1
`;

const NEVER_FIRES = `{
  "name": "evil.exe started",
  "type": "EXECUTION",
  "severity": "SEV_040_HIGH",
  "indicator": {
    "runOnCGO": true,
    "investigationType": "PROCESS_EXECUTION_EVENT",
    "investigation": {"PROCESS_EXECUTION_EVENT": {"filter": {"AND": [
      {"SEARCH_FIELD": "action_process_image_name", "SEARCH_TYPE": "EQ", "SEARCH_VALUE": "evil.exe"}
    ]}}}
  },
  "tests": {"fires": [{"event_type": "PROCESS", "action_process_image_name": "good.exe"}]}
}
`;

const BROKEN_CORRELATION = `name: ticket anomaly
severity: SEV_040_HIGH
alert_name: Ticket anomaly
xql_query: "dataset = xdr_data | filter x = = 1"
`;

interface Suite {
  "@_name": string;
  "@_failures": string;
  testcase: { "@_name": string; failure?: { "@_message": string } }[];
}

describe("warden rules test", () => {
  let dir: string;
  const warden = async (...args: string[]) => {
    try {
      const { stdout } = await run(process.execPath, [BIN, ...args]);
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, stdout: failed.stdout };
    }
  };
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "warden-rules-test-"));
    write("good/biocs/cmd-spawned.yaml", GOOD_XQL);
    write("good/biocs/no-cmd.ndjson", '{"event_type":"PROCESS","action_process_image_name":"calc.exe"}\n');
    write("good/iocs/domains.csv", 'indicator,type,severity,comment\nevil.com,DOMAIN_NAME,SEV_020_LOW,"a, quoted"\n');
    write("bad/biocs/cmd-spawned.yaml", GOOD_XQL);
    write("bad/biocs/no-cmd.ndjson", '{"event_type":"PROCESS","action_process_image_name":"cmd.exe"}\n');
    write("bad/biocs/broken-query.yaml", BROKEN_XQL);
    write("bad/biocs/never-fires.json", NEVER_FIRES);
    write("bad/biocs/same-name.yaml", BROKEN_XQL.replace("|alter2 x = 1", '| filter action_file_name = "a"'));
    write("bad/biocs/not-yaml.yaml", "name: [unclosed\n");
    write("bad/correlations/bad-join.yaml", BROKEN_CORRELATION);
    write(
      "bad/iocs/hashes.csv",
      "indicator,type,severity\nd41d8cd98f00b204e9800998ecf8427e,HASH,SEV_020_LOW\nnot-a-hash,HASH,SEV_020_LOW\n",
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("passes a valid repository, tests read inline and from NDJSON files", async () => {
    const result = await warden("rules", "test", join(dir, "good"));
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /2 files, 2 rules, 0 problems; 2 rule tests, 0 failing/);
  });

  it("reports a broken XQL rule, a test that does not fire and a bad IOC with file and line, and exits 1", async () => {
    const junit = join(dir, "junit.xml");
    const result = await warden("rules", "test", join(dir, "bad"), "--junit", junit);
    assert.equal(result.code, 1);
    const bad = join(dir, "bad");
    assert.ok(result.stdout.includes(`${bad}/biocs/broken-query.yaml:8:3: XQL syntax error`), result.stdout);
    // Each failing test is placed at its event: inline in the rule file, or its NDJSON line.
    assert.ok(result.stdout.includes(`${bad}/biocs/never-fires.json:12:23: the rule did not fire`), result.stdout);
    assert.match(result.stdout, /the rule did not fire on fires\[0\]/);
    assert.ok(result.stdout.includes(`${bad}/biocs/no-cmd.ndjson:1:1: the rule fired on does_not_fire[0]`));
    assert.ok(result.stdout.includes(`${bad}/iocs/hashes.csv:3:1: Got type: HASH, Indicator: not-a-hash mismatch`));
    assert.ok(result.stdout.includes(`${bad}/biocs/same-name.yaml:1:1: the bioc name 'broken query' is also used by`));
    assert.ok(result.stdout.includes(`${bad}/biocs/not-yaml.yaml:2:1: `), result.stdout);
    assert.match(result.stdout, new RegExp(`${bad}/correlations/bad-join.yaml:4:\\d+: XQL syntax error`));

    const parsed = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => name === "testsuite" || name === "testcase",
    }).parse(readFileSync(junit, "utf8"));
    const suites: Suite[] = parsed.testsuites.testsuite;
    const failing = suites.filter((s) => s["@_failures"] !== "0").map((s) => s["@_name"].slice(bad.length + 1));
    assert.deepEqual(failing.sort(), [
      "biocs/broken-query.yaml",
      "biocs/cmd-spawned.yaml",
      "biocs/never-fires.json",
      "biocs/not-yaml.yaml",
      "biocs/same-name.yaml",
      "correlations/bad-join.yaml",
      "iocs/hashes.csv",
    ]);
    const neverFires = suites.find((s) => s["@_name"].endsWith("never-fires.json"));
    assert.match(neverFires?.testcase.find((c) => c.failure)?.failure?.["@_message"] ?? "", /never-fires\.json:12/);
  });

  it("says which server options are missing, and refuses to plan a repository with problems", async () => {
    const missing = await warden("rules", "plan", join(dir, "good"));
    assert.equal(missing.code, 1);
    const broken = await warden(
      "rules",
      "plan",
      join(dir, "bad"),
      "--url",
      "http://127.0.0.1:9",
      "--key-id",
      "1",
      "--key",
      "x",
    );
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /broken-query\.yaml:8:3/);
  });
});
