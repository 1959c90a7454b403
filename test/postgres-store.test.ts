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
} else {
  describe("store contract: PostgreSQL", () => {
    // npm test starts a PostgreSQL itself where the machine has one (scripts/run-tests.js); this is the only skip.
    it.skip("needs WARDEN_TEST_POSTGRES_URL: PostgreSQL 15 was not found to start", () => {});
  });
}
