/** API keys, their roles and what each role may do (spec/API.md sections 3 and 5). */

export const ROLES = ["instance_admin", "analyst", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const SECURITY_LEVELS = ["standard", "advanced"] as const;
export type SecurityLevel = (typeof SECURITY_LEVELS)[number];

export type Permission =
  | "rules:read"
  | "rules:write"
  | "events:evaluate"
  | "events:ingest"
  | "audit:read"
  | "delivery:read"
  | "delivery:write";

const PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  instance_admin: new Set([
    "rules:read",
    "rules:write",
    "events:evaluate",
    "events:ingest",
    "audit:read",
    "delivery:read",
    "delivery:write",
  ]),
  // analysts see where alerts go and what failed; only administrators change it (a URL is a data flow)
  analyst: new Set(["rules:read", "events:evaluate", "events:ingest", "delivery:read"]),
  viewer: new Set(["rules:read"]),
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return PERMISSIONS[role].has(permission);
}

/** A stored key. The secret itself is never stored in the clear. */
export interface ApiKeyRecord {
  id: number;
  tenantId: number;
  role: Role;
  security: SecurityLevel;
  /** SHA-256 of a standard key's secret. */
  secretHash: Buffer | null;
  /** An advanced key's secret, sealed with AES-256-GCM under the master key. */
  sealedSecret: Buffer | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}

export type NewApiKey = Omit<ApiKeyRecord, "id" | "revokedAt">;
