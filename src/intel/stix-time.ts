/** STIX 2.1 timestamps (section 3.2): RFC 3339 in UTC with a `Z`, fractions of a second optional. */

const STIX_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Epoch milliseconds, or undefined when the text is not a STIX timestamp. */
export function parseStixTime(value: unknown): number | undefined {
  if (typeof value !== "string" || !STIX_TIMESTAMP.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Millisecond precision, as STIX requires of `created` and `modified`. */
export function stixTime(ms: number): string {
  return new Date(ms).toISOString();
}
