import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { sqliteAuditStore } from "../src/storage/sqlite/sqlite-audit.ts";
import { openSqlite } from "../src/storage/sqlite/sqlite-database.ts";
import { openSqliteStore } from "../src/storage/sqlite/sqlite-store.ts";
import { sqliteTenantStore } from "../src/storage/sqlite/sqlite-tenant-store.ts";
import { auditContract } from "./audit-contract.ts";
import { storeContract } from "./store-contract.ts";

const dir = mkdtempSync(join(tmpdir(), "warden-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

storeContract("SQLite file", async () => openSqliteStore(join(dir, "contract.db")));
auditContract("SQLite file", async () => openSqliteStore(join(dir, "audit.db")));

describe("the SQLite file's pages", () => {
  it("are 8 KiB in a new file, and stay as they were in an existing one", async () => {
    const fresh = join(dir, "pages-new.db");
    openSqlite(fresh).close();
    const older = join(dir, "pages-old.db");
    // a file made before Warden chose its page size: SQLite's default 4 KiB, already in WAL mode
    const made = new Database(older);
    made.pragma("journal_mode = WAL");
    made.exec("CREATE TABLE made_before (x)");
    made.close();
    const store = openSqliteStore(older);
    const tenant = await store.createTenant("t", "xsiam", { now: 1, actor: { name: "test", address: null } });
    assert.ok(tenant, "the schema went in on 4 KiB pages");
    await store.close();
    const pageSize = (file: string) => {
      const db = new Database(file, { readonly: true });
      const size = db.pragma("page_size", { simple: true });
      db.close();
      return size;
    };
    assert.equal(pageSize(fresh), 8192);
    assert.equal(pageSize(older), 4096);
  });
});

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

  it("refuses deleting keys or tenants unrecorded, and any change to the audit log", async () => {
    const file = join(dir, "append-only.db");
    const store = openSqliteStore(file);
    const actor = { name: "test", address: null };
    const tenant = await store.createTenant("t", "xsiam", { now: 1, actor });
    const empty = await store.createTenant("empty", "xsiam", { now: 1, actor });
    assert.ok(tenant && empty);
    await store.createKey(
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
    await store.close();
    const foreign = new Database(file);
    for (const sql of ["DELETE FROM api_keys", `DELETE FROM tenants WHERE id = ${empty.id}`])
      assert.throws(() => foreign.exec(sql), /no such function: warden_audit/, sql);
    for (const sql of ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"])
      assert.throws(() => foreign.exec(sql), /the audit log is append-only/, sql);
    assert.equal(foreign.prepare("SELECT count(*) FROM audit_log").pluck().get(), 3);
    foreign.close();
  });

  it("records deletes of keys and tenants made on Warden's own connection", async () => {
    const db = openSqlite(join(dir, "deletes.db"));
    const actor = { name: "test", address: null };
    const gone = await sqliteTenantStore(db).createTenant("gone", "xsiam", { now: 1, actor });
    assert.ok(gone);
    db.exec(`DELETE FROM tenants WHERE id = ${gone.id}`);
    const oldestFirst = { field: "timestamp", descending: false } as const;
    const entries = (await sqliteAuditStore(db).findAudit(gone.id, [], { from: 0, to: 10 }, oldestFirst)).rules;
    assert.deepEqual(
      entries.map((e) => [e.entity, e.action, e.target, e.actor]),
      [
        ["TENANTS", "Create", "gone", "test"],
        ["TENANTS", "Delete", "gone", "unknown"],
      ],
    );
    assert.throws(() => db.exec("DELETE FROM audit_log"), /append-only/);
    db.close();
  });
});

describe("tenant names unique without regard to case, on a file that already has case-duplicates", () => {
  it("keeps both old tenants under their exact names and refuses a third", async () => {
    const file = join(dir, "case.db");
    openSqlite(file).close();
    // The file as an older Warden left it: before the rule, with ACME beside acme.
    const old = new Database(file);
    old.function("warden_audit_actor", () => "old version");
    old.function("warden_audit_address", () => null);
    old.function("warden_audit_at", () => 1);
    old.exec(`DROP TRIGGER tenants_name_nocase_insert; DROP TRIGGER tenants_name_nocase_update;
      DROP INDEX tenants_name_lower; DELETE FROM schema_migrations WHERE version = 7;
      INSERT INTO tenants (name, license, created_at) VALUES ('acme', 'xsiam', 1), ('ACME', 'xsiam', 1)`);
    old.close();
    const store = openSqliteStore(file);
    const actor = { name: "test", address: null };
    assert.equal((await store.findTenantByName("acme"))?.name, "acme");
    assert.equal((await store.findTenantByName("ACME"))?.name, "ACME");
    assert.equal(await store.createTenant("Acme", "xsiam", { now: 2, actor }), undefined);
    await store.close();
  });
});
