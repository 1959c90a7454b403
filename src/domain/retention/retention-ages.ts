/** The ages operators write: `90d`, `36h`, `0`/`forever` (keep forever), `default`, or a date. */
import { fail, ok, type Result } from "../../lib/result.ts";

const DAY_MS = 86_400_000;
const MAX_DAYS = 36_500;

/** A retention in days: a number of days (`90` or `90d`), 0 (`0`, `forever`: keep forever), or null (`default`). */
export function parseRetentionDays(text: string): Result<number | null> {
  const value = text.trim().toLowerCase();
  if (value === "default") return ok(null);
  if (value === "forever" || value === "0") return ok(0);
  const match = /^([0-9]{1,5})d?$/.exec(value);
  const days = match ? Number(match[1]) : Number.NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS)
    return fail(`'${text}' is not a retention: use a number of days (90d), 'forever' (or 0), or 'default'`);
  return ok(days);
}

/** `--before`: an age back from `now` (`90d`, `36h`) or a date (ISO 8601); answers epoch milliseconds. */
export function parseCutoff(text: string, now: number): Result<number> {
  const age = /^([0-9]{1,6})([dh])$/.exec(text.trim().toLowerCase());
  if (age) return ok(now - Number(age[1]) * (age[2] === "d" ? DAY_MS : DAY_MS / 24));
  const date = /^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  if (Number.isNaN(date)) return fail(`'${text}' is neither an age (90d, 36h) nor a date (2026-01-31 or ISO 8601)`);
  if (date > now) return fail(`'${text}' is in the future: nothing older than now can be kept from a prune`);
  return ok(date);
}

/** The cutoff a retention of `days` gives at `now`; undefined when it keeps forever. */
export function cutoffOf(days: number, now: number): number | undefined {
  return days > 0 ? now - days * DAY_MS : undefined;
}
