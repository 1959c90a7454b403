/** A MISP feed directory: `manifest.json` names the events, each in `<uuid>.json` beside it. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { emptyBatch, type IntelBatch } from "./intel-model.ts";
import { isMispEvent, readMispEvent } from "./misp-reader.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function readMispFeed(dir: string): Promise<IntelBatch> {
  const batch = emptyBatch();
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as unknown;
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest))
    throw new Error("manifest.json must be an object keyed by event uuid");
  for (const uuid of Object.keys(manifest)) {
    // the manifest's keys become file names: only uuids, so none can reach outside the directory
    if (!UUID.test(uuid)) {
      batch.rejected.push({ ref: uuid, reason: "the manifest names an event whose key is not a uuid" });
      continue;
    }
    const event = await readEventFile(join(dir, `${uuid}.json`));
    if (typeof event === "string") batch.rejected.push({ ref: uuid, reason: event });
    else readMispEvent(event, batch);
  }
  return batch;
}

/** The event, or why it cannot be read. */
async function readEventFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    return `the event file cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
  try {
    const event = JSON.parse(text) as unknown;
    return isMispEvent(event) ? event : "the event file holds no Event";
  } catch (error) {
    return `the event file is not JSON: ${(error as Error).message}`;
  }
}
