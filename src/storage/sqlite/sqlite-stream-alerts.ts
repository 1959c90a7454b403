import type { KeyedAlert, StreamAlertStore } from "../stream-ports.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { sqliteOutboxFill } from "./sqlite-delivery-store.ts";

/** Keyed alerts from the stream consumer: a key already stored inserts nothing and counts nothing. */
export function sqliteStreamAlertStore(db: SqliteDb): StreamAlertStore {
  const nextId = db.prepare("SELECT next_alert_id FROM tenants WHERE id = ?").pluck();
  const saveNextId = db.prepare("UPDATE tenants SET next_alert_id = ? WHERE id = ?");
  const insert = db.prepare(
    `INSERT INTO alerts (tenant_id, alert_id, detection_timestamp, source, rule_id, name, severity, field, value, event, details, stream_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, stream_key) WHERE stream_key IS NOT NULL DO NOTHING`,
  );
  const counters = {
    IOC: db.prepare("UPDATE ioc_rules SET number_of_issues = number_of_issues + 1 WHERE tenant_id = ? AND rule_id = ?"),
    BIOC: db.prepare(
      "UPDATE bioc_rules SET number_of_issues = number_of_issues + 1 WHERE tenant_id = ? AND rule_id = ?",
    ),
    CORRELATION: db.prepare("UPDATE correlation_rules SET hits = hits + 1 WHERE tenant_id = ? AND rule_id = ?"),
  };

  const fillOutbox = sqliteOutboxFill(db);

  const record = db.transaction((tenantId: number, alerts: readonly KeyedAlert[]) => {
    const first = nextId.get(tenantId) as number;
    let next = first;
    let added = 0;
    for (const a of alerts) {
      const { changes } = insert.run(
        tenantId,
        next,
        a.detectionTimestamp,
        a.source,
        a.ruleId,
        a.name,
        a.severity,
        a.field,
        a.value,
        a.event,
        a.details ?? null,
        a.streamKey,
      );
      if (changes === 0) continue; // delivered before: stored then
      next++;
      added++;
      counters[a.source].run(tenantId, a.ruleId);
    }
    saveNextId.run(next, tenantId);
    // in the same transaction, as for alerts over HTTP: a stored alert is owed to its webhooks
    fillOutbox(tenantId, first, next);
    return added;
  });

  return {
    recordStreamAlerts: async (tenantId, alerts) => (alerts.length === 0 ? 0 : record.immediate(tenantId, alerts)),
  };
}
