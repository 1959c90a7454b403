import type pg from "pg";
import type { KeyedAlert, StreamAlertStore } from "../stream-ports.ts";
import { transaction } from "./postgres-database.ts";
import { postgresOutboxFill } from "./postgres-delivery-store.ts";

const COUNTERS = [
  ["ioc_rules", "IOC", "number_of_issues"],
  ["bioc_rules", "BIOC", "number_of_issues"],
  ["correlation_rules", "CORRELATION", "hits"],
] as const;

/**
 * Keyed alerts from the stream consumer. Two nodes given the same message (a redelivery while the
 * first still works on it) both try the same keys: the unique index makes the second wait for the
 * first and then insert nothing. Ids of skipped alerts are left unused.
 */
export function postgresStreamAlertStore(pool: pg.Pool): StreamAlertStore {
  return {
    recordStreamAlerts: async (tenantId, alerts) => {
      if (alerts.length === 0) return 0;
      return transaction(pool, async (client) => {
        const { rows } = await client.query<{ first: number }>(
          "UPDATE tenants SET next_alert_id = next_alert_id + $2 WHERE id = $1 RETURNING next_alert_id - $2 AS first",
          [tenantId, alerts.length],
        );
        const first = rows[0]?.first as number;
        const column = <K extends keyof KeyedAlert>(key: K) => alerts.map((a) => a[key] ?? null);
        const added = await client.query<{ source: KeyedAlert["source"]; rule_id: string }>(
          `INSERT INTO alerts (tenant_id, alert_id, detection_timestamp, source, rule_id, name, severity, field, value, event, details, stream_key)
           SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
           ON CONFLICT (tenant_id, stream_key) WHERE stream_key IS NOT NULL DO NOTHING
           RETURNING source, rule_id`,
          [
            tenantId,
            alerts.map((_, i) => first + i),
            column("detectionTimestamp"),
            column("source"),
            column("ruleId"),
            column("name"),
            column("severity"),
            column("field"),
            column("value"),
            column("event"),
            column("details"),
            column("streamKey"),
          ],
        );
        for (const [table, source, counter] of COUNTERS) {
          const hit = added.rows.filter((row) => row.source === source).map((row) => row.rule_id);
          if (hit.length === 0) continue;
          await client.query(
            `UPDATE ${table} AS r SET ${counter} = ${counter} + c.n
             FROM (SELECT id, count(*) AS n FROM unnest($2::bigint[]) AS id GROUP BY id) AS c
             WHERE r.tenant_id = $1 AND r.rule_id = c.id`,
            [tenantId, hit],
          );
        }
        // in the same transaction, as for alerts over HTTP: a stored alert is owed to its webhooks
        await postgresOutboxFill(client, tenantId, first, first + alerts.length);
        return added.rowCount ?? 0;
      });
    },
  };
}
