/**
 * Bulk inserts (issue 18, item 8): a request of many items is written in chunks that let other
 * requests through, and is still one atomic result. Runs on both stores (WARDEN_TEST_STORE).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { startTestApp, type TestApp, type TestKey } from "./harness.ts";
import { xsoarUpload } from "./xsoar-client.ts";

const INSERT = "/public_api/v1/indicators/insert";
const GET = "/public_api/v1/indicators/get";
const AUDIT = "/public_api/v1/audits/management_logs";
// over the store's bulk threshold (5,000 drafts) and the answer's (10,000 entries)
const ITEMS = 12_000;

const items = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    indicator: `${prefix}-${i}.exe`,
    type: "FILENAME",
    severity: "SEV_020_LOW",
  }));

describe("bulk indicators/insert", () => {
  let t: TestApp;
  let tenantCounter = 0;
  const freshAdmin = async () => t.key(`bulk-${++tenantCounter}`);
  const count = async (key: TestKey) =>
    (await t.post(GET, { request_data: { search_from: 0, search_to: 1 } }, key)).json().objects_count as number;

  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it("answers every item in the usual form, and audits one creation per rule", async () => {
    const key = await freshAdmin();
    const body = [...items("a", ITEMS - 1), { indicator: "x", type: "NOPE", severity: "SEV_040_HIGH" }];
    const res = await t.post(INSERT, { request_data: body }, key);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.match(String(res.headers["content-type"]), /^application\/json/);
    const answer = res.json();
    assert.equal(answer.added_objects.length, ITEMS - 1);
    assert.deepEqual(answer.added_objects[41], {
      id: 42,
      status: "Created a new IOC rule with the ID: 42 successfully",
    });
    assert.deepEqual(answer.updated_objects, []);
    assert.deepEqual(
      answer.errors.map((e: { index: number }) => e.index),
      [ITEMS - 1],
    );
    assert.equal(await count(key), ITEMS - 1);

    const audit = await t.post(
      AUDIT,
      {
        request_data: {
          filters: [
            { field: "type", operator: "in", value: ["IOC_RULES"] },
            { field: "result", operator: "eq", value: "SUCCESS" },
          ],
          search_to: 100,
        },
      },
      key,
    );
    assert.equal(audit.statusCode, 200, audit.body);
    const log = audit.json().reply;
    assert.equal(log.total_count, ITEMS - 1, "one entry per rule created");
  });

  it("compresses a large answer when asked, as python-requests asks, to the same entries", async () => {
    const key = await freshAdmin();
    const res = await t.post(INSERT, { request_data: items("z", ITEMS) }, key, { "accept-encoding": "gzip, deflate" });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["content-encoding"], "gzip");
    assert.equal(Number(res.headers["content-length"]), res.rawPayload.length, "compressed whole, its length known");
    const answer = JSON.parse(gunzipSync(res.rawPayload).toString("utf8"));
    assert.equal(answer.added_objects.length, ITEMS);
    assert.deepEqual(answer.added_objects.at(-1), {
      id: ITEMS,
      status: `Created a new IOC rule with the ID: ${ITEMS} successfully`,
    });
  });

  it("words a large answer's updates and refusals as a small one does, and audits the refusal", async () => {
    const key = await freshAdmin();
    const body = items("u", ITEMS);
    assert.equal((await t.post(INSERT, { request_data: body }, key)).statusCode, 200);
    // the same values again (all updates), with one refused item in the middle
    const again = [...body.slice(0, 7), { indicator: "x", type: "NOPE" }, ...body.slice(7)];
    const res = await t.post(INSERT, { request_data: again }, key);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    const answer = res.json();
    assert.deepEqual(answer.added_objects, []);
    assert.equal(answer.updated_objects.length, ITEMS);
    assert.deepEqual(answer.updated_objects[7], {
      id: 8,
      status: "Updated the IOC rule with the indicator: 'u-7.exe' successfully",
    });
    assert.equal(answer.errors.length, 1);
    assert.equal(answer.errors[0].index, 7);
    assert.match(answer.errors[0].status, /^Failed to create indicator due to: .*NOPE/);

    const audit = await t.post(
      AUDIT,
      { request_data: { filters: [{ field: "result", operator: "eq", value: "FAIL" }], search_to: 5 } },
      key,
    );
    const [refused] = audit.json().reply.data;
    assert.equal(refused?.AUDIT_ASSET_NAMES, "indicators/insert");
    assert.match(String(refused?.AUDIT_REASON), new RegExp(`^1 of ${ITEMS + 1} items refused: .*NOPE`));
  });

  it("words a large answer whose three lists each span several slices, its bytes UTF-8 throughout", async () => {
    const key = await freshAdmin();
    const stored = items("s", ITEMS / 3);
    assert.equal((await t.post(INSERT, { request_data: stored }, key)).statusCode, 200);
    // in turn: an update of a stored rule, a new rule, and a refusal that quotes a non-ASCII value
    const mixed = Array.from({ length: ITEMS }, (_, i) => {
      const n = Math.floor(i / 3);
      if (i % 3 === 0) return stored[n];
      if (i % 3 === 1) return { indicator: `n-${n}.exe`, type: "FILENAME", severity: "SEV_020_LOW" };
      return { indicator: `nicht-ü-${n}`, type: "IP", severity: "SEV_020_LOW" };
    });
    const res = await t.post(INSERT, { request_data: mixed }, key);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(Number(res.headers["content-length"]), res.rawPayload.length);
    const answer = JSON.parse(res.rawPayload.toString("utf8"));
    assert.deepEqual(
      [answer.added_objects.length, answer.updated_objects.length, answer.errors.length],
      [ITEMS / 3, ITEMS / 3, ITEMS / 3],
    );
    assert.deepEqual(answer.updated_objects[3999], {
      id: 4000,
      status: "Updated the IOC rule with the indicator: 's-3999.exe' successfully",
    });
    assert.deepEqual(answer.added_objects[3999], {
      id: ITEMS / 3 + 4000,
      status: `Created a new IOC rule with the ID: ${ITEMS / 3 + 4000} successfully`,
    });
    assert.deepEqual(
      answer.errors.map((e: { index: number }) => e.index),
      Array.from({ length: ITEMS / 3 }, (_, n) => 3 * n + 2),
    );
    assert.match(answer.errors[3999].status, /Indicator: nicht-ü-3999 mismatch/);
  });

  it("answers health checks and reads while it writes; reads see none of it until it is done", async () => {
    const key = await freshAdmin();
    let done = false;
    const bulk = t.post(INSERT, { request_data: items("b", ITEMS) }, key).finally(() => {
      done = true;
    });
    const seen: number[] = [];
    let healthy = 0;
    let single: Promise<{ statusCode: number; json: () => { added_objects: { id: number }[] } }> | undefined;
    while (!done) {
      const res = await t.app.inject({ method: "GET", url: "/public_api/v1/healthcheck" });
      assert.equal(res.statusCode, 200);
      if (done) break;
      healthy += 1;
      seen.push(await count(key));
      // another write while the bulk one is under way waits for it rather than fail or interleave
      single ??= t.post(INSERT, { request_data: items("c", 1) }, key);
    }
    assert.equal((await bulk).statusCode, 200);
    assert.ok(healthy >= 10, `only ${healthy} health checks answered during the bulk write`);
    assert.ok(
      seen.every((n) => [0, 1, ITEMS, ITEMS + 1].includes(n)),
      `reads during the write saw ${seen.join(", ")} rules`,
    );
    assert.ok(single);
    const singleRes = await single;
    assert.equal(singleRes.statusCode, 200);
    assert.ok(
      [1, ITEMS + 1].includes(singleRes.json().added_objects[0]?.id ?? 0),
      "the single insert went before or after",
    );
    assert.equal(await count(key), ITEMS + 1);
  });

  it("replaces a source's rules with a large sync_tim_iocs file: the old ones not in it deleted, and audited", async () => {
    const key = await t.key(`bulk-sync-${++tenantCounter}`, "instance_admin", "advanced");
    const line = (i: number) => JSON.stringify({ indicator: `s-${i}.exe`, type: "FILENAME", severity: "HIGH" });
    const file = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => line(from + i)).join("\n");
    const first = await xsoarUpload(t, key, "sync_tim_iocs", file(0, ITEMS));
    assert.equal(first.statusCode, 200, first.body);
    const second = await xsoarUpload(t, key, "sync_tim_iocs", file(ITEMS / 2, ITEMS + ITEMS / 2));
    assert.equal(second.statusCode, 200, second.body);
    const signed = { ...key, security: "advanced" as const };
    const found = await t.post(GET, { request_data: { search_from: 0, search_to: 1 } }, signed);
    assert.equal(found.json().objects_count, ITEMS, "half kept, half new, the other half deleted");
    const deletes = await t.post(
      AUDIT,
      {
        request_data: {
          filters: [
            { field: "type", operator: "in", value: ["IOC_RULES"] },
            { field: "sub_type", operator: "in", value: ["Delete"] },
          ],
        },
      },
      signed,
    );
    assert.equal(deletes.json().reply.total_count, ITEMS / 2);
  });
});
