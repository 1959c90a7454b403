/** The stream consumer's counters on /metrics (docs/metrics.md), read when Prometheus scrapes. */
import type { WardenMetrics } from "../../metrics/warden-metrics.ts";
import type { StreamCounters } from "./stream-counters.ts";

const TOTALS: [name: string, help: string, read: (c: StreamCounters) => number][] = [
  [
    "warden_stream_messages_total",
    "Messages taken from the JetStream stream, redeliveries included",
    (c) => c.messages,
  ],
  ["warden_stream_redeliveries_total", "Stream messages that had been delivered before", (c) => c.redeliveries],
  ["warden_stream_events_total", "Events matched from the stream", (c) => c.events],
  [
    "warden_stream_alerts_total",
    "Alerts stored from the stream (a redelivery's are not counted twice)",
    (c) => c.alerts,
  ],
  ["warden_stream_malformed_lines_total", "Stream lines that were not events (skipped)", (c) => c.malformedLines],
  [
    "warden_stream_unknown_tenant_messages_total",
    "Stream messages for no known tenant (terminated)",
    (c) => c.unknownTenantMessages,
  ],
  ["warden_stream_errors_total", "Stream messages that failed (retried, or terminated on overrun)", (c) => c.errors],
];

const GAUGES: [name: string, help: string, read: (c: StreamCounters) => number][] = [
  ["warden_stream_pending_messages", "Lag: stream messages not yet delivered to any node", (c) => c.pending],
  ["warden_stream_unacknowledged_messages", "Stream messages delivered and not yet acknowledged", (c) => c.ackPending],
];

export function registerStreamMetrics(metrics: WardenMetrics, counters: StreamCounters): void {
  for (const [name, help, read] of TOTALS) {
    let reported = 0;
    metrics.counter({
      name,
      help,
      collect() {
        const now = read(counters);
        if (now > reported) this.inc(now - reported);
        reported = now;
      },
    });
  }
  for (const [name, help, read] of GAUGES)
    metrics.gauge({
      name,
      help,
      collect() {
        this.set(read(counters));
      },
    });
}
