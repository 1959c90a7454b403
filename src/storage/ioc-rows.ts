import type { IocDraft, IocRule, IocType, Reliability, Reputation, Severity, Vendor } from "../domain/ioc/ioc-model.ts";

/** An `ioc_rules` row as SQLite (0/1, JSON text) or PostgreSQL (booleans, JSONB) returns it. */
export interface IocRow {
  rule_id: number;
  indicator: string;
  canonical: string;
  type: IocType;
  severity: Severity;
  expiration_date: number;
  default_expiration_enabled: number | boolean;
  comment: string;
  reputation: Reputation;
  reliability: Reliability | null;
  vendors: string | Vendor[] | null;
  klass: string | null;
  enabled: number | boolean;
  creation_time: number;
  modification_time: number;
  source: string;
  number_of_issues: number;
}

export function toRule(row: IocRow): IocRule {
  return {
    ruleId: row.rule_id,
    indicator: row.indicator,
    canonical: row.canonical,
    type: row.type,
    severity: row.severity,
    expirationDate: row.expiration_date,
    defaultExpirationEnabled: Boolean(row.default_expiration_enabled),
    comment: row.comment,
    reputation: row.reputation,
    reliability: row.reliability,
    vendors: typeof row.vendors === "string" ? JSON.parse(row.vendors) : row.vendors,
    klass: row.klass,
    enabled: Boolean(row.enabled),
    creationTime: row.creation_time,
    modificationTime: row.modification_time,
    source: row.source,
    numberOfIssues: row.number_of_issues,
  };
}

/** What follows the severity, from expiration_date to klass (no index holds any of them). */
export const DETAIL_COLUMNS =
  "expiration_date, default_expiration_enabled, comment, reputation, reliability, vendors, klass";

/** The columns a client's write sets, in the order `valuesOf` binds them. */
export const VALUE_COLUMNS = `indicator, canonical, type, severity, ${DETAIL_COLUMNS}`;

/** The bound values of one rule, in VALUE_COLUMNS order, followed by `rest`. */
export function valuesOf(d: IocDraft, ...rest: unknown[]): unknown[] {
  const values: unknown[] = [];
  pushValuesOf(values, d);
  values.push(...rest);
  return values;
}

/** valuesOf appended to `values` in place: a bulk write's rows go into one array without one array per rule. */
export function pushValuesOf(values: unknown[], d: IocDraft): void {
  values.push(d.indicator, d.canonical, d.type, d.severity);
  pushDetailsOf(values, d);
}

/** The values of DETAIL_COLUMNS appended to `values`, as SQLite holds them (0/1, vendors as JSON text). */
export function pushDetailsOf(values: unknown[], d: IocDraft): void {
  values.push(
    d.expirationDate,
    Number(d.defaultExpirationEnabled),
    d.comment,
    d.reputation,
    d.reliability,
    d.vendors === null ? null : JSON.stringify(d.vendors),
    d.klass,
  );
}
