/**
 * The correlation rule as the contract (spec/API.md section 8) defines it. The definition keeps
 * the wire's own field names: it has some thirty fields that are stored, returned and audited
 * exactly as written, so a second spelling of each would only be a place for them to drift.
 */
import type { BiocType } from "../bioc/bioc-model.ts";
import type { Severity } from "../ioc/ioc-model.ts";

export const EXECUTION_MODES = ["REAL_TIME", "SCHEDULED"] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];

/** Every field a client writes, with its default filled in. */
export interface CorrelationDefinition {
  name: string;
  severity: Severity;
  user_defined_severity: string | null;
  xql_query: string;
  is_enabled: boolean;
  description: string | null;
  alert_name: string;
  alert_category: BiocType;
  alert_type: string | null;
  alert_description: string | null;
  alert_domain: string | null;
  /** Alert field -> query field. */
  alert_fields: Record<string, string | null>;
  execution_mode: ExecutionMode;
  search_window: string | null;
  simple_schedule: string | null;
  timezone: string | null;
  crontab: string | null;
  suppression_enabled: boolean;
  suppression_duration: string | null;
  suppression_fields: string[] | null;
  dataset: string | null;
  user_defined_category: string | null;
  /** Tactic -> techniques. */
  mitre_defs: Record<string, string[]>;
  investigation_query_link: string | null;
  drilldown_query_timeframe: "QUERY" | "ALERT" | null;
  mapping_strategy: "AUTO" | "CUSTOM" | null;
  action: string | null;
  lookup_mapping: unknown[];
}

/** A checked insert item, ready for the store. */
export interface CorrelationDraft {
  /** `undefined` when the item named no rule (absent, null or 0). */
  ruleId: number | undefined;
  definition: CorrelationDefinition;
}

/** A stored correlation rule. */
export interface CorrelationRule {
  ruleId: number;
  definition: CorrelationDefinition;
  createdBy: string;
  insertTime: number;
  modifyTime: number;
  /** How many alerts it raised. */
  hits: number;
}
