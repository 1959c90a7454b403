import { existsSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { SingleBar } from "cli-progress";
import { Command } from "commander";
import { applyPlan } from "../rules-as-code/apply-plan.ts";
import { loadRepository } from "../rules-as-code/load-repository.ts";
import { type Plan, planChanges, planLines } from "../rules-as-code/plan.ts";
import { pullInto } from "../rules-as-code/pull.ts";
import { readRemote } from "../rules-as-code/remote-state.ts";
import { problemText } from "../rules-as-code/repo-model.ts";
import { testRepository } from "../rules-as-code/test-repository.ts";
import { exitWithError, printJson } from "./cli-context.ts";
import { type RemoteOptions, remoteClient, withRemoteOptions } from "./rules-remote.ts";

const print = (lines: readonly string[]) => process.stdout.write(lines.map((line) => `${line}\n`).join(""));

function requireDir(dir: string): void {
  if (!existsSync(dir)) exitWithError(`no rules repository at ${dir}`);
}

/** A server that cannot be reached, or answers with an error, is a message and exit status 1, not a stack trace. */
function remote<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (error) {
      const cause = (error as Error).cause as Error | undefined;
      exitWithError(`${(error as Error).message}${cause?.message ? ` (${cause.message})` : ""}`);
    }
  };
}

function runTest(dir: string, options: { junit?: string }): void {
  requireDir(dir);
  const report = testRepository(dir);
  print(report.lines);
  if (options.junit) writeFileSync(options.junit, report.junit);
  if (!report.ok) process.exitCode = 1;
}

async function pull(dir: string, options: RemoteOptions): Promise<void> {
  const result = pullInto(dir, await readRemote(remoteClient(options)));
  print([
    ...result.notes.map((n) => `note: ${n}`),
    `pulled into ${dir}: ${result.written} files written, ${result.removed} removed`,
  ]);
}

/** A repository with problems is never planned against: its rules might be misread. */
async function makePlan(dir: string, options: RemoteOptions & { prune?: boolean }): Promise<Plan> {
  requireDir(dir);
  const repo = loadRepository(dir);
  if (repo.problems.length > 0) {
    print(repo.problems.map(problemText));
    exitWithError(`${repo.problems.length} problems in ${dir}; run 'warden rules test ${dir}'`);
  }
  return planChanges(repo.rules, await readRemote(remoteClient(options)), options.prune === true);
}

async function plan(dir: string, options: RemoteOptions & { prune?: boolean; json?: boolean }): Promise<void> {
  const planned = await makePlan(dir, options);
  if (options.json) printJson(planned);
  else print(planLines(planned));
}

async function confirmed(count: number): Promise<boolean> {
  if (!process.stdin.isTTY) return exitWithError("not asking without a terminal: pass --yes to apply");
  const ask = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await ask.question(`Apply these ${count} changes? [y/N] `);
  ask.close();
  return /^y(es)?$/i.test(answer.trim());
}

async function apply(dir: string, options: RemoteOptions & { prune?: boolean; yes?: boolean }): Promise<void> {
  const planned = await makePlan(dir, options);
  print(planLines(planned));
  if (planned.changes.length === 0) return;
  if (!options.yes && !(await confirmed(planned.changes.length))) return exitWithError("nothing applied");
  // The bar draws only on a terminal (stderr), so logs and CI output stay clean.
  const bar = new SingleBar({ format: "applying [{bar}] {value}/{total}", stream: process.stderr });
  bar.start(planned.changes.length, 0);
  const result = await applyPlan(remoteClient(options), planned, (done) => bar.update(done));
  bar.stop();
  print([...result.failures, `applied ${result.done} of ${planned.changes.length} changes`]);
  if (result.failures.length > 0) process.exitCode = 1;
}

/** `warden rules ...`: a rules repository tested offline, and planned, applied or pulled against a server. */
export function rulesCommand(): Command {
  const rules = new Command("rules").description("detection as code: a rules repository (see docs/rules-as-code.md)");
  rules
    .command("test")
    .description("check every rule file and run every rule's tests offline; exit status 1 on any failure")
    .argument("<dir>", "the rules repository")
    .option("--junit <file>", "also write the results as JUnit XML")
    .action(runTest);
  withRemoteOptions(rules.command("pull"))
    .description("write the server's rules into the repository")
    .argument("<dir>", "the rules repository")
    .action(remote(pull));
  withRemoteOptions(rules.command("plan"))
    .description("show what apply would create, update and delete, field by field")
    .argument("<dir>", "the rules repository")
    .option("--prune", "also plan deleting server rules the repository does not hold")
    .option("--json", "print the plan as JSON")
    .action(remote(plan));
  withRemoteOptions(rules.command("apply"))
    .description("make the server match the repository, in batches; rerun to converge after an interruption")
    .argument("<dir>", "the rules repository")
    .option("--prune", "delete server rules the repository does not hold")
    .option("--yes", "do not ask before applying")
    .action(remote(apply));
  return rules;
}
