/** The SDK against a real server on a loopback socket: both key kinds, paging, retries, and type drift. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { createWardenClient, getAll, pages, type WardenClient } from "../packages/sdk/src/index.ts";
import { retryAfterMs } from "../packages/sdk/src/retry.ts";
import { generateSdkTypes, SDK_TYPES_PATH } from "../scripts/generate-sdk.ts";
import { startTestApp, type TestApp, type TestKey } from "./harness.ts";

describe("the TypeScript SDK", () => {
  let t: TestApp;
  let url: string;
  const delays: number[] = [];

  const client = (key: TestKey, extra: { retries?: number } = {}): WardenClient =>
    createWardenClient({
      url,
      key: { id: key.id, secret: key.secret, advanced: key.security === "advanced" },
      now: () => t.clock.now(),
      // Waiting moves the server's clock instead of the test's, so throttling clears without sleeping.
      sleep: async (ms) => {
        delays.push(ms);
        t.clock.advance(ms);
      },
      ...extra,
    });

  before(async () => {
    t = await startTestApp({ WARDEN_RATE_LIMIT_PER_KEY: "5" });
    url = await t.app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(() => t.close());

  it("has types generated from the server's current OpenAPI document (run `npm run generate:sdk`)", async () => {
    const committed = readFileSync(SDK_TYPES_PATH, "utf8");
    assert.ok(committed === (await generateSdkTypes()), "packages/sdk/src/openapi-types.ts is stale");
  });

  for (const security of ["standard", "advanced"] as const) {
    it(`inserts and pages through rules with a ${security} key`, async () => {
      const sdk = client(await t.key(`sdk-${security}`, "instance_admin", security));
      const request_data = Array.from({ length: 7 }, (_, i) => ({
        indicator: `${security}-${i}.example.com`,
        type: "DOMAIN_NAME" as const,
        severity: "SEV_020_LOW" as const,
      }));
      const inserted = await sdk.api.POST("/public_api/v1/indicators/insert", { body: { request_data } });
      assert.equal(inserted.response.status, 200);
      const seen: number[] = [];
      for await (const page of pages(sdk, "/public_api/v1/indicators/get", [], 3)) seen.push(page.length);
      assert.deepEqual(seen, [3, 3, 1]);
      const all = await getAll(sdk, "/public_api/v1/indicators/get", [
        { field: "indicator", operator: "EQ", value: `${security}-4.example.com` },
      ]);
      assert.deepEqual(
        all.map((rule) => rule.indicator),
        [`${security}-4.example.com`],
      );
    });
  }

  it("retries 429 after the Retry-After the server sent, and gives up after its retries", async () => {
    const sdk = client(await t.key("sdk-throttled"));
    delays.length = 0;
    for (let i = 0; i < 15; i++) {
      const { response } = await sdk.api.POST("/public_api/v1/bioc/get", { body: { request_data: {} } });
      assert.equal(response.status, 200, "every call ends answered, throttled ones after waiting");
    }
    assert.ok(delays.length > 0, "the bucket of 10 ran dry, so some calls waited");
    for (const ms of delays) assert.ok(ms >= 1000 && ms % 1000 === 0, `waited what Retry-After said: ${ms}`);

    const impatient = client(await t.key("sdk-impatient"), { retries: 0 });
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++)
      statuses.push(
        (await impatient.api.POST("/public_api/v1/bioc/get", { body: { request_data: {} } })).response.status,
      );
    assert.ok(statuses.includes(429), "without retries the 429 reaches the caller");
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    assert.equal(retryAfterMs("3"), 3000);
    assert.equal(retryAfterMs("Thu, 01 Jan 2026 00:00:10 GMT", Date.UTC(2026, 0, 1)), 10_000);
    assert.equal(retryAfterMs(null), undefined);
    assert.equal(retryAfterMs("soon"), undefined);
  });

  it("posts to routes the types do not know and reports the contract's errors", async () => {
    const sdk = client(await t.key("sdk-raw"));
    const missing = await sdk.raw("/public_api/v1/no_such/get", {});
    assert.equal(missing.status, 404);
    const bad = await sdk.raw("/public_api/v1/indicators/delete", {});
    assert.equal(bad.status, 400);
    assert.equal((bad.body as { err_code: number }).err_code, 400);
  });
});
