import type pg from "pg";
import type { Alert } from "../../domain/alerts/alert-model.ts";
import { ALERT_FILTER_COLUMNS } from "../filter-columns.ts";
import type { AlertStore, MatchableBioc, MatchableIoc, RuleSetStore } from "../ports.ts";
import { orderBy, POSTGRES_FILTERS, whereClause } from "../sql-filters.ts";
import { transaction } from "./postgres-database.ts";
import { postgresOutboxFill } from "./postgres-delivery-store.ts";

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

export function postgresAlertStore(pool: pg.Pool): AlertStore {
  return {
    recordAlerts: async (tenantId, alerts) => {
      if (alerts.length === 0) return [];
      return transaction(pool, async (client) => {
        const { rows } = await client.query<{ first: number }>(
          "UPDATE tenants SET next_alert_id = next_alert_id + $2 WHERE id = $1 RETURNING next_alert_id - $2 AS first",
          [tenantId, alerts.length],
        );
        const first = rows[0]?.first as number;
        const ids = alerts.map((_, i) => first + i);
        const column = <K extends keyof Alert>(key: K) => alerts.map((a) => a[key as keyof typeof a]);
        await client.query(
          `INSERT INTO alerts (tenant_id, alert_id, detection_timestamp, source, rule_id, name, severity, field, value, event, details)
           SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])`,
          [
            tenantId,
            ids,
            column("detectionTimestamp"),
            column("source"),
            column("ruleId"),
            column("name"),
            column("severity"),
            column("field"),
            column("value"),
            column("event"),
            alerts.map((a) => a.details ?? null),
          ],
        );
        for (const [table, source, counter] of [
          ["ioc_rules", "IOC", "number_of_issues"],
          ["bioc_rules", "BIOC", "number_of_issues"],
          ["correlation_rules", "CORRELATION", "hits"],
        ] as const) {
          const hit = alerts.filter((a) => a.source === source).map((a) => a.ruleId);
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
        return ids;
      });
    },
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
