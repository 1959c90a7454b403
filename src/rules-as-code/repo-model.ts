import type { KindName } from "./rule-kinds.ts";

/** Where something is in the repository: 1-based line and column, as editors count. */
export interface Position {
  file: string;
  line: number;
  column: number;
}

export interface Problem extends Position {
  message: string;
}

export function problemText(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
}

/** Events a rule must fire on, and events it must not. */
export interface RuleTests {
  fires: TestEvent[];
  doesNotFire: TestEvent[];
  at: Position;
}

/** One test event and where it is written (in the rule file, or a line of an NDJSON file). */
export interface TestEvent {
  event: Record<string, unknown>;
  at: Position;
}

/** One rule as the repository states it: the insert item's fields, keyed by name or value. */
export interface RepoRule {
  kind: KindName;
  /** The identity the server is matched on: the name, or an IOC's canonical value. */
  key: string;
  fields: Record<string, unknown>;
  at: Position;
  tests?: RuleTests;
}

export interface Repository {
  rules: RepoRule[];
  problems: Problem[];
  /** Every file read, for the summary and the JUnit report. */
  files: string[];
}
