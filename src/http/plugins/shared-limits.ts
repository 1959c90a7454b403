/**
 * The two per-client limits as the auth hooks use them, counted in memory (one node) or in the
 * database (every node of a PostgreSQL cluster counting the same requests). Each check is one
 * call, and for the shared counters one round trip.
 */
import type { Limits } from "../../config.ts";
import type { Clock } from "../../lib/clock.ts";
import type { SharedLimitStore } from "../../storage/limit-ports.ts";
import { AuthFailureLimiter, KeyRateLimiter } from "./limits.ts";

/** The limiters, which other ways in (TAXII's HTTP Basic) share, so no door is cheaper to guess at. */
export interface AuthLimiters {
  /** Takes one request from the key's budget: seconds to wait, or 0 when it may go ahead. */
  take(keyId: number): Promise<number>;
  /**
   * Records a failed authentication under these names (an address, a key id); answers the seconds
   * the longest-locked of them must wait, or 0 when the failure may be answered 401.
   */
  failed(names: readonly string[]): Promise<number>;
}

const WINDOW_MS = 60_000;
/** How often (in checks) a node sweeps idle rows from the shared tables. */
const SWEEP_EVERY = 10_000;

export function memoryLimiters(limits: Limits, clock: Clock): AuthLimiters {
  const perKey = new KeyRateLimiter(limits.rateLimitPerKey, clock);
  const failures = new AuthFailureLimiter(limits.authFailuresPerMinute, clock);
  return {
    take: async (keyId) => perKey.take(keyId),
    failed: async (names) => {
      const blocked = failures.blockedFor(names);
      failures.recordFailure(names);
      return blocked;
    },
  };
}

export function sharedLimiters(store: SharedLimitStore, limits: Limits, clock: Clock): AuthLimiters {
  const { rateLimitPerKey: perSecond, authFailuresPerMinute: perMinute } = limits;
  let checks = 0;
  const sweep = (now: number) => {
    if (++checks % SWEEP_EVERY !== 0) return;
    // off the request's path: a failed sweep is retried at the next one
    store.forgetIdle(now - WINDOW_MS).catch(() => undefined);
  };
  return {
    take: async (keyId) => {
      if (perSecond === 0) return 0;
      const now = clock.now();
      sweep(now);
      const { granted, tokens } = await store.takeToken(`key ${keyId}`, perSecond * 2, perSecond, now);
      return granted ? 0 : Math.ceil((1 - tokens) / perSecond);
    },
    failed: async (names) => {
      if (perMinute === 0) return 0;
      const now = clock.now();
      sweep(now);
      const windows = await store.countFailures(names, WINDOW_MS, now);
      // over the limit when the failures before this one had already reached it
      const waits = windows
        .filter(({ count }) => count > perMinute)
        .map(({ startedAt }) => Math.ceil((startedAt + WINDOW_MS - now) / 1000));
      return Math.max(0, ...waits);
    },
  };
}
