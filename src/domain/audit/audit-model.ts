/**
 * The audit log: every change to rules, keys and tenants, with who made it, when, and the
 * record before and after. The store writes it in the same transaction as the change itself.
 */

/** Who made a change: an API key (with the address it called from), the CLI's user, or Warden itself. */
export interface Actor {
  name: string;
  address: string | null;
}

/** When and by whom a change is made; every write to the store carries one. */
export interface ChangeContext {
  now: number;
  actor: Actor;
}

/** The names the live service gives its audit entities and sub-types (AUDIT_ENTITY, AUDIT_ENTITY_SUBTYPE). */
export const AUDIT_ENTITIES = ["IOC_RULES", "BIOC_RULES", "CORRELATION_RULES", "API_KEYS", "TENANTS"] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export const AUDIT_ACTIONS = ["Create", "Edit", "Enable", "Disable", "Delete", "Revoke"] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** SUCCESS for a change made; FAIL for a write Warden refused (the live service's AUDIT_RESULT). */
export type AuditResult = "SUCCESS" | "FAIL";

export interface AuditEntry {
  id: number;
  tenantId: number;
  at: number;
  actor: string;
  address: string | null;
  entity: AuditEntity;
  action: AuditAction;
  /** The rule id, key id or tenant name changed. */
  target: string;
  /** The record as it was (null for a creation) and as it became (null for a deletion). */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  result: AuditResult;
  /** Why a write was refused (its status and message); null for a change made. */
  reason: string | null;
}

/**
 * A write Warden refused, as the log records it: who, from where (the actor), what they tried
 * (entity, action, and the endpoint as target) and why. Nothing changed, so there is no record.
 */
export interface AuditRefusal {
  at: number;
  actor: Actor;
  entity: AuditEntity;
  action: AuditAction;
  target: string;
  reason: string;
}

export const AUDIT_SORT_FIELDS = ["timestamp", "type", "sub_type", "result"] as const;
export type AuditSortField = (typeof AUDIT_SORT_FIELDS)[number];

export interface AuditOrder {
  field: AuditSortField;
  descending: boolean;
}

/** How Warden itself and the CLI appear as actors; API keys appear as the live service names them. */
export const actors = {
  apiKey: (keyId: number, address: string | null): Actor => ({ name: `Public API - ${keyId}`, address }),
  cli: (user: string): Actor => ({ name: `CLI - ${user}`, address: null }),
  firstStart: { name: "Warden (first start)", address: null } as Actor,
};
