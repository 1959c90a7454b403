/**
 * Health-check latency while one 100,000-item `indicators/insert` is written (issue 18, item 8):
 * `warden serve` runs as its own process on a fresh SQLite store; this process sends the insert
 * and, meanwhile, one health check after another. Target: every health check under 200 ms.
 *
 *   node --import tsx bench/bulk-health.ts [--items 100000] [--runs 2]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePort, makeIocs, median, startServerProcess, warden } from "./lib.ts";

const { values } = parseArgs({
  options: { items: { type: "string", default: "100000" }, runs: { type: "string", default: "2" } },
});
const ITEMS = Number(values.items);

async function healthLatencies(url: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  until.finally(() => {
    done = true;
  });
  const latencies: number[] = [];
  while (!done) {
    const started = performance.now();
    await (await fetch(url)).text();
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return latencies;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "warden-bulk-health-"));
  const env = { ...process.env, WARDEN_DATA_DIR: dir, WARDEN_LOG_LEVEL: "warn" };
  const port = await freePort();
  const server = await startServerProcess(env, port);
  const base = `http://127.0.0.1:${port}/public_api/v1`;
  const all: number[] = [];
  const inserts: number[] = [];
  try {
    for (let run = 0; run < Number(values.runs); run++) {
      warden(env, "tenant", "create", `bulk${run}`);
      const key = JSON.parse(warden(env, "key", "create", "--tenant", `bulk${run}`, "--json"));
      const body = JSON.stringify({ request_data: makeIocs(ITEMS, 500 + run) });
      const started = performance.now();
      const insert = fetch(`${base}/indicators/insert`, {
        method: "POST",
        headers: { "x-xdr-auth-id": String(key.id), authorization: key.secret, "content-type": "application/json" },
        body,
      }).then(async (res) => {
        const answer = (await res.json()) as { added_objects?: unknown[] };
        if (res.status !== 200 || answer.added_objects?.length !== ITEMS) throw new Error(`insert: HTTP ${res.status}`);
        inserts.push(performance.now() - started);
      });
      all.push(...(await healthLatencies(`${base}/healthcheck`, insert)));
      await insert;
    }
  } finally {
    server.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = [...all].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
  console.log(
    JSON.stringify(
      {
        items: ITEMS,
        runs: Number(values.runs),
        insert_ms_median: Math.round(median(inserts)),
        health_checks: sorted.length,
        health_median_ms: at(0.5),
        health_p99_ms: at(0.99),
        health_max_ms: Math.round(sorted[sorted.length - 1] ?? 0),
        over_200_ms: sorted.filter((ms) => ms > 200).length,
      },
      null,
      2,
    ),
  );
}

await main();
