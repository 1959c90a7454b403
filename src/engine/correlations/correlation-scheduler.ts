/**
 * `serve`'s timer for scheduled correlation rules: every `everyMs` it runs whatever is due. Each
 * node of a cluster runs one; the store lets one of them run each tick, so nodes need no leader.
 * A look that is still running when the next is due is not overlapped.
 */
import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "../../lib/clock.ts";
import type { CorrelationEngine } from "./correlation-engine.ts";

export function startCorrelationScheduler(
  engine: CorrelationEngine,
  clock: Clock,
  everyMs: number,
  log: FastifyBaseLogger,
): { stop(): Promise<void> } {
  if (everyMs === 0) return { stop: async () => {} };
  let running: Promise<void> | undefined;
  const look = () => {
    if (running) return;
    running = engine
      .runAllTenants(clock.now())
      .then((reports) => {
        for (const r of reports)
          if (r.alerts > 0) log.info({ correlation: r }, "scheduled correlation rule raised alerts");
      })
      .catch((error: unknown) => log.error({ err: error }, "scheduled correlation run failed"))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(look, everyMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
