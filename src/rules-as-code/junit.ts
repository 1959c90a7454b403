/** JUnit XML as CI systems read it: one testsuite per file, one testcase per check or rule test. */
import type { Problem } from "./repo-model.ts";
import { problemText } from "./repo-model.ts";
import type { TestOutcome } from "./run-rule-tests.ts";

export function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot", "'": "apos" }[c]};`);
}

interface Case {
  name: string;
  failure?: string;
  skipped?: string;
}

function caseXml(file: string, c: Case): string {
  const open = `    <testcase classname="${xmlEscape(file)}" name="${xmlEscape(c.name)}"`;
  if (c.failure !== undefined)
    return `${open}>\n      <failure message="${xmlEscape(c.failure)}">${xmlEscape(c.failure)}</failure>\n    </testcase>`;
  if (c.skipped !== undefined) return `${open}>\n      <skipped message="${xmlEscape(c.skipped)}"/>\n    </testcase>`;
  return `${open}/>`;
}

/** `files` lists every file read, so a file without problems still shows as a passing check. */
export function junitXml(
  files: readonly string[],
  problems: readonly Problem[],
  outcomes: readonly TestOutcome[],
): string {
  const byFile = new Map<string, Case[]>(files.map((file) => [file, []]));
  const add = (file: string, c: Case) => {
    const cases = byFile.get(file) ?? [];
    cases.push(c);
    byFile.set(file, cases);
  };
  for (const problem of problems)
    add(problem.file, { name: `valid (line ${problem.line})`, failure: problemText(problem) });
  for (const file of files) if (!problems.some((p) => p.file === file)) add(file, { name: "valid" });
  for (const o of outcomes) {
    const c: Case = { name: `${o.rule.key}: ${o.name}` };
    if (o.failure !== undefined) c.failure = `${o.at.file}:${o.at.line}:${o.at.column}: ${o.failure}`;
    if (o.skipped !== undefined) c.skipped = o.skipped;
    add(o.rule.at.file, c);
  }
  const suites = [...byFile.entries()].map(([file, cases]) => {
    const failures = cases.filter((c) => c.failure !== undefined).length;
    const skipped = cases.filter((c) => c.skipped !== undefined).length;
    const head = `  <testsuite name="${xmlEscape(file)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`;
    return [head, ...cases.map((c) => caseXml(file, c)), "  </testsuite>"].join("\n");
  });
  const all = [...byFile.values()].flat();
  const failures = all.filter((c) => c.failure !== undefined).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="warden rules test" tests="${all.length}" failures="${failures}">\n${suites.join("\n")}\n</testsuites>\n`;
}
