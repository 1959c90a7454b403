/** A rule file's optional `tests`: `fires` and `does_not_fire`, each a list of events or an NDJSON file's path. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fail, ok, type Result } from "../lib/result.ts";
import type { Position, RuleTests } from "./repo-model.ts";

type Event = Record<string, unknown>;

const isEvent = (value: unknown): value is Event =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function ndjsonEvents(path: string): Result<Event[]> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return fail(`cannot read ${path}: ${(error as Error).message}`);
  }
  const events: Event[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    try {
      const event: unknown = JSON.parse(line);
      if (!isEvent(event)) return fail(`${path}:${index + 1}: an event must be a JSON object`);
      events.push(event);
    } catch (error) {
      return fail(`${path}:${index + 1}: ${(error as Error).message}`);
    }
  }
  return ok(events);
}

function eventList(raw: unknown, name: string, ruleFile: string): Result<Event[]> {
  if (raw === undefined || raw === null) return ok([]);
  if (typeof raw === "string") return ndjsonEvents(join(dirname(ruleFile), raw));
  if (Array.isArray(raw) && raw.every(isEvent)) return ok(raw);
  return fail(`tests.${name} must be a list of event objects or the path of an NDJSON file`);
}

export function readTests(raw: unknown, at: Position): Result<RuleTests> {
  if (!isEvent(raw)) return fail("tests must be an object with fires and does_not_fire");
  const unknown = Object.keys(raw).filter((key) => key !== "fires" && key !== "does_not_fire");
  if (unknown.length > 0) return fail(`tests allows fires and does_not_fire; got also ${unknown.join(", ")}`);
  const fires = eventList(raw.fires, "fires", at.file);
  if (!fires.ok) return fires;
  const doesNotFire = eventList(raw.does_not_fire, "does_not_fire", at.file);
  if (!doesNotFire.ok) return doesNotFire;
  return ok({ fires: fires.value, doesNotFire: doesNotFire.value, at });
}
