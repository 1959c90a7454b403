import type { InsertReport } from "../../domain/items/insert-report.ts";
import { ITEMS_PER_TURN, nextTurn } from "../../lib/next-turn.ts";

/** Answers with more entries than this are written as text in turns; smaller ones go through the schema's serializer. */
export const LARGE_REPORT = 10_000;

/**
 * The JSON of a large insert answer, written a slice at a time with a turn of the event loop
 * between slices: one JSON.stringify of 100,000 entries held every other request for a fifth of
 * a second. Each entry is `{id|index, status}`, as the InsertResponse schema has it.
 */
export async function insertReportJson(report: InsertReport): Promise<string> {
  const parts: string[] = [];
  for (const name of ["added_objects", "updated_objects", "errors"] as const) {
    const list: readonly object[] = report[name];
    const slices: string[] = [];
    for (let from = 0; from < list.length; from += ITEMS_PER_TURN) {
      if (from > 0) await nextTurn();
      slices.push(JSON.stringify(list.slice(from, from + ITEMS_PER_TURN)).slice(1, -1));
    }
    parts.push(`"${name}":[${slices.join(",")}]`);
  }
  return `{${parts.join(",")}}`;
}

export function reportEntries(report: InsertReport): number {
  return report.added_objects.length + report.updated_objects.length + report.errors.length;
}
