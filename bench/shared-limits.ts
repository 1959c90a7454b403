/**
 * What counting the abuse limits in PostgreSQL costs a request: authenticated reads
 * (indicators/get, an empty page) on one in-process node on PostgreSQL, with the shared per-key
 * rate limit on (one extra upsert per request) and off, alternating rounds in the same run so the
 * ratio holds on a noisy machine. Also the bucket upsert alone, sequential and 16 at once.
 *
 *   WARDEN_TEST_POSTGRES_URL=postgres://... node --import tsx bench/shared-limits.ts [--seconds 3] [--rounds 3]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { authHeaders, TEST_ACTOR, testDatabase } from "../test/harness.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg("seconds", 3);
const ROUNDS = arg("rounds", 3);
const CONCURRENCY = 16;

async function node(database: string, dir: string, masterKey: string, ratePerKey: string) {
  const env = { WARDEN_MASTER_KEY: masterKey, WARDEN_RATE_LIMIT_PER_KEY: ratePerKey, WARDEN_MATCH_WORKERS: "0" };
  return buildApp(loadConfig({ database, dataDir: dir }, env), { logger: false });
}

async function requestsPerSecond(app: Awaited<ReturnType<typeof node>>["app"], headers: Record<string, string>) {
  const end = performance.now() + SECONDS * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const res = await app.inject({
        method: "POST",
        url: "/public_api/v1/indicators/get",
        headers: { ...headers, "content-type": "application/json" },
        payload: '{"request_data":{}}',
      });
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}: ${res.body}`);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done / SECONDS;
}

async function main(): Promise<void> {
  if (!process.env.WARDEN_TEST_POSTGRES_URL) throw new Error("set WARDEN_TEST_POSTGRES_URL");
  process.env.WARDEN_TEST_STORE = "postgres";
  const dir = mkdtempSync(join(tmpdir(), "warden-bench-limits-"));
  const { database, drop } = await testDatabase(dir);
  const masterKey = randomBytes(32).toString("hex");
  const limited = await node(database, dir, masterKey, "1000000");
  const open = await node(database, dir, masterKey, "0");
  try {
    const tenant = await limited.services.tenants.create("bench", TEST_ACTOR);
    if (!tenant.ok) throw new Error(tenant.error);
    const key = await limited.services.keys.create(tenant.value, "instance_admin", "standard", null, TEST_ACTOR);
    const headers = authHeaders({ id: key.id, secret: key.secret, security: "standard", tenant: "bench" }, Date.now());
    const on: number[] = [];
    const off: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      on.push(await requestsPerSecond(limited.app, headers));
      off.push(await requestsPerSecond(open.app, headers));
    }
    const shared = limited.services.store.sharedLimits;
    if (!shared) throw new Error("no shared limits on this store");
    const N = 2000;
    let start = performance.now();
    for (let i = 0; i < N; i++) await shared.takeToken("key bench", 1e9, 1e9, Date.now());
    const sequentialUs = ((performance.now() - start) * 1000) / N;
    start = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = 0; i < N / CONCURRENCY; i++) await shared.takeToken("key bench", 1e9, 1e9, Date.now());
      }),
    );
    const concurrentPerS = N / ((performance.now() - start) / 1000);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    console.log(
      JSON.stringify(
        {
          concurrency: CONCURRENCY,
          seconds_per_round: SECONDS,
          rounds: ROUNDS,
          get_per_s_shared_limit_on: on.map(Math.round),
          get_per_s_limit_off: off.map(Math.round),
          ratio_on_to_off_median: Number((median(on) / median(off)).toFixed(3)),
          bucket_upsert_sequential_us: Math.round(sequentialUs),
          bucket_upserts_per_s_16_at_once_one_key: Math.round(concurrentPerS),
        },
        null,
        2,
      ),
    );
  } finally {
    await limited.app.close();
    await open.app.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
