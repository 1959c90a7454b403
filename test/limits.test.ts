/** Abuse limits: per-key rate, failed authentications per address, requests in flight, slow clients. */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { describe, it } from "node:test";
import { authHeaders, startTestApp } from "./harness.ts";

const GET = "/public_api/v1/indicators/get";

describe("abuse limits", () => {
  it("rate-limits each key with 429 and Retry-After, and refills with time", async () => {
    const t = await startTestApp({ WARDEN_RATE_LIMIT_PER_KEY: "2" });
    const key = await t.key("rl");
    const other = await t.key("rl");
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.post(GET, { request_data: {} }, key)).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 200, 429], "a burst of twice the rate, then refused");
    const refused = await t.post(GET, { request_data: {} }, key);
    assert.equal(refused.headers["retry-after"], "1");
    assert.equal(refused.json().err_code, 429);
    assert.equal((await t.post(GET, { request_data: {} }, other)).statusCode, 200, "another key is not affected");
    t.clock.advance(1000);
    assert.equal((await t.post(GET, { request_data: {} }, key)).statusCode, 200);
    await t.close();
  });

  it("refuses an address that keeps failing to authenticate, even with a good key, for a minute", async () => {
    const t = await startTestApp({ WARDEN_AUTH_FAILURES_PER_MINUTE: "3" });
    const key = await t.key("af");
    for (let i = 0; i < 3; i++)
      assert.equal((await t.post(GET, { request_data: {} }, { ...key, secret: "guess" })).statusCode, 401);
    const locked = await t.post(GET, { request_data: {} }, key);
    assert.equal(locked.statusCode, 429);
    assert.ok(Number(locked.headers["retry-after"]) > 0);
    t.clock.advance(60_000);
    assert.equal((await t.post(GET, { request_data: {} }, key)).statusCode, 200);
    await t.close();
  });

  it("answers 503 beyond the requests in flight, and drops a body that never finishes", async () => {
    const t = await startTestApp({ WARDEN_MAX_CONCURRENT_REQUESTS: "1", WARDEN_REQUEST_TIMEOUT_MS: "1000" });
    const key = await t.key("cc");
    await t.app.listen({ host: "127.0.0.1", port: 0 });
    const port = (t.app.server.address() as { port: number }).port;
    const headers = Object.entries({
      ...authHeaders(key, t.clock.now()),
      "content-type": "application/json",
      "content-length": "100",
    })
      .map(([k, v]) => `${k}: ${v}`)
      .join("\r\n");
    const slow = connect(port, "127.0.0.1");
    let answer = "";
    slow.on("data", (chunk) => {
      answer += chunk;
    });
    const closed = new Promise((resolve) => slow.on("close", resolve));
    slow.write(`POST ${GET} HTTP/1.1\r\nhost: localhost\r\n${headers}\r\n\r\n{"request_data"`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const busy = await fetch(`http://127.0.0.1:${port}${GET}`, {
      method: "POST",
      headers: { ...authHeaders(key, t.clock.now()), "content-type": "application/json" },
      body: '{"request_data":{}}',
    });
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get("retry-after"), "1");
    await closed; // the server gives up on the slow body
    assert.match(answer, /^HTTP\/1\.1 408/);
    const after = await fetch(`http://127.0.0.1:${port}${GET}`, {
      method: "POST",
      headers: { ...authHeaders(key, t.clock.now()), "content-type": "application/json" },
      body: '{"request_data":{}}',
    });
    assert.equal(after.status, 200, "the slot is free again");
    await t.close();
  });
});
