/**
 * Two Warden nodes on one PostgreSQL count the per-key rate and failed authentications together:
 * what one node spent, the other sees. (On SQLite each process counts its own: limits.test.ts.)
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildApp, type Services } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { ManualClock } from "../src/lib/clock.ts";
import { authHeaders, START_TIME, TEST_ACTOR, type TestKey, testDatabase } from "./harness.ts";

const GET = "/public_api/v1/indicators/get";
const postgres = process.env.WARDEN_TEST_POSTGRES_URL;

interface Node {
  app: FastifyInstance;
  services: Services;
  clock: ManualClock;
}

describe("limits shared by two nodes on one PostgreSQL", {
  skip: !postgres && "WARDEN_TEST_POSTGRES_URL is not set",
}, () => {
  const dir = mkdtempSync(join(tmpdir(), "warden-limits-"));
  let drop: () => Promise<void>;
  let nodes: Node[] = [];
  let tenant = 0;

  const request = (node: Node, key: TestKey, address = "203.0.113.5") =>
    node.app.inject({
      method: "POST",
      url: GET,
      remoteAddress: address,
      headers: { "content-type": "application/json", ...authHeaders(key, node.clock.now()) },
      payload: JSON.stringify({ request_data: {} }),
    });
  const newKey = async (): Promise<TestKey> => {
    const { services } = nodes[0] as Node;
    const created = await services.tenants.create(`shared-${++tenant}`, TEST_ACTOR);
    if (!created.ok) throw new Error(created.error);
    const key = await services.keys.create(created.value, "instance_admin", "standard", null, TEST_ACTOR);
    return { id: key.id, secret: key.secret, security: "standard", tenant: created.value.name };
  };

  before(async () => {
    // testDatabase makes a PostgreSQL database only when asked; node runs each test file in its own process
    process.env.WARDEN_TEST_STORE = "postgres";
    const db = await testDatabase(dir);
    drop = db.drop;
    const env = {
      WARDEN_MASTER_KEY: randomBytes(32).toString("hex"),
      WARDEN_RATE_LIMIT_PER_KEY: "2",
      WARDEN_AUTH_FAILURES_PER_MINUTE: "3",
    };
    for (let i = 0; i < 2; i++) {
      const clock = new ManualClock(START_TIME);
      const { app, services } = await buildApp(loadConfig({ database: db.database, dataDir: dir }, env), {
        clock,
        logger: false,
      });
      nodes.push({ app, services, clock });
    }
  });
  after(async () => {
    for (const node of nodes) await node.app.close();
    nodes = [];
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });
  const advance = (ms: number) => {
    for (const node of nodes) node.clock.advance(ms);
  };

  it("spends one key's burst across both nodes, and refills it for both", async () => {
    const [a, b] = nodes as [Node, Node];
    const key = await newKey();
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(i % 2 === 0 ? a : b, key)).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 200, 429], "a burst of twice the rate in all, not per node");
    const refused = await request(b, key);
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.headers["retry-after"], "1");
    advance(1000);
    assert.deepEqual([(await request(b, key)).statusCode, (await request(a, key)).statusCode], [200, 200]);
    assert.equal((await request(a, key)).statusCode, 429, "two tokens a second, whichever node takes them");
  });

  it("locks an address that failed on one node out of the other, but never a correct secret", async () => {
    const [a, b] = nodes as [Node, Node];
    const key = await newKey();
    const other = await newKey();
    const address = "198.51.100.23";
    for (let i = 0; i < 3; i++) assert.equal((await request(a, { ...key, secret: "guess" }, address)).statusCode, 401);
    const locked = await request(b, { ...other, secret: "guess" }, address);
    assert.equal(locked.statusCode, 429, "the fourth failure, on the other node, for another key");
    assert.ok(Number(locked.headers["retry-after"]) > 0);
    assert.equal((await request(b, key, address)).statusCode, 200, "the right secret still passes");
    assert.equal((await request(a, other, address)).statusCode, 200);
    advance(60_000);
    assert.equal((await request(b, { ...key, secret: "guess" }, address)).statusCode, 401, "a new minute");
  });

  it("counts failures per key id across nodes, from any address", async () => {
    const [a, b] = nodes as [Node, Node];
    const key = await newKey();
    for (let i = 0; i < 3; i++)
      assert.equal((await request(i % 2 ? a : b, { ...key, secret: "guess" }, `192.0.2.${i + 1}`)).statusCode, 401);
    assert.equal((await request(a, { ...key, secret: "guess" }, "192.0.2.77")).statusCode, 429);
    assert.equal((await request(b, key, "192.0.2.77")).statusCode, 200);
  });
});
