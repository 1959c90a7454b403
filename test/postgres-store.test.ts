import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, describe, it } from "node:test";
import pg from "pg";
import { openPostgresStore } from "../src/storage/postgres/postgres-store.ts";
import { auditContract } from "./audit-contract.ts";
import { storeContract } from "./store-contract.ts";

const url = process.env.WARDEN_TEST_POSTGRES_URL;

/** A database of its own for this run, dropped after. */
async function freshDatabase(base: string): Promise<string> {
  const name = `warden_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  after(async () => {
    const cleanup = new pg.Client({ connectionString: base });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  });
  const target = new URL(base);
  target.pathname = `/${name}`;
  return target.toString();
}

if (url) {
  const database = await freshDatabase(url);
  storeContract("PostgreSQL", async () => openPostgresStore(database));
  const auditDatabase = await freshDatabase(url);
  auditContract("PostgreSQL", async () => openPostgresStore(auditDatabase));
  const rawDatabase = await freshDatabase(url);
  describe("the PostgreSQL audit log, written to directly", () => {
    it("records deletes of keys and tenants, and refuses any change to the log itself", async () => {
      const store = await openPostgresStore(rawDatabase);
      const actor = { name: "test", address: null };
      const tenant = await store.createTenant("raw", "xsiam", { now: 1, actor });
      assert.ok(tenant);
      const key = await store.createKey(
        {
          tenantId: tenant.id,
          role: "viewer",
          security: "standard",
          secretHash: Buffer.alloc(32),
          sealedSecret: null,
          createdAt: 1,
          expiresAt: null,
        },
        { now: 1, actor },
      );
      const client = new pg.Client({ connectionString: rawDatabase });
      await client.connect();
      try {
        await client.query("DELETE FROM api_keys WHERE id = $1", [key.id]);
        await client.query("DELETE FROM tenants WHERE id = $1", [tenant.id]);
        for (const sql of [
          "UPDATE audit_log SET actor = 'someone else'",
          "DELETE FROM audit_log",
          "TRUNCATE audit_log",
        ])
          await assert.rejects(client.query(sql), /the audit log is append-only/, sql);
      } finally {
        await client.end();
      }
      const oldestFirst = { field: "timestamp", descending: false } as const;
      const entries = (await store.findAudit(tenant.id, [], { from: 0, to: 10 }, oldestFirst)).rules;
      assert.deepEqual(
        entries.map((e) => [e.entity, e.action, e.target, e.actor]),
        [
          ["TENANTS", "Create", "raw", "test"],
          ["API_KEYS", "Create", String(key.id), "test"],
          ["API_KEYS", "Delete", String(key.id), "unknown"],
          ["TENANTS", "Delete", "raw", "unknown"],
        ],
      );
      await store.close();
    });
  });
} else {
  describe("store contract: PostgreSQL", () => {
    // npm test starts a PostgreSQL itself where the machine has one (scripts/run-tests.js); this is the only skip.
    it.skip("needs WARDEN_TEST_POSTGRES_URL: PostgreSQL 15 was not found to start", () => {});
  });
}
