/**
 * A result row (SCHEDULED) or a matching event (REAL_TIME) as an alert: the rule's alert name and
 * description with `$field` replaced by the row's values, its category, severity and MITRE, and
 * the values of the fields that make the group key.
 */
import type { NewAlert } from "../../domain/alerts/alert-model.ts";
import type { Row } from "../../domain/correlations/row-stages.ts";
import { valueText } from "../rule-hit.ts";
import type { CompiledCorrelation } from "./compiled-correlation.ts";

/** `$name` (letters, digits, `_`, `.`) becomes the row's value of that query field, or of the query field an alert field maps to. */
export function substitute(text: string, row: Row, alertFields: Record<string, string | null>): string {
  return text.replace(/\$([A-Za-z_][A-Za-z0-9_.]*)/g, (whole, name: string) => {
    // an alert field mapped to null maps to nothing: the name is the query field's own
    const field = (Object.hasOwn(alertFields, name) ? alertFields[name] : undefined) ?? name;
    if (!Object.hasOwn(row, field)) return whole;
    const value = row[field];
    if (value === null || value === undefined) return "";
    // regextract and values() give arrays; a person reads their items, not JSON
    return Array.isArray(value) ? value.map(valueText).join(", ") : valueText(value);
  });
}

/** The fields whose values say which group (or, for suppression, which key) a row belongs to. */
export function keyFields(compiled: CompiledCorrelation): string[] {
  return compiled.plan.comp?.groupBy.map((g) => g.name) ?? [];
}

export function suppressionKey(compiled: CompiledCorrelation, row: Row): string {
  const fields = compiled.rule.definition.suppression_fields;
  const names = fields && fields.length > 0 ? fields : keyFields(compiled);
  return JSON.stringify(names.map((name) => row[name] ?? null));
}

export function correlationAlert(
  compiled: CompiledCorrelation,
  row: Row,
  at: number,
  window?: [number, number],
): NewAlert {
  const d = compiled.rule.definition;
  const groupKey = Object.fromEntries(keyFields(compiled).map((name) => [name, row[name] ?? null]));
  const [field] = Object.keys(groupKey);
  const name = substitute(d.alert_name, row, d.alert_fields);
  const details = {
    rule_name: d.name,
    alert_name: name,
    alert_category: d.alert_category,
    alert_description: d.alert_description === null ? null : substitute(d.alert_description, row, d.alert_fields),
    alert_domain: d.alert_domain,
    alert_type: d.alert_type,
    mitre_defs: d.mitre_defs,
    execution_mode: d.execution_mode,
    group_key: groupKey,
    ...(window ? { window_start: window[0], window_end: window[1] } : {}),
  };
  return {
    source: "CORRELATION",
    ruleId: compiled.rule.ruleId,
    name,
    severity: d.severity,
    field: field ?? "",
    value: field === undefined ? "" : valueText(row[field] ?? null),
    detectionTimestamp: at,
    event: JSON.stringify(row),
    details: JSON.stringify(details),
  };
}
