/**
 * Real parts for the stream tests and bench: a nats-server with JetStream on a loopback port,
 * Warden nodes as `bin/warden serve --nats` processes, a tenant with IOC rules whose hits are
 * known in advance, and a PostgreSQL database of its own when asked.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";
import pg from "pg";
import { buildServices } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { TEST_ACTOR } from "../harness.ts";
import { freePort } from "../ports.ts";

const BIN = join(import.meta.dirname, "..", "..", "bin", "warden.js");
export const STREAM = "WARDEN_EVENTS";
export const CONSUMER = "warden";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Debian package's path first, then PATH; a clear failure when neither has it. */
export function natsServerBinary(): string {
  if (existsSync("/usr/sbin/nats-server")) return "/usr/sbin/nats-server";
  try {
    return execFileSync("sh", ["-c", "command -v nats-server"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("nats-server is not installed: `apt-get install nats-server` (Debian) runs these tests");
  }
}

export interface NatsServer {
  url: string;
  stop(): Promise<void>;
  /** The same port and store directory: streams and consumers come back as they were. */
  restart(): Promise<void>;
  /**
   * Freezes the server (SIGSTOP): connections stay open and what clients send waits in the
   * socket, unanswered, so a request times out without the client seeing a disconnect.
   */
  pause(): Promise<void>;
  /** Thaws it (SIGCONT): it reads what was sent meanwhile. */
  resume(): void;
  /** SIGKILL (paused or not: what it had not read is lost), then the same port and store directory again. */
  crash(): Promise<void>;
}

async function waitForPort(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200 && child.exitCode === null; i++) {
    try {
      const nc = await connect({ servers: url, reconnect: false });
      await nc.close();
      return;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`nats-server at ${url} did not start`);
}

/**
 * Resolves once every thread of `pid` is stopped: SIGSTOP reaches a process's threads one by one,
 * and one still running reads and answers what is sent to it meanwhile.
 */
async function stopped(pid: number): Promise<void> {
  const state = (tid: string) => readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").replace(/^.*\) /s, "")[0];
  while (!readdirSync(`/proc/${pid}/task`).every((tid) => state(tid) === "T")) await sleep(1);
}

export async function startNats(): Promise<NatsServer> {
  const binary = natsServerBinary();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "warden-nats-"));
  const url = `nats://127.0.0.1:${port}`;
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(binary, ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", dir], { stdio: "ignore" });
    await waitForPort(url, child);
  };
  const halt = async (signal: NodeJS.Signals = "SIGTERM") => {
    // one killed by a signal has no exit code: waiting for its exit would wait for ever
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    // a paused server would hold a SIGTERM until thawed; a SIGKILL must not let it read on first
    if (signal !== "SIGKILL") child.kill("SIGCONT");
    child.kill(signal);
    await exited;
  };
  await launch();
  return {
    url,
    restart: async () => {
      await halt();
      await launch();
    },
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
    crash: async () => {
      await halt("SIGKILL");
      await launch();
    },
    pause: async () => {
      child.kill("SIGSTOP");
      await stopped(child.pid as number);
    },
    resume: () => void child.kill("SIGCONT"),
  };
}

/** A fresh PostgreSQL database on WARDEN_TEST_POSTGRES_URL's server, and how to drop it. */
export async function postgresDatabase(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `warden_stream_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export interface WardenSite {
  env: NodeJS.ProcessEnv;
  headers: Record<string, string>;
  close(): void;
}

/** A data directory, master key and tenant with an admin key, on `database` (SQLite path or PostgreSQL URL). */
export async function wardenSite(database: string | undefined, tenant: string, natsUrl: string): Promise<WardenSite> {
  const dir = mkdtempSync(join(tmpdir(), "warden-stream-"));
  const db = database ?? join(dir, "warden.db");
  const env = {
    ...process.env,
    WARDEN_DATA_DIR: dir,
    WARDEN_DATABASE: db,
    WARDEN_LOG_LEVEL: "info",
    WARDEN_MASTER_KEY: randomBytes(32).toString("hex"),
    WARDEN_NATS_URL: natsUrl,
    WARDEN_NATS_ACK_WAIT_MS: "3000",
    WARDEN_CORRELATION_TICK_MS: "0",
  };
  const services = await buildServices(loadConfig({ database: db, dataDir: dir }, { ...env, WARDEN_NATS_URL: "" }));
  const created = await services.tenants.create(tenant, TEST_ACTOR);
  if (!created.ok) throw new Error(created.error);
  const key = await services.keys.create(created.value, "instance_admin", "standard", null, TEST_ACTOR);
  await services.store.close();
  await services.matching.close();
  const headers = { "x-xdr-auth-id": String(key.id), authorization: key.secret, "content-type": "application/json" };
  return { env, headers, close: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface WardenNode {
  url: string;
  /** Everything the node logged (pino JSON lines). */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** `args` are added to `serve`'s (the stream tests pass `--nats` there once, to cover the flag too). */
export async function startNode(env: NodeJS.ProcessEnv, args: string[] = []): Promise<WardenNode> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, "serve", "--port", String(port), ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const node: WardenNode = {
    url,
    output: () => output,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  for (let i = 0; i < 900 && child.exitCode === null; i++) {
    try {
      if ((await fetch(`${url}/public_api/v1/healthcheck`)).ok) return node;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  await node.kill("SIGKILL");
  throw new Error(`warden node did not start:\n${output}`);
}

/** POSTs to a node's API as the site's admin. */
export async function call(node: WardenNode, site: WardenSite, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${node.url}${path}`, { method: "POST", headers: site.headers, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Every stored alert's event id (events carry an `id` field), in pages. */
export async function alertEventIds(node: WardenNode, site: WardenSite): Promise<string[]> {
  const ids: string[] = [];
  for (let from = 0; ; from += 10_000) {
    const page = (await call(node, site, "/public_api/v1/alerts/get_alerts", {
      request_data: { search_from: from, search_to: from + 10_000 },
    })) as { reply: { alerts: { event: { id: string } }[] } };
    ids.push(...page.reply.alerts.map((a) => a.event.id));
    if (page.reply.alerts.length < 10_000) return ids;
  }
}

export async function alertCount(node: WardenNode, site: WardenSite): Promise<number> {
  const page = (await call(node, site, "/public_api/v1/alerts/get_alerts", {
    request_data: { search_from: 0, search_to: 1 },
  })) as { reply: { total_count: number } };
  return page.reply.total_count;
}

/**
 * A publisher on the stream. The nodes create the stream and then its durable consumer; this
 * waits for both, since a test that asks the consumer's state right after publishing would
 * otherwise race its creation ("consumer not found").
 */
export async function publisher(
  url: string,
  options: Partial<NodeConnectionOptions> = {},
): Promise<{ nc: NatsConnection; publish(subject: string, body: string): Promise<void> }> {
  const nc = await connect({ servers: url, ...options });
  const jsm = await jetstreamManager(nc);
  for (let i = 0; ; i++) {
    try {
      await jsm.consumers.info(STREAM, CONSUMER);
      break;
    } catch (error) {
      if (i > 600) throw error;
      await sleep(100);
    }
  }
  const js = jetstream(nc);
  return { nc, publish: async (subject, body) => void (await js.publish(subject, body)) };
}

/** Messages delivered to some node and not acknowledged (nor given back) yet. */
export async function unacknowledged(nc: NatsConnection): Promise<number> {
  return (await (await jetstreamManager(nc)).consumers.info(STREAM, CONSUMER)).num_ack_pending;
}

/** Waits until the durable consumer has nothing left to deliver and nothing unacknowledged. */
export async function drained(nc: NatsConnection, timeoutMs: number): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const info = await jsm.consumers.info(STREAM, CONSUMER);
    last = `${info.num_pending} pending, ${info.num_ack_pending} unacknowledged`;
    if (info.num_pending === 0 && info.num_ack_pending === 0) return;
    await sleep(200);
  }
  throw new Error(`the stream was not drained in time: ${last}`);
}

/** IOC rules `bad<k>.example` (DOMAIN_NAME, matched in dns_query_name). */
export async function domainRules(node: WardenNode, site: WardenSite, count: number): Promise<void> {
  const items = Array.from({ length: count }, (_, k) => ({
    indicator: `bad${k}.example`,
    type: "DOMAIN_NAME",
    severity: "SEV_040_HIGH",
  }));
  await call(node, site, "/public_api/v1/indicators/insert", { request_data: items });
}

/**
 * One message of `lines` NDJSON events for message number `m`; every `hitEvery`-th line names
 * one of the rules' domains. Answers the body and the ids of its events that must raise an alert.
 */
export function eventMessage(
  m: number,
  lines: number,
  hitEvery: number,
  rules: number,
): { body: string; hits: string[] } {
  const hits: string[] = [];
  const out: string[] = [];
  for (let l = 0; l < lines; l++) {
    const id = `m${m}-l${l}`;
    const n = m * lines + l;
    const hit = n % hitEvery === 0;
    if (hit) hits.push(id);
    const domain = hit ? `bad${n % rules}.example` : `fine${n}.example`;
    out.push(JSON.stringify({ id, dns_query_name: domain, agent_hostname: `host${n % 50}` }));
  }
  return { body: out.join("\n"), hits };
}

/**
 * Publishes the event messages numbered `first` to `first + count - 1` one after another, in the
 * background, and answers at once the ids that must raise alerts. A test watching the node while
 * the messages still arrive catches it mid-run however fast the machine is; one that published
 * everything first could find the node already done on its first look.
 */
export function publishInBackground(
  publish: (subject: string, body: string) => Promise<void>,
  subject: string,
  messages: { first: number; count: number; lines: number; hitEvery: number; rules: number },
): { expected: string[]; published: Promise<void> } {
  const { first, count, lines, hitEvery, rules } = messages;
  const bodies = Array.from({ length: count }, (_, k) => eventMessage(first + k, lines, hitEvery, rules));
  const published = (async () => {
    for (const { body } of bodies) await publish(subject, body);
  })();
  return { expected: bodies.flatMap((b) => b.hits), published };
}
