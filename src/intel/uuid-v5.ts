import { createHash } from "node:crypto";

/** Warden's namespace for the name-based ids of what it exports (a fixed random UUID). */
export const WARDEN_NAMESPACE = "6f1c5a36-2b8e-4c51-9d0e-0b7c3c7e41a2";

/**
 * An RFC 4122 name-based (version 5, SHA-1) UUID: the same name always gives the same id, so
 * an export names a rule the same way every time and a TAXII client sees versions, not copies.
 */
export function uuidV5(name: string, namespace: string = WARDEN_NAMESPACE): string {
  const hash = createHash("sha1")
    .update(Buffer.from(namespace.replace(/-/g, ""), "hex"))
    .update(name, "utf8")
    .digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
