/**
 * XQL BIOC queries in forms public hunts and the vendor's own pages use, each with events it must
 * and must not fire on: through rules/evaluate (the server's indexed matcher), and against the
 * linear matcher, the oracle. Each form once filed its rule where no event could find it, or read
 * as null what the query named, or did not parse.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkBiocQuery } from "../../src/domain/xql/xql-bioc.ts";
import { CompiledMatcher } from "../../src/engine/compiled-matcher.ts";
import type { EndpointEvent } from "../../src/engine/event-model.ts";
import { LinearMatcher } from "../../src/engine/linear-matcher.ts";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";

interface Hunt {
  name: string;
  query: string;
  fires: EndpointEvent[];
  quiet: EndpointEvent[];
}

const HUNTS: Hunt[] = [
  {
    // an empty value as the first equality: the rule was filed under "", which no lookup asked for
    name: "rundll32 with no command line",
    query:
      'dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_command_line = "" and action_process_image_name = "rundll32.exe"',
    fires: [
      { event_type: "PROCESS", action_process_image_name: "rundll32.exe", action_process_image_command_line: "" },
    ],
    quiet: [
      {
        event_type: "PROCESS",
        action_process_image_name: "rundll32.exe",
        action_process_image_command_line: "x.dll,A",
      },
      { event_type: "PROCESS", action_process_image_name: "rundll32.exe" },
    ],
  },
  {
    name: "svchost without its -k",
    query:
      'dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_command_line in ("", "svchost.exe") and action_process_image_name = "svchost.exe"',
    fires: [
      { event_type: 1, action_process_image_name: "svchost.exe", action_process_image_command_line: "" },
      { event_type: 1, action_process_image_name: "svchost.exe", action_process_image_command_line: "SVCHOST.EXE" },
    ],
    quiet: [
      { event_type: 1, action_process_image_name: "svchost.exe", action_process_image_command_line: "-k netsvcs" },
    ],
  },
  {
    // event_type as a quoted number: filed under a type "3" no event has
    name: "a.exe written",
    query: 'dataset = xdr_data | filter event_type = "3" | filter action_file_name = "a.exe"',
    fires: [
      { event_type: "FILE", action_file_name: "a.exe" },
      { event_type: 3, action_file_name: "A.EXE" },
    ],
    quiet: [{ event_type: "PROCESS", action_file_name: "a.exe" }],
  },
  {
    // `fields x as y`, from the vendor's case_sensitive page: y was never bound, so read as null
    name: "python as a parent",
    query:
      'dataset = xdr_data | filter event_type = ENUM.PROCESS | fields actor_process_image_name as apin | filter apin != NULL and apin contains "python"',
    fires: [{ event_type: "PROCESS", actor_process_image_name: "python3.exe" }],
    quiet: [
      { event_type: "PROCESS", actor_process_image_name: "cmd.exe" },
      { event_type: "PROCESS", action_process_image_name: "python3.exe" },
    ],
  },
  {
    name: "a renamed field is no longer there by its old name",
    query:
      "dataset = xdr_data | filter event_type = ENUM.PROCESS | fields actor_process_image_name as apin | filter actor_process_image_name != null",
    fires: [],
    quiet: [{ event_type: "PROCESS", actor_process_image_name: "python3.exe" }],
  },
  {
    // a block comment right after a string that ends in a backslash did not parse
    name: "a.exe in a Temp folder",
    query: String.raw`dataset = xdr_data | filter event_type = ENUM.FILE and action_file_path contains "\Temp\" /* temp dir */ and action_file_name = "a.exe"`,
    fires: [
      {
        event_type: "FILE",
        action_file_path: String.raw`C:\Users\bob\AppData\Local\Temp\a.exe`,
        action_file_name: "a.exe",
      },
    ],
    quiet: [
      { event_type: "FILE", action_file_path: String.raw`C:\Users\bob\Downloads\a.exe`, action_file_name: "a.exe" },
    ],
  },
];

describe("XQL BIOC queries in the forms public hunts use", () => {
  let t: TestApp;
  let key: TestKey;

  before(async () => {
    t = await startTestApp();
    key = await t.key("hunts");
    const items = HUNTS.map(({ name, query }) => ({
      name,
      type: "OTHER",
      severity: "SEV_030_MEDIUM",
      is_xql: true,
      indicator: query,
    }));
    const res = await t.post("/public_api/v1/bioc/insert", { request_data: items }, key);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().errors, []);
  });
  after(async () => t.close());

  for (const hunt of HUNTS) {
    it(`${hunt.name}: fires on its events, and only on them`, async () => {
      const events = [...hunt.fires, ...hunt.quiet];
      const res = await t.post("/public_api/v1/rules/evaluate", { request_data: { events } }, key);
      assert.equal(res.statusCode, 200, res.body);
      const fired = res
        .json()
        .reply.hits.filter((h: { name: string }) => h.name === hunt.name)
        .map((h: { event_index: number }) => h.event_index);
      assert.deepEqual(
        fired,
        hunt.fires.map((_, i) => i),
      );
    });
  }

  it("the indexed matcher and the linear one agree on every hunt and event", () => {
    const entries = HUNTS.map(({ name, query }, i) => {
      const plan = checkBiocQuery(query);
      assert.ok(plan.ok, name);
      return { ruleId: i + 1, name, severity: "SEV_030_MEDIUM" as const, xql: plan.value };
    });
    const oracle = new LinearMatcher([], entries);
    const indexed = CompiledMatcher.build([], entries);
    for (const event of HUNTS.flatMap((h) => [...h.fires, ...h.quiet])) {
      const ids = (hits: { ruleId: number }[]) => hits.map((h) => h.ruleId);
      assert.deepEqual(ids(indexed.match(event, 0)), ids(oracle.match(event, 0)), JSON.stringify(event));
    }
  });
});
