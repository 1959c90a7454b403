/**
 * Webhooks end to end: alerts raised through /logs/v1/event reach a real receiver on loopback
 * exactly once by idempotency key, through refused connections, errors and timeouts; signatures
 * verify by the scheme docs/webhooks.md documents; dead letters and retry; filters; tenants apart.
 * Rounds are driven by hand and the clock moved past each backoff, so nothing sleeps.
 */
import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { LIVE_EXAMPLE } from "../correlations/live-example.ts";
import { authHeaders, startTestApp, type TestApp, type TestKey } from "../harness.ts";
import { closedPort, startWebhookReceiver, type WebhookRequest } from "./receivers.ts";

const BACKOFF_MS = 1000;

/** docs/webhooks.md, "Verifying a request", written out again here rather than imported. */
function verifies(secret: string, r: WebhookRequest): boolean {
  const expected = Buffer.from(`v1=${createHmac("sha256", secret).update(`${r.timestamp}.${r.body}`).digest("hex")}`);
  return r.signature
    .split(",")
    .map((part) => Buffer.from(part.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}

describe("alert delivery: webhooks", () => {
  let t: TestApp;
  let tenantNo = 0;

  before(async () => {
    t = await startTestApp({
      WARDEN_DELIVERY_HOSTS: "127.0.0.1",
      WARDEN_DELIVERY_BACKOFF_MS: String(BACKOFF_MS),
      WARDEN_DELIVERY_BACKOFF_MAX_MS: String(BACKOFF_MS),
      WARDEN_DELIVERY_MAX_ATTEMPTS: "5",
      WARDEN_DELIVERY_TIMEOUT_MS: "400",
      WARDEN_DELIVERY_TICK_MS: "0",
    });
  });
  after(() => t.close());

  const tenant = async (role: "instance_admin" | "analyst" | "viewer" = "instance_admin") =>
    t.key(`hooks-${++tenantNo}`, role);

  const addWebhook = async (key: TestKey, data: Record<string, unknown>) => {
    const res = await t.post("/public_api/v1/webhooks/add", { request_data: { name: "siem", ...data } }, key);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().reply as { target: Record<string, unknown>; secret: string };
  };

  /** Rules that hit "evil.com" (IOC, high) and "meh.com" (IOC, low); then one event per value given. */
  const raiseAlerts = async (key: TestKey, domains: string[]) => {
    const rules = [
      { indicator: "evil.com", type: "DOMAIN_NAME", severity: "SEV_040_HIGH" },
      { indicator: "meh.com", type: "DOMAIN_NAME", severity: "SEV_020_LOW" },
    ];
    assert.equal((await t.post("/public_api/v1/indicators/insert", { request_data: rules }, key)).statusCode, 200);
    const body = domains.map((d, i) => JSON.stringify({ dns_query_name: d, seq: i })).join("\n");
    const res = await t.app.inject({
      method: "POST",
      url: "/logs/v1/event",
      headers: authHeaders(key, t.clock.now()),
      payload: body,
    });
    assert.equal(res.statusCode, 200, res.body);
  };

  /** Runs a round, then moves the clock past the longest backoff so failures fall due again. */
  const round = async () => {
    const attempted = await t.services.dispatcher.runRound();
    t.clock.advance(BACKOFF_MS);
    return attempted;
  };

  it("delivers every alert exactly once by idempotency key through refusals, 500s and timeouts", async () => {
    const key = await tenant();
    const port = await closedPort();
    const { secret } = await addWebhook(key, { url: `http://127.0.0.1:${port}/hook` });
    await raiseAlerts(key, ["a.evil.com", "b.evil.com", "meh.com", "c.evil.com"]);

    assert.equal(await round(), 4, "first round: connection refused for all four");
    // the receiver comes up: each alert's first request gets 500, its second hangs past the timeout, its third 200
    const receiver = await startWebhookReceiver((_key, nth) => (nth === 0 ? 500 : nth === 1 ? "hang" : 200), port);
    try {
      for (let i = 0; i < 5 && (await round()) > 0; i++);
      assert.equal(await t.services.dispatcher.runRound(), 0, "nothing is owed any more");

      const accepted = receiver.requests.filter((r) => r.answer === 200);
      const keys = accepted.map((r) => r.key);
      assert.equal(keys.length, 4);
      assert.equal(new Set(keys).size, 4, "each alert accepted once");
      assert.deepEqual(
        receiver.requests.map((r) => r.answer).sort(),
        [200, 200, 200, 200, 500, 500, 500, 500, "hang", "hang", "hang", "hang"].sort(),
      );
      for (const r of receiver.requests) {
        assert.ok(verifies(secret, r), "the signature verifies");
        assert.equal(JSON.parse(r.body).idempotency_key, r.key, "the body carries the same key");
      }
      const alerts = accepted.map((r) => JSON.parse(r.body).alert).sort((a, b) => a.alert_id - b.alert_id);
      assert.deepEqual(
        alerts.map((a) => [a.alert_id, a.value, a.event.seq]),
        [
          [1, "a.evil.com", 0],
          [2, "b.evil.com", 1],
          [3, "meh.com", 2],
          [4, "c.evil.com", 3],
        ],
      );
      // a retry of one alert carries the same key, whatever attempt it is
      const firstKey = keys[0] as string;
      assert.equal(receiver.requests.filter((r) => r.key === firstKey).length, 3);
      assert.deepEqual((await t.post("/public_api/v1/webhooks/dead_letters", {}, key)).json().reply.dead_letters, []);
    } finally {
      await receiver.close();
    }
  });

  it("a signature made with another secret, or over another body or timestamp, does not verify", async () => {
    const key = await tenant();
    const receiver = await startWebhookReceiver();
    try {
      const { secret } = await addWebhook(key, { url: receiver.url, secret: "a-secret-of-my-own-choosing" });
      assert.equal(secret, "a-secret-of-my-own-choosing");
      await raiseAlerts(key, ["x.evil.com"]);
      await round();
      const [r] = receiver.requests as [WebhookRequest];
      assert.ok(verifies(secret, r));
      assert.ok(!verifies("some-other-secret-entirely", r));
      assert.ok(!verifies(secret, { ...r, body: r.body.replace("x.evil.com", "y.evil.com") }));
      assert.ok(!verifies(secret, { ...r, timestamp: String(Number(r.timestamp) + 1) }));
      assert.equal(Number(r.timestamp), Math.floor(t.clock.now() / 1000) - BACKOFF_MS / 1000);
    } finally {
      await receiver.close();
    }
  });

  it("moves an alert to the dead letters after the last attempt, and Retry sends it again", async () => {
    const key = await tenant();
    const receiver = await startWebhookReceiver(() => 503);
    try {
      await addWebhook(key, { url: receiver.url });
      await raiseAlerts(key, ["dead.evil.com"]);
      for (let i = 0; i < 5; i++) assert.equal(await round(), 1);
      assert.equal(await round(), 0, "a dead letter is not tried again");
      const dead = (await t.post("/public_api/v1/webhooks/dead_letters", {}, key)).json().reply.dead_letters;
      assert.equal(dead.length, 1);
      assert.equal(dead[0].attempts, 5);
      assert.equal(dead[0].last_error, "HTTP 503");
      assert.equal(dead[0].target, "siem");
      assert.equal(dead[0].alert_id, 1);

      receiver.plan = () => 200;
      const retried = await t.post("/public_api/v1/webhooks/retry", { request_data: { ids: [dead[0].id] } }, key);
      assert.deepEqual(retried.json().reply, { retried: 1 });
      assert.equal(await round(), 1);
      assert.deepEqual((await t.post("/public_api/v1/webhooks/dead_letters", {}, key)).json().reply.dead_letters, []);
      const answers = receiver.requests.map((r) => r.answer);
      assert.deepEqual(answers, [503, 503, 503, 503, 503, 200]);
      assert.equal(new Set(receiver.requests.map((r) => r.key)).size, 1, "the retry carries the same key");
    } finally {
      await receiver.close();
    }
  });

  it("sends only what the filter lets through: severity and rule kind", async () => {
    const key = await tenant();
    const receiver = await startWebhookReceiver();
    try {
      await addWebhook(key, { url: receiver.url, min_severity: "SEV_030_MEDIUM" });
      await addWebhook(key, { name: "bioc-only", url: `${receiver.url}?bioc`, rule_kinds: ["BIOC"] });
      await raiseAlerts(key, ["a.evil.com", "meh.com", "b.evil.com"]);
      await round();
      assert.deepEqual(
        receiver.requests.map((r) => JSON.parse(r.body).alert.value).sort(),
        ["a.evil.com", "b.evil.com"],
        "the low alert and the BIOC-only webhook get nothing",
      );
    } finally {
      await receiver.close();
    }
  });

  it("delivers correlation alerts, with their details, to a webhook that asks for them alone", async () => {
    const key = await tenant();
    const receiver = await startWebhookReceiver();
    try {
      await addWebhook(key, { url: receiver.url, rule_kinds: ["CORRELATION"] });
      const rule = await t.post("/public_api/v1/correlations/insert", { request_data: [LIVE_EXAMPLE] }, key);
      assert.deepEqual(rule.json().errors, [], rule.body);
      const ticket = {
        event_type: "EVENT_LOG",
        action_evtlog_event_id: 4768,
        action_evtlog_data_fields: { TicketOptions: "0x40810000", TargetUserName: "svc" },
        action_evtlog_message: "a ticket was requested",
        agent_hostname: "dc01",
      };
      await raiseAlerts(key, ["a.evil.com"]);
      const res = await t.post("/logs/v1/event", JSON.stringify(ticket), key, { "content-type": "text/plain" });
      assert.equal(res.statusCode, 200, res.body);
      await round();
      const bodies = receiver.requests.map((r) => JSON.parse(r.body).alert);
      assert.deepEqual(
        bodies.map((a) => [a.source, a.name]),
        [["CORRELATION", "Ticket anomaly"]],
        "the IOC alert is filtered out",
      );
      assert.equal(bodies[0].details.alert_domain, "DOMAIN_SECURITY");
    } finally {
      await receiver.close();
    }
  });

  it("keeps tenants apart: their webhooks, their alerts, their dead letters", async () => {
    const [a, b] = [await tenant(), await tenant()];
    const receiver = await startWebhookReceiver(() => 500);
    try {
      await addWebhook(a, { url: receiver.url });
      await raiseAlerts(b, ["b-only.evil.com"]);
      await round();
      assert.equal(receiver.requests.length, 0, "b's alert does not go to a's webhook");
      await raiseAlerts(a, ["a-only.evil.com"]);
      for (let i = 0; i < 5; i++) await round();
      assert.equal((await t.post("/public_api/v1/webhooks/list", {}, b)).json().reply.targets.length, 0);
      assert.equal((await t.post("/public_api/v1/webhooks/dead_letters", {}, b)).json().reply.dead_letters.length, 0);
      assert.deepEqual((await t.post("/public_api/v1/webhooks/retry", { request_data: {} }, b)).json().reply, {
        retried: 0,
      });
      const removed = await t.post("/public_api/v1/webhooks/remove", { request_data: { name: "siem" } }, b);
      assert.equal(removed.statusCode, 400);
      assert.equal((await t.post("/public_api/v1/webhooks/dead_letters", {}, a)).json().reply.dead_letters.length, 1);
    } finally {
      await receiver.close();
    }
  });

  it("never answers a secret after creation; analysts read, only administrators change", async () => {
    const admin = await tenant();
    const analyst = await t.key(admin.tenant, "analyst");
    const viewer = await t.key(admin.tenant, "viewer");
    const added = await addWebhook(admin, { url: "http://127.0.0.1:9/hook" });
    assert.match(added.secret, /^whsec_[0-9a-f]{64}$/);
    const listed = await t.post("/public_api/v1/webhooks/list", {}, analyst);
    assert.equal(listed.statusCode, 200);
    assert.ok(!listed.body.includes(added.secret));
    assert.deepEqual(listed.json().reply.targets[0], {
      name: "siem",
      kind: "webhook",
      url: "http://127.0.0.1:9/hook",
      min_severity: "SEV_010_INFO",
      rule_kinds: ["IOC", "BIOC", "CORRELATION"],
      enabled: true,
      has_secret: true,
      created_at: t.clock.now(),
    });
    const owner = await t.services.tenants.find(admin.tenant);
    assert.ok(owner.ok);
    const [stored] = await t.services.store.listTargets(owner.value.id);
    assert.ok(stored?.sealedSecret && !stored.sealedSecret.toString("latin1").includes(added.secret), "sealed at rest");
    for (const k of [analyst, viewer]) {
      const res = await t.post(
        "/public_api/v1/webhooks/add",
        { request_data: { name: "x", url: "http://127.0.0.1:9/" } },
        k,
      );
      assert.equal(res.statusCode, 403);
    }
    assert.equal((await t.post("/public_api/v1/webhooks/list", {}, viewer)).statusCode, 403);
  });

  it("refuses internal addresses not allow-listed, bad URLs and bad names with a clear 400", async () => {
    const key = await tenant();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ url: "http://169.254.169.254/latest/meta-data" }, /internal address/],
      [{ url: "http://10.1.2.3/hook" }, /WARDEN_DELIVERY_HOSTS/],
      [{ url: "http://[::1]:8080/hook" }, /internal address/],
      [{ url: "ftp://example.com/" }, /http/],
      [{ url: "not a url" }, /not a URL/],
      [{ url: "http://user:pw@example.com/" }, /credentials/],
      [{ url: "http://127.0.0.1/", name: "no spaces please" }, /target name/],
      [{ url: "http://127.0.0.1/", secret: "short" }, /.+/],
    ];
    for (const [data, message] of cases) {
      const res = await t.post("/public_api/v1/webhooks/add", { request_data: { name: "n", ...data } }, key);
      assert.equal(res.statusCode, 400, JSON.stringify(data));
      assert.match(JSON.stringify(res.json().reply.err_extra ?? res.json().reply), message);
    }
    const twice = await t.post(
      "/public_api/v1/webhooks/add",
      { request_data: { name: "n", url: "http://127.0.0.1/" } },
      key,
    );
    assert.equal(twice.statusCode, 200);
    const again = await t.post(
      "/public_api/v1/webhooks/add",
      { request_data: { name: "n", url: "http://127.0.0.1/" } },
      key,
    );
    assert.equal(again.statusCode, 400);
    assert.match(again.json().reply.err_extra, /already has a target named 'n'/);
  });

  it("rotates a secret: both sign during the overlap, only the new one after it, each alert sent once", async () => {
    const key = await tenant();
    const receiver = await startWebhookReceiver();
    try {
      const old = "the-first-secret-of-this-hook";
      await addWebhook(key, { url: receiver.url, secret: old });
      const rotate = (data: Record<string, unknown>, as = key) =>
        t.post("/public_api/v1/webhooks/rotate_secret", { request_data: { name: "siem", ...data } }, as);
      const res = await rotate({ overlap_hours: 2 });
      assert.equal(res.statusCode, 200, res.body);
      const { secret, previous_valid_until } = res.json().reply;
      assert.match(secret, /^whsec_[0-9a-f]{64}$/);
      assert.equal(previous_valid_until, t.clock.now() + 2 * 3_600_000);
      const listed = (await t.post("/public_api/v1/webhooks/list", {}, key)).body;
      assert.ok(!listed.includes(secret) && !listed.includes(old), "neither secret is ever shown again");

      await raiseAlerts(key, ["a.evil.com"]);
      await round();
      const [during] = receiver.requests as [WebhookRequest];
      assert.ok(verifies(old, during), "a receiver still on the old secret accepts it");
      assert.ok(verifies(secret, during), "one already on the new secret accepts it too");

      t.clock.advance(2 * 3_600_000);
      await raiseAlerts(key, ["b.evil.com"]);
      await round();
      const after = receiver.requests[1] as WebhookRequest;
      assert.ok(verifies(secret, after));
      assert.ok(!verifies(old, after), "after the overlap the old secret signs nothing");
      assert.equal(new Set(receiver.requests.map((r) => r.key)).size, 2, "each alert sent once, to the one webhook");

      const analyst = await t.key(key.tenant, "analyst");
      assert.equal((await rotate({}, analyst)).statusCode, 403, "only administrators rotate");
      assert.equal((await rotate({ overlap_hours: 169 })).statusCode, 400);
      assert.equal((await rotate({ secret: "short" })).statusCode, 400);
      const missing = await rotate({ name: "nobody" });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.json().reply.err_extra, /no webhook named 'nobody'/);
    } finally {
      await receiver.close();
    }
  });

  it("an idle round only reads: another process holding the file's write lock does not stall it", async (ctx) => {
    if (process.env.WARDEN_TEST_STORE === "postgres") return ctx.skip("the write lock is SQLite's");
    const other = new Database(join(t.dir, "warden.db"));
    other.exec("BEGIN IMMEDIATE"); // as a `warden import` in another process would
    try {
      // with nothing due, a claim would wait out the busy timeout and fail with SQLITE_BUSY
      assert.equal(await t.services.dispatcher.drain(), 0);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
  });

  it("tests a webhook on demand with a signed sample alert", async () => {
    const key = await tenant();
    const receiver = await startWebhookReceiver();
    try {
      const { secret } = await addWebhook(key, { url: receiver.url });
      const res = await t.post("/public_api/v1/webhooks/test", { request_data: { name: "siem" } }, key);
      assert.deepEqual(res.json().reply, { delivered: true, error: null });
      const [r] = receiver.requests as [WebhookRequest];
      assert.ok(verifies(secret, r));
      assert.equal(JSON.parse(r.body).alert.alert_id, 0);
      receiver.plan = () => 500;
      const failed = await t.post("/public_api/v1/webhooks/test", { request_data: { name: "siem" } }, key);
      assert.deepEqual(failed.json().reply, { delivered: false, error: "HTTP 500" });
    } finally {
      await receiver.close();
    }
  });
});
