/**
 * Bulk IOC writes on a connection of their own (issue 18, item 8): a 100,000-item insert in one
 * transaction on the main thread held every other request, health checks included, for seconds.
 * Here it is written in chunks that yield to the event loop between them, still in one
 * transaction, so the caller gets one atomic result while readers on the main connection go on
 * seeing the last committed state (WAL) and other writes wait at the write gate.
 */
import type { IocDraft } from "../../domain/ioc/ioc-model.ts";
import type { IocRow } from "../ioc-rows.ts";
import type { IocStore, UpsertOutcome, WriteContext } from "../ports.ts";
import { sqliteChunkedWrite } from "./sqlite-audit.ts";
import type { Checkpointer } from "./sqlite-checkpointer.ts";
import { openSqlite, type SqliteDb } from "./sqlite-database.ts";
import { sqliteDraftLinks, type WithLinks } from "./sqlite-draft-links.ts";
import { sqliteIocChanges } from "./sqlite-ioc-changes.ts";
import { DELETE_CHUNK, type IocUpserter, STEP_MS, sqliteIocUpserter } from "./sqlite-ioc-upsert.ts";

/** Writes of more drafts than this go in chunks; smaller ones are quicker in one step. */
export const BULK_DRAFTS = 5_000;

export interface SqliteBulkWrites {
  upsertIocs(tenantId: number, drafts: readonly IocDraft[], ctx: WriteContext): Promise<UpsertOutcome[]>;
  replaceIocsOfSource: IocStore["replaceIocsOfSource"];
  close(): Promise<void>;
}

/**
 * The bulk connection's page cache. A commit writes every page still dirty in the cache to the
 * WAL in one go; with a smaller cache most pages spill to the WAL during the steps instead, so
 * the commit that ends a 100,000-rule write stays short.
 */
const BULK_CACHE_KIB = 8_192;

interface Opened {
  db: SqliteDb;
  upserter: IocUpserter;
  replacer: SourceReplacer;
  withLinks: WithLinks;
}

/** `checkpoints` gives the store's checkpointer (sqlite-checkpointer.ts): this connection never checkpoints itself. */
export function sqliteBulkWrites(path: string, checkpoints: () => Checkpointer): SqliteBulkWrites {
  let opened: Opened | undefined;
  // opened at the first bulk write: most processes (the CLI, small servers) never make one
  const connection = () => {
    if (!opened) {
      const db = openSqlite(path);
      db.pragma(`cache_size = -${BULK_CACHE_KIB}`);
      db.pragma("wal_autocheckpoint = 0");
      // A multi-row INSERT keeps a statement journal (the pages it changed, to undo it alone on a
      // taken value); kept in a temporary file, that cost a 40,000-rule insert about 70 ms. This
      // connection only writes, so nothing else it does puts large sorts or temp tables in memory.
      db.pragma("temp_store = MEMORY");
      const upserter = sqliteIocUpserter(db);
      opened = { db, upserter, replacer: sourceReplacer(db, upserter), withLinks: sqliteDraftLinks(db) };
    }
    return opened;
  };
  // the caller has its answer first; the WAL is copied back off the event loop's thread afterwards
  const thenCheckpoint = async <R>(write: Promise<R>): Promise<R> => {
    const result = await write;
    void checkpoints().now();
    return result;
  };
  return {
    upsertIocs: (tenantId, drafts, ctx) => {
      const { db, upserter, withLinks } = connection();
      const steps = withLinks(tenantId, ctx, upserter.steps(tenantId, drafts, ctx, STEP_MS));
      return thenCheckpoint(sqliteChunkedWrite(db, ctx, steps));
    },
    replaceIocsOfSource: (tenantId, drafts, ctx) => {
      const { db, replacer } = connection();
      return thenCheckpoint(sqliteChunkedWrite(db, ctx, replacer(tenantId, drafts, ctx)));
    },
    close: async () => {
      if (opened?.db.open) opened.db.close();
    },
  };
}

type SourceReplacer = (
  tenantId: number,
  drafts: readonly IocDraft[],
  ctx: WriteContext,
) => Generator<void, { outcomes: UpsertOutcome[]; deleted: number }>;

/** `replaceIocsOfSource` (sync_tim_iocs) as steps: the source's rules not in the file deleted, then the upsert. */
function sourceReplacer(db: SqliteDb, upserter: IocUpserter): SourceReplacer {
  const changes = sqliteIocChanges(db);
  const ofSource = db.prepare("SELECT * FROM ioc_rules WHERE tenant_id = ? AND source = ?");
  const drop = db.prepare("DELETE FROM ioc_rules WHERE tenant_id = ? AND rule_id = ?");
  return function* (tenantId, drafts, ctx) {
    const kept = new Set(drafts.map((d) => d.canonical));
    const gone = (ofSource.all(tenantId, ctx.source) as IocRow[]).filter((row) => !kept.has(row.canonical));
    for (let from = 0; from < gone.length; from += DELETE_CHUNK) {
      const rows = gone.slice(from, from + DELETE_CHUNK);
      for (const row of rows) drop.run(tenantId, row.rule_id);
      changes.bury(tenantId, rows, ctx.now);
      yield;
    }
    const outcomes = yield* upserter.steps(tenantId, drafts, ctx, STEP_MS);
    return { outcomes, deleted: gone.length };
  };
}
