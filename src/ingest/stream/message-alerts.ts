/**
 * One stream message (NDJSON event lines) through the same matching as `POST /logs/v1/event`,
 * each hit keyed by the message's place in the stream and its line, so a redelivery of the
 * message yields the very same keys.
 */
import type { MalformedEvent } from "../../engine/event-input.ts";
import type { RuleHit } from "../../engine/rule-hit.ts";
import type { KeyedAlert } from "../../storage/stream-ports.ts";
import type { EventMatching } from "../event-matching.ts";
import { ndjsonPieces } from "../event-pieces.ts";

/** As HTTP ingest: rule changes reach the stream within a second. */
const STALENESS_MS = 1000;

export interface MessageAlerts {
  events: number;
  malformed: MalformedEvent[];
  alerts: KeyedAlert[];
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
  matching: EventMatching,
  tenantId: number,
  body: string,
  messageKey: string,
  now: number,
): Promise<MessageAlerts> {
  const options = { now, maxStaleMs: STALENESS_MS, withEventText: true };
  const { events, malformed, matched } = await matching.match(tenantId, ndjsonPieces(body), options);
  const keyOf = keyer(messageKey);
  const alerts: KeyedAlert[] = [];
  for (const { line, hits, text = "" } of matched)
    for (const hit of hits) alerts.push({ ...hit, detectionTimestamp: now, event: text, streamKey: keyOf(line, hit) });
  return { events, malformed, alerts };
}
