import type { Alert, NewAlert } from "../../domain/alerts/alert-model.ts";
import type { RulePage } from "../../domain/filters/filter-model.ts";
import { ALERT_FILTER_COLUMNS } from "../filter-columns.ts";
import type { AlertStore } from "../ports.ts";
import { orderBy, whereClause } from "../sql-filters.ts";
import type { KeyedAlert, StreamAlertStore, StreamFold } from "../stream-ports.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { sqliteOutboxFill } from "./sqlite-delivery-store.ts";
import { statementCache } from "./sqlite-statement-cache.ts";
import { sqliteStreamFold } from "./sqlite-stream-fold.ts";

const FILTER_COLUMNS = ALERT_FILTER_COLUMNS;

interface AlertRow {
  alert_id: number;
  detection_timestamp: number;
  source: Alert["source"];
  rule_id: number;
  name: string;
  severity: Alert["severity"];
  field: string;
  value: string;
  event: string;
  details: string | null;
}

function toAlert(row: AlertRow): Alert {
  return {
    alertId: row.alert_id,
    detectionTimestamp: row.detection_timestamp,
    source: row.source,
    ruleId: row.rule_id,
    name: row.name,
    severity: row.severity,
    field: row.field,
    value: row.value,
    event: row.event,
    details: row.details,
  };
}

/**
 * The one alert write of both entry points: alerts without a key (`keys[i]` absent: HTTP) are all stored; a stream alert
 * whose key is already stored is skipped, and neither counted in its rule nor owed to a target.
 * Answers the ids of the alerts stored, in order.
 */
function sqliteAlertWrite(db: SqliteDb) {
  const nextId = db.prepare("SELECT next_alert_id FROM tenants WHERE id = ?").pluck();
  const saveNextId = db.prepare("UPDATE tenants SET next_alert_id = ? WHERE id = ?");
  const insert = db.prepare(
    `INSERT INTO alerts (tenant_id, alert_id, detection_timestamp, source, rule_id, name, severity, field, value, event, details, stream_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, stream_key) WHERE stream_key IS NOT NULL DO NOTHING`,
  );
  const iocIssues = db.prepare(
    "UPDATE ioc_rules SET number_of_issues = number_of_issues + ? WHERE tenant_id = ? AND rule_id = ?",
  );
  const biocIssues = db.prepare(
    "UPDATE bioc_rules SET number_of_issues = number_of_issues + ? WHERE tenant_id = ? AND rule_id = ?",
  );
  const correlationHits = db.prepare(
    "UPDATE correlation_rules SET hits = hits + ? WHERE tenant_id = ? AND rule_id = ?",
  );
  const counters = { IOC: iocIssues, BIOC: biocIssues, CORRELATION: correlationHits };
  const fillOutbox = sqliteOutboxFill(db);

  return db.transaction((tenantId: number, alerts: readonly NewAlert[], keys: readonly (string | null)[] = []) => {
    let next = nextId.get(tenantId) as number;
    const first = next;
    const ids: number[] = [];
    const counts = new Map<string, number>();
    for (const [i, a] of alerts.entries()) {
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
        keys[i] ?? null,
      );
      if (changes === 0) continue; // a stream alert delivered before: stored then
      ids.push(next++);
      const key = `${a.source}:${a.ruleId}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, count] of counts) {
      const [source, ruleId] = key.split(":");
      counters[source as keyof typeof counters].run(count, tenantId, Number(ruleId));
    }
    saveNextId.run(next, tenantId);
    // in the same transaction: an alert stored is an alert owed to its webhooks and syslog receivers
    fillOutbox(tenantId, first, next);
    return ids;
  });
}

export function sqliteAlertStore(db: SqliteDb): AlertStore & StreamAlertStore {
  const prepare = statementCache(db);
  const record = sqliteAlertWrite(db);
  const foldOnce = sqliteStreamFold(db);
  const recordStream = db.transaction(
    (tenantId: number, alerts: readonly KeyedAlert[], fold: StreamFold | undefined) => {
      if (fold) foldOnce(tenantId, fold);
      if (alerts.length === 0) return 0;
      return record(
        tenantId,
        alerts,
        alerts.map((a) => a.streamKey),
      ).length;
    },
  );

  const find = db.transaction((tenantId: number, where: { sql: string; params: unknown[] }, page: RulePage) => {
    const total = prepare(`SELECT count(*) FROM alerts WHERE tenant_id = ? AND ${where.sql}`)
      .pluck()
      .get(tenantId, ...where.params) as number;
    const rows = prepare(
      `SELECT * FROM alerts WHERE tenant_id = ? AND ${where.sql} ORDER BY ${orderBy(page.sort, FILTER_COLUMNS, "alert_id")} LIMIT ? OFFSET ?`,
    ).all(tenantId, ...where.params, page.to - page.from, page.from) as AlertRow[];
    return { total, rules: rows.map(toAlert) };
  });

  return {
    recordAlerts: async (tenantId, alerts) => (alerts.length === 0 ? [] : record.immediate(tenantId, alerts)),
    recordStreamAlerts: async (tenantId, alerts, fold) => recordStream.immediate(tenantId, alerts, fold),
    findAlerts: async (tenantId, filters, page) => find(tenantId, whereClause(filters, FILTER_COLUMNS), page),
  };
}
