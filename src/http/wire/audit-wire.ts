import { describeAuditEntry } from "../../domain/audit/audit-description.ts";
import type { AuditEntry } from "../../domain/audit/audit-model.ts";

/** What the entry changed, by name: the indicator, the BIOC's name, the tenant, the key. */
function assetName(entry: AuditEntry): string {
  if (entry.result !== "SUCCESS") return entry.target;
  const doc = entry.after ?? entry.before ?? {};
  if (entry.entity === "IOC_RULES") return String(doc.indicator ?? "").slice(0, 256);
  if (entry.entity === "BIOC_RULES" || entry.entity === "CORRELATION_RULES")
    return String(doc.name ?? "").slice(0, 256);
  if (entry.entity === "API_KEYS") return `API key ${entry.target}`;
  return entry.target;
}

/**
 * One row of `audits/management_logs`, with the live service's field names. The record before
 * and after the change travels in AUDIT_ASSET_JSON, which the live service also sends as a
 * JSON string.
 */
export function auditToWire(entry: AuditEntry) {
  return {
    AUDIT_ID: entry.id,
    AUDIT_OWNER_NAME: entry.actor,
    AUDIT_OWNER_EMAIL: "",
    AUDIT_ASSET_JSON: JSON.stringify({ before: entry.before, after: entry.after }),
    AUDIT_ASSET_NAMES: assetName(entry),
    AUDIT_HOSTNAME: entry.address,
    AUDIT_RESULT: entry.result,
    AUDIT_REASON: entry.reason,
    AUDIT_DESCRIPTION: describeAuditEntry(entry),
    AUDIT_ENTITY: entry.entity,
    AUDIT_ENTITY_SUBTYPE: entry.action,
    AUDIT_SESSION_ID: null,
    AUDIT_CASE_ID: null,
    AUDIT_INSERT_TIME: entry.at,
    AUDIT_SEVERITY: "SEV_010_INFO",
  };
}
