/**
 * How a webhook receiver knows a request came from Warden (docs/webhooks.md): Warden-Signature is
 * `v1=` and the hex HMAC-SHA256, keyed with the webhook's secret, of the Warden-Timestamp value
 * (Unix seconds), a full stop, and the raw body. The timestamp is signed so a receiver can refuse
 * replays older than a few minutes, as Stripe's scheme does.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "warden-signature";
export const TIMESTAMP_HEADER = "warden-timestamp";
export const IDEMPOTENCY_HEADER = "idempotency-key";

export function signPayload(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex")}`;
}

/** What a receiver runs (the docs show the same in a few lines); constant time. */
export function verifySignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signPayload(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
