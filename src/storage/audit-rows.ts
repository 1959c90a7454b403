import type {
  AuditAction,
  AuditEntity,
  AuditEntry,
  AuditOrder,
  AuditRefusal,
  AuditResult,
} from "../domain/audit/audit-model.ts";

/** An `audit_log` row with its records decoded (PostgreSQL's JSONB as it comes, SQLite's text once restored). */
export interface AuditRow {
  id: number;
  tenant_id: number;
  at: number;
  actor: string;
  address: string | null;
  entity: AuditEntity;
  action: AuditAction;
  target: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  result: AuditResult;
  reason: string | null;
  /** The entry's number within its tenant's log (numberedAudit). */
  tenant_audit_id: number | string;
}

/**
 * The order each entity's record lists its fields in. PostgreSQL's JSONB keeps its own key order,
 * so both backends' records are put in this one: the same change reads the same on either.
 */
export const AUDIT_FIELD_ORDER: Record<AuditEntity, readonly string[]> = {
  IOC_RULES: [
    "rule_id",
    "indicator",
    "type",
    "severity",
    "expiration_date",
    "default_expiration_enabled",
    "comment",
    "reputation",
    "reliability",
    "vendors",
    "class",
    "enabled",
    "source",
    "creation_time",
    "modification_time",
  ],
  BIOC_RULES: [
    "rule_id",
    "name",
    "type",
    "severity",
    "comment",
    "status",
    "is_xql",
    "indicator",
    "mitre_tactic_id_and_name",
    "mitre_technique_id_and_name",
    "source",
    "creation_time",
    "modification_time",
  ],
  CORRELATION_RULES: ["rule_id", "name", "definition", "created_by", "insert_time", "modify_time"],
  API_KEYS: ["key_id", "role", "security", "created_at", "expires_at", "revoked_at"],
  TENANTS: ["name", "license", "ioc_type", "days"],
};

function ordered(doc: AuditRow["before"], entity: AuditEntity): Record<string, unknown> | null {
  if (doc === null) return null;
  const inOrder: Record<string, unknown> = {};
  for (const key of AUDIT_FIELD_ORDER[entity]) if (Object.hasOwn(doc, key)) inOrder[key] = doc[key];
  return Object.assign(inOrder, doc);
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.tenant_audit_id),
    tenantId: row.tenant_id,
    at: row.at,
    actor: row.actor,
    address: row.address,
    entity: row.entity,
    action: row.action,
    target: row.target,
    before: ordered(row.before, row.entity),
    after: ordered(row.after, row.entity),
    result: row.result,
    reason: row.reason,
  };
}

/**
 * The audit log with each entry numbered within its tenant (1, 2, 3 ...), as `audits/management_logs`
 * shows AUDIT_ID: global ids would let gaps reveal other tenants' activity (finding 11). The numbers
 * never move: the log is append-only, ids only grow, and a prune (retention) removes the oldest
 * entries and adds their count to audit_pruned, which the numbering starts from. `scope` picks the tenants read.
 * `audit_entries` is the log one entry per change: a packed row (one write's rule changes, see
 * sqlite-audit-pack.ts) gives one entry per `item`, in the order they were made.
 */
export function numberedAudit(scope: string): string {
  return `(SELECT *, row_number() OVER (PARTITION BY tenant_id ORDER BY id, item)
      + COALESCE((SELECT p.entries FROM audit_pruned AS p WHERE p.tenant_id = audit_entries.tenant_id), 0)
      AS tenant_audit_id
    FROM audit_entries WHERE ${scope}) AS numbered`;
}

/** The columns and values of a refused write's row, in that order (both backends insert it alike). */
export const REFUSAL_COLUMNS = "tenant_id, at, actor, address, entity, action, target, result, reason";

export function refusalValues(tenantId: number, refusal: AuditRefusal): unknown[] {
  const { at, actor, entity, action, target, reason } = refusal;
  return [tenantId, at, actor.name, actor.address, entity, action, target, "FAIL", reason];
}

const SORT_COLUMNS: Record<AuditOrder["field"], string> = {
  timestamp: "at",
  type: "entity",
  sub_type: "action",
  result: "result",
};

/** ORDER BY for an audit page; entries written in the same millisecond keep the order they were written in. */
export function auditOrderBy(order: AuditOrder): string {
  const direction = order.descending ? "DESC" : "ASC";
  const column = SORT_COLUMNS[order.field];
  return `${column} ${direction}, id ${direction}, item ${direction}`;
}
