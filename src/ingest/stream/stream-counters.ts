/**
 * What the JetStream consumer has done since the process started, read through getters (the
 * /metrics module registers them as counters and gauges). Only the consumer writes them.
 */
export class StreamCounters {
  #messages = 0;
  #redeliveries = 0;
  #events = 0;
  #alerts = 0;
  #malformedLines = 0;
  #unknownTenantMessages = 0;
  #errors = 0;
  #pending = 0;
  #ackPending = 0;

  /** Messages taken from the stream, redeliveries included. */
  get messages(): number {
    return this.#messages;
  }
  /** Messages that had been delivered before (to this node or another that died or timed out). */
  get redeliveries(): number {
    return this.#redeliveries;
  }
  /** Well-formed event lines matched. */
  get events(): number {
    return this.#events;
  }
  /** Alerts stored (an alert a redelivered message raised again is not counted twice). */
  get alerts(): number {
    return this.#alerts;
  }
  /** Lines that were not a JSON object (skipped; their message was still acknowledged). */
  get malformedLines(): number {
    return this.#malformedLines;
  }
  /** Messages on a subject naming no tenant (terminated, never redelivered). */
  get unknownTenantMessages(): number {
    return this.#unknownTenantMessages;
  }
  /** Messages that failed (store unreachable, matching over its time budget, an ack not confirmed). */
  get errors(): number {
    return this.#errors;
  }
  /** Lag: messages in the stream the consumer has not delivered yet (from the last consumer info). */
  get pending(): number {
    return this.#pending;
  }
  /** Messages delivered to some node and not yet acknowledged (from the last consumer info). */
  get ackPending(): number {
    return this.#ackPending;
  }

  received(redelivered: boolean): void {
    this.#messages++;
    if (redelivered) this.#redeliveries++;
  }
  matched(events: number, malformedLines: number, alerts: number): void {
    this.#events += events;
    this.#malformedLines += malformedLines;
    this.#alerts += alerts;
  }
  unknownTenant(): void {
    this.#unknownTenantMessages++;
  }
  failed(): void {
    this.#errors++;
  }
  lag(pending: number, ackPending: number): void {
    this.#pending = pending;
    this.#ackPending = ackPending;
  }
}
