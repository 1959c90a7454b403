/**
 * A matching thread: builds each tenant's matcher from the rule snapshot it is sent (keeping the
 * latest per tenant) and runs the jobs it is given, one at a time. It says when a job that came
 * with rules starts, so the pool's time budget covers the matching and not the build.
 */
import { parentPort } from "node:worker_threads";
import { CompiledMatcher } from "../engine/compiled-matcher.ts";
import { type CompiledSet, compileSet } from "../engine/correlations/correlation-engine.ts";
import type { Matcher } from "../engine/rule-hit.ts";
import { iocRules, type RuleSnapshot } from "../engine/rule-snapshot.ts";
import { type MatchJob, runMatchJob } from "./match-job.ts";

export interface JobMessage {
  id: number;
  job: MatchJob;
  /** Sent when this worker does not yet hold the job's rule-set version. */
  rules?: RuleSnapshot;
}

interface Held {
  version: number;
  matcher: Matcher;
  correlations: CompiledSet;
}

const held = new Map<number, Held>();

function rulesFor(job: MatchJob, rules: RuleSnapshot | undefined): Held {
  if (rules) {
    const matcher = CompiledMatcher.build(iocRules(rules.iocs), rules.biocs);
    held.set(rules.tenantId, { version: rules.version, matcher, correlations: compileSet(rules.correlations ?? []) });
  }
  const tenant = held.get(job.tenantId);
  if (!tenant || tenant.version !== job.version) throw new Error(`no rules for version ${job.version}`);
  return tenant;
}

parentPort?.on("message", ({ id, job, rules }: JobMessage) => {
  try {
    const { matcher, correlations } = rulesFor(job, rules);
    if (rules) parentPort?.postMessage({ id, started: true }); // the pool times the job from here, not from the build
    parentPort?.postMessage({ id, result: runMatchJob(matcher, job, correlations) });
  } catch (error) {
    parentPort?.postMessage({ id, error: (error as Error).message });
  }
});
