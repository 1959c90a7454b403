/**
 * When a scheduled rule's ticks fall. `simple_schedule` "N minutes" ticks at whole multiples of
 * N since the epoch (schedules of a day or more at midnight in the rule's time zone); a crontab
 * at the minutes it names, in the rule's time zone (UTC when none).
 */
import { type Crontab, latestCronTick, parseCrontab } from "../../domain/correlations/crontab.ts";
import { parseDuration } from "../../domain/correlations/durations.ts";

/** How far back a crontab's latest tick is looked for: a run missed by more is skipped (replay it with --at). */
export const CRON_LOOK_BACK_MS = 24 * 3_600_000 + 60_000;

/** The zone's offset from UTC at `at`, in ms (positive east). */
function zoneOffset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(at);
  const v = Object.fromEntries(parts.map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(v.year ?? 0, (v.month ?? 1) - 1, v.day ?? 1, v.hour ?? 0, v.minute ?? 0, v.second ?? 0);
  return wall - Math.floor(at / 1000) * 1000;
}

/** The latest tick at or before `at`, or undefined when the schedule cannot be read. */
export type LatestTick = (at: number) => number | undefined;

export function scheduleOf(simple: string | null, crontab: string | null, timeZone: string | null): LatestTick {
  const zone = timeZone ?? "UTC";
  if (crontab !== null) {
    const cron = parseCrontab(crontab);
    if (typeof cron === "string") return () => undefined;
    return (at) => latestCronTick(cron as Crontab, at, zone, CRON_LOOK_BACK_MS);
  }
  const every = simple === null ? undefined : parseDuration(simple);
  if (every === undefined) return () => undefined;
  if (every < 86_400_000) return (at) => Math.floor(at / every) * every;
  return (at) => {
    const offset = zoneOffset(at, zone);
    return Math.floor((at + offset) / every) * every - offset;
  };
}
