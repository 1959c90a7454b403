import type pg from "pg";
import type { Alert, NewAlert } from "../../domain/alerts/alert-model.ts";
import { ALERT_FILTER_COLUMNS } from "../filter-columns.ts";
import type { AlertStore, MatchableBioc, MatchableIoc, RuleSetStore } from "../ports.ts";
import { orderBy, POSTGRES_FILTERS, whereClause } from "../sql-filters.ts";
import type { StreamAlertStore } from "../stream-ports.ts";
import { transaction } from "./postgres-database.ts";
import { postgresOutboxFill } from "./postgres-delivery-store.ts";
import { postgresStreamFold } from "./postgres-stream-fold.ts";

/** Rules are read in pages by rule id, so a million of them never sit in one result set. */
const PAGE = 50_000;

export function postgresRuleSetStore(pool: pg.Pool): RuleSetStore {
  return {
    ruleSetVersion: async (tenantId) =>
      (await pool.query<{ v: number }>("SELECT rules_version AS v FROM tenants WHERE id = $1", [tenantId])).rows[0]
        ?.v ?? 0,
    forEachMatchableIoc: async (tenantId, visit) => {
      for (let after = 0; ; ) {
        const { rows } = await pool.query<MatchableIoc>(
          `SELECT rule_id AS "ruleId", canonical, indicator, type, severity, expiration_date AS "expirationDate"
           FROM ioc_rules WHERE tenant_id = $1 AND enabled AND rule_id > $2 ORDER BY rule_id LIMIT ${PAGE}`,
          [tenantId, after],
        );
        rows.forEach(visit);
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1]?.ruleId as number;
      }
    },
    listMatchableBiocs: async (tenantId) =>
      (
        await pool.query<MatchableBioc>(
          `SELECT rule_id AS "ruleId", name, severity, is_xql AS "isXql", indicator FROM bioc_rules
           WHERE tenant_id = $1 AND lower(status) = 'enabled' ORDER BY rule_id`,
          [tenantId],
        )
      ).rows,
  };
}

const ALERT_SELECT = `SELECT alert_id AS "alertId", detection_timestamp AS "detectionTimestamp", source, rule_id AS "ruleId",
  name, severity, field, value, event, details FROM alerts`;

const COUNTERS = [
  ["ioc_rules", "IOC", "number_of_issues"],
  ["bioc_rules", "BIOC", "number_of_issues"],
  ["correlation_rules", "CORRELATION", "hits"],
] as const;

/**
 * The one alert write of both entry points: alerts without a key (`keys[i]` absent: HTTP) are all stored; a stream alert
 * whose key is already stored is skipped, and neither counted in its rule nor owed to a target.
 * Two nodes given the same message both try the same keys: the unique index makes the second wait
 * for the first and then insert nothing. Ids of skipped alerts are left unused. Answers the ids of
 * the alerts stored.
 */
function writeAlerts(
  pool: pg.Pool,
  tenantId: number,
  alerts: readonly NewAlert[],
  keys: readonly (string | null)[] = [],
): Promise<number[]> {
  return transaction(pool, (client) => insertAlerts(client, tenantId, alerts, keys));
}

async function insertAlerts(
  client: pg.PoolClient,
  tenantId: number,
  alerts: readonly NewAlert[],
  keys: readonly (string | null)[],
): Promise<number[]> {
  {
    const { rows } = await client.query<{ first: number }>(
      "UPDATE tenants SET next_alert_id = next_alert_id + $2 WHERE id = $1 RETURNING next_alert_id - $2 AS first",
      [tenantId, alerts.length],
    );
    const first = rows[0]?.first as number;
    const column = <K extends keyof NewAlert>(key: K) => alerts.map((a) => a[key] ?? null);
    const stored = await client.query<{ alert_id: string; source: NewAlert["source"]; rule_id: string }>(
      `INSERT INTO alerts (tenant_id, alert_id, detection_timestamp, source, rule_id, name, severity, field, value, event, details, stream_key)
       SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
       ON CONFLICT (tenant_id, stream_key) WHERE stream_key IS NOT NULL DO NOTHING
       RETURNING alert_id, source, rule_id`,
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
        alerts.map((_, i) => keys[i] ?? null),
      ],
    );
    for (const [table, source, counter] of COUNTERS) {
      const hit = stored.rows.filter((row) => row.source === source).map((row) => row.rule_id);
      if (hit.length === 0) continue;
      await client.query(
        `UPDATE ${table} AS r SET ${counter} = ${counter} + c.n
         FROM (SELECT id, count(*) AS n FROM unnest($2::bigint[]) AS id GROUP BY id) AS c
         WHERE r.tenant_id = $1 AND r.rule_id = c.id`,
        [tenantId, hit],
      );
    }
    // in the same transaction: an alert stored is an alert owed to its webhooks and syslog receivers
    await postgresOutboxFill(client, tenantId, first, first + alerts.length);
    return stored.rows.map((row) => Number(row.alert_id)).sort((x, y) => x - y);
  }
}

export function postgresAlertStore(pool: pg.Pool): AlertStore & StreamAlertStore {
  return {
    recordAlerts: async (tenantId, alerts) => (alerts.length === 0 ? [] : writeAlerts(pool, tenantId, alerts)),
    recordStreamAlerts: (tenantId, alerts, fold) =>
      transaction(pool, async (client) => {
        if (fold) await postgresStreamFold(client, tenantId, fold);
        if (alerts.length === 0) return 0;
        return (
          await insertAlerts(
            client,
            tenantId,
            alerts,
            alerts.map((a) => a.streamKey),
          )
        ).length;
      }),
    findAlerts: (tenantId, filters, page) =>
      transaction(pool, async (client) => {
        const where = whereClause(filters, ALERT_FILTER_COLUMNS, POSTGRES_FILTERS, 2);
        const params = [tenantId, ...where.params];
        const count = await client.query<{ n: number }>(
          `SELECT count(*)::bigint AS n FROM alerts WHERE tenant_id = $1 AND ${where.sql}`,
          params,
        );
        const rows = await client.query<Alert>(
          `${ALERT_SELECT} WHERE tenant_id = $1 AND ${where.sql} ORDER BY ${orderBy(page.sort, ALERT_FILTER_COLUMNS, "alert_id")} LIMIT ${page.to - page.from} OFFSET ${page.from}`,
          params,
        );
        return { total: count.rows[0]?.n ?? 0, rules: rows.rows };
      }),
  };
}
