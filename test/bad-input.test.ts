/**
 * Generated junk thrown at every route: wrong types, odd nesting, unicode, prototype keys. The
 * server never answers 5xx, keeps serving, a rejected body changes no rule, and memory stays flat.
 * WARDEN_FUZZ_RUNS sets how many bodies (npm test: 100,000 on SQLite, fewer on the PostgreSQL pass).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { startTestApp, type TestApp, type TestKey } from "./harness.ts";

const RUNS = Number(process.env.WARDEN_FUZZ_RUNS ?? 2000);

/** Heap in use after a full collection when node runs with --expose-gc (scripts/run-tests.js does). */
function liveHeap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

const ROUTES = [
  "/public_api/v1/indicators/insert",
  "/public_api/v1/indicators/get",
  "/public_api/v1/indicators/delete",
  "/public_api/v1/bioc/insert",
  "/public_api/v1/bioc/get",
  "/public_api/v1/bioc/delete",
  "/public_api/v1/indicators/insert_jsons",
  "/public_api/v1/indicators/insert_csv",
  "/public_api/v1/indicators/get_changes",
  "/public_api/v1/indicators/disable_iocs",
  "/public_api/v1/rules/evaluate",
  "/public_api/v1/alerts/get_alerts",
  "/public_api/v1/xql/validate",
  "/public_api/v1/audits/management_logs",
  "/logs/v1/event",
];

const key = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "__proto__",
    "constructor",
    "prototype",
    "request_data",
    "filters",
    "indicator",
    "type",
    "severity",
    "rule_id",
    "value",
    "operator",
    "field",
    "events",
    "query",
  ),
);
const junk = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string(),
    fc.string({ unit: "grapheme" }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(key, tie("value"), { maxKeys: 5 }),
  ),
})).value;
const body = fc.oneof(
  junk.map((v) => JSON.stringify(v) ?? "null"),
  fc.record({ request_data: junk }).map((v) => JSON.stringify(v)),
  fc.string(),
);

describe("generated bad input", () => {
  let t: TestApp;
  let admin: TestKey;

  before(async () => {
    t = await startTestApp();
    admin = await t.key("junk");
    await t.post(
      "/public_api/v1/indicators/insert",
      { request_data: [{ indicator: "keep.exe", type: "FILENAME", severity: "SEV_010_INFO" }] },
      admin,
    );
  });
  after(async () => t.close());

  it(`never answers 5xx and never loses a stored rule (${RUNS} bodies)`, async () => {
    const before = (await t.post("/public_api/v1/indicators/get", { request_data: {} }, admin)).json();
    const heapBefore = liveHeap();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), body, async (route, payload) => {
        const res = await t.post(route, payload, admin);
        assert.ok(
          res.statusCode < 500,
          `${route} ${payload.slice(0, 200)} -> ${res.statusCode} ${res.body.slice(0, 200)}`,
        );
        assert.doesNotThrow(() => JSON.parse(res.body));
      }),
      { numRuns: RUNS, seed: 7 },
    );
    const grown = liveHeap() - heapBefore;
    assert.ok(grown < 64 * 1024 * 1024, `the heap grew by ${Math.round(grown / 1048576)} MiB`);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const after = (await t.post("/public_api/v1/indicators/get", { request_data: {} }, admin)).json();
    assert.deepEqual(
      after.objects.find((o: { rule_id: number }) => o.rule_id === 1),
      before.objects[0],
      "the rule that was there is untouched",
    );
  });
});
