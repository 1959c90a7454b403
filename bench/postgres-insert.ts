/**
 * The 40,000-IOC insert on PostgreSQL with one node, and with two nodes taking one 40,000-item
 * request each at the same time, against the same insert on SQLite in the same run. Every node is
 * a `warden serve` process. Uses WARDEN_TEST_POSTGRES_URL, or starts a throwaway PostgreSQL.
 *
 *   node --import tsx bench/postgres-insert.ts [--runs 3]
 */
import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { freePort, makeIocs, median, startServerProcess, warden } from "./lib.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const RUNS = Number(values.runs);
const ITEMS = 40_000;

async function node(env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = await startServerProcess(env, port);
  return { url: `http://127.0.0.1:${port}/public_api/v1/indicators/insert`, child };
}

function newKey(env: NodeJS.ProcessEnv, tenant: string): { id: number; secret: string } {
  warden(env, "tenant", "create", tenant);
  return JSON.parse(warden(env, "key", "create", "--tenant", tenant, "--json"));
}

async function insert(url: string, key: { id: number; secret: string }, seed: number): Promise<number> {
  const body = JSON.stringify({ request_data: makeIocs(ITEMS, seed) });
  const started = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { "x-xdr-auth-id": String(key.id), authorization: key.secret, "content-type": "application/json" },
    body,
  });
  await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  let pgDir: string | undefined;
  let base = process.env.WARDEN_TEST_POSTGRES_URL;
  if (!base)
    [base, pgDir] = execFileSync("bash", ["scripts/postgres-for-tests.sh"], { encoding: "utf8" }).trim().split(" ");
  const dbName = `warden_bench_${randomBytes(4).toString("hex")}`;
  const adminClient = new pg.Client({ connectionString: base });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE ${dbName}`);
  const target = new URL(base as string);
  target.pathname = `/${dbName}`;
  const dir = mkdtempSync(join(tmpdir(), "warden-pgbench-"));
  const common = { ...process.env, WARDEN_LOG_LEVEL: "warn", WARDEN_MASTER_KEY: randomBytes(32).toString("hex") };
  const sqliteEnv = { ...common, WARDEN_DATA_DIR: join(dir, "sqlite") };
  const pgEnv = (i: number) => ({
    ...common,
    WARDEN_DATA_DIR: join(dir, `pg${i}`),
    WARDEN_DATABASE: target.toString(),
  });
  const nodes = [await node(sqliteEnv), await node(pgEnv(1)), await node(pgEnv(2))];
  const [sqliteNode, pgA, pgB] = nodes as [(typeof nodes)[0], (typeof nodes)[0], (typeof nodes)[0]];
  const sqlite: number[] = [];
  const one: number[] = [];
  const two: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      sqlite.push(await insert(sqliteNode.url, newKey(sqliteEnv, `s${run}`), 10 + run));
      one.push(await insert(pgA.url, newKey(pgEnv(1), `one${run}`), 20 + run));
      const [a, b] = [newKey(pgEnv(1), `a${run}`), newKey(pgEnv(1), `b${run}`)];
      const started = performance.now();
      await Promise.all([insert(pgA.url, a, 30 + run), insert(pgB.url, b, 40 + run)]);
      two.push(performance.now() - started);
    }
  } finally {
    for (const n of nodes) n.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 500));
    await adminClient.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await adminClient.end();
    rmSync(dir, { recursive: true, force: true });
    if (pgDir) execFileSync("bash", ["scripts/postgres-for-tests.sh", "stop", pgDir]);
  }
  const rate = (items: number, ms: number) => Math.round(items / (ms / 1000));
  const sqliteRate = rate(ITEMS, median(sqlite));
  console.log(
    JSON.stringify(
      {
        runs: RUNS,
        items_per_request: ITEMS,
        sqlite_items_per_s: sqliteRate,
        postgres_one_node_items_per_s: rate(ITEMS, median(one)),
        postgres_one_node_ratio_to_sqlite: Number((rate(ITEMS, median(one)) / sqliteRate).toFixed(3)),
        postgres_two_nodes_items_per_s: rate(2 * ITEMS, median(two)),
        postgres_two_nodes_ratio_to_sqlite: Number((rate(2 * ITEMS, median(two)) / sqliteRate).toFixed(3)),
      },
      null,
      2,
    ),
  );
}

await main();
