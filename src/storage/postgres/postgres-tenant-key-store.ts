import type pg from "pg";
import type { ApiKeyRecord } from "../../domain/keys/key-model.ts";
import type { Tenant } from "../../domain/tenants/tenant-model.ts";
import type { KeyStore, TenantStore } from "../ports.ts";
import { auditedTransaction } from "./postgres-audit.ts";
import { transaction } from "./postgres-database.ts";

const TENANT = 'SELECT id, name, license, created_at AS "createdAt" FROM tenants';
const KEY = `SELECT id, tenant_id AS "tenantId", role, security, secret_hash AS "secretHash", sealed_secret AS "sealedSecret",
  created_at AS "createdAt", expires_at AS "expiresAt", revoked_at AS "revokedAt" FROM api_keys`;

const KEY_WITH_TENANT = `SELECT k.id, k.tenant_id AS "tenantId", k.role, k.security, k.secret_hash AS "secretHash",
  k.sealed_secret AS "sealedSecret", k.created_at AS "createdAt", k.expires_at AS "expiresAt", k.revoked_at AS "revokedAt",
  t.name AS "tenantName", t.license AS "tenantLicense", t.created_at AS "tenantCreatedAt"
  FROM api_keys AS k JOIN tenants AS t ON t.id = k.tenant_id WHERE k.id = $1`;

type KeyWithTenantRow = ApiKeyRecord & {
  tenantName: string;
  tenantLicense: Tenant["license"];
  tenantCreatedAt: number;
};

const UNIQUE_VIOLATION = "23505";

export function postgresTenantStore(pool: pg.Pool): TenantStore {
  const one = async (sql: string, params: unknown[]) => (await pool.query<Tenant>(sql, params)).rows[0];
  return {
    createTenant: (name, license, ctx) =>
      auditedTransaction(pool, ctx, async (client) => {
        const { rows } = await client.query<Tenant>(
          `INSERT INTO tenants (name, license, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING
           RETURNING id, name, license, created_at AS "createdAt"`,
          [name, license, ctx.now],
        );
        return rows[0];
      }).catch((error: unknown) => {
        // the name in another case, found by migration 5's trigger
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) return undefined;
        throw error;
      }),
    getTenant: async (tenantId) => one(`${TENANT} WHERE id = $1`, [tenantId]),
    findTenantByName: async (name) => one(`${TENANT} WHERE name = $1`, [name]),
    listTenants: async () => (await pool.query<Tenant>(`${TENANT} ORDER BY id`)).rows,
  };
}

export function postgresKeyStore(pool: pg.Pool): KeyStore {
  return {
    createKey: async (key, ctx) =>
      auditedTransaction(pool, ctx, async (client) => {
        const { rows } = await client.query<{ id: number }>(
          `INSERT INTO api_keys (tenant_id, role, security, secret_hash, sealed_secret, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
          [key.tenantId, key.role, key.security, key.secretHash, key.sealedSecret, key.createdAt, key.expiresAt],
        );
        return { ...key, id: rows[0]?.id as number, revokedAt: null };
      }),
    getKey: async (keyId) => (await pool.query<ApiKeyRecord>(`${KEY} WHERE id = $1`, [keyId])).rows[0],
    // one round trip where authentication took two
    getKeyWithTenant: async (keyId) => {
      const row = (await pool.query<KeyWithTenantRow>(KEY_WITH_TENANT, [keyId])).rows[0];
      if (!row) return undefined;
      const { tenantName, tenantLicense, tenantCreatedAt, ...key } = row;
      return {
        key,
        tenant: { id: key.tenantId, name: tenantName, license: tenantLicense, createdAt: tenantCreatedAt },
      };
    },
    listKeys: async (tenantId) =>
      tenantId === undefined
        ? (await pool.query<ApiKeyRecord>(`${KEY} ORDER BY id`)).rows
        : (await pool.query<ApiKeyRecord>(`${KEY} WHERE tenant_id = $1 ORDER BY id`, [tenantId])).rows,
    revokeKey: async (keyId, ctx) =>
      auditedTransaction(pool, ctx, async (client) => {
        const revoked = await client.query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", [
          ctx.now,
          keyId,
        ]);
        return revoked.rowCount === 1;
      }),
    // One INSERT, so two nodes that see the same nonce or signature at once cannot both accept it.
    rememberNonces: async (keyId, nonces, expiresAt, now) =>
      transaction(pool, async (client) => {
        await client.query("DELETE FROM nonces WHERE key_id = $1 AND nonce = ANY($2) AND expires_at <= $3", [
          keyId,
          nonces,
          now,
        ]);
        if (Math.random() < 0.01) await client.query("DELETE FROM nonces WHERE expires_at <= $1", [now]);
        const inserted = await client.query(
          `INSERT INTO nonces (key_id, nonce, expires_at) SELECT $1, n, $3 FROM unnest($2::text[]) AS n
           ON CONFLICT DO NOTHING`,
          [keyId, nonces, expiresAt],
        );
        return inserted.rowCount === nonces.length;
      }),
    claimSource: async (tenantId, source, keyId, now) => {
      // one statement: of two keys claiming a free name at once, one wins and both see which
      const { rows } = await pool.query<{ key_id: string }>(
        `INSERT INTO ioc_source_keys AS s (tenant_id, source, key_id) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, source) DO UPDATE SET key_id = CASE WHEN EXISTS (
           SELECT 1 FROM api_keys AS k WHERE k.id = s.key_id
             AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $4)) THEN s.key_id ELSE excluded.key_id END
         RETURNING key_id`,
        [tenantId, source, keyId, now],
      );
      return Number(rows[0]?.key_id);
    },
  };
}
