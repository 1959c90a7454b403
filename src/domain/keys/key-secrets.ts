import { createCipheriv, createDecipheriv, hash, randomBytes, timingSafeEqual } from "node:crypto";

/** 64 random bytes as 128 hex characters, the length of the vendor's own API keys. */
export function generateSecret(): string {
  return randomBytes(64).toString("hex");
}

/** One-shot (crypto.hash): a Hash object per call cost more than the digest of a 128-character key. */
export function sha256(text: string): Buffer {
  return hash("sha256", text, "buffer");
}

/** Constant-time equality of two byte strings; unequal lengths are unequal without leaking where. */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** The Authorization value an advanced-key client sends (spec/API.md section 3). */
export function advancedAuthorization(secret: string, nonce: string, timestamp: string): string {
  return sha256(secret + nonce + timestamp).toString("hex");
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
// Binds a sealed value to its use, so a sealed secret cannot pass for some other sealed datum.
const ASSOCIATED_DATA = Buffer.from("warden:api-key-secret:v1");

/** Encrypts an advanced key's secret with AES-256-GCM: iv, then tag, then ciphertext. */
export function sealSecret(secret: string, masterKey: Buffer, purpose: Buffer = ASSOCIATED_DATA): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", masterKey, iv).setAAD(purpose);
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Undefined when the sealed value was not made with this master key or was altered. */
export function unsealSecret(sealed: Buffer, masterKey: Buffer, purpose: Buffer = ASSOCIATED_DATA): string | undefined {
  try {
    const iv = sealed.subarray(0, IV_BYTES);
    const tag = sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv("aes-256-gcm", masterKey, iv).setAAD(purpose).setAuthTag(tag);
    const body = sealed.subarray(IV_BYTES + TAG_BYTES);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}
