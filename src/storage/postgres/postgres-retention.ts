import type pg from "pg";
import type { ChangeContext } from "../../domain/audit/audit-model.ts";
import { type RetentionStore, retentionDoc } from "../retention-ports.ts";
import { transaction } from "./postgres-database.ts";

const AUDIT_ROW = `INSERT INTO audit_log (tenant_id, at, actor, address, entity, action, target, before, after)
  VALUES ($1, $2, $3, $4, 'TENANTS', 'Edit', (SELECT name FROM tenants WHERE id = $1), $5::jsonb, $6::jsonb)`;

/** The tenant's oldest audit rows, none at or after the cutoff: a prefix of its log, so no AUDIT_ID moves. */
const OLDEST_ROWS = `SELECT id FROM audit_log WHERE tenant_id = $1
  AND id < COALESCE((SELECT min(id) FROM audit_log WHERE tenant_id = $1 AND at >= $2), 9223372036854775807)`;

function auditParams(tenant: number, ctx: ChangeContext, before: object | null, after: object | null) {
  const json = (doc: object | null) => (doc === null ? null : JSON.stringify(doc));
  return [tenant, ctx.now, ctx.actor.name, ctx.actor.address, json(before), json(after)];
}

export function postgresRetentionStore(pool: pg.Pool): RetentionStore {
  const get = async (client: pg.Pool | pg.PoolClient, tenantId: number) => {
    const { rows } = await client.query<{ alertsDays: number | null; auditDays: number | null }>(
      `SELECT alerts_days AS "alertsDays", audit_days AS "auditDays" FROM tenant_retention WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0] ?? { alertsDays: null, auditDays: null };
  };
  return {
    getRetention: (tenantId) => get(pool, tenantId),
    setRetention: (tenantId, next, ctx) =>
      transaction(pool, async (client) => {
        // the row lock makes two concurrent changes record each other's value as `before`
        await client.query("SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE", [tenantId]);
        const before = await get(client, tenantId);
        await client.query(
          `INSERT INTO tenant_retention (tenant_id, alerts_days, audit_days) VALUES ($1, $2, $3)
           ON CONFLICT (tenant_id) DO UPDATE SET alerts_days = EXCLUDED.alerts_days, audit_days = EXCLUDED.audit_days`,
          [tenantId, next.alertsDays, next.auditDays],
        );
        await client.query(AUDIT_ROW, auditParams(tenantId, ctx, retentionDoc(before), retentionDoc(next)));
      }),
    pruneAlerts: async (tenantId, before, limit) => {
      const { rowCount } = await pool.query(
        `DELETE FROM alerts WHERE tenant_id = $1 AND alert_id IN (SELECT alert_id FROM alerts
           WHERE tenant_id = $1 AND detection_timestamp < $2 LIMIT $3)`,
        [tenantId, before, limit],
      );
      return rowCount ?? 0;
    },
    pruneAudit: (tenantId, before, limit) =>
      transaction(pool, async (client) => {
        // the window lets this transaction alone delete this tenant's rows older than the cutoff
        await client.query(
          "INSERT INTO audit_prune_windows (txid, tenant_id, cutoff) VALUES (txid_current(), $1, $2)",
          [tenantId, before],
        );
        const { rowCount } = await client.query(
          `DELETE FROM audit_log WHERE id IN (${OLDEST_ROWS} ORDER BY id LIMIT $3)`,
          [tenantId, before, limit],
        );
        await client.query("DELETE FROM audit_prune_windows WHERE txid = txid_current()");
        const entries = rowCount ?? 0;
        if (entries > 0)
          await client.query(
            `INSERT INTO audit_pruned (tenant_id, entries) VALUES ($1, $2)
             ON CONFLICT (tenant_id) DO UPDATE SET entries = audit_pruned.entries + EXCLUDED.entries`,
            [tenantId, entries],
          );
        return entries;
      }),
    countPrunable: async (tenantId, before) => {
      const { rows } = await pool.query<{ alerts: number; audit: number }>(
        `SELECT (SELECT count(*) FROM alerts WHERE tenant_id = $1 AND detection_timestamp < $2) AS alerts,
                (SELECT count(*) FROM (${OLDEST_ROWS}) AS prefix) AS audit`,
        [tenantId, before],
      );
      return rows[0] ?? { alerts: 0, audit: 0 };
    },
    recordPrune: async (tenantId, record, ctx) => {
      await pool.query(AUDIT_ROW, auditParams(tenantId, ctx, null, { ...record }));
    },
    pruneCorrelationState: async (now, runsBefore, limit) => {
      const ended = await pool.query(
        `DELETE FROM correlation_suppressions WHERE (tenant_id, rule_id, suppression_key) IN (
           SELECT tenant_id, rule_id, suppression_key FROM correlation_suppressions WHERE until <= $1 LIMIT $2)`,
        [now, limit],
      );
      const runs = await pool.query(
        `DELETE FROM correlation_runs WHERE (tenant_id, rule_id, tick) IN (
           SELECT r.tenant_id, r.rule_id, r.tick FROM correlation_runs AS r WHERE r.ran_at < $1 AND EXISTS (
             SELECT 1 FROM correlation_runs AS later
             WHERE later.tenant_id = r.tenant_id AND later.rule_id = r.rule_id AND later.tick > r.tick)
           LIMIT $2)`,
        [runsBefore, limit],
      );
      const folds = await pool.query(
        `DELETE FROM stream_folds WHERE (tenant_id, message_key) IN (
           SELECT tenant_id, message_key FROM stream_folds WHERE folded_at < $1 LIMIT $2)`,
        [runsBefore, limit],
      );
      return (ended.rowCount ?? 0) + (runs.rowCount ?? 0) + (folds.rowCount ?? 0);
    },
  };
}
