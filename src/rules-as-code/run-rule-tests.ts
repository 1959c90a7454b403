/** Runs each BIOC rule's tests in the offline engine: the same matcher the server builds. */
import { DEFAULT_LIMITS } from "../config.ts";
import { parseBiocItem } from "../domain/bioc/bioc-item.ts";
import type { FilterTree } from "../domain/bioc/bioc-tree.ts";
import { checkBiocQuery, xqlText } from "../domain/xql/xql-bioc.ts";
import type { BiocEntry } from "../engine/bioc-index.ts";
import { LinearMatcher } from "../engine/linear-matcher.ts";
import type { Position, RepoRule } from "./repo-model.ts";

export interface TestOutcome {
  rule: RepoRule;
  /** e.g. `fires[0]`, `does_not_fire[2]` */
  name: string;
  /** Where the test's event is written (the rule file's start for a skipped kind). */
  at: Position;
  /** undefined when it passed; the reason otherwise; "skipped: ..." when it could not run. */
  failure?: string;
  skipped?: string;
}

function entryOf(rule: RepoRule): BiocEntry | undefined {
  const draft = parseBiocItem(rule.fields, DEFAULT_LIMITS);
  if (!draft.ok) return undefined;
  const { name, severity, isXql, indicator } = draft.value;
  if (!isXql) return { ruleId: 1, name, severity, tree: indicator as FilterTree };
  const plan = checkBiocQuery(xqlText(indicator) ?? "");
  return plan.ok ? { ruleId: 1, name, severity, xql: plan.value } : undefined;
}

// Expiry plays no part in a BIOC match; any fixed instant does.
const NOW = 0;

function runBiocTests(rule: RepoRule): TestOutcome[] {
  const tests = rule.tests;
  if (!tests) return [];
  const entry = entryOf(rule);
  const cases = [
    ...tests.fires.map((test, i) => ({ name: `fires[${i}]`, ...test, expected: true })),
    ...tests.doesNotFire.map((test, i) => ({ name: `does_not_fire[${i}]`, ...test, expected: false })),
  ];
  if (!entry) return cases.map(({ name, at }) => ({ rule, name, at, skipped: "the rule itself is not valid" }));
  const matcher = new LinearMatcher([], [entry]);
  return cases.map(({ name, event, at, expected }) => {
    const fired = matcher.match(event, NOW).length > 0;
    if (fired === expected) return { rule, name, at };
    const failure = expected ? `the rule did not fire on ${name}` : `the rule fired on ${name}`;
    return { rule, name, at, failure: `${failure}: ${JSON.stringify(event)}` };
  });
}

export function runRuleTests(rules: readonly RepoRule[]): TestOutcome[] {
  return rules.flatMap((rule) => {
    if (rule.kind === "bioc") return runBiocTests(rule);
    if (!rule.tests) return [];
    // The offline engine evaluates IOC and BIOC rules; correlation rules aggregate over time windows.
    return [
      { rule, name: "tests", at: rule.tests.at, skipped: "the offline engine does not run correlation rules yet" },
    ];
  });
}
