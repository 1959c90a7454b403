/**
 * XQL: queries parsed per second (typical BIOC queries), and events per second through the
 * engine with 1,000 XQL BIOCs loaded (90% with an equality the engine indexes, 10% tried on every
 * event of their type), on one core. Targets (issue #5): >= 20,000 queries/s, >= 50,000 events/s.
 *
 *   node --import tsx bench/xql.ts [--rules 1000] [--events 500000]
 */
import { parseArgs } from "node:util";
import { checkBiocQuery } from "../src/domain/xql/xql-bioc.ts";
import { parseXql } from "../src/domain/xql/xql-parser.ts";
import type { BiocEntry } from "../src/engine/bioc-index.ts";
import { CompiledMatcher } from "../src/engine/compiled-matcher.ts";
import { eventBatches } from "./engine-data.ts";

const { values } = parseArgs({
  options: { rules: { type: "string", default: "1000" }, events: { type: "string", default: "500000" } },
});
const RULES = Number(values.rules);
const EVENTS = Number(values.events);
const TYPES = ["PROCESS", "FILE", "NETWORK", "REGISTRY"];

/** BIOC-style queries shaped like the synthetic tree rules of bench/engine.ts. */
function query(i: number): string {
  const type = TYPES[i % TYPES.length];
  if (i % 10 === 0) {
    return `dataset = xdr_data | filter event_type = ENUM.${type} and (action_process_image_command_line contains "-payload${i}" or action_file_name = "*.stage${i}")`;
  }
  return (
    `dataset = xdr_data\n| filter event_type = ENUM.${type} and action_process_image_name = "tool${i}.exe"\n` +
    `| alter cmd = lowercase(action_process_image_command_line)\n| filter cmd contains "-enc" or action_file_path ~= "\\\\\\\\temp\\\\\\\\"`
  );
}

function main(): void {
  const queries = Array.from({ length: RULES }, (_, i) => query(i));
  let parsed = 0;
  const parseStarted = performance.now();
  while (performance.now() - parseStarted < 2000) {
    for (const q of queries) parseXql(q);
    parsed += queries.length;
  }
  const parseMs = performance.now() - parseStarted;

  const entries: BiocEntry[] = queries.map((q, i) => {
    const plan = checkBiocQuery(q);
    if (!plan.ok) throw new Error(`rule ${i}: ${JSON.stringify(plan.error)}`);
    return { ruleId: i + 1, name: `xql ${i}`, severity: "SEV_030_MEDIUM", xql: plan.value };
  });
  const buildStarted = performance.now();
  const matcher = CompiledMatcher.build([], entries);
  const buildMs = performance.now() - buildStarted;

  const lines = [...eventBatches(Math.min(EVENTS, 100_000), 1_000_000, RULES)].flat();
  let hits = 0;
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++) hits += matcher.match(JSON.parse(lines[i % lines.length] as string), 0).length;
  const matchMs = performance.now() - started;

  console.log(
    JSON.stringify(
      {
        queries_parsed_per_s: Math.round(parsed / (parseMs / 1000)),
        xql_bioc_rules: RULES,
        matcher_build_ms: Math.round(buildMs),
        events: EVENTS,
        events_per_s: Math.round(EVENTS / (matchMs / 1000)),
        hits,
      },
      null,
      2,
    ),
  );
}

main();
