/**
 * Rules compared field by field, after filling in what the server fills in, so a rule that a file
 * states briefly equals the same rule read back from a server.
 */
import { type KindName, NAMED_KINDS } from "./rule-kinds.ts";

export interface FieldDiff {
  field: string;
  /** On the server now (undefined: absent). */
  from: unknown;
  /** In the repository. */
  to: unknown;
}

function expiration(value: unknown): unknown {
  if (value === undefined || value === null || value === "Never") return -1;
  if (typeof value === "string" && Number.isNaN(Number(value))) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : ms;
  }
  return typeof value === "string" ? Number(value) : value;
}

function comparableIoc(fields: Record<string, unknown>): Record<string, unknown> {
  const defaultExpiry = fields.default_expiration_enabled === true;
  return {
    type: fields.type,
    severity: fields.severity,
    comment: fields.comment ?? "",
    reputation: fields.reputation ?? "UNKNOWN",
    reliability: fields.reliability === "" || fields.reliability === undefined ? null : fields.reliability,
    default_expiration_enabled: defaultExpiry,
    // With the tenant's default expiry the server computes the date; the file cannot state it.
    ...(defaultExpiry ? {} : { expiration_date: expiration(fields.expiration_date) }),
  };
}

/** The live service returns empty MITRE lists as [""]; a wrapped XQL query is the query. */
function comparableNamed(kind: KindName, fields: Record<string, unknown>): Record<string, unknown> {
  const named = NAMED_KINDS.find((k) => k.kind === kind);
  const out: Record<string, unknown> = { ...named?.defaults };
  for (const [field, value] of Object.entries(fields)) if (value !== null && value !== undefined) out[field] = value;
  for (const field of ["mitre_tactic_id_and_name", "mitre_technique_id_and_name"]) {
    const list = out[field];
    if (Array.isArray(list) && list.length === 1 && list[0] === "") out[field] = [];
  }
  const indicator = out.indicator as { query?: unknown } | undefined;
  if (kind === "bioc" && out.is_xql === true && typeof indicator?.query === "string") out.indicator = indicator.query;
  return out;
}

export function comparable(kind: KindName, fields: Record<string, unknown>): Record<string, unknown> {
  return kind === "ioc" ? comparableIoc(fields) : comparableNamed(kind, fields);
}

/** JSON with object keys sorted, so key order never counts as a difference. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

export function diffRule(kind: KindName, server: Record<string, unknown>, repo: Record<string, unknown>): FieldDiff[] {
  const from = comparable(kind, server);
  const to = comparable(kind, repo);
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  return fields
    .filter((field) => stableJson(from[field]) !== stableJson(to[field]))
    .map((field) => ({ field, from: from[field], to: to[field] }));
}
