/**
 * Group commit on the main connection (issue 13). A commit in WAL mode writes every page the
 * transaction touched to the WAL; a single-rule insert touches the same handful of pages (the
 * rules' and indexes' last leaves, the tenant row, the audit log's) as the next one does, so
 * sixteen clients inserting one rule each paid sixteen commits for what one could write.
 *
 * Here the writes that reach the write gate within one turn of the event loop share one IMMEDIATE
 * transaction: the first opens it, each write's own transaction runs inside it as a SAVEPOINT
 * (better-sqlite3 nests them so, and a failed write rolls back only its own savepoint), and the
 * whole commits once, right after the turn (setImmediate). No caller is answered before the commit
 * its write was part of: "acknowledged" still means "committed", and a failed commit fails every
 * write of the group. Reads on the main connection during the turn see the group's writes before
 * they commit, as reads inside one transaction do; only a failed commit (an I/O error, a full
 * disk) could make that a read of something that never was.
 */
import type { SqliteDb } from "./sqlite-database.ts";

export interface GroupCommit {
  /** Opens the group transaction unless one is open; resolves when the open group has committed. */
  open(): Promise<void>;
  /** Commits the open group now: before a write on another connection needs the file's write lock, or at close. */
  commitNow(): void;
}

interface OpenGroup {
  committed: Promise<void>;
  settle: (error?: unknown) => void;
}

export function groupCommit(db: SqliteDb): GroupCommit {
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  let group: OpenGroup | undefined;

  const commitNow = (): void => {
    const closing = group;
    if (!closing) return;
    group = undefined;
    try {
      // a statement that failed badly (I/O, disk full) makes SQLite roll the whole transaction back
      if (!db.inTransaction) throw new Error("the group's transaction was rolled back before it could commit");
      commit.run();
      closing.settle();
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      closing.settle(error);
    }
  };

  const open = (): Promise<void> => {
    // SQLite rolled the group back on its own (an I/O error, a full disk): its writes are lost, and
    // later writes of the turn must not run outside a transaction while waiting on it
    if (group && !db.inTransaction) commitNow();
    if (group) return group.committed;
    begin.run();
    let settle: OpenGroup["settle"] = () => {};
    const committed = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    // every waiter handles it; this keeps a group nobody waits for from being an unhandled rejection
    committed.catch(() => {});
    group = { committed, settle };
    setImmediate(commitNow);
    return committed;
  };

  return { open, commitNow };
}
