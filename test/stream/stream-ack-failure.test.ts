/**
 * A stream message whose handling fails, on a real nats-server and a real store. The consumer runs
 * in process so the failure can be timed around the commit: the store is wrapped to fail once
 * before its write, or to freeze nats-server (SIGSTOP) right after it, so that the ack waits
 * unconfirmed until the client gives up. Before the commit a failure gives the message back and it
 * is retried; after it, an unconfirmed ack asks for no retry (the client would drop the nak), is
 * said so in the log and counted, the alerts stay stored once whether the server took the late
 * ack or redelivers the message, and the message's slot is freed exactly once.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig, type NatsConfig } from "../../src/config.ts";
import { StreamConsumer } from "../../src/ingest/stream/stream-consumer.ts";
import type { Store } from "../../src/storage/ports.ts";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";
import { drained, eventMessage, type NatsServer, publisher, startNats, unacknowledged } from "./stream-harness.ts";

const INFLIGHT = 1;
const RULES = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the next write does besides writing: fail instead, or freeze nats-server once it is committed. */
type Fault = "fail before commit" | "pause nats after commit" | undefined;

interface Entry {
  level: "info" | "warn" | "error";
  msg: string;
}

/** The consumer's log (the Fastify logger's info, warn and error), kept to read. */
function recordingLog(entries: Entry[]) {
  const at =
    (level: Entry["level"]) =>
    (...args: unknown[]) =>
      void entries.push({ level, msg: String(args.find((a) => typeof a === "string") ?? "") });
  return { info: at("info"), warn: at("warn"), error: at("error") };
}

// bounded: a hang (a server that never thaws) fails this suite instead of stalling the whole run
describe("stream message failures", { timeout: 180_000 }, () => {
  let nats: NatsServer;
  let t: TestApp;
  let stream: StreamConsumer;
  let fault: Fault;
  const entries: Entry[] = [];

  /** The real store, except that the next write meets `fault`. */
  function faultyStore(store: Store): Store {
    return {
      ...store,
      recordStreamAlerts: async (tenantId, alerts, fold) => {
        const now = fault;
        fault = undefined;
        if (now === "fail before commit") throw new Error("the store went away (test)");
        const added = await store.recordStreamAlerts(tenantId, alerts, fold);
        if (now === "pause nats after commit") await nats.pause();
        return added;
      },
    };
  }

  before(async () => {
    nats = await startNats();
    // an ack wait shorter than the client's 5 s wait for an ack's confirmation: the server may
    // redeliver the message whose ack it has not read yet, which must then store nothing again
    const env = { WARDEN_NATS_URL: nats.url, WARDEN_NATS_INFLIGHT: String(INFLIGHT), WARDEN_NATS_ACK_WAIT_MS: "2000" };
    t = await startTestApp(env);
    const { matching, store, clock } = t.services;
    const config = loadConfig({}, env).nats as NatsConfig;
    stream = new StreamConsumer({ config, matching, store: faultyStore(store), clock });
    stream.start(recordingLog(entries));
  });
  after(async () => {
    nats?.resume();
    await stream?.stop();
    await t?.close();
    await nats?.stop();
  });

  async function tenantWithRules(name: string): Promise<TestKey> {
    const key = await t.key(name);
    const rules = Array.from({ length: RULES }, (_, k) => ({
      indicator: `bad${k}.example`,
      type: "DOMAIN_NAME",
      severity: "SEV_040_HIGH",
    }));
    assert.equal((await t.post("/public_api/v1/indicators/insert", { request_data: rules }, key)).statusCode, 200);
    return key;
  }

  async function alertEventIds(key: TestKey): Promise<string[]> {
    const page = { search_from: 0, search_to: 10_000 };
    const res = await t.post("/public_api/v1/alerts/get_alerts", { request_data: page }, key);
    return res.json().reply.alerts.map((a: { event: { id: string } }) => a.event.id);
  }

  const logged = (from: number, text: string) => entries.slice(from).filter((e) => e.msg.includes(text));

  async function untilLogged(from: number, text: string, timeoutMs: number): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; logged(from, text).length === 0; await sleep(20))
      if (Date.now() > deadline) throw new Error(`never logged "${text}":\n${JSON.stringify(entries.slice(from))}`);
  }

  it("gives a message back when the store fails before the commit, and stores it once on the retry", async () => {
    const key = await tenantWithRules("before-commit");
    const { nc, publish } = await publisher(nats.url);
    const [from, errors, redeliveries] = [entries.length, stream.counters.errors, stream.counters.redeliveries];
    const { body, hits } = eventMessage(0, 50, 7, RULES);
    fault = "fail before commit";
    await publish("warden.events.before-commit", body);
    await drained(nc, 30_000);
    assert.equal(logged(from, "failed; retrying").length, 1, JSON.stringify(entries.slice(from)));
    assert.equal(stream.counters.errors - errors, 1);
    assert.equal(stream.counters.redeliveries - redeliveries, 1, "given back, and delivered again");
    assert.deepEqual((await alertEventIds(key)).sort(), hits.sort());
    await nc.close();
  });

  it("asks no retry for an ack the server did not confirm, keeps the alerts once, and frees the slot once", async () => {
    const key = await tenantWithRules("after-commit");
    const before = await publisher(nats.url);
    const [from, errors, taken] = [entries.length, stream.counters.errors, stream.counters.messages];
    const first = eventMessage(0, 50, 7, RULES);
    fault = "pause nats after commit";
    await before.publish("warden.events.after-commit", first.body);
    await untilLogged(from, "ack not confirmed", 20_000);
    // Killed while frozen, the server never reads the ack; started again from its store, it
    // redelivers the message, whose alerts are already stored.
    await nats.crash();
    assert.deepEqual(logged(from, "retrying"), [], "no retry claimed: a nak after an ack is dropped by the client");
    assert.equal(stream.counters.errors - errors, 1, "counted in warden_stream_errors_total");

    const { nc, publish } = await publisher(nats.url);
    await drained(nc, 30_000);
    // (as a first delivery when the killed server had not yet written down that it had delivered it)
    assert.ok(stream.counters.messages - taken >= 2, "the stored message was delivered again");
    assert.deepEqual((await alertEventIds(key)).sort(), [...first.hits].sort(), "and stored nothing again");

    // The node goes on, one message at a time: a slot never freed would stall it, one freed twice
    // would let it hold two.
    const expected = [...first.hits];
    for (let m = 1; m <= 10; m++) {
      const { body, hits } = eventMessage(m, 500, 7, RULES);
      expected.push(...hits);
      await publish("warden.events.after-commit", body);
    }
    let most = 0;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(10)) {
      const held = await unacknowledged(nc);
      most = Math.max(most, held);
      if (held === 0 && (await alertEventIds(key)).length >= expected.length) break;
    }
    await drained(nc, 30_000);
    assert.ok(most <= INFLIGHT, `at most ${INFLIGHT} unacknowledged at once, saw ${most}`);
    const ids = await alertEventIds(key);
    assert.equal(ids.length, expected.length, "each alert once");
    assert.deepEqual(new Set(ids), new Set(expected));
    await Promise.all([nc.close(), before.nc.close()]);
  });
});
