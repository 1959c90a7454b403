import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { START_TIME, startTestApp, type TestApp, type TestKey } from "./harness.ts";

const INSERT = "/public_api/v1/indicators/insert";
const GET = "/public_api/v1/indicators/get";
const DELETE = "/public_api/v1/indicators/delete";

type Filter = { field: string; operator: string; value: unknown };

describe("indicators/get and indicators/delete", () => {
  let t: TestApp;
  let key: TestKey;
  let n = 0;

  const get = async (filters: Filter[], extra: Record<string, unknown> = {}) =>
    t.post(GET, { request_data: { filters, ...extra } }, key);
  const ids = async (filters: Filter[]) => {
    const res = await get(filters, { search_to: 10_000 });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().objects.map((o: { rule_id: number }) => o.rule_id);
  };

  before(async () => {
    t = await startTestApp();
    key = await t.key("query");
    // 1..5, with distinct fields and times
    const items = [
      { indicator: "a.exe", type: "FILENAME", severity: "SEV_010_INFO", reputation: "GOOD", reliability: "A" },
      { indicator: "10.0.0.1", type: "IP", severity: "SEV_020_LOW", reputation: "BAD", comment: "c2" },
      { indicator: "evil.com", type: "DOMAIN_NAME", severity: "SEV_040_HIGH", reputation: "BAD" },
      {
        indicator: "d41d8cd98f00b204e9800998ecf8427e",
        type: "HASH",
        severity: "SEV_050_CRITICAL",
        default_expiration_enabled: true,
      },
      { indicator: "old.exe", type: "FILENAME", severity: "SEV_030_MEDIUM", expiration_date: START_TIME - 1 },
    ];
    for (const item of items) {
      n += 1;
      t.clock.set(START_TIME + n * 1000);
      const res = await t.post(INSERT, { request_data: [item] }, key);
      assert.equal(res.json().added_objects.length, 1, res.body);
    }
  });
  after(async () => t.close());

  it("answers every rule with the total when there are no filters", async () => {
    const body = (await get([])).json();
    assert.equal(body.objects_count, 5);
    assert.equal(body.objects_type, "indicator");
    assert.deepEqual(
      body.objects.map((o: { rule_id: number }) => o.rule_id),
      [1, 2, 3, 4, 5],
    );
  });

  it("supports EQ, NEQ, IN, GTE and LTE, and reads an array under EQ as IN", async () => {
    assert.deepEqual(await ids([{ field: "type", operator: "EQ", value: "FILENAME" }]), [1, 5]);
    assert.deepEqual(await ids([{ field: "type", operator: "NEQ", value: "FILENAME" }]), [2, 3, 4]);
    assert.deepEqual(await ids([{ field: "type", operator: "NEQ", value: ["FILENAME", "IP"] }]), [3, 4]);
    assert.deepEqual(
      await ids([{ field: "severity", operator: "IN", value: ["SEV_020_LOW", "SEV_050_CRITICAL"] }]),
      [2, 4],
    );
    assert.deepEqual(await ids([{ field: "reputation", operator: "EQ", value: ["GOOD", "BAD"] }]), [1, 2, 3]);
    assert.deepEqual(await ids([{ field: "rule_id", operator: "GTE", value: 4 }]), [4, 5]);
    assert.deepEqual(await ids([{ field: "rule_id", operator: "LTE", value: 2 }]), [1, 2]);
    assert.deepEqual(await ids([{ field: "creation_time", operator: "GTE", value: START_TIME + 3000 }]), [3, 4, 5]);
    assert.deepEqual(await ids([{ field: "modification_time", operator: "LTE", value: START_TIME + 1000 }]), [1]);
  });

  it("ANDs filters together", async () => {
    assert.deepEqual(
      await ids([
        { field: "reputation", operator: "EQ", value: "BAD" },
        { field: "rule_id", operator: "GTE", value: 3 },
      ]),
      [3],
    );
  });

  it("filters on every item field and on status", async () => {
    assert.deepEqual(await ids([{ field: "indicator", operator: "EQ", value: "EVIL.COM" }]), [3]);
    assert.deepEqual(
      await ids([{ field: "indicator", operator: "EQ", value: "D41D8CD98F00B204E9800998ECF8427E" }]),
      [4],
    );
    assert.deepEqual(await ids([{ field: "comment", operator: "EQ", value: "c2" }]), [2]);
    assert.deepEqual(await ids([{ field: "reliability", operator: "EQ", value: "A" }]), [1]);
    assert.deepEqual(await ids([{ field: "reliability", operator: "EQ", value: null }]), [2, 3, 4, 5]);
    assert.deepEqual(await ids([{ field: "reliability", operator: "NEQ", value: "A" }]), [2, 3, 4, 5]);
    assert.deepEqual(await ids([{ field: "default_expiration_enabled", operator: "EQ", value: true }]), [4]);
    assert.deepEqual(await ids([{ field: "expiration_date", operator: "EQ", value: -1 }]), [1, 2, 3, 4]);
    assert.deepEqual(await ids([{ field: "status", operator: "EQ", value: "EXPIRED" }]), [5]);
    assert.deepEqual(await ids([{ field: "status", operator: "EQ", value: "enabled" }]), [1, 2, 3, 4]);
    assert.deepEqual(await ids([{ field: "number_of_issues", operator: "EQ", value: 0 }]), [1, 2, 3, 4, 5]);
  });

  it("pages with search_from and search_to while counting every match", async () => {
    const body = (await get([], { search_from: 1, search_to: 3 })).json();
    assert.equal(body.objects_count, 5);
    assert.deepEqual(
      body.objects.map((o: { rule_id: number }) => o.rule_id),
      [2, 3],
    );
    const past = (await get([], { search_from: 10, search_to: 20 })).json();
    assert.deepEqual([past.objects_count, past.objects.length], [5, 0]);
  });

  it("refuses unknown fields, operators, bad values and oversized pages with a 400", async () => {
    const cases: [Filter[], Record<string, unknown>, RegExp][] = [
      [[{ field: "colour", operator: "EQ", value: "red" }], {}, /unknown field 'colour'/],
      [[{ field: "type", operator: "LIKE", value: "IP" }], {}, /unknown operator 'LIKE'/],
      [[{ field: "type", operator: "EQ", value: "PLANET" }], {}, /'type' cannot be "PLANET"/],
      [[{ field: "rule_id", operator: "EQ", value: "abc" }], {}, /'rule_id' cannot be/],
      [[{ field: "type", operator: "GTE", value: "IP" }], {}, /GTE needs a numeric field/],
      [[{ field: "type", operator: "IN", value: [] }], {}, /must not be an empty array/],
      [[], { search_from: 0, search_to: 10_001 }, /at most 10000 rules per call/],
      [[], { search_from: 5, search_to: 2 }, /must not be less than/],
    ];
    for (const [filters, extra, pattern] of cases) {
      const res = await get(filters, extra);
      assert.equal(res.statusCode, 400, res.body);
      const body = res.json();
      assert.equal(body.err_code, 400);
      assert.match(String(body.err_extra), pattern);
      assert.deepEqual(body.reply, { err_code: 400, err_msg: body.err_msg, err_extra: body.err_extra });
    }
    const missingValue = await t.post(GET, { request_data: { filters: [{ field: "type", operator: "EQ" }] } }, key);
    assert.equal(missingValue.statusCode, 400);
  });

  it("deletes by filter, answers the ids, and refuses a delete without filters", async () => {
    const refused = await t.post(DELETE, { request_data: { filters: [] } }, key);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.json().err_extra, /at least one filter/);
    const missing = await t.post(DELETE, { request_data: {} }, key);
    assert.equal(missing.statusCode, 400);
    assert.equal((await get([])).json().objects_count, 5, "nothing was deleted by the refused calls");

    const none = await t.post(
      DELETE,
      { request_data: { filters: [{ field: "rule_id", operator: "EQ", value: 999 }] } },
      key,
    );
    assert.deepEqual(none.json(), { objects_count: 0, objects: [] });

    const res = await t.post(
      DELETE,
      { request_data: { extended_view: true, filters: [{ field: "type", operator: "EQ", value: "FILENAME" }] } },
      key,
    );
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { objects_count: 2, objects: [1, 5] });
    assert.deepEqual(await ids([]), [2, 3, 4]);
  });
});
