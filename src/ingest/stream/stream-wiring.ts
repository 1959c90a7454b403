import type { NatsConfig } from "../../config.ts";
import type { Clock } from "../../lib/clock.ts";
import type { WardenMetrics } from "../../metrics/warden-metrics.ts";
import type { Store } from "../../storage/ports.ts";
import type { EventMatching } from "../event-matching.ts";
import { StreamConsumer } from "./stream-consumer.ts";
import { registerStreamMetrics } from "./stream-metrics.ts";

/** The consumer `serve` starts, its counters on the process's /metrics. */
export function streamConsumer(
  config: NatsConfig,
  matching: EventMatching,
  store: Store,
  clock: Clock,
  metrics: WardenMetrics,
): StreamConsumer {
  const consumer = new StreamConsumer({ config, matching, store, clock });
  registerStreamMetrics(metrics, consumer.counters);
  return consumer;
}
