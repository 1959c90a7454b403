import type { Limits } from "../../config.ts";
import { fail, ok, type Result } from "../../lib/result.ts";
import { BIOC_TYPES } from "../bioc/bioc-model.ts";
import { SEVERITIES } from "../ioc/ioc-model.ts";
import {
  ItemReader,
  isJsonObject,
  type JsonObject,
  notAnObjectReason,
  unknownFieldsReason,
} from "../items/item-reader.ts";
import { syntaxErrorText } from "../xql/xql-bioc.ts";
import { type CorrelationDefinition, type CorrelationDraft, EXECUTION_MODES } from "./correlation-model.ts";
import { planCorrelation } from "./correlation-plan.ts";
import { isTimeZone, parseCrontab } from "./crontab.ts";
import { parseDuration } from "./durations.ts";

/** Fields a live tenant exports that only the server writes: accepted on insert and ignored. */
export const READ_ONLY_FIELDS = ["created_by", "insert_time", "modify_time", "hits"] as const;

export const CORRELATION_ITEM_FIELDS: ReadonlySet<string> = new Set([
  "rule_id",
  "name",
  "severity",
  "user_defined_severity",
  "xql_query",
  "is_enabled",
  "description",
  "alert_name",
  "alert_category",
  "alert_type",
  "alert_description",
  "alert_domain",
  "alert_fields",
  "execution_mode",
  "search_window",
  "simple_schedule",
  "timezone",
  "crontab",
  "suppression_enabled",
  "suppression_duration",
  "suppression_fields",
  "dataset",
  "user_defined_category",
  "mitre_defs",
  "investigation_query_link",
  "drilldown_query_timeframe",
  "mapping_strategy",
  "action",
  "lookup_mapping",
  ...READ_ONLY_FIELDS,
]);

/** A nullable string field: absent and null read as null. */
function optionalString(read: ItemReader, field: string): string | null {
  return read.has(field) ? read.string(field) : null;
}

/** Alert field -> query field; a live tenant's export (and the vendor's own example) maps some to null. */
function alertFieldMap(read: ItemReader, field: string): Record<string, string | null> {
  const value = read.raw(field);
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value) || !Object.values(value).every((v) => typeof v === "string" || v === null)) {
    read.reject(`${field} must be an object of strings or nulls (alert field -> query field)`);
    return {};
  }
  return value as Record<string, string | null>;
}

function mitreDefs(read: ItemReader): Record<string, string[]> {
  const value = read.raw("mitre_defs");
  if (value === undefined || value === null) return {};
  const valid =
    isJsonObject(value) &&
    Object.values(value).every((v) => Array.isArray(v) && v.every((t: unknown) => typeof t === "string"));
  if (!valid) read.reject("mitre_defs must be an object of tactic -> [techniques]");
  return valid ? (value as Record<string, string[]>) : {};
}

function array(read: ItemReader, field: string): unknown[] {
  const value = read.raw(field);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) read.reject(`${field} must be an array`);
  return Array.isArray(value) ? value : [];
}

function readDefinition(read: ItemReader): CorrelationDefinition {
  return {
    name: read.string("name"),
    severity: read.enumValue("severity", SEVERITIES),
    user_defined_severity: optionalString(read, "user_defined_severity"),
    xql_query: read.string("xql_query"),
    is_enabled: read.boolean("is_enabled", true),
    description: optionalString(read, "description"),
    alert_name: read.string("alert_name"),
    alert_category: read.enumValue("alert_category", BIOC_TYPES, "OTHER"),
    alert_type: optionalString(read, "alert_type"),
    alert_description: optionalString(read, "alert_description"),
    alert_domain: optionalString(read, "alert_domain"),
    alert_fields: alertFieldMap(read, "alert_fields"),
    execution_mode: read.enumValue("execution_mode", EXECUTION_MODES, "REAL_TIME"),
    search_window: optionalString(read, "search_window"),
    simple_schedule: optionalString(read, "simple_schedule"),
    timezone: optionalString(read, "timezone"),
    crontab: optionalString(read, "crontab"),
    suppression_enabled: read.boolean("suppression_enabled", false),
    suppression_duration: optionalString(read, "suppression_duration"),
    suppression_fields: read.has("suppression_fields") ? read.stringArray("suppression_fields") : null,
    dataset: optionalString(read, "dataset") ?? "alerts",
    user_defined_category: optionalString(read, "user_defined_category"),
    mitre_defs: mitreDefs(read),
    investigation_query_link: optionalString(read, "investigation_query_link"),
    drilldown_query_timeframe: read.has("drilldown_query_timeframe")
      ? read.enumValue("drilldown_query_timeframe", ["QUERY", "ALERT"] as const)
      : null,
    mapping_strategy: read.has("mapping_strategy")
      ? read.enumValue("mapping_strategy", ["AUTO", "CUSTOM"] as const)
      : null,
    action: optionalString(read, "action"),
    lookup_mapping: array(read, "lookup_mapping"),
  };
}

/** Checks one `correlations/insert` item (spec/API.md section 8) and fills in the defaults. */
export function parseCorrelationItem(raw: unknown, limits: Limits): Result<CorrelationDraft> {
  if (!isJsonObject(raw)) return fail(notAnObjectReason(raw));
  const unknown = unknownFieldsReason(raw, CORRELATION_ITEM_FIELDS);
  if (unknown) return fail(unknown);
  const read = new ItemReader(raw as JsonObject, limits.stringLength);
  const draft = { ruleId: read.ruleId(), definition: readDefinition(read) };
  if (read.error) return fail(read.error);
  const problem = checkDefinition(draft.definition);
  return problem === undefined ? ok(draft) : fail(problem);
}

function checkDefinition(d: CorrelationDefinition): string | undefined {
  if (d.name.trim() === "") return "name must not be empty";
  if (d.alert_name.trim() === "") return "alert_name must not be empty";
  if (d.xql_query.trim() === "") return "xql_query must not be empty";
  for (const field of ["search_window", "simple_schedule", "suppression_duration"] as const) {
    const text = d[field];
    if (text !== null && parseDuration(text) === undefined)
      return `${field} must be a duration such as "10 minutes", "2 hours" or "1 days"; got '${text}'`;
  }
  if (d.timezone !== null && !isTimeZone(d.timezone)) return `timezone '${d.timezone}' is not a known time zone`;
  if (d.crontab !== null) {
    const cron = parseCrontab(d.crontab);
    if (typeof cron === "string") return cron;
  }
  if (d.execution_mode === "SCHEDULED") {
    if (d.search_window === null) return "a SCHEDULED rule needs a search_window";
    if (d.simple_schedule === null && d.crontab === null)
      return "a SCHEDULED rule needs a schedule (simple_schedule or crontab)";
  }
  if (d.suppression_enabled && d.suppression_duration === null)
    return "suppression_enabled needs a suppression_duration";
  const plan = planCorrelation(d.xql_query, d.execution_mode);
  return plan.ok ? undefined : syntaxErrorText(plan.error);
}
