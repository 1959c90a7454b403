/**
 * The detection engine: 1,000,000 IOC rules of mixed types and 1,000 BIOC rules, 1,000,000
 * NDJSON events through the in-process matcher on one core and through the worker-thread pool
 * (one thread a core), each against a pass that only JSON.parses the same lines on one core in
 * the same run; then 200,000 events through POST /logs/v1/event end to end with 100,000 IOCs and
 * 200 BIOCs loaded, against JSON.parse of the same lines.
 * Targets (issue #13): pool >= 0.50 of JSON.parse, /logs/v1/event >= 0.30 of it.
 *
 *   node --expose-gc --import tsx bench/engine.ts [--iocs 1000000] [--biocs 1000] [--events 1000000]
 *     [--http-events 200000] [--http-iocs 100000] [--http-biocs 200] [--workers <cores>]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { BiocIndex, compileBioc } from "../src/engine/bioc-index.ts";
import { CompiledMatcher } from "../src/engine/compiled-matcher.ts";
import { IocIndex } from "../src/engine/ioc-index.ts";
import type { RuleHit } from "../src/engine/rule-hit.ts";
import { iocColumnsBuilder, type RuleSnapshot } from "../src/engine/rule-snapshot.ts";
import { combine } from "../src/ingest/event-matching.ts";
import { ndjsonPieces } from "../src/ingest/event-pieces.ts";
import type { MatchInput, MatchResult } from "../src/ingest/match-job.ts";
import { MatchPool } from "../src/ingest/match-pool.ts";
import { PieceBlocks } from "../src/ingest/piece-blocks.ts";
import { StreamedEvents } from "../src/ingest/streamed-body.ts";
import { biocEntries, eventBatches, iocEntries } from "./engine-data.ts";
import { answerJson, BENCH_ACTOR, postBytes } from "./lib.ts";

const { values } = parseArgs({
  options: {
    iocs: { type: "string", default: "1000000" },
    biocs: { type: "string", default: "1000" },
    events: { type: "string", default: "1000000" },
    "http-events": { type: "string", default: "200000" },
    "http-iocs": { type: "string", default: "100000" },
    "http-biocs": { type: "string", default: "200" },
    workers: { type: "string", default: String(availableParallelism()) },
  },
});
const IOCS = Number(values.iocs);
const BIOCS = Number(values.biocs);
const EVENTS = Number(values.events);
const HTTP_EVENTS = Number(values["http-events"]);
const HTTP_IOCS = Number(values["http-iocs"]);
const HTTP_BIOCS = Number(values["http-biocs"]);
const WORKERS = Number(values.workers);
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

function cpuMicros(usage: NodeJS.CpuUsage): number {
  return usage.user + usage.system;
}

/**
 * CPU time of every thread of this process (main, workers, V8's helpers) per event, against the
 * CPU time of the interleaved JSON.parse pass per event. On a machine shared with other work the
 * wall-clock ratio swings with what else runs; this one less: it says what an event costs, not
 * how many cores were free (with two workers busy it is at best half the wall-clock ratio).
 */
function cpuFigures(cpuUs: number, parseCpuUs: number, events: number) {
  return {
    cpu_us_per_event: Number((cpuUs / events).toFixed(2)),
    json_parse_cpu_us_per_event: Number((parseCpuUs / events).toFixed(2)),
    cpu_ratio_to_parse: Number((parseCpuUs / cpuUs).toFixed(3)),
  };
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

/**
 * Each pass sees all EVENTS lines, the passes taking turns 10,000 lines at a time, so every one
 * (the JSON.parse baseline too) runs under the same load on a shared machine. Before 2026-12-03
 * (issue 13, matching side) the passes ran one after another. Answers [hits, ms] per pass.
 */
function timedPasses<K extends string>(
  works: Record<K, (line: string) => number>,
): Record<K, { hits: number; ms: number }> {
  const passes = (Object.entries(works) as [K, (line: string) => number][]).map(([name, work]) => ({
    name,
    work,
    hits: 0,
    ms: 0,
  }));
  const TURN = 10_000;
  for (let from = 0; from < EVENTS; from += TURN) {
    const to = Math.min(EVENTS, from + TURN);
    for (const pass of passes) {
      const started = performance.now();
      for (let i = from; i < to; i++) pass.hits += pass.work(distinctLines[i % DISTINCT] as string);
      pass.ms += performance.now() - started;
    }
  }
  return Object.fromEntries(passes.map(({ name, hits, ms }) => [name, { hits, ms }])) as Record<
    K,
    { hits: number; ms: number }
  >;
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
    for (const e of iocEntries(HTTP_IOCS)) {
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
      biocEntries(HTTP_BIOCS).map((b) => ({
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
  const snapshotStarted = performance.now();
  await services.engine.snapshotFor(tenant.value.id); // what the workers are sent
  const snapshotFromStoreMs = performance.now() - snapshotStarted;
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/logs/v1/event`;
  const headers = {
    "x-xdr-auth-id": String(key.id),
    authorization: key.secret,
    "content-type": "application/x-ndjson",
  };
  const lines = [...eventBatches(HTTP_EVENTS, HTTP_IOCS, HTTP_BIOCS)].map((batch) => batch.join("\n"));
  const bodies = lines.map((text) => Buffer.from(text));
  // Warm-up, not counted: every body once, so the workers' matchers are built, their code is hot
  // and the heaps have grown, as in a server that has taken events for a while. (Until
  // 2026-12-03 three bodies; the first measured round then ran a fifth slower than later ones.)
  for (const body of bodies) await postBytes(url, headers, body);
  let alerts = 0;
  let ms = 0;
  let parseMs = 0;
  let cpuUs = 0;
  let parseCpuUs = 0;
  for (const [i, body] of bodies.entries()) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const answer = await postBytes(url, headers, body);
    ms += performance.now() - started;
    cpuUs += cpuMicros(process.cpuUsage(cpuStarted));
    if (answer.status !== 200) throw new Error(`ingest answered ${answer.status}`);
    alerts += answerJson<{ reply: { alerts: number } }>(answer).reply.alerts;
    // The baseline, interleaved so both see the same machine: JSON.parse of the same lines, one process.
    const parseStarted = performance.now();
    const parseCpuStarted = process.cpuUsage();
    for (const line of (lines[i] as string).split("\n")) JSON.parse(line);
    parseMs += performance.now() - parseStarted;
    parseCpuUs += cpuMicros(process.cpuUsage(parseCpuStarted));
  }
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    ioc_rules: HTTP_IOCS,
    bioc_rules: HTTP_BIOCS,
    match_workers: services.matching.threads,
    events_per_s: perSecond(HTTP_EVENTS, ms),
    json_parse_only_events_per_s: perSecond(HTTP_EVENTS, parseMs),
    ratio_to_parse: Number((parseMs / ms).toFixed(3)),
    ...cpuFigures(cpuUs, parseCpuUs, HTTP_EVENTS),
    alerts,
    rules_load_ms: Math.round(loadMs),
    matcher_build_from_sqlite_ms: Math.round(buildFromStoreMs),
    rule_snapshot_from_sqlite_ms: Math.round(snapshotFromStoreMs),
  };
}

/** How a body reaches the workers: the results of its pieces' jobs. */
type Feed = (body: PoolBody, run: (input: MatchInput) => Promise<MatchResult>) => Promise<MatchResult[]>;

interface PoolBody {
  text: string;
  /** The body's bytes in 64 KiB chunks, as a socket hands them over. */
  chunks: Buffer[];
}

/** As HTTP ingest feeds the pool: NDJSON cut into pieces of bytes in shared memory as it arrives (streamed-body.ts). */
const asIngest =
  (blocks: PieceBlocks): Feed =>
  async (body, run) => {
    const jobs: Promise<MatchResult>[] = [];
    const bytes = body.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    await new StreamedEvents(Readable.from(body.chunks), Number.POSITIVE_INFINITY, bytes, blocks).read((piece) => {
      const job = run(piece);
      jobs.push(job);
      return job;
    });
    return Promise.all(jobs);
  };

/** As the JetStream consumer feeds it (and this bench did before 2026-12-04): pieces of the decoded text. */
const asStrings: Feed = (body, run) => Promise.all(ndjsonPieces(body.text).map(run));

/**
 * The same EVENTS lines through the worker pool: 10,000-line bodies cut into pieces, every piece of
 * a body in flight at once, bodies one after another; once as the stream consumer feeds the pool
 * (strings), once as HTTP ingest does (bytes in shared memory, `as_http_ingest`). The workers
 * first build their matchers from the rule snapshot (timed apart).
 */
async function poolPass(biocs: ReturnType<typeof biocEntries>) {
  const columns = iocColumnsBuilder();
  for (const entry of iocEntries(IOCS)) columns.add(entry);
  const rules: RuleSnapshot = { tenantId: 1, version: 1, iocs: columns.finish(), biocs };
  const pool = new MatchPool(WORKERS, 600_000);
  const run = (input: MatchInput) => pool.run({ tenantId: 1, version: 1, now: NOW, input, withEventText: true }, rules);
  const warmStarted = performance.now();
  await Promise.all(Array.from({ length: WORKERS }, () => run({ text: distinctLines[0] as string, firstLine: 1 })));
  const buildMs = performance.now() - warmStarted;
  const bodies: PoolBody[] = [];
  for (let at = 0; at < DISTINCT; at += 10_000) {
    const text = distinctLines.slice(at, at + 10_000).join("\n");
    const bytes = Buffer.from(text);
    const chunks: Buffer[] = [];
    for (let from = 0; from < bytes.length; from += 65_536) chunks.push(bytes.subarray(from, from + 65_536));
    bodies.push({ text, chunks });
  }
  const strings = await fedPass(bodies, asStrings, run);
  const ingest = await fedPass(bodies, asIngest(new PieceBlocks()), run);
  await pool.close();
  // the headline figures are the string feed's, as before 2026-12-04, so older runs compare
  return { workers: WORKERS, workers_build_ms: Math.round(buildMs), ...strings, as_http_ingest: ingest };
}

/** EVENTS lines through `feed`, against JSON.parse of the same lines interleaved body by body. */
async function fedPass(bodies: PoolBody[], feed: Feed, run: (input: MatchInput) => Promise<MatchResult>) {
  for (const body of bodies.slice(0, 2)) await feed(body, run); // this feed's own code warmed
  let events = 0;
  let hits = 0;
  let ms = 0;
  let parseMs = 0;
  let cpuUs = 0;
  let parseCpuUs = 0;
  for (let i = 0; events < EVENTS; i++) {
    const body = bodies[i % bodies.length] as PoolBody;
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const result = combine(await feed(body, run));
    ms += performance.now() - started;
    cpuUs += cpuMicros(process.cpuUsage(cpuStarted));
    events += result.events;
    hits += result.matched.reduce((sum, m) => sum + m.hits.length, 0);
    // The baseline interleaved body by body, so both see the same machine (it is shared).
    const parseStarted = performance.now();
    const parseCpuStarted = process.cpuUsage();
    for (const line of body.text.split("\n")) JSON.parse(line);
    parseMs += performance.now() - parseStarted;
    parseCpuUs += cpuMicros(process.cpuUsage(parseCpuStarted));
  }
  return {
    events_per_s: perSecond(events, ms),
    json_parse_interleaved_events_per_s: perSecond(events, parseMs),
    ratio_to_parse: Number((parseMs / ms).toFixed(3)),
    ...cpuFigures(cpuUs, parseCpuUs, events),
    hits,
  };
}

/** The single-core passes; the matchers they build are garbage once it returns. */
function inProcessFigures(biocs: ReturnType<typeof biocEntries>) {
  // Memory: the index built from freshly made rules, so their strings count (as when read from the store).
  const before = heapAfterGc();
  let measured: IocIndex | undefined = IocIndex.build(iocEntries(IOCS));
  const bytesPerIoc = (heapAfterGc() - before) / IOCS;
  if (measured.size !== IOCS) throw new Error("index lost rules");
  measured = undefined;
  // Time: the build alone, from rules already in memory.
  const entries = [...iocEntries(IOCS)];
  const [iocIndex, iocBuildMs] = time(() => IocIndex.build(entries));
  const [matcher, biocBuildMs] = time(() => CompiledMatcher.of(iocIndex, biocs));
  const [, biocIndexMs] = time(() => BiocIndex.build(biocs.map(compileBioc)));

  // A tenth of the BIOCs (the same rules' first tenth), to show what the other nine tenths cost.
  const tenth = CompiledMatcher.of(iocIndex, biocs.slice(0, Math.ceil(BIOCS / 10)));

  entries.length = 0;
  const hits: RuleHit[] = [];
  const passes = timedPasses({
    parse: (line) => (JSON.parse(line) ? 0 : 0),
    ioc: (line) => {
      hits.length = 0;
      iocIndex.match(JSON.parse(line), NOW, hits);
      return hits.length;
    },
    all: (line) => matcher.match(JSON.parse(line), NOW).length,
    tenth: (line) => tenth.match(JSON.parse(line), NOW).length,
  });
  const { hits: iocHits, ms: iocMs } = passes.ioc;
  const { hits: allHits, ms: allMs } = passes.all;
  const { hits: tenthHits, ms: tenthMs } = passes.tenth;
  const parseMs = passes.parse.ms;
  return {
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
    ioc_and_tenth_of_biocs_events_per_s: perSecond(EVENTS, tenthMs),
    ioc_and_tenth_of_biocs_ratio_to_parse: Number((parseMs / tenthMs).toFixed(3)),
    tenth_hits: tenthHits,
    // The cost of all the BIOCs over that of a tenth of them, each less the IOC-only pass.
    bioc_cost_all_over_tenth: Number(((allMs - iocMs) / Math.max(tenthMs - iocMs, 1e-9)).toFixed(2)),
  };
}

async function main(): Promise<void> {
  const biocs = biocEntries(BIOCS);
  const inProcess = inProcessFigures(biocs);
  // The single-core passes' million-rule matchers are let go before the server runs: held, they
  // made every full collection on the HTTP pass's main thread mark them (a server holds only its
  // tenants' own matchers).
  heapAfterGc();
  const pool = await poolPass(biocs);
  heapAfterGc();
  const http = HTTP_EVENTS > 0 ? await endToEnd() : undefined;

  console.log(
    JSON.stringify(
      {
        ioc_rules: IOCS,
        bioc_rules: BIOCS,
        events: EVENTS,
        distinct_events: DISTINCT,
        ...inProcess,
        pool,
        http_logs_event: http ? { events: HTTP_EVENTS, batch: 10_000, ...http } : "skipped",
      },
      null,
      2,
    ),
  );
}

await main();
