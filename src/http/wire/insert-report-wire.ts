import type { FastifyReply } from "fastify";
import type { InsertOutcomes, InsertReport, ReportList } from "../../domain/items/insert-report.ts";
import { ITEMS_PER_TURN, nextTurn } from "../../lib/next-turn.ts";

/** Answers with more entries than this are written as text in turns; smaller ones go through the schema's serializer. */
export const LARGE_REPORT = 10_000;

const LISTS: readonly ReportList[] = ["added_objects", "updated_objects", "errors"];

/**
 * The JSON of a large insert answer, worded and written a slice of items at a time with a turn of
 * the event loop between slices: one JSON.stringify of 100,000 entries held every other request for
 * a fifth of a second. Each entry is `{id|index, status}`, as the InsertResponse schema has it,
 * worded from the outcomes a slice at a time: no list of 40,000 entry objects is held (issue 13).
 * The answer is bytes, each slice encoded as it is worded: as one string joined from the slices,
 * the compressor first measured its byte length, which flattened 3 MB of joined text (9 ms of a
 * 40,000-item insert), and then encoded it again.
 */
export async function insertReportJson(outcomes: InsertOutcomes): Promise<Buffer> {
  const slices: Record<ReportList, Buffer[]> = { added_objects: [], updated_objects: [], errors: [] };
  const word = outcomes.wording();
  for (;;) {
    // a slice's entries are objects only while it is written: one JSON.stringify of them beats a
    // template and a JSON.stringify per entry, and none outlives the slice
    const slice: Record<ReportList, object[]> = { added_objects: [], updated_objects: [], errors: [] };
    const more = word(ITEMS_PER_TURN, (list, key, status) => {
      slice[list].push(list === "errors" ? { index: key, status } : { id: key, status });
    });
    for (const list of LISTS)
      if (slice[list].length > 0) slices[list].push(Buffer.from(JSON.stringify(slice[list]).slice(1, -1)));
    if (!more) break;
    await nextTurn();
  }
  return joined(slices);
}

const COMMA = Buffer.from(",");

/** `{"added_objects":[…],"updated_objects":[…],"errors":[…]}` from each list's encoded slices. */
function joined(slices: Record<ReportList, Buffer[]>): Buffer {
  const parts: Buffer[] = [];
  LISTS.forEach((list, i) => {
    parts.push(Buffer.from(`${i === 0 ? "{" : "],"}"${list}":[`));
    slices[list].forEach((slice, j) => {
      if (j > 0) parts.push(COMMA);
      parts.push(slice);
    });
  });
  parts.push(Buffer.from("]}"));
  return Buffer.concat(parts);
}

/**
 * An insert's answer: a small one as a report through the schema's serializer, a large one as
 * JSON bytes written in turns beforehand (the reply's serializer only hands them over; the
 * outcomes go through the hooks, where the refusal audit reads them).
 */
export async function answerInsert(
  outcomes: InsertOutcomes,
  reply: FastifyReply,
): Promise<InsertReport | FastifyReply> {
  // each item lands in exactly one list, so the answer has as many entries as there were items
  if (outcomes.itemCount <= LARGE_REPORT) return outcomes.report();
  const json = await insertReportJson(outcomes);
  // Fastify sends a serializer's Buffer as it sends a string; its types allow only strings
  const handOver = (() => json) as unknown as (payload: unknown) => string;
  return reply.type("application/json; charset=utf-8").serializer(handOver).send(outcomes);
}
