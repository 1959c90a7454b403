import type { ChangeContext } from "../../domain/audit/audit-model.ts";
import { type RetentionStore, retentionDoc, type TenantRetention } from "../retention-ports.ts";
import type { SqliteDb } from "./sqlite-database.ts";

const AUDIT_ROW = `INSERT INTO audit_log (tenant_id, at, actor, address, entity, action, target, before, after)
  VALUES (@tenant, @at, @actor, @address, 'TENANTS', 'Edit', (SELECT name FROM tenants WHERE id = @tenant), @before, @after)`;

/** The tenant's oldest audit rows, none at or after the cutoff: a prefix of its log, so no AUDIT_ID moves. */
const OLDEST_ROWS = `SELECT id, items_count FROM audit_log WHERE tenant_id = @tenant
  AND id < COALESCE((SELECT min(id) FROM audit_log WHERE tenant_id = @tenant AND at >= @before), 9e18)
  ORDER BY id LIMIT @limit`;

export function sqliteRetentionStore(db: SqliteDb): RetentionStore {
  const get = db.prepare<[number], { alertsDays: number | null; auditDays: number | null }>(
    "SELECT alerts_days AS alertsDays, audit_days AS auditDays FROM tenant_retention WHERE tenant_id = ?",
  );
  const put = db.prepare(
    `INSERT INTO tenant_retention (tenant_id, alerts_days, audit_days) VALUES (?, ?, ?)
     ON CONFLICT (tenant_id) DO UPDATE SET alerts_days = excluded.alerts_days, audit_days = excluded.audit_days`,
  );
  const audit = db.prepare(AUDIT_ROW);
  const alerts = db.prepare(
    `DELETE FROM alerts WHERE tenant_id = @tenant AND alert_id IN (SELECT alert_id FROM alerts
       WHERE tenant_id = @tenant AND detection_timestamp < @before LIMIT @limit)`,
  );
  const oldest = db.prepare<[{ tenant: number; before: number; limit: number }], { id: number; items_count: number }>(
    OLDEST_ROWS,
  );
  const openWindow = db.prepare("INSERT INTO audit_prune_windows (tenant_id, cutoff) VALUES (?, ?)");
  const closeWindow = db.prepare("DELETE FROM audit_prune_windows");
  const deleteUpTo = db.prepare("DELETE FROM audit_log WHERE tenant_id = ? AND id <= ?");
  const addPruned = db.prepare(
    `INSERT INTO audit_pruned (tenant_id, entries) VALUES (?, ?)
     ON CONFLICT (tenant_id) DO UPDATE SET entries = entries + excluded.entries`,
  );
  const countAlerts = db.prepare("SELECT count(*) FROM alerts WHERE tenant_id = ? AND detection_timestamp < ?").pluck();
  const countAudit = db
    .prepare(`SELECT coalesce(sum(items_count), 0) FROM (${OLDEST_ROWS.replace("LIMIT @limit", "")})`)
    .pluck();
  const suppressions = db.prepare(
    `DELETE FROM correlation_suppressions WHERE (tenant_id, rule_id, suppression_key) IN (
       SELECT tenant_id, rule_id, suppression_key FROM correlation_suppressions WHERE until <= ? LIMIT ?)`,
  );
  const folds = db.prepare(
    `DELETE FROM stream_folds WHERE (tenant_id, message_key) IN (
       SELECT tenant_id, message_key FROM stream_folds WHERE folded_at < ? LIMIT ?)`,
  );
  const runs = db.prepare(
    `DELETE FROM correlation_runs WHERE (tenant_id, rule_id, tick) IN (
       SELECT r.tenant_id, r.rule_id, r.tick FROM correlation_runs AS r WHERE r.ran_at < ? AND EXISTS (
         SELECT 1 FROM correlation_runs AS later
         WHERE later.tenant_id = r.tenant_id AND later.rule_id = r.rule_id AND later.tick > r.tick)
       LIMIT ?)`,
  );

  const setRetention = db.transaction((tenantId: number, next: TenantRetention, ctx: ChangeContext) => {
    const before = get.get(tenantId) ?? { alertsDays: null, auditDays: null };
    put.run(tenantId, next.alertsDays, next.auditDays);
    audit.run(auditValues(tenantId, ctx, retentionDoc(before), retentionDoc(next)));
  });
  /** The window, the delete and the count in one transaction; the window is gone before it commits. */
  const pruneAudit = db.transaction((tenantId: number, before: number, limit: number) => {
    const rows = oldest.all({ tenant: tenantId, before, limit });
    const last = rows.at(-1);
    if (!last) return 0;
    openWindow.run(tenantId, before);
    deleteUpTo.run(tenantId, last.id);
    closeWindow.run();
    const entries = rows.reduce((sum, row) => sum + row.items_count, 0);
    addPruned.run(tenantId, entries);
    return entries;
  });
  return {
    getRetention: async (tenantId) => get.get(tenantId) ?? { alertsDays: null, auditDays: null },
    setRetention: async (tenantId, retention, ctx) => setRetention.immediate(tenantId, retention, ctx),
    pruneAlerts: async (tenantId, before, limit) => alerts.run({ tenant: tenantId, before, limit }).changes,
    pruneAudit: async (tenantId, before, limit) => pruneAudit.immediate(tenantId, before, limit),
    countPrunable: async (tenantId, before) => ({
      alerts: countAlerts.get(tenantId, before) as number,
      audit: countAudit.get({ tenant: tenantId, before }) as number,
    }),
    recordPrune: async (tenantId, record, ctx) => {
      audit.run(auditValues(tenantId, ctx, null, { ...record }));
    },
    pruneCorrelationState: async (now, runsBefore, limit) => {
      const ended = suppressions.run(now, limit).changes;
      const ran = runs.run(runsBefore, Math.max(0, limit - ended)).changes;
      return ended + ran + folds.run(runsBefore, Math.max(0, limit - ended - ran)).changes;
    },
  };
}

function auditValues(tenant: number, ctx: ChangeContext, before: object | null, after: object | null) {
  return {
    tenant,
    at: ctx.now,
    actor: ctx.actor.name,
    address: ctx.actor.address,
    before: before && JSON.stringify(before),
    after: after && JSON.stringify(after),
  };
}
