import type { PruneSummary, RetentionService } from "./retention-service.ts";

export interface RetentionLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * Runs retention in `serve`: once soon after start, then every `tickMs` (0: never). A pass that is
 * still going when the next is due is not doubled. stop() waits for a pass in progress.
 */
export function startRetention(
  service: RetentionService,
  tickMs: number,
  log: RetentionLog,
): { stop(): Promise<void> } {
  if (tickMs === 0) return { stop: async () => {} };
  let running: Promise<void> | undefined;
  let stopped = false;
  const pass = () => {
    if (running || stopped) return;
    running = service
      .runOnce()
      .then((pruned: PruneSummary[]) => {
        if (pruned.length > 0) log.info({ pruned }, "retention pruned old alerts and audit entries");
      })
      .catch((error: unknown) => log.error({ err: error }, "retention pass failed"))
      .finally(() => {
        running = undefined;
      });
  };
  // not at once: a node that starts has other work first (migrations, warming matchers)
  const first = setTimeout(pass, Math.min(tickMs, 60_000));
  const timer = setInterval(pass, tickMs);
  first.unref();
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
