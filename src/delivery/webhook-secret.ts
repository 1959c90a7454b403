import { randomBytes } from "node:crypto";
import { unsealSecret } from "../domain/keys/key-secrets.ts";
import type { DeliveryTarget } from "./delivery-model.ts";

// Binds a sealed webhook secret to its use, so it cannot pass for an API key secret or a feed password.
export const WEBHOOK_SECRET_PURPOSE = Buffer.from("warden:webhook-secret:v1");

/** A fresh signing secret, shown once when the webhook is added (the prefix says what it is, as Stripe's whsec_). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("hex")}`;
}

/**
 * The secrets a webhook signs with at `now`: its own, then the one a rotation replaced while the
 * overlap lasts. Undefined when its own cannot be unsealed (another master key).
 */
export function signingSecrets(target: DeliveryTarget, masterKey: Buffer, now: number): string[] | undefined {
  const unseal = (sealed: Buffer | null) => sealed && unsealSecret(sealed, masterKey, WEBHOOK_SECRET_PURPOSE);
  const current = unseal(target.sealedSecret);
  if (!current) return undefined;
  const overlapping = target.previousSecretUntil !== null && now < target.previousSecretUntil;
  const previous = overlapping ? unseal(target.sealedPreviousSecret) : null;
  return previous ? [current, previous] : [current];
}
