import { randomBytes } from "node:crypto";

// Binds a sealed webhook secret to its use, so it cannot pass for an API key secret or a feed password.
export const WEBHOOK_SECRET_PURPOSE = Buffer.from("warden:webhook-secret:v1");

/** A fresh signing secret, shown once when the webhook is added (the prefix says what it is, as Stripe's whsec_). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("hex")}`;
}
