/**
 * The JetStream consumer on SQLite, one node as a real process on a real nats-server: events with
 * a known set of hits are published, the node is SIGKILLed mid-run and started again, and the
 * alerts are exactly the known set. Messages for no tenant and lines that are not events are
 * terminated or skipped, never redelivered for ever; nats-server restarting is survived.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  alertCount,
  alertEventIds,
  domainRules,
  drained,
  type NatsServer,
  publisher,
  publishInBackground,
  startNats,
  startNode,
  unacknowledged,
  type WardenNode,
  type WardenSite,
  wardenSite,
} from "./stream-harness.ts";

const TENANT = "acme";
const RULES = 20;
const MESSAGES = 60;
const LINES = 500;
const HIT_EVERY = 97;
const DRAIN_MS = 90_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("JetStream consumer on SQLite", () => {
  let nats: NatsServer;
  let site: WardenSite;
  let node: WardenNode;

  before(async () => {
    nats = await startNats();
    site = await wardenSite(undefined, TENANT, nats.url);
    // the first node is told by flag, the later ones by WARDEN_NATS_URL
    node = await startNode({ ...site.env, WARDEN_NATS_URL: "" }, ["--nats", nats.url, "--nats-inflight", "8"]);
    await domainRules(node, site, RULES);
  });
  after(async () => {
    await node?.kill("SIGKILL");
    await nats?.stop();
    site?.close();
  });

  it("raises exactly the known alerts though the node is SIGKILLed mid-run", async () => {
    const { nc, publish } = await publisher(nats.url);
    const messages = { first: 0, count: MESSAGES, lines: LINES, hitEvery: HIT_EVERY, rules: RULES };
    const { expected, published } = publishInBackground(publish, `warden.events.${TENANT}`, messages);
    // Killed once it has stored some alerts and before it has stored them all.
    let stored = 0;
    for (let i = 0; i < 600 && stored === 0; i++) {
      stored = await alertCount(node, site);
      if (stored === 0) await sleep(20);
    }
    await node.kill("SIGKILL");
    await published;
    assert.ok(stored > 0 && stored < expected.length, `killed mid-run (${stored} of ${expected.length} stored)`);
    node = await startNode(site.env);
    await drained(nc, DRAIN_MS);
    const ids = await alertEventIds(node, site);
    assert.equal(ids.length, expected.length, "as many alerts as known hits (none doubled, none missing)");
    assert.deepEqual(new Set(ids), new Set(expected));
    await nc.close();
  });

  it("on SIGTERM finishes what it holds, acknowledges it, gives back the rest, and exits cleanly", async () => {
    const { nc, publish } = await publisher(nats.url);
    const before = await alertCount(node, site);
    const messages = { first: MESSAGES, count: MESSAGES, lines: LINES, hitEvery: HIT_EVERY, rules: RULES };
    const { expected, published } = publishInBackground(publish, `warden.events.${TENANT}`, messages);
    for (let i = 0; i < 600 && (await alertCount(node, site)) === before; i++) await sleep(20);
    assert.equal(await node.kill("SIGTERM"), 0);
    await published;
    // Nothing waits for the ack wait to run out: held messages were acknowledged or handed back.
    assert.equal(await unacknowledged(nc), 0);
    node = await startNode(site.env);
    await drained(nc, DRAIN_MS);
    assert.equal((await alertEventIds(node, site)).length, before + expected.length);
    await nc.close();
  });

  it("terminates a message for no known tenant and skips lines that are not events", async () => {
    const { nc, publish } = await publisher(nats.url);
    const before = await alertCount(node, site);
    await publish("warden.events.nobody", JSON.stringify({ id: "lost", dns_query_name: "bad1.example" }));
    await publish(`warden.events.${TENANT}`, "this is not json\n[1,2]");
    const good = JSON.stringify({ id: "after-bad", dns_query_name: "bad2.example" });
    await publish(`warden.events.${TENANT}`, `{"broken": \n${good}\n42`);
    await drained(nc, DRAIN_MS);
    const ids = await alertEventIds(node, site);
    assert.equal(ids.length, before + 1, "only the well-formed line of the tenant's messages raised an alert");
    assert.ok(ids.includes("after-bad"));
    assert.match(node.output(), /stream message for no known tenant: terminated/);
    assert.match(node.output(), /stream message had lines that are not events/);
    await nc.close();
  });

  it("keeps consuming after nats-server restarts", async () => {
    await nats.restart();
    const { nc, publish } = await publisher(nats.url);
    const before = await alertCount(node, site);
    await publish(`warden.events.${TENANT}`, JSON.stringify({ id: "after-restart", dns_query_name: "bad3.example" }));
    await drained(nc, DRAIN_MS);
    for (let i = 0; i < 300 && (await alertCount(node, site)) === before; i++) await sleep(100);
    assert.ok((await alertEventIds(node, site)).includes("after-restart"));
    await nc.close();
  });
});
