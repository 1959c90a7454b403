import type { Severity } from "../ioc/ioc-model.ts";

/** A hit the engine stored: one rule matching one ingested event. */
export interface NewAlert {
  detectionTimestamp: number;
  source: "IOC" | "BIOC";
  ruleId: number;
  name: string;
  severity: Severity;
  field: string;
  value: string;
  /** The event as received, as JSON text. */
  event: string;
}

export interface Alert extends NewAlert {
  alertId: number;
}
