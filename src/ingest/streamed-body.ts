/**
 * A request body of events read as it arrives: NDJSON is cut into pieces at line breaks while the
 * rest is still on the wire, so the matching threads start on the first piece instead of waiting
 * for the whole body (and for the main thread to decode it and cut it). Each piece is copied, as
 * bytes, into shared memory (piece-blocks.ts): it reaches a worker without a copy and without
 * being decoded on the main thread, and stays readable if a job has to be run again elsewhere
 * (a transferred buffer would be gone).
 *
 * Anything but NDJSON (a JSON array, a body starting with a character other than ASCII white
 * space) is read whole and cut by bodyPieces, exactly as a string body is.
 */
import type { Readable } from "node:stream";
import { errorCodes } from "fastify";
import type { MalformedEvent } from "../engine/event-input.ts";
import { bodyPieces, PIECE_CHARS } from "./event-pieces.ts";
import type { MatchInput } from "./match-job.ts";
import type { PieceBlocks } from "./piece-blocks.ts";

/** Takes a piece; answers a promise that settles when nothing will read the piece again (it is never rejected). */
export type PieceTaker = (piece: MatchInput) => Promise<unknown>;

/** A piece's largest size unless one line is longer (why: event-pieces.ts). */
const PIECE_BYTES = PIECE_CHARS;
const NEWLINE = 0x0a;
const OPEN_BRACKET = 0x5b;

/** What a body turned out to be, known from its first byte that is not ASCII white space. */
type Shape = "unknown" | "ndjson" | "whole";

function isAsciiSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/** The first byte that is not ASCII white space, or -1. */
function firstNonSpace(chunk: Buffer): number {
  for (let i = 0; i < chunk.length; i++) if (!isAsciiSpace(chunk[i] as number)) return chunk[i] as number;
  return -1;
}

function countLines(bytes: Uint8Array): number {
  let count = 0;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = buffer.indexOf(NEWLINE); at !== -1; at = buffer.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/** Gathers chunks and hands out pieces that end at a line break, each with its first line number. */
class NdjsonCutter {
  /** Chunks not yet handed out; they start at a line's start. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private nextLine = 1;

  constructor(
    private readonly each: PieceTaker,
    private readonly blocks: PieceBlocks,
  ) {}

  add(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    while (this.heldBytes > PIECE_BYTES) {
      const cut = this.lastBreakWithin(PIECE_BYTES) ?? this.firstBreakAfter(PIECE_BYTES);
      if (cut === undefined) return; // a line longer than a piece: wait for its end
      this.emit(cut);
    }
  }

  finish(): void {
    if (this.heldBytes > 0 || this.nextLine === 1) this.emit(this.heldBytes);
  }

  /** Offset (in what is held) of the last line break before `limit`. */
  private lastBreakWithin(limit: number): number | undefined {
    let end = 0;
    const ends = this.held.map((chunk) => (end += chunk.length));
    for (let i = this.held.length - 1; i >= 0; i--) {
      const chunk = this.held[i] as Buffer;
      const from = (ends[i] as number) - chunk.length;
      if (from >= limit) continue;
      const at = chunk.lastIndexOf(NEWLINE, limit - 1 - from);
      if (at !== -1) return from + at;
    }
    return undefined;
  }

  /** Offset of the first line break at or after `from` (a line longer than a piece). */
  private firstBreakAfter(from: number): number | undefined {
    let start = 0;
    for (const chunk of this.held) {
      const at = from > start ? chunk.indexOf(NEWLINE, from - start) : chunk.indexOf(NEWLINE);
      if (at !== -1 && start + at >= from) return start + at;
      start += chunk.length;
    }
    return undefined;
  }

  /** The first `size` held bytes as one piece, copied into shared memory; the break after them is dropped. */
  private emit(size: number): void {
    const parts: Buffer[] = [];
    let taken = 0;
    while (taken < size) {
      const chunk = this.held.shift() as Buffer;
      const part = taken + chunk.length <= size ? chunk : chunk.subarray(0, size - taken);
      parts.push(part);
      taken += part.length;
      if (part !== chunk) this.held.unshift(chunk.subarray(part.length));
    }
    const rest = this.held[0];
    if (size < this.heldBytes && rest) this.held[0] = rest.subarray(1); // the line break the piece was cut at
    if (this.held[0]?.length === 0) this.held.shift();
    this.heldBytes -= Math.min(this.heldBytes, size + 1);
    const memory = this.blocks.copy(parts, size);
    const firstLine = this.nextLine;
    this.nextLine += countLines(memory.bytes) + 1; // and the break the piece was cut at
    void this.each({ bytes: memory.bytes, firstLine }).finally(memory.release);
  }
}

export class StreamedEvents {
  constructor(
    private readonly payload: Readable,
    private readonly limitBytes: number,
    /** The content-length header, when the client sent one. */
    private readonly declaredBytes: number | undefined,
    private readonly blocks: PieceBlocks,
  ) {}

  /** A compressed body's bytes as sent (a decompressing preParsing stream counts them; 0 otherwise), as Fastify checks them. */
  private encodedBytes(): number {
    return (this.payload as { receivedEncodedLength?: number }).receivedEncodedLength ?? 0;
  }

  /**
   * Reads the body to its end, handing each piece to `each` as soon as it is cut; answers a
   * malformed body's one error as bodyPieces does. Rejects with Fastify's own errors for a body
   * over the limit (413), one shorter or longer than its content-length, or a broken stream (400).
   */
  async read(each: PieceTaker): Promise<MalformedEvent | undefined> {
    let shape: Shape = "unknown";
    const whole: Buffer[] = [];
    const cutter = new NdjsonCutter(each, this.blocks);
    let received = 0;
    try {
      for await (const data of this.payload) {
        const chunk = typeof data === "string" ? Buffer.from(data) : (data as Buffer);
        received += chunk.length;
        if (received > this.limitBytes || this.encodedBytes() > this.limitBytes)
          throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
        if (shape === "unknown") {
          const first = firstNonSpace(chunk);
          if (first !== -1) shape = first === OPEN_BRACKET || first >= 0x80 ? "whole" : "ndjson";
          if (shape === "ndjson") for (const held of whole.splice(0)) cutter.add(held);
        }
        if (shape === "ndjson") cutter.add(chunk);
        else whole.push(chunk);
      }
    } catch (error) {
      const failure = error as { statusCode?: number };
      if (!(typeof failure.statusCode === "number" && failure.statusCode >= 400)) failure.statusCode = 400;
      throw error;
    }
    if (this.declaredBytes !== undefined && (this.encodedBytes() || received) !== this.declaredBytes)
      throw new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH();
    if (shape === "ndjson") {
      cutter.finish();
      return undefined;
    }
    const pieces = bodyPieces(Buffer.concat(whole, received).toString("utf8"));
    if (!Array.isArray(pieces)) return pieces;
    for (const piece of pieces) void each(piece);
    return undefined;
  }
}
