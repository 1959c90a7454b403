/**
 * Abuse limits: a token bucket per API key (429 + Retry-After), a cap on failed authentications
 * per client address and per key id named (so secrets cannot be guessed at speed), and a cap on
 * requests served at once (503 + Retry-After). All three are configurable (src/config.ts); 0 turns
 * the first two off.
 */
import type { FastifyInstance } from "fastify";
import type { Limits } from "../../config.ts";
import type { Clock } from "../../lib/clock.ts";
import { sendError } from "../errors.ts";

interface Bucket {
  tokens: number;
  at: number;
}

/** Entries idle this long are forgotten, so the maps stay bounded by recent clients. */
const IDLE_MS = 60_000;
const MAX_TRACKED = 100_000;

export class KeyRateLimiter {
  private readonly buckets = new Map<number, Bucket>();
  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
  ) {}

  /** Seconds to wait, or 0 when the request may go ahead. */
  take(keyId: number): number {
    if (this.perSecond === 0) return 0;
    const now = this.clock.now();
    const capacity = this.perSecond * 2;
    const bucket = this.buckets.get(keyId) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (this.buckets.size >= MAX_TRACKED) this.buckets.clear();
    this.buckets.set(keyId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perSecond);
  }
}

/**
 * Failed authentications counted per name (a client address, a key id) in windows of a minute.
 * Only failures are refused once a name is over: the caller checks a request's credentials first,
 * so a stranger's guesses can never lock a correctly authenticated client out.
 */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, { count: number; start: number }>();
  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
  ) {}

  /** Seconds the longest-locked of these names must wait before failing may be answered 401 again; 0 when none is locked. */
  blockedFor(names: readonly string[]): number {
    return Math.max(0, ...names.map((name) => this.blockedName(name)));
  }

  private blockedName(name: string): number {
    const window = this.windows.get(name);
    if (this.perMinute === 0 || !window || window.count < this.perMinute) return 0;
    const left = window.start + IDLE_MS - this.clock.now();
    if (left > 0) return Math.ceil(left / 1000);
    this.windows.delete(name);
    return 0;
  }

  recordFailure(names: readonly string[]): void {
    if (this.perMinute === 0) return;
    const now = this.clock.now();
    for (const name of names) {
      const window = this.windows.get(name);
      if (!window || now - window.start >= IDLE_MS) {
        if (this.windows.size >= MAX_TRACKED) this.windows.clear();
        this.windows.set(name, { count: 1, start: now });
      } else window.count += 1;
    }
  }
}

/** Refuses requests beyond the configured number in flight. */
export function installConcurrencyCap(app: FastifyInstance, limits: Limits): void {
  let inFlight = 0;
  const counted = new WeakSet<object>();
  const release = async (request: object) => {
    if (counted.delete(request)) inFlight -= 1;
  };
  app.addHook("onRequest", async (request, reply) => {
    if (inFlight >= limits.maxConcurrentRequests)
      return sendError(reply.header("retry-after", "1"), 503, "too many requests in flight");
    inFlight += 1;
    counted.add(request);
  });
  app.addHook("onResponse", release);
  app.addHook("onRequestAbort", release);
}
