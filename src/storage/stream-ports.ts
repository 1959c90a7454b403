import type { NewAlert } from "../domain/alerts/alert-model.ts";
import type { CorrelationPartial } from "./correlation-ports.ts";

/** An alert raised from a stream message, with the key that makes a redelivery of it harmless. */
export interface KeyedAlert extends NewAlert {
  /** Unique per tenant: the stream, message sequence, line, rule and field (src/ingest/stream/stream-keys.ts). */
  streamKey: string;
}

/** Where the JetStream consumer stores alerts: at most once per key, however often a message arrives. */
export interface StreamAlertStore {
  /**
   * Stores the alerts whose key is new and raises their rules' counters (number_of_issues, hits),
   * and `fold`'s correlation states unless its message was folded before, in one transaction;
   * answers how many alerts were new.
   */
  recordStreamAlerts(tenantId: number, alerts: readonly KeyedAlert[], fold?: StreamFold): Promise<number>;
}

/** A message's SCHEDULED correlation states: added once per message key, however often it comes. */
export interface StreamFold {
  messageKey: string;
  partials: readonly CorrelationPartial[];
  /** When the message was folded (epoch ms): old keys are pruned by retention. */
  at: number;
}
