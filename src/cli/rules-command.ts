import { writeFileSync } from "node:fs";
import { Command } from "commander";
import { testRepository } from "../rules-as-code/test-repository.ts";

function runTest(dir: string, options: { junit?: string }): void {
  const report = testRepository(dir);
  for (const line of report.lines) process.stdout.write(`${line}\n`);
  if (options.junit) writeFileSync(options.junit, report.junit);
  if (!report.ok) process.exitCode = 1;
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
  return rules;
}
