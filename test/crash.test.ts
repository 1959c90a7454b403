/**
 * Crash safety: a server process streaming 40,000-item inserts is killed with SIGKILL at random
 * moments, 20 times, and restarted. Every insert it answered 200 is whole afterwards, no
 * unanswered one is half there, and the store passes its integrity check. On SQLite, and on
 * PostgreSQL when the suite has one.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import pg from "pg";
import { seededRandom } from "../bench/lib.ts";
import { buildServices } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { TEST_ACTOR } from "./harness.ts";
import { freePort } from "./ports.ts";

const BIN = join(import.meta.dirname, "..", "bin", "warden.js");
const KILLS = 20;
// Nothing is deleted here, so each stored rule has exactly one creation entry, written with it.
const AUDITED_CREATIONS = "SELECT count(*) FROM audit_entries WHERE entity = 'IOC_RULES' AND action = 'Create'";
const ITEMS = 40_000;

// Generous: on a loaded CI machine a PostgreSQL-backed server has taken 18 s to come up.
const START_TIMEOUT_MS = 90_000;
// Each kill waits for at least one more answered insert this often, so the run always proves
// something about answered inserts however slow the machine is (the other kills stay random).
const KILL_AFTER_ANSWER_EVERY = 4;
const ANSWER_WAIT_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function start(env: NodeJS.ProcessEnv, port: number): Promise<{ child: ChildProcess; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", String(port)], { env, stdio: "ignore" });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/public_api/v1/healthcheck`)).ok) return { child, exited };
    } catch {
      // not up yet
    }
    await sleep(50);
  }
  child.kill("SIGKILL"); // never leave a half-started server behind
  await exited;
  throw new Error(`server did not start (exit code ${child.exitCode})`);
}

/** Resolves once `answered` has grown past `size`, or after `ms` (the assertion at the end reports it). */
async function answeredBeyond(answered: Set<number>, size: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (answered.size <= size && Date.now() < deadline) await sleep(20);
}

async function crashLoop(database: string, checkIntegrity: () => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "warden-crash-"));
  const env = {
    ...process.env,
    WARDEN_DATA_DIR: dir,
    WARDEN_DATABASE: database,
    WARDEN_LOG_LEVEL: "warn",
    WARDEN_MASTER_KEY: randomBytes(32).toString("hex"),
  };
  const services = await buildServices(loadConfig({ database, dataDir: dir }, env));
  const tenant = await services.tenants.create("crash", TEST_ACTOR);
  if (!tenant.ok) throw new Error(tenant.error);
  const key = await services.keys.create(tenant.value, "instance_admin", "standard", null, TEST_ACTOR);
  await services.store.close();
  const headers = { "x-xdr-auth-id": String(key.id), authorization: key.secret, "content-type": "application/json" };
  const random = seededRandom(99);
  const answered = new Set<number>();
  const sent: number[] = [];
  let batch = 0;
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      const port = await freePort();
      const server = await start(env, port);
      const url = `http://127.0.0.1:${port}/public_api/v1/indicators/insert`;
      let alive = true;
      const stream = (async () => {
        while (alive) {
          const n = batch++;
          sent.push(n);
          const items = Array.from({ length: ITEMS }, (_, i) => ({
            indicator: `b${n}-${i}.exe`,
            type: "FILENAME",
            severity: "SEV_010_INFO",
            comment: `batch ${n}`,
          }));
          try {
            const res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ request_data: items }) });
            if (
              res.status === 200 &&
              ((await res.json()) as { added_objects: unknown[] }).added_objects.length === ITEMS
            )
              answered.add(n);
          } catch {
            return; // the server died under us
          }
        }
      })();
      if (kill % KILL_AFTER_ANSWER_EVERY === 0) await answeredBeyond(answered, answered.size, ANSWER_WAIT_MS);
      // Then a random moment: often mid-insert (a 40,000-item insert takes ~1.2 s on PostgreSQL).
      await sleep(random() * 2000);
      server.child.kill("SIGKILL");
      alive = false;
      await stream;
      await server.exited;
    }
    await checkIntegrity();
    const port = await freePort();
    const server = await start(env, port);
    try {
      for (const n of sent) {
        const res = await fetch(`http://127.0.0.1:${port}/public_api/v1/indicators/get`, {
          method: "POST",
          headers,
          body: JSON.stringify({
            request_data: { filters: [{ field: "comment", operator: "EQ", value: `batch ${n}` }], search_to: 1 },
          }),
        });
        const count = ((await res.json()) as { objects_count: number }).objects_count;
        if (answered.has(n)) assert.equal(count, ITEMS, `batch ${n} was answered 200 but is not whole`);
        else assert.ok(count === 0 || count === ITEMS, `batch ${n} is half there: ${count} of ${ITEMS}`);
      }
      assert.ok(answered.size > 0, "some inserts were answered between the kills");
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("crash safety", () => {
  it(`loses no answered insert across ${KILLS} SIGKILLs on SQLite`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-crash-db-"));
    const file = join(dir, "warden.db");
    await crashLoop(file, async () => {
      const db = new Database(file);
      assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
      const count = (sql: string) => db.prepare(sql).pluck().get() as number;
      assert.equal(count(AUDITED_CREATIONS), count("SELECT count(*) FROM ioc_rules"), "one audit entry per rule");
      db.close();
    });
    rmSync(dir, { recursive: true, force: true });
  });

  const base = process.env.WARDEN_TEST_POSTGRES_URL;
  it(`loses no answered insert across ${KILLS} SIGKILLs on PostgreSQL`, {
    skip: base ? false : "needs WARDEN_TEST_POSTGRES_URL (npm test starts one where PostgreSQL 15 is installed)",
  }, async () => {
    const name = `warden_crash_${randomBytes(6).toString("hex")}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      const result = await client.query(sql);
      await client.end();
      return result;
    };
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(base as string);
    url.pathname = `/${name}`;
    try {
      await crashLoop(url.toString(), async () => {
        // PostgreSQL's own check: the value index agrees with the table.
        const client = new pg.Client({ connectionString: url.toString() });
        await client.connect();
        const dupes = await client.query(
          "SELECT count(*)::int AS n FROM (SELECT tenant_id, canonical FROM ioc_rules GROUP BY 1, 2 HAVING count(*) > 1) d",
        );
        const audited = await client.query(`SELECT (${AUDITED_CREATIONS})::int AS n`);
        const rules = await client.query("SELECT count(*)::int AS n FROM ioc_rules");
        await client.end();
        assert.equal(dupes.rows[0].n, 0);
        assert.equal(audited.rows[0].n, rules.rows[0].n, "one audit entry per rule");
      });
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});
