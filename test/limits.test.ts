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

  it("does not turn throttled writes into audit entries", async () => {
    const t = await startTestApp({ WARDEN_RATE_LIMIT_PER_KEY: "1" });
    const key = await t.key("rl");
    const insert = () => t.post("/public_api/v1/indicators/insert", { request_data: [] }, key);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await insert()).statusCode);
    assert.deepEqual(statuses, [200, 200, 429, 429]);
    t.clock.advance(10_000);
    const log = await t.post("/public_api/v1/audits/management_logs", { request_data: {} }, key);
    assert.equal(
      log.json().reply.data.filter((row: { AUDIT_RESULT: string }) => row.AUDIT_RESULT === "FAIL").length,
      0,
    );
    await t.close();
  });

  it("refuses an address that keeps failing, but never a request that authenticates", async () => {
    const t = await startTestApp({ WARDEN_AUTH_FAILURES_PER_MINUTE: "3" });
    const key = await t.key("af");
    const other = await t.key("af");
    for (let i = 0; i < 3; i++)
      assert.equal((await t.post(GET, { request_data: {} }, { ...key, secret: "guess" })).statusCode, 401);
    const locked = await t.post(GET, { request_data: {} }, { ...other, secret: "guess" });
    assert.equal(locked.statusCode, 429, "a fourth wrong secret from the address, even for another key");
    assert.ok(Number(locked.headers["retry-after"]) > 0);
    assert.equal((await t.post(GET, { request_data: {} }, key)).statusCode, 200, "the right secret still passes");
    assert.equal((await t.post(GET, { request_data: {} }, other)).statusCode, 200);
    t.clock.advance(60_000);
    assert.equal((await t.post(GET, { request_data: {} }, { ...key, secret: "guess" })).statusCode, 401);
    await t.close();
  });

  it("counts failures per key id too, from whatever address they come", async () => {
    const t = await startTestApp({ WARDEN_AUTH_FAILURES_PER_MINUTE: "3", WARDEN_TRUSTED_PROXIES: "127.0.0.1" });
    const key = await t.key("af");
    const other = await t.key("af");
    const from = (address: string) => ({ "x-forwarded-for": address });
    for (let i = 0; i < 3; i++) {
      const res = await t.post(GET, { request_data: {} }, { ...key, secret: "guess" }, from(`192.0.2.${i + 1}`));
      assert.equal(res.statusCode, 401);
    }
    const guess = await t.post(GET, { request_data: {} }, { ...key, secret: "guess" }, from("192.0.2.9"));
    assert.equal(guess.statusCode, 429, "the key id is locked for wrong secrets from any address");
    const otherGuess = await t.post(GET, { request_data: {} }, { ...other, secret: "guess" }, from("192.0.2.9"));
    assert.equal(otherGuess.statusCode, 401, "another key id from a fresh address is not");
    assert.equal((await t.post(GET, { request_data: {} }, key, from("192.0.2.9"))).statusCode, 200);
    await t.close();
  });

  it("behind a trusted proxy, limits the real client's address, not the proxy's", async () => {
    const t = await startTestApp({ WARDEN_AUTH_FAILURES_PER_MINUTE: "3", WARDEN_TRUSTED_PROXIES: "127.0.0.0/8" });
    const keys = [];
    for (let i = 0; i < 4; i++) keys.push(await t.key("px"));
    const attacker = { "x-forwarded-for": "198.51.100.7" };
    for (const key of keys.slice(0, 3))
      assert.equal((await t.post(GET, { request_data: {} }, { ...key, secret: "guess" }, attacker)).statusCode, 401);
    const [, , , fourth] = keys as [unknown, unknown, unknown, (typeof keys)[0]];
    const blocked = await t.post(GET, { request_data: {} }, { ...fourth, secret: "guess" }, attacker);
    assert.equal(blocked.statusCode, 429);
    const bystander = await t.post(
      GET,
      { request_data: {} },
      { ...fourth, secret: "guess" },
      {
        "x-forwarded-for": "203.0.113.5",
      },
    );
    assert.equal(bystander.statusCode, 401, "another client behind the same proxy is not locked out");
    // the audit log records the client's address, not the proxy's
    const write = await t.post(
      "/public_api/v1/indicators/insert",
      { request_data: [{ indicator: "px.exe", type: "FILENAME", severity: "SEV_010_INFO" }] },
      fourth,
      { "x-forwarded-for": "203.0.113.5" },
    );
    assert.equal(write.statusCode, 200, write.body);
    const log = await t.post("/public_api/v1/audits/management_logs", { request_data: {} }, fourth);
    assert.equal(log.json().reply.data[0].AUDIT_HOSTNAME, "203.0.113.5");
    await t.close();
  });

  it("ignores X-Forwarded-For unless the proxy is trusted", async () => {
    const t = await startTestApp({ WARDEN_AUTH_FAILURES_PER_MINUTE: "2" });
    const key = await t.key("nx");
    for (const address of ["198.51.100.1", "198.51.100.2"]) {
      const res = await t.post(GET, { request_data: {} }, { ...key, secret: "x" }, { "x-forwarded-for": address });
      assert.equal(res.statusCode, 401);
    }
    const res = await t.post(GET, { request_data: {} }, { ...key, secret: "x" }, { "x-forwarded-for": "198.51.100.3" });
    assert.equal(res.statusCode, 429, "every request came from 127.0.0.1, whatever the header claims");
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
