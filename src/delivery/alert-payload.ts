import type { Alert } from "../domain/alerts/alert-model.ts";

/** The JSON a webhook receives for one alert (docs/webhooks.md); the event as it was received. */
export function alertPayload(idempotencyKey: string, tenantName: string, alert: Alert): string {
  return JSON.stringify({
    type: "alert",
    idempotency_key: idempotencyKey,
    tenant: tenantName,
    alert: {
      alert_id: alert.alertId,
      detection_timestamp: alert.detectionTimestamp,
      source: alert.source,
      rule_id: alert.ruleId,
      name: alert.name,
      severity: alert.severity,
      field: alert.field,
      value: alert.value,
      event: jsonOrText(alert.event),
      details: alert.details === null ? null : jsonOrText(alert.details),
    },
  });
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
