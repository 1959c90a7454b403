import { alertPayload } from "./alert-payload.ts";
import { type AttemptOutcome, idempotencyKey, type OutboxEntry } from "./delivery-model.ts";
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from "./webhook-signature.ts";

/**
 * POSTs one alert, signed. Any 2xx is delivered; anything else (another status, a timeout, a refused
 * connection) is a failure to retry. Redirects are not followed: a redirect could lead past the
 * guard on internal addresses.
 */
export async function postAlert(
  url: URL,
  secret: string,
  entry: Pick<OutboxEntry, "tenantId" | "tenantName" | "targetId" | "alert">,
  now: number,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  const key = idempotencyKey(entry);
  const body = alertPayload(key, entry.tenantName, entry.alert);
  const timestamp = String(Math.floor(now / 1000));
  try {
    const response = await fetch(url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "Warden-Webhooks/1",
        [IDEMPOTENCY_HEADER]: key,
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signPayload(secret, timestamp, body),
      },
      body,
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return { delivered: true };
    return { delivered: false, error: `HTTP ${response.status}` };
  } catch (error) {
    return { delivered: false, error: failureText(error) };
  }
}

function failureText(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return "timed out";
  return e.cause?.code ?? e.cause?.message ?? e.message;
}
