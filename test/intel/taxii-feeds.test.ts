/**
 * TAXII 2.1 feeds pulled from a real TAXII server on loopback: Warden's own (test/intel/
 * taxii-server.test.ts checks it against the specification), serving one tenant's rules to another.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Tenant } from "../../src/domain/tenants/tenant-model.ts";
import { checkFeedUrl, isInternalAddress } from "../../src/intel/feed-url.ts";
import { collectionId } from "../../src/intel/taxii-collection.ts";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";

describe("TAXII 2.1 feeds", () => {
  let t: TestApp;
  let upstream: TestKey;
  let reader: TestKey;
  let downstream: Tenant;
  let rootUrl: string;

  const insert = (items: unknown[]) => t.post("/public_api/v1/indicators/insert", { request_data: items }, upstream);
  const domain = (name: string) => ({ indicator: name, type: "DOMAIN_NAME", severity: "SEV_040_HIGH" });
  const downstreamRules = async () => {
    const found = await t.services.store.findIocs(downstream.id, [], { from: 0, to: 1000 }, t.clock.now());
    return found.rules.map((r) => r.indicator).sort();
  };
  const downstreamStatus = async (value: string) => {
    const found = await t.services.store.findIocs(downstream.id, [], { from: 0, to: 1000 }, t.clock.now());
    const rule = found.rules.find((r) => r.indicator === value);
    return rule === undefined ? "absent" : rule.enabled ? "ENABLED" : "DISABLED";
  };

  before(async () => {
    t = await startTestApp({ WARDEN_INTEL_FEED_HOSTS: "127.0.0.1" });
    await t.app.listen({ host: "127.0.0.1", port: 0 });
    upstream = await t.key("upstream");
    reader = await t.key("upstream", "viewer");
    await t.key("downstream");
    const found = await t.services.tenants.find("downstream");
    assert.ok(found.ok);
    downstream = found.value;
    rootUrl = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}/taxii2/upstream/`;
  });
  after(async () => t.close());

  it("pulls a collection, then only what was added since, and records each pull", async () => {
    await insert([domain("one.example"), domain("two.example")]);
    const up = await t.services.tenants.find("upstream");
    assert.ok(up.ok);
    const added = await t.services.feeds.add(downstream, {
      name: "up",
      url: rootUrl,
      collectionId: collectionId(up.value.id),
      username: String(reader.id),
      password: reader.secret,
      pollSeconds: 60,
    });
    assert.ok(added.ok, added.ok ? "" : added.error);
    assert.equal(added.value.hasPassword, true);
    assert.equal("sealedPassword" in added.value, false, "the password never leaves sealed");

    const first = await t.services.feeds.pullNamed(downstream, "up");
    assert.ok(first.ok, first.ok ? "" : first.error);
    assert.equal(first.value.created, 2);
    assert.deepEqual(await downstreamRules(), ["one.example", "two.example"]);

    t.clock.advance(5_000);
    await insert([domain("three.example")]);
    const second = await t.services.feeds.pullNamed(downstream, "up");
    assert.ok(second.ok);
    assert.deepEqual([second.value.created, second.value.unchanged], [1, 0], "only the new object moved");
    assert.deepEqual(await downstreamRules(), ["one.example", "three.example", "two.example"]);

    t.clock.advance(5_000);
    await t.post("/public_api/v1/indicators/disable_iocs", { request_data: ["one.example"] }, upstream);
    const third = await t.services.feeds.pullNamed(downstream, "up");
    assert.ok(third.ok);
    assert.deepEqual([third.value.updated, third.value.deleted], [1, 0], "disabled upstream, disabled downstream");
    assert.deepEqual(await downstreamStatus("one.example"), "DISABLED");

    t.clock.advance(5_000);
    await t.post("/public_api/v1/indicators/enable_iocs", { request_data: ["one.example"] }, upstream);
    assert.equal((await t.services.feeds.pullNamed(downstream, "up")).ok, true);
    assert.deepEqual(await downstreamStatus("one.example"), "ENABLED", "and enabled again");

    t.clock.advance(5_000);
    await t.post(
      "/public_api/v1/indicators/delete",
      { request_data: { filters: [{ field: "indicator", operator: "EQ", value: "one.example" }] } },
      upstream,
    );
    const fourth = await t.services.feeds.pullNamed(downstream, "up");
    assert.ok(fourth.ok);
    assert.equal(fourth.value.deleted, 1, "a rule deleted upstream is deleted downstream");

    const [listed] = await t.services.feeds.list(downstream);
    assert.equal(listed?.lastError, null);
    assert.equal(JSON.parse(listed?.lastSummary ?? "{}").deleted, 1);
    assert.ok(listed?.addedAfter);
  });

  it("records a failing pull's error and keeps its place", async () => {
    const up = await t.services.tenants.find("upstream");
    assert.ok(up.ok);
    const added = await t.services.feeds.add(downstream, {
      name: "wrong-password",
      url: rootUrl,
      collectionId: collectionId(up.value.id),
      username: String(reader.id),
      password: "not it",
      pollSeconds: 60,
    });
    assert.ok(added.ok);
    const pulled = await t.services.feeds.pullNamed(downstream, "wrong-password");
    assert.equal(pulled.ok, false);
    const feed = (await t.services.feeds.list(downstream)).find((f) => f.name === "wrong-password");
    assert.match(feed?.lastError ?? "", /answered 401/);
    assert.equal(feed?.addedAfter, null);
  });

  it("refuses URLs that are not http(s) or reach internal hosts not listed", async () => {
    const refuse = async (url: string, pattern: RegExp) => {
      const result = await checkFeedUrl(url, []);
      assert.equal(result.ok, false, url);
      assert.match(result.ok ? "" : result.error, pattern);
    };
    await refuse("file:///etc/passwd", /http or https/);
    await refuse("ftp://tip.example/", /http or https/);
    await refuse("http://user:pw@tip.example/", /credentials/);
    await refuse("http://127.0.0.1:8080/taxii2/", /internal address/);
    await refuse("http://169.254.169.254/latest/", /internal address/);
    await refuse("http://[::1]/taxii2/", /internal address/);
    await refuse("http://10.1.2.3/", /internal address/);
    await refuse("http://localhost/", /internal address/);
    await refuse("http://[::ffff:127.0.0.1]/", /internal address/);
    await refuse("http://[::ffff:a9fe:a9fe]/", /internal address/);
    assert.ok((await checkFeedUrl("http://127.0.0.1:8080/x/", ["127.0.0.1:8080"])).ok, "listed host:port");
    assert.ok((await checkFeedUrl("https://8.8.8.8/taxii2/", [])).ok, "a public address");
    assert.equal(isInternalAddress("8.8.8.8"), false);
    assert.equal(isInternalAddress("::ffff:127.0.0.1"), true);
    const added = await t.services.feeds.add(downstream, {
      name: "metadata",
      url: "http://169.254.169.254/taxii2/",
      collectionId: "x",
      username: undefined,
      password: undefined,
      pollSeconds: 60,
    });
    assert.equal(added.ok, false);
  });
});
