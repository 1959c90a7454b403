import { BIOC_TYPES } from "../bioc/bioc-model.ts";
import type { FieldCatalog } from "../filters/filter-parse.ts";
import { SEVERITIES } from "../ioc/ioc-model.ts";
import { EXECUTION_MODES } from "./correlation-model.ts";

const text = { kind: "string", nullable: true } as const;

/**
 * The fields `correlations/get` and `correlations/delete` filter on: every insert field whose value
 * is a scalar or a list of names, plus what the server writes. The object fields (alert_fields,
 * mitre_defs, lookup_mapping) are not filterable: no client filters on them and their JSON text
 * differs between the stores.
 */
export const CORRELATION_FILTER_FIELDS: FieldCatalog = {
  rule_id: { kind: "number" },
  name: { kind: "string" },
  severity: { kind: "string", allowed: SEVERITIES },
  user_defined_severity: text,
  xql_query: { kind: "string" },
  is_enabled: { kind: "boolean" },
  description: text,
  alert_name: { kind: "string" },
  alert_category: { kind: "string", allowed: BIOC_TYPES },
  alert_type: text,
  alert_description: text,
  alert_domain: text,
  execution_mode: { kind: "string", allowed: EXECUTION_MODES },
  search_window: text,
  simple_schedule: text,
  timezone: text,
  crontab: text,
  suppression_enabled: { kind: "boolean" },
  suppression_duration: text,
  suppression_fields: { kind: "string" },
  dataset: text,
  user_defined_category: text,
  investigation_query_link: text,
  drilldown_query_timeframe: { kind: "string", allowed: ["QUERY", "ALERT"], nullable: true },
  mapping_strategy: { kind: "string", allowed: ["AUTO", "CUSTOM"], nullable: true },
  action: text,
  created_by: { kind: "string" },
  insert_time: { kind: "number" },
  modify_time: { kind: "number" },
  hits: { kind: "number" },
};
