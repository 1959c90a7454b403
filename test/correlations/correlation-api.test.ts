/**
 * correlations/insert|get|delete over HTTP (spec/API.md section 8): the live export inserts as
 * exported and reads back whole, items fail one by one, names are unique, tenants are apart,
 * roles and licenses hold, and every change is in the audit log.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";
import { FAILED_LOGONS, LIVE_EXAMPLE } from "./live-example.ts";

const INSERT = "/public_api/v1/correlations/insert";
const GET = "/public_api/v1/correlations/get";
const DELETE = "/public_api/v1/correlations/delete";

interface InsertReply {
  added_objects: { id: number; status: string }[];
  updated_objects: { id: number; status: string }[];
  errors: { index: number; status: string }[];
}

describe("correlations/insert, get, delete", () => {
  let t: TestApp;
  let admin: TestKey;

  before(async () => {
    t = await startTestApp();
    admin = await t.key("acme");
  });
  after(async () => t.close());

  const insert = async (items: unknown[], key = admin) => {
    const res = await t.post(INSERT, { request_data: items }, key);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as InsertReply;
  };
  const get = async (requestData: unknown, key = admin) => {
    const res = await t.post(GET, { request_data: requestData }, key);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { objects_count: number; objects_type: string; objects: Record<string, unknown>[] };
  };

  it("inserts the live export as exported and reads it back with every field", async () => {
    const reply = await insert([LIVE_EXAMPLE]);
    assert.deepEqual(reply.errors, []);
    assert.deepEqual(reply.added_objects, [
      { id: 12, status: "Created a new correlation rule with the ID: 12 successfully" },
    ]);
    const found = await get({ filters: [{ field: "rule_id", operator: "EQ", value: 12 }] });
    assert.equal(found.objects_type, "correlations");
    const [rule] = found.objects;
    const { created_by, insert_time, modify_time, hits, ...written } = LIVE_EXAMPLE;
    for (const [field, value] of Object.entries(written)) assert.deepEqual(rule?.[field], value, field);
    assert.equal(rule?.created_by, `Public API user (key #${admin.id})`, "the server's own, not the export's");
    assert.equal(rule?.insert_time, t.clock.now());
    assert.equal(rule?.modify_time, t.clock.now());
    assert.equal(rule?.hits, 0);
    assert.deepEqual(Object.keys(rule ?? {}).sort(), Object.keys(LIVE_EXAMPLE).sort(), "every field, no more");
  });

  // The vendor's own insert example, and live exports, map some alert fields to null.
  it("takes alert fields mapped to null and reads them back as sent", async () => {
    const own = await t.key("null-mapped");
    const alert_fields = { agent_hostname: null, user: "actor_effective_username", action_remote_ip: "ips" };
    const reply = await insert([{ ...FAILED_LOGONS, name: "Null-mapped fields", alert_fields }], own);
    assert.deepEqual(reply.errors, []);
    const id = reply.added_objects[0]?.id;
    const found = await get({ filters: [{ field: "rule_id", operator: "EQ", value: id }] }, own);
    assert.deepEqual(found.objects[0]?.alert_fields, alert_fields);
    const refused = await insert([{ ...FAILED_LOGONS, name: "Numbers", alert_fields: { user: 7 } }], own);
    assert.match(refused.errors[0]?.status ?? "", /alert_fields must be an object of strings or nulls/);
  });

  it("updates by rule_id, keeping the insert time; a new rule without one takes the next id", async () => {
    const first = await get({ filters: [{ field: "rule_id", operator: "EQ", value: 12 }] });
    t.clock.advance(5000);
    const updated = await insert([{ ...LIVE_EXAMPLE, severity: "SEV_050_CRITICAL" }]);
    assert.deepEqual(updated.updated_objects, [
      { id: 12, status: "Updated the correlation rule with the ID: 12 successfully" },
    ]);
    const [rule] = (await get({ filters: [{ field: "name", operator: "EQ", value: "Ticket anomaly" }] })).objects;
    assert.equal(rule?.severity, "SEV_050_CRITICAL");
    assert.equal(rule?.insert_time, first.objects[0]?.insert_time);
    assert.equal(rule?.modify_time, t.clock.now());
    const created = await insert([FAILED_LOGONS]);
    assert.deepEqual(
      created.added_objects.map((o) => o.id),
      [13],
      "past the id the export brought",
    );
  });

  it("takes the console's sort extension like bioc/get, and refuses an unknown sort field", async () => {
    const names = async (keyword: string) =>
      (await get({ sort: { field: "name", keyword } })).objects.map((rule) => rule.name as string);
    const ascending = await names("asc");
    assert.equal(ascending.length, 2);
    assert.deepEqual(
      ascending,
      [...ascending].sort((a, b) => a.localeCompare(b)),
    );
    assert.deepEqual(await names("desc"), [...ascending].reverse());
    const bad = await t.post(GET, { request_data: { sort: { field: "nope", keyword: "asc" } } }, admin);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().err_extra, /sort: unknown field 'nope'/);
  });

  it("fails bad items one by one, with reasons, and stores the good ones", async () => {
    const reply = await insert([
      { ...FAILED_LOGONS, name: "ok one" },
      { ...FAILED_LOGONS, name: "extra", colour: "red" },
      { ...FAILED_LOGONS, name: "broken", xql_query: "dataset = xdr_data | filter x = 1 |alter2 y = 1" },
      { ...FAILED_LOGONS, name: "no window", search_window: null },
      { ...LIVE_EXAMPLE, rule_id: null, name: "aggregating real time", xql_query: FAILED_LOGONS.xql_query },
      { ...FAILED_LOGONS, name: "bad duration", suppression_duration: "soon" },
      { ...FAILED_LOGONS, name: undefined },
      { ...FAILED_LOGONS, name: "Failed logons" },
      { ...FAILED_LOGONS, name: "bad zone", timezone: "Mars/Olympus" },
      "not an object",
    ]);
    assert.deepEqual(reply.added_objects.length, 1);
    const reasons = new Map(reply.errors.map((e) => [e.index, e.status]));
    assert.match(reasons.get(1) ?? "", /Got also the fields: \['colour'\]/);
    assert.match(reasons.get(2) ?? "", /\{"line": 1, "column": \d+, "message": ".*alter2/);
    assert.match(reasons.get(3) ?? "", /SCHEDULED rule needs a search_window/);
    assert.match(
      reasons.get(4) ?? "",
      /"message": "stage 'comp' works over many events, which a REAL_TIME rule may not/,
    );
    assert.match(reasons.get(5) ?? "", /suppression_duration must be a duration/);
    assert.match(reasons.get(6) ?? "", /missing required field 'name'/);
    assert.match(reasons.get(7) ?? "", /named 'Failed logons' already exists/);
    assert.match(reasons.get(8) ?? "", /timezone 'Mars\/Olympus'/);
    assert.match(reasons.get(9) ?? "", /must be a JSON object/);
    for (const status of reasons.values()) assert.match(status, /^Failed to create correlation rule due to: /);
  });

  it("filters get by item fields, pages, and refuses unknown fields", async () => {
    const scheduled = await get({ filters: [{ field: "execution_mode", operator: "EQ", value: "SCHEDULED" }] });
    assert.deepEqual(scheduled.objects.map((o) => o.name).sort(), ["Failed logons", "ok one"]);
    const byCategory = await get({ filters: [{ field: "alert_domain", operator: "EQ", value: "DOMAIN_SECURITY" }] });
    assert.deepEqual(
      byCategory.objects.map((o) => o.rule_id),
      [12],
    );
    const enabled = await get({ filters: [{ field: "is_enabled", operator: "EQ", value: true }], search_to: 1 });
    assert.equal(enabled.objects_count, 3);
    assert.equal(enabled.objects.length, 1);
    const res = await t.post(
      GET,
      { request_data: { filters: [{ field: "colour", operator: "EQ", value: 1 }] } },
      admin,
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.json().err_extra, /unknown field 'colour'/);
  });

  it("keeps tenants apart: another tenant neither sees, updates nor deletes", async () => {
    const other = await t.key("globex");
    assert.equal((await get({ filters: [] }, other)).objects_count, 0);
    const reply = await insert([{ ...LIVE_EXAMPLE, name: "theirs" }], other);
    assert.deepEqual(
      reply.added_objects.map((o) => o.id),
      [12],
      "ids are per tenant: their own rule 12",
    );
    const res = await t.post(
      DELETE,
      { request_data: { filters: [{ field: "rule_id", operator: "EQ", value: 13 }] } },
      other,
    );
    assert.deepEqual(res.json(), { objects_count: 0, objects: [] });
    const [mine] = (await get({ filters: [{ field: "rule_id", operator: "EQ", value: 12 }] })).objects;
    assert.equal(mine?.name, "Ticket anomaly");
  });

  it("deletes by filter, refusing NEQ and an empty filter list", async () => {
    const neq = await t.post(
      DELETE,
      { request_data: { filters: [{ field: "name", operator: "NEQ", value: "x" }] } },
      admin,
    );
    assert.equal(neq.statusCode, 400);
    const none = await t.post(DELETE, { request_data: { filters: [] } }, admin);
    assert.equal(none.statusCode, 400);
    const res = await t.post(
      DELETE,
      { request_data: { filters: [{ field: "name", operator: "EQ", value: "ok one" }] } },
      admin,
    );
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().objects_count, 1);
    assert.equal((await get({ filters: [{ field: "name", operator: "EQ", value: "ok one" }] })).objects_count, 0);
  });

  it("needs instance_admin to write, any role to read, and the xsiam or xdr_pro license", async () => {
    const viewer = await t.key("acme", "viewer");
    assert.equal((await t.post(INSERT, { request_data: [FAILED_LOGONS] }, viewer)).statusCode, 403);
    assert.equal(
      (await t.post(DELETE, { request_data: { filters: [{ field: "rule_id", operator: "EQ", value: 12 }] } }, viewer))
        .statusCode,
      403,
    );
    assert.equal((await t.post(GET, { request_data: {} }, viewer)).statusCode, 200);
    const prevent = await t.key("prevent-only", "instance_admin", "standard", "xdr_prevent");
    assert.equal((await t.post(GET, { request_data: {} }, prevent)).statusCode, 402);
    assert.equal((await t.post(INSERT, { request_data: [] })).statusCode, 401);
  });

  it("records each change and refusal in the audit log as CORRELATION_RULES", async () => {
    const res = await t.post(
      "/public_api/v1/audits/management_logs",
      { request_data: { filters: [{ field: "type", operator: "in", value: ["CORRELATION_RULES"] }], search_to: 100 } },
      admin,
    );
    assert.equal(res.statusCode, 200, res.body);
    const rows = res.json().reply.data as {
      AUDIT_ENTITY_SUBTYPE: string;
      AUDIT_RESULT: string;
      AUDIT_DESCRIPTION: string;
    }[];
    const kinds = rows.map((r) => `${r.AUDIT_RESULT} ${r.AUDIT_ENTITY_SUBTYPE}`);
    for (const kind of ["SUCCESS Create", "SUCCESS Edit", "SUCCESS Delete", "FAIL Create", "FAIL Delete"])
      assert.ok(kinds.includes(kind), `${kind} in ${kinds.join(", ")}`);
    assert.ok(rows.some((r) => r.AUDIT_DESCRIPTION === "Created correlation rule 12 ('Ticket anomaly')"));
  });
});

describe("the OpenAPI document", () => {
  it("describes correlations/insert, get and delete with the item's fields", async () => {
    const t = await startTestApp();
    try {
      const res = await t.app.inject({ method: "GET", url: "/public_api/v1/openapi.json" });
      const doc = res.json() as { paths: Record<string, { post: Record<string, unknown> }> };
      for (const op of ["insert", "get", "delete"]) assert.ok(doc.paths[`/public_api/v1/correlations/${op}`], op);
      const body = JSON.stringify(doc.paths["/public_api/v1/correlations/insert"]?.post);
      for (const field of ["xql_query", "suppression_fields", "mitre_defs", "lookup_mapping"])
        assert.ok(body.includes(`"${field}"`), field);
    } finally {
      await t.close();
    }
  });
});
