import type { Clock } from "../../lib/clock.ts";
import type { KeyStore, TenantStore } from "../../storage/ports.ts";
import type { Actor } from "../audit/audit-model.ts";
import type { Tenant } from "../tenants/tenant-model.ts";
import type { ApiKeyRecord, Role, SecurityLevel } from "./key-model.ts";
import { advancedAuthorization, generateSecret, sameBytes, sealSecret, sha256, unsealSecret } from "./key-secrets.ts";
import type { Principal } from "./principal.ts";

/** The headers a request authenticates with, as sent. */
export interface Credentials {
  keyId: string | undefined;
  authorization: string | undefined;
  nonce: string | undefined;
  timestamp: string | undefined;
  /** Where the request came from: not checked, only recorded with what the key changes. */
  address: string | null;
}

export interface CreatedKey {
  id: number;
  secret: string;
  tenant: string;
  role: Role;
  security: SecurityLevel;
  expiresAt: number | null;
}

const KEY_ID_PATTERN = /^[1-9][0-9]{0,15}$/;
// Canonical decimal milliseconds only: a leading zero would let a captured request move its
// nonce's last character into the timestamp and sign the same bytes under a "new" nonce.
const TIMESTAMP_PATTERN = /^[1-9][0-9]{0,15}$/;
const NONCE_PATTERN = /^[\x21-\x7e]{1,256}$/;
// Compared against when the key id is unknown, so a miss costs what a wrong secret costs.
const DECOY_HASH = sha256("warden decoy");

export class KeyService {
  constructor(
    private readonly store: KeyStore & TenantStore,
    private readonly masterKey: Buffer,
    private readonly clock: Clock,
    private readonly timestampWindowMs: number,
  ) {}

  async create(
    tenant: Tenant,
    role: Role,
    security: SecurityLevel,
    expiresAt: number | null,
    actor: Actor,
  ): Promise<CreatedKey> {
    const secret = generateSecret();
    const now = this.clock.now();
    const record = await this.store.createKey(
      {
        tenantId: tenant.id,
        role,
        security,
        secretHash: security === "standard" ? sha256(secret) : null,
        sealedSecret: security === "advanced" ? sealSecret(secret, this.masterKey) : null,
        createdAt: now,
        expiresAt,
      },
      { now, actor },
    );
    return { id: record.id, secret, tenant: tenant.name, role, security, expiresAt };
  }

  /** False when no such key, or it was already revoked. */
  revoke(keyId: number, actor: Actor): Promise<boolean> {
    return this.store.revokeKey(keyId, { now: this.clock.now(), actor });
  }

  /** Undefined for every failure alike: the caller answers 401 and never says why. */
  async authenticate(credentials: Credentials): Promise<Principal | undefined> {
    const { keyId, authorization } = credentials;
    if (!keyId || !authorization || !KEY_ID_PATTERN.test(keyId.trim())) return undefined;
    const found = await this.store.getKeyWithTenant(Number(keyId.trim()));
    if (!found || !this.isLive(found.key)) {
      sameBytes(sha256(authorization), DECOY_HASH);
      return undefined;
    }
    const { key, tenant } = found;
    const verified =
      key.security === "standard"
        ? this.verifyStandard(key, authorization)
        : await this.verifyAdvanced(key, credentials, authorization);
    if (!verified) return undefined;
    return { keyId: key.id, role: key.role, tenant, address: credentials.address };
  }

  private isLive(key: ApiKeyRecord): boolean {
    if (key.revokedAt !== null) return false;
    return key.expiresAt === null || key.expiresAt > this.clock.now();
  }

  private verifyStandard(key: ApiKeyRecord, authorization: string): boolean {
    return key.secretHash !== null && sameBytes(sha256(authorization), key.secretHash);
  }

  private async verifyAdvanced(key: ApiKeyRecord, credentials: Credentials, authorization: string): Promise<boolean> {
    const { nonce, timestamp } = credentials;
    if (!nonce || !timestamp || !NONCE_PATTERN.test(nonce) || !TIMESTAMP_PATTERN.test(timestamp)) return false;
    const now = this.clock.now();
    if (Math.abs(now - Number(timestamp)) > this.timestampWindowMs) return false;
    const secret = key.sealedSecret && unsealSecret(key.sealedSecret, this.masterKey);
    if (!secret) return false;
    const expected = Buffer.from(advancedAuthorization(secret, nonce, timestamp), "utf8");
    if (!sameBytes(Buffer.from(authorization.toLowerCase(), "utf8"), expected)) return false;
    // Only a correctly signed request spends its nonce, so a stranger cannot burn a client's nonces.
    // The signature is spent too: whatever re-split of nonce and timestamp carries the same signed
    // bytes is a replay. Nonces have no spaces, so the two kinds of entry never collide.
    const spent = [nonce, `signature ${expected.toString("utf8")}`];
    return this.store.rememberNonces(key.id, spent, now + 2 * this.timestampWindowMs, now);
  }
}
