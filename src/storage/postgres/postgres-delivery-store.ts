import type pg from "pg";
import type { DeliveryStore } from "../delivery-ports.ts";
import {
  ENTRY_SELECT,
  type EntryRow,
  outboxFillSql,
  TARGET_INSERT_COLUMNS,
  type TargetRow,
  targetParams,
  toEntry,
  toTarget,
} from "../delivery-rows.ts";
import { transaction } from "./postgres-database.ts";

/** The same tables as SQLite's (sqlite-delivery-store.ts), flags as SMALLINT so one SQL text serves both. */
export const POSTGRES_DELIVERY_MIGRATION = `
  CREATE TABLE delivery_targets (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT REFERENCES tenants (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    sealed_secret BYTEA,
    min_rank SMALLINT NOT NULL,
    send_ioc SMALLINT NOT NULL,
    send_bioc SMALLINT NOT NULL,
    send_correlation SMALLINT NOT NULL,
    enabled SMALLINT NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE UNIQUE INDEX delivery_targets_name ON delivery_targets (coalesce(tenant_id, 0), name);

  CREATE TABLE delivery_outbox (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    target_id BIGINT NOT NULL,
    alert_id BIGINT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    dead_at BIGINT,
    UNIQUE (target_id, tenant_id, alert_id)
  );
  CREATE INDEX delivery_outbox_due ON delivery_outbox (next_attempt_at) WHERE dead_at IS NULL;
  CREATE INDEX delivery_outbox_dead ON delivery_outbox (tenant_id, dead_at) WHERE dead_at IS NOT NULL;
`;

const owner = (n: number) => `coalesce(tenant_id, 0) = coalesce($${n}::bigint, 0)`;
const bool = (b: boolean) => (b ? 1 : 0);
const FILL = outboxFillSql((n) => `$${n}`);

/** Fills the outbox for a tenant's alerts [first, end); run inside the transaction that stored them. */
export async function postgresOutboxFill(
  client: pg.PoolClient,
  tenantId: number,
  first: number,
  end: number,
): Promise<void> {
  await client.query(FILL, [tenantId, first, end]);
}

/**
 * Several nodes claim from one outbox: FOR UPDATE SKIP LOCKED gives each node rows no other node
 * is taking at that moment, and the lease (next_attempt_at moved ahead) keeps them its own until
 * it reports; a node that dies leaves them to fall due again.
 */
const CLAIM = `UPDATE delivery_outbox o SET next_attempt_at = $2
  FROM (SELECT id FROM delivery_outbox WHERE dead_at IS NULL AND next_attempt_at <= $1
        ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) due
  WHERE o.id = due.id RETURNING o.id`;

export function postgresDeliveryStore(pool: pg.Pool): DeliveryStore {
  return {
    createTarget: async (target) => {
      const { rows } = await pool.query<TargetRow>(
        `INSERT INTO delivery_targets (${TARGET_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT DO NOTHING RETURNING *`,
        targetParams(target, bool),
      );
      return rows[0] && toTarget(rows[0]);
    },
    listTargets: async (tenantId) =>
      (
        await pool.query<TargetRow>(`SELECT * FROM delivery_targets WHERE ${owner(1)} ORDER BY name`, [tenantId])
      ).rows.map(toTarget),
    deleteTarget: (tenantId, name) =>
      transaction(pool, async (client) => {
        const { rows } = await client.query<{ id: number }>(
          `DELETE FROM delivery_targets WHERE ${owner(1)} AND name = $2 RETURNING id`,
          [tenantId, name],
        );
        if (!rows[0]) return false;
        await client.query("DELETE FROM delivery_outbox WHERE target_id = $1", [rows[0].id]);
        return true;
      }),
    setTargetEnabled: async (tenantId, name, enabled) =>
      ((
        await pool.query(`UPDATE delivery_targets SET enabled = $3 WHERE ${owner(1)} AND name = $2`, [
          tenantId,
          name,
          bool(enabled),
        ])
      ).rowCount ?? 0) > 0,
    rotateTargetSecret: async (tenantId, name, sealedSecret, previousUntil) =>
      ((
        await pool.query(
          `UPDATE delivery_targets SET sealed_previous_secret = sealed_secret, previous_secret_until = $3, sealed_secret = $4
           WHERE ${owner(1)} AND name = $2 AND kind = 'webhook'`,
          [tenantId, name, previousUntil, sealedSecret],
        )
      ).rowCount ?? 0) > 0,
    claimDeliveries: (now, leaseMs, limit) =>
      transaction(pool, async (client) => {
        const claimed = (await client.query<{ id: number }>(CLAIM, [now, now + leaseMs, limit])).rows.map((r) => r.id);
        if (claimed.length === 0) return [];
        // an entry whose alert is gone (retention) has nothing left to deliver
        await client.query(
          `DELETE FROM delivery_outbox o WHERE o.id = ANY($1::bigint[])
           AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.tenant_id = o.tenant_id AND a.alert_id = o.alert_id)`,
          [claimed],
        );
        const { rows } = await client.query<EntryRow>(`${ENTRY_SELECT} WHERE o.id = ANY($1::bigint[]) ORDER BY o.id`, [
          claimed,
        ]);
        return rows.map(toEntry);
      }),
    hasDueDeliveries: async (now) =>
      (await pool.query("SELECT 1 FROM delivery_outbox WHERE dead_at IS NULL AND next_attempt_at <= $1 LIMIT 1", [now]))
        .rows.length > 0,
    recordDelivered: async (ids) => {
      if (ids.length > 0) await pool.query("DELETE FROM delivery_outbox WHERE id = ANY($1::bigint[])", [ids]);
    },
    recordFailures: async (failures) => {
      if (failures.length === 0) return;
      await pool.query(
        `UPDATE delivery_outbox o SET attempts = f.attempts, next_attempt_at = f.next, last_error = f.error, dead_at = f.dead
         FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::text[], $5::bigint[]) AS f(id, attempts, next, error, dead)
         WHERE o.id = f.id`,
        [
          failures.map((f) => f.id),
          failures.map((f) => f.attempts),
          failures.map((f) => f.nextAttemptAt),
          failures.map((f) => f.error),
          failures.map((f) => f.deadAt),
        ],
      );
    },
    listDeadLetters: async (tenantId, limit) =>
      (
        await pool.query<EntryRow>(
          `${ENTRY_SELECT} WHERE o.dead_at IS NOT NULL AND coalesce(t.tenant_id, 0) = coalesce($1::bigint, 0)
           ORDER BY o.dead_at, o.id LIMIT $2`,
          [tenantId, limit],
        )
      ).rows.map(toEntry),
    retryDeadLetters: async (tenantId, ids, now) =>
      (
        await pool.query(
          `UPDATE delivery_outbox SET dead_at = NULL, attempts = 0, next_attempt_at = $2
           WHERE dead_at IS NOT NULL AND target_id IN (SELECT id FROM delivery_targets WHERE ${owner(1)})
             AND ($3::bigint[] IS NULL OR id = ANY($3::bigint[]))`,
          [tenantId, now, ids === undefined ? null : ids],
        )
      ).rowCount ?? 0,
  };
}
