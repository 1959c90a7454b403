/**
 * The rule tables' audit triggers after the migration that made them one per event (issue 13):
 * an existing store migrates with its log intact, every kind of rule change is still recorded,
 * a change the store makes without recording it fails the write, and a tool without Warden's
 * functions is still refused.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { seededRandom } from "../bench/lib.ts";
import type { UpsertOutcome } from "../src/storage/ports.ts";
import { defineAuditFunctions, sqliteAuditedWrites, sqliteAuditPackOf } from "../src/storage/sqlite/sqlite-audit.ts";
import { openSqlite } from "../src/storage/sqlite/sqlite-database.ts";
import { SQLITE_MIGRATIONS } from "../src/storage/sqlite/sqlite-migrations.ts";
import { RULE_TRIGGER_MIGRATION } from "../src/storage/sqlite/sqlite-rule-trigger-migration.ts";
import { openSqliteStore } from "../src/storage/sqlite/sqlite-store.ts";
import { bioc, ioc } from "./drafts.ts";

const dir = mkdtempSync(join(tmpdir(), "warden-rule-triggers-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const alice = { name: "alice", address: "10.0.0.1" };
const everything = { from: 0, to: 1_000 };
const oldestFirst = { field: "timestamp", descending: false } as const;

const RULE_TRIGGERS = `SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN ('ioc_rules', 'bioc_rules')
  ORDER BY name`;

/** A store file as the version before the migration left it, with one rule written through its triggers. */
function storeBeforeTheMigration(file: string): void {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  defineAuditFunctions(db);
  // the older version's counting function, which its triggers call; its rule written at time 1
  db.function("warden_audit_seen", () => null);
  db.function("warden_audit_at", () => 1);
  db.exec(
    "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  const at = SQLITE_MIGRATIONS.findIndex((m) => m.sql === RULE_TRIGGER_MIGRATION);
  assert.ok(at > 0);
  for (const migration of SQLITE_MIGRATIONS.slice(0, at)) {
    db.exec(migration.sql);
    db.prepare("INSERT INTO schema_migrations VALUES (?, ?, 0)").run(migration.version, migration.name);
  }
  db.exec(`INSERT INTO tenants (name, license, created_at) VALUES ('t', 'xsiam', 1);
    INSERT INTO ioc_rules (tenant_id, rule_id, indicator, canonical, type, severity, expiration_date,
      default_expiration_enabled, comment, reputation, creation_time, modification_time, source)
    VALUES (1, 1, 'old.exe', 'old.exe', 'FILENAME', 'SEV_010_INFO', -1, 0, '', 'UNKNOWN', 1, 1, 'before');
    UPDATE tenants SET next_ioc_rule_id = 2`);
  db.close();
}

describe("SQLite rule audit triggers, one per table and event", () => {
  it("migrates an existing store: its log kept, and every kind of rule change recorded after", async (t) => {
    const file = join(dir, "migrated.db");
    storeBeforeTheMigration(file);
    const store = openSqliteStore(file);
    t.after(() => store.close()); // also when an assertion fails before the test closes it
    const tenant = await store.findTenantByName("t");
    assert.ok(tenant);
    const ctx = { now: 5, source: "s", actor: alice };
    await store.upsertIocs(tenant.id, [ioc("new.exe"), ioc("old.exe", { comment: "edited" })], ctx);
    await store.setIocsEnabled(tenant.id, ["new.exe"], false, ctx);
    await store.deleteIocs(tenant.id, [{ field: "indicator", operator: "IN", values: ["old.exe"] }], ctx);
    await store.upsertBiocs(tenant.id, [bioc("b1")], ctx);
    const log = (await store.findAudit(tenant.id, [], everything, oldestFirst)).rules;
    await store.close();

    assert.deepEqual(
      log
        .filter((e) => e.entity === "IOC_RULES" || e.entity === "BIOC_RULES")
        .map((e) => [e.entity, e.action, e.target, e.actor, e.before?.comment ?? null, e.after?.comment ?? null]),
      [
        ["IOC_RULES", "Create", "1", "unknown", null, ""],
        ["IOC_RULES", "Create", "2", "alice", null, ""],
        ["IOC_RULES", "Edit", "1", "alice", "", "edited"],
        ["IOC_RULES", "Disable", "2", "alice", "", ""],
        ["IOC_RULES", "Delete", "1", "alice", "edited", null],
        ["BIOC_RULES", "Create", "1", "alice", null, ""],
      ],
    );
    const raw = new Database(file, { readonly: true });
    const triggers = raw.prepare(RULE_TRIGGERS).pluck().all();
    raw.close();
    assert.deepEqual(triggers, [
      "audit_bioc_delete",
      "audit_bioc_insert",
      "audit_bioc_update",
      "audit_ioc_delete",
      "audit_ioc_insert",
      "audit_ioc_update",
    ]);
  });

  it("records a rule change made on Warden's connection outside an audited write as a row of its own", async (t) => {
    const file = join(dir, "outside.db");
    const store = openSqliteStore(file);
    t.after(() => store.close()); // also when an assertion fails before the test closes it
    const tenant = await store.createTenant("t", "xsiam", { now: 1, actor: alice });
    assert.ok(tenant);
    await store.upsertIocs(tenant.id, [ioc("a.exe")], { now: 2, source: "s", actor: alice });
    await store.close();
    const db = openSqlite(file);
    db.exec("UPDATE ioc_rules SET comment = 'by hand'");
    const rows = db.prepare("SELECT action, actor, items FROM audit_log WHERE entity = 'IOC_RULES' ORDER BY id").all();
    db.close();
    assert.deepEqual(rows, [
      { action: "Create", actor: "alice", items: null },
      { action: "Edit", actor: "unknown", items: null },
    ]);
  });

  it("fails, and rolls back, a write in which the store changes a rule without recording it", async (t) => {
    const file = join(dir, "unrecorded.db");
    const store = openSqliteStore(file);
    t.after(() => store.close()); // also when an assertion fails before the test closes it
    const tenant = await store.createTenant("t", "xsiam", { now: 1, actor: alice });
    assert.ok(tenant);
    await store.upsertIocs(tenant.id, [ioc("a.exe"), ioc("b.exe")], { now: 2, source: "s", actor: alice });
    await store.close();
    const db = openSqlite(file);
    const pack = sqliteAuditPackOf(db);
    const edit = db.prepare("UPDATE ioc_rules SET comment = 'unlogged' WHERE rule_id = 2");
    const write = sqliteAuditedWrites(db)(() =>
      pack.recordedByStore(() => {
        pack.record(tenant.id, "IOC_RULES", "Edit", 1, null, null);
        db.prepare("UPDATE ioc_rules SET comment = 'logged' WHERE rule_id = 1").run();
        edit.run();
      }),
    );
    assert.throws(() => write({ now: 3, actor: alice }), /2 rows changed but 1 changes recorded/);
    const comments = db.prepare("SELECT comment FROM ioc_rules ORDER BY rule_id").pluck().all();
    const entries = db.prepare("SELECT count(*) FROM audit_entries WHERE entity = 'IOC_RULES'").pluck().get();
    db.close();
    assert.deepEqual(comments, ["", ""], "nothing of the write was kept");
    assert.equal(entries, 2);
  });

  it("upserts a bulk write mixing new values, stored ones and repeats as one by one, with one audit entry each", async (t) => {
    const store = openSqliteStore(join(dir, "mixed.db"));
    t.after(() => store.close()); // also when an assertion fails before the test closes it
    const tenant = await store.createTenant("t", "xsiam", { now: 1, actor: alice });
    assert.ok(tenant);
    const stored = Array.from({ length: 2_000 }, (_, i) => ioc(`v${i}.exe`));
    await store.upsertIocs(tenant.id, stored, { now: 2, source: "s", actor: alice });
    // whole batches of new values first (written without lookups), then values drawn at random:
    // stored, new, or met again in the same write, some in the same batch
    const random = seededRandom(13);
    const drafts = [
      ...Array.from({ length: 1_000 }, (_, i) => ioc(`n${i}.exe`)),
      ...Array.from({ length: 5_500 }, () => ioc(`v${Math.floor(random() * 9_000)}.exe`, { comment: "again" })),
    ];
    const ids = new Map(stored.map((d, i) => [d.canonical, i + 1]));
    const expected = drafts.map((d): Extract<UpsertOutcome, { ruleId: number }> => {
      const id = ids.get(d.canonical);
      if (id !== undefined) return { kind: "updated", ruleId: id };
      ids.set(d.canonical, ids.size + 1);
      return { kind: "created", ruleId: ids.size };
    });
    const outcomes = await store.upsertIocs(tenant.id, drafts, { now: 3, source: "s", actor: alice });
    const rules = await store.findIocs(tenant.id, [], { from: 0, to: 20_000 }, 4);
    const log = (await store.findAudit(tenant.id, [], { from: 0, to: 20_000 }, oldestFirst)).rules;
    await store.close();

    assert.deepEqual(outcomes, expected);
    assert.deepEqual(
      rules.rules.map((r) => [r.ruleId, r.canonical]),
      [...ids].map(([value, id]) => [id, value]).sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    const changes = log.filter((e) => e.entity === "IOC_RULES" && e.at === 3);
    assert.deepEqual(
      changes.map((e) => [e.action, Number(e.target)]),
      expected.map((o) => [o.kind === "created" ? "Create" : "Edit", o.ruleId]),
    );
  });

  it("still refuses a rule change from a tool without Warden's audit functions", async (t) => {
    const file = join(dir, "foreign.db");
    const store = openSqliteStore(file);
    t.after(() => store.close()); // also when an assertion fails before the test closes it
    const tenant = await store.createTenant("t", "xsiam", { now: 1, actor: alice });
    assert.ok(tenant);
    await store.upsertIocs(tenant.id, [ioc("a.exe")], { now: 2, source: "s", actor: alice });
    await store.upsertBiocs(tenant.id, [bioc("b")], { now: 2, source: "s", actor: alice });
    await store.close();
    const foreign = new Database(file);
    for (const table of ["ioc_rules", "bioc_rules"])
      for (const sql of [
        `INSERT INTO ${table} SELECT * FROM ${table}`,
        `UPDATE ${table} SET comment = 'sneaky'`,
        `DELETE FROM ${table}`,
      ])
        assert.throws(() => foreign.exec(sql), /no such function: warden_audit/, sql);
    assert.deepEqual(
      foreign.prepare("SELECT comment FROM ioc_rules UNION ALL SELECT comment FROM bioc_rules").pluck().all(),
      ["", ""],
    );
    foreign.close();
  });
});
