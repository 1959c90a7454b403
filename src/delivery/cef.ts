/**
 * ArcSight Common Event Format (CEF:0), the payload SIEMs parse out of syslog. Header fields escape
 * `\` and `|`; extension values escape `\`, `=` and line breaks (the CEF specification, "Character
 * encoding"), so a rule name or event value can never start a field of its own.
 */
import type { Alert } from "../domain/alerts/alert-model.ts";
import type { Severity } from "../domain/ioc/ioc-model.ts";

const CEF_SEVERITY: Record<Severity, number> = {
  SEV_010_INFO: 1,
  SEV_020_LOW: 3,
  SEV_030_MEDIUM: 5,
  SEV_040_HIGH: 8,
  SEV_050_CRITICAL: 10,
};

/** Longest event text carried in `msg`: a UDP datagram should stay well under 64 KiB. */
const MAX_EVENT_CHARS = 2048;

export function escapeCefHeader(text: string): string {
  return text.replace(/[\\|]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, " ");
}

export function escapeCefValue(text: string): string {
  return text
    .replace(/[\\=]/g, (c) => `\\${c}`)
    .replace(/\r\n|\n/g, "\\n")
    .replace(/\r/g, "\\r");
}

export function cefLine(tenantName: string, alert: Alert, idempotencyKey: string): string {
  const header = [
    "CEF:0",
    "Warden",
    "Warden",
    "1",
    `${alert.source}-${alert.ruleId}`,
    alert.name,
    String(CEF_SEVERITY[alert.severity]),
  ].map((field, i) => (i === 0 ? field : escapeCefHeader(field)));
  const extension: [string, string | number][] = [
    ["rt", alert.detectionTimestamp],
    ["externalId", idempotencyKey],
    ["cat", alert.source],
    ["cs1Label", "tenant"],
    ["cs1", tenantName],
    ["cs2Label", "field"],
    ["cs2", alert.field],
    ["cs3Label", "value"],
    ["cs3", alert.value],
    ["cn1Label", "alertId"],
    ["cn1", alert.alertId],
    ["cn2Label", "ruleId"],
    ["cn2", alert.ruleId],
    ["msg", alert.event.slice(0, MAX_EVENT_CHARS)],
  ];
  const pairs = extension.map(([key, value]) => `${key}=${escapeCefValue(String(value))}`);
  return `${header.join("|")}|${pairs.join(" ")}`;
}
