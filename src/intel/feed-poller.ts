import type { FeedService } from "./feed-service.ts";

/** How often the server looks for feeds whose poll interval has passed. */
export const POLL_TICK_MS = 30_000;

/**
 * Pulls due feeds in the background of `warden serve`, one round at a time. Several nodes on one
 * PostgreSQL each poll; a pull twice over is harmless (imports are idempotent), only wasted.
 */
export function startFeedPoller(feeds: FeedService, onError: (error: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    feeds
      .pullDue()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, POLL_TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
