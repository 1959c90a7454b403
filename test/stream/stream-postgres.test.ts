/**
 * Three Warden nodes as processes on one PostgreSQL share the durable consumer: one is SIGKILLed
 * mid-run and started again, another is stopped with SIGTERM (it finishes what it holds and exits
 * cleanly), and the alerts are exactly the known set, none missing, none doubled.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  alertCount,
  alertEventIds,
  domainRules,
  drained,
  type NatsServer,
  postgresDatabase,
  publisher,
  publishInBackground,
  startNats,
  startNode,
  type WardenNode,
  type WardenSite,
  wardenSite,
} from "./stream-harness.ts";

const base = process.env.WARDEN_TEST_POSTGRES_URL;
const TENANT = "acme";
const RULES = 20;
const MESSAGES = 90;
const LINES = 500;
const HIT_EVERY = 89;
const DRAIN_MS = 100_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("JetStream consumer: three nodes on PostgreSQL", {
  skip: base ? false : "needs WARDEN_TEST_POSTGRES_URL (npm test starts one where PostgreSQL 15 is installed)",
}, () => {
  let nats: NatsServer;
  let database: { url: string; drop(): Promise<void> };
  let site: WardenSite;
  const nodes: WardenNode[] = [];

  before(async () => {
    nats = await startNats();
    database = await postgresDatabase(base as string);
    site = await wardenSite(database.url, TENANT, nats.url);
    nodes.push(...(await Promise.all([0, 1, 2].map(() => startNode(site.env)))));
    await domainRules(nodes[0] as WardenNode, site, RULES);
  });
  after(async () => {
    for (const node of nodes) await node.kill("SIGKILL");
    await nats?.stop();
    await database?.drop();
    site?.close();
  });

  it("raises exactly the known alerts though one node is SIGKILLed and one stopped mid-run", async () => {
    const [a, b, c] = nodes as [WardenNode, WardenNode, WardenNode];
    const { nc, publish } = await publisher(nats.url);
    const messages = { first: 0, count: MESSAGES, lines: LINES, hitEvery: HIT_EVERY, rules: RULES };
    const { expected, published } = publishInBackground(publish, `warden.events.${TENANT}`, messages);
    let stored = 0;
    for (let i = 0; i < 600 && stored === 0; i++) {
      stored = await alertCount(c, site);
      if (stored === 0) await sleep(20);
    }
    await a.kill("SIGKILL");
    assert.equal(await b.kill("SIGTERM"), 0, "a node stopped with SIGTERM exits cleanly");
    await published;
    assert.ok(stored < expected.length, `stopped mid-run (${stored} of ${expected.length} stored)`);
    nodes[0] = await startNode(site.env);
    await drained(nc, DRAIN_MS);
    const ids = await alertEventIds(c, site);
    assert.equal(ids.length, expected.length, "as many alerts as known hits (none doubled, none missing)");
    assert.deepEqual(new Set(ids), new Set(expected));
    assert.match(b.output(), /stream consumer connected/);
    await nc.close();
  });
});
