/** Expiry, enable/disable and the change feed, with the clock moved instead of waited for. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { START_TIME, startTestApp, TEST_ACTOR, type TestApp, type TestKey } from "./harness.ts";
import { xsoarPost } from "./xsoar-client.ts";

const DAY = 86_400_000;

type Change = Record<string, unknown> & {
  RULE_ID: number;
  RULE_MODIFY_TIME: number;
  RULE_STATUS: string;
  MARKED_DELETED: boolean;
};

describe("IOC lifecycle", () => {
  let t: TestApp;
  let n = 0;
  const fresh = async () => {
    const key = await t.key(`life-${++n}`, "instance_admin", "advanced");
    return { key, tenant: `life-${n}` };
  };
  const insert = (key: TestKey, items: unknown[]) =>
    t.post("/public_api/v1/indicators/insert", { request_data: items }, key);
  const statuses = async (key: TestKey) =>
    (await t.post("/public_api/v1/indicators/get", { request_data: {} }, key))
      .json()
      .objects.map((o: { status: string }) => o.status);
  const changes = async (key: TestKey, since: number): Promise<Change[]> => {
    const res = await xsoarPost(t, key, "get_changes", { last_update_ts: since });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().reply;
  };

  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it("applies the tenant's default expiry per type, re-dates rules when it changes, and revives on insert", async () => {
    t.clock.set(START_TIME);
    const { key, tenant } = await fresh();
    const set = await t.services.tenants.setIocExpiry(tenant, "HASH", 30, TEST_ACTOR);
    assert.deepEqual(set, { ok: true, value: 0 });
    await insert(key, [
      {
        indicator: "d41d8cd98f00b204e9800998ecf8427e",
        type: "HASH",
        severity: "SEV_010_INFO",
        default_expiration_enabled: true,
      },
      { indicator: "a.exe", type: "FILENAME", severity: "SEV_010_INFO", default_expiration_enabled: true },
      {
        indicator: "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        type: "HASH",
        severity: "SEV_010_INFO",
        expiration_date: -1,
      },
    ]);
    const objects = (await t.post("/public_api/v1/indicators/get", { request_data: {} }, key)).json().objects;
    assert.deepEqual(
      objects.map((o: { expiration_date: number }) => o.expiration_date),
      [START_TIME + 30 * DAY, -1, -1],
    );

    t.clock.set(START_TIME + 30 * DAY);
    assert.deepEqual(await statuses(key), ["EXPIRED", "ENABLED", "ENABLED"]);

    // a longer default re-dates the rule that uses it, counted from when it was written
    t.clock.advance(1000);
    assert.deepEqual(await t.services.tenants.setIocExpiry(tenant, "HASH", 90, TEST_ACTOR), { ok: true, value: 1 });
    assert.deepEqual(await statuses(key), ["ENABLED", "ENABLED", "ENABLED"]);
    assert.deepEqual(await t.services.tenants.setIocExpiry(tenant, "HASH", null, TEST_ACTOR), { ok: true, value: 1 });
    t.clock.set(START_TIME + 1000 * DAY);
    assert.deepEqual(await statuses(key), ["ENABLED", "ENABLED", "ENABLED"]);

    // an explicit past date expires at once; a later insert with a future date revives the rule
    await insert(key, [
      { indicator: "a.exe", type: "FILENAME", severity: "SEV_010_INFO", expiration_date: START_TIME },
    ]);
    assert.deepEqual(await statuses(key), ["ENABLED", "EXPIRED", "ENABLED"]);
    await insert(key, [
      { indicator: "a.exe", type: "FILENAME", severity: "SEV_010_INFO", expiration_date: t.clock.now() + DAY },
    ]);
    assert.deepEqual(await statuses(key), ["ENABLED", "ENABLED", "ENABLED"]);
  });

  it("refuses bad expiry settings", async () => {
    const { tenant } = await fresh();
    assert.equal((await t.services.tenants.setIocExpiry(tenant, "PLANET", 7, TEST_ACTOR)).ok, false);
    assert.equal((await t.services.tenants.setIocExpiry(tenant, "HASH", 0, TEST_ACTOR)).ok, false);
    assert.equal((await t.services.tenants.setIocExpiry(tenant, "HASH", 2.5, TEST_ACTOR)).ok, false);
    assert.equal((await t.services.tenants.setIocExpiry("nobody", "HASH", 7, TEST_ACTOR)).ok, false);
  });

  it("reports every kind of change in get_changes, oldest first, and pages by RULE_MODIFY_TIME", async () => {
    t.clock.set(START_TIME);
    const { key } = await fresh();
    const t0 = t.clock.now();
    assert.deepEqual(await changes(key, t0), []);

    t.clock.advance(10);
    await xsoarPost(t, key, "tim_insert_jsons", [
      {
        indicator: "1.2.3.4",
        type: "IP",
        severity: "HIGH",
        reputation: "BAD",
        class: "C2",
        vendors: [{ vendor_name: "Feed", reputation: "BAD", reliability: "A" }],
        expiration_date: t0 + 1000,
      },
      { indicator: "gone.exe", type: "FILENAME", severity: "LOW" },
    ]);
    const inserted = await changes(key, t0);
    assert.deepEqual(
      inserted.map((c) => c.RULE_ID),
      [1, 2],
    );
    assert.deepEqual(Object.keys(inserted[0] as object), [
      "RULE_ID",
      "RULE_INSERT_TIME",
      "RULE_MODIFY_TIME",
      "RULE_SEVERITY",
      "NUMBER_OF_HITS",
      "RULE_SOURCE",
      "RULE_COMMENT",
      "RULE_STATUS",
      "BS_STATUS",
      "BS_TS",
      "BS_RETRIES",
      "RULE_EXPIRATION_TIME",
      "IOC_TYPE",
      "RULE_INDICATOR",
      "REPUTATION",
      "RELIABILITY",
      "VENDORS",
      "KLASS",
      "IS_DEFAULT_TTL",
      "RULE_TTL",
      "MARKED_DELETED",
    ]);
    assert.deepEqual(
      [
        inserted[0]?.RULE_INDICATOR,
        inserted[0]?.IOC_TYPE,
        inserted[0]?.RULE_SEVERITY,
        inserted[0]?.RULE_SOURCE,
        inserted[0]?.KLASS,
      ],
      ["1.2.3.4", "IP", "SEV_040_HIGH", "xsoar", "C2"],
    );
    assert.deepEqual(inserted[0]?.VENDORS, [{ vendor_name: "Feed", reputation: "BAD", reliability: "A" }]);
    const afterInsert = (inserted.at(-1)?.RULE_MODIFY_TIME as number) + 1;
    assert.deepEqual(await changes(key, afterInsert), [], "paging past the last row shows nothing new");

    t.clock.advance(10);
    await xsoarPost(t, key, "disable_iocs", ["gone.exe"]);
    const disabled = await changes(key, afterInsert);
    assert.deepEqual(
      disabled.map((c) => [c.RULE_ID, c.RULE_STATUS]),
      [[2, "DISABLED"]],
    );

    t.clock.advance(10);
    await t.post(
      "/public_api/v1/indicators/delete",
      { request_data: { filters: [{ field: "rule_id", operator: "EQ", value: 2 }] } },
      key,
    );
    const deleted = await changes(key, (disabled.at(-1)?.RULE_MODIFY_TIME as number) + 1);
    assert.deepEqual(
      deleted.map((c) => [c.RULE_ID, c.MARKED_DELETED, c.RULE_INDICATOR]),
      [[2, true, "gone.exe"]],
    );

    const beforeExpiry = t.clock.now() + 1;
    t.clock.set(t0 + 1000);
    const expired = await changes(key, beforeExpiry);
    assert.deepEqual(
      expired.map((c) => [c.RULE_ID, c.RULE_STATUS, c.RULE_MODIFY_TIME]),
      [[1, "EXPIRED", t0 + 1000]],
    );

    const all = await changes(key, t0);
    assert.deepEqual(
      all.map((c) => [c.RULE_ID, c.MARKED_DELETED]),
      [
        [2, true],
        [1, false],
      ],
    );
    assert.ok(all.every((c, i) => i === 0 || (all[i - 1]?.RULE_MODIFY_TIME as number) <= c.RULE_MODIFY_TIME));
  });

  it("keeps each tenant's changes to itself", async () => {
    const { key: a } = await fresh();
    const { key: b } = await fresh();
    await insert(a, [{ indicator: "mine.exe", type: "FILENAME", severity: "SEV_010_INFO" }]);
    assert.deepEqual(await changes(b, 0), []);
    assert.equal((await changes(a, 0)).length, 1);
  });
});
