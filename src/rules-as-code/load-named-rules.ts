/** Reads a named kind's folder: one YAML or JSON file per rule, checked as the server would. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkNamedRule } from "./check-rule.ts";
import type { Problem, RepoRule } from "./repo-model.ts";
import type { NamedKind } from "./rule-kinds.ts";
import { readTests } from "./rule-tests-section.ts";
import { parseSource } from "./yaml-source.ts";

export const RULE_FILE = /\.(ya?ml|json)$/;

export function ruleFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => RULE_FILE.test(name))
    .sort()
    .map((name) => join(dir, name));
}

function loadRuleFile(kind: NamedKind, file: string): { rule?: RepoRule; problems: Problem[] } {
  const source = parseSource(file, readFileSync(file, "utf8"));
  if (source.problems.length > 0) return { problems: source.problems };
  const value = source.value;
  const start = { file, line: 1, column: 1 };
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { problems: [{ ...start, message: "a rule file holds one object (the rule's fields)" }] };
  const { tests: rawTests, ...fields } = value as Record<string, unknown>;
  const problems = checkNamedRule(kind, source, fields);
  const rule: RepoRule = { kind: kind.kind, key: String(fields.name), fields, at: start };
  if (rawTests !== undefined) {
    const tests = readTests(rawTests, source);
    if (tests.ok) rule.tests = tests.value;
    else problems.push({ ...source.keyAt("tests"), message: tests.error });
  }
  return { rule, problems };
}

/** Every rule of the kind in `root`; a name used twice is a problem, since rules are matched by name. */
export function loadNamedRules(
  kind: NamedKind,
  root: string,
): { rules: RepoRule[]; problems: Problem[]; files: string[] } {
  const rules: RepoRule[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  const files = ruleFiles(join(root, kind.folder));
  for (const file of files) {
    const loaded = loadRuleFile(kind, file);
    problems.push(...loaded.problems);
    const rule = loaded.rule;
    if (!rule) continue;
    const earlier = seen.get(rule.key);
    if (earlier !== undefined) {
      problems.push({ ...rule.at, message: `the ${kind.kind} name '${rule.key}' is also used by ${earlier}` });
      continue;
    }
    seen.set(rule.key, file);
    rules.push(rule);
  }
  return { rules, problems, files };
}
