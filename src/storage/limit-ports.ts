/**
 * Abuse-limit counters kept in the database, so that every node of a cluster counts the same
 * requests (src/http/plugins/shared-limits.ts). Only the PostgreSQL store has them: a SQLite
 * store serves one process, whose counters stay in memory.
 */
export interface SharedLimitStore {
  /**
   * Takes a token from the named bucket (holding at most `capacity`, refilled at `perSecond`),
   * in one statement. Answers the tokens left, and whether one was granted.
   */
  takeToken(
    name: string,
    capacity: number,
    perSecond: number,
    now: number,
  ): Promise<{ granted: boolean; tokens: number }>;
  /**
   * Counts a failed authentication under each name, in windows of `windowMs` that start at a
   * name's first failure. Answers, per name, the count including this one and when its window began.
   */
  countFailures(
    names: readonly string[],
    windowMs: number,
    now: number,
  ): Promise<{ count: number; startedAt: number }[]>;
  /** Forgets buckets and windows idle since before `before`, so the tables stay bounded by recent clients. */
  forgetIdle(before: number): Promise<void>;
}
