/**
 * One stream message (NDJSON event lines) through the same matching as `POST /logs/v1/event`,
 * correlation rules included, each hit keyed by the message's place in the stream and its line,
 * so a redelivery of the message yields the very same keys; its SCHEDULED correlation states go
 * with the message's key, so they are folded once (stream-fold-migration.ts).
 */
import type { CorrelationEngine } from "../../engine/correlations/correlation-engine.ts";
import type { MalformedEvent } from "../../engine/event-input.ts";
import type { RuleHit } from "../../engine/rule-hit.ts";
import type { KeyedAlert, StreamFold } from "../../storage/stream-ports.ts";
import type { EventMatching } from "../event-matching.ts";
import { ndjsonPieces } from "../event-pieces.ts";
import type { MatchResult } from "../match-job.ts";

/** As HTTP ingest: rule changes reach the stream within a second. */
const STALENESS_MS = 1000;

export interface MessageAlerts {
  events: number;
  malformed: MalformedEvent[];
  alerts: KeyedAlert[];
  /** The message's SCHEDULED correlation states (none when the tenant has no such rule). */
  fold: StreamFold;
}

export interface MessageMatching {
  matching: EventMatching;
  /** Absent: IOC and BIOC rules only. */
  correlations?: CorrelationEngine | undefined;
}

/**
 * `messageKey` names the message for good (stream, its creation, sequence). A rule hits a field
 * once, so rule and field tell a line's hits apart; the count guards against a matcher that
 * ever reports one twice.
 */
function keyer(messageKey: string): (line: number, hit: RuleHit) => string {
  const seen = new Map<string, number>();
  return (line, hit) => {
    const key = `${messageKey}:${line}:${hit.source}:${hit.ruleId}:${hit.field}`;
    const times = (seen.get(key) ?? 0) + 1;
    seen.set(key, times);
    return times === 1 ? key : `${key}#${times}`;
  };
}

/** Rejects with MatchOverrun (as HTTP ingest does) when a piece exceeds the matching time budget. */
export async function messageAlerts(
  { matching, correlations }: MessageMatching,
  tenantId: number,
  body: string,
  messageKey: string,
  now: number,
): Promise<MessageAlerts> {
  const rules = await correlations?.rulesFor(tenantId, STALENESS_MS);
  const options = { now, maxStaleMs: STALENESS_MS, withEventText: true, correlations: rules };
  const result = await matching.match(tenantId, ndjsonPieces(body), options);
  const { events, malformed, matched } = result;
  const keyOf = keyer(messageKey);
  const alerts: KeyedAlert[] = [];
  for (const { line, hits, text = "" } of matched)
    for (const hit of hits) alerts.push({ ...hit, detectionTimestamp: now, event: text, streamKey: keyOf(line, hit) });
  const settled = correlations ? await settle(correlations, tenantId, result, messageKey, now) : undefined;
  alerts.push(...(settled?.alerts ?? []));
  return { events, malformed, alerts, fold: { messageKey, partials: settled?.partials ?? [], at: now } };
}

/**
 * The message's correlation results: REAL_TIME alerts keyed by message, rule and row (the rows
 * of a rule come in event order, the same on every delivery), and the SCHEDULED partials.
 */
async function settle(
  correlations: CorrelationEngine,
  tenantId: number,
  { correlated }: MatchResult,
  messageKey: string,
  now: number,
): Promise<{ alerts: KeyedAlert[]; partials: StreamFold["partials"] }> {
  if (!correlated) return { alerts: [], partials: [] };
  const keyOf = (ruleId: number, row: number) => `${messageKey}:correlation:${ruleId}:${row}`;
  const { alerts, partials } = await correlations.settleCorrelated(tenantId, correlated, now, keyOf);
  return { alerts: alerts.map(({ alert, key }) => ({ ...alert, streamKey: key as string })), partials };
}
