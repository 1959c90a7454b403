/**
 * The filters and sort of `alerts/get_alerts`: Warden's own fields (docs/engine.md), and the
 * names and values the vendor's get_alerts documents, so a client written for it reads Warden's
 * alerts unchanged: `alert_id_list`, `alert_source` and `creation_time` (Warden's `alert_id`,
 * `source` and `detection_timestamp`), and severities in lower case (`high`, `informational`).
 */
import { ok, type Result } from "../../lib/result.ts";
import type { RuleFilter, RulePage, RuleQuery } from "../filters/filter-model.ts";
import { type FieldCatalog, type FieldSpec, parseQuery } from "../filters/filter-parse.ts";
import { SEVERITIES, type Severity } from "../ioc/ioc-model.ts";

const SOURCES = ["IOC", "BIOC", "CORRELATION"] as const;

/** The vendor's alert severities. `unknown` names none of Warden's alerts (every rule has a severity). */
const VENDOR_SEVERITIES: Record<string, Severity[]> = {
  informational: ["SEV_010_INFO"],
  info: ["SEV_010_INFO"],
  low: ["SEV_020_LOW"],
  medium: ["SEV_030_MEDIUM"],
  high: ["SEV_040_HIGH"],
  critical: ["SEV_050_CRITICAL"],
  unknown: [],
};

function severityForms(value: string): string[] {
  const upper = value.toUpperCase();
  if ((SEVERITIES as readonly string[]).includes(upper)) return [upper];
  return VENDOR_SEVERITIES[value.toLowerCase()] ?? [value];
}

/** Warden's source names, and the vendor's names of the same sources ("XDR IOC", "Correlation"). */
function sourceForm(value: string): string | undefined {
  const upper = value.trim().toUpperCase().replace(/^XDR /, "");
  return (SOURCES as readonly string[]).includes(upper) ? upper : undefined;
}

const number: FieldSpec = { kind: "number" };
const severity: FieldSpec = { kind: "string", allowed: SEVERITIES, normalize: severityForms };

const OWN_FIELDS: FieldCatalog = {
  alert_id: number,
  rule_id: number,
  source: { kind: "string", allowed: SOURCES, normalize: (v) => [sourceForm(v) ?? v] },
  severity,
  detection_timestamp: number,
  name: { kind: "string" },
  field: { kind: "string" },
};

/** The vendor's field -> Warden's. */
const VENDOR_NAMES: Record<string, string> = {
  alert_id_list: "alert_id",
  alert_source: "source",
  creation_time: "detection_timestamp",
};

export const ALERT_FILTER_FIELDS: FieldCatalog = {
  ...OWN_FIELDS,
  alert_id_list: number,
  // The vendor lists sources Warden never raises ("XDR Analytics", "PAN NGFW"): those name no
  // alert here, rather than fail the request.
  alert_source: { kind: "string", normalize: (v) => [sourceForm(v)].filter((s) => s !== undefined) },
  creation_time: number,
};

const ownName = (field: string) => VENDOR_NAMES[field] ?? field;

/** A get_alerts body, checked, in Warden's own field names. */
export function parseAlertQuery(query: RuleQuery, maxPage: number): Result<{ filters: RuleFilter[]; page: RulePage }> {
  const parsed = parseQuery(query, ALERT_FILTER_FIELDS, maxPage);
  if (!parsed.ok) return parsed;
  const { filters, page } = parsed.value;
  return ok({
    filters: filters.map((filter) => ({ ...filter, field: ownName(filter.field) })),
    page: page.sort ? { ...page, sort: { ...page.sort, field: ownName(page.sort.field) } } : page,
  });
}
