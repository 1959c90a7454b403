/**
 * XQL's time functions over one row: timestamps are epoch milliseconds (as `_time` and the
 * engine's times are) or text Date.parse reads. `extract_time` reads a part in UTC. XQL runs on
 * BigQuery, and the others follow its TIMESTAMP_DIFF and FORMAT_TIMESTAMP:
 * `timestamp_diff(t1, t2, "MINUTE")` is t1 - t2 in whole minutes (cut toward zero), and
 * `format_timestamp("%Y-%m-%d %H:%M:%S", t, "Europe/Paris")` writes t with strftime's usual
 * elements, in UTC unless a time zone is given.
 */
import { text, type XqlValue } from "./xql-values.ts";

function millis(value: XqlValue): number | undefined {
  const ms = typeof value === "number" ? value : Date.parse(text(value) ?? "");
  return Number.isFinite(ms) ? ms : undefined;
}

export function extractTime(value: XqlValue, part: XqlValue): XqlValue {
  const ms = millis(value);
  if (ms === undefined) return null;
  const date = new Date(ms);
  const parts: Record<string, () => number> = {
    YEAR: () => date.getUTCFullYear(),
    MONTH: () => date.getUTCMonth() + 1,
    DAY: () => date.getUTCDate(),
    HOUR: () => date.getUTCHours(),
    MINUTE: () => date.getUTCMinutes(),
    SECOND: () => date.getUTCSeconds(),
    MILLISECOND: () => date.getUTCMilliseconds(),
    DAYOFWEEK: () => date.getUTCDay() + 1,
    DAYOFYEAR: () => Math.floor((ms - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1,
  };
  return parts[(text(part) ?? "").toUpperCase()]?.() ?? null;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  MILLISECOND: 1,
  SECOND: 1000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
  WEEK: 7 * 86_400_000,
};

/** t1 - t2 in whole `part`s; null when either is no time or the part is unknown. */
export function timestampDiff(t1: XqlValue, t2: XqlValue, part: XqlValue): XqlValue {
  const [a, b] = [millis(t1), millis(t2)];
  const unit = UNIT_MS[(text(part) ?? "").toUpperCase()];
  if (a === undefined || b === undefined || unit === undefined) return null;
  return Math.trunc((a - b) / unit);
}

/** Wall-clock parts as Intl writes them (two digits, 24-hour clock), and the month's short name. */
type LocalParts = Record<"year" | "month" | "day" | "hour" | "minute" | "second" | "weekday" | "monthName", string>;

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat | undefined {
  let formatter = formatters.get(zone);
  if (formatter) return formatter;
  try {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      weekday: "short",
    });
  } catch {
    return undefined; // a zone Intl does not know
  }
  if (formatters.size < 256) formatters.set(zone, formatter);
  return formatter;
}

/** The wall-clock parts of `ms` in `zone`; undefined for a zone Intl does not know. */
function localParts(ms: number, zone: string): LocalParts | undefined {
  const formatter = formatterFor(zone);
  if (!formatter) return undefined;
  const parts = Object.fromEntries(formatter.formatToParts(ms).map((p) => [p.type, p.value])) as LocalParts;
  parts.monthName = MONTH_NAMES[Number(parts.month) - 1] ?? "";
  return parts;
}

function element(code: string, p: LocalParts, ms: number): string | undefined {
  switch (code) {
    case "Y":
      return p.year;
    case "y":
      return p.year.slice(-2);
    case "m":
      return p.month;
    case "d":
      return p.day;
    case "e":
      return String(Number(p.day)).padStart(2, " ");
    case "H":
      return p.hour;
    case "M":
      return p.minute;
    case "S":
      return p.second;
    case "F":
      return `${p.year}-${p.month}-${p.day}`;
    case "T":
      return `${p.hour}:${p.minute}:${p.second}`;
    case "a":
      return p.weekday;
    case "b":
      return p.monthName;
    case "s":
      return String(Math.floor(ms / 1000));
    case "%":
      return "%";
    default:
      return undefined;
  }
}

/** `t` written by `format`; an element this does not know is kept as written. */
export function formatTimestamp(format: XqlValue, t: XqlValue, zone: XqlValue = null): XqlValue {
  const [pattern, ms] = [text(format), millis(t)];
  if (pattern === undefined || ms === undefined) return null;
  const parts = localParts(ms, text(zone) ?? "UTC");
  if (!parts) return null;
  return pattern.replace(/%(.)/g, (whole, code: string) => element(code, parts, ms) ?? whole);
}
