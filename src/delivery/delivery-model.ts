/**
 * Where a tenant's alerts go after they are stored (src/delivery): webhooks and syslog receivers,
 * each with a filter, and the outbox rows that carry one alert to one target until it is delivered.
 */
import type { Alert } from "../domain/alerts/alert-model.ts";
import { SEVERITIES, type Severity } from "../domain/ioc/ioc-model.ts";

export const TARGET_KINDS = ["webhook", "syslog"] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const RULE_KINDS = ["IOC", "BIOC", "CORRELATION"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** A webhook or syslog receiver of one tenant (or, tenantId null, of every tenant: server-wide). */
export interface DeliveryTarget {
  id: number;
  tenantId: number | null;
  name: string;
  kind: TargetKind;
  /** https://… for a webhook; syslog+udp://, syslog+tcp:// or syslog+tls://host:port for syslog. */
  url: string;
  /** The webhook's signing secret, sealed under the master key; null for syslog. */
  sealedSecret: Buffer | null;
  /** The secret a rotation replaced, still signing until `previousSecretUntil` (epoch ms). */
  sealedPreviousSecret: Buffer | null;
  previousSecretUntil: number | null;
  /** Alerts below this severity are not sent. */
  minSeverity: Severity;
  /** Which rule families' alerts are sent. */
  ruleKinds: RuleKind[];
  enabled: boolean;
  createdAt: number;
}

export type NewDeliveryTarget = Omit<DeliveryTarget, "id" | "sealedPreviousSecret" | "previousSecretUntil">;

/** One alert still owed to one target. */
export interface OutboxEntry {
  id: number;
  tenantId: number;
  tenantName: string;
  targetId: number;
  alert: Alert;
  /** Attempts already made (failed). */
  attempts: number;
  lastError: string | null;
  /** When it became a dead letter; null while it is still being tried. */
  deadAt: number | null;
}

/** What one attempt came to: delivered, or the reason it failed. */
export type AttemptOutcome = { delivered: true } | { delivered: false; error: string };

/** Orders severities so a filter can say "this or worse"; 1 is info, 5 critical. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity) + 1;
}

/** The SQL that ranks an alert's severity column as severityRank does. */
export function severityRankSql(column: string): string {
  return `(CASE ${column} ${SEVERITIES.map((s) => `WHEN '${s}' THEN ${severityRank(s)}`).join(" ")} ELSE 0 END)`;
}

/** Stable for one alert and one target, so a receiver can drop what it already has. */
export function idempotencyKey(entry: Pick<OutboxEntry, "tenantId" | "targetId" | "alert">): string {
  return `warden-${entry.tenantId}-${entry.alert.alertId}-${entry.targetId}`;
}
