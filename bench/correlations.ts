/**
 * Correlation rules: N rules (70% REAL_TIME filters, 30% SCHEDULED `comp ... by user`) over M
 * NDJSON events, on one core.
 *
 * 1. engine: the lines parsed (as ingest parses them for correlation rules), grouped by event
 *    type, REAL_TIME rules matched and SCHEDULED states folded, states serialised as the store
 *    would take them; against a pass that only JSON.parses the same lines. Heap kept per group state.
 * 2. store (--store-events): the same through CorrelationEngine.ingest on a real SQLite file
 *    (partials written), then one scheduled tick of every SCHEDULED rule.
 *
 *   node --expose-gc --import tsx bench/correlations.ts [--rules 1000] [--events 1000000] [--store-events 200000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { CorrelationDefinition, CorrelationRule } from "../src/domain/correlations/correlation-model.ts";
import { runPerEvent } from "../src/domain/correlations/correlation-plan.ts";
import { accumulate, type GroupState, toPartials } from "../src/engine/correlations/aggregation.ts";
import { type CompiledCorrelation, compileCorrelation } from "../src/engine/correlations/compiled-correlation.ts";
import { CorrelationEngine } from "../src/engine/correlations/correlation-engine.ts";
import { CorrelationIndex, pick } from "../src/engine/correlations/correlation-index.ts";
import { ManualClock } from "../src/lib/clock.ts";
import { openSqliteStore } from "../src/storage/sqlite/sqlite-store.ts";
import { BENCH_ACTOR, seededRandom } from "./lib.ts";

const { values } = parseArgs({
  options: {
    rules: { type: "string", default: "1000" },
    events: { type: "string", default: "1000000" },
    "store-events": { type: "string", default: "200000" },
  },
});
const RULES = Number(values.rules);
const EVENTS = Number(values.events);
const STORE_EVENTS = Number(values["store-events"]);
const BATCH = 10_000;
const START = Date.UTC(2026, 11, 1, 12, 0, 0);
const TYPES = ["PROCESS", "FILE", "NETWORK", "REGISTRY", "LOGIN", "EVENT_LOG"];

function definition(i: number): CorrelationDefinition {
  const scheduled = i % 10 >= 7;
  const type = scheduled ? "LOGIN" : TYPES[i % 4];
  const xql = scheduled
    ? `dataset = xdr_data | filter event_type = ENUM.${type} and action_login_status = 1 and agent_hostname = "host${i % 200}" | comp count() as failures, count_distinct(action_remote_ip) as ips by actor_effective_username | filter failures > 20`
    : `dataset = xdr_data | filter event_type = ENUM.${type} and action_process_image_name = "tool${i}.exe" | alter cmd = lowercase(action_process_image_command_line) | filter cmd contains "-enc"`;
  return {
    name: `rule ${i}`,
    severity: "SEV_030_MEDIUM",
    user_defined_severity: null,
    xql_query: xql,
    is_enabled: true,
    description: null,
    alert_name: "hit on $actor_effective_username",
    alert_category: "OTHER",
    alert_type: null,
    alert_description: null,
    alert_domain: null,
    alert_fields: {},
    execution_mode: scheduled ? "SCHEDULED" : "REAL_TIME",
    search_window: scheduled ? "10 minutes" : null,
    simple_schedule: scheduled ? "10 minutes" : null,
    timezone: null,
    crontab: null,
    suppression_enabled: false,
    suppression_duration: null,
    suppression_fields: null,
    dataset: "alerts",
    user_defined_category: null,
    mitre_defs: {},
    investigation_query_link: null,
    drilldown_query_timeframe: null,
    mapping_strategy: null,
    action: null,
    lookup_mapping: [],
  };
}

/** NDJSON lines: six event types, 10,000 users on 200 hosts, a rule's tool in ~1% of process events. */
function eventLines(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const type = TYPES[Math.floor(random() * TYPES.length)] as string;
    const event: Record<string, unknown> = {
      event_type: type,
      _time: START + Math.floor((i / count) * 600_000),
      agent_hostname: `host${Math.floor(random() * 200)}`,
      actor_effective_username: `user${Math.floor(random() * 10_000)}`,
      action_remote_ip: `10.0.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`,
    };
    if (type === "LOGIN") event.action_login_status = random() < 0.5 ? 1 : 0;
    else {
      event.action_process_image_name = random() < 0.01 ? `tool${Math.floor(random() * RULES)}.exe` : "svchost.exe";
      event.action_process_image_command_line = random() < 0.5 ? "powershell -enc AAAA" : "svchost -k netsvcs";
    }
    return JSON.stringify(event);
  });
}

function rules(): CorrelationRule[] {
  return Array.from({ length: RULES }, (_, i) => ({
    ruleId: i + 1,
    definition: definition(i),
    createdBy: "bench",
    insertTime: START,
    modifyTime: START,
    hits: 0,
  }));
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

function engineRun(lines: string[]) {
  const compiled = rules()
    .map(compileCorrelation)
    .filter((c): c is CompiledCorrelation => c !== undefined);
  const realTime = compiled.filter((c) => c.rule.definition.execution_mode === "REAL_TIME");
  const scheduled = compiled.filter((c) => c.rule.definition.execution_mode === "SCHEDULED");
  const realTimeIndex = new CorrelationIndex(realTime);
  const scheduledIndex = new CorrelationIndex(scheduled);
  const parseStarted = performance.now();
  for (const line of lines) JSON.parse(line);
  const parseMs = performance.now() - parseStarted;

  const heapBefore = heapMb();
  const states = new Map<CompiledCorrelation, Map<string, GroupState>>();
  let hits = 0;
  let partialBytes = 0;
  let partialRows = 0;
  const started = performance.now();
  for (let at = 0; at < lines.length; at += BATCH) {
    const batch = lines.slice(at, at + BATCH).map((l) => JSON.parse(l));
    for (const [rule, indexes] of realTimeIndex.route(batch))
      for (const i of indexes) if (runPerEvent(rule.plan, batch[i])) hits++;
    for (const [rule, indexes] of scheduledIndex.route(batch)) {
      const groups = accumulate(rule, pick(batch, indexes), START);
      for (const p of toPartials(rule.rule.ruleId, groups.values())) {
        partialRows++;
        partialBytes += p.state.length + p.groupKey.length;
      }
      // what one node would hold if it kept the window in memory instead of the store
      const kept = states.get(rule) ?? new Map();
      for (const [k, g] of groups) kept.set(k, g);
      states.set(rule, kept);
    }
  }
  const ms = performance.now() - started;
  const groupStates = [...states.values()].reduce((n, m) => n + m.size, 0);
  const heapAfter = heapMb();
  return {
    realtime_rules: realTime.length,
    scheduled_rules: scheduled.length,
    events: lines.length,
    events_per_s: Math.round(lines.length / (ms / 1000)),
    json_parse_only_events_per_s: Math.round(lines.length / (parseMs / 1000)),
    ratio_to_json_parse: Number((parseMs / ms).toFixed(2)),
    realtime_hits: hits,
    partial_rows_written: partialRows,
    partial_mb_written: Number((partialBytes / 1e6).toFixed(1)),
    group_states_in_memory: groupStates,
    heap_mb_for_states: Number((heapAfter - heapBefore).toFixed(1)),
    bytes_per_group_state: Math.round(((heapAfter - heapBefore) * 1e6) / Math.max(1, groupStates)),
  };
}

async function storeRun(lines: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "warden-bench-corr-"));
  const store = openSqliteStore(join(dir, "bench.db"));
  try {
    const clock = new ManualClock(START);
    const tenant = await store.createTenant("bench", "xsiam", { now: START, actor: BENCH_ACTOR });
    const tenantId = tenant?.id ?? 0;
    const drafts = rules().map((r) => ({ ruleId: undefined, definition: r.definition }));
    await store.upsertCorrelations(tenantId, drafts, { now: START, actor: BENCH_ACTOR, source: "bench" });
    const engine = new CorrelationEngine(store, clock);
    const started = performance.now();
    for (let at = 0; at < lines.length; at += BATCH) {
      const body = lines.slice(at, at + BATCH);
      await engine.ingest(tenantId, () => body.map((l) => JSON.parse(l)), START);
    }
    const ingestMs = performance.now() - started;
    const runStarted = performance.now();
    const reports = await engine.runDue(tenantId, START + 600_000);
    const runMs = performance.now() - runStarted;
    return {
      events: lines.length,
      ingest_events_per_s: Math.round(lines.length / (ingestMs / 1000)),
      tick_ms: Math.round(runMs),
      rules_run: reports.length,
      groups_merged: reports.reduce((n, r) => n + r.groups, 0),
      alerts: reports.reduce((n, r) => n + r.alerts, 0),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines = eventLines(EVENTS, 7);
const engine = engineRun(lines);
const stored = STORE_EVENTS > 0 ? await storeRun(lines.slice(0, STORE_EVENTS)) : undefined;
process.stdout.write(`${JSON.stringify({ rules: RULES, engine, sqlite_store: stored }, null, 1)}\n`);
