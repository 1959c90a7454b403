/**
 * A mixed workload against `warden serve` (SQLite) from autocannon: single-IOC inserts, an
 * exact-value get, a filtered get (type, first 20, with the total count), a delete of a rule
 * inserted earlier, and a 10-event ingest that raises alerts, in rotation. The tenant starts
 * with 10,000 rules (a feed's mix of hashes, IPs, domains and file names); deletes remove what
 * the inserts added, oldest first, so the store keeps its size while every kind of write goes on.
 * A warm-up of the same workload runs first, so JIT code, SQLite's page cache and the heap are
 * in their working state before memory is measured. RSS is sampled every second: start and end
 * are single samples, and growth compares the mean of the first and last ten, so one GC's timing
 * does not read as growth.
 * Targets (issue #8): >= 2,000 requests/s, p99 <= 50 ms, memory growth under 10%.
 *
 * With `--database postgres://...` (an empty database) the server runs on PostgreSQL instead.
 *
 *   node --import tsx bench/mixed-load.ts [--seconds 60] [--warmup 10] [--connections 16] [--rules 10000]
 *     [--database URL]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { freePort, makeIocs, startServerProcess, warden } from "./lib.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    warmup: { type: "string", default: "10" },
    connections: { type: "string", default: "16" },
    rules: { type: "string", default: "10000" },
    database: { type: "string" },
  },
});

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** The five requests in rotation; inserted values queue up to be deleted 50 inserts later. */
function workload() {
  let n = 0;
  const inserted: string[] = [];
  const value = (i: number) => `mixed-${i}.exe`;
  return [
    {
      path: "/public_api/v1/indicators/insert",
      body: () => {
        inserted.push(value(++n));
        return { request_data: [{ indicator: value(n), type: "FILENAME", severity: "SEV_020_LOW" }] };
      },
    },
    {
      path: "/public_api/v1/indicators/get",
      body: () => ({ request_data: { filters: [{ field: "indicator", operator: "EQ", value: value(n) }] } }),
    },
    {
      path: "/public_api/v1/indicators/get",
      body: () => ({ request_data: { filters: [{ field: "type", operator: "EQ", value: "HASH" }], search_to: 20 } }),
    },
    {
      path: "/public_api/v1/indicators/delete",
      body: () => {
        const oldest = inserted.length > 50 ? inserted.shift() : "never-inserted.exe";
        return { request_data: { filters: [{ field: "indicator", operator: "EQ", value: oldest }] } };
      },
    },
    {
      path: "/logs/v1/event",
      body: () =>
        Array.from({ length: 10 }, (_, i) =>
          JSON.stringify({ event_type: "FILE", action_file_name: value(n - i) }),
        ).join("\n"),
    },
  ];
}

async function ruleCount(base: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${base}/public_api/v1/indicators/get`, {
    method: "POST",
    headers,
    body: JSON.stringify({ request_data: { search_to: 1 } }),
  });
  return ((await res.json()) as { objects_count: number }).objects_count;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "warden-mixed-"));
  // One key drives the whole load, so its rate limit is off; logging goes nowhere.
  const env = {
    ...process.env,
    WARDEN_DATA_DIR: dir,
    WARDEN_LOG_LEVEL: "warn",
    WARDEN_RATE_LIMIT_PER_KEY: "0",
    ...(values.database ? { WARDEN_DATABASE: values.database } : {}),
  };
  warden(env, "tenant", "create", "load");
  const key = JSON.parse(warden(env, "key", "create", "--tenant", "load", "--json")) as { id: number; secret: string };
  const port = await freePort();
  const server = await startServerProcess(env, port);
  const pid = server.pid as number;
  const base = `http://127.0.0.1:${port}`;
  const headers = { "x-xdr-auth-id": String(key.id), authorization: key.secret, "content-type": "application/json" };
  const load = workload().map((r) => ({
    method: "POST" as const,
    path: r.path,
    headers,
    setupRequest: (request: autocannon.Request) => {
      const body = r.body();
      return { ...request, body: typeof body === "string" ? body : JSON.stringify(body) };
    },
  }));
  const connections = Number(values.connections);
  try {
    const preload = await fetch(`${base}/public_api/v1/indicators/insert`, {
      method: "POST",
      headers,
      body: JSON.stringify({ request_data: makeIocs(Number(values.rules), 8) }),
    });
    if (!preload.ok) throw new Error(`preload failed: ${preload.status}`);
    await autocannon({ url: base, connections, duration: Number(values.warmup), requests: load });
    const rulesStart = await ruleCount(base, headers);
    const samples: number[] = [rssMiB(pid)];
    const sampler = setInterval(() => samples.push(rssMiB(pid)), 1000);
    const result = await autocannon({ url: base, connections, duration: Number(values.seconds), requests: load });
    clearInterval(sampler);
    samples.push(rssMiB(pid));
    const first = mean(samples.slice(0, 10));
    const last = mean(samples.slice(-10));
    console.log(
      JSON.stringify(
        {
          store: values.database ? "postgres" : "sqlite",
          seconds: Number(values.seconds),
          connections,
          rules_start: rulesStart,
          rules_end: await ruleCount(base, headers),
          requests: result.requests.total,
          non_2xx: result.non2xx,
          errors: result.errors,
          requests_per_s: Math.round(result.requests.average),
          latency_p50_ms: result.latency.p50,
          latency_p99_ms: result.latency.p99,
          latency_max_ms: result.latency.max,
          rss_start_mib: samples[0],
          rss_end_mib: samples[samples.length - 1],
          rss_peak_mib: Math.max(...samples),
          rss_first_10s_mean_mib: Math.round(first),
          rss_last_10s_mean_mib: Math.round(last),
          rss_growth: Number(((last - first) / first).toFixed(3)),
        },
        null,
        2,
      ),
    );
  } finally {
    server.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
