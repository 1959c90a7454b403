/**
 * Which reader a document needs: a directory is a MISP feed; JSON is a STIX bundle (or TAXII
 * envelope), a MISP event, or a MISP search answer holding events; anything else is CSV.
 */
import { readFile, stat } from "node:fs/promises";
import { fail, ok, type Result } from "../lib/result.ts";
import { type CsvMapping, readCsv } from "./csv-reader.ts";
import { emptyBatch, type IntelBatch, type IntelFormat } from "./intel-model.ts";
import { readMispFeed } from "./misp-feed.ts";
import { isMispEvent, readMispEvent } from "./misp-reader.ts";
import { isStixDocument, readStix } from "./stix-reader.ts";

/** A parsed JSON document: STIX or MISP, whichever it is. */
export function readIntelJson(doc: unknown): Result<IntelBatch & { format: IntelFormat }> {
  if (isStixDocument(doc)) return ok({ format: "stix", ...readStix(doc) });
  if (isMispEvent(doc)) return ok({ format: "misp", ...readMispEvent(doc) });
  const events = mispEvents(doc);
  if (events) {
    const batch = emptyBatch();
    for (const event of events) readMispEvent(event, batch);
    return ok({ format: "misp", ...batch });
  }
  return fail("the JSON is neither a STIX 2.1 bundle nor a MISP event");
}

/** `[{"Event":...}]` or `{"response": [{"Event":...}]}` (what MISP's search answers). */
function mispEvents(doc: unknown): unknown[] | undefined {
  const list = Array.isArray(doc) ? doc : (doc as { response?: unknown } | null)?.response;
  return Array.isArray(list) && list.length > 0 && list.every(isMispEvent) ? list : undefined;
}

/** Text as read from a file or a request: JSON when it parses as JSON, CSV otherwise. */
export function readIntelText(text: string, mapping: CsvMapping = {}): Result<IntelBatch & { format: IntelFormat }> {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      return fail(`the file is not valid JSON: ${(error as Error).message}`);
    }
    return readIntelJson(doc);
  }
  const csv = readCsv(text, mapping);
  return csv.ok ? ok({ format: "csv", ...csv.value }) : csv;
}

export async function readIntelPath(
  path: string,
  mapping: CsvMapping = {},
): Promise<Result<IntelBatch & { format: IntelFormat }>> {
  if ((await stat(path)).isDirectory()) {
    try {
      return ok({ format: "misp", ...(await readMispFeed(path)) });
    } catch (error) {
      return fail(`${path} is not a MISP feed: ${(error as Error).message}`);
    }
  }
  return readIntelText(await readFile(path, "utf8"), mapping);
}
