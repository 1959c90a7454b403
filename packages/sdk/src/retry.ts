import { type ApiKey, authHeaders } from "./auth.ts";

export interface RetryOptions {
  /** Further tries after the first, on 429, 503 and network errors (default 4). */
  retries?: number;
  /** The first backoff in milliseconds, doubled each try (default 250). */
  baseDelayMs?: number;
  /** No single wait is longer than this (default 30 s), whatever Retry-After asks. */
  maxDelayMs?: number;
  /** How to wait; tests pass one that records the delays instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** The clock advanced keys sign with (default Date.now). */
  now?: () => number;
}

const RETRIED_STATUSES = new Set([429, 503]);

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After as seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function backoffMs(attempt: number, options: RetryOptions): number {
  const base = (options.baseDelayMs ?? 250) * 2 ** attempt;
  // Full jitter: clients throttled together do not come back together.
  return Math.round(base / 2 + (Math.random() * base) / 2);
}

/**
 * A fetch that signs every attempt with the key and retries what the server asks to be retried.
 * The request is cloned per attempt because a body can be read only once.
 */
export function retryingFetch(key: ApiKey, options: RetryOptions = {}, inner: typeof fetch = fetch): typeof fetch {
  const retries = options.retries ?? 4;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? realSleep;
  return async (input, init) => {
    const original = new Request(input, init);
    for (let attempt = 0; ; attempt++) {
      const request = original.clone();
      for (const [name, value] of Object.entries(authHeaders(key, options.now))) request.headers.set(name, value);
      let response: Response;
      try {
        response = await inner(request);
      } catch (error) {
        if (attempt >= retries) throw error;
        await sleep(Math.min(backoffMs(attempt, options), maxDelay));
        continue;
      }
      if (!RETRIED_STATUSES.has(response.status) || attempt >= retries) return response;
      const asked = retryAfterMs(response.headers.get("retry-after"));
      await response.body?.cancel();
      await sleep(Math.min(asked ?? backoffMs(attempt, options), maxDelay));
    }
  };
}
