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
import type { SqliteDb } from "./sqlite-database.ts";

/**
 * Targets (webhooks, syslog receivers) and the outbox (src/delivery). A server-wide target has no
 * tenant. Delivered entries are deleted; dead letters stay, with dead_at set, until retried.
 */
export const DELIVERY_MIGRATION = `
  CREATE TABLE delivery_targets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER REFERENCES tenants (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    sealed_secret BLOB,
    min_rank INTEGER NOT NULL,
    send_ioc INTEGER NOT NULL,
    send_bioc INTEGER NOT NULL,
    send_correlation INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  -- names unique per owner; ifnull folds the server-wide targets (no tenant) into one owner
  CREATE UNIQUE INDEX delivery_targets_name ON delivery_targets (ifnull(tenant_id, 0), name);

  CREATE TABLE delivery_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL,
    target_id INTEGER NOT NULL,
    alert_id INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    dead_at INTEGER,
    UNIQUE (target_id, tenant_id, alert_id)
  );
  CREATE INDEX delivery_outbox_due ON delivery_outbox (next_attempt_at) WHERE dead_at IS NULL;
  CREATE INDEX delivery_outbox_dead ON delivery_outbox (tenant_id, dead_at) WHERE dead_at IS NOT NULL;
`;

const owner = "ifnull(tenant_id, 0) = ifnull(?, 0)";
const bool = (b: boolean) => (b ? 1 : 0);

/** Fills the outbox for a tenant's alerts [first, end); run inside the transaction that stored them. */
export function sqliteOutboxFill(db: SqliteDb): (tenantId: number, first: number, end: number) => void {
  const fill = db.prepare(outboxFillSql(() => "?"));
  return (tenantId, first, end) => {
    fill.run(tenantId, tenantId, first, end);
  };
}

export function sqliteDeliveryStore(db: SqliteDb): DeliveryStore {
  const insert = db.prepare(
    `INSERT INTO delivery_targets (${TARGET_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING RETURNING *`,
  );
  const list = db.prepare(`SELECT * FROM delivery_targets WHERE ${owner} ORDER BY name`);
  const findId = db.prepare(`SELECT id FROM delivery_targets WHERE ${owner} AND name = ?`).pluck();
  const removeTarget = db.prepare("DELETE FROM delivery_targets WHERE id = ?");
  const removeOwed = db.prepare("DELETE FROM delivery_outbox WHERE target_id = ?");
  const enable = db.prepare(`UPDATE delivery_targets SET enabled = ? WHERE ${owner} AND name = ?`);
  const rotate = db.prepare(
    `UPDATE delivery_targets SET sealed_previous_secret = sealed_secret, previous_secret_until = ?, sealed_secret = ?
     WHERE ${owner} AND name = ? AND kind = 'webhook'`,
  );
  const due = db
    .prepare(
      "SELECT id FROM delivery_outbox WHERE dead_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
    )
    .pluck();
  const lease = db.prepare("UPDATE delivery_outbox SET next_attempt_at = ? WHERE id = ?");
  const entries = db.prepare(`${ENTRY_SELECT} WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id`);
  // an entry whose alert is gone (retention) has nothing left to deliver
  const orphans = db.prepare(
    `DELETE FROM delivery_outbox WHERE id IN (SELECT value FROM json_each(?))
     AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.tenant_id = delivery_outbox.tenant_id AND a.alert_id = delivery_outbox.alert_id)`,
  );
  const delivered = db.prepare("DELETE FROM delivery_outbox WHERE id = ?");
  const failed = db.prepare(
    "UPDATE delivery_outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, dead_at = ? WHERE id = ?",
  );
  const dead = db.prepare(
    `${ENTRY_SELECT} WHERE o.dead_at IS NOT NULL AND ifnull(t.tenant_id, 0) = ifnull(?, 0) ORDER BY o.dead_at, o.id LIMIT ?`,
  );
  const revive = db.prepare(
    `UPDATE delivery_outbox SET dead_at = NULL, attempts = 0, next_attempt_at = ?
     WHERE dead_at IS NOT NULL AND target_id IN (SELECT id FROM delivery_targets WHERE ${owner})
       AND (? IS NULL OR id IN (SELECT value FROM json_each(?)))`,
  );

  const claim = db.transaction((now: number, leaseMs: number, limit: number) => {
    const ids = due.all(now, limit) as number[];
    if (ids.length === 0) return [];
    for (const id of ids) lease.run(now + leaseMs, id);
    orphans.run(JSON.stringify(ids));
    return (entries.all(JSON.stringify(ids)) as EntryRow[]).map(toEntry);
  });
  const deleteTarget = db.transaction((tenantId: number | null, name: string) => {
    const id = findId.get(tenantId, name) as number | undefined;
    if (id === undefined) return false;
    removeOwed.run(id);
    removeTarget.run(id);
    return true;
  });

  return {
    createTarget: async (target) => {
      const row = insert.get(...targetParams(target, bool)) as TargetRow | undefined;
      return row && toTarget(row);
    },
    listTargets: async (tenantId) => (list.all(tenantId) as TargetRow[]).map(toTarget),
    deleteTarget: async (tenantId, name) => deleteTarget.immediate(tenantId, name),
    setTargetEnabled: async (tenantId, name, enabled) => enable.run(bool(enabled), tenantId, name).changes > 0,
    rotateTargetSecret: async (tenantId, name, sealedSecret, previousUntil) =>
      rotate.run(previousUntil, sealedSecret, tenantId, name).changes > 0,
    claimDeliveries: async (now, leaseMs, limit) => claim.immediate(now, leaseMs, limit),
    hasDueDeliveries: async (now) => due.all(now, 1).length > 0,
    recordDelivered: async (ids) => {
      db.transaction(() => {
        for (const id of ids) delivered.run(id);
      }).immediate();
    },
    recordFailures: async (failures) => {
      db.transaction(() => {
        for (const f of failures) failed.run(f.attempts, f.nextAttemptAt, f.error, f.deadAt, f.id);
      }).immediate();
    },
    listDeadLetters: async (tenantId, limit) => (dead.all(tenantId, limit) as EntryRow[]).map(toEntry),
    retryDeadLetters: async (tenantId, ids, now) => {
      const idList = ids === undefined ? null : JSON.stringify(ids);
      return revive.run(now, tenantId, idList, idList).changes;
    },
  };
}
