/** Matching on worker threads gives exactly the linear matcher's hits, event for event, on random rules and events. */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { LinearMatcher } from "../engine/linear-matcher.ts";
import { eventArb, ruleSetArb } from "../engine/matcher-arbitraries.ts";
import type { RuleHit } from "../engine/rule-hit.ts";
import { iocColumnsBuilder, type RuleSnapshot } from "../engine/rule-snapshot.ts";
import { combine } from "./event-matching.ts";
import { ndjsonPieces, valuePieces } from "./event-pieces.ts";
import { MatchOverrun, MatchPool } from "./match-pool.ts";

const NOW = 1_800_000_000_000;

describe("the match pool", () => {
  const pool = new MatchPool(2, 60_000);
  after(() => pool.close());
  let version = 0;

  it("gives the oracle's hits on random rules and events, whatever the pieces", async () => {
    await fc.assert(
      fc.asyncProperty(
        ruleSetArb,
        fc.array(fc.oneof({ weight: 9, arbitrary: eventArb }, { weight: 1, arbitrary: fc.constant("not json") }), {
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 400 }),
        async ({ iocs, biocs }, lines, pieceChars) => {
          const columns = iocColumnsBuilder();
          for (const rule of iocs) columns.add(rule);
          const rules: RuleSnapshot = { tenantId: 1, version: ++version, iocs: columns.finish(), biocs };
          const text = lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n");
          const run = (input: ReturnType<typeof ndjsonPieces>[number]) =>
            pool.run({ tenantId: 1, version, now: NOW, input, withEventText: true }, rules);
          const result = combine(await Promise.all(ndjsonPieces(text, pieceChars).map(run)));
          const oracle = new LinearMatcher(iocs, biocs);
          const expected = new Map<number, RuleHit[]>();
          lines.forEach((line, i) => {
            if (typeof line === "string") return;
            const hits = oracle.match(line, NOW);
            if (hits.length > 0) expected.set(i + 1, hits);
          });
          assert.deepEqual(new Map(result.matched.map((m) => [m.line, m.hits])), expected);
          assert.deepEqual(
            result.malformed.map((m) => m.line),
            lines.flatMap((line, i) => (typeof line === "string" ? [i + 1] : [])),
          );
          for (const m of result.matched) assert.equal(m.text, JSON.stringify(lines[m.line - 1]));
          const asValues = combine(await Promise.all(valuePieces(lines, 7).map(run)));
          assert.deepEqual(
            asValues.matched.map((m) => m.hits),
            result.matched.map((m) => m.hits),
          );
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it("runs a job that waited behind one past the time budget on a fresh worker, and fails only the slow one", async () => {
    // One worker, so the second job is handed to it while it runs the first.
    const single = new MatchPool(1, 200);
    after(() => single.close());
    const costly = {
      ruleId: 1,
      name: "costly",
      severity: "SEV_030_MEDIUM" as const,
      tree: {
        investigationType: "PROCESS_EXECUTION_EVENT",
        investigation: {
          PROCESS_EXECUTION_EVENT: {
            filter: {
              SEARCH_FIELD: "f0",
              SEARCH_TYPE: "REGEX" as const,
              SEARCH_VALUE: "(.*a){100}",
              EXTRA_FIELDS: ["f1", "f2", "f3", "f4", "f5", "f6", "f7"],
            },
          },
        },
      },
    };
    const rules: RuleSnapshot = { tenantId: 1, version: 1, iocs: iocColumnsBuilder().finish(), biocs: [costly] };
    const job = (text: string) => ({
      tenantId: 1,
      version: 1,
      now: NOW,
      input: { text, firstLine: 1 },
      withEventText: false,
    });
    // Rules built first, so the budget covers only the matching.
    assert.equal((await single.run(job("{}"), rules)).events, 1);
    const big = "b".repeat(60_000);
    // As test/ingest-workers.test.ts: RE2 is linear, but 8 fields of 60,000 characters times this program is costly.
    const slow = JSON.stringify({
      event_type: "PROCESS",
      ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, big])),
    });
    // Forty such lines: seconds of matching even on a fast machine, so the budget, not a race with
    // the worker finishing first, decides (one line alone takes about as long as the budget).
    const slowLines = Array(40).fill(slow).join("\n");
    const [first, second] = await Promise.allSettled([
      single.run(job(slowLines), rules),
      single.run(job('{"event_type":"PROCESS","f0":"a"}'), rules),
    ]);
    assert.ok(first.status === "rejected" && first.reason instanceof MatchOverrun, String(first.status));
    assert.equal(second.status === "fulfilled" && second.value.events, 1);
  });
});
