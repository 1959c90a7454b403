import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { iocCreatedItemsJson, iocRecordAfter } from "../src/storage/sqlite/sqlite-ioc-audit.ts";
import { openSqliteStore } from "../src/storage/sqlite/sqlite-store.ts";
import { ioc } from "./drafts.ts";

const dir = mkdtempSync(join(tmpdir(), "warden-pack-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const alice = { name: "alice", address: "10.0.0.1" };
const everything = { from: 0, to: 1_000 };
const oldestFirst = { field: "timestamp", descending: false } as const;

describe("SQLite audit: a write's rule changes packed into one row", () => {
  it("writes a created batch's items as JSON.stringify writes its records, whatever the values hold", () => {
    const drafts = [
      ioc('q"uote\\back\nline.exe', { comment: 'say "hi"\u2028\u0001 é', reliability: "A" }),
      ioc("v.exe", {
        vendors: [{ vendor_name: 'V"1', reputation: "BAD", reliability: null }],
        klass: 'k"l',
        severity: "SEV_050_CRITICAL",
        reputation: "GOOD",
        expirationDate: 1_700_000_000_000,
        defaultExpirationEnabled: true,
      }),
      ioc("plain.exe"),
    ];
    const records = drafts.map((d, i) => ({
      action: "Create",
      target: String(7 + i),
      before: null,
      after: iocRecordAfter(7 + i, d, 'src "x"', 42, undefined),
    }));
    assert.equal(iocCreatedItemsJson(drafts, 7, 'src "x"', 42), JSON.stringify(records).slice(1, -1));
  });

  it("stores one row for a bulk write and reads it back one entry per rule, numbered in order", async () => {
    const file = join(dir, "pack.db");
    const store = openSqliteStore(file);
    const tenant = await store.createTenant("t", "xsiam", { now: 1, actor: alice });
    assert.ok(tenant);
    const drafts = Array.from({ length: 50 }, (_, i) => ioc(`f${i}.exe`));
    await store.upsertIocs(tenant.id, drafts, { now: 2, source: "s", actor: alice });
    await store.upsertIocs(tenant.id, [ioc("one.exe")], { now: 3, source: "s", actor: alice });
    await store.upsertIocs(tenant.id, drafts.slice(0, 3), { now: 4, source: "s", actor: alice });
    const log = (await store.findAudit(tenant.id, [], everything, oldestFirst)).rules;
    await store.close();

    const rules = log.filter((e) => e.entity === "IOC_RULES");
    assert.equal(rules.length, 50 + 1 + 3);
    assert.deepEqual(
      rules.slice(0, 50).map((e) => [e.action, e.target, e.after?.indicator]),
      drafts.map((d, i) => ["Create", String(i + 1), d.indicator]),
    );
    assert.deepEqual(
      rules.slice(51).map((e) => [e.action, e.target, e.before?.modification_time, e.after?.modification_time]),
      [1, 2, 3].map((id) => ["Edit", String(id), 2, 4]),
    );
    assert.deepEqual(
      log.map((e) => e.id),
      log.map((_, i) => i + 1),
      "entries numbered 1, 2, 3 ... in the order they were made",
    );
    assert.ok(rules.every((e) => e.actor === "alice" && e.address === "10.0.0.1" && e.result === "SUCCESS"));

    const raw = new Database(file, { readonly: true });
    const rows = raw.prepare("SELECT items_count FROM audit_log WHERE entity = 'IOC_RULES' ORDER BY id").pluck().all();
    raw.close();
    assert.deepEqual(rows, [50, 1, 3], "one row per write, a single change as a plain row");
  });

  it("keeps nothing of a write that fails part-way", async () => {
    const store = openSqliteStore(join(dir, "rollback.db"));
    const tenant = await store.createTenant("t", "xsiam", { now: 1, actor: alice });
    assert.ok(tenant);
    const before = (await store.findAudit(tenant.id, [], everything, oldestFirst)).total;
    // a value no IOC column accepts makes SQLite refuse the second draft, after the first was written
    const bad = { ...ioc("b.exe"), indicator: null as unknown as string };
    await assert.rejects(store.upsertIocs(tenant.id, [ioc("a.exe"), bad], { now: 2, source: "s", actor: alice }));
    await store.upsertIocs(tenant.id, [ioc("c.exe")], { now: 3, source: "s", actor: alice });
    const log = (await store.findAudit(tenant.id, [], everything, oldestFirst)).rules;
    await store.close();
    assert.deepEqual(
      log.slice(before).map((e) => [e.action, e.after?.indicator]),
      [["Create", "c.exe"]],
      "the failed write's collected change is not carried into the next one",
    );
  });

  it("writes nothing at all of a bulk write (chunks on its own connection) that fails in a later chunk", async () => {
    const file = join(dir, "bulk-rollback.db");
    const store = openSqliteStore(file);
    const tenant = await store.createTenant("t", "xsiam", { now: 1, actor: alice });
    assert.ok(tenant);
    const drafts = Array.from({ length: 6_000 }, (_, i) => ioc(`bulk${i}.exe`));
    // SQLite refuses this one (NOT NULL) after the first chunks were written in the same transaction
    drafts[5_500] = { ...ioc("x.exe"), indicator: null as unknown as string };
    await assert.rejects(store.upsertIocs(tenant.id, drafts, { now: 2, source: "s", actor: alice }), /NOT NULL/);
    await store.upsertIocs(tenant.id, [ioc("after.exe")], { now: 3, source: "s", actor: alice });
    const rules = await store.findIocs(tenant.id, [], everything, 4);
    const log = (await store.findAudit(tenant.id, [], everything, oldestFirst)).rules;
    await store.close();
    assert.deepEqual(
      rules.rules.map((r) => [r.ruleId, r.indicator]),
      [[1, "after.exe"]],
    );
    assert.deepEqual(
      log.filter((e) => e.entity === "IOC_RULES").map((e) => [e.action, e.target]),
      [["Create", "1"]],
    );
  });
});
