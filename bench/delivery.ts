/**
 * Alert delivery (src/delivery): what the outbox costs the alert write, and how fast the
 * dispatcher empties it into a real webhook receiver on loopback. Same-run figures:
 *  - alerts/s stored by recordAlerts (batches of 1,000) for a tenant with no target, and for one
 *    with a webhook (an outbox row per alert written in the same transaction): the ratio;
 *  - deliveries/s from a full outbox to a receiver answering 200 at once, checked exact (every
 *    alert's idempotency key once).
 * node --import tsx bench/delivery.ts [--alerts 20000] [--database postgres://...]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildServices } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import type { NewAlert } from "../src/domain/alerts/alert-model.ts";
import { BENCH_ACTOR } from "./lib.ts";

const { values } = parseArgs({
  options: { alerts: { type: "string", default: "20000" }, database: { type: "string" } },
});
const total = Number(values.alerts);
const BATCH = 1000;

const keys = new Map<string, number>();
const receiver = createServer((req, res) => {
  const key = String(req.headers["idempotency-key"]);
  keys.set(key, (keys.get(key) ?? 0) + 1);
  req.resume().on("end", () => res.writeHead(200).end());
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const dir = mkdtempSync(join(tmpdir(), "warden-bench-delivery-"));
const config = loadConfig(
  { database: values.database ?? join(dir, "warden.db"), dataDir: dir },
  { WARDEN_MASTER_KEY: randomBytes(32).toString("hex"), WARDEN_DELIVERY_HOSTS: "127.0.0.1", WARDEN_MATCH_WORKERS: "0" },
);
const services = await buildServices(config);
const suffix = randomBytes(3).toString("hex");

function alerts(n: number, from: number): NewAlert[] {
  return Array.from({ length: n }, (_, i) => ({
    source: "IOC",
    ruleId: 1,
    name: "evil.com",
    severity: "SEV_040_HIGH",
    field: "dns_query_name",
    value: `host${from + i}.evil.com`,
    detectionTimestamp: Date.now(),
    event: JSON.stringify({ dns_query_name: `host${from + i}.evil.com`, agent_hostname: "bench" }),
  }));
}

async function storeRate(tenantId: number): Promise<number> {
  const started = performance.now();
  for (let done = 0; done < total; done += BATCH) await services.store.recordAlerts(tenantId, alerts(BATCH, done));
  return total / ((performance.now() - started) / 1000);
}

async function tenant(name: string) {
  const created = await services.tenants.create(`${name}-${suffix}`, BENCH_ACTOR);
  if (!created.ok) throw new Error(created.error);
  return created.value;
}

try {
  const quiet = await tenant("no-target");
  const hooked = await tenant("one-webhook");
  const added = await services.delivery.add(hooked, {
    name: "siem",
    url,
    minSeverity: "SEV_010_INFO",
    ruleKinds: ["IOC", "BIOC", "CORRELATION"],
    enabled: true,
  });
  if (!added.ok) throw new Error(added.error);
  // interleaved, warm-up first, so a slow minute on the shared machine hits both alike
  await storeRate(quiet.id);
  const plain = await storeRate(quiet.id);
  const withOutbox = await storeRate(hooked.id);
  const started = performance.now();
  const delivered = await services.dispatcher.drain();
  const seconds = (performance.now() - started) / 1000;
  const exact = keys.size === total && [...keys.values()].every((n) => n === 1);
  console.log(
    JSON.stringify({
      store: values.database ? "postgres" : "sqlite",
      alerts: total,
      stored_per_s_no_target: Math.round(plain),
      stored_per_s_one_webhook: Math.round(withOutbox),
      ratio_with_outbox: Number((withOutbox / plain).toFixed(3)),
      delivered,
      delivered_per_s: Math.round(delivered / seconds),
      exactly_once: exact,
    }),
  );
  if (!exact) process.exitCode = 1;
} finally {
  await services.matching.close();
  await services.store.close();
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
}
