/**
 * Several Warden nodes as real processes on one PostgreSQL: concurrent upserts of the same values
 * make one rule each, a nonce used on one node is refused on the other, a rule written through one
 * node is matched by the other at once, and a node survives its database restarting.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { advancedAuthorization } from "../src/domain/keys/key-secrets.ts";
import { type ClusterNode, type PgCluster, startPgCluster } from "./pg-cluster.ts";

const baseUrl = process.env.WARDEN_TEST_POSTGRES_URL;
const pgDir = process.env.WARDEN_TEST_POSTGRES_DIR;

function pgCtl(...args: string[]): void {
  execFileSync(
    "runuser",
    ["-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D", join(pgDir as string, "data"), ...args],
    { stdio: "ignore" },
  );
}

describe("several nodes on one PostgreSQL", {
  skip: baseUrl ? false : "needs WARDEN_TEST_POSTGRES_URL (npm test starts one where PostgreSQL 15 is installed)",
}, () => {
  let cluster: PgCluster;
  let nodes: ClusterNode[];
  let key: { id: number; secret: string };

  const call = (node: number, path: string, body: unknown, headers?: Record<string, string>) =>
    fetch(`${nodes[node]?.url}${path}`, {
      method: "POST",
      headers: headers ?? {
        "x-xdr-auth-id": String(key.id),
        authorization: key.secret,
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
    });

  before(async () => {
    // both nodes start together: migrations must run once, under the advisory lock
    cluster = await startPgCluster(baseUrl as string, 2);
    nodes = cluster.nodes;
    cluster.cli("tenant", "create", "shared");
    key = JSON.parse(cluster.cli("key", "create", "--tenant", "shared", "--security", "advanced", "--json"));
  });

  after(async () => cluster.stop());

  const signed = (nonce = randomBytes(16).toString("hex")) => {
    const timestamp = String(Date.now());
    return {
      "x-xdr-auth-id": String(key.id),
      "x-xdr-nonce": nonce,
      "x-xdr-timestamp": timestamp,
      authorization: advancedAuthorization(key.secret, nonce, timestamp),
      "content-type": "application/json",
    };
  };

  it("makes one rule per value when both nodes insert the same values at once", async () => {
    const items = Array.from({ length: 200 }, (_, i) => ({
      indicator: `same-${i}.exe`,
      type: "FILENAME",
      severity: "SEV_020_LOW",
    }));
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(i % 2, "/public_api/v1/indicators/insert", { request_data: items }, signed()),
      ),
    );
    for (const res of responses) assert.equal(res.status, 200);
    const got = (await (
      await call(0, "/public_api/v1/indicators/get", { request_data: { search_to: 1000 } }, signed())
    ).json()) as {
      objects_count: number;
      objects: { rule_id: number }[];
    };
    assert.equal(got.objects_count, 200);
    assert.deepEqual(
      got.objects.map((o) => o.rule_id),
      Array.from({ length: 200 }, (_, i) => i + 1),
      "ids are dense and never collide",
    );
  });

  it("refuses on one node a nonce already used on the other", async () => {
    const headers = signed();
    assert.equal((await call(0, "/public_api/v1/indicators/get", { request_data: {} }, headers)).status, 200);
    assert.equal((await call(1, "/public_api/v1/indicators/get", { request_data: {} }, headers)).status, 401);
  });

  it("matches on one node a rule written through the other, at once", async () => {
    const event = { event_type: "NETWORK", dns_query_name: "x.propagated.example" };
    const evaluate = async (node: number) =>
      (
        (await (
          await call(node, "/public_api/v1/rules/evaluate", { request_data: { events: [event] } }, signed())
        ).json()) as { reply: { hits: unknown[] } }
      ).reply.hits.length;
    assert.equal(await evaluate(1), 0);
    await call(
      0,
      "/public_api/v1/indicators/insert",
      { request_data: [{ indicator: "propagated.example", type: "DOMAIN_NAME", severity: "SEV_040_HIGH" }] },
      signed(),
    );
    assert.equal(await evaluate(1), 1);
  });

  it("leaves nothing half-written when a node is killed in the middle of an insert", async () => {
    const victim = await cluster.startNode("victim");
    const total = async () =>
      (
        (await (await call(0, "/public_api/v1/indicators/get", { request_data: {} }, signed())).json()) as {
          objects_count: number;
        }
      ).objects_count;
    const before = await total();
    const items = Array.from({ length: 40_000 }, (_, i) => ({
      indicator: `killed-${i}.exe`,
      type: "FILENAME",
      severity: "SEV_010_INFO",
    }));
    const pending = fetch(`${victim.url}/public_api/v1/indicators/insert`, {
      method: "POST",
      headers: signed(),
      body: JSON.stringify({ request_data: items }),
    }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 150));
    victim.process.kill("SIGKILL");
    const answered = await pending;
    const added = (await total()) - before;
    if (answered?.status === 200) assert.equal(added, 40_000, "an answered insert is whole");
    else assert.ok(added === 0 || added === 40_000, `half-written: ${added} of 40000 rules`);
  });

  it("answers 503 while the database is down and recovers by itself", {
    skip: pgDir ? false : "needs WARDEN_TEST_POSTGRES_DIR to stop the server",
  }, async () => {
    pgCtl("-m", "fast", "-w", "stop");
    try {
      const res = await call(0, "/public_api/v1/indicators/get", { request_data: {} }, signed());
      assert.equal(res.status, 503);
      assert.equal(res.headers.get("retry-after"), "5");
      assert.equal(((await res.json()) as { err_code: number }).err_code, 503);
    } finally {
      pgCtl("-w", "restart");
    }
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await call(0, "/public_api/v1/indicators/get", { request_data: {} }, signed())).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(status, 200, "the node reconnected without a restart");
    assert.equal(nodes[0]?.process.exitCode, null, "the node never crashed");
  });
});
