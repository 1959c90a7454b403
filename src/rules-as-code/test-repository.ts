/** `rules test`: every file checked, every rule test run; the report as lines and as JUnit. */
import { junitXml } from "./junit.ts";
import { loadRepository } from "./load-repository.ts";
import { problemText } from "./repo-model.ts";
import { runRuleTests } from "./run-rule-tests.ts";

export interface TestReport {
  ok: boolean;
  lines: string[];
  junit: string;
}

export function testRepository(root: string): TestReport {
  const repo = loadRepository(root);
  const outcomes = runRuleTests(repo.rules);
  const failed = outcomes.filter((o) => o.failure !== undefined);
  const skipped = outcomes.filter((o) => o.skipped !== undefined);
  const lines = [
    ...repo.problems.map(problemText),
    ...failed.map((o) => `${o.at.file}:${o.at.line}:${o.at.column}: ${o.failure}`),
    ...skipped.map((o) => `${o.rule.at.file}: ${o.rule.key} ${o.name} skipped: ${o.skipped}`),
    `rules test: ${repo.files.length} files, ${repo.rules.length} rules, ${repo.problems.length} problems; ` +
      `${outcomes.length} rule tests, ${failed.length} failing, ${skipped.length} skipped`,
  ];
  return {
    ok: repo.problems.length === 0 && failed.length === 0,
    lines,
    junit: junitXml(repo.files, repo.problems, outcomes),
  };
}
