/**
 * A mixed workload against `warden serve` (SQLite) for 60 s from autocannon: single-IOC inserts,
 * filtered gets, deletes by value, and 10-event ingests, in rotation. Reports requests/s, p50/p99
 * latency, and the server's resident memory at start and end.
 * Targets (issue #8): >= 2,000 requests/s, p99 <= 50 ms, memory growth under 10%.
 *
 *   node --import tsx bench/mixed-load.ts [--seconds 60] [--connections 16]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { freePort, startServerProcess, warden } from "./lib.ts";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "60" }, connections: { type: "string", default: "16" } },
});

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "warden-mixed-"));
  // One key drives the whole load, so its rate limit is off; logging goes nowhere.
  const env = { ...process.env, WARDEN_DATA_DIR: dir, WARDEN_LOG_LEVEL: "warn", WARDEN_RATE_LIMIT_PER_KEY: "0" };
  warden(env, "tenant", "create", "load");
  const key = JSON.parse(warden(env, "key", "create", "--tenant", "load", "--json")) as { id: number; secret: string };
  const port = await freePort();
  const server = await startServerProcess(env, port);
  const headers = { "x-xdr-auth-id": String(key.id), authorization: key.secret, "content-type": "application/json" };
  let n = 0;
  const value = (i: number) => `mixed-${i}.exe`;
  const requests = [
    {
      path: "/public_api/v1/indicators/insert",
      body: () => ({ request_data: [{ indicator: value(++n), type: "FILENAME", severity: "SEV_020_LOW" }] }),
    },
    {
      path: "/public_api/v1/indicators/get",
      body: () => ({ request_data: { filters: [{ field: "indicator", operator: "EQ", value: value(n) }] } }),
    },
    {
      path: "/public_api/v1/indicators/get",
      body: () => ({
        request_data: { filters: [{ field: "type", operator: "EQ", value: "FILENAME" }], search_to: 20 },
      }),
    },
    {
      path: "/public_api/v1/indicators/delete",
      body: () => ({
        request_data: { filters: [{ field: "indicator", operator: "EQ", value: value(Math.max(1, n - 50)) }] },
      }),
    },
    {
      path: "/logs/v1/event",
      body: () =>
        Array.from({ length: 10 }, (_, i) =>
          JSON.stringify({ event_type: "FILE", action_file_name: value(n - i) }),
        ).join("\n"),
    },
  ];
  try {
    // A short warm-up first, so start-up allocation is not counted as growth.
    await autocannon({ url: `http://127.0.0.1:${port}/public_api/v1/healthcheck`, duration: 3, connections: 4 });
    const rssStart = rssMiB(server.pid as number);
    const result = await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: Number(values.connections),
      duration: Number(values.seconds),
      requests: requests.map((r) => ({
        method: "POST" as const,
        path: r.path,
        headers,
        setupRequest: (request: autocannon.Request) => {
          const body = r.body();
          return { ...request, body: typeof body === "string" ? body : JSON.stringify(body) };
        },
      })),
    });
    const rssEnd = rssMiB(server.pid as number);
    console.log(
      JSON.stringify(
        {
          seconds: Number(values.seconds),
          connections: Number(values.connections),
          requests: result.requests.total,
          non_2xx: result.non2xx,
          errors: result.errors,
          requests_per_s: Math.round(result.requests.average),
          latency_p50_ms: result.latency.p50,
          latency_p99_ms: result.latency.p99,
          rss_start_mib: rssStart,
          rss_end_mib: rssEnd,
          rss_growth: Number(((rssEnd - rssStart) / rssStart).toFixed(3)),
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
