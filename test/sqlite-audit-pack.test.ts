import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { iocRecordAfter } from "../src/storage/sqlite/sqlite-ioc-audit.ts";
import { openSqliteStore } from "../src/storage/sqlite/sqlite-store.ts";
import { ioc } from "./drafts.ts";

const dir = mkdtempSync(join(tmpdir(), "warden-pack-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const alice = { name: "alice", address: "10.0.0.1" };
const everything = { from: 0, to: 1_000 };
const oldestFirst = { field: "timestamp", descending: false } as const;

describe("SQLite audit: a write's rule changes packed into one row", () => {
  it("describes a created batch as the records its rows hold, whatever the values are", async () => {
    const file = join(dir, "values.db");
    const store = openSqliteStore(file);
    const tenant = await store.createTenant("t", "xsiam", { now: 1, actor: alice });
    assert.ok(tenant);
    const drafts = [
      ioc('q"uote\\back\nline.exe', { comment: 'say "hi"\u2028\u0001 é 😀', reliability: "A" }),
      ioc("v.exe", {
        vendors: [{ vendor_name: 'V"1 ü', reputation: "BAD", reliability: null }],
        klass: 'k"l',
        severity: "SEV_050_CRITICAL",
        reputation: "GOOD",
        expirationDate: 1_700_000_000_000,
        defaultExpirationEnabled: true,
      }),
      ioc("plain.exe"),
    ];
    await store.upsertIocs(tenant.id, drafts, { now: 42, source: 'src "x"', actor: alice });
    const raw = new Database(file, { readonly: true });
    const items = raw.prepare("SELECT items FROM audit_log WHERE entity = 'IOC_RULES'").pluck().all();
    raw.close();
    await store.close();
    // what the store wrote before SQLite built these records: JSON.stringify of the records
    const records = drafts.map((d, i) => ({
      action: "Create",
      target: String(1 + i),
      before: null,
      after: iocRecordAfter(1 + i, d, 'src "x"', 42, undefined),
    }));
    assert.equal(items.length, 1, "one packed row");
    assert.deepEqual(JSON.parse(items[0] as string), JSON.parse(JSON.stringify(records)));
  });

  it("keeps the order of the changes when a batch of new rules follows changes still collected", async () => {
    const store = openSqliteStore(join(dir, "order.db"));
    const tenant = await store.createTenant("t", "xsiam", { now: 1, actor: alice });
    assert.ok(tenant);
    await store.upsertIocs(tenant.id, [ioc("old.exe")], { now: 2, source: "s", actor: alice });
    // batches of 250: the first edits a stored rule, so it and the next are written draft by draft
    // and their changes collected; the third is all new values, which SQLite describes at once
    const drafts = [
      ioc("old.exe", { severity: "SEV_040_HIGH" }),
      ...Array.from({ length: 749 }, (_, i) => ioc(`n${i}.exe`)),
    ];
    // the last draft edits a rule SQLite described earlier in the same write: its Create keeps the rule as created
    drafts.push(ioc("n600.exe", { comment: "edited" }));
    await store.upsertIocs(tenant.id, drafts, { now: 3, source: "s", actor: alice });
    const log = (await store.findAudit(tenant.id, [], { from: 0, to: 2_000 }, oldestFirst)).rules;
    await store.close();
    const changes = log.filter((e) => e.entity === "IOC_RULES" && e.at === 3);
    assert.deepEqual(
      changes.map((e) => [e.action, e.target]),
      [["Edit", "1"], ...Array.from({ length: 749 }, (_, i) => ["Create", String(2 + i)]), ["Edit", "602"]],
    );
    assert.equal(changes[601]?.after?.comment, "", "the Create is the rule as created");
    assert.equal(changes.at(-1)?.before?.comment, "");
    assert.equal(changes.at(-1)?.after?.comment, "edited");
    assert.equal(changes[0]?.after?.severity, "SEV_040_HIGH");
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
    const rows = raw
      .prepare("SELECT items_count, items IS NULL FROM audit_log WHERE entity = 'IOC_RULES' ORDER BY id")
      .raw()
      .all();
    raw.close();
    assert.deepEqual(
      rows,
      [
        [50, 0],
        [1, 1],
        [3, 0],
      ],
      "one row per write, a single change as a plain row",
    );
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
