/**
 * WAL checkpoints on a worker thread (issue 18, item 8). A checkpoint copies the WAL's pages back
 * into the database file and syncs it; SQLite runs one inside whichever commit pushes the WAL
 * past 1,000 pages, synchronously. After a 100,000-rule bulk write that is ~11,000 pages, a
 * third of a second or more on the event loop's thread while every request waits. Here the
 * connections that write stop checkpointing themselves, and a connection of this worker's own
 * runs PASSIVE checkpoints (which never wait for, nor block, readers and writers) on a timer and
 * whenever asked, so the copying and the sync happen off the event loop.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { SqliteDb } from "./sqlite-database.ts";

/** What `PRAGMA wal_checkpoint` reports: pages in the WAL and how many of them are now in the file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** A checkpoint now; resolves when it has run (its result, or undefined if the worker has stopped). */
  now(): Promise<CheckpointResult | undefined>;
  close(): Promise<void>;
}

/** Often enough that the WAL of small writes stays a few MiB; a PASSIVE checkpoint with nothing to do is cheap. */
const EVERY_MS = 500;

// A plain CommonJS script, so the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const checkpoint = () => {
  try {
    return db.pragma("wal_checkpoint(PASSIVE)")[0];
  } catch {
    return undefined; // the file is busy or going away: the next turn tries again
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on("message", (message) => {
  if (message === "close") {
    clearInterval(timer);
    db.close();
    parentPort.close();
    return;
  }
  parentPort.postMessage({ id: message, result: checkpoint() });
});
`;

/** SQLite's own threshold, for a connection that must checkpoint itself again. */
const AUTOCHECKPOINT_PAGES = 1_000;

/**
 * The checkpointer of a store's file, started at the store's first write (a process that only
 * reads never starts a thread); from then on `main` leaves checkpoints to it, and takes them
 * back should the worker stop.
 */
export function storeCheckpoints(path: string, main: SqliteDb): { started(): Checkpointer; close(): Promise<void> } {
  let checkpointer: Checkpointer | undefined;
  return {
    started: () => {
      if (!checkpointer) {
        main.pragma("wal_autocheckpoint = 0");
        checkpointer = sqliteCheckpointer(path, EVERY_MS, () => {
          if (main.open) main.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
        });
      }
      return checkpointer;
    },
    close: async () => checkpointer?.close(),
  };
}

export function sqliteCheckpointer(path: string, everyMs = EVERY_MS, onStop = () => {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, everyMs } });
  // a process that forgets to close its store still exits; it waits only for an answer it asked for
  worker.unref();
  const waiting = new Map<number, (result: CheckpointResult | undefined) => void>();
  let nextId = 1;
  let stopped = false;
  let closing = false;
  const stop = () => {
    if (!stopped) onStop();
    stopped = true;
    for (const resolve of waiting.values()) resolve(undefined);
    waiting.clear();
  };
  worker.on("message", ({ id, result }: { id: number; result: CheckpointResult | undefined }) => {
    waiting.get(id)?.(result);
    waiting.delete(id);
    // a close under way keeps the worker referenced until it has exited
    if (waiting.size === 0 && !closing) worker.unref();
  });
  worker.on("error", stop);
  worker.on("exit", stop);
  return {
    now: () =>
      new Promise((resolve) => {
        if (stopped) return resolve(undefined);
        const id = nextId++;
        waiting.set(id, resolve);
        worker.ref();
        worker.postMessage(id);
      }),
    close: async () => {
      if (stopped) return;
      const exited = new Promise((resolve) => worker.once("exit", resolve));
      closing = true;
      worker.ref();
      worker.postMessage("close");
      await exited;
    },
  };
}
