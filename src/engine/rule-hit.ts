import type { Severity } from "../domain/ioc/ioc-model.ts";

/** One rule matching one event. */
export interface RuleHit {
  source: "IOC" | "BIOC" | "CORRELATION";
  ruleId: number;
  /** The IOC's value, or the BIOC's name. */
  name: string;
  severity: Severity;
  /** The event field that matched, and its value there. */
  field: string;
  value: string;
}

/** Matches events against one tenant's rules; built once from the rules, never changed after. */
export interface Matcher {
  /** Hits in a stable order: IOC hits first, each group by rule id. */
  match(event: Record<string, unknown>, now: number): RuleHit[];
  readonly iocCount: number;
  readonly biocCount: number;
}

/** The order both matchers answer in, so they can be compared hit for hit. */
export function compareHits(a: RuleHit, b: RuleHit): number {
  if (a.source !== b.source) return a.source === "IOC" ? -1 : 1;
  return a.ruleId - b.ruleId;
}

/** Event values are reported as text, whatever JSON type they had. */
export function valueText(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}
