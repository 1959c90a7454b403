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

/**
 * The header's value: one `v1=` signature per secret, comma separated (as Stripe's scheme does), so
 * during a rotation's overlap a receiver holding either secret finds a signature it can check.
 */
export function signatureHeader(secrets: readonly string[], timestamp: string, body: string): string {
  return secrets.map((secret) => signPayload(secret, timestamp, body)).join(", ");
}

/** What a receiver runs (the docs show the same in a few lines): any listed signature, each compared in constant time. */
export function verifySignature(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = Buffer.from(signPayload(secret, timestamp, body));
  return header
    .split(",")
    .map((part) => Buffer.from(part.trim()))
    .some((given) => expected.length === given.length && timingSafeEqual(expected, given));
}
