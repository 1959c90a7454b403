/** When the next attempt after `attempts` failures is due: exponential, capped, with full jitter. */
export interface BackoffPolicy {
  /** The first retry waits up to this long; each later one up to twice as long as the one before. */
  baseMs: number;
  /** No wait is longer than this. */
  maxMs: number;
}

/**
 * Full jitter (a random wait between half and all of the exponential step) spreads the retries of
 * many alerts that failed together, so a receiver coming back up is not hit by all of them at once.
 */
export function retryDelay(policy: BackoffPolicy, attempts: number, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}
