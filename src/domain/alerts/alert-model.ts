import type { RuleHit } from "../../engine/rule-hit.ts";

/** A hit the engine stored: one rule matching one ingested event. */
export interface NewAlert extends RuleHit {
  detectionTimestamp: number;
  /** The event as received, as JSON text. */
  event: string;
}

export interface Alert extends NewAlert {
  alertId: number;
}
