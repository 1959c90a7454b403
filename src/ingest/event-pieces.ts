/**
 * Cuts a request body of events into pieces of about PIECE_CHARS for the workers: many small
 * pieces keep every core busy to the end of a request, and bound the work one time budget covers.
 */
import { type MalformedEvent, TOO_DEEP } from "../engine/event-input.ts";
import { MAX_JSON_DEPTH, textNestedDeeperThan } from "../lib/json-depth.ts";
import type { MatchInput } from "./match-job.ts";

/**
 * At most this many characters (or bytes) a piece, unless one line is longer. V8 allocates a
 * string over 128 KiB in its large-object space: decoding a 128 KiB piece there cost three times
 * what a 120 KiB one did (0.65 against 0.21 µs an event), and every such string counts towards
 * the next full collection of a worker's heap, which holds a million-rule matcher.
 */
export const PIECE_CHARS = 112 * 1024;
const PIECE_EVENTS = 500;

/** Where a piece starting at `start` ends: its last line break within `pieceChars`, else the first after. */
function pieceEnd(text: string, start: number, pieceChars: number): number {
  if (text.length - start <= pieceChars) return text.length;
  const last = text.lastIndexOf("\n", start + pieceChars);
  if (last >= start) return last;
  const next = text.indexOf("\n", start + pieceChars);
  return next === -1 ? text.length : next;
}

/** NDJSON text in pieces that end at a line break, each knowing its first line number. */
export function ndjsonPieces(text: string, pieceChars = PIECE_CHARS): MatchInput[] {
  const pieces: MatchInput[] = [];
  let start = 0;
  let firstLine = 1;
  while (start < text.length) {
    const end = pieceEnd(text, start, pieceChars);
    pieces.push({ text: text.slice(start, end), firstLine });
    for (let at = text.indexOf("\n", start); at !== -1 && at < end; at = text.indexOf("\n", at + 1)) firstLine++;
    firstLine++; // the break at `end` itself
    start = end + 1;
  }
  return pieces;
}

/** Values of a JSON array in pieces. */
export function valuePieces(values: readonly unknown[], pieceEvents = PIECE_EVENTS): MatchInput[] {
  const pieces: MatchInput[] = [];
  for (let at = 0; at < values.length; at += pieceEvents)
    pieces.push({ values: values.slice(at, at + pieceEvents), firstIndex: at });
  return pieces;
}

/**
 * A body of events: a JSON array, or NDJSON (one object a line, which also covers one bare
 * object). A body that starts as an array but is not valid JSON, or nests too deep, is one
 * malformed line.
 */
export function bodyPieces(body: string): MatchInput[] | MalformedEvent {
  if (!body.trimStart().startsWith("[")) return ndjsonPieces(body); // each line's depth is checked where it is parsed
  // Values cross to the workers by structured clone, which recurses: too deep a body must stop here.
  if (textNestedDeeperThan(body, MAX_JSON_DEPTH)) return { line: 1, error: TOO_DEEP };
  try {
    const value: unknown = JSON.parse(body);
    return valuePieces(Array.isArray(value) ? value : [value]);
  } catch (error) {
    return { line: 1, error: `not a valid JSON array: ${(error as Error).message}` };
  }
}
