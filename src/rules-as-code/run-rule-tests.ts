/** Runs each BIOC rule's tests in the offline engine: the same matcher the server builds. */
import { DEFAULT_LIMITS } from "../config.ts";
import { parseBiocItem } from "../domain/bioc/bioc-item.ts";
import type { FilterTree } from "../domain/bioc/bioc-tree.ts";
import { checkBiocQuery, xqlText } from "../domain/xql/xql-bioc.ts";
import type { BiocEntry } from "../engine/bioc-index.ts";
import { LinearMatcher } from "../engine/linear-matcher.ts";
import type { RepoRule } from "./repo-model.ts";

export interface TestOutcome {
  rule: RepoRule;
  /** e.g. `fires[0]`, `does_not_fire[2]` */
  name: string;
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
    ...tests.fires.map((event, i) => ({ name: `fires[${i}]`, event, expected: true })),
    ...tests.doesNotFire.map((event, i) => ({ name: `does_not_fire[${i}]`, event, expected: false })),
  ];
  if (!entry) return cases.map(({ name }) => ({ rule, name, skipped: "the rule itself is not valid" }));
  const matcher = new LinearMatcher([], [entry]);
  return cases.map(({ name, event, expected }) => {
    const fired = matcher.match(event, NOW).length > 0;
    if (fired === expected) return { rule, name };
    const failure = expected ? `the rule did not fire on ${name}` : `the rule fired on ${name}`;
    return { rule, name, failure: `${failure}: ${JSON.stringify(event)}` };
  });
}

export function runRuleTests(rules: readonly RepoRule[]): TestOutcome[] {
  return rules.flatMap((rule) => {
    if (rule.kind === "bioc") return runBiocTests(rule);
    if (!rule.tests) return [];
    // The offline engine evaluates IOC and BIOC rules; correlation rules aggregate over time windows.
    return [{ rule, name: "tests", skipped: "the offline engine does not run correlation rules yet" }];
  });
}
