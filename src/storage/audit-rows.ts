import type { AuditAction, AuditEntity, AuditEntry, AuditOrder } from "../domain/audit/audit-model.ts";

/** An `audit_log` row as SQLite (JSON text) or PostgreSQL (JSONB) returns it. */
export interface AuditRow {
  id: number;
  tenant_id: number;
  at: number;
  actor: string;
  address: string | null;
  entity: AuditEntity;
  action: AuditAction;
  target: string;
  before: string | Record<string, unknown> | null;
  after: string | Record<string, unknown> | null;
}

const document = (value: AuditRow["before"]) => (typeof value === "string" ? JSON.parse(value) : value);

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    at: row.at,
    actor: row.actor,
    address: row.address,
    entity: row.entity,
    action: row.action,
    target: row.target,
    before: document(row.before),
    after: document(row.after),
  };
}

const SORT_COLUMNS: Record<AuditOrder["field"], string> = {
  timestamp: "at",
  type: "entity",
  sub_type: "action",
  // every entry is a success: the order is the order of writing
  result: "id",
};

/** ORDER BY for an audit page; entries written in the same millisecond keep the order they were written in. */
export function auditOrderBy(order: AuditOrder): string {
  const direction = order.descending ? "DESC" : "ASC";
  const column = SORT_COLUMNS[order.field];
  return column === "id" ? `id ${direction}` : `${column} ${direction}, id ${direction}`;
}
