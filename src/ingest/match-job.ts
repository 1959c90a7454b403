/**
 * One unit of matching work, the same on a worker thread and on the main thread: a piece of an
 * NDJSON body (parsed here, so parsing is spread over the workers too) or events already parsed,
 * matched against one tenant's rules.
 */
import { type CorrelatedEvents, correlateEvents, hasRules } from "../engine/correlations/correlation-batch.ts";
import type { CompiledSet } from "../engine/correlations/correlation-engine.ts";
import { isEvent, type MalformedEvent, NOT_AN_OBJECT, parseEventLine } from "../engine/event-input.ts";
import type { EndpointEvent } from "../engine/event-model.ts";
import type { Matcher, RuleHit } from "../engine/rule-hit.ts";

export type MatchInput =
  /** NDJSON lines; the first is line `firstLine` of the whole body. */
  | { text: string; firstLine: number }
  /** The same as UTF-8 bytes, in memory shared with the sender (streamed-body.ts): decoded where they are matched. */
  | { bytes: Uint8Array; firstLine: number }
  /** Values of a JSON array (each should be an event object); the first is number `firstIndex` (0-based) of the whole list. */
  | { values: unknown[]; firstIndex: number };

export interface MatchJob {
  tenantId: number;
  /** The rule-set version the job must be matched with (the worker has it or is sent it). */
  version: number;
  now: number;
  input: MatchInput;
  /** Ingest stores each matched event as JSON text; evaluate needs only the hits. */
  withEventText: boolean;
  /** Ingest runs the tenant's correlation rules on the same parsed events (arrived at `now`). */
  correlate?: boolean;
  /** Scan reports REAL_TIME rows by line: each row's line comes back beside it (never asked by ingest). */
  correlationLines?: boolean;
}

export interface MatchedEvent {
  /** 1-based line of an NDJSON body, or 1-based position in a list. */
  line: number;
  /** 0-based position among the job's well-formed events (the caller adds those of earlier jobs). */
  index: number;
  hits: RuleHit[];
  text?: string;
}

export interface MatchResult {
  events: number;
  malformed: MalformedEvent[];
  matched: MatchedEvent[];
  /** With `correlate`, what the correlation rules made of the events (correlation-batch.ts). */
  correlated?: CorrelatedEvents;
}

function decoded(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** Calls `each` with every well-formed event of the input and its line, in order; the rest go to `malformed`. */
function eachEvent(
  input: MatchInput,
  malformed: MalformedEvent[],
  each: (line: number, event: EndpointEvent) => void,
): void {
  if ("values" in input) {
    const { values, firstIndex } = input;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (isEvent(value)) each(firstIndex + i + 1, value);
      else malformed.push({ line: firstIndex + i + 1, error: NOT_AN_OBJECT });
    }
    return;
  }
  const text = "text" in input ? input.text : decoded(input.bytes);
  let line = input.firstLine;
  for (let start = 0; start <= text.length; line++) {
    const cut = text.indexOf("\n", start);
    const end = cut === -1 ? text.length : cut;
    const parsed = parseEventLine(text.slice(start, end), line);
    start = end + 1;
    if (!parsed) continue;
    if ("event" in parsed) each(line, parsed.event);
    else malformed.push(parsed);
  }
}

/**
 * Parses (where needed) and matches one job's events, and with `correlate` runs the correlation
 * rules on them too, so a body is parsed once for both.
 */
export function runMatchJob(matcher: Matcher, job: MatchJob, correlations?: CompiledSet): MatchResult {
  const result: MatchResult = { events: 0, malformed: [], matched: [] };
  const kept: EndpointEvent[] | undefined = job.correlate && correlations && hasRules(correlations) ? [] : undefined;
  const keptLines: number[] | undefined = kept && job.correlationLines ? [] : undefined;
  const { now, withEventText } = job;
  eachEvent(job.input, result.malformed, (line, event) => {
    kept?.push(event);
    keptLines?.push(line);
    const index = result.events++;
    const hits = matcher.match(event, now);
    if (hits.length === 0) return;
    result.matched.push(withEventText ? { line, index, hits, text: JSON.stringify(event) } : { line, index, hits });
  });
  if (kept && correlations) result.correlated = correlateEvents(correlations, kept, job.now, keptLines);
  return result;
}
