/**
 * The consumer's counters (what /metrics reports), read in process from a node consuming a real
 * nats-server: messages, events, alerts, malformed lines, unknown-tenant messages, and the lag
 * read from the consumer's info; and no node ever holds more messages than --nats-inflight.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig, type NatsConfig } from "../../src/config.ts";
import { StreamConsumer } from "../../src/ingest/stream/stream-consumer.ts";
import { startTestApp, type TestApp } from "../harness.ts";
import { drained, eventMessage, type NatsServer, publisher, startNats, unacknowledged } from "./stream-harness.ts";

const INFLIGHT = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("stream consumer counters", () => {
  let nats: NatsServer;
  let t: TestApp;
  let stream: StreamConsumer;
  let natsEnv: Record<string, string>;

  before(async () => {
    nats = await startNats();
    natsEnv = { WARDEN_NATS_URL: nats.url, WARDEN_NATS_INFLIGHT: String(INFLIGHT) };
    t = await startTestApp(natsEnv);
    const key = await t.key("acme");
    const rules = [0, 1].map((k) => ({ indicator: `bad${k}.example`, type: "DOMAIN_NAME", severity: "SEV_040_HIGH" }));
    assert.equal((await t.post("/public_api/v1/indicators/insert", { request_data: rules }, key)).statusCode, 200);
    stream = t.services.stream as StreamConsumer;
    assert.ok(stream, "WARDEN_NATS_URL gives the services a stream consumer");
    stream.start(t.app.log);
  });
  after(async () => {
    await stream?.stop();
    await t?.close();
    await nats?.stop();
  });

  it("counts messages, events, alerts, malformed lines and unknown tenants", async () => {
    const { nc, publish } = await publisher(nats.url);
    const hit = (id: string) => JSON.stringify({ id, dns_query_name: "bad0.example" });
    await publish("warden.events.acme", `${hit("a")}\n${JSON.stringify({ id: "b", dns_query_name: "ok.example" })}`);
    await publish("warden.events.nobody", hit("c"));
    await publish("warden.events.acme", `not json\n${hit("d")}`);
    await drained(nc, 60_000);
    const c = stream.counters;
    assert.deepEqual(
      {
        messages: c.messages,
        events: c.events,
        alerts: c.alerts,
        malformedLines: c.malformedLines,
        unknownTenantMessages: c.unknownTenantMessages,
        errors: c.errors,
        redeliveries: c.redeliveries,
      },
      { messages: 3, events: 3, alerts: 2, malformedLines: 1, unknownTenantMessages: 1, errors: 0, redeliveries: 0 },
    );
    const scraped = (await t.app.inject({ method: "GET", url: "/metrics" })).body;
    assert.match(scraped, /^warden_stream_messages_total 3$/m);
    assert.match(scraped, /^warden_stream_alerts_total 2$/m);
    assert.match(scraped, /^warden_stream_unknown_tenant_messages_total 1$/m);
    await nc.close();
  });

  it("holds at most --nats-inflight messages, and reports the backlog it starts on as lag", async () => {
    await stream.stop();
    const { nc, publish } = await publisher(nats.url);
    for (let m = 0; m < 40; m++) await publish("warden.events.acme", eventMessage(m, 500, 50, 2).body);
    // a node started on a backlog of 40 messages
    const { matching, store, clock } = t.services;
    const config = loadConfig({}, natsEnv).nats as NatsConfig;
    stream = new StreamConsumer({ config, matching, store, clock });
    stream.start(t.app.log);
    let most = 0;
    let lagSeen = 0;
    while (stream.counters.messages < 40 || (await unacknowledged(nc)) > 0) {
      most = Math.max(most, await unacknowledged(nc));
      lagSeen = Math.max(lagSeen, stream.counters.pending + stream.counters.ackPending);
      await sleep(10);
    }
    assert.ok(most >= 1 && most <= INFLIGHT, `at most ${INFLIGHT} unacknowledged at once, saw ${most}`);
    assert.ok(lagSeen > 0, "the backlog was reported as lag");
    await drained(nc, 60_000);
    for (let i = 0; i < 100 && stream.counters.pending + stream.counters.ackPending > 0; i++) await sleep(100);
    assert.equal(stream.counters.pending + stream.counters.ackPending, 0, "and none once drained");
    assert.equal(stream.counters.events, 40 * 500);
    await nc.close();
  });
});
