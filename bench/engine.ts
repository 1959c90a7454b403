/**
 * The detection engine on one core: 1,000,000 IOC rules of mixed types and 1,000 BIOC rules,
 * 1,000,000 NDJSON events through the in-process matcher, against a pass that only JSON.parses
 * the same lines; then the same events through POST /logs/v1/event end to end.
 * Targets (issue #4): >= 250,000 events/s IOC-only, >= 100,000 with the BIOCs, build <= 5 s,
 * <= 200 bytes per IOC rule.
 *
 *   node --expose-gc --import tsx bench/engine.ts [--iocs 1000000] [--biocs 1000] [--events 1000000] [--http-events 200000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { BiocIndex, compileBioc } from "../src/engine/bioc-index.ts";
import { CompiledMatcher } from "../src/engine/compiled-matcher.ts";
import { IocIndex } from "../src/engine/ioc-index.ts";
import type { RuleHit } from "../src/engine/rule-hit.ts";
import { biocEntries, eventBatches, iocEntries } from "./engine-data.ts";
import { BENCH_ACTOR } from "./lib.ts";

const { values } = parseArgs({
  options: {
    iocs: { type: "string", default: "1000000" },
    biocs: { type: "string", default: "1000" },
    events: { type: "string", default: "1000000" },
    "http-events": { type: "string", default: "200000" },
  },
});
const IOCS = Number(values.iocs);
const BIOCS = Number(values.biocs);
const EVENTS = Number(values.events);
const HTTP_EVENTS = Number(values["http-events"]);
const NOW = 1_767_000_000_000;

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc");
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function time<T>(work: () => T): [T, number] {
  const started = performance.now();
  const result = work();
  return [result, performance.now() - started];
}

function perSecond(count: number, ms: number): number {
  return Math.round(count / (ms / 1000));
}

/**
 * 100,000 distinct event lines are made once (outside the timing) and streamed round and round
 * until EVENTS have passed: making a million lines in between, or holding them all, would put
 * the benchmark's own garbage into the figures.
 */
const DISTINCT = Math.min(EVENTS, 100_000);
const distinctLines = [...eventBatches(DISTINCT, IOCS, BIOCS)].flat();

function timedPass(work: (line: string) => number): [number, number] {
  let total = 0;
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++) total += work(distinctLines[i % DISTINCT] as string);
  return [total, performance.now() - started];
}

async function endToEnd() {
  const dir = mkdtempSync(join(tmpdir(), "warden-engine-"));
  const config = loadConfig({ database: join(dir, "warden.db"), dataDir: dir }, { WARDEN_MASTER_KEY: "33".repeat(32) });
  const { app, services } = await buildApp(config, { logger: false });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const tenant = await services.tenants.create("bench", BENCH_ACTOR);
  if (!tenant.ok) throw new Error(tenant.error);
  const key = await services.keys.create(tenant.value, "instance_admin", "standard", null, BENCH_ACTOR);
  const [, loadMs] = await (async () => {
    const started = performance.now();
    const batch: Parameters<typeof services.store.upsertIocs>[1][number][] = [];
    const flush = async () => {
      await services.store.upsertIocs(tenant.value.id, batch, { now: NOW, source: "bench", actor: BENCH_ACTOR });
      batch.length = 0;
    };
    for (const e of iocEntries(IOCS)) {
      const { ruleId: _ruleId, expirationDate, ...rest } = e;
      batch.push({
        ...rest,
        ruleId: undefined,
        expirationDate,
        defaultExpirationEnabled: false,
        comment: "",
        reputation: "BAD",
        reliability: null,
        vendors: null,
        klass: null,
      });
      if (batch.length === 50_000) await flush();
    }
    await flush();
    await services.biocs.insert(
      { keyId: key.id, role: "instance_admin", tenant: tenant.value, address: null },
      biocEntries(BIOCS).map((b) => ({
        name: b.name,
        type: "OTHER",
        severity: b.severity,
        indicator: b.tree,
      })),
    );
    return [undefined, performance.now() - started];
  })();
  const buildStarted = performance.now();
  await services.engine.matcherFor(tenant.value.id); // the matcher read from SQLite and compiled
  const buildFromStoreMs = performance.now() - buildStarted;
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/logs/v1/event`;
  const headers = {
    "x-xdr-auth-id": String(key.id),
    authorization: key.secret,
    "content-type": "application/x-ndjson",
  };
  let alerts = 0;
  let ms = 0;
  for (const batch of eventBatches(HTTP_EVENTS, IOCS, BIOCS)) {
    const body = batch.join("\n");
    const started = performance.now();
    const res = await fetch(url, { method: "POST", headers, body });
    alerts += ((await res.json()) as { reply: { alerts: number } }).reply.alerts;
    ms += performance.now() - started;
  }
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    events_per_s: perSecond(HTTP_EVENTS, ms),
    alerts,
    rules_load_ms: Math.round(loadMs),
    matcher_build_from_sqlite_ms: Math.round(buildFromStoreMs),
  };
}

async function main(): Promise<void> {
  // Memory: the index built from freshly made rules, so their strings count (as when read from the store).
  const before = heapAfterGc();
  let measured: IocIndex | undefined = IocIndex.build(iocEntries(IOCS));
  const bytesPerIoc = (heapAfterGc() - before) / IOCS;
  if (measured.size !== IOCS) throw new Error("index lost rules");
  measured = undefined;
  // Time: the build alone, from rules already in memory.
  const entries = [...iocEntries(IOCS)];
  const [iocIndex, iocBuildMs] = time(() => IocIndex.build(entries));
  const biocs = biocEntries(BIOCS);
  const [matcher, biocBuildMs] = time(() => CompiledMatcher.of(iocIndex, biocs));
  const [, biocIndexMs] = time(() => BiocIndex.build(biocs.map(compileBioc)));

  entries.length = 0;
  const [, parseMs] = timedPass((line) => (JSON.parse(line) ? 0 : 0));
  const hits: RuleHit[] = [];
  const [iocHits, iocMs] = timedPass((line) => {
    hits.length = 0;
    iocIndex.match(JSON.parse(line), NOW, hits);
    return hits.length;
  });
  const [allHits, allMs] = timedPass((line) => matcher.match(JSON.parse(line), NOW).length);
  const http = HTTP_EVENTS > 0 ? await endToEnd() : undefined;

  console.log(
    JSON.stringify(
      {
        ioc_rules: IOCS,
        bioc_rules: BIOCS,
        events: EVENTS,
        distinct_events: DISTINCT,
        ioc_index_build_ms: Math.round(iocBuildMs),
        bioc_compile_ms: Math.round(biocBuildMs),
        bioc_index_build_ms: Math.round(biocIndexMs),
        bytes_per_ioc_rule: Math.round(bytesPerIoc),
        json_parse_only_events_per_s: perSecond(EVENTS, parseMs),
        ioc_only_events_per_s: perSecond(EVENTS, iocMs),
        ioc_only_ratio_to_parse: Number((parseMs / iocMs).toFixed(3)),
        ioc_hits: iocHits,
        ioc_and_bioc_events_per_s: perSecond(EVENTS, allMs),
        ioc_and_bioc_ratio_to_parse: Number((parseMs / allMs).toFixed(3)),
        all_hits: allHits,
        http_logs_event: http ? { events: HTTP_EVENTS, batch: 10_000, ...http } : "skipped",
      },
      null,
      2,
    ),
  );
}

await main();
