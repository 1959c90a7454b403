/**
 * Retention: how long a tenant keeps its alerts and audit log, and the deletes that enforce it,
 * each a small batch (src/domain/retention runs them, yielding between batches).
 */
import type { ChangeContext } from "../domain/audit/audit-model.ts";

/** Days kept; null takes the server's default, 0 keeps forever. */
export interface TenantRetention {
  alertsDays: number | null;
  auditDays: number | null;
}

/** What a prune's audit entry records (in the tenant's log, as an edit of the tenant). */
export interface PruneRecord {
  pruned: "alerts" | "audit_log";
  /** Entries older than this (epoch ms) were deleted. */
  before: number;
  deleted: number;
}

export interface RetentionStore {
  getRetention(tenantId: number): Promise<TenantRetention>;
  /** Sets both ages (null: the server's default), recording the change in the tenant's audit log. */
  setRetention(tenantId: number, retention: TenantRetention, ctx: ChangeContext): Promise<void>;
  /** Deletes up to `limit` of the tenant's alerts detected before `before`; answers how many. */
  pruneAlerts(tenantId: number, before: number, limit: number): Promise<number>;
  /**
   * Deletes up to `limit` of the tenant's oldest audit entries, none at or after `before`, through
   * the log's prune window (the one way rows may leave it); answers how many entries went.
   */
  pruneAudit(tenantId: number, before: number, limit: number): Promise<number>;
  /** How many alerts and audit entries a prune at `before` would delete (for --dry-run). */
  countPrunable(tenantId: number, before: number): Promise<{ alerts: number; audit: number }>;
  /** Records a finished prune (who, cutoff, how many) in the tenant's audit log. */
  recordPrune(tenantId: number, record: PruneRecord, ctx: ChangeContext): Promise<void>;
  /**
   * Deletes up to `limit` rows of correlation state nothing reads any more: suppressions that
   * ended before `now`, runs of ticks before `runsBefore` that a later run of the rule follows,
   * and stream messages' fold keys older than `runsBefore` (no message is redelivered that late).
   */
  pruneCorrelationState(now: number, runsBefore: number, limit: number): Promise<number>;
}

/** The tenant's audit doc of its retention (before and after a change). */
export function retentionDoc(r: TenantRetention): Record<string, number | null> {
  return { alerts_retention_days: r.alertsDays, audit_retention_days: r.auditDays };
}
