/** /metrics scraped over HTTP and read with a real Prometheus text-format parser. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import parsePrometheus, { type ParsedFamily } from "parse-prometheus-text-format";
import { listenForMetrics } from "../src/metrics/metrics-server.ts";
import { authHeaders, startTestApp, type TestApp } from "./harness.ts";

type Labels = Record<string, string>;

/** Samples of one family whose labels include `want`. */
function samples(families: ParsedFamily[], name: string, want: Labels = {}) {
  const family = families.find((f) => f.name === name);
  assert.ok(family, `${name} is exposed`);
  return family.metrics.filter((m) => Object.entries(want).every(([k, v]) => m.labels?.[k] === v));
}

/** The sum of a counter's or gauge's values over the samples matching `want`. */
function total(families: ParsedFamily[], name: string, want: Labels = {}): number {
  return samples(families, name, want).reduce((sum, m) => sum + Number(m.value ?? m.count ?? 0), 0);
}

const IOC = (indicator: string) => ({ indicator, type: "DOMAIN_NAME", severity: "SEV_040_HIGH" });
const BIOC = {
  name: "Encoded PowerShell",
  type: "EXECUTION",
  severity: "SEV_030_MEDIUM",
  indicator: {
    investigationType: "PROCESS_EXECUTION_EVENT",
    investigation: {
      PROCESS_EXECUTION_EVENT: {
        filter: {
          AND: [{ SEARCH_FIELD: "action_process_image_name", SEARCH_TYPE: "EQ", SEARCH_VALUE: "powershell.exe" }],
        },
      },
    },
  },
};

describe("metrics on the API's port", () => {
  let t: TestApp;
  const scrape = async () => {
    const res = await t.app.inject({ method: "GET", url: "/metrics" });
    assert.equal(res.statusCode, 200, "no API key needed");
    assert.match(String(res.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
    return { text: res.body, families: parsePrometheus(res.body) };
  };
  const ingest = (key: Awaited<ReturnType<TestApp["key"]>>, lines: unknown[]) =>
    t.app.inject({
      method: "POST",
      url: "/logs/v1/event",
      headers: { ...authHeaders(key, t.clock.now()), "content-type": "text/plain" },
      payload: lines.map((line) => JSON.stringify(line)).join("\n"),
    });

  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it("exposes the process metrics", async () => {
    const { families } = await scrape();
    assert.ok(total(families, "process_cpu_user_seconds_total") >= 0);
    assert.ok(total(families, "nodejs_heap_size_used_bytes") > 0);
  });

  it("counts requests by route pattern and status, never by raw URL", async () => {
    const key = await t.key("metrics-http");
    const route = { route: "/public_api/v1/indicators/get", method: "POST" };
    const before = await scrape();
    for (let i = 0; i < 3; i++) await t.post(route.route, { request_data: {} }, key);
    await t.post(route.route, { request_data: {} }, { ...key, secret: "wrong" });
    await t.app.inject({ method: "GET", url: "/public_api/v1/no-such-route-7f3a9" });
    const after = await scrape();
    const name = "warden_http_requests_total";
    const ok = { ...route, status_code: "200" };
    assert.equal(total(after.families, name, ok) - total(before.families, name, ok), 3);
    const refused = { ...route, status_code: "401" };
    assert.equal(total(after.families, name, refused) - total(before.families, name, refused), 1);
    assert.ok(total(after.families, name, { route: "unmatched", status_code: "404" }) >= 1);
    assert.doesNotMatch(after.text, /no-such-route-7f3a9/, "a raw URL never becomes a label");
    // the parser folds a labelled histogram's series into one sample: enough to see its buckets
    const [histogram] = samples(after.families, "warden_http_request_duration_seconds");
    assert.ok(histogram?.buckets && Number(histogram.buckets["+Inf"]) >= 1, "latency buckets are there");
  });

  it("counts rules per tenant and kind when scraped", async () => {
    const a = await t.key("metrics-rules-a");
    const b = await t.key("metrics-rules-b");
    await t.post("/public_api/v1/indicators/insert", { request_data: [IOC("a.example"), IOC("b.example")] }, a);
    await t.post("/public_api/v1/bioc/insert", { request_data: [BIOC] }, b);
    let { families } = await scrape();
    assert.equal(total(families, "warden_rules", { tenant: "metrics-rules-a", kind: "ioc" }), 2);
    assert.equal(total(families, "warden_rules", { tenant: "metrics-rules-a", kind: "bioc" }), 0);
    assert.equal(total(families, "warden_rules", { tenant: "metrics-rules-b", kind: "bioc" }), 1);
    await t.post("/public_api/v1/indicators/insert", { request_data: [IOC("c.example")] }, a);
    ({ families } = await scrape());
    assert.equal(total(families, "warden_rules", { tenant: "metrics-rules-a", kind: "ioc" }), 3);
  });

  it("counts events matched, alerts raised and matcher builds", async () => {
    const key = await t.key("metrics-events");
    const tenant = { tenant: "metrics-events" };
    await t.post("/public_api/v1/indicators/insert", { request_data: [IOC("evil.example")] }, key);
    const before = await scrape();
    const res = await ingest(key, [
      { event_type: "NETWORK", dns_query_name: "evil.example" },
      { event_type: "NETWORK", dns_query_name: "fine.example" },
      { event_type: "NETWORK", dns_query_name: "www.evil.example" },
    ]);
    assert.equal(res.statusCode, 200, res.body);
    const after = await scrape();
    const moved = (name: string) => total(after.families, name, tenant) - total(before.families, name, tenant);
    assert.equal(moved("warden_events_total"), 3);
    assert.equal(moved("warden_events_matched_total"), 2);
    assert.equal(moved("warden_alerts_raised_total"), 2);
    const builds = "warden_matcher_builds_total";
    assert.ok(total(after.families, builds) > total(before.families, builds), "the new rule set was built");
  });

  it("counts store errors by method", async () => {
    const name = "warden_store_errors_total";
    const before = await scrape();
    const ghost = { tenantId: 987_654, role: "viewer", security: "standard", secretHash: Buffer.alloc(32) };
    await assert.rejects(
      t.services.store.createKey(ghost as never, { actor: { name: "test", address: null }, now: t.clock.now() }),
    );
    const after = await scrape();
    const failed = { method: "createKey", unavailable: "false" };
    assert.equal(total(after.families, name, failed) - total(before.families, name, failed), 1);
  });
});

describe("metrics with tenant labels off", () => {
  it("carries no tenant names, summing over tenants", async () => {
    const t = await startTestApp({ WARDEN_METRICS_TENANT_LABELS: "false" });
    try {
      for (const tenant of ["secret-customer-1", "secret-customer-2"]) {
        const key = await t.key(tenant);
        await t.post("/public_api/v1/indicators/insert", { request_data: [IOC(`${tenant}.example`)] }, key);
      }
      const res = await t.app.inject({ method: "GET", url: "/metrics" });
      assert.doesNotMatch(res.body, /secret-customer/);
      assert.equal(total(parsePrometheus(res.body), "warden_rules", { kind: "ioc" }), 2);
    } finally {
      await t.close();
    }
  });
});

describe("metrics on a port of their own", () => {
  it("serves /metrics there, and not on the API's port", async () => {
    const t = await startTestApp({ WARDEN_METRICS_PORT: "0" });
    const server = await listenForMetrics(t.services.metrics, "127.0.0.1", 0);
    try {
      const key = await t.key("metrics-port");
      await t.post("/public_api/v1/indicators/insert", { request_data: [IOC("x.example")] }, key);
      const onApi = await t.app.inject({ method: "GET", url: "/metrics" });
      assert.equal(onApi.statusCode, 404);
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      assert.equal(res.status, 200);
      const families = parsePrometheus(await res.text());
      assert.equal(total(families, "warden_rules", { tenant: "metrics-port", kind: "ioc" }), 1);
      const insert = { route: "/public_api/v1/indicators/insert", status_code: "200" };
      assert.equal(total(families, "warden_http_requests_total", insert), 1);
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/other`)).status, 404);
    } finally {
      await server.close();
      await t.close();
    }
  });
});
