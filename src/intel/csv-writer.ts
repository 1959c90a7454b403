/** IOC rules as CSV with the header Warden's own CSV import reads without a mapping. */
import type { LinkedRule } from "./intel-rules.ts";

export const CSV_HEADER = "id,indicator,type,severity,expiration_date,comment,reputation,reliability";

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine({ rule, link }: LinkedRule): string {
  const id = link && link.part === "" ? link.externalId : `${rule.type}:${rule.canonical}`;
  const expiry = rule.expirationDate < 0 ? "Never" : new Date(rule.expirationDate).toISOString();
  return [id, rule.indicator, rule.type, rule.severity, expiry, rule.comment, rule.reputation, rule.reliability ?? ""]
    .map(field)
    .join(",");
}
