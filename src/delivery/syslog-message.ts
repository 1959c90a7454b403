/**
 * One alert as an RFC 5424 syslog message: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`, the
 * message a CEF line (cef.ts). Facility local0 (16); the alert's severity gives the syslog severity.
 * The structured data uses 32473, the enterprise number RFC 5612 reserves for examples, as Warden
 * has none of its own.
 */
import { hostname } from "node:os";
import type { Alert } from "../domain/alerts/alert-model.ts";
import type { Severity } from "../domain/ioc/ioc-model.ts";
import { cefLine } from "./cef.ts";

const FACILITY_LOCAL0 = 16;
const SYSLOG_SEVERITY: Record<Severity, number> = {
  SEV_010_INFO: 6,
  SEV_020_LOW: 5,
  SEV_030_MEDIUM: 4,
  SEV_040_HIGH: 3,
  SEV_050_CRITICAL: 2,
};

/** RFC 5424 header fields are printable US-ASCII without spaces, of bounded length; "-" when empty. */
function headerField(text: string, max: number): string {
  const clean = text.replace(/[^\x21-\x7e]/g, "").slice(0, max);
  return clean === "" ? "-" : clean;
}

/** SD-PARAM values escape `"`, `\` and `]` (RFC 5424 section 6.3.3). */
function sdValue(text: string): string {
  return text.replace(/["\\\]]/g, (c) => `\\${c}`);
}

export function syslogMessage(tenantName: string, alert: Alert, idempotencyKey: string, now: number): string {
  const pri = FACILITY_LOCAL0 * 8 + SYSLOG_SEVERITY[alert.severity];
  const sd = `[warden@32473 tenant="${sdValue(tenantName)}" alertId="${alert.alertId}" key="${sdValue(idempotencyKey)}"]`;
  const header = [
    `<${pri}>1`,
    new Date(now).toISOString(),
    headerField(hostname(), 255),
    "warden",
    headerField(String(process.pid), 128),
    "alert",
  ].join(" ");
  return `${header} ${sd} ${cefLine(tenantName, alert, idempotencyKey)}`;
}

/** RFC 6587 octet counting: the message's length in bytes, a space, the message; no delimiter needed. */
export function octetCounted(message: string): Buffer {
  const body = Buffer.from(message, "utf8");
  return Buffer.concat([Buffer.from(`${body.length} `, "ascii"), body]);
}
