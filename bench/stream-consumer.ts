/**
 * The JetStream consumer at volume (issue 17's "done when"): Warden nodes as `warden serve --nats`
 * processes on one PostgreSQL consume one stream. First the scaling figures: a block of events
 * POSTed to one node's /logs/v1/event (the same-run yardstick), then the same size of block
 * through the stream with 1, then 2, then 3 nodes. Then the main run: `--events` events (default 1,000,000) with
 * three nodes, one of them SIGKILLed twice during the run and started again. At the end every
 * alert of every phase is checked against the known set of hits: none missing, none doubled.
 * Uses WARDEN_TEST_POSTGRES_URL, or starts a throwaway PostgreSQL.
 *
 *   node --import tsx bench/stream-consumer.ts [--events 1000000] [--scale-events 100000]
 *        [--lines 1000] [--rules 1000] [--hit-every 100]
 */
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import pg from "pg";
import {
  CONSUMER,
  domainRules,
  drained,
  eventMessage,
  postgresDatabase,
  publisher,
  STREAM,
  startNats,
  startNode,
  type WardenNode,
  type WardenSite,
  wardenSite,
} from "../test/stream/stream-harness.ts";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    "scale-events": { type: "string", default: "100000" },
    lines: { type: "string", default: "1000" },
    rules: { type: "string", default: "1000" },
    "hit-every": { type: "string", default: "100" },
  },
});
const EVENTS = Number(values.events);
const SCALE_EVENTS = Number(values["scale-events"]);
const LINES = Number(values.lines);
const RULES = Number(values.rules);
const HIT_EVERY = Number(values["hit-every"]);
const TENANT = "bench";
/** Generous: the machine may be shared. */
const DRAIN_MS = 60 * 60 * 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Publishes messages number `first` onwards holding `events` events; answers the ids that must raise alerts. */
async function publishEvents(publish: (s: string, b: string) => Promise<void>, first: number, events: number) {
  const hits: string[] = [];
  const messages = Math.ceil(events / LINES);
  const pending: Promise<void>[] = [];
  for (let m = first; m < first + messages; m++) {
    const message = eventMessage(m, LINES, HIT_EVERY, RULES);
    hits.push(...message.hits);
    pending.push(publish(`warden.events.${TENANT}`, message.body));
    if (pending.length >= 64) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return { hits, messages };
}

/** Messages not yet acknowledged by any node (pending delivery or delivered and unacknowledged). */
async function outstanding(nc: NatsConnection): Promise<number> {
  const info = await (await jetstreamManager(nc)).consumers.info(STREAM, CONSUMER);
  return info.num_pending + info.num_ack_pending;
}

/** Events per second through `nodes` nodes: a block published at once, timed until drained. */
async function scalePhase(nc: NatsConnection, publish: (s: string, b: string) => Promise<void>, first: number) {
  const started = performance.now();
  const block = await publishEvents(publish, first, SCALE_EVENTS);
  await drained(nc, DRAIN_MS);
  const seconds = (performance.now() - started) / 1000;
  return { ...block, eventsPerSecond: (block.messages * LINES) / seconds };
}

/**
 * The same kind of block POSTed to one node's `/logs/v1/event` (four requests at a time, one message
 * a request), for a same-run ratio of the stream path to the HTTP path on one node.
 */
async function postMessage(node: WardenNode, site: WardenSite, m: number): Promise<string[]> {
  const message = eventMessage(m, LINES, HIT_EVERY, RULES);
  const headers = { ...site.headers, "content-type": "application/x-ndjson" };
  const res = await fetch(`${node.url}/logs/v1/event`, { method: "POST", headers, body: message.body });
  if (!res.ok) throw new Error(`/logs/v1/event: ${res.status} ${await res.text()}`);
  return message.hits;
}

/** Message numbers from here on warm nodes up (matcher built, workers started) outside the timed blocks. */
let warmUps = 100_000_000;

async function warmUp(node: WardenNode, site: WardenSite): Promise<string[]> {
  return postMessage(node, site, warmUps++);
}

async function httpPhase(node: WardenNode, site: WardenSite, first: number) {
  const messages = Math.ceil(SCALE_EVENTS / LINES);
  const hits: string[] = [];
  const started = performance.now();
  let next = first;
  const worker = async () => {
    while (next < first + messages) {
      hits.push(...(await postMessage(node, site, next++)));
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const seconds = (performance.now() - started) / 1000;
  return { hits, messages, eventsPerSecond: (messages * LINES) / seconds };
}

/** Kills `victim` with SIGKILL once `fraction` of the run is acknowledged, then starts it again. */
async function killAt(nc: NatsConnection, total: number, fraction: number, nodes: WardenNode[], site: WardenSite) {
  while ((await outstanding(nc)) > total * (1 - fraction)) await sleep(200);
  const left = await outstanding(nc);
  await nodes[0]?.kill("SIGKILL");
  nodes[0] = await startNode(site.env);
  return { killedWithMessagesLeft: left };
}

async function storedHits(url: string, tenant: string): Promise<{ total: number; ids: Set<string> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ id: string }>(
    "SELECT a.event::json->>'id' AS id FROM alerts a JOIN tenants t ON t.id = a.tenant_id WHERE t.name = $1",
    [tenant],
  );
  await client.end();
  return { total: rows.length, ids: new Set(rows.map((r) => r.id)) };
}

async function main(): Promise<void> {
  let pgDir: string | undefined;
  let base = process.env.WARDEN_TEST_POSTGRES_URL;
  if (!base)
    [base, pgDir] = execFileSync("bash", ["scripts/postgres-for-tests.sh"], { encoding: "utf8" }).trim().split(" ");
  const nats = await startNats();
  const database = await postgresDatabase(base as string);
  const site = await wardenSite(database.url, TENANT, nats.url);
  site.env.WARDEN_LOG_LEVEL = "warn";
  const nodes: WardenNode[] = [];
  try {
    nodes.push(await startNode(site.env));
    await domainRules(nodes[0] as WardenNode, site, RULES);
    const { nc, publish } = await publisher(nats.url);
    const expected: string[] = [];
    const scaling: Record<string, number> = {};
    expected.push(...(await warmUp(nodes[0] as WardenNode, site)));
    const http = await httpPhase(nodes[0] as WardenNode, site, 0);
    expected.push(...http.hits);
    scaling.http_1_node_events_per_s = Math.round(http.eventsPerSecond);
    let next = http.messages;
    for (let n = 1; n <= 3; n++) {
      while (nodes.length < n) {
        const node = await startNode(site.env);
        nodes.push(node);
        expected.push(...(await warmUp(node, site)));
      }
      const phase = await scalePhase(nc, publish, next);
      next += phase.messages;
      expected.push(...phase.hits);
      scaling[`nodes_${n}_events_per_s`] = Math.round(phase.eventsPerSecond);
      scaling[`nodes_${n}_events_per_s_per_node`] = Math.round(phase.eventsPerSecond / n);
      if (n === 1)
        scaling.stream_to_http_1_node = Math.round((phase.eventsPerSecond / http.eventsPerSecond) * 100) / 100;
    }
    const started = performance.now();
    const run = await publishEvents(publish, next, EVENTS);
    expected.push(...run.hits);
    const kills = [
      await killAt(nc, run.messages, 0.25, nodes, site),
      await killAt(nc, run.messages, 0.55, nodes, site),
    ];
    await drained(nc, DRAIN_MS);
    const seconds = (performance.now() - started) / 1000;
    const stored = await storedHits(database.url, TENANT);
    const missing = expected.filter((id) => !stored.ids.has(id)).length;
    const exact = stored.total === expected.length && missing === 0 && stored.ids.size === expected.length;
    console.log(
      JSON.stringify({
        ...scaling,
        main_run_events: run.messages * LINES,
        main_run_nodes: 3,
        main_run_seconds: Math.round(seconds * 10) / 10,
        main_run_events_per_s: Math.round((run.messages * LINES) / seconds),
        main_run_events_per_s_per_node: Math.round((run.messages * LINES) / seconds / 3),
        kills,
        lines_per_message: LINES,
        expected_alerts: expected.length,
        stored_alerts: stored.total,
        missing,
        doubled: stored.total - stored.ids.size,
        exact,
      }),
    );
    await nc.close();
    if (!exact) process.exitCode = 1;
  } finally {
    for (const node of nodes) await node.kill("SIGKILL");
    await nats.stop();
    await database.drop();
    site.close();
    if (pgDir) execFileSync("bash", ["scripts/postgres-for-tests.sh", "stop", pgDir]);
  }
}

await main();
