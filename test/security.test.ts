/**
 * The shared security suite: every authenticated route fails the same way for no key, a bad key,
 * a bad advanced signature, a stale timestamp, a replayed nonce, a revoked or expired key,
 * a missing permission and a wrong license; never acts on another tenant's rules; answers with
 * the security headers and no-store; refuses too deep JSON and too long IN lists with a 400.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { advancedAuthorization } from "../src/domain/keys/key-secrets.ts";
import { authHeaders, startTestApp, TEST_ACTOR, type TestApp, type TestKey } from "./harness.ts";

interface RouteCase {
  path: string;
  body: unknown;
  /** Which of analyst and viewer may call it (instance_admin always may). */
  allowed: ("analyst" | "viewer")[];
  /** What a permitted call answers when not 200: the handler's own 400 (the body names nothing it has). */
  status?: number;
}

const okStatus = (route: RouteCase) => route.status ?? 200;

const READERS: RouteCase["allowed"] = ["analyst", "viewer"];
const filterBody = { request_data: { filters: [{ field: "rule_id", operator: "EQ", value: 1 }] } };

const ROUTES: RouteCase[] = [
  { path: "/public_api/v1/indicators/insert", body: { request_data: [] }, allowed: [] },
  { path: "/public_api/v1/indicators/get", body: { request_data: {} }, allowed: READERS },
  { path: "/public_api/v1/indicators/delete", body: filterBody, allowed: [] },
  { path: "/public_api/v1/bioc/insert", body: { request_data: [] }, allowed: [] },
  { path: "/public_api/v1/bioc/get", body: { request_data: {} }, allowed: READERS },
  { path: "/public_api/v1/bioc/delete", body: filterBody, allowed: [] },
  { path: "/public_api/v1/correlations/insert", body: { request_data: [] }, allowed: [] },
  { path: "/public_api/v1/correlations/get", body: { request_data: {} }, allowed: READERS },
  { path: "/public_api/v1/correlations/delete", body: filterBody, allowed: [] },
  { path: "/public_api/v1/indicators/insert_jsons", body: { request_data: [] }, allowed: [] },
  { path: "/public_api/v1/indicators/tim_insert_jsons", body: { request_data: [] }, allowed: [] },
  { path: "/public_api/v1/indicators/insert_csv", body: { request_data: "indicator,type,severity\n" }, allowed: [] },
  { path: "/public_api/v1/indicators/get_changes", body: { request_data: { last_update_ts: 0 } }, allowed: READERS },
  { path: "/public_api/v1/indicators/enable_iocs", body: { request_data: ["x"] }, allowed: [] },
  { path: "/public_api/v1/indicators/disable_iocs", body: { request_data: ["x"] }, allowed: [] },
  { path: "/public_api/v1/rules/evaluate", body: { request_data: { events: [] } }, allowed: ["analyst"] },
  { path: "/public_api/v1/alerts/get_alerts", body: { request_data: {} }, allowed: READERS },
  { path: "/logs/v1/event", body: { event_type: "FILE" }, allowed: ["analyst"] },
  { path: "/public_api/v1/session/whoami", body: { request_data: {} }, allowed: READERS },
  { path: "/public_api/v1/xql/validate", body: { request_data: { query: "dataset = xdr_data" } }, allowed: READERS },
  { path: "/public_api/v1/audits/management_logs", body: { request_data: {} }, allowed: [] },
  {
    path: "/public_api/v1/intel/import",
    body: { request_data: { content: { type: "bundle", objects: [] } } },
    allowed: [],
  },
  { path: "/public_api/v1/intel/export", body: { request_data: { format: "csv" } }, allowed: READERS },
  { path: "/public_api/v1/intel/feeds/list", body: { request_data: {} }, allowed: READERS },
  { path: "/public_api/v1/intel/feeds/remove", body: { request_data: { name: "absent" } }, allowed: [] },
  { path: "/public_api/v1/webhooks/list", body: {}, allowed: ["analyst"] },
  { path: "/public_api/v1/webhooks/dead_letters", body: {}, allowed: ["analyst"] },
  { path: "/public_api/v1/webhooks/retry", body: { request_data: {} }, allowed: [] },
  // an internal address, refused after authentication, so every call answers alike
  {
    path: "/public_api/v1/webhooks/add",
    body: { request_data: { name: "n", url: "http://10.0.0.1/" } },
    allowed: [],
    status: 400,
  },
  { path: "/public_api/v1/webhooks/remove", body: { request_data: { name: "none" } }, allowed: [], status: 400 },
  {
    path: "/public_api/v1/webhooks/enable",
    body: { request_data: { name: "none", enabled: false } },
    allowed: [],
    status: 400,
  },
  { path: "/public_api/v1/webhooks/test", body: { request_data: { name: "none" } }, allowed: [], status: 400 },
  { path: "/public_api/v1/webhooks/rotate_secret", body: { request_data: { name: "none" } }, allowed: [], status: 400 },
];

/** The routes whose body takes filters, and where the filters go. */
const FILTERED = ROUTES.filter((route) => /\/(get|delete|get_alerts|management_logs)$/.test(route.path));

/** What every answer carries, whatever its status (finding 4). */
function assertSecurityHeaders(headers: Record<string, unknown>, what: string): void {
  assert.equal(headers["x-content-type-options"], "nosniff", what);
  assert.equal(headers["x-frame-options"], "DENY", what);
  assert.equal(headers["referrer-policy"], "no-referrer", what);
  assert.match(String(headers["content-security-policy"]), /frame-ancestors 'none'/, what);
}

/** `depth` arrays inside one another. */
const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

const UNAUTHORIZED = {
  err_code: 401,
  err_msg: "Public API request unauthorized",
  err_extra: null,
  reply: { err_code: 401, err_msg: "Public API request unauthorized", err_extra: null },
};

describe("security on every rule route", () => {
  let t: TestApp;
  let admin: TestKey;
  let advanced: TestKey;

  const send = (route: RouteCase, headers: Record<string, string>, body: unknown = route.body) =>
    t.app.inject({
      method: "POST",
      url: route.path,
      headers: { "content-type": "application/json", ...headers },
      payload: JSON.stringify(body),
    });

  const expect401 = async (route: RouteCase, headers: Record<string, string>, why: string) => {
    const res = await send(route, headers);
    assert.equal(res.statusCode, 401, `${route.path}: ${why}: ${res.body}`);
    assert.deepEqual(res.json(), UNAUTHORIZED, `${route.path}: ${why}`);
  };

  before(async () => {
    t = await startTestApp();
    admin = await t.key("sec");
    advanced = await t.key("sec", "instance_admin", "advanced");
  });
  after(async () => t.close());

  it("the route list covers every authenticated route the server has", async () => {
    // Every POST route but the public ones must be in ROUTES (sync_tim_iocs is multipart: legacy-iocs.test.ts).
    // feeds/add and feeds/pull cannot answer 200 twice in a row (a name is taken; a pull needs an
    // upstream): test/intel/feed-routes.test.ts checks their roles and tenants.
    const elsewhere = ["indicators/sync_tim_iocs", "intel/feeds/add", "intel/feeds/pull"];
    const known = new Set([...ROUTES.map((r) => r.path), ...elsewhere.map((p) => `/public_api/v1/${p}`)]);
    const doc = (await t.app.inject({ method: "GET", url: "/public_api/v1/openapi.json" })).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([, methods]) => "post" in methods)
      .map(([path]) => path);
    assert.deepEqual(
      documented.filter((path) => !known.has(path)),
      [],
    );
    const unauthenticated = await t.app.inject({ method: "POST", url: "/public_api/v1/indicators/sync_tim_iocs" });
    assert.equal(unauthenticated.statusCode, 401);
  });

  for (const route of ROUTES) {
    describe(route.path, () => {
      it("accepts a good standard and a good advanced key", async () => {
        assert.equal((await send(route, authHeaders(admin, t.clock.now()))).statusCode, okStatus(route));
        assert.equal((await send(route, authHeaders(advanced, t.clock.now()))).statusCode, okStatus(route));
        // header names are case-insensitive and a trailing slash is fine
        const res = await t.app.inject({
          method: "POST",
          url: `${route.path}/`,
          headers: {
            "Content-Type": "application/json",
            "X-Xdr-Auth-Id": String(admin.id),
            Authorization: admin.secret,
          },
          payload: JSON.stringify(route.body),
        });
        assert.equal(res.statusCode, okStatus(route), res.body);
      });

      it("answers 401 alike for every authentication failure", async () => {
        const now = t.clock.now();
        await expect401(route, {}, "no key");
        await expect401(route, { "x-xdr-auth-id": String(admin.id) }, "no secret");
        await expect401(route, { authorization: admin.secret }, "no id");
        await expect401(route, { "x-xdr-auth-id": "999999", authorization: admin.secret }, "unknown id");
        await expect401(route, { "x-xdr-auth-id": "abc", authorization: admin.secret }, "non-numeric id");
        await expect401(
          route,
          { "x-xdr-auth-id": String(admin.id), authorization: `${admin.secret}x` },
          "wrong secret",
        );
        await expect401(
          route,
          { "x-xdr-auth-id": String(advanced.id), authorization: advanced.secret },
          "advanced key used as standard",
        );
        const good = authHeaders(advanced, now);
        await expect401(
          route,
          { ...good, authorization: advancedAuthorization("wrong", good["x-xdr-nonce"] as string, String(now)) },
          "wrong advanced hash",
        );
        await expect401(route, { ...good, "x-xdr-timestamp": String(now + 1) }, "timestamp altered after signing");
        await expect401(route, authHeaders(advanced, now - 5 * 60 * 1000 - 1), "stale timestamp");
        await expect401(route, authHeaders(advanced, now + 5 * 60 * 1000 + 1), "timestamp from the future");
        const { "x-xdr-nonce": _nonce, ...noNonce } = good;
        await expect401(route, noNonce, "advanced without nonce");
      });

      it("refuses a replayed nonce, even after a good first use", async () => {
        const headers = authHeaders(advanced, t.clock.now());
        assert.equal((await send(route, headers)).statusCode, okStatus(route));
        await expect401(route, headers, "replayed nonce");
      });

      it("refuses a captured request re-split between nonce and timestamp", async () => {
        const now = t.clock.now();
        const headers = authHeaders(advanced, now, `${randomBytes(31).toString("hex")}a0`);
        assert.equal((await send(route, headers)).statusCode, okStatus(route));
        const nonce = headers["x-xdr-nonce"] as string;
        const resplit = { ...headers, "x-xdr-nonce": nonce.slice(0, -1), "x-xdr-timestamp": `0${now}` };
        await expect401(route, resplit, "nonce's last 0 moved into the timestamp");
      });

      it("refuses timestamps that are not canonical decimal milliseconds", async () => {
        const now = t.clock.now();
        for (const timestamp of [`0${now}`, `+${now}`, ` ${now}`, `${now}.0`]) {
          const nonce = randomBytes(32).toString("hex");
          const authorization = advancedAuthorization(advanced.secret, nonce, timestamp);
          const headers = { "x-xdr-auth-id": String(advanced.id), "x-xdr-nonce": nonce, "x-xdr-timestamp": timestamp };
          await expect401(route, { ...headers, authorization }, `timestamp ${JSON.stringify(timestamp)}`);
        }
      });

      it("refuses revoked and expired keys", async () => {
        const revoked = await t.key("sec");
        assert.equal((await send(route, authHeaders(revoked, t.clock.now()))).statusCode, okStatus(route));
        await t.services.keys.revoke(revoked.id, TEST_ACTOR);
        await expect401(route, authHeaders(revoked, t.clock.now()), "revoked key");

        const tenant = await t.services.tenants.find("sec");
        assert.ok(tenant.ok);
        const expiring = await t.services.keys.create(
          tenant.value,
          "instance_admin",
          "standard",
          t.clock.now() + 1000,
          TEST_ACTOR,
        );
        const key = { id: expiring.id, secret: expiring.secret, security: "standard" as const, tenant: "sec" };
        assert.equal((await send(route, authHeaders(key, t.clock.now()))).statusCode, okStatus(route));
        t.clock.advance(1000);
        await expect401(route, authHeaders(key, t.clock.now()), "expired key");
      });

      it("answers 402 for a tenant without the license, before looking at the role", async () => {
        const prevent = await t.key("prevent-tenant", "viewer", "standard", "xdr_prevent");
        const res = await send(route, authHeaders(prevent, t.clock.now()));
        assert.equal(res.statusCode, 402, res.body);
        assert.equal(res.json().err_msg, "User does not have the required license type to run this API");
        const pro = await t.key("pro-tenant", "instance_admin", "standard", "xdr_pro");
        assert.equal((await send(route, authHeaders(pro, t.clock.now()))).statusCode, okStatus(route));
      });

      it(`lets ${route.allowed.join(" and ") || "no role but instance_admin"} in, and answers 403 to the others`, async () => {
        for (const role of ["analyst", "viewer"] as const) {
          const key = await t.key("sec", role);
          const res = await send(route, authHeaders(key, t.clock.now()));
          const allowed = route.allowed.includes(role);
          assert.equal(res.statusCode, allowed ? okStatus(route) : 403, `${role}: ${res.body}`);
          if (!allowed) assert.equal(res.json().reply.err_code, 403);
        }
      });

      it("answers with the security headers and Cache-Control: no-store, refused or not", async () => {
        for (const headers of [authHeaders(admin, t.clock.now()), {}]) {
          const res = await send(route, headers);
          assertSecurityHeaders(res.headers, `${route.path} ${res.statusCode}`);
          assert.equal(res.headers["cache-control"], "no-store", `${route.path} ${res.statusCode}`);
        }
      });

      it("refuses a body nested 5,000 deep with a 400 that says so", async () => {
        const res = await t.app.inject({
          method: "POST",
          url: route.path,
          headers: { "content-type": "application/json", ...authHeaders(admin, t.clock.now()) },
          payload: `{"request_data":${nested(5000)}}`,
        });
        assert.equal(res.statusCode, 400, res.body);
        assert.match(res.json().err_extra, /nested deeper than 128/);
      });

      it("checks authentication before the body: a bad body without a key is a 401", async () => {
        const res = await t.app.inject({
          method: "POST",
          url: route.path,
          headers: { "content-type": "application/json" },
          payload: "{not json",
        });
        assert.equal(res.statusCode, 401);
      });
    });
  }

  for (const route of FILTERED) {
    it(`${route.path}: an IN list of 100,000 values is a 400 naming the cap`, async () => {
      const values = Array.from({ length: 100_000 }, (_, i) => i + 1);
      const filters = [
        { field: route.path.endsWith("management_logs") ? "audit_id" : "rule_id", operator: "IN", value: values },
      ];
      const res = await send(route, authHeaders(admin, t.clock.now()), { request_data: { filters } });
      assert.equal(res.statusCode, 400, res.body.slice(0, 300));
      assert.match(res.json().err_extra, /at most 10,000 values/);
    });
  }

  it("sends the security headers on public answers too, and a strict CSP for the console", async () => {
    for (const url of ["/public_api/v1/healthcheck", "/public_api/v1/openapi.json", "/", "/nowhere", "/docs/"]) {
      const res = await t.app.inject({ method: "GET", url });
      assertSecurityHeaders(res.headers, url);
    }
    const health = await t.app.inject({ method: "GET", url: "/public_api/v1/healthcheck" });
    assert.equal(health.headers["cache-control"], "no-store");
    const console = await t.app.inject({ method: "GET", url: "/" });
    const csp = String(console.headers["content-security-policy"]);
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'"])
      assert.ok(csp.split(/;\s*/).includes(directive), `${directive} in ${csp}`);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });

  it("keeps the long cache on the console's hashed assets", async () => {
    const index = await t.app.inject({ method: "GET", url: "/" });
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index.body)?.[1];
    assert.ok(asset, "the console is built (npm ci builds it)");
    const res = await t.app.inject({ method: "GET", url: asset });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["cache-control"], "public, max-age=31536000, immutable");
    assertSecurityHeaders(res.headers, asset);
  });

  it("keeps tenants apart on get, delete and insert by rule id", async () => {
    const alice = await t.key("alice");
    const bob = await t.key("bob");
    const ioc = { indicator: "shared.exe", type: "FILENAME", severity: "SEV_010_INFO" };
    await t.post("/public_api/v1/indicators/insert", { request_data: [ioc] }, alice);
    await t.post(
      "/public_api/v1/bioc/insert",
      {
        request_data: [
          {
            name: "x",
            type: "OTHER",
            severity: "SEV_010_INFO",
            is_xql: true,
            indicator: "dataset = xdr_data | filter event_type = ENUM.FILE",
          },
        ],
      },
      alice,
    );
    for (const family of ["indicators", "bioc"]) {
      const seen = await t.post(`/public_api/v1/${family}/get`, { request_data: {} }, bob);
      assert.equal(seen.json().objects_count, 0, `${family}: bob sees nothing of alice's`);
      const del = await t.post(
        `/public_api/v1/${family}/delete`,
        { request_data: { filters: [{ field: "rule_id", operator: "EQ", value: 1 }] } },
        bob,
      );
      assert.deepEqual(del.json(), { objects_count: 0, objects: [] });
      const still = await t.post(`/public_api/v1/${family}/get`, { request_data: {} }, alice);
      assert.equal(still.json().objects_count, 1, `${family}: alice's rule survives bob's delete`);
    }
  });
});
