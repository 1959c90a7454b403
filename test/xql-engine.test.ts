/** XQL BIOCs in the engine and over HTTP: equivalent tree and XQL rules fire on exactly the same events. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp, type TestKey } from "./harness.ts";

const leaf = (field: string, type: string, value?: string) => ({
  SEARCH_FIELD: field,
  SEARCH_TYPE: type,
  SEARCH_VALUE: value,
});
const tree = (investigationType: string, filter: unknown) => ({
  investigationType,
  investigation: { [investigationType]: { filter } },
});

/** [name, tree, the same rule in XQL] */
const PAIRS: [string, unknown, string][] = [
  [
    "encoded powershell",
    tree("PROCESS_EXECUTION_EVENT", {
      AND: [
        leaf("action_process_image_name", "EQ", "powershell.exe"),
        leaf("action_process_image_command_line", "CONTAINS", "-enc"),
      ],
    }),
    'dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_name = "powershell.exe" and action_process_image_command_line contains "-enc"',
  ],
  [
    "metasploit ports",
    tree("NETWORK_CONNECTION_EVENT", leaf("action_remote_port", "RANGE", "4444-4450")),
    "dataset = xdr_data | filter event_type = ENUM.NETWORK and action_remote_port >= 4444 and action_remote_port <= 4450",
  ],
  [
    "run keys",
    tree("REGISTRY_EVENT", leaf("action_registry_key_name", "REGEX", "\\\\run(once)?$")),
    'dataset = xdr_data | filter event_type = ENUM.REGISTRY and action_registry_key_name ~= "\\\\run(once)?$"',
  ],
  [
    "scripts dropped",
    tree("FILE_EVENT", {
      AND: [
        { OR: [leaf("event_sub_type", "EQ", "1"), leaf("event_sub_type", "EQ", "2")] },
        leaf("action_file_name", "WILDCARD", "*.ps1"),
      ],
    }),
    'preset = xdr_file | filter event_sub_type in ("1", "2") and action_file_name = "*.ps1"',
  ],
  [
    "office spawns shell",
    tree("PROCESS_EXECUTION_EVENT", {
      AND: [
        leaf("actor_process_image_name", "WILDCARD", "winword*"),
        {
          OR: [
            leaf("action_process_image_name", "EQ", "cmd.exe"),
            leaf("action_process_image_name", "EQ", "powershell.exe"),
          ],
        },
      ],
    }),
    'dataset = xdr_data | alter parent = lowercase(actor_process_image_name) | filter event_type = ENUM.PROCESS and parent = "winword*" and action_process_image_name in ("CMD.EXE", "powershell.exe")',
  ],
];

const EVENTS = [
  {
    event_type: "PROCESS",
    action_process_image_name: "PowerShell.exe",
    action_process_image_command_line: "powershell -ENC abc",
    actor_process_image_name: "WINWORD.EXE",
  },
  { event_type: 1, action_process_image_name: "powershell.exe", action_process_image_command_line: "powershell -nop" },
  { event_type: "ENUM.PROCESS", action_process_image_name: "cmd.exe", actor_process_image_name: "winword.exe" },
  { event_type: "FILE", action_process_image_name: "powershell.exe", action_process_image_command_line: "-enc" },
  { event_type: "NETWORK", action_remote_port: 4444 },
  { event_type: "NETWORK", action_remote_port: "4450" },
  { event_type: 2, action_remote_port: 4451 },
  { event_type: "REGISTRY", action_registry_key_name: "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce" },
  { event_type: "REGISTRY", action_registry_key_name: "HKLM\\Software\\Running" },
  { event_type: "FILE", event_sub_type: 1, action_file_name: "Invoke.PS1" },
  { event_type: "FILE", event_sub_type: 3, action_file_name: "invoke.ps1" },
  { event_type: 3, event_sub_type: "2", action_file_name: "a.ps1.txt" },
  { action_process_image_name: "powershell.exe", action_process_image_command_line: "-enc" },
];

describe("XQL BIOC rules in the engine", () => {
  let t: TestApp;
  let key: TestKey;

  before(async () => {
    t = await startTestApp();
    key = await t.key("xql");
    const items = PAIRS.flatMap(([name, indicator, query]) => [
      { name: `tree ${name}`, type: "OTHER", severity: "SEV_030_MEDIUM", indicator },
      { name: `xql ${name}`, type: "OTHER", severity: "SEV_030_MEDIUM", is_xql: true, indicator: query },
    ]);
    const res = await t.post("/public_api/v1/bioc/insert", { request_data: items }, key);
    assert.deepEqual(res.json().errors, []);
  });
  after(async () => t.close());

  it("fires each XQL rule on exactly the events its tree twin fires on", async () => {
    const res = await t.post("/public_api/v1/rules/evaluate", { request_data: { events: EVENTS } }, key);
    const hits: { event_index: number; name: string }[] = res.json().reply.hits;
    for (const [name] of PAIRS) {
      const fired = (prefix: string) => hits.filter((h) => h.name === `${prefix} ${name}`).map((h) => h.event_index);
      assert.ok(fired("tree").length > 0, `${name} fires at all`);
      assert.deepEqual(fired("xql"), fired("tree"), name);
    }
  });

  it("stores alerts for XQL rules like for tree rules", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/logs/v1/event",
      headers: { "x-xdr-auth-id": String(key.id), authorization: key.secret },
      payload: JSON.stringify(EVENTS[4]),
    });
    assert.equal(res.json().reply.alerts, 2);
    const alerts = await t.post(
      "/public_api/v1/alerts/get_alerts",
      { request_data: { filters: [{ field: "source", operator: "EQ", value: "BIOC" }] } },
      key,
    );
    assert.deepEqual(
      alerts
        .json()
        .reply.alerts.map((a: { name: string; field: string }) => [a.name, a.field])
        .sort(),
      [
        ["tree metasploit ports", "action_remote_port"],
        ["xql metasploit ports", "action_remote_port"],
      ],
    );
  });

  it("refuses XQL BIOCs that break the syntax or the BIOC rules, in the seed's form", async () => {
    const bad = [
      [
        "dataset = xdr_data |alter2 x = 1",
        '{"line": 1, "column": 19, "message": "no viable alternative at input \'|alter2\'"}',
      ],
      [
        "dataset = xdr_data | filter event_type = ENUM.PROCESS | comp count() by agent_hostname",
        '{"line": 1, "column": 56, "message": "stage 2 \'comp\' aggregates many events, and a BIOC matches one event at a time: a BIOC query may use only filter, alter, fields and config (use a correlation rule)"}',
      ],
      [
        "dataset = panw_ngfw_traffic_raw | filter event_type = ENUM.NETWORK",
        "a BIOC query may only read xdr_data or cloud_audit_log, not 'panw_ngfw_traffic_raw'",
      ],
      [
        'dataset = xdr_data | filter action_file_name = "x"',
        "a BIOC query must filter on event_type, e.g. filter event_type = ENUM.PROCESS",
      ],
      [
        "dataset = xdr_data | filter event_type = ENUM.FILE and frob(x) = 1",
        '{"line": 1, "column": 55, "message": "unknown function \'frob\'"}',
      ],
      [
        "dataset = xdr_data | filter event_type = ENUM.FILE | alter n = count(x)",
        '{"line": 1, "column": 63, "message": "aggregate function \'count\' cannot be evaluated on one event"}',
      ],
    ];
    const res = await t.post(
      "/public_api/v1/bioc/insert",
      {
        request_data: bad.map(([query]) => ({
          name: "bad",
          type: "OTHER",
          severity: "SEV_010_INFO",
          is_xql: true,
          indicator: query,
        })),
      },
      key,
    );
    assert.deepEqual(
      res.json().errors.map((e: { status: string }) => e.status),
      bad.map(([, reason]) => `Failed to create bioc due to: ${reason}`),
    );
  });

  it("validates queries over HTTP, with the BIOC rules on request", async () => {
    const validate = (query: string, bioc?: boolean) =>
      t.post("/public_api/v1/xql/validate", { request_data: { query, ...(bioc === undefined ? {} : { bioc }) } }, key);
    const good = await validate(
      "dataset = xdr_data | filter event_type = ENUM.PROCESS | comp count() by agent_hostname",
    );
    assert.deepEqual(good.json(), { reply: { valid: true } });
    const broken = await validate("dataset = xdr_data |alter2 x = 1");
    assert.equal(broken.statusCode, 400);
    assert.deepEqual(broken.json(), {
      err_code: 400,
      err_msg: '{"line": 1, "column": 19, "message": "no viable alternative at input \'|alter2\'"}',
      err_extra: { line: 1, column: 19, message: "no viable alternative at input '|alter2'" },
      reply: {
        err_code: 400,
        err_msg: '{"line": 1, "column": 19, "message": "no viable alternative at input \'|alter2\'"}',
        err_extra: { line: 1, column: 19, message: "no viable alternative at input '|alter2'" },
      },
    });
    const notBioc = await validate(
      "dataset = xdr_data | filter event_type = ENUM.PROCESS | comp count() by agent_hostname",
      true,
    );
    assert.equal(notBioc.statusCode, 400);
    assert.match(notBioc.json().err_extra.message, /stage 2 'comp' aggregates many events/);
    assert.equal(notBioc.json().err_extra.column, 56);
  });
});
