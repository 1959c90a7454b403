/**
 * Where events are matched: on worker threads (a MatchPool, the default) or on the calling
 * thread (`WARDEN_MATCH_WORKERS=0`). Both run the same jobs on the same matcher code and answer
 * the same combined result, in input order.
 */
import { joinCorrelated } from "../engine/correlations/correlation-batch.ts";
import type { CompiledSet } from "../engine/correlations/correlation-engine.ts";
import type { EngineRegistry } from "../engine/engine-registry.ts";
import { type MatchInput, type MatchJob, type MatchResult, runMatchJob } from "./match-job.ts";
import { MatchPool } from "./match-pool.ts";

export interface MatchOptions {
  now: number;
  /** How old a rule set may be used (see TenantCache.get); 0: the rules as they are now. */
  maxStaleMs: number;
  withEventText: boolean;
  /**
   * Run these correlation rules on the same parsed events too (ingest): on the calling thread
   * these, on a worker its own copy of the same rule-set version.
   */
  correlations?: CompiledSet | undefined;
  /** With `correlations`, the line of each REAL_TIME row too (scan reports hits by line). */
  correlationLines?: boolean;
}

/** Pieces matched as they are added, all with the one rule set the stream was opened with. */
export interface MatchStream {
  /** Starts matching a piece; the answer settles (never rejects) when the piece is done with. */
  add(input: MatchInput): Promise<unknown>;
  /** Every piece's result joined in the order they were added; rejects as `match` does. */
  done(): Promise<MatchResult>;
}

export interface EventMatching {
  /** Worker threads matching (0: the calling thread). */
  readonly threads: number;
  /** Matches the pieces in order; rejects with MatchOverrun when a piece exceeds the time budget. */
  match(tenantId: number, inputs: readonly MatchInput[], options: MatchOptions): Promise<MatchResult>;
  /** For a body still arriving: pieces start matching as they are cut. */
  stream(tenantId: number, options: MatchOptions): Promise<MatchStream>;
  /** How many rules of each kind the tenant's (possibly stale) rule set holds. */
  ruleCounts(tenantId: number, maxStaleMs: number): Promise<{ iocs: number; biocs: number }>;
  close(): Promise<void>;
}

/** Joins per-piece results, numbering matched events across the pieces. */
export function combine(results: readonly MatchResult[]): MatchResult {
  const all: MatchResult = { events: 0, malformed: [], matched: [] };
  for (const result of results) {
    for (const matched of result.matched) all.matched.push({ ...matched, index: matched.index + all.events });
    all.malformed.push(...result.malformed);
    all.events += result.events;
  }
  const correlated = results.flatMap((result) => (result.correlated ? [result.correlated] : []));
  if (correlated.length > 0) all.correlated = joinCorrelated(correlated);
  return all;
}

/** Runs each added piece at once with `run`; a piece that fails fails `done` (never unhandled before it). */
function streamOf(run: (input: MatchInput) => Promise<MatchResult>): MatchStream {
  const results: Promise<MatchResult>[] = [];
  return {
    add(input) {
      const result = run(input);
      results.push(result);
      return result.catch(() => undefined); // a rejection is `done`'s to report, whenever it is awaited
    },
    done: async () => combine(await Promise.all(results)),
  };
}

async function matchAll(
  matching: EventMatching,
  tenantId: number,
  inputs: readonly MatchInput[],
  options: MatchOptions,
) {
  const stream = await matching.stream(tenantId, options);
  for (const input of inputs) stream.add(input);
  return stream.done();
}

function jobOf(tenantId: number, version: number, input: MatchInput, options: MatchOptions): MatchJob {
  const { now, withEventText } = options;
  const job: MatchJob = { tenantId, version, now, input, withEventText, correlate: options.correlations !== undefined };
  if (options.correlationLines) job.correlationLines = true; // only when asked: ingest's job messages stay as they were
  return job;
}

class InlineMatching implements EventMatching {
  readonly threads = 0;

  constructor(private readonly engine: EngineRegistry) {}

  match(tenantId: number, inputs: readonly MatchInput[], options: MatchOptions): Promise<MatchResult> {
    return matchAll(this, tenantId, inputs, options);
  }

  async stream(tenantId: number, options: MatchOptions): Promise<MatchStream> {
    const matcher = await this.engine.matcherFor(tenantId, options.maxStaleMs);
    return streamOf(async (input) => runMatchJob(matcher, jobOf(tenantId, 0, input, options), options.correlations));
  }

  async ruleCounts(tenantId: number, maxStaleMs: number): Promise<{ iocs: number; biocs: number }> {
    const matcher = await this.engine.matcherFor(tenantId, maxStaleMs);
    return { iocs: matcher.iocCount, biocs: matcher.biocCount };
  }

  async close(): Promise<void> {}
}

class ThreadedMatching implements EventMatching {
  private readonly pool: MatchPool;

  constructor(
    private readonly engine: EngineRegistry,
    threads: number,
    budgetMs: number,
  ) {
    this.pool = new MatchPool(threads, budgetMs);
  }

  get threads(): number {
    return this.pool.size;
  }

  match(tenantId: number, inputs: readonly MatchInput[], options: MatchOptions): Promise<MatchResult> {
    return matchAll(this, tenantId, inputs, options);
  }

  async stream(tenantId: number, options: MatchOptions): Promise<MatchStream> {
    const rules = await this.engine.snapshotFor(tenantId, options.maxStaleMs);
    return streamOf((input) => this.pool.run(jobOf(tenantId, rules.version, input, options), rules));
  }

  async ruleCounts(tenantId: number, maxStaleMs: number): Promise<{ iocs: number; biocs: number }> {
    const rules = await this.engine.snapshotFor(tenantId, maxStaleMs);
    return { iocs: rules.iocs.ruleIds.length, biocs: rules.biocs.length };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** `threads` workers (started when first needed), or the calling thread when 0. */
export function eventMatching(engine: EngineRegistry, threads: number, budgetMs: number): EventMatching {
  return threads === 0 ? new InlineMatching(engine) : new ThreadedMatching(engine, threads, budgetMs);
}
