/**
 * The filterable fields of each rule kind and of alerts, as SQL over the shared schema. The few
 * expressions that differ between SQLite and PostgreSQL are passed in.
 */
import type { ColumnSpec } from "./sql-filters.ts";

const same = (...names: string[]): Record<string, ColumnSpec> => Object.fromEntries(names.map((n) => [n, { sql: n }]));

/** `status` reads ENABLED / DISABLED / EXPIRED; its SQL needs the current time, so the store supplies it. */
export function iocFilterColumns(statusSql: string): Record<string, ColumnSpec> {
  return {
    ...same("rule_id", "type", "severity", "expiration_date", "default_expiration_enabled", "comment"),
    ...same("reputation", "reliability", "creation_time", "modification_time", "number_of_issues"),
    indicator: { sql: "canonical" },
    status: { sql: statusSql },
  };
}

export function biocFilterColumns(indicatorSql: string): Record<string, ColumnSpec> {
  return {
    ...same("rule_id", "name", "type", "severity", "comment", "is_xql", "creation_time", "modification_time"),
    ...same("number_of_issues"),
    // Status is kept as written (`ENABLED`, `enabled`), and matched without regard to case.
    status: { sql: "lower(status)" },
    indicator: { sql: indicatorSql },
    mitre_tactic_id_and_name: { sql: "mitre_tactic_id_and_name", jsonArray: true },
    mitre_technique_id_and_name: { sql: "mitre_technique_id_and_name", jsonArray: true },
  };
}

export const ALERT_FILTER_COLUMNS: Record<string, ColumnSpec> = same(
  "alert_id",
  "rule_id",
  "source",
  "severity",
  "detection_timestamp",
  "name",
  "field",
);

/**
 * The audit log's filter fields, named as the live `audits/management_logs` names them. Every
 * entry records a success (failed writes change nothing, so there is nothing to record), and
 * Warden's actors have no e-mail addresses.
 */
export const AUDIT_FILTER_COLUMNS: Record<string, ColumnSpec> = {
  audit_id: { sql: "tenant_audit_id" },
  timestamp: { sql: "at" },
  type: { sql: "entity" },
  sub_type: { sql: "action" },
  result: { sql: "result" },
  email: { sql: "''" },
  owner_name: { sql: "actor" },
};

/**
 * Correlation rules: the columns kept apart, and every other definition field read out of the
 * JSON definition (`json` gives the dialect's text extraction of a field, `jsonBool` its boolean,
 * `jsonArray` the array itself).
 */
export function correlationFilterColumns(dialect: {
  json: (field: string) => string;
  jsonBool: (field: string) => string;
  jsonArray: (field: string) => string;
}): Record<string, ColumnSpec> {
  const fromJson = (...names: string[]) => Object.fromEntries(names.map((n) => [n, { sql: dialect.json(n) }]));
  return {
    ...same("rule_id", "name", "severity", "is_enabled", "execution_mode", "created_by"),
    ...same("insert_time", "modify_time", "hits"),
    ...fromJson("user_defined_severity", "xql_query", "description", "alert_name", "alert_category"),
    ...fromJson("alert_type", "alert_description", "alert_domain", "search_window", "simple_schedule"),
    ...fromJson("timezone", "crontab", "suppression_duration", "dataset", "user_defined_category"),
    ...fromJson("investigation_query_link", "drilldown_query_timeframe", "mapping_strategy", "action"),
    suppression_enabled: { sql: dialect.jsonBool("suppression_enabled") },
    suppression_fields: { sql: dialect.jsonArray("suppression_fields"), jsonArray: true },
  };
}
