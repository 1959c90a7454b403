import type { RuleHit } from "../../engine/rule-hit.ts";

/** A hit the engine stored: one rule matching one ingested event. */
export interface NewAlert extends RuleHit {
  detectionTimestamp: number;
  /** The event as received, as JSON text. */
  event: string;
  /**
   * A correlation alert's own fields as JSON text (alert name, category, description, MITRE, the
   * group key's values, the rule's name); absent for IOC and BIOC hits.
   */
  details?: string | null | undefined;
}

export interface Alert extends NewAlert {
  alertId: number;
  details: string | null;
}
