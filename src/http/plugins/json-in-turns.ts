import type { FastifyInstance, FastifyRequest } from "fastify";
import { arrayCuts } from "../../lib/json-array-cuts.ts";
import { ITEMS_PER_TURN, nextTurn } from "../../lib/next-turn.ts";

/** Bodies up to this size are parsed in one go; one JSON.parse of 8 MiB is about 100 ms here. */
export const LARGE_BODY_BYTES = 8 * 1024 * 1024;

type Parse = (text: string) => Promise<unknown>;

/**
 * JSON bodies as Fastify parses them (prototype-poisoning keys refused), except that a large
 * one's `request_data` array is parsed a slice of items at a time with event-loop turns between:
 * one JSON.parse of a 100,000-item insert held health checks for 0.4 s (issue 18, item 8).
 * Anything the cutter cannot follow is parsed whole, so errors read as before.
 */
export function installJsonInTurns(app: FastifyInstance, contentType: string | string[] = "application/json"): void {
  const plain = app.getDefaultJsonParser("error", "error");
  const parseWith =
    (request: FastifyRequest): Parse =>
    (text) =>
      new Promise((resolve, reject) =>
        plain(request, text, (error, value) => (error ? reject(error) : resolve(value))),
      );
  app.removeContentTypeParser(contentType);
  app.addContentTypeParser(
    contentType,
    { parseAs: "string" },
    async (request: FastifyRequest, body: string | Buffer) => {
      const text = body.toString();
      const parse = parseWith(request);
      if (text.length <= LARGE_BODY_BYTES) return parse(text);
      return (await parseInTurns(text, parse)) ?? parse(text);
    },
  );
}

/** The body parsed slice by slice; undefined when the cutter could not follow it. */
export async function parseInTurns(text: string, parse: Parse): Promise<unknown> {
  const scan = arrayCuts(text, "request_data");
  let step = scan.next();
  while (!step.done) {
    await nextTurn();
    step = scan.next();
  }
  const cuts = step.value;
  if (!cuts) return undefined;
  const outer = (await parse(`${text.slice(0, cuts.open)}[]${text.slice(cuts.close + 1)}`)) as Record<string, unknown>;
  const items: unknown[] = [];
  for (let from = 0; from < cuts.elements.length; from += ITEMS_PER_TURN) {
    await nextTurn();
    const group = cuts.elements.slice(from, from + ITEMS_PER_TURN);
    const [first] = group;
    const last = group[group.length - 1];
    if (!first || !last) break;
    for (const item of (await parse(`[${text.slice(first[0], last[1])}]`)) as unknown[]) items.push(item);
  }
  outer.request_data = items;
  return outer;
}
