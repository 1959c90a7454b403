/**
 * Group commit on SQLite (issue 13): the writes of one event-loop turn share one transaction, each
 * in a savepoint of its own, and nobody is answered before the commit that holds their write.
 * Checked from a second connection to the same file, as another process would see it.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { openSqlite, type SqliteDb } from "../src/storage/sqlite/sqlite-database.ts";
import { groupCommit } from "../src/storage/sqlite/sqlite-group-commit.ts";
import { startTestApp, type TestApp } from "./harness.ts";

const INSERT = "/public_api/v1/indicators/insert";
const onPostgres = process.env.WARDEN_TEST_STORE === "postgres";

describe("group commit, on one SQLite file", () => {
  let dir: string;
  let db: SqliteDb;
  let other: Database.Database;
  const write = (value: string) => db.transaction(() => db.prepare("INSERT INTO t (v) VALUES (?)").run(value))();
  const seen = () => other.prepare("SELECT v FROM t ORDER BY v").pluck().all();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "warden-group-"));
    db = openSqlite(join(dir, "w.db"));
    db.exec("CREATE TABLE t (v TEXT NOT NULL UNIQUE)");
    other = new Database(join(dir, "w.db"), { timeout: 0 });
  });
  after(() => {
    other.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("commits the writes of one turn together, after the turn", async () => {
    db.exec("DELETE FROM t");
    const group = groupCommit(db);
    const first = group.open();
    write("a");
    const second = group.open();
    write("b");
    assert.equal(first, second, "one group for the turn");
    assert.deepEqual(seen(), [], "nothing is visible before the commit");
    await first;
    assert.deepEqual(seen(), ["a", "b"]);
    assert.equal(db.inTransaction, false);
  });

  it("rolls back only the write that failed", async () => {
    db.exec("DELETE FROM t");
    const group = groupCommit(db);
    const committed = group.open();
    write("c");
    assert.throws(() => write("c"), /UNIQUE/);
    write("d");
    await committed;
    assert.deepEqual(seen(), ["c", "d"]);
  });

  it("commits at once when asked, so another connection can take the write lock", async () => {
    db.exec("DELETE FROM t");
    const group = groupCommit(db);
    const committed = group.open();
    write("e");
    assert.throws(() => other.exec("BEGIN IMMEDIATE"), /locked|busy/i, "the open group holds the write lock");
    group.commitNow();
    other.exec("BEGIN IMMEDIATE; ROLLBACK");
    await committed;
    assert.deepEqual(seen(), ["e"]);
  });

  it("fails the writes of a group SQLite rolled back, and starts the next write in a new group", async () => {
    db.exec("DELETE FROM t");
    const group = groupCommit(db);
    const lost = group.open();
    write("f");
    db.exec("ROLLBACK"); // what SQLite does on its own after an I/O error or a full disk
    const next = group.open();
    write("g");
    await assert.rejects(lost, /rolled back/);
    await next;
    assert.deepEqual(seen(), ["g"]);
  });
});

describe("group commit behind indicators/insert", { skip: onPostgres && "SQLite only" }, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it("answers each of many concurrent inserts only once its rule is committed", async () => {
    const key = await t.key("group");
    const reader = new Database(t.config.database, { readonly: true });
    try {
      const stored = reader.prepare("SELECT count(*) FROM ioc_rules WHERE indicator = ?").pluck();
      const values = Array.from({ length: 16 }, (_, i) => `group-${i}.exe`);
      const answers = values.map((indicator) =>
        t
          .post(INSERT, { request_data: [{ indicator, type: "FILENAME", severity: "SEV_020_LOW" }] }, key)
          // read from another connection the moment the answer arrives, as a client's next reader would
          .then((res) => ({ status: res.statusCode, stored: stored.get(indicator) })),
      );
      for (const answer of await Promise.all(answers)) assert.deepEqual(answer, { status: 200, stored: 1 });
    } finally {
      reader.close();
    }
  });

  it("lets a bulk insert sent in the same turn as small ones through (it waits for their commit)", async () => {
    const key = await t.key("group-bulk");
    const items = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        indicator: `${prefix}-${i}.exe`,
        type: "FILENAME",
        severity: "SEV_020_LOW",
      }));
    const [small, bulk, later] = await Promise.all([
      t.post(INSERT, { request_data: items("small", 1) }, key),
      t.post(INSERT, { request_data: items("bulk", 6_000) }, key),
      t.post(INSERT, { request_data: items("later", 1) }, key),
    ]);
    assert.deepEqual([small.statusCode, bulk.statusCode, later.statusCode], [200, 200, 200], bulk.body.slice(0, 300));
    assert.equal(bulk.json().added_objects.length, 6_000);
  });
});
