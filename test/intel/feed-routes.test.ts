/**
 * The feeds API (a Warden extension) over HTTP, pulling from a real TAXII 2.1 server on loopback:
 * Warden's own, serving tenant "upstream" to tenant "downstream".
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { collectionId } from "../../src/intel/taxii-collection.ts";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";

const FEEDS = "/public_api/v1/intel/feeds";

describe("TAXII feeds over HTTP", () => {
  let t: TestApp;
  let upstream: TestKey;
  let reader: TestKey;
  let admin: TestKey;
  let viewer: TestKey;
  let analyst: TestKey;
  let rootUrl: string;
  let upstreamCollection: string;

  const feeds = (action: string, data: unknown, key: TestKey) =>
    t.post(`${FEEDS}/${action}`, { request_data: data }, key);
  const list = async (key: TestKey) => {
    const res = await feeds("list", {}, key);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().reply.feeds as Record<string, unknown>[];
  };
  const feedOf = (name: string) => ({
    name,
    url: rootUrl,
    collection_id: upstreamCollection,
    username: String(reader.id),
    password: reader.secret,
    poll_seconds: 600,
  });

  before(async () => {
    t = await startTestApp({ WARDEN_INTEL_FEED_HOSTS: "127.0.0.1" });
    await t.app.listen({ host: "127.0.0.1", port: 0 });
    upstream = await t.key("upstream");
    reader = await t.key("upstream", "viewer");
    admin = await t.key("downstream");
    viewer = await t.key("downstream", "viewer");
    analyst = await t.key("downstream", "analyst");
    const up = await t.services.tenants.find("upstream");
    assert.ok(up.ok);
    upstreamCollection = collectionId(up.value.id);
    rootUrl = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}/taxii2/upstream/`;
    const items = ["one.example", "two.example"].map((indicator) => ({
      indicator,
      type: "DOMAIN_NAME",
      severity: "SEV_040_HIGH",
    }));
    await t.post("/public_api/v1/indicators/insert", { request_data: items }, upstream);
  });
  after(async () => t.close());

  it("adds a feed, lists it to any role without its password, and pulls it now", async () => {
    const added = await feeds("add", feedOf("up"), admin);
    assert.equal(added.statusCode, 200, added.body);
    assert.equal(added.json().reply.has_password, true);
    assert.equal(added.body.includes(reader.secret), false, "the password never comes back");

    const [listed] = await list(viewer);
    assert.equal(listed?.name, "up");
    assert.equal(listed?.collection_id, upstreamCollection);
    assert.equal(listed?.last_pull_at, null);
    assert.equal(JSON.stringify(listed).includes(reader.secret), false);

    const pulled = await feeds("pull", { name: "up" }, admin);
    assert.equal(pulled.statusCode, 200, pulled.body);
    const { created, feed } = pulled.json().reply;
    assert.equal(created, 2);
    assert.equal(feed.last_pull_at, t.clock.now());
    assert.deepEqual(feed.last_counts, { created: 2, updated: 0, unchanged: 0, deleted: 0, rejected: 0, objects: 2 });
    assert.equal(feed.last_error, null);
    const got = await t.post("/public_api/v1/indicators/get", { request_data: {} }, viewer);
    assert.equal(got.json().objects_count, 2);
  });

  it("lets only a role that writes rules add, remove or pull", async () => {
    for (const key of [viewer, analyst]) {
      assert.equal((await feeds("add", feedOf("nope"), key)).statusCode, 403);
      assert.equal((await feeds("pull", { name: "up" }, key)).statusCode, 403);
      assert.equal((await feeds("remove", { name: "up" }, key)).statusCode, 403);
    }
    assert.deepEqual(
      (await list(admin)).map((f) => f.name),
      ["up"],
    );
  });

  it("refuses internal addresses (as the CLI does), bad fields and a second feed of one name", async () => {
    const refused = async (data: unknown, pattern: RegExp) => {
      const res = await feeds("add", data, admin);
      assert.equal(res.statusCode, 400, res.body);
      assert.match(JSON.stringify(res.json().err_extra), pattern);
    };
    await refused({ ...feedOf("meta"), url: "http://169.254.169.254/taxii2/" }, /internal address/);
    await refused({ ...feedOf("private"), url: "http://10.1.2.3/taxii2/" }, /internal address/);
    await refused({ ...feedOf("file"), url: "file:///etc/passwd" }, /http or https/);
    await refused({ ...feedOf("fast"), poll_seconds: 5 }, /at least 60/);
    await refused({ ...feedOf("bad name!") }, /feed name/);
    await refused(feedOf("up"), /already has a feed named 'up'/);
    const unknown = await feeds("add", { ...feedOf("x"), secret: "y" }, admin);
    assert.equal(unknown.statusCode, 400, unknown.body);
    assert.equal((await list(admin)).length, 1, "nothing refused was kept");
  });

  it("records a failing pull's error where the list shows it", async () => {
    assert.equal((await feeds("add", { ...feedOf("wrong"), password: "not it" }, admin)).statusCode, 200);
    const pulled = await feeds("pull", { name: "wrong" }, admin);
    assert.equal(pulled.statusCode, 400);
    assert.match(JSON.stringify(pulled.json().err_extra), /answered 401/);
    const wrong = (await list(viewer)).find((f) => f.name === "wrong");
    assert.match(String(wrong?.last_error), /answered 401/);
    assert.equal(wrong?.added_after, null, "a failed pull keeps its place");
    const absent = await feeds("pull", { name: "absent" }, admin);
    assert.equal(absent.statusCode, 400);
    assert.match(JSON.stringify(absent.json().err_extra), /no feed named 'absent'/);
  });

  it("keeps tenants apart: another tenant neither sees, pulls nor removes the feed", async () => {
    const other = await t.key("other");
    assert.deepEqual(await list(other), []);
    assert.equal((await feeds("pull", { name: "up" }, other)).statusCode, 400);
    const removed = await feeds("remove", { name: "up" }, other);
    assert.deepEqual(removed.json().reply, { removed: false });
    assert.ok((await list(admin)).some((f) => f.name === "up"));
  });

  it("removes a feed once; removing it again says it was not there", async () => {
    assert.deepEqual((await feeds("remove", { name: "up" }, admin)).json().reply, { removed: true });
    assert.deepEqual((await feeds("remove", { name: "up" }, admin)).json().reply, { removed: false });
    assert.deepEqual(
      (await list(admin)).map((f) => f.name),
      ["wrong"],
    );
  });
});
