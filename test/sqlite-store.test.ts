import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { openSqliteStore } from "../src/storage/sqlite/sqlite-store.ts";
import { auditContract } from "./audit-contract.ts";
import { storeContract } from "./store-contract.ts";

const dir = mkdtempSync(join(tmpdir(), "warden-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

storeContract("SQLite file", async () => openSqliteStore(join(dir, "contract.db")));
auditContract("SQLite file", async () => openSqliteStore(join(dir, "audit.db")));

describe("the SQLite file outside Warden", () => {
  it("refuses a change to rules, keys or tenants that would go unrecorded", async () => {
    const file = join(dir, "foreign.db");
    const store = openSqliteStore(file);
    const tenant = await store.createTenant("t", "xsiam", { now: 1, actor: { name: "test", address: null } });
    await store.close();
    // A tool that opens the file without Warden's audit functions (the sqlite3 shell, a script).
    const foreign = new Database(file);
    for (const sql of [
      `INSERT INTO tenants (name, license, created_at) VALUES ('sneaky', 'xsiam', 0)`,
      `UPDATE tenants SET license = 'xdr_pro' WHERE id = ${tenant?.id}`,
      `INSERT INTO api_keys (tenant_id, role, security, created_at) VALUES (${tenant?.id}, 'instance_admin', 'standard', 0)`,
    ])
      assert.throws(() => foreign.exec(sql), /no such function: warden_audit/, sql);
    assert.equal(foreign.prepare("SELECT count(*) FROM audit_log").pluck().get(), 1);
    assert.equal(foreign.prepare("SELECT count(*) FROM api_keys").pluck().get(), 0);
    foreign.close();
  });
});
