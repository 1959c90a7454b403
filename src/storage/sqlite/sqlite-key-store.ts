import type { ChangeContext } from "../../domain/audit/audit-model.ts";
import type { ApiKeyRecord, NewApiKey, Role, SecurityLevel } from "../../domain/keys/key-model.ts";
import type { License, Tenant } from "../../domain/tenants/tenant-model.ts";
import type { KeyStore } from "../ports.ts";
import { sqliteAuditedWrites } from "./sqlite-audit.ts";
import type { SqliteDb } from "./sqlite-database.ts";

interface KeyRow {
  id: number;
  tenant_id: number;
  role: Role;
  security: SecurityLevel;
  secret_hash: Buffer | null;
  sealed_secret: Buffer | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

const COLUMNS = "id, tenant_id, role, security, secret_hash, sealed_secret, created_at, expires_at, revoked_at";

interface KeyWithTenantRow extends KeyRow {
  tenant_name: string;
  tenant_license: License;
  tenant_created_at: number;
}

/** Expired nonces are swept at most this often, keeping the per-request cost to one insert. */
const NONCE_SWEEP_INTERVAL_MS = 30_000;

/** Takes a source name that is free, or whose key is revoked or expired; leaves a live key's alone. */
export const CLAIM_SOURCE = `INSERT INTO ioc_source_keys (tenant_id, source, key_id) VALUES (@tenantId, @source, @keyId)
  ON CONFLICT (tenant_id, source) DO UPDATE SET key_id = excluded.key_id
  WHERE NOT EXISTS (SELECT 1 FROM api_keys AS k WHERE k.id = ioc_source_keys.key_id
    AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > @now))`;

function toKeyWithTenant(row: KeyWithTenantRow): { key: ApiKeyRecord; tenant: Tenant } {
  const tenant = {
    id: row.tenant_id,
    name: row.tenant_name,
    license: row.tenant_license,
    createdAt: row.tenant_created_at,
  };
  return { key: toKey(row), tenant };
}

function toKey(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    role: row.role,
    security: row.security,
    secretHash: row.secret_hash,
    sealedSecret: row.sealed_secret,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

export function sqliteKeyStore(db: SqliteDb): KeyStore {
  const insert = db.prepare(
    `INSERT INTO api_keys (tenant_id, role, security, secret_hash, sealed_secret, created_at, expires_at)
     VALUES (@tenantId, @role, @security, @secretHash, @sealedSecret, @createdAt, @expiresAt)
     RETURNING ${COLUMNS}`,
  );
  const byId = db.prepare<[number], KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`);
  const withTenant = db.prepare<[number], KeyWithTenantRow>(
    `SELECT ${COLUMNS.split(", ")
      .map((column) => `k.${column}`)
      .join(", ")}, t.name AS tenant_name, t.license AS tenant_license, t.created_at AS tenant_created_at
     FROM api_keys AS k JOIN tenants AS t ON t.id = k.tenant_id WHERE k.id = ?`,
  );
  const all = db.prepare<[], KeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY id`);
  const ofTenant = db.prepare<[number], KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE tenant_id = ? ORDER BY id`);
  const revoke = db.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  const sweep = db.prepare("DELETE FROM nonces WHERE expires_at <= ?");
  const forgetExpired = db.prepare("DELETE FROM nonces WHERE key_id = ? AND nonce = ? AND expires_at <= ?");
  const remember = db.prepare("INSERT INTO nonces (key_id, nonce, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
  const claim = db.prepare(CLAIM_SOURCE);
  const holder = db.prepare<[number, string], number>(
    "SELECT key_id FROM ioc_source_keys WHERE tenant_id = ? AND source = ?",
  );
  const claimSource = db.transaction((tenantId: number, source: string, keyId: number, now: number): number => {
    claim.run({ tenantId, source, keyId, now });
    return holder.pluck().get(tenantId, source) as number;
  });
  let lastSweep = 0;
  const write = sqliteAuditedWrites(db);
  const create = write((_ctx: ChangeContext, key: NewApiKey) => toKey(insert.get(key) as KeyRow));
  const revokeOne = write((ctx: ChangeContext, keyId: number) => revoke.run(ctx.now, keyId).changes === 1);

  const rememberOne = (keyId: number, nonce: string, expiresAt: number, now: number): boolean => {
    forgetExpired.run(keyId, nonce, now);
    return remember.run(keyId, nonce, expiresAt).changes === 1;
  };
  const rememberNonces = db.transaction((keyId: number, nonces: readonly string[], expiresAt: number, now: number) => {
    if (now - lastSweep >= NONCE_SWEEP_INTERVAL_MS) {
      sweep.run(now);
      lastSweep = now;
    }
    // Each is recorded even when another was spent, so no re-split can spend it later.
    return nonces.map((nonce) => rememberOne(keyId, nonce, expiresAt, now)).every(Boolean);
  });

  return {
    createKey: async (key, ctx) => create(ctx, key),
    getKey: async (keyId) => {
      const row = byId.get(keyId);
      return row && toKey(row);
    },
    getKeyWithTenant: async (keyId) => {
      const row = withTenant.get(keyId);
      return row && toKeyWithTenant(row);
    },
    listKeys: async (tenantId) => (tenantId === undefined ? all.all() : ofTenant.all(tenantId)).map(toKey),
    revokeKey: async (keyId, ctx) => revokeOne(ctx, keyId),
    rememberNonces: async (keyId, nonces, expiresAt, now) => rememberNonces(keyId, nonces, expiresAt, now),
    claimSource: async (tenantId, source, keyId, now) => claimSource(tenantId, source, keyId, now),
  };
}
