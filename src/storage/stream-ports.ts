import type { NewAlert } from "../domain/alerts/alert-model.ts";

/** An alert raised from a stream message, with the key that makes a redelivery of it harmless. */
export interface KeyedAlert extends NewAlert {
  /** Unique per tenant: the stream, message sequence, line, rule and field (src/ingest/stream/stream-keys.ts). */
  streamKey: string;
}

/** Where the JetStream consumer stores alerts: at most once per key, however often a message arrives. */
export interface StreamAlertStore {
  /**
   * Stores the alerts whose key is new and raises their rules' counters (number_of_issues, hits),
   * in one transaction; answers how many were new.
   */
  recordStreamAlerts(tenantId: number, alerts: readonly KeyedAlert[]): Promise<number>;
}
