/**
 * Events arrive as NDJSON (one object a line) or as one JSON array. A bad line is reported with
 * its number and the rest still counts; a line over the size cap is refused without parsing.
 */
import { MAX_JSON_DEPTH, nestedDeeperThan } from "../lib/json-depth.ts";
import type { EndpointEvent } from "./event-model.ts";

export interface NumberedEvent {
  /** 1-based line (NDJSON) or position (JSON array). */
  line: number;
  event: EndpointEvent;
}

export interface MalformedEvent {
  line: number;
  error: string;
}

export interface ParsedEvents {
  events: NumberedEvent[];
  malformed: MalformedEvent[];
}

/** Events over 1 MiB are not endpoint events; refusing them bounds what one line can cost. */
export const MAX_EVENT_BYTES = 1024 * 1024;

export const NOT_AN_OBJECT = "an event must be a JSON object";

/** A line nesting deeper than MAX_JSON_DEPTH: ingest refuses its whole body (as every other body that deep). */
export const TOO_DEEP = `nested deeper than ${MAX_JSON_DEPTH} levels`;

/**
 * Whether a parsed line nests too deep to walk. Nearly every event is one flat object, which a
 * line with no other brace or bracket must be; only the others are walked.
 */
function tooDeep(text: string, value: object): boolean {
  if (text.indexOf("{", 1) === -1 && text.indexOf("[") === -1) return false;
  return nestedDeeperThan(value, MAX_JSON_DEPTH);
}

export function isEvent(value: unknown): value is EndpointEvent {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses one line; undefined for a blank one. */
export function parseEventLine(
  text: string,
  line: number,
  maxBytes = MAX_EVENT_BYTES,
): NumberedEvent | MalformedEvent | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (trimmed.length > maxBytes)
    return { line, error: `line is ${trimmed.length} characters long; at most ${maxBytes} are read` };
  try {
    const value: unknown = JSON.parse(trimmed);
    if (!isEvent(value)) return { line, error: NOT_AN_OBJECT };
    return tooDeep(trimmed, value) ? { line, error: TOO_DEEP } : { line, event: value };
  } catch (error) {
    return { line, error: `not valid JSON: ${(error as Error).message}` };
  }
}

function fromArray(values: readonly unknown[]): ParsedEvents {
  const parsed: ParsedEvents = { events: [], malformed: [] };
  values.forEach((value, index) => {
    if (isEvent(value)) parsed.events.push({ line: index + 1, event: value });
    else parsed.malformed.push({ line: index + 1, error: NOT_AN_OBJECT });
  });
  return parsed;
}

/** Reads a request body of events: a JSON array, a single object, or NDJSON. */
export function parseEvents(text: string, maxBytes = MAX_EVENT_BYTES): ParsedEvents {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (Array.isArray(value)) return fromArray(value);
    } catch (error) {
      return { events: [], malformed: [{ line: 1, error: `not a valid JSON array: ${(error as Error).message}` }] };
    }
  }
  const parsed: ParsedEvents = { events: [], malformed: [] };
  let line = 0;
  for (const raw of text.split("\n")) {
    const result = parseEventLine(raw, ++line, maxBytes);
    if (!result) continue;
    if ("event" in result) parsed.events.push(result);
    else parsed.malformed.push(result);
  }
  return parsed;
}
