/** Mounts a real app on a fresh SQLite file in a temporary directory, with a clock tests control. */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import pg from "pg";
import { buildApp, type Services } from "../src/app.ts";
import { type Config, loadConfig } from "../src/config.ts";
import type { Actor } from "../src/domain/audit/audit-model.ts";
import type { Role, SecurityLevel } from "../src/domain/keys/key-model.ts";
import { advancedAuthorization } from "../src/domain/keys/key-secrets.ts";
import type { License } from "../src/domain/tenants/tenant-model.ts";
import { ManualClock } from "../src/lib/clock.ts";

export const START_TIME = Date.UTC(2026, 10, 22, 12, 0, 0);

/** Whom set-up done straight through the services (not over HTTP) is recorded under. */
export const TEST_ACTOR: Actor = { name: "test set-up", address: null };

export interface TestKey {
  id: number;
  secret: string;
  security: SecurityLevel;
  tenant: string;
}

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  clock: ManualClock;
  config: Config;
  dir: string;
  /** Creates a tenant (if new) and a key for it. */
  key(tenant: string, role?: Role, security?: SecurityLevel, license?: License): Promise<TestKey>;
  /** POSTs `body` (JSON-encoded unless a string) with the key's headers. */
  post(path: string, body: unknown, key?: TestKey, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export function authHeaders(
  key: TestKey,
  now: number,
  nonce = randomBytes(32).toString("hex"),
): Record<string, string> {
  if (key.security === "standard") return { "x-xdr-auth-id": String(key.id), authorization: key.secret };
  const timestamp = String(now);
  return {
    "x-xdr-auth-id": String(key.id),
    "x-xdr-nonce": nonce,
    "x-xdr-timestamp": timestamp,
    authorization: advancedAuthorization(key.secret, nonce, timestamp),
  };
}

/**
 * With WARDEN_TEST_STORE=postgres (set by scripts/run-tests.js for its second pass) each app gets
 * a fresh database on the test PostgreSQL; otherwise a fresh SQLite file.
 */
export async function testDatabase(dir: string): Promise<{ database: string; drop: () => Promise<void> }> {
  const base = process.env.WARDEN_TEST_POSTGRES_URL;
  if (process.env.WARDEN_TEST_STORE !== "postgres" || !base)
    return { database: join(dir, "warden.db"), drop: async () => {} };
  const name = `warden_test_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { database: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), "warden-test-"));
  const { database, drop } = await testDatabase(dir);
  // Abuse limits are off unless a test turns them on (limits.test.ts does).
  const quiet = { WARDEN_RATE_LIMIT_PER_KEY: "0", WARDEN_AUTH_FAILURES_PER_MINUTE: "0" };
  const config = loadConfig(
    { database, dataDir: dir },
    { WARDEN_MASTER_KEY: randomBytes(32).toString("hex"), ...quiet, ...env },
  );
  const clock = new ManualClock(START_TIME);
  const { app, services } = await buildApp(config, { clock, logger: false });
  await app.ready();

  const key: TestApp["key"] = async (tenant, role = "instance_admin", security = "standard", license = "xsiam") => {
    const found = await services.tenants.find(tenant);
    const owner = found.ok ? found : await services.tenants.create(tenant, TEST_ACTOR, license);
    if (!owner.ok) throw new Error(owner.error);
    const created = await services.keys.create(owner.value, role, security, null, TEST_ACTOR);
    return { id: created.id, secret: created.secret, security, tenant };
  };

  const post: TestApp["post"] = (path, body, k, headers = {}) =>
    app.inject({
      method: "POST",
      url: path,
      headers: { "content-type": "application/json", ...(k ? authHeaders(k, clock.now()) : {}), ...headers },
      payload: typeof body === "string" ? body : JSON.stringify(body),
    });

  return {
    app,
    services,
    clock,
    config,
    dir,
    key,
    post,
    close: async () => {
      await app.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
