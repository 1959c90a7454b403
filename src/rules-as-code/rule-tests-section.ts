/** A rule file's optional `tests`: `fires` and `does_not_fire`, each a list of events or an NDJSON file's path. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fail, ok, type Result } from "../lib/result.ts";
import type { Position, RuleTests, TestEvent } from "./repo-model.ts";
import type { SourceFile } from "./yaml-source.ts";

type Event = Record<string, unknown>;

const isEvent = (value: unknown): value is Event =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function ndjsonEvents(path: string): Result<TestEvent[]> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return fail(`cannot read ${path}: ${(error as Error).message}`);
  }
  const events: TestEvent[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    try {
      const event: unknown = JSON.parse(line);
      if (!isEvent(event)) return fail(`${path}:${index + 1}: an event must be a JSON object`);
      events.push({ event, at: { file: path, line: index + 1, column: 1 } });
    } catch (error) {
      return fail(`${path}:${index + 1}: ${(error as Error).message}`);
    }
  }
  return ok(events);
}

function eventList(raw: unknown, name: string, source: SourceFile, tests: Position): Result<TestEvent[]> {
  if (raw === undefined || raw === null) return ok([]);
  if (typeof raw === "string") return ndjsonEvents(join(dirname(tests.file), raw));
  if (Array.isArray(raw) && raw.every(isEvent))
    return ok(raw.map((event, i) => ({ event, at: source.at(["tests", name, i]) ?? tests })));
  return fail(`tests.${name} must be a list of event objects or the path of an NDJSON file`);
}

export function readTests(raw: unknown, source: SourceFile): Result<RuleTests> {
  const at = source.keyAt("tests");
  if (!isEvent(raw)) return fail("tests must be an object with fires and does_not_fire");
  const unknown = Object.keys(raw).filter((key) => key !== "fires" && key !== "does_not_fire");
  if (unknown.length > 0) return fail(`tests allows fires and does_not_fire; got also ${unknown.join(", ")}`);
  const fires = eventList(raw.fires, "fires", source, at);
  if (!fires.ok) return fires;
  const doesNotFire = eventList(raw.does_not_fire, "does_not_fire", source, at);
  if (!doesNotFire.ok) return doesNotFire;
  return ok({ fires: fires.value, doesNotFire: doesNotFire.value, at });
}
