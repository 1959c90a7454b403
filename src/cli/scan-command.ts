import { createReadStream, createWriteStream, statSync } from "node:fs";
import type { Writable } from "node:stream";
import cliProgress from "cli-progress";
import { Command } from "commander";
import type { Services } from "../app.ts";
import { DEFAULT_TENANT } from "../domain/tenants/tenant-service.ts";
import { OfflineCorrelations } from "../engine/correlations/offline-correlations.ts";
import { MAX_EVENT_BYTES } from "../engine/event-input.ts";
import { readLines } from "../engine/line-reader.ts";
import type { RuleHit } from "../engine/rule-hit.ts";
import type { MatchOptions } from "../ingest/event-matching.ts";
import { PIECE_CHARS } from "../ingest/event-pieces.ts";
import type { MatchResult } from "../ingest/match-job.ts";
import { MatchOverrun } from "../ingest/match-pool.ts";
import { exitWithError, withServices } from "./cli-context.ts";

interface ScanOptions {
  tenant: string;
  out?: string;
  progress: boolean;
}

interface ScanSummary {
  events: number;
  matchedEvents: number;
  hits: number;
  malformed: { line: number; error: string }[];
}

/** Malformed lines listed in the summary; the count covers them all. */
const MALFORMED_SHOWN = 10;

function hitLine(line: number, hit: RuleHit): string {
  const { source, ruleId, name, severity, field, value } = hit;
  return `${JSON.stringify({ line, source, rule_id: ruleId, name, severity, field, value })}\n`;
}

/** A SCHEDULED correlation rule's row: it belongs to a window of events, not to one line. */
function windowLine(start: number, end: number, hit: RuleHit): string {
  const { source, ruleId, name, severity, field, value } = hit;
  const window = { window_start: new Date(start).toISOString(), window_end: new Date(end).toISOString() };
  return `${JSON.stringify({ line: null, ...window, source, rule_id: ruleId, name, severity, field, value })}\n`;
}

function progressBar(path: string, enabled: boolean) {
  if (!enabled || path === "-" || !process.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar(
    {
      format: "scanning [{bar}] {percentage}% | {eta_formatted} left | {events} events, {hits} hits",
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(statSync(path).size, 0, { events: 0, hits: 0 });
  return bar;
}

/** Lines gathered into one piece of work for the matcher (threads take pieces in turn), at most PIECE_CHARS unless one line is longer. */
interface Piece {
  text: string[];
  chars: number;
  firstLine: number;
}

async function scan(services: Services, path: string, options: ScanOptions): Promise<void> {
  const { tenants, matching, clock } = services;
  const tenant = await tenants.find(options.tenant);
  if (!tenant.ok) exitWithError(tenant.error);
  const tenantId = tenant.value.id;
  const input = path === "-" ? process.stdin : createReadStream(path);
  input.on("error", (error: Error) => exitWithError(`cannot read ${path}: ${error.message}`));
  const out: Writable = options.out ? createWriteStream(options.out) : process.stdout;
  const bar = progressBar(path, options.progress);
  const summary: ScanSummary = { events: 0, matchedEvents: 0, hits: 0, malformed: [] };
  const started = performance.now();
  // The rules as they are when the scan starts, for the whole scan. Correlation rules run where each
  // piece is parsed, with the matcher (one parse a line, on every thread); their REAL_TIME rows come
  // back with their lines.
  const now = clock.now();
  const rules = await services.correlationEngine.rulesFor(tenantId);
  const correlations = new OfflineCorrelations(rules, now);
  const matchOptions: MatchOptions = {
    now,
    maxStaleMs: Number.POSITIVE_INFINITY,
    withEventText: false,
    ...(correlations.size > 0 ? { correlations: rules, correlationLines: true } : {}),
  };
  const inFlight: Promise<MatchResult>[] = [];
  const window = Math.max(2, matching.threads * 2);
  let bytes = 0;
  let piece: Piece = { text: [], chars: 0, firstLine: 1 };
  const writeHit = async (line: number, hit: RuleHit) => {
    summary.hits += 1;
    if (!out.write(hitLine(line, hit))) await new Promise((resolve) => out.once("drain", resolve));
  };
  const drainOne = async () => {
    const result = await (inFlight.shift() as Promise<MatchResult>).catch((error: Error) =>
      exitWithError(
        error instanceof MatchOverrun ? `${error.message}; a rule is too costly for these events` : error.message,
      ),
    );
    summary.events += result.events;
    summary.malformed.push(...result.malformed);
    summary.matchedEvents += result.matched.length;
    // A piece's correlation hits go out just before its matcher hits: the same order whatever the
    // number of threads (docs/correlations.md).
    for (const { line, hit } of correlations.add(result.correlated)) await writeHit(line, hit);
    for (const { line, hits } of result.matched) for (const hit of hits) await writeHit(line, hit);
    bar?.update(bytes, { events: summary.events, hits: summary.hits });
  };
  const submit = async () => {
    const input = { text: piece.text.join("\n"), firstLine: piece.firstLine };
    inFlight.push(matching.match(tenantId, [input], matchOptions));
    piece = { text: [], chars: 0, firstLine: piece.firstLine + piece.text.length };
    while (inFlight.length >= window) await drainOne();
  };
  for await (const read of readLines(input, MAX_EVENT_BYTES)) {
    bytes += "text" in read ? read.text.length + 1 : read.tooLong + 1;
    const text = "text" in read ? read.text : ""; // an empty line keeps the piece's line numbers in step
    if (piece.text.length > 0 && piece.chars + text.length > PIECE_CHARS) await submit();
    piece.text.push(text);
    piece.chars += text.length + 1; // and its line break
    if (!("text" in read)) {
      const error = `line is ${read.tooLong} characters long; at most ${MAX_EVENT_BYTES} are read`;
      summary.malformed.push({ line: read.line, error });
    }
  }
  if (piece.text.length > 0) await submit();
  while (inFlight.length > 0) await drainOne();
  for (const { windowStart, windowEnd, hit } of correlations.finish()) {
    summary.hits += 1;
    out.write(windowLine(windowStart, windowEnd, hit));
  }
  bar?.stop();
  if (options.out) await new Promise((resolve) => out.end(resolve));
  summary.malformed.sort((a, b) => a.line - b.line);
  const { iocs, biocs } = await matching.ruleCounts(tenantId, matchOptions.maxStaleMs);
  const counts = { iocs, biocs, correlations: correlations.size };
  report(summary, tenant.value.name, counts, performance.now() - started);
}

function report(
  summary: ScanSummary,
  tenant: string,
  { iocs, biocs, correlations }: { iocs: number; biocs: number; correlations: number },
  ms: number,
): void {
  const rate = Math.round(summary.events / Math.max(ms / 1000, 0.001));
  const lines = [
    `scanned ${summary.events} events against tenant '${tenant}' (${iocs} IOC and ${biocs} BIOC rules) in ${(ms / 1000).toFixed(2)} s, ${rate} events/s`,
    `${summary.matchedEvents} events matched, ${summary.hits} hits; ${summary.malformed.length} malformed lines`,
    ...(correlations > 0 ? [`${correlations} correlation rules ran too (their hits are counted above)`] : []),
    ...summary.malformed.slice(0, MALFORMED_SHOWN).map((m) => `  line ${m.line}: ${m.error}`),
  ];
  process.stderr.write(`${lines.join("\n")}\n`);
}

export function scanCommand(): Command {
  return new Command("scan")
    .description("match an NDJSON file of events against a tenant's rules, offline; hits go out as NDJSON")
    .argument("<events>", "NDJSON file of events (- for standard input)")
    .option("--tenant <name>", "whose rules to use", DEFAULT_TENANT)
    .option("--out <file>", "write hits here instead of standard output")
    .option("--no-progress", "no progress bar")
    .action(async (path: string, options: ScanOptions, command: Command) =>
      withServices(command, (s) => scan(s, path, options)),
    );
}
