import { clip } from "../../lib/text.ts";
import type { AuditEntry } from "./audit-model.ts";

/** Values in descriptions are cut short: a 16 KiB indicator need not come back whole in every line. */
const SHOWN_LENGTH = 128;

const shown = (value: unknown) => clip(typeof value === "string" ? value : JSON.stringify(value), SHOWN_LENGTH);

/** The fields an edit changed, leaving out the time stamp every edit moves. */
function changedFields(entry: AuditEntry): string[] {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  return Object.keys(after).filter(
    (key) => key !== "modification_time" && JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
}

const VERBS: Record<AuditEntry["action"], string> = {
  Create: "Created",
  Edit: "Edited",
  Enable: "Enabled",
  Disable: "Disabled",
  Delete: "Deleted",
  Revoke: "Revoked",
};

function describeRule(entry: AuditEntry, kind: string, label: (doc: Record<string, unknown>) => string): string {
  const doc = entry.after ?? entry.before ?? {};
  const head = `${VERBS[entry.action]} ${kind} rule ${entry.target} (${label(doc)})`;
  if (entry.action !== "Edit") return head;
  const changed = changedFields(entry);
  return changed.length > 0 ? `${head}: ${changed.join(", ")} changed` : `${head}: written again unchanged`;
}

/** Retention changes and prunes are recorded as edits of the tenant (src/domain/retention). */
function describeRetention(entry: AuditEntry): string | undefined {
  const after = entry.after ?? {};
  if (typeof after.pruned === "string") {
    const what = after.pruned === "alerts" ? "alerts" : "audit entries";
    return `Pruned ${after.deleted} ${what} of tenant '${entry.target}' older than ${new Date(Number(after.before)).toISOString()}`;
  }
  if (!("alerts_retention_days" in after)) return undefined;
  const age = (days: unknown) => (days === null ? "the server default" : days === 0 ? "forever" : `${days} days`);
  return `Set the retention of tenant '${entry.target}': alerts ${age(after.alerts_retention_days)}, audit log ${age(after.audit_retention_days)}`;
}

function describeTenant(entry: AuditEntry): string {
  const retention = describeRetention(entry);
  if (retention) return retention;
  if (entry.action === "Delete") return `Deleted tenant '${entry.target}'`;
  if (entry.action === "Create") return `Created tenant '${entry.target}' (license ${shown(entry.after?.license)})`;
  const expiry = entry.after ?? entry.before;
  if (expiry && "ioc_type" in expiry) {
    const days = entry.after ? `${entry.after.days} days` : "never";
    return `Set the default expiry of ${expiry.ioc_type} rules of tenant '${entry.target}' to ${days}`;
  }
  return `Edited tenant '${entry.target}': ${changedFields(entry).join(", ")} changed`;
}

function describeKey(entry: AuditEntry): string {
  const doc = entry.after ?? {};
  if (entry.action === "Create") return `Created API key ${entry.target} (role ${doc.role}, ${doc.security})`;
  return `${VERBS[entry.action]} API key ${entry.target}`;
}

/** One line a person can read, as the live service's AUDIT_DESCRIPTION is. */
export function describeAuditEntry(entry: AuditEntry): string {
  if (entry.result !== "SUCCESS") return `Refused ${entry.target}: ${entry.reason ?? "no reason given"}`;
  switch (entry.entity) {
    case "IOC_RULES":
      return describeRule(entry, "IOC", (doc) => `${doc.type} ${shown(doc.indicator)}`);
    case "BIOC_RULES":
      return describeRule(entry, "BIOC", (doc) => `'${shown(doc.name)}'`);
    case "CORRELATION_RULES":
      return describeRule(entry, "correlation", (doc) => `'${shown(doc.name)}'`);
    case "API_KEYS":
      return describeKey(entry);
    case "TENANTS":
      return describeTenant(entry);
  }
}
