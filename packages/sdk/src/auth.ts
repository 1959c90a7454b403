import { createHash, randomBytes } from "node:crypto";

/** An API key as the server issued it: standard keys send the secret, advanced keys sign each request. */
export interface ApiKey {
  id: number | string;
  secret: string;
  advanced?: boolean;
}

/**
 * The authentication headers for one request. An advanced key signs a fresh nonce and timestamp
 * every time (the server refuses a nonce it has seen), so a retried request gets new headers.
 */
export function authHeaders(key: ApiKey, now: () => number = Date.now): Record<string, string> {
  const id = String(key.id);
  if (!key.advanced) return { "x-xdr-auth-id": id, authorization: key.secret };
  const nonce = randomBytes(32).toString("hex");
  const timestamp = String(now());
  const authorization = createHash("sha256")
    .update(key.secret + nonce + timestamp, "utf8")
    .digest("hex");
  return { "x-xdr-auth-id": id, "x-xdr-nonce": nonce, "x-xdr-timestamp": timestamp, authorization };
}
