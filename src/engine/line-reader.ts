import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

/** A line of a stream, or the note that it was too long to keep. */
export type StreamLine = { line: number; text: string } | { line: number; tooLong: number };

/**
 * Splits a byte stream into lines without ever holding more than `maxChars` of one line: the rest
 * of an over-long line is counted and dropped, so one bad line cannot exhaust memory.
 */
export async function* readLines(input: Readable, maxChars: number): AsyncGenerator<StreamLine> {
  const decoder = new StringDecoder("utf8");
  let partial = "";
  let dropped = 0;
  let line = 0;
  const take = (piece: string): void => {
    if (dropped > 0) dropped += piece.length;
    else if (partial.length + piece.length > maxChars) {
      dropped = partial.length + piece.length;
      partial = "";
    } else partial += piece;
  };
  const finish = (): StreamLine => {
    line += 1;
    const result: StreamLine = dropped > 0 ? { line, tooLong: dropped } : { line, text: partial };
    partial = "";
    dropped = 0;
    return result;
  };
  for await (const chunk of input) {
    const text = decoder.write(chunk as Buffer);
    let start = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
      take(text.slice(start, end));
      yield finish();
      start = end + 1;
    }
    take(text.slice(start));
  }
  take(decoder.end());
  if (partial !== "" || dropped > 0) yield finish();
}
