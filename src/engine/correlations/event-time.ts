/**
 * When an event happened: its `_time` (xdr_data's timestamp), else `event_timestamp`, as epoch
 * milliseconds, epoch seconds or ISO-8601; else when it arrived. Aggregation windows count by it.
 */
function asMs(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return asMs(Number(value));
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

export function eventTime(event: Record<string, unknown>, arrived: number): number {
  return Math.floor(asMs(event._time) ?? asMs(event.event_timestamp) ?? arrived);
}
