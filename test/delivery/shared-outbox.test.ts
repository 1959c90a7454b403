/**
 * Two nodes on one PostgreSQL share the outbox: their dispatchers claim at the same moments, and
 * the receiver (which always answers 200, so nothing is ever retried) still gets every alert once.
 * A claim without FOR UPDATE SKIP LOCKED lets both nodes take the same rows, and this fails.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { buildApp, type Services } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { authHeaders, START_TIME, TEST_ACTOR } from "../harness.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./receivers.ts";

const baseUrl = process.env.WARDEN_TEST_POSTGRES_URL;
const ALERTS = 300;

describe("two nodes sharing one outbox on PostgreSQL", {
  skip: baseUrl ? false : "needs WARDEN_TEST_POSTGRES_URL",
}, () => {
  const dir = mkdtempSync(join(tmpdir(), "warden-outbox-"));
  const dbName = `warden_outbox_${randomBytes(6).toString("hex")}`;
  const nodes: Awaited<ReturnType<typeof buildApp>>[] = [];
  const clock = new ManualClock(START_TIME);
  let receiver: WebhookReceiver;

  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  };

  before(async () => {
    await admin(`CREATE DATABASE ${dbName}`);
    const url = new URL(baseUrl as string);
    url.pathname = `/${dbName}`;
    const env = {
      WARDEN_MASTER_KEY: randomBytes(32).toString("hex"),
      WARDEN_DELIVERY_HOSTS: "127.0.0.1",
      WARDEN_DELIVERY_BATCH: "7",
      WARDEN_MATCH_WORKERS: "0",
      WARDEN_RATE_LIMIT_PER_KEY: "0",
    };
    for (let i = 0; i < 2; i++)
      nodes.push(await buildApp(loadConfig({ database: url.toString(), dataDir: dir }, env), { clock, logger: false }));
    receiver = await startWebhookReceiver(() => 200);
  });
  after(async () => {
    for (const node of nodes) await node.app.close();
    await receiver?.close();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  it("delivers each of 300 alerts exactly once while both nodes claim at once", async () => {
    const [a, b] = nodes.map((n) => n.services) as [Services, Services];
    const tenant = await a.tenants.create("shared", TEST_ACTOR);
    assert.ok(tenant.ok);
    const key = await a.keys.create(tenant.value, "instance_admin", "standard", null, TEST_ACTOR);
    const headers = authHeaders({ ...key, security: "standard", tenant: "shared" }, clock.now());
    assert.ok(
      (
        await a.delivery.add(tenant.value, {
          name: "siem",
          url: receiver.url,
          minSeverity: "SEV_010_INFO",
          ruleKinds: ["IOC"],
          enabled: true,
        })
      ).ok,
    );
    const insert = { request_data: [{ indicator: "evil.com", type: "DOMAIN_NAME", severity: "SEV_040_HIGH" }] };
    await nodes[0]?.app.inject({ method: "POST", url: "/public_api/v1/indicators/insert", headers, payload: insert });
    // half the events on each node
    for (const [i, node] of nodes.entries()) {
      const body = Array.from({ length: ALERTS / 2 }, (_, j) =>
        JSON.stringify({ dns_query_name: "evil.com", n: i * 1000 + j }),
      );
      const res = await node.app.inject({ method: "POST", url: "/logs/v1/event", headers, payload: body.join("\n") });
      assert.equal(res.json().alerts ?? ALERTS / 2, ALERTS / 2, res.body);
    }

    let attempted = 0;
    for (let rounds = 0; rounds < 200; rounds++) {
      const [x, y] = await Promise.all([a.dispatcher.runRound(), b.dispatcher.runRound()]);
      attempted += x + y;
      if (x + y === 0) break;
    }
    const keys = receiver.requests.map((r) => r.key);
    assert.equal(attempted, ALERTS, "no row was attempted by both nodes");
    assert.equal(keys.length, ALERTS);
    assert.equal(new Set(keys).size, ALERTS, "no alert twice");
  });
});
