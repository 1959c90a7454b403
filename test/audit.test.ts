/**
 * The audit log over HTTP: `audits/management_logs` as XSOAR's xdr-get-audit-management-logs
 * calls it, fed by changes made through the rule API, the legacy endpoints and the services.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp, type TestKey } from "./harness.ts";

const LOGS = "/public_api/v1/audits/management_logs";

interface AuditRow {
  AUDIT_ID: number;
  AUDIT_OWNER_NAME: string;
  AUDIT_ASSET_JSON: string;
  AUDIT_ASSET_NAMES: string;
  AUDIT_HOSTNAME: string | null;
  AUDIT_RESULT: string;
  AUDIT_REASON: string | null;
  AUDIT_DESCRIPTION: string;
  AUDIT_ENTITY: string;
  AUDIT_ENTITY_SUBTYPE: string;
  AUDIT_INSERT_TIME: number;
}

interface AuditReply {
  reply: { total_count: number; result_count: number; data: AuditRow[] };
}

const assets = (row: AuditRow | undefined) =>
  JSON.parse(row?.AUDIT_ASSET_JSON ?? "{}") as {
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  };

describe("audits/management_logs", () => {
  let t: TestApp;
  let admin: TestKey;
  let other: TestKey;

  const logs = async (requestData: unknown, key = admin) => {
    const res = await t.post(LOGS, { request_data: requestData }, key);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as AuditReply).reply;
  };
  const ruleLogs = (extra: Record<string, unknown> = {}) =>
    logs({
      filters: [{ field: "type", operator: "in", value: ["IOC_RULES", "BIOC_RULES"] }],
      sort: { field: "timestamp", keyword: "asc" },
      ...extra,
    });

  before(async () => {
    t = await startTestApp();
    admin = await t.key("audited");
    other = await t.key("bystander");
  });
  after(async () => t.close());

  it("records who created, edited, disabled and deleted an IOC rule, with the rule before and after", async () => {
    const insert = (item: Record<string, unknown>) =>
      t.post("/public_api/v1/indicators/insert", { request_data: [item] }, admin);
    await insert({ indicator: "evil.example", type: "DOMAIN_NAME", severity: "SEV_040_HIGH" });
    t.clock.advance(1000);
    await insert({ indicator: "EVIL.example", type: "DOMAIN_NAME", severity: "SEV_020_LOW", comment: "calmer" });
    t.clock.advance(1000);
    await t.post("/public_api/v1/indicators/disable_iocs", { request_data: ["evil.example"] }, admin);
    t.clock.advance(1000);
    const filters = [{ field: "indicator", operator: "EQ", value: "evil.example" }];
    await t.post("/public_api/v1/indicators/delete", { request_data: { filters } }, admin);

    const { total_count, result_count, data } = await ruleLogs();
    assert.equal(total_count, 4);
    assert.equal(result_count, 4);
    assert.deepEqual(
      data.map((row) => [row.AUDIT_ENTITY, row.AUDIT_ENTITY_SUBTYPE, row.AUDIT_OWNER_NAME, row.AUDIT_RESULT]),
      [
        ["IOC_RULES", "Create", `Public API - ${admin.id}`, "SUCCESS"],
        ["IOC_RULES", "Edit", `Public API - ${admin.id}`, "SUCCESS"],
        ["IOC_RULES", "Disable", `Public API - ${admin.id}`, "SUCCESS"],
        ["IOC_RULES", "Delete", `Public API - ${admin.id}`, "SUCCESS"],
      ],
    );
    const [created, edited, disabled, deleted] = data;
    assert.deepEqual(
      data.map((row) => row.AUDIT_INSERT_TIME - (created?.AUDIT_INSERT_TIME ?? 0)),
      [0, 1000, 2000, 3000],
    );
    assert.equal(created?.AUDIT_HOSTNAME, "127.0.0.1");
    assert.equal(created?.AUDIT_ASSET_NAMES, "evil.example");
    assert.equal(created?.AUDIT_DESCRIPTION, "Created IOC rule 1 (DOMAIN_NAME evil.example)");
    assert.equal(
      edited?.AUDIT_DESCRIPTION,
      "Edited IOC rule 1 (DOMAIN_NAME EVIL.example): indicator, severity, comment changed",
    );
    assert.deepEqual(assets(edited).before, assets(created).after);
    assert.equal(assets(edited).after?.severity, "SEV_020_LOW");
    assert.equal(assets(disabled).after?.enabled, false);
    assert.equal(assets(deleted).after, null);
    assert.equal(assets(deleted).before?.comment, "calmer");
  });

  it("records a refused item as a failure, and no change", async () => {
    const before = (await ruleLogs()).total_count;
    const res = await t.post(
      "/public_api/v1/indicators/insert",
      { request_data: [{ indicator: "not-a-hash", type: "HASH", severity: "SEV_010_INFO" }] },
      admin,
    );
    assert.equal(res.json().errors.length, 1);
    const { total_count, data } = await ruleLogs({ sort: { field: "timestamp", keyword: "desc" } });
    assert.equal(total_count, before + 1);
    const [failed] = data;
    assert.equal(failed?.AUDIT_RESULT, "FAIL");
    assert.equal(failed?.AUDIT_ENTITY, "IOC_RULES");
    assert.equal(failed?.AUDIT_OWNER_NAME, `Public API - ${admin.id}`);
    assert.match(String(failed?.AUDIT_REASON), /1 of 1 items refused: .*HASH/);
  });

  it("records items the legacy endpoints refused, even when the client did not ask to hear of them", async () => {
    const res = await t.post(
      "/public_api/v1/indicators/insert_jsons",
      {
        request_data: [
          { indicator: "ok.exe", type: "FILENAME", severity: "HIGH" },
          { indicator: "x", type: "NOPE" },
        ],
      },
      admin,
    );
    assert.deepEqual(res.json(), { reply: true });
    const [latest] = (await logs({ filters: [{ field: "result", operator: "eq", value: "FAIL" }] })).data;
    assert.equal(latest?.AUDIT_ASSET_NAMES, "indicators/insert_jsons");
    assert.match(String(latest?.AUDIT_REASON), /^1 of 2 items refused: /);
  });

  it("numbers each tenant's entries 1, 2, 3 ... whatever other tenants write in between", async () => {
    const x = await t.key("numbered-x");
    const y = await t.key("numbered-y");
    for (const [i, key] of [x, y, x, y, y, x].entries()) {
      const item = { indicator: `n${i}.exe`, type: "FILENAME", severity: "SEV_010_INFO" };
      await t.post("/public_api/v1/indicators/insert", { request_data: [item] }, key);
    }
    for (const key of [x, y]) {
      const { data, total_count } = await logs({ sort: { field: "timestamp", keyword: "asc" } }, key);
      assert.deepEqual(
        data.map((row) => row.AUDIT_ID),
        Array.from({ length: total_count }, (_, i) => i + 1),
        "no gap shows another tenant's activity",
      );
      const second = await logs({ filters: [{ field: "audit_id", operator: "eq", value: 2 }] }, key);
      assert.deepEqual(
        second.data.map((row) => [row.AUDIT_ID, row.AUDIT_DESCRIPTION]),
        [[2, data[1]?.AUDIT_DESCRIPTION]],
      );
    }
  });

  it("records refused writes (who, from where, what, why) with result FAIL, and no refused read", async () => {
    const viewer = await t.key("audited", "viewer");
    const before = (await logs({})).total_count;
    const forbidden = await t.post(
      "/public_api/v1/bioc/delete",
      { request_data: { filters: [{ field: "rule_id", operator: "EQ", value: 1 }] } },
      viewer,
      { "x-forwarded-for": "192.0.2.1" },
    );
    assert.equal(forbidden.statusCode, 403);
    const bad = await t.post(
      "/public_api/v1/indicators/delete",
      { request_data: { filters: [{ field: "nope", operator: "EQ", value: 1 }] } },
      admin,
    );
    assert.equal(bad.statusCode, 400);
    const read = await t.post("/public_api/v1/indicators/get", { request_data: { filters: "x" } }, admin);
    assert.equal(read.statusCode, 400);

    const failures = await logs({
      filters: [{ field: "result", operator: "in", value: ["fail"] }],
      sort: { field: "timestamp", keyword: "asc" },
    });
    const recent = failures.data.slice(-2);
    assert.equal((await logs({})).total_count, before + 2, "two refused writes, the refused read not");
    assert.deepEqual(
      recent.map((row) => [row.AUDIT_ENTITY, row.AUDIT_ENTITY_SUBTYPE, row.AUDIT_OWNER_NAME, row.AUDIT_RESULT]),
      [
        ["BIOC_RULES", "Delete", `Public API - ${viewer.id}`, "FAIL"],
        ["IOC_RULES", "Delete", `Public API - ${admin.id}`, "FAIL"],
      ],
    );
    const [denied, invalid] = recent;
    assert.equal(denied?.AUDIT_HOSTNAME, "127.0.0.1", "X-Forwarded-For is not believed from an untrusted peer");
    assert.match(String(denied?.AUDIT_REASON), /^403: Forbidden access/);
    assert.match(String(invalid?.AUDIT_REASON), /^400: filters\[0\]: unknown field 'nope'/);
    assert.match(String(denied?.AUDIT_DESCRIPTION), /^Refused bioc\/delete/);
    assert.equal(denied?.AUDIT_ASSET_NAMES, "bioc/delete");
  });

  it("records BIOC rules and legacy writes under the key that made them", async () => {
    const bioc = {
      name: "office spawns shell",
      type: "EXECUTION",
      severity: "SEV_030_MEDIUM",
      is_xql: true,
      indicator: 'dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_name = "cmd.exe"',
    };
    await t.post("/public_api/v1/bioc/insert", { request_data: [bioc] }, admin);
    await t.post(
      "/public_api/v1/indicators/tim_insert_jsons",
      {
        request_data: [
          { indicator: "1.2.3.4", type: "IP", severity: "HIGH" },
          { indicator: "5.6.7.8", type: "IP", severity: "LOW", status: "ENABLED" },
        ],
        validate: true,
      },
      admin,
      { "x-iocs-source": "xsoar" },
    );
    const { data } = await logs({ filters: [{ field: "sub_type", operator: "in", value: ["create"] }] });
    const [other, ip, rule] = data;
    assert.equal(other?.AUDIT_ASSET_NAMES, "5.6.7.8");
    const named = await logs({ filters: [{ field: "type", operator: "in", value: ["IOC_RULES"] }] });
    assert.equal(
      named.data.filter((row) => row.AUDIT_ASSET_NAMES === "5.6.7.8").length,
      1,
      "saying a new rule is enabled is no second change",
    );
    assert.deepEqual([rule?.AUDIT_ENTITY, rule?.AUDIT_ASSET_NAMES], ["BIOC_RULES", bioc.name]);
    assert.equal(assets(rule).after?.indicator, bioc.indicator);
    assert.deepEqual([ip?.AUDIT_ENTITY, ip?.AUDIT_ASSET_NAMES], ["IOC_RULES", "1.2.3.4"]);
    assert.equal(assets(ip).after?.source, "xsoar", "the rule keeps its source; the log names the key");
    assert.equal(ip?.AUDIT_OWNER_NAME, `Public API - ${admin.id}`);
  });

  it("shows a tenant only its own entries", async () => {
    const mine = await logs({});
    const theirs = await logs({}, other);
    assert.ok(mine.total_count > 5);
    assert.ok(theirs.data.every((row) => !row.AUDIT_DESCRIPTION.includes("evil.example")));
    const tenants = theirs.data.filter((row) => row.AUDIT_ENTITY === "TENANTS");
    assert.deepEqual(
      tenants.map((row) => row.AUDIT_ASSET_NAMES),
      ["bystander"],
    );
  });

  it("filters by time, sorts both ways and pages with the total", async () => {
    const all = await logs({ sort: { field: "timestamp", keyword: "ASC" } });
    const first = all.data[0]?.AUDIT_INSERT_TIME ?? 0;
    const late = await logs({ filters: [{ field: "timestamp", operator: "gte", value: first + 2000 }] });
    assert.ok(late.data.every((row) => row.AUDIT_INSERT_TIME >= first + 2000));
    assert.ok(late.total_count < all.total_count);
    const newest = await logs({ search_from: 0, search_to: 2 });
    assert.equal(newest.result_count, 2);
    assert.equal(newest.total_count, all.total_count);
    assert.deepEqual(
      newest.data.map((row) => row.AUDIT_ID),
      all.data
        .map((row) => row.AUDIT_ID)
        .reverse()
        .slice(0, 2),
      "newest first unless sorted otherwise",
    );
    const second = await logs({ search_from: 1, search_to: 2, sort: { field: "timestamp", keyword: "asc" } });
    assert.deepEqual(
      second.data.map((row) => row.AUDIT_ID),
      [all.data[1]?.AUDIT_ID],
    );
  });

  it("refuses bad queries with a 400 in the contract's form", async () => {
    const bad = [
      [{ search_from: 0, search_to: 101 }, /at most 100 audit entries per call/],
      [{ filters: [{ field: "colour", operator: "in", value: ["red"] }] }, /unknown field 'colour'/],
      [{ filters: [{ field: "timestamp", operator: "gte", value: "yesterday" }] }, /'timestamp' cannot be/],
      [{ sort: { field: "timestamp", keyword: "sideways" } }, /sort.keyword must be asc or desc/],
      [{ sort: { field: "colour" } }, /sort.field must be one of/],
    ] as const;
    for (const [requestData, reason] of bad) {
      const res = await t.post(LOGS, { request_data: requestData }, admin);
      assert.equal(res.statusCode, 400, JSON.stringify(requestData));
      assert.equal(res.json().err_code, 400);
      assert.match(String(res.json().reply.err_extra), reason);
    }
  });

  it("is for Instance Administrators only", async () => {
    for (const role of ["analyst", "viewer"] as const) {
      const key = await t.key("audited", role);
      const res = await t.post(LOGS, { request_data: {} }, key);
      assert.equal(res.statusCode, 403, role);
    }
  });
});
