/**
 * Two Warden nodes as real processes on one PostgreSQL, each with its correlation timer running:
 * events ingested on both nodes add to one aggregate (the count is the cluster's), and a tick
 * runs once however many nodes and operators try it at once.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { type ClusterNode, type PgCluster, startPgCluster } from "../pg-cluster.ts";
import { FAILED_LOGONS } from "./live-example.ts";

const run = promisify(execFile);
const baseUrl = process.env.WARDEN_TEST_POSTGRES_URL;
const BIN = join(import.meta.dirname, "..", "..", "bin", "warden.js");
const TEN_MINUTES = 600_000;

describe("correlation rules on two nodes sharing PostgreSQL", {
  skip: baseUrl ? false : "needs WARDEN_TEST_POSTGRES_URL",
}, () => {
  let cluster: PgCluster;
  let nodes: ClusterNode[];
  let key: { id: number; secret: string };

  const call = (node: number, path: string, body: string) =>
    fetch(`${nodes[node]?.url}${path}`, {
      method: "POST",
      headers: { "x-xdr-auth-id": String(key.id), authorization: key.secret, "content-type": "application/json" },
      body,
    });

  before(async () => {
    cluster = await startPgCluster(baseUrl as string, 2, {
      WARDEN_MATCH_WORKERS: "1",
      // both nodes look for due ticks five times a second, racing each other and the CLI
      WARDEN_CORRELATION_TICK_MS: "200",
    });
    nodes = cluster.nodes;
    cluster.cli("tenant", "create", "shared");
    key = JSON.parse(cluster.cli("key", "create", "--tenant", "shared", "--json"));
  });

  after(async () => cluster.stop());

  it("counts the cluster's events and raises one alert for one tick", async () => {
    const inserted = await call(
      0,
      "/public_api/v1/correlations/insert",
      JSON.stringify({ request_data: [FAILED_LOGONS] }),
    );
    assert.equal(inserted.status, 200);
    const now = Date.now();
    // 12 failures on each node: neither node alone is over 20, the cluster is (24)
    const events = (user: string) =>
      Array.from({ length: 12 }, (_, i) =>
        JSON.stringify({ event_type: "LOGIN", action_login_status: 1, actor_effective_username: user, _time: now + i }),
      ).join("\n");
    for (const node of [0, 1]) {
      const res = await call(node, "/logs/v1/event", events("alice"));
      assert.equal(res.status, 200, await res.text());
    }
    await call(1, "/logs/v1/event", events("bob")); // 12 in all: below
    // the tick whose window holds these events: both nodes' timers reach it only if the test
    // runs across it; two operators run it at once as well
    const tick = new Date(Math.floor(now / TEN_MINUTES) * TEN_MINUTES + TEN_MINUTES).toISOString();
    const cliEnv = { env: { ...cluster.cliEnv, WARDEN_MATCH_WORKERS: "0" } };
    const runs = await Promise.all(
      [0, 1].map(() =>
        run(process.execPath, [BIN, "correlations", "run", "--tenant", "shared", "--at", tick, "--json"], cliEnv),
      ),
    );
    const reported = runs.flatMap(({ stdout }) => stdout.split("\n").filter((l) => l.trim() !== ""));
    assert.ok(reported.length <= 1, `one run of the tick at most: ${reported.join(" | ")}`);
    const res = await call(
      1,
      "/public_api/v1/alerts/get_alerts",
      JSON.stringify({ request_data: { filters: [{ field: "source", operator: "EQ", value: "CORRELATION" }] } }),
    );
    const alerts = ((await res.json()) as { reply: { alerts: { event: Record<string, unknown> }[] } }).reply.alerts;
    assert.deepEqual(
      alerts.map((a) => a.event),
      [{ actor_effective_username: "alice", failures: 24 }],
    );
  });
});
