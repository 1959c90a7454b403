/**
 * The events of an ingest body, parsed once more on this thread for the correlation rules (the
 * matcher parses its own copy on worker threads). Only done when the tenant has correlation rules.
 * Lines that are not JSON objects are skipped here: the matcher already reports them.
 */
import type { EndpointEvent } from "../event-model.ts";

const isEvent = (value: unknown): value is EndpointEvent =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function eventsOfBody(body: string): EndpointEvent[] {
  if (body.trimStart().startsWith("[")) {
    try {
      const value: unknown = JSON.parse(body);
      return (Array.isArray(value) ? value : [value]).filter(isEvent);
    } catch {
      return [];
    }
  }
  const events: EndpointEvent[] = [];
  for (const line of body.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isEvent(value)) events.push(value);
    } catch {
      // reported by the matcher as a malformed line
    }
  }
  return events;
}
