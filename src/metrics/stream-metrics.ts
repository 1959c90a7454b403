/**
 * The JetStream consumer's figures on /metrics (issue 17: stream lag and redeliveries). The
 * consumer keeps plain running totals (src/ingest/stream/stream-counters.ts); they are read at
 * scrape time, so the consumer's hot path never touches prom-client.
 */
import type { StreamCounters } from "../ingest/stream/stream-counters.ts";
import type { WardenMetrics } from "./warden-metrics.ts";

type Total = Exclude<
  keyof StreamCounters,
  "pending" | "ackPending" | "received" | "matched" | "unknownTenant" | "failed" | "lag"
>;

const TOTALS: [Total, string, string][] = [
  ["messages", "warden_stream_messages_total", "JetStream messages taken, redeliveries included"],
  ["redeliveries", "warden_stream_redeliveries_total", "JetStream messages that had been delivered before"],
  ["events", "warden_stream_events_total", "Well-formed event lines from the stream matched"],
  ["alerts", "warden_stream_alerts_total", "Alerts the stream's events raised and stored (a redelivery adds none)"],
  ["malformedLines", "warden_stream_malformed_lines_total", "Stream lines that were not a JSON object (skipped)"],
  [
    "unknownTenantMessages",
    "warden_stream_unknown_tenant_messages_total",
    "Stream messages on a subject naming no tenant (terminated)",
  ],
  [
    "errors",
    "warden_stream_errors_total",
    "Stream messages that failed: given back to be retried, terminated after overrunning matching, or acknowledged without the server's confirmation",
  ],
];

export function registerStreamMetrics(metrics: WardenMetrics, counters: StreamCounters): void {
  for (const [field, name, help] of TOTALS) {
    metrics.counter({
      name,
      help,
      collect() {
        this.reset();
        this.inc(counters[field]);
      },
    });
  }
  metrics.gauge({
    name: "warden_stream_pending_messages",
    help: "Lag: messages in the stream the shared consumer has not delivered yet (last consumer info)",
    collect() {
      this.set(counters.pending);
    },
  });
  metrics.gauge({
    name: "warden_stream_ack_pending_messages",
    help: "Messages delivered to some node and not yet acknowledged (last consumer info)",
    collect() {
      this.set(counters.ackPending);
    },
  });
}
