/**
 * The two Warden extensions the console lists need (docs/console.md), through HTTP: the CONTAINS
 * filter operator (case-insensitive substring) and `sort` in request_data, on indicators/get,
 * bioc/get and alerts/get_alerts. XSIAM clients never send either, and lose nothing.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp, type TestKey } from "./harness.ts";

describe("list extensions: CONTAINS and sort", () => {
  let t: TestApp;
  let admin: TestKey;
  let other: TestKey;

  const post = async (path: string, body: unknown, key = admin) => {
    const res = await t.post(path, body, key);
    return {
      status: res.statusCode,
      json: res.json() as Record<string, unknown> & { objects: Record<string, unknown>[] },
    };
  };
  const iocs = async (request: Record<string, unknown>, key = admin) =>
    (await post("/public_api/v1/indicators/get", { request_data: request }, key)).json;

  before(async () => {
    t = await startTestApp();
    admin = await t.key("lists");
    other = await t.key("lists-other");
    const items = ["Alpha-Evil.exe", "beta.exe", "gamma-EVIL.dll", "100%_sure.exe"].map((indicator, i) => ({
      indicator,
      type: "FILENAME",
      severity: ["SEV_040_HIGH", "SEV_010_INFO", "SEV_030_MEDIUM", "SEV_020_LOW"][i],
    }));
    await post("/public_api/v1/indicators/insert", { request_data: items });
    await post(
      "/public_api/v1/indicators/insert",
      {
        request_data: [{ indicator: "other-evil.exe", type: "FILENAME", severity: "SEV_010_INFO" }],
      },
      other,
    );
    const bioc = (name: string) => ({
      name,
      type: "OTHER",
      severity: "SEV_020_LOW",
      status: "enabled",
      is_xql: true,
      indicator: "dataset = xdr_data | filter event_type = ENUM.PROCESS",
    });
    await post("/public_api/v1/bioc/insert", {
      request_data: [bioc("zeta Watch"), bioc("alpha watch"), bioc("unrelated")],
    });
  });
  after(() => t.close());

  it("CONTAINS finds a substring in any letter case, within the tenant only", async () => {
    const found = await iocs({ filters: [{ field: "indicator", operator: "CONTAINS", value: "EVIL" }] });
    assert.equal(found.objects_count, 2);
    assert.deepEqual(
      found.objects.map((o) => o.indicator),
      ["Alpha-Evil.exe", "gamma-EVIL.dll"],
    );
  });

  it("CONTAINS matches % and _ literally", async () => {
    const found = await iocs({ filters: [{ field: "indicator", operator: "CONTAINS", value: "0%_s" }] });
    assert.deepEqual(
      found.objects.map((o) => o.indicator),
      ["100%_sure.exe"],
    );
    const none = await iocs({ filters: [{ field: "indicator", operator: "CONTAINS", value: "a%e" }] });
    assert.equal(none.objects_count, 0);
  });

  it("sort orders a page by a field, either way, and pages through the whole order", async () => {
    const desc = await iocs({ sort: { field: "severity", keyword: "desc" } });
    assert.deepEqual(
      desc.objects.map((o) => o.severity),
      ["SEV_040_HIGH", "SEV_030_MEDIUM", "SEV_020_LOW", "SEV_010_INFO"],
    );
    const second = await iocs({ sort: { field: "indicator", keyword: "asc" }, search_from: 1, search_to: 3 });
    assert.deepEqual(
      second.objects.map((o) => o.indicator),
      ["Alpha-Evil.exe", "beta.exe"],
    );
    assert.equal(second.objects_count, 4);
  });

  it("bioc/get takes CONTAINS and sort too", async () => {
    const res = await post("/public_api/v1/bioc/get", {
      request_data: {
        filters: [{ field: "name", operator: "CONTAINS", value: "watch" }],
        sort: { field: "name", keyword: "DESC" },
      },
    });
    assert.deepEqual(
      res.json.objects.map((o) => o.name),
      ["zeta Watch", "alpha watch"],
    );
  });

  it("alerts/get_alerts answers newest first with sort desc", async () => {
    await post("/public_api/v1/indicators/insert", {
      request_data: [{ indicator: "hit.exe", type: "FILENAME", severity: "SEV_020_LOW" }],
    });
    for (let i = 0; i < 3; i++) {
      const res = await t.app.inject({
        method: "POST",
        url: "/logs/v1/event",
        headers: { "x-xdr-auth-id": String(admin.id), authorization: admin.secret },
        payload: JSON.stringify({ event_type: "PROCESS", action_process_image_name: "hit.exe" }),
      });
      assert.ok(res.statusCode < 300, res.body);
    }
    const res = await post("/public_api/v1/alerts/get_alerts", {
      request_data: { sort: { field: "alert_id", keyword: "desc" }, search_to: 2 },
    });
    const reply = res.json.reply as { total_count: number; alerts: { alert_id: number }[] };
    assert.ok(reply.total_count >= 3);
    const ids = reply.alerts.map((a) => a.alert_id);
    assert.equal(ids.length, 2);
    assert.ok((ids[0] ?? 0) > (ids[1] ?? 0), `newest first: ${ids}`);
  });

  it("refuses a bad sort or CONTAINS with a 400 that says why", async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["/public_api/v1/indicators/get", { sort: { field: "nope", keyword: "asc" } }, /sort: unknown field 'nope'/],
      [
        "/public_api/v1/indicators/get",
        { filters: [{ field: "rule_id", operator: "CONTAINS", value: "1" }] },
        /CONTAINS needs a text field/,
      ],
      [
        "/public_api/v1/indicators/get",
        { filters: [{ field: "indicator", operator: "CONTAINS", value: "" }] },
        /one non-empty string/,
      ],
      [
        "/public_api/v1/bioc/get",
        { filters: [{ field: "mitre_tactic_id_and_name", operator: "CONTAINS", value: "TA" }] },
        /CONTAINS needs a text field/,
      ],
      [
        "/public_api/v1/bioc/get",
        { sort: { field: "mitre_tactic_id_and_name", keyword: "asc" } },
        /sort: unknown field/,
      ],
      ["/public_api/v1/alerts/get_alerts", { sort: { field: "alert_id", keyword: "sideways" } }, /keyword/],
    ];
    for (const [path, request, reason] of cases) {
      const res = await t.post(path, { request_data: request }, admin);
      assert.equal(res.statusCode, 400, `${path} ${JSON.stringify(request)}: ${res.body}`);
      assert.match(res.body, reason);
    }
  });

  it("documents sort and CONTAINS in the OpenAPI document", async () => {
    const res = await t.app.inject({ method: "GET", url: "/public_api/v1/openapi.json" });
    const doc = res.body;
    for (const path of [
      "/public_api/v1/indicators/get",
      "/public_api/v1/bioc/get",
      "/public_api/v1/alerts/get_alerts",
    ]) {
      const op = (JSON.parse(doc) as { paths: Record<string, { post: unknown }> }).paths[path];
      assert.match(JSON.stringify(op), /Warden extension: sort the list/, path);
    }
    assert.match(doc, /CONTAINS/);
  });
});
