/**
 * The generated corpus (scripts/generate-xql-corpus.ts -> corpus/corpus.json): over 1,000 BIOC XQL
 * queries shaped like converted Sigma rules and vendor content, every one accepted by bioc/insert,
 * and through rules/evaluate each fires on every event built to fire it and on none built to miss it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";

interface Case {
  name: string;
  query: string;
  fire: Record<string, unknown>[];
  quiet: Record<string, unknown>[];
}

const CASES = JSON.parse(readFileSync(join(import.meta.dirname, "corpus", "corpus.json"), "utf8")) as Case[];
const CHUNK = 500;

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

describe("XQL corpus", () => {
  let t: TestApp;
  let key: TestKey;
  const ruleIds = new Map<string, number>();
  before(async () => {
    t = await startTestApp();
    key = await t.key("corpus");
  });
  after(async () => t.close());

  it(`has at least 1,000 queries (${CASES.length}), with trailing backslashes, quotes, regexes and enum forms`, () => {
    assert.ok(CASES.length >= 1000);
    const all = CASES.map((c) => c.query).join("\n");
    for (const shape of [/\\" (and|or)|\\"\)/, /\\"[^ )]/, /~= "/, /"""/, / in \(/, /not \(/, /= ENUM\./, /= \d+\)/])
      assert.match(all, shape);
  });

  it("accepts every query as a BIOC", async () => {
    for (const part of chunks(CASES, CHUNK)) {
      const items = part.map((c) => ({
        name: c.name,
        type: "EXECUTION",
        severity: "SEV_030_MEDIUM",
        is_xql: true,
        indicator: c.query,
      }));
      const res = await t.post("/public_api/v1/bioc/insert", { request_data: items }, key);
      const body = res.json() as { added_objects: { id: number }[]; errors: { index: number; status: string }[] };
      assert.deepEqual(
        body.errors.map((e) => `${part[e.index]?.query}: ${e.status}`),
        [],
      );
      for (const [i, c] of part.entries()) ruleIds.set(c.name, body.added_objects[i]?.id as number);
    }
  });

  it("fires each query exactly on the events built to fire it", async () => {
    const probes = CASES.flatMap((c) => [
      ...c.fire.map((event) => ({ rule: c.name, event, fires: true })),
      ...c.quiet.map((event) => ({ rule: c.name, event, fires: false })),
    ]);
    const wrong: string[] = [];
    for (const part of chunks(probes, 1000)) {
      const res = await t.post(
        "/public_api/v1/rules/evaluate",
        { request_data: { events: part.map((p) => p.event) } },
        key,
      );
      assert.equal(res.statusCode, 200, res.body);
      const hits = new Set(
        (res.json().reply.hits as { event_index: number; rule_id: number }[]).map(
          (h) => `${h.event_index}:${h.rule_id}`,
        ),
      );
      part.forEach((p, i) => {
        const fired = hits.has(`${i}:${ruleIds.get(p.rule)}`);
        if (fired !== p.fires) {
          const query = CASES.find((c) => c.name === p.rule)?.query;
          wrong.push(`${p.fires ? "missed" : "fired on"} ${JSON.stringify(p.event)}\n  ${query}`);
        }
      });
    }
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} wrong of ${probes.length}`);
  });
});
