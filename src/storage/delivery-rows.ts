/** The delivery tables' rows, read the same way from SQLite and PostgreSQL. */

import type { DeliveryTarget, NewDeliveryTarget, RuleKind, TargetKind } from "../delivery/delivery-model.ts";
import { severityRank, severityRankSql } from "../delivery/delivery-model.ts";
import type { Alert } from "../domain/alerts/alert-model.ts";
import { SEVERITIES } from "../domain/ioc/ioc-model.ts";
import type { ClaimedDelivery } from "./delivery-ports.ts";

export interface TargetRow {
  id: number;
  tenant_id: number | null;
  name: string;
  kind: string;
  url: string;
  sealed_secret: Buffer | null;
  sealed_previous_secret: Buffer | null;
  previous_secret_until: number | string | null;
  min_rank: number;
  send_ioc: number | boolean;
  send_bioc: number | boolean;
  send_correlation: number | boolean;
  enabled: number | boolean;
  created_at: number;
}

export function toTarget(row: TargetRow): DeliveryTarget {
  const ruleKinds: RuleKind[] = [];
  if (row.send_ioc) ruleKinds.push("IOC");
  if (row.send_bioc) ruleKinds.push("BIOC");
  if (row.send_correlation) ruleKinds.push("CORRELATION");
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    kind: row.kind as TargetKind,
    url: row.url,
    sealedSecret: row.sealed_secret,
    sealedPreviousSecret: row.sealed_previous_secret,
    previousSecretUntil: row.previous_secret_until === null ? null : Number(row.previous_secret_until),
    minSeverity: SEVERITIES[row.min_rank - 1] ?? "SEV_010_INFO",
    ruleKinds,
    enabled: Boolean(row.enabled),
    createdAt: row.created_at,
  };
}

/** A new target as the insert's parameters, in TARGET_INSERT_COLUMNS order. */
export function targetParams(t: NewDeliveryTarget, bool: (b: boolean) => number | boolean): unknown[] {
  const has = (kind: RuleKind) => bool(t.ruleKinds.includes(kind));
  return [
    t.tenantId,
    t.name,
    t.kind,
    t.url,
    t.sealedSecret,
    severityRank(t.minSeverity),
    has("IOC"),
    has("BIOC"),
    has("CORRELATION"),
    bool(t.enabled),
    t.createdAt,
  ];
}

export const TARGET_INSERT_COLUMNS =
  "tenant_id, name, kind, url, sealed_secret, min_rank, send_ioc, send_bioc, send_correlation, enabled, created_at";

/**
 * The outbox rows owed for a range of a tenant's new alerts: one per alert and enabled target (the
 * tenant's own and the server-wide ones) whose filter lets it through. Placeholders, in order: the
 * tenant id, the first new alert id, the first id after them. Targets come first in the join: a
 * tenant without any costs one index probe, whatever the number of alerts.
 */
export function outboxFillSql(p: (n: number) => string): string {
  return `INSERT INTO delivery_outbox (tenant_id, target_id, alert_id, attempts, next_attempt_at)
    SELECT a.tenant_id, t.id, a.alert_id, 0, a.detection_timestamp
    FROM delivery_targets t CROSS JOIN alerts a
    WHERE (t.tenant_id = ${p(1)} OR t.tenant_id IS NULL) AND t.enabled = ${TRUE_LITERAL}
      AND a.tenant_id = ${p(1)} AND a.alert_id >= ${p(2)} AND a.alert_id < ${p(3)}
      AND ${severityRankSql("a.severity")} >= t.min_rank
      AND ((a.source = 'IOC' AND t.send_ioc = ${TRUE_LITERAL}) OR (a.source = 'BIOC' AND t.send_bioc = ${TRUE_LITERAL})
        OR (a.source = 'CORRELATION' AND t.send_correlation = ${TRUE_LITERAL}))`;
}

/** Flags are INTEGER 0/1 in both stores (PostgreSQL compares them the same way). */
const TRUE_LITERAL = "1";

/** Selects outbox entries with their alert, tenant name and target; the caller adds WHERE and ORDER. */
export const ENTRY_SELECT = `SELECT o.id AS o_id, o.tenant_id AS o_tenant_id, o.target_id AS o_target_id,
    o.attempts AS o_attempts, o.last_error AS o_last_error, o.dead_at AS o_dead_at, tn.name AS o_tenant_name,
    a.alert_id AS a_alert_id, a.detection_timestamp AS a_detection_timestamp, a.source AS a_source,
    a.rule_id AS a_rule_id, a.name AS a_name, a.severity AS a_severity, a.field AS a_field, a.value AS a_value,
    a.event AS a_event, a.details AS a_details, t.*
  FROM delivery_outbox o
  JOIN alerts a ON a.tenant_id = o.tenant_id AND a.alert_id = o.alert_id
  JOIN tenants tn ON tn.id = o.tenant_id
  JOIN delivery_targets t ON t.id = o.target_id`;

export interface EntryRow extends TargetRow {
  o_id: number;
  o_tenant_id: number;
  o_target_id: number;
  o_attempts: number;
  o_last_error: string | null;
  o_dead_at: number | null;
  o_tenant_name: string;
  a_alert_id: number;
  a_detection_timestamp: number;
  a_source: Alert["source"];
  a_rule_id: number;
  a_name: string;
  a_severity: Alert["severity"];
  a_field: string;
  a_value: string;
  a_event: string;
  a_details: string | null;
}

export function toEntry(row: EntryRow): ClaimedDelivery {
  return {
    id: row.o_id,
    tenantId: row.o_tenant_id,
    tenantName: row.o_tenant_name,
    targetId: row.o_target_id,
    attempts: row.o_attempts,
    lastError: row.o_last_error,
    deadAt: row.o_dead_at,
    alert: {
      alertId: row.a_alert_id,
      detectionTimestamp: row.a_detection_timestamp,
      source: row.a_source,
      ruleId: row.a_rule_id,
      name: row.a_name,
      severity: row.a_severity,
      field: row.a_field,
      value: row.a_value,
      event: row.a_event,
      details: row.a_details,
    },
    target: toTarget(row),
  };
}
