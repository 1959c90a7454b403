import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { authHeaders, START_TIME, startTestApp, type TestApp, type TestKey } from "./harness.ts";

const TREE = {
  investigationType: "PROCESS_EXECUTION_EVENT",
  investigation: {
    PROCESS_EXECUTION_EVENT: {
      filter: {
        AND: [
          { SEARCH_FIELD: "action_process_image_name", SEARCH_TYPE: "EQ", SEARCH_VALUE: "powershell.exe" },
          { SEARCH_FIELD: "action_process_image_command_line", SEARCH_TYPE: "CONTAINS", SEARCH_VALUE: "-enc" },
        ],
      },
    },
  },
};

describe("the engine over HTTP", () => {
  let t: TestApp;
  let admin: TestKey;
  let n = 0;
  const fresh = async () => t.key(`engine-${++n}`);
  const evaluate = async (key: TestKey, events: unknown[]) => {
    const res = await t.post("/public_api/v1/rules/evaluate", { request_data: { events } }, key);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().reply.hits;
  };
  const ingest = (key: TestKey, body: string | Buffer, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: "POST",
      url: "/logs/v1/event",
      headers: { ...authHeaders(key, t.clock.now()), ...headers },
      payload: body,
    });

  before(async () => {
    t = await startTestApp();
    admin = await t.key("engine-main");
  });
  after(async () => t.close());

  it("evaluates events against IOC and BIOC rules without storing anything", async () => {
    const key = await fresh();
    await t.post(
      "/public_api/v1/indicators/insert",
      { request_data: [{ indicator: "evil.com", type: "DOMAIN_NAME", severity: "SEV_040_HIGH" }] },
      key,
    );
    await t.post(
      "/public_api/v1/bioc/insert",
      {
        request_data: [{ name: "Encoded PowerShell", type: "EXECUTION", severity: "SEV_030_MEDIUM", indicator: TREE }],
      },
      key,
    );
    const hits = await evaluate(key, [
      { event_type: "NETWORK", dns_query_name: "a.evil.com" },
      {
        event_type: "PROCESS",
        action_process_image_name: "PowerShell.exe",
        action_process_image_command_line: "powershell -enc AAAA",
      },
      { event_type: "PROCESS", action_process_image_name: "cmd.exe" },
    ]);
    assert.deepEqual(hits, [
      {
        event_index: 0,
        source: "IOC",
        rule_id: 1,
        name: "evil.com",
        severity: "SEV_040_HIGH",
        field: "dns_query_name",
        value: "a.evil.com",
      },
      {
        event_index: 1,
        source: "BIOC",
        rule_id: 1,
        name: "Encoded PowerShell",
        severity: "SEV_030_MEDIUM",
        field: "action_process_image_name",
        value: "PowerShell.exe",
      },
    ]);
    const alerts = await t.post("/public_api/v1/alerts/get_alerts", { request_data: {} }, key);
    assert.equal(alerts.json().reply.total_count, 0);
    const rules = await t.post("/public_api/v1/indicators/get", { request_data: {} }, key);
    assert.equal(rules.json().objects[0].number_of_issues, 0);
  });

  it("sees rule changes at once: new, disabled, expired and deleted rules", async () => {
    const key = await fresh();
    const event = { action_file_name: "dropper.exe" };
    assert.deepEqual(await evaluate(key, [event]), []);
    await t.post(
      "/public_api/v1/indicators/insert",
      {
        request_data: [
          { indicator: "dropper.exe", type: "FILENAME", severity: "SEV_010_INFO", expiration_date: START_TIME + 1000 },
        ],
      },
      key,
    );
    assert.equal((await evaluate(key, [event])).length, 1);
    await t.post("/public_api/v1/indicators/disable_iocs", { request_data: ["dropper.exe"] }, key);
    assert.equal((await evaluate(key, [event])).length, 0, "disabled rules never match");
    await t.post("/public_api/v1/indicators/enable_iocs", { request_data: ["dropper.exe"] }, key);
    assert.equal((await evaluate(key, [event])).length, 1);
    t.clock.set(START_TIME + 1000);
    assert.equal((await evaluate(key, [event])).length, 0, "expired rules never match");
    t.clock.set(START_TIME);
    await t.post(
      "/public_api/v1/indicators/delete",
      { request_data: { filters: [{ field: "rule_id", operator: "EQ", value: 1 }] } },
      key,
    );
    assert.equal((await evaluate(key, [event])).length, 0);
    await t.post(
      "/public_api/v1/bioc/insert",
      { request_data: [{ name: "off", type: "OTHER", severity: "SEV_010_INFO", status: "DISABLED", indicator: TREE }] },
      key,
    );
    const ps = {
      event_type: "PROCESS",
      action_process_image_name: "powershell.exe",
      action_process_image_command_line: "-enc",
    };
    assert.deepEqual(await evaluate(key, [ps]), [], "disabled BIOCs never match");
  });

  it("ingests NDJSON, stores alerts, counts issues, and reports bad lines by number", async () => {
    const key = await fresh();
    await t.post(
      "/public_api/v1/indicators/insert",
      { request_data: [{ indicator: "1.2.3.4", type: "IP", severity: "SEV_050_CRITICAL" }] },
      key,
    );
    const lines = [
      JSON.stringify({ event_type: "NETWORK", action_remote_ip: "1.2.3.4", agent_hostname: "host-1" }),
      "{not json",
      "",
      JSON.stringify({ event_type: "NETWORK", action_remote_ip: "5.6.7.8" }),
      "[1,2]",
      JSON.stringify({ event_type: "NETWORK", action_local_ip: "1.2.3.4" }),
    ];
    const res = await ingest(key, lines.join("\n"), { "content-type": "text/plain" });
    assert.equal(res.statusCode, 200, res.body);
    const reply = res.json().reply;
    assert.deepEqual([reply.events, reply.matched_events, reply.alerts, reply.malformed_count], [3, 2, 2, 2]);
    assert.deepEqual(
      reply.malformed.map((m: { line: number }) => m.line),
      [2, 5],
    );
    const alerts = (await t.post("/public_api/v1/alerts/get_alerts", { request_data: {} }, key)).json().reply;
    assert.equal(alerts.total_count, 2);
    assert.deepEqual(Object.keys(alerts.alerts[0]), [
      "alert_id",
      "detection_timestamp",
      "source",
      "rule_id",
      "name",
      "severity",
      "field",
      "value",
      "event",
    ]);
    assert.equal(alerts.alerts[0].event.agent_hostname, "host-1");
    assert.equal(alerts.alerts[0].detection_timestamp, t.clock.now());
    const rule = (await t.post("/public_api/v1/indicators/get", { request_data: {} }, key)).json().objects[0];
    assert.equal(rule.number_of_issues, 2);
  });

  it("matches rule changes in ingest within a second, without rebuilding on every write", async () => {
    const key = await fresh();
    const insert = (indicator: string) =>
      t.post(
        "/public_api/v1/indicators/insert",
        { request_data: [{ indicator, type: "FILENAME", severity: "SEV_020_LOW" }] },
        key,
      );
    const alertsFor = async (name: string) => {
      const line = JSON.stringify({ event_type: "FILE", action_file_name: name });
      return (await ingest(key, line, { "content-type": "text/plain" })).json().reply.alerts;
    };
    await insert("first.exe");
    assert.equal(await alertsFor("first.exe"), 1, "a tenant's first matcher is built at once");
    await insert("second.exe");
    t.clock.advance(400);
    assert.equal(await alertsFor("second.exe"), 0, "a matcher under half a second old is used as it is");
    t.clock.advance(601);
    assert.equal(await alertsFor("second.exe"), 1, "past a second, ingest waits for the rebuild");
    const hits = await evaluate(key, [{ event_type: "FILE", action_file_name: "second.exe" }]);
    assert.equal(hits.length, 1, "evaluate always sees the rules as they are");
  });

  it("ingests a gzipped JSON array", async () => {
    const key = await fresh();
    await t.post(
      "/public_api/v1/indicators/insert",
      { request_data: [{ indicator: "bad.exe", type: "FILENAME", severity: "SEV_010_INFO" }] },
      key,
    );
    const events = Array.from({ length: 100 }, (_, i) => ({ action_file_name: i % 2 === 0 ? "bad.exe" : "good.exe" }));
    const res = await ingest(key, gzipSync(JSON.stringify(events)), {
      "content-type": "application/json",
      "content-encoding": "gzip",
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual([res.json().reply.events, res.json().reply.alerts], [100, 50]);
  });

  /** Four alerts: IOC a.exe (INFO) and b.exe (CRITICAL); 5 s later IOC b.exe again and BIOC "ps" (MEDIUM). */
  async function fourAlerts(): Promise<TestKey> {
    const key = await fresh();
    await t.post(
      "/public_api/v1/indicators/insert",
      {
        request_data: [
          { indicator: "a.exe", type: "FILENAME", severity: "SEV_010_INFO" },
          { indicator: "b.exe", type: "FILENAME", severity: "SEV_050_CRITICAL" },
        ],
      },
      key,
    );
    await t.post(
      "/public_api/v1/bioc/insert",
      { request_data: [{ name: "ps", type: "EXECUTION", severity: "SEV_030_MEDIUM", indicator: TREE }] },
      key,
    );
    await ingest(
      key,
      [{ action_file_name: "a.exe" }, { action_file_name: "b.exe" }].map((e) => JSON.stringify(e)).join("\n"),
    );
    t.clock.advance(5000);
    await ingest(
      key,
      JSON.stringify({
        event_type: "PROCESS",
        action_process_image_name: "powershell.exe",
        action_process_image_command_line: "-enc x",
        action_file_name: "b.exe",
      }),
    );
    return key;
  }

  it("filters and pages alerts", async () => {
    const key = await fourAlerts();
    const get = async (filters: unknown[], extra = {}) =>
      (await t.post("/public_api/v1/alerts/get_alerts", { request_data: { filters, ...extra } }, key)).json().reply;
    assert.equal((await get([])).total_count, 4);
    assert.deepEqual(
      (await get([{ field: "source", operator: "EQ", value: "BIOC" }])).alerts.map((a: { name: string }) => a.name),
      ["ps"],
    );
    assert.equal((await get([{ field: "severity", operator: "EQ", value: "SEV_050_CRITICAL" }])).total_count, 2);
    assert.equal(
      (
        await get([
          { field: "rule_id", operator: "EQ", value: 1 },
          { field: "source", operator: "EQ", value: "IOC" },
        ])
      ).total_count,
      1,
    );
    assert.equal((await get([{ field: "detection_timestamp", operator: "GTE", value: t.clock.now() }])).total_count, 2);
    assert.equal(
      (await get([{ field: "detection_timestamp", operator: "LTE", value: t.clock.now() - 1 }])).total_count,
      2,
    );
    const page = await get([], { search_from: 1, search_to: 2 });
    assert.deepEqual([page.total_count, page.result_count, page.alerts[0].alert_id], [4, 1, 2]);
    const bad = await t.post(
      "/public_api/v1/alerts/get_alerts",
      { request_data: { filters: [{ field: "colour", operator: "EQ", value: 1 }] } },
      key,
    );
    assert.equal(bad.statusCode, 400);
    const other = await fresh();
    assert.equal(
      (await t.post("/public_api/v1/alerts/get_alerts", { request_data: {} }, other)).json().reply.total_count,
      0,
    );
  });

  // The fields, operators and values of the vendor's get_alerts page (Cortex XDR REST API, "Get
  // all Alerts"), as its clients send them.
  it("answers the vendor's get_alerts filters and sort", async () => {
    const key = await fourAlerts();
    const get = async (request_data: unknown) => {
      const res = await t.post("/public_api/v1/alerts/get_alerts", { request_data }, key);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().reply as {
        total_count: number;
        alerts: { alert_id: number; name: string; severity: string }[];
      };
    };
    const ids = async (filters: unknown[]) => (await get({ filters })).alerts.map((a) => a.alert_id);
    assert.deepEqual(await ids([{ field: "alert_id_list", operator: "in", value: [2, "3"] }]), [2, 3]);
    assert.deepEqual(await ids([{ field: "severity", operator: "in", value: ["critical", "Medium"] }]), [2, 3, 4]);
    assert.deepEqual(await ids([{ field: "severity", operator: "in", value: ["informational", "unknown"] }]), [1]);
    assert.deepEqual(await ids([{ field: "alert_source", operator: "in", value: ["XDR BIOC", "XDR Analytics"] }]), [4]);
    assert.deepEqual(await ids([{ field: "alert_source", operator: "in", value: ["PAN NGFW"] }]), []);
    assert.deepEqual(await ids([{ field: "creation_time", operator: "gte", value: t.clock.now() }]), [3, 4]);
    assert.deepEqual(await ids([{ field: "creation_time", operator: "lte", value: t.clock.now() - 1 }]), [1, 2]);
    const sorted = await get({ search_from: 0, search_to: 100, sort: { field: "creation_time", keyword: "desc" } });
    assert.deepEqual(
      sorted.alerts.map((a) => a.alert_id),
      [4, 3, 2, 1],
    );
    const bySeverity = await get({ sort: { field: "severity", keyword: "DESC" } });
    assert.deepEqual(
      bySeverity.alerts.map((a) => a.severity),
      ["SEV_050_CRITICAL", "SEV_050_CRITICAL", "SEV_030_MEDIUM", "SEV_010_INFO"],
    );
    const bad = await t.post(
      "/public_api/v1/alerts/get_alerts",
      { request_data: { filters: [{ field: "severity", operator: "in", value: ["severe"] }] } },
      key,
    );
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().reply.err_extra, /'severity' cannot be "severe"/);
  });

  it("lets analysts evaluate and ingest, viewers only read alerts", async () => {
    const analyst = await t.key("engine-main", "analyst");
    const viewer = await t.key("engine-main", "viewer");
    assert.equal(
      (await t.post("/public_api/v1/rules/evaluate", { request_data: { events: [] } }, analyst)).statusCode,
      200,
    );
    assert.equal((await ingest(analyst, "{}")).statusCode, 200);
    assert.equal(
      (await t.post("/public_api/v1/rules/evaluate", { request_data: { events: [] } }, viewer)).statusCode,
      403,
    );
    assert.equal((await ingest(viewer, "{}")).statusCode, 403);
    assert.equal((await t.post("/public_api/v1/alerts/get_alerts", { request_data: {} }, viewer)).statusCode, 200);
    assert.equal((await ingest({ ...admin, secret: "wrong" }, "{}")).statusCode, 401);
  });
});
