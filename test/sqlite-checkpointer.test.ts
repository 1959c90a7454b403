/**
 * WAL checkpoints off the event loop's thread (issue 18, item 8): the database file itself (read
 * without its WAL) holds what was written once the checkpointer's worker has copied it back.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { sqliteCheckpointer } from "../src/storage/sqlite/sqlite-checkpointer.ts";
import { openSqlite } from "../src/storage/sqlite/sqlite-database.ts";
import { openSqliteStore } from "../src/storage/sqlite/sqlite-store.ts";
import { ioc } from "./drafts.ts";

const dir = mkdtempSync(join(tmpdir(), "warden-checkpoint-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Rules in the database file alone, as if its WAL were lost: only checkpointed pages count. */
function rulesInFile(path: string): number {
  const copy = join(dir, `copy-${Math.random().toString(36).slice(2)}.db`);
  copyFileSync(path, copy);
  const db = new Database(copy, { readonly: true });
  try {
    const table = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'ioc_rules'").pluck().get();
    return table === 0 ? 0 : (db.prepare("SELECT count(*) FROM ioc_rules").pluck().get() as number);
  } finally {
    db.close();
  }
}

describe("the SQLite checkpointer", () => {
  it("copies pages another connection wrote into the database file, on its own connection", async () => {
    const path = join(dir, "direct.db");
    const db = openSqlite(path);
    db.pragma("wal_autocheckpoint = 0");
    db.pragma("wal_checkpoint(TRUNCATE)"); // the schema in the file; what follows stays in the WAL
    const tenant = db.prepare("INSERT INTO tenants (name, license, created_at) VALUES ('t', 'xsiam', 0)").run();
    const insert = db.prepare(
      `INSERT INTO ioc_rules (tenant_id, rule_id, indicator, canonical, type, severity, expiration_date,
         default_expiration_enabled, comment, reputation, creation_time, modification_time, source)
       VALUES (?, ?, ?, ?, 'FILENAME', 'SEV_010_INFO', -1, 0, '', 'UNKNOWN', 0, 0, 'test')`,
    );
    db.transaction(() => {
      for (let i = 1; i <= 500; i++) insert.run(tenant.lastInsertRowid, i, `f${i}.exe`, `f${i}.exe`);
    })();
    const checkpointer = sqliteCheckpointer(path, 3_600_000);
    try {
      assert.equal(rulesInFile(path), 0, "before the checkpoint the rules are only in the WAL");
      const result = await checkpointer.now();
      assert.ok(result && result.log > 0, `the WAL held pages: ${JSON.stringify(result)}`);
      assert.equal(result.checkpointed, result.log);
      assert.equal(rulesInFile(path), 500);
    } finally {
      await checkpointer.close();
      db.close();
    }
    assert.equal(await checkpointer.now(), undefined, "a closed checkpointer answers without a worker");
  });

  it("brings a store's small writes into the database file too, without their commits checkpointing", async () => {
    const path = join(dir, "small.db");
    const store = openSqliteStore(path);
    try {
      const ctx = { now: 1, actor: { name: "test", address: null } };
      const tenant = await store.createTenant("small", "xsiam", ctx);
      assert.ok(tenant);
      await store.upsertIocs(tenant.id, [ioc("one.exe"), ioc("two.exe")], { ...ctx, source: "test" });
      let inFile = rulesInFile(path);
      for (let tries = 0; inFile < 2 && tries < 200; tries++) {
        await sleep(100);
        inFile = rulesInFile(path);
      }
      assert.equal(inFile, 2);
    } finally {
      await store.close();
    }
  });

  it("brings a bulk write through the store into the database file without the writer checkpointing", async () => {
    const path = join(dir, "bulk.db");
    const store = openSqliteStore(path);
    try {
      const ctx = { now: 1, actor: { name: "test", address: null } };
      const tenant = await store.createTenant("bulk", "xsiam", ctx);
      assert.ok(tenant);
      const drafts = Array.from({ length: 6_000 }, (_, i) => ioc(`bulk-${i}.exe`));
      const outcomes = await store.upsertIocs(tenant.id, drafts, { ...ctx, source: "test" });
      assert.equal(outcomes.length, 6_000);
      // the worker copies the WAL back after the write; wait for it (no time is asserted)
      let inFile = rulesInFile(path);
      for (let tries = 0; inFile < 6_000 && tries < 200; tries++) {
        await sleep(100);
        inFile = rulesInFile(path);
      }
      assert.equal(inFile, 6_000);
    } finally {
      await store.close();
    }
  });
});
