/**
 * Single-item `indicators/insert` requests from autocannon for 10 s against `warden serve` running
 * as its own process on a fresh SQLite store. Every request inserts a new value.
 * Target (issue #2): >= 3,000 requests/s with p99 <= 20 ms.
 *
 * Also prints the server process's CPU time per request (from /proc), which a busy machine
 * disturbs far less than requests/s. `--profile DIR` writes the server's `--cpu-prof` there.
 *
 *   node --import tsx bench/single-insert-load.ts [--seconds 10] [--connections 16] [--profile DIR]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { freePort, startServerProcess, warden } from "./lib.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "16" },
    profile: { type: "string" },
  },
});

/** User + system CPU of a process so far, in ms (Linux /proc; fields 14 and 15 are in clock ticks of 10 ms). */
function processCpuMs(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "warden-load-"));
  // One key at full speed: the per-key rate limit (1,000/s by default) is off for this measurement.
  const env = {
    ...process.env,
    WARDEN_DATA_DIR: dir,
    WARDEN_LOG_LEVEL: process.env.WARDEN_LOG_LEVEL ?? "info",
    WARDEN_RATE_LIMIT_PER_KEY: "0",
  };
  warden(env, "tenant", "create", "load");
  const key = JSON.parse(warden(env, "key", "create", "--tenant", "load", "--json")) as { id: number; secret: string };
  const port = await freePort();
  const profile = values.profile ? ["--cpu-prof", `--cpu-prof-dir=${values.profile}`] : [];
  const server = await startServerProcess(env, port, profile);
  const cpuBefore = processCpuMs(server.pid);
  let counter = 0;
  try {
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/public_api/v1/indicators/insert`,
      method: "POST",
      connections: Number(values.connections),
      duration: Number(values.seconds),
      headers: { "x-xdr-auth-id": String(key.id), authorization: key.secret, "content-type": "application/json" },
      requests: [
        {
          setupRequest: (request) => {
            counter += 1;
            const item = { indicator: `load-${counter}.exe`, type: "FILENAME", severity: "SEV_020_LOW" };
            return { ...request, body: JSON.stringify({ request_data: [item] }) };
          },
        },
      ],
    });
    const serverCpuMs = processCpuMs(server.pid) - cpuBefore;
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
          latency_max_ms: result.latency.max,
          server_cpu_ms_per_request: Number((serverCpuMs / result.requests.total).toFixed(3)),
        },
        null,
        2,
      ),
    );
  } finally {
    server.kill("SIGTERM");
    // the profile is written as the server exits
    if (values.profile) await new Promise((resolve) => server.once("exit", resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
