/**
 * The contract's durations: "10 minutes", "2 hours", "1 days" (the live export's own plural),
 * "30 seconds", "1 week". A number, a space (optional) and a unit, singular or plural.
 */
const UNIT_MS: Readonly<Record<string, number>> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

const PATTERN = /^\s*(\d{1,6})\s*(second|minute|hour|day|week)s?\s*$/i;

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const found = PATTERN.exec(text);
  if (!found) return undefined;
  const ms = Number(found[1]) * (UNIT_MS[(found[2] as string).toLowerCase()] as number);
  return ms > 0 ? ms : undefined;
}

/** XQL's short spans (`bin _time span = 5m`): 10s, 5m, 1h, 1d. */
export function parseSpan(text: string): number | undefined {
  const found = /^(\d{1,6})([smhdw])$/i.exec(text.trim());
  if (!found) return undefined;
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[
    (found[2] as string).toLowerCase() as "s"
  ];
  const ms = Number(found[1]) * unit;
  return ms > 0 ? ms : undefined;
}
