/**
 * Five-field crontab (minute hour day-of-month month day-of-week) read in a time zone: `*`,
 * numbers, ranges `a-b`, lists `a,b` and steps `*\/n`, `a-b/n`. Enough for what the product's
 * schedule editor writes; names (MON, JAN) and `L`/`W`/`#` are refused at insert.
 */
const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

export interface Crontab {
  sets: ReadonlySet<number>[];
  /** Day of month and day of week both restricted: either may match (cron's rule). */
  eitherDay: boolean;
}

function parseField(text: string, min: number, max: number): Set<number> | string {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const found = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!found) return `'${part}' is not a number, range, list or step`;
    const from = found[1] === "*" ? min : Number(found[2]);
    const to = found[1] === "*" ? max : found[3] !== undefined ? Number(found[3]) : found[4] ? max : from;
    const step = found[4] ? Number(found[4]) : 1;
    if (from < min || to > max || from > to || step < 1) return `'${part}' is outside ${min}-${max}`;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export function parseCrontab(text: string): Crontab | string {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) return `crontab needs 5 fields (minute hour day month weekday), got ${parts.length}`;
  const sets: Set<number>[] = [];
  for (const [i, field] of FIELDS.entries()) {
    const set = parseField(parts[i] as string, field.min, field.max);
    if (typeof set === "string") return `crontab ${field.name}: ${set}`;
    sets.push(set);
  }
  const week = sets[4] as Set<number>;
  if (week.has(7)) week.add(0);
  return { sets, eitherDay: parts[2] !== "*" && parts[4] !== "*" };
}

/** The wall-clock fields of an instant in a time zone. */
function wallClock(at: number, timeZone: string): number[] {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    minute: "numeric",
    hour: "numeric",
    day: "numeric",
    month: "numeric",
    weekday: "short",
  });
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday as string);
  return [Number(parts.minute), Number(parts.hour), Number(parts.day), Number(parts.month), weekday];
}

export function cronMatches(cron: Crontab, at: number, timeZone: string): boolean {
  const [minute, hour, day, month, weekday] = wallClock(at, timeZone) as [number, number, number, number, number];
  const [m, h, dom, mon, dow] = cron.sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (!m.has(minute) || !h.has(hour) || !mon.has(month)) return false;
  return cron.eitherDay ? dom.has(day) || dow.has(weekday) : dom.has(day) && dow.has(weekday);
}

/** The latest minute at or before `at` the crontab fires on, looking back at most `lookBackMs`. */
export function latestCronTick(cron: Crontab, at: number, timeZone: string, lookBackMs: number): number | undefined {
  const start = Math.floor(at / 60_000) * 60_000;
  for (let t = start; t >= at - lookBackMs; t -= 60_000) if (cronMatches(cron, t, timeZone)) return t;
  return undefined;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
