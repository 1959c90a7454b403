/**
 * How deep JSON nests, measured without recursion: code that walks a parsed body recursively
 * (serialisers, validators, the rule checks) overflows its stack on a body nested thousands deep,
 * so the edge refuses those before anything walks them.
 */
import { nextTurn } from "./next-turn.ts";

/** Deeper bodies are refused. A BIOC filter tree at its cap (depth 32) nests about 70 deep. */
export const MAX_JSON_DEPTH = 128;

/** True when a parsed JSON value holds arrays or objects more than `max` deep. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const walk = depthWalk(value, max, Number.POSITIVE_INFINITY);
  for (;;) {
    const step = walk.next();
    if (step.done) return step.value;
  }
}

/** Containers looked into between two turns of the event loop: a few milliseconds of work. */
const CONTAINERS_PER_TURN = 20_000;

/**
 * The same, letting the event loop answer other requests every CONTAINERS_PER_TURN containers:
 * a 100,000-item body is walked in pieces rather than in one stretch (issue 18, item 8).
 */
export async function nestedDeeperThanInTurns(value: unknown, max: number): Promise<boolean> {
  const walk = depthWalk(value, max, CONTAINERS_PER_TURN);
  for (;;) {
    const step = walk.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}

/** The walk itself, pausing (yield) after every `every` containers. */
function* depthWalk(value: unknown, max: number, every: number): Generator<void, boolean> {
  // Two parallel stacks of containers only: a bulk body holds hundreds of thousands of values,
  // and pushing only what can nest keeps this well under the cost of parsing it.
  const items: object[] = [];
  const depths: number[] = [];
  if (typeof value === "object" && value !== null) {
    items.push(value);
    depths.push(1);
  }
  let looked = 0;
  while (items.length > 0) {
    if (++looked % every === 0) yield;
    const item = items.pop() as object;
    const depth = depths.pop() as number;
    if (depth > max) return true;
    if (Array.isArray(item)) {
      for (const child of item)
        if (typeof child === "object" && child !== null) {
          items.push(child);
          depths.push(depth + 1);
        }
      continue;
    }
    for (const key in item) {
      const child = (item as Record<string, unknown>)[key];
      if (typeof child === "object" && child !== null) {
        items.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The same for JSON text (one value, or one a line), read once without parsing it. */
export function textNestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > max) return true;
    } else if ((c === CLOSE_BRACKET || c === CLOSE_BRACE) && depth > 0) depth--;
  }
  return false;
}

/**
 * textNestedDeeperThan for one line of NDJSON: a line with no bracket and no brace after its first
 * character nests one level at most, and is not walked (nearly every line of a feed file is one
 * flat object; walking each was ~45% of reading a sync_tim_iocs file, issue 13).
 */
export function lineNestedDeeperThan(line: string, max: number): boolean {
  if (max >= 1 && line.indexOf("{", 1) === -1 && line.indexOf("[") === -1) return false;
  return textNestedDeeperThan(line, max);
}

export const tooDeepMessage = (max: number) => `the body is nested deeper than ${max} levels`;
